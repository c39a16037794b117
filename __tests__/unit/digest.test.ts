import { parseDigestRef, parseImageID } from '../../src/digest/digest.js'
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
