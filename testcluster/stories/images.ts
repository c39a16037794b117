// The shop's images as both worlds tell them: one repository, the serving 1.4.1 and the built 1.4.2 under fixed
// digests (the stand-in and the real registry agree on them), and the Kaniko log line a build pod prints.
import { fakeDigest } from '../world.js'

export const REPO = 'registry.example.com/shop/web'
export const OLD_DIGEST = fakeDigest('web:1.4.1')
export const NEW_DIGEST = fakeDigest('web:1.4.2')
export const V1 = `${REPO}:1.4.1`
export const V2 = `${REPO}:1.4.2`

const ANSI_INFO = '\u001b[36mINFO\u001b[0m'
const ANSI_ERRO = '\u001b[31mERRO\u001b[0m'

/** Kaniko's default (colour) log line: `INFO[0090] Pushed …`. */
export function kaniko(second: number, msg: string, level: 'INFO' | 'ERRO' = 'INFO'): string {
  return `${level === 'INFO' ? ANSI_INFO : ANSI_ERRO}[${String(second).padStart(4, '0')}] ${msg}`
}
