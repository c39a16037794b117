// `expected-digest`, `digest-file` and `build-pod` (with `build-namespace`): where the built digest comes from.
import { readFileSync, statSync } from 'node:fs'
import { parseDigestRef, DigestSyntaxError, type DigestRef } from '../digest/digest.js'
import { parseDigestFile, DigestFileError, type DigestSource } from '../digest/sources.js'
import { InputError } from '../errors.js'
import { DNS1123_LABEL, DNS1123_SUBDOMAIN, parseNamespace, show, validSelector } from './words.js'

/** `web=sha256:…,worker=registry/worker@sha256:…` (commas or new lines between pairs). */
function digestPairs(text: string): DigestSource {
  const containers: Record<string, DigestRef> = {}
  for (const pair of text
    .split(/[,\n]/)
    .map(p => p.trim())
    .filter(p => p !== '')) {
    const at = pair.indexOf('=')
    const name = pair.slice(0, at).trim()
    if (at < 1 || !DNS1123_LABEL.test(name)) {
      throw new InputError(
        'expected-digest',
        `has ${show(pair)}, which is not a container=digest pair`,
        'web=sha256:<64 hex>,worker=sha256:<64 hex>'
      )
    }
    if (containers[name])
      throw new InputError(
        'expected-digest',
        `names container "${name}" twice`,
        'web=sha256:<64 hex>,worker=sha256:<64 hex>'
      )
    containers[name] = parseDigestRef(pair.slice(at + 1))
  }
  return { kind: 'input', refs: Object.values(containers), containers }
}

/** `expected-digest`: one digest or image reference, or container=digest pairs. */
function digestInput(text: string): DigestSource {
  try {
    if (/^[a-z0-9-]+=/.test(text)) return digestPairs(text)
    return { kind: 'input', refs: [parseDigestRef(text)] }
  } catch (e) {
    if (e instanceof DigestSyntaxError)
      throw new InputError(
        'expected-digest',
        `is ${show(text)}: ${e.message}`,
        'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'
      )
    throw e
  }
}

/** `digest-file`: the file a build tool wrote (a digest, an image reference, or Kaniko's outputs). */
function digestFile(file: string): DigestSource {
  let content: Buffer
  try {
    if (statSync(file).isDirectory())
      throw new InputError('digest-file', `${show(file)} is a directory`, '/workspace/digest')
    content = readFileSync(file)
  } catch (e) {
    if (e instanceof InputError) throw e
    throw new InputError(
      'digest-file',
      `${show(file)} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
      '/workspace/digest'
    )
  }
  try {
    return { kind: 'file', path: file, refs: parseDigestFile(content) }
  } catch (e) {
    if (e instanceof DigestFileError)
      throw new InputError('digest-file', `${show(file)} ${e.message}`, '/workspace/digest')
    throw e
  }
}

/** `build-pod`: a pod name, or a label selector whose newest pod is the build. */
function buildPodSource(buildPod: string, namespace: string | undefined): DigestSource {
  if (buildPod.includes('=') || buildPod.includes(' in ') || buildPod.startsWith('!')) {
    if (!validSelector(buildPod))
      throw new InputError('build-pod', `${show(buildPod)} is not a label selector`, 'job-name=build-42')
    return { kind: 'build-pod', namespace, selector: buildPod }
  }
  if (buildPod.length > 253 || !DNS1123_SUBDOMAIN.test(buildPod)) {
    throw new InputError(
      'build-pod',
      `${show(buildPod)} is neither a pod name nor a label selector`,
      'job-name=build-42'
    )
  }
  return { kind: 'build-pod', namespace, name: buildPod }
}

export function parseDigestSource(
  get: (name: string) => string,
  namespace: string | undefined
): DigestSource | undefined {
  const digestText = get('expected-digest').trim()
  const file = get('digest-file').trim()
  const buildPod = get('build-pod').trim()
  const given = [digestText && 'expected-digest', file && 'digest-file', buildPod && 'build-pod'].filter(
    Boolean
  )
  if (given.length > 1) {
    throw new InputError(
      given[1] as string,
      `conflicts with '${given[0]}'; give one source of the built digest`,
      given[1] === 'build-pod' ? 'job-name=build-42' : 'sha256:<64 hex>'
    )
  }
  if (digestText) return digestInput(digestText)
  if (file) return digestFile(file)
  if (buildPod)
    return buildPodSource(buildPod, parseNamespace('build-namespace', get('build-namespace')) ?? namespace)
  if (get('build-namespace').trim() !== '')
    throw new InputError('build-namespace', "is set but 'build-pod' is not", 'ci')
  return undefined
}
