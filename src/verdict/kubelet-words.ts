// The kubelet's words as facts, and those facts in our words: why a pull failed, which Secret or ConfigMap a
// container lacks, why a pod sandbox could not be made. Parsers of untrusted text and their renderings only.
import type { ConfigRef, PullKind } from './types.js'

export function pullKind(message: string): PullKind {
  if (
    /unauthorized|authentication required|authorization failed|insufficient_scope|\b401\b|\b403\b|forbidden|no basic auth credentials|denied: /i.test(
      message
    ) &&
    !/may require authorization/i.test(message)
  )
    return 'credentials'
  if (/pull access denied|may require authorization/i.test(message)) return 'missing-or-credentials'
  if (/not found|manifest unknown|name unknown|does not exist/i.test(message)) return 'not-found'
  if (
    /timeout|timed out|deadline exceeded|connection refused|connection reset|no such host|TLS handshake|toomanyrequests|too many requests|\b429\b|\b50[234]\b|EOF/i.test(
      message
    )
  )
    return 'unreachable'
  return 'other'
}

const PULL_WORDS: Record<PullKind, string> = {
  credentials: 'registry refused the credentials (check imagePullSecrets)',
  'missing-or-credentials': 'the repository does not exist or needs credentials',
  'not-found': 'the image or tag does not exist in the registry',
  unreachable: 'the registry could not be reached or throttled the pull (may be transient)',
  other: 'the image could not be pulled'
}

export function describePull(kind: PullKind): string {
  return PULL_WORDS[kind]
}

/** The kubelet's words for a missing Secret or ConfigMap (or a key missing from one), as facts. */
export function configRefOf(message: string): ConfigRef | undefined {
  let m = /(secret|configmap)s? "([^"]+)" not found/i.exec(message)
  if (m) return { object: m[1]!.toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap', name: m[2]! }
  m = /couldn't find key (\S+) in (Secret|ConfigMap) ([^\s,]+)/i.exec(message)
  if (m) return { object: m[2]!.toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap', name: m[3]!, key: m[1]! }
  return undefined
}

export function describeConfigRef(r: ConfigRef): string {
  return r.key
    ? `key "${r.key}" is missing from ${r.object} ${r.name}`
    : `${r.object} "${r.name}" does not exist`
}

/** The CNI plugin ran out of addresses (the sandbox failure that a platform team fixes by adding IP space). */
export const IP_EXHAUSTION =
  /assign an IP|no available IP|IP addresses? (are )?exhausted|failed to allocate|ipam|no IP addresses available|insufficient.*IP/i

export function classifySandbox(message: string): string {
  if (IP_EXHAUSTION.test(message)) return 'the CNI plugin could not assign an IP address (IP exhaustion)'
  const plugin = /plugin type="([^"]+)"/.exec(message)
  return plugin
    ? `the CNI plugin "${plugin[1]}" failed to set up the pod network`
    : 'the pod sandbox (network) could not be created'
}
