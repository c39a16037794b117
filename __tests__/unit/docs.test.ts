// The README says what action.yml, the CLI and deploy/rbac.yaml do: every input (with its default), every output,
// every flag, every RBAC rule. A change to one without the other fails here.
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { parse, parseAllDocuments } from 'yaml'

const readme = readFileSync('README.md', 'utf8')
const action = parse(readFileSync('action.yml', 'utf8')) as {
  inputs: Record<string, { description: string; default?: string }>
  outputs: Record<string, { description: string }>
}

/** The rows of the first table after a heading: cells, without the header and separator rows. */
function table(heading: string, after = 0): string[][] {
  const start = readme.indexOf(heading, after)
  expect(start).toBeGreaterThanOrEqual(0)
  const lines = readme.slice(start).split('\n')
  const first = lines.findIndex(l => l.startsWith('|'))
  const rows: string[][] = []
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break
    rows.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map(c => c.trim())
    )
  }
  return rows
}
const codes = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map(m => m[1]!)

describe('README and action.yml agree', () => {
  const rows = table('## Inputs')
  const documented = new Map(rows.map(r => [codes(r[0]!)[0]!, r]))

  test('every input is documented, and nothing else', () => {
    expect([...documented.keys()].sort()).toEqual(Object.keys(action.inputs).sort())
  })

  test.each(Object.entries(action.inputs))('%s: the default matches', (name, spec) => {
    const cell = documented.get(name)?.[2] ?? ''
    const dflt = String(spec.default ?? '')
    if (dflt !== '') expect(codes(cell)).toContain(dflt)
    // An empty default must not be documented as a literal value the runner would pass.
    else expect(/^`[^`]+`$/.test(cell) && !(codes(cell)[0]! in action.inputs)).toBe(false)
  })

  test('every output is documented, and nothing else', () => {
    const outputs = table('## Outputs').flatMap(r => codes(r[0]!))
    expect(outputs.sort()).toEqual(Object.keys(action.outputs).sort())
  })

  test('every kind the workload input names is in the README', () => {
    const kinds = [
      ...action.inputs.workload!.description.matchAll(/(?<![\w.])([a-z][a-z0-9.-]*)\/[a-z0-9-]+/g)
    ].map(m => m[1]!)
    expect(kinds.length).toBeGreaterThan(3)
    const workloadRow = documented.get('workload')!.join(' ')
    for (const k of kinds) expect(workloadRow).toContain(`\`${k}/`)
  })
})

test("the README's CLI flags are the CLI's options", () => {
  const source = readFileSync('src/cli.ts', 'utf8')
  const options = [...source.matchAll(/^\s+'?([a-z][\w-]*)'?: \{ type: '(string|boolean)'/gm)].map(
    m => `--${m[1]}`
  )
  expect(options.length).toBeGreaterThan(10)
  const rows = table('| flag ')
  const flags = rows.flatMap(r => codes(r[0]!)).flatMap(c => c.split(' ')[0]!.match(/^--[\w-]+$/) ?? [])
  expect(flags.sort()).toEqual(options.sort())
  // Each row with an action input names a real one.
  for (const r of rows)
    for (const input of codes(r[1] ?? '')) expect(Object.keys(action.inputs)).toContain(input)
  // --help lists every option too.
  for (const o of options) expect(source).toMatch(new RegExp(`^\\s+(-\\w, )?${o}\\b`, 'm'))
})

test("the README's RBAC table is deploy/rbac.yaml", () => {
  const fromYaml = new Map<string, string>()
  for (const doc of parseAllDocuments(readFileSync('deploy/rbac.yaml', 'utf8'))) {
    const o = doc.toJS() as {
      kind: string
      rules?: { apiGroups: string[]; resources: string[]; verbs: string[] }[]
    }
    if (o.kind !== 'Role' && o.kind !== 'ClusterRole') continue
    for (const rule of o.rules ?? [])
      for (const g of rule.apiGroups)
        for (const r of rule.resources) fromYaml.set(g ? `${r}.${g}` : r, [...rule.verbs].sort().join(', '))
  }
  const fromReadme = new Map<string, string>()
  for (const row of table('| resource ', readme.indexOf('## Security')))
    for (const res of codes(row[0]!))
      fromReadme.set(
        res,
        row[1]!
          .split(',')
          .map(v => v.trim())
          .sort()
          .join(', ')
      )
  expect(Object.fromEntries([...fromReadme].sort())).toEqual(Object.fromEntries([...fromYaml].sort()))
})

test('LICENSE (Apache-2.0, as package.json says), CHANGELOG and the release process exist', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { license: string; version: string }
  expect(pkg.license).toBe('Apache-2.0')
  const license = readFileSync('LICENSE', 'utf8')
  expect(license).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/)
  expect(license).toMatch(/END OF TERMS AND CONDITIONS/)
  expect(readFileSync('CHANGELOG.md', 'utf8')).toContain(`## ${pkg.version}`)
  const releasing = readFileSync('RELEASING.md', 'utf8')
  for (const word of ['vX.Y.Z', 'check-dist', 'git tag -fa v1', 'CHANGELOG.md'])
    expect(releasing).toContain(word)
})

test('the credentials guide covers EKS, GKE, AKS and a ServiceAccount token, each with its permissions', () => {
  expect(existsSync('docs/credentials.md')).toBe(true)
  const guide = readFileSync('docs/credentials.md', 'utf8')
  const sections = guide.split(/^## /m).slice(1)
  const find = (word: string) => sections.find(s => s.startsWith(word)) ?? ''
  for (const [name, needs] of [
    ['Amazon EKS', ['aws-actions/configure-aws-credentials', 'aws eks update-kubeconfig', 'id-token: write']],
    [
      'Google GKE',
      ['google-github-actions/auth', 'get-gke-credentials', 'gke-gcloud-auth-plugin', 'id-token: write']
    ],
    ['Azure AKS', ['azure/login', 'azure/aks-set-context', 'kubelogin', 'id-token: write']],
    ['A ServiceAccount token', ['deploy/rbac.yaml', 'kubectl create token', 'permissions:']]
  ] as const) {
    const section = find(name)
    expect({ name, found: section !== '' }).toEqual({ name, found: true })
    for (const n of needs)
      expect({ name, has: n, ok: section.includes(n) }).toEqual({ name, has: n, ok: true })
    expect(section).toMatch(/permissions:\n/)
  }
  expect(find('A ServiceAccount token')).not.toContain('id-token: write')
})

describe("the README's workflows are the files a real runner runs (__tests__/workflow/examples.test.ts)", () => {
  const dir = 'docs/examples/workflows'
  const blocks = [...readme.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map(m => {
    const before = readme.slice(0, m.index).trimEnd().split('\n').at(-1) ?? ''
    return {
      body: m[1]!.replace(/\n$/, ''),
      from: /^<!-- from (docs\/examples\/workflows\/[\w.-]+\.yml) -->$/.exec(before)?.[1]
    }
  })

  test('every YAML block of the README names the example file it comes from', () => {
    expect(blocks.length).toBeGreaterThan(5)
    expect(blocks.filter(b => !b.from).map(b => b.body.split('\n')[0])).toEqual([])
  })

  test.each(blocks.filter(b => b.from).map(b => [b.from!, b.body] as const))(
    '%s: the README shows it, or a run of its lines, unchanged',
    (from, body) => {
      const lines = readFileSync(from, 'utf8').replace(/\n$/, '').split('\n')
      const shown = body.split('\n')
      // A run of the file's lines, with the indentation of its first line taken off.
      const found = lines.some((_, i) => {
        const indent = /^ */.exec(lines[i]!)![0].length
        return shown.every((l, k) => {
          const line = lines[i + k]
          return (
            line !== undefined &&
            (line.trim() === '' ? l === '' : line.slice(0, indent).trim() === '' && line.slice(indent) === l)
          )
        })
      })
      expect({ from, found }).toEqual({ from, found: true })
    }
  )

  test('every example file is shown in the README, and the first one whole', () => {
    const shown = new Set(blocks.map(b => b.from))
    for (const f of readdirSync(dir))
      expect({ f, shown: shown.has(`${dir}/${f}`) }).toEqual({ f, shown: true })
    expect(blocks[0]!.body + '\n').toBe(readFileSync(blocks[0]!.from!, 'utf8'))
  })
})
