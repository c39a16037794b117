// `npm run controlplane`: builds (once, cached) and starts the real control plane with simulated nodes, prints
// a KUBECONFIG for the admin and one for the least-privilege ServiceAccount token, and serves until Ctrl-C.
//   KUBECONFIG=… kubectl create deployment web --image=nginx:1.27 && kubectl rollout status deployment/web
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { kubeconfigFor, startControlPlane } from './controlplane.js'
import { RealWorld } from './world.js'

const say = (l: string): void => void process.stderr.write(`[controlplane] ${l}\n`)
const cp = await startControlPlane({ log: say })
const world = await RealWorld.start(cp, {
  nodeGroups: [
    {
      name: 'general-pool',
      max: 6,
      provisionSeconds: 5,
      template: { cpu: '4', memory: '16Gi', labels: { pool: 'general' } }
    }
  ]
})
say(`nodes: ${[...world.kubelets.nodes.keys()].join(', ')}; autoscaler node group general-pool (max 6)`)
const token = await cp.deployerToken({ namespace: 'default', buildNamespace: 'ci' })
const dir = join(cp.dir, 'kubeconfigs')
mkdirSync(dir, { recursive: true })
const admin = join(dir, 'admin')
const deployer = join(dir, 'deployer')
writeFileSync(admin, cp.adminKubeconfig(), { mode: 0o600 })
writeFileSync(deployer, kubeconfigFor(cp.url, cp.caPem, token, 'deployer'), { mode: 0o600 })
console.log(`KUBECONFIG=${admin}`)
console.log(`KUBECONFIG=${deployer}`)
say(
  'the first is cluster-admin; the second is ServiceAccount ci/deployer bound by deploy/rbac.yaml in namespace default'
)
say('serving; Ctrl-C to stop')
const stop = async (): Promise<void> => {
  say('stopping')
  await world.stop()
  await cp.stop()
  process.exit(0)
}
process.on('SIGINT', () => void stop())
process.on('SIGTERM', () => void stop())
