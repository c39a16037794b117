// The resources the test cluster serves, with the discovery data kubectl and client-go read.
export interface ResourceInfo {
  group: string // '' for core
  version: string
  plural: string
  singular: string
  kind: string
  namespaced: boolean
  shortNames: string[]
  subresources?: string[]
  /** The kind objects carry when `kind` had to be made unique here (Knative's Service). */
  servedKind?: string
}

const VERBS = ['get', 'list', 'watch']

export const RESOURCES: ResourceInfo[] = [
  {
    group: '',
    version: 'v1',
    plural: 'pods',
    singular: 'pod',
    kind: 'Pod',
    namespaced: true,
    shortNames: ['po'],
    subresources: ['log', 'status']
  },
  {
    group: '',
    version: 'v1',
    plural: 'events',
    singular: 'event',
    kind: 'Event',
    namespaced: true,
    shortNames: ['ev']
  },
  {
    group: '',
    version: 'v1',
    plural: 'namespaces',
    singular: 'namespace',
    kind: 'Namespace',
    namespaced: false,
    shortNames: ['ns']
  },
  {
    group: '',
    version: 'v1',
    plural: 'nodes',
    singular: 'node',
    kind: 'Node',
    namespaced: false,
    shortNames: ['no']
  },
  {
    group: '',
    version: 'v1',
    plural: 'secrets',
    singular: 'secret',
    kind: 'Secret',
    namespaced: true,
    shortNames: []
  },
  {
    group: '',
    version: 'v1',
    plural: 'configmaps',
    singular: 'configmap',
    kind: 'ConfigMap',
    namespaced: true,
    shortNames: ['cm']
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    singular: 'deployment',
    kind: 'Deployment',
    namespaced: true,
    shortNames: ['deploy'],
    subresources: ['status']
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'replicasets',
    singular: 'replicaset',
    kind: 'ReplicaSet',
    namespaced: true,
    shortNames: ['rs'],
    subresources: ['status']
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'statefulsets',
    singular: 'statefulset',
    kind: 'StatefulSet',
    namespaced: true,
    shortNames: ['sts'],
    subresources: ['status']
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'daemonsets',
    singular: 'daemonset',
    kind: 'DaemonSet',
    namespaced: true,
    shortNames: ['ds'],
    subresources: ['status']
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'controllerrevisions',
    singular: 'controllerrevision',
    kind: 'ControllerRevision',
    namespaced: true,
    shortNames: []
  },
  {
    group: 'batch',
    version: 'v1',
    plural: 'jobs',
    singular: 'job',
    kind: 'Job',
    namespaced: true,
    shortNames: [],
    subresources: ['status']
  },
  // Custom resources the deploys of serverless platforms and progressive delivery touch.
  {
    group: 'serving.knative.dev',
    version: 'v1',
    plural: 'services',
    singular: 'service',
    kind: 'KnativeService',
    servedKind: 'Service',
    namespaced: true,
    shortNames: ['kservice', 'ksvc'],
    subresources: ['status']
  },
  {
    group: 'serving.knative.dev',
    version: 'v1',
    plural: 'configurations',
    singular: 'configuration',
    kind: 'Configuration',
    namespaced: true,
    shortNames: ['config', 'cfg'],
    subresources: ['status']
  },
  {
    group: 'serving.knative.dev',
    version: 'v1',
    plural: 'revisions',
    singular: 'revision',
    kind: 'Revision',
    namespaced: true,
    shortNames: ['rev'],
    subresources: ['status']
  },
  {
    group: 'serving.kserve.io',
    version: 'v1beta1',
    plural: 'inferenceservices',
    singular: 'inferenceservice',
    kind: 'InferenceService',
    namespaced: true,
    shortNames: ['isvc'],
    subresources: ['status']
  },
  // A team's own CRD with kstatus-style conditions (Ready, Reconciling, Stalled), for the generic rule.
  {
    group: 'db.example.com',
    version: 'v1',
    plural: 'databases',
    singular: 'database',
    kind: 'Database',
    namespaced: true,
    shortNames: [],
    subresources: ['status']
  },
  {
    group: 'argoproj.io',
    version: 'v1alpha1',
    plural: 'rollouts',
    singular: 'rollout',
    kind: 'Rollout',
    namespaced: true,
    shortNames: ['ro'],
    subresources: ['status']
  }
]

export function groupVersion(r: { group: string; version: string }): string {
  return r.group === '' ? r.version : `${r.group}/${r.version}`
}

export function findResource(group: string, version: string, plural: string): ResourceInfo | undefined {
  return RESOURCES.find(r => r.group === group && r.version === version && r.plural === plural)
}

export function resourceForKind(kind: string): ResourceInfo {
  const r = RESOURCES.find(x => x.kind === kind)
  if (!r) throw new Error(`test cluster serves no kind ${kind}`)
  return r
}

export function discoveryVersion(): object {
  return {
    major: '1',
    minor: '32',
    gitVersion: 'v1.32.4-kubeverdict.test',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-11-01T00:00:00Z',
    goVersion: 'go1.23.8',
    compiler: 'gc',
    platform: 'linux/amd64'
  }
}

export function discoveryCore(): object {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:443' }]
  }
}

export function discoveryGroups(): object {
  const groups = [...new Set(RESOURCES.filter(r => r.group !== '').map(r => r.group))]
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups.map(g => {
      const version = RESOURCES.find(r => r.group === g)!.version
      const gv = { groupVersion: `${g}/${version}`, version }
      return { name: g, versions: [gv], preferredVersion: gv }
    })
  }
}

export function discoveryResources(group: string, version: string): object | undefined {
  const rs = RESOURCES.filter(r => r.group === group && r.version === version)
  if (rs.length === 0) return undefined
  const list: object[] = []
  for (const r of rs) {
    list.push({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.servedKind ?? r.kind,
      verbs: VERBS,
      shortNames: r.shortNames
    })
    for (const sub of r.subresources ?? []) {
      list.push({
        name: `${r.plural}/${sub}`,
        singularName: '',
        namespaced: r.namespaced,
        kind: sub === 'log' ? 'Pod' : r.kind,
        verbs: ['get']
      })
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersion({ group, version }),
    resources: list
  }
}
