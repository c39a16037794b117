// The parts of @kubernetes/client-node that kube-verdict uses, imported from their own modules: the package's index
// also loads its generated API clients and models (about 17 MB of source), copy, attach, port-forward and metrics.
export { KubeConfig } from '@kubernetes/client-node/dist/config.js'
