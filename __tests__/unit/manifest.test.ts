// action.yml as a runner loads it. GitHub's runner and act both evaluate `${{ }}` while they read an action's
// metadata and refuse the file when a description holds one ("expressions are not allowed here",
// "Unrecognized named-value: 'secrets'"), so every workflow using the action would fail before the bundle
// runs. __tests__/workflow/ has act load the real file; this guard says why at once.
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'

const text = readFileSync('action.yml', 'utf8')

interface Manifest {
  name: string
  description: string
  inputs: Record<string, Record<string, unknown>>
  outputs: Record<string, Record<string, unknown>>
  runs: Record<string, unknown>
  [k: string]: unknown
}
const manifest = parse(text) as Manifest

test('no expression anywhere in action.yml: runners refuse them in metadata', () => {
  const lines = text.split('\n').flatMap((l, i) => (l.includes('${{') ? [`line ${i + 1}: ${l.trim()}`] : []))
  expect(lines).toEqual([])
})

test('only the keys a node action may have (as the runner schema knows them)', () => {
  const top = ['name', 'description', 'author', 'inputs', 'outputs', 'runs', 'branding']
  expect(Object.keys(manifest).filter(k => !top.includes(k))).toEqual([])
  for (const [name, spec] of Object.entries(manifest.inputs)) {
    expect({
      name,
      keys: Object.keys(spec).filter(k => !['description', 'required', 'default'].includes(k))
    }).toEqual({ name, keys: [] })
    expect({ name, description: typeof spec.description }).toEqual({ name, description: 'string' })
    // The runner passes every input as a string; a YAML number or boolean default would be coerced silently.
    if ('default' in spec) expect({ name, default: typeof spec.default }).toEqual({ name, default: 'string' })
  }
  // `value` belongs to composite actions' outputs only.
  for (const [name, spec] of Object.entries(manifest.outputs))
    expect({ name, keys: Object.keys(spec) }).toEqual({ name, keys: ['description'] })
  expect(manifest.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
})
