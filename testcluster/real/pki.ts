// The control plane's throwaway keys, made with openssl: a CA, the apiserver's serving certificate, the
// ServiceAccount token signing key pair, and the simulated kubelets' serving certificate.
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

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

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']

export function makePki(dir: string): Pki {
  const run = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
  }
  const p = (f: string): string => join(dir, f)
  run(
    'req',
    '-x509',
    ...EC,
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '3650',
    '-subj',
    '/CN=kube-verdict-ca'
  )
  const sign = (name: string, cn: string, san: string): void => {
    run('req', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`)
    writeFileSync(p(`${name}.ext`), `subjectAltName=${san}\n`)
    run(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.crt`,
      '-days',
      '3650',
      '-extfile',
      `${name}.ext`
    )
  }
  // 10.0.0.1 is the `kubernetes` Service's address in --service-cluster-ip-range.
  sign('apiserver', 'kube-apiserver', 'IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes.default.svc')
  sign('kubelet', 'kubelet', 'IP:127.0.0.1,DNS:localhost')
  run('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'sa.key')
  run('ec', '-in', 'sa.key', '-pubout', '-out', 'sa.pub')
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
