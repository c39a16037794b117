// Throwaway keys for both test worlds, made with openssl (P-256, ten years): a CA and certificates it signs.
// The stand-in takes PEM strings for its one HTTPS server; the real control plane takes files for its components.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
const DAYS = ['-days', '3650']

function openssl(dir: string, ...args: string[]): void {
  try {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
  } catch (e) {
    throw new Error(
      `the test cluster needs openssl on PATH to make its throwaway keys: ${(e as Error).message}`
    )
  }
}

/** Writes `ca.crt` and `ca.key` into `dir`. */
function makeCa(dir: string, cn: string): void {
  openssl(dir, 'req', '-x509', ...EC, '-keyout', 'ca.key', '-out', 'ca.crt', ...DAYS, '-subj', `/CN=${cn}`)
}

/** Writes `<name>.crt` and `<name>.key` into `dir`, signed by its CA, for the subjectAltName `san`. */
function signCert(dir: string, name: string, cn: string, san: string): void {
  openssl(dir, 'req', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`)
  writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${san}\n`)
  const ca = ['-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial']
  const out = ['-out', `${name}.crt`, ...DAYS, '-extfile', `${name}.ext`]
  openssl(dir, 'x509', '-req', '-in', `${name}.csr`, ...ca, ...out)
}

export interface TlsMaterial {
  caPem: string
  certPem: string
  keyPem: string
}

let cached: TlsMaterial | undefined

/** The stand-in API server's CA and serving certificate for 127.0.0.1, made once per process. */
export function testTls(): TlsMaterial {
  if (cached) return cached
  const dir = mkdtempSync(join(tmpdir(), 'kv-tls-'))
  try {
    makeCa(dir, 'kube-verdict-test-ca')
    signCert(dir, 'server', 'kube-apiserver', 'IP:127.0.0.1,DNS:localhost')
    const read = (f: string): string => readFileSync(join(dir, f), 'utf8')
    cached = { caPem: read('ca.crt'), certPem: read('server.crt'), keyPem: read('server.key') }
    return cached
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Paths of the real control plane's keys. */
export interface Pki {
  caCrt: string
  caKey: string
  apiserverCrt: string
  apiserverKey: string
  saKey: string
  saPub: string
  kubeletCrt: string
  kubeletKey: string
}

/**
 * The real control plane's keys, written into `dir`: a CA, the apiserver's serving certificate, the
 * ServiceAccount token signing key pair, and the simulated kubelets' serving certificate.
 */
export function makePki(dir: string): Pki {
  makeCa(dir, 'kube-verdict-ca')
  // 10.0.0.1 is the `kubernetes` Service's address in --service-cluster-ip-range.
  signCert(
    dir,
    'apiserver',
    'kube-apiserver',
    'IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes.default.svc'
  )
  signCert(dir, 'kubelet', 'kubelet', 'IP:127.0.0.1,DNS:localhost')
  openssl(dir, 'ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'sa.key')
  openssl(dir, 'ec', '-in', 'sa.key', '-pubout', '-out', 'sa.pub')
  const p = (f: string): string => join(dir, f)
  return {
    caCrt: p('ca.crt'),
    caKey: p('ca.key'),
    apiserverCrt: p('apiserver.crt'),
    apiserverKey: p('apiserver.key'),
    saKey: p('sa.key'),
    saPub: p('sa.pub'),
    kubeletCrt: p('kubelet.crt'),
    kubeletKey: p('kubelet.key')
  }
}
