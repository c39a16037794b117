import { buildDestinations } from '../../src/digest/destination.js'
import { parseDigestRef, parseImageID, parseImageReference } from '../../src/digest/digest.js'
import type { Container, Pod } from '../../src/kube/types.js'
import { parseDigestFile, readBuildLog } from '../../src/digest/sources.js'

const HEX = 'a'.repeat(60) + '0b1c'
const D = `sha256:${HEX}`

describe('parseDigestRef', () => {
  test.each([
    [D, { digest: D }],
    [`registry.example.com/shop/web@${D}`, { digest: D, repository: 'registry.example.com/shop/web' }],
    [`registry.example.com/shop/web:1.4.2@${D}`, { digest: D, repository: 'registry.example.com/shop/web' }],
    [`localhost:5000/web@${D}`, { digest: D, repository: 'localhost:5000/web' }],
    [`  ${D}\n`, { digest: D }]
  ])('%s', (text, want) => expect(parseDigestRef(text)).toEqual(want))

  test.each([
    ['sha256:1234', /64/],
    [`sha512:${HEX}`, /sha512/],
    [`sha256:${'g'.repeat(64)}`, /hexadecimal/],
    [`${D} ${D}`, /white space/],
    [HEX, /prefix/]
  ])('rejects %s', (text, why) => expect(() => parseDigestRef(text)).toThrow(why))
})

describe('parseImageID', () => {
  test('containerd: repo@digest (repository may be a mirror)', () => {
    expect(parseImageID(`mirror.internal/shop/web@${D}`)).toEqual({
      kind: 'manifest',
      digest: D,
      repository: 'mirror.internal/shop/web'
    })
  })
  test('dockershim: docker-pullable://', () => {
    expect(parseImageID(`docker-pullable://registry.example.com/shop/web@${D}`)).toMatchObject({
      kind: 'manifest',
      digest: D
    })
  })
  test('config digests are not comparable', () => {
    expect(parseImageID(`docker://${D}`)).toEqual({ kind: 'config', digest: D })
    expect(parseImageID(D)).toEqual({ kind: 'config', digest: D })
  })
  test('empty while pulling', () => expect(parseImageID('')).toEqual({ kind: 'pending' }))
})

describe('readBuildLog: Kaniko in each log format, and BuildKit', () => {
  const ref = `registry.example.com/shop/web@${D}`
  test('colour (default)', () => {
    const log = `\u001b[36mINFO\u001b[0m[0085] Pushing image to registry.example.com/shop/web:1.4.2\n\u001b[36mINFO\u001b[0m[0090] Pushed ${ref}\n`
    expect(readBuildLog(log).pushed).toEqual([{ digest: D, repository: 'registry.example.com/shop/web' }])
  })
  test('text (logfmt)', () => {
    const log = `time="2026-11-21T19:00:00Z" level=info msg="Pushed ${ref}"\n`
    expect(readBuildLog(log).pushed[0]!.digest).toBe(D)
  })
  test('json', () => {
    const log = JSON.stringify({ level: 'info', msg: `Pushed ${ref}`, time: '2026-11-21T19:00:00Z' }) + '\n'
    expect(readBuildLog(log).pushed[0]!.digest).toBe(D)
  })
  test('one Pushed line per destination (Kaniko >= 1.8)', () => {
    const log = `INFO[0090] Pushed ${ref}\nINFO[0091] Pushed registry.example.com/shop/web-mirror@${D}\n`
    expect(readBuildLog(log).pushed).toHaveLength(2)
  })
  test('BuildKit: pushing manifest for', () => {
    const log = `#14 pushing manifest for registry.example.com/shop/web:1.4.2@${D} 0.4s done\n`
    expect(readBuildLog(log).pushed[0]).toEqual({ digest: D, repository: 'registry.example.com/shop/web' })
  })
  test('errors are collected in every format', () => {
    const log = [
      '\u001b[31mERRO\u001b[0m[0052] error building image: error building stage: failed to execute command: waiting for process to exit: exit status 2',
      'time="x" level=error msg="failed to get filesystem from image"',
      '{"level":"fatal","msg":"error checking push permissions"}',
      'error building image: parsing dockerfile: dockerfile parse error line 3'
    ].join('\n')
    const facts = readBuildLog(log)
    expect(facts.pushed).toEqual([])
    expect(facts.errors).toHaveLength(4)
  })
})

describe('parseDigestFile', () => {
  test('Kaniko --digest-file (no newline)', () =>
    expect(parseDigestFile(Buffer.from(D))).toEqual([{ digest: D }]))
  test('--image-name-with-digest-file (one ref a line)', () => {
    expect(parseDigestFile(Buffer.from(`reg.io/a/web@${D}\nreg.io/b/web@${D}\n`))).toHaveLength(2)
  })
  test('buildx --metadata-file', () => {
    const json = {
      'containerimage.digest': D,
      'image.name': 'reg.io/shop/web:1.4.2,reg.io/shop/web:latest',
      'buildx.build.ref': 'x'
    }
    expect(parseDigestFile(Buffer.from(JSON.stringify(json)))).toEqual([
      { digest: D, repository: 'reg.io/shop/web' }
    ])
  })
  test('bake metadata (one object per target)', () => {
    expect(parseDigestFile(Buffer.from(JSON.stringify({ web: { 'containerimage.digest': D } })))).toEqual([
      { digest: D }
    ])
  })
  test.each([
    [Buffer.from(''), /empty/],
    [Buffer.from('  \n'), /white space/],
    [Buffer.from([0x00, 0x01, 0x02]), /binary/],
    [Buffer.alloc(2 * 1024 * 1024, 'a'), /1 MiB/],
    [Buffer.from('{"x": 1}'), /containerimage.digest/],
    [Buffer.from('{oops'), /does not parse/],
    [Buffer.from('sha256:abc'), /line 1/]
  ])('rejects bad content %#', (buf, why) => expect(() => parseDigestFile(buf)).toThrow(why))
})

describe('parseImageReference', () => {
  test.each([
    ['registry.example.com/shop/web:1.4.2', { repository: 'registry.example.com/shop/web', tag: '1.4.2' }],
    ['localhost:5000/web', { repository: 'localhost:5000/web' }],
    ['nginx', { repository: 'nginx' }],
    [`reg.io/a/b:1@${D}`, { repository: 'reg.io/a/b', tag: '1', digest: D }]
  ])('%s', (text, want) => expect(parseImageReference(text)).toEqual(want))
  test.each(['/workspace', '$(IMAGE)', 'reg.io/a/', 'reg.io/a:'])('not a reference: %s', text =>
    expect(parseImageReference(text)).toBeUndefined()
  )
})

describe('buildDestinations: where a build pod pushes, from its command line', () => {
  const pod = (...containers: Omit<Container, 'name'>[]): Pod => ({
    metadata: { name: 'build-42' },
    spec: { containers: containers.map((c, i) => ({ name: `c${i}`, ...c })) }
  })
  const repo = (r: string, tag: string) => ({ repository: r, tag })

  test('Kaniko: --destination=, --destination VALUE, -d VALUE, several', () => {
    expect(
      buildDestinations(
        pod({
          image: 'gcr.io/kaniko-project/executor:v1.23.2',
          args: [
            '--context=dir:///workspace',
            '--destination=reg.io/shop/web:1.4.2',
            '--destination',
            'reg.io/shop/web:latest',
            '-d',
            'mirror.io/shop/web:1.4.2'
          ]
        })
      )
    ).toEqual([
      repo('reg.io/shop/web', '1.4.2'),
      repo('reg.io/shop/web', 'latest'),
      repo('mirror.io/shop/web', '1.4.2')
    ])
  })

  test("Kaniko: $(VAR) from the container's env, as Kubernetes expands it", () => {
    expect(
      buildDestinations(
        pod({
          args: ['--destination=$(IMAGE):$(TAG)'],
          env: [
            { name: 'IMAGE', value: 'reg.io/shop/web' },
            { name: 'TAG', value: '1.4.2' }
          ]
        })
      )
    ).toEqual([repo('reg.io/shop/web', '1.4.2')])
  })

  test('unreadable: a variable the env does not hold, a shell variable', () => {
    expect(buildDestinations(pod({ args: ['--destination=$(IMAGE)'] }))).toBeUndefined()
    expect(
      buildDestinations(pod({ command: ['sh', '-c', '/kaniko/executor --destination="$IMAGE" --context=.'] }))
    ).toBeUndefined()
  })

  test('a shell script with a literal destination is read word by word', () => {
    expect(
      buildDestinations(
        pod({
          command: ['sh', '-c', 'cp -r /src /workspace && /kaniko/executor --destination reg.io/shop/web:2']
        })
      )
    ).toEqual([repo('reg.io/shop/web', '2')])
  })

  test('BuildKit: --output type=image,name=…,push=true; -o; several names quoted; type=registry', () => {
    const buildctl = (...args: string[]) =>
      buildDestinations(
        pod({ command: ['buildctl-daemonless.sh'], args: ['build', '--frontend', 'dockerfile.v0', ...args] })
      )
    expect(buildctl('--output', 'type=image,name=reg.io/shop/web:1.4.2,push=true')).toEqual([
      repo('reg.io/shop/web', '1.4.2')
    ])
    expect(
      buildctl('-o', 'type=image,"name=reg.io/shop/web:1.4.2,reg.io/shop/web:latest",push=true')
    ).toEqual([repo('reg.io/shop/web', '1.4.2'), repo('reg.io/shop/web', 'latest')])
    expect(buildctl('--output=type=registry,name=reg.io/shop/web:3')).toEqual([repo('reg.io/shop/web', '3')])
    // Built but not pushed: the build will push nothing.
    expect(buildctl('--output', 'type=image,name=reg.io/shop/web:1.4.2')).toEqual([])
    expect(buildctl('--output', 'type=local,dest=/out')).toEqual([])
  })

  test("Kaniko's --no-push pushes nothing; a pod that names no destination is unreadable", () => {
    expect(buildDestinations(pod({ args: ['--destination=reg.io/shop/web:1', '--no-push'] }))).toEqual([])
    expect(buildDestinations(pod({ args: ['build', '-t', 'reg.io/shop/web:1'] }))).toBeUndefined()
    // -d of another program is not an image.
    expect(buildDestinations(pod({ command: ['sh', '-c', 'test -d /workspace && make'] }))).toBeUndefined()
  })
})
