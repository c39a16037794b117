// Helm's release storage, read as Helm writes it (helm.sh/helm pkg/storage/driver): one Secret (or ConfigMap with
// HELM_DRIVER=configmap) per revision, `sh.helm.release.v1.NAME.vN`, labelled owner=helm, name, status, version;
// `release` is base64 of the gzipped JSON release (the Secret's data adds Kubernetes' own base64 on top).
// The release holds the chart's values, which may be secrets: only status, description and manifest are kept,
// and nothing of it is ever logged. Pure.
import { gunzipSync } from 'node:zlib'
import { parseAllDocuments } from 'yaml'
import { kindOfManifest } from '../kinds/registry.js'
import type { Located, StageState } from './stage.js'

/** What kube-verdict keeps of one revision's release record. */
export interface HelmRecord {
  version: number
  status: string
  description: string
  manifest: string
  namespace?: string
}

/** One revision as its storage object's labels show it (read without the release data). */
export interface HelmRevision {
  /** The storage object's name: `sh.helm.release.v1.web.v4`. */
  object: string
  version: number
  status: string
}

export class HelmDecodeError extends Error {}

const GZIP = [0x1f, 0x8b, 0x08]
/** A release's JSON is rarely over a few MiB; a bomb is cut off here. */
const MAX_JSON = 64 * 1024 * 1024

/**
 * Helm's decodeRelease: base64, then gunzip when the gzip magic leads (older releases are plain JSON). `stored`
 * is Helm's string: the ConfigMap's `data.release`, or the Secret's `data.release` after Kubernetes' base64.
 */
export function decodeRelease(stored: string): HelmRecord {
  let bytes = Buffer.from(stored, 'base64')
  if (bytes.length > 3 && GZIP.every((b, i) => bytes[i] === b)) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_JSON })
    } catch (e) {
      throw new HelmDecodeError(`the release record does not gunzip (${(e as NodeJS.ErrnoException).code})`)
    }
  }
  let rel: {
    version?: unknown
    namespace?: unknown
    manifest?: unknown
    info?: { status?: unknown; description?: unknown }
  }
  try {
    rel = JSON.parse(bytes.toString('utf8')) as typeof rel
  } catch {
    throw new HelmDecodeError('the release record is not Helm’s JSON')
  }
  const str = (v: unknown): string => (typeof v === 'string' ? v : '')
  return {
    version: typeof rel.version === 'number' ? rel.version : 0,
    status: str(rel.info?.status),
    description: str(rel.info?.description),
    manifest: str(rel.manifest),
    ...(typeof rel.namespace === 'string' && rel.namespace ? { namespace: rel.namespace } : {})
  }
}

/** The storage object's `data.release` as Helm wrote it: Secrets carry it under Kubernetes' base64 too. */
export function storedRelease(driver: 'secret' | 'configmap', data: string): string {
  return driver === 'secret' ? Buffer.from(data, 'base64').toString('latin1') : data
}

/** The newest revision by the `version` label. */
export function newestRevision(revisions: HelmRevision[]): HelmRevision | undefined {
  return revisions.reduce<HelmRevision | undefined>(
    (n, r) => (!n || r.version > n.version ? r : n),
    undefined
  )
}

/** Helm's own wait gave up (`--wait`/`--atomic` timeout): the objects were applied; only Helm stopped waiting. */
const WAIT_GAVE_UP = /timed out waiting for the condition|context deadline exceeded|resource not ready/i
/** A hook that failed or timed out: the release's objects may never have been applied. */
const HOOK = /\bhooks? failed|\bhook\b/i

/** Whether a failed release's description is only Helm's wait giving up. */
export function waitGaveUp(description: string): boolean {
  return WAIT_GAVE_UP.test(description) && !HOOK.test(description)
}

/** The statuses a release passes through while Helm works on it. */
const PENDING = new Set(['pending-install', 'pending-upgrade', 'pending-rollback', 'uninstalling', 'unknown'])

/** Statuses whose record must be read (description, manifest) to decide. */
export function needsRecord(status: string): boolean {
  return status === 'deployed' || status === 'failed'
}

/**
 * Where the release stands: `newest` is the newest revision by label; `record` its decoded release, read when the
 * status needs it. `want`: the revision the deploy step made (else the newest is judged).
 */
export function helmStage(
  release: string,
  namespace: string,
  newest: HelmRevision | undefined,
  record: HelmRecord | undefined,
  want?: number
): StageState {
  const name = `Helm release ${release}`
  if (!newest) return { phase: 'absent', status: `${name} has no revision in namespace ${namespace}` }
  const at = `revision ${newest.version}: ${newest.status}`
  if (want !== undefined && newest.version < want)
    return { phase: 'waiting', status: at, waitingFor: `${name} revision ${want} (newest is ${at})` }
  // Helm numbers revisions in the order it makes them: a higher one came after (an upgrade, or a rollback).
  if (want !== undefined && newest.version > want)
    return {
      phase: 'superseded',
      status: at,
      wanted: String(want),
      by: String(newest.version),
      evidence: `Helm made revision ${newest.version} after it (${newest.status})`
    }
  if (PENDING.has(newest.status))
    return { phase: 'waiting', status: at, waitingFor: `Helm to finish ${name} ${at}` }
  if (newest.status === 'uninstalled')
    return {
      phase: 'failed',
      status: at,
      revision: String(newest.version),
      message: `${name} was uninstalled`
    }
  if (!needsRecord(newest.status) || !record)
    return { phase: 'waiting', status: at, waitingFor: `${name} ${at} to be deployed` }
  const revision = String(newest.version)
  if (record.status === 'failed' && !waitGaveUp(record.description))
    return {
      phase: 'failed',
      status: at,
      revision,
      message: record.description || `${name} revision ${revision} failed`
    }
  const { workloads, others } = workloadsOfManifest(record.manifest, record.namespace ?? namespace)
  return {
    phase: 'applied',
    status: at,
    revision,
    workloads,
    others,
    ...(record.status === 'failed' ? { falseAlarm: record.description } : {})
  }
}

/** The workloads of a rendered manifest (Helm's, or any multi-document YAML), each in its namespace. */
export function workloadsOfManifest(
  manifest: string,
  namespace: string
): { workloads: Located[]; others: number } {
  const workloads: Located[] = []
  let others = 0
  for (const doc of parseAllDocuments(manifest, { uniqueKeys: false })) {
    if (doc.errors.length > 0) continue
    const kind = doc.getIn(['kind'])
    const name = doc.getIn(['metadata', 'name'])
    if (typeof kind !== 'string' || typeof name !== 'string') continue
    const known = kindOfManifest(String(doc.getIn(['apiVersion']) ?? ''), kind)
    if (!known || known === 'Pods') {
      others++
      continue
    }
    const ns = doc.getIn(['metadata', 'namespace'])
    const located = { ref: { kind: known, name }, namespace: typeof ns === 'string' && ns ? ns : namespace }
    if (
      !workloads.some(w => w.ref.kind === known && w.ref.name === name && w.namespace === located.namespace)
    )
      workloads.push(located)
  }
  return { workloads, others }
}
