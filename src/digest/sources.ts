// Where the built digest comes from: a digest file's text, and a build pod's log or termination message.
import { isDigest, parseDigestRef, type DigestRef, type Sha256 } from './digest.js'

/** What the inputs say of the built digest: given, in a file, or in a build pod's log. */
export type DigestSource =
  | {
      kind: 'input'
      refs: DigestRef[]
      /** `container=digest` pairs: several built images, each compared in its own container. */
      containers?: Record<string, DigestRef>
    }
  | { kind: 'file'; path: string; refs: DigestRef[] }
  | { kind: 'build-pod'; namespace?: string; name?: string; selector?: string }

const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g
const REF_WITH_DIGEST = /([a-z0-9][\w.\-/:]*@sha256:[0-9a-f]{64})/
const PUSHED = new RegExp(String.raw`\bPushed\s+` + REF_WITH_DIGEST.source)
const BUILDKIT_MANIFEST = new RegExp(String.raw`pushing manifest for\s+` + REF_WITH_DIGEST.source)

export function stripAnsi(s: string): string {
  return s.replace(ANSI, '')
}

/** The message of one log line in any of Kaniko's formats: colour (default), `text` (logfmt) or `json`. */
function messageOf(line: string): { msg: string; level?: string } {
  const plain = stripAnsi(line).trim()
  if (plain.startsWith('{')) {
    try {
      const j = JSON.parse(plain) as { msg?: unknown; level?: unknown }
      if (typeof j.msg === 'string')
        return { msg: j.msg, level: typeof j.level === 'string' ? j.level : undefined }
    } catch {
      // not JSON after all
    }
  }
  const logfmt = /\blevel=(\w+).*?\bmsg="((?:[^"\\]|\\.)*)"/.exec(plain)
  if (logfmt) return { msg: logfmt[2]!.replace(/\\"/g, '"'), level: logfmt[1] }
  const colour = /^(INFO|WARN|ERRO|FATA|DEBU|TRAC)\[\d+\]\s*(.*)$/.exec(plain)
  if (colour)
    return {
      msg: colour[2]!,
      level: { INFO: 'info', WARN: 'warning', ERRO: 'error', FATA: 'fatal', DEBU: 'debug', TRAC: 'trace' }[
        colour[1]!
      ]
    }
  return { msg: plain }
}

export interface BuildLogFacts {
  /** Every `Pushed ref@sha256:…` (one per destination since Kaniko 1.8), in order. */
  pushed: DigestRef[]
  /** Error lines (level error/fatal, `error building image`), last ones last. */
  errors: string[]
}

export function readBuildLog(log: string): BuildLogFacts {
  const pushed: DigestRef[] = []
  const errors: string[] = []
  for (const line of log.split('\n')) {
    if (line.trim() === '') continue
    const { msg, level } = messageOf(line)
    const m = PUSHED.exec(msg) ?? BUILDKIT_MANIFEST.exec(msg)
    if (m) {
      pushed.push(parseDigestRef(m[1]!))
      continue
    }
    if (
      level === 'error' ||
      level === 'fatal' ||
      /^error (building|checking|pushing)\b|^ERROR:|^error:/i.test(msg)
    )
      errors.push(msg)
  }
  return { pushed, errors }
}

/** A digest written to the termination message (`--digest-file=/dev/termination-log`). */
export function digestFromTerminationMessage(message: string | undefined): Sha256 | undefined {
  const t = (message ?? '').trim()
  return isDigest(t) ? t : undefined
}

export class DigestFileError extends Error {}

const MAX_DIGEST_FILE = 1024 * 1024

/**
 * A digest file's content: Kaniko `--digest-file` (`sha256:…`), `--image-name-with-digest-file` (one
 * `ref@sha256:…` a line), or a buildx `--metadata-file` / bake metadata JSON (`containerimage.digest`).
 */
export function parseDigestFile(content: Buffer): DigestRef[] {
  if (content.length === 0) throw new DigestFileError('is empty')
  if (content.length > MAX_DIGEST_FILE)
    throw new DigestFileError(`is ${content.length} bytes; a digest file is under 1 MiB`)
  if (content.includes(0)) throw new DigestFileError('is binary, not text')
  const text = content.toString('utf8').trim()
  if (text === '') throw new DigestFileError('holds only white space')
  if (text.startsWith('{')) {
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      throw new DigestFileError('looks like JSON but does not parse')
    }
    const refs = fromMetadata(json)
    if (refs.length === 0) throw new DigestFileError('is JSON without a "containerimage.digest"')
    return refs
  }
  const refs: DigestRef[] = []
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === '') continue
    try {
      refs.push(parseDigestRef(line))
    } catch (e) {
      throw new DigestFileError(`line ${i + 1}: ${(e as Error).message}`)
    }
  }
  return refs
}

function fromMetadata(json: unknown): DigestRef[] {
  if (json === null || typeof json !== 'object') return []
  const o = json as Record<string, unknown>
  const d = o['containerimage.digest']
  if (typeof d === 'string' && isDigest(d)) {
    const names = typeof o['image.name'] === 'string' ? (o['image.name'] as string).split(',') : []
    const repo = names[0]?.trim()
    return [{ digest: d, ...(repo ? { repository: repo.replace(/@.*$/, '').replace(/:[^/:]+$/, '') } : {}) }]
  }
  // bake: { target: { "containerimage.digest": … }, … }
  return Object.values(o).flatMap(v =>
    v && typeof v === 'object' && !Array.isArray(v) ? fromMetadata(v) : []
  )
}
