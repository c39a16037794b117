// src/heap.ts: under a stream of parsed objects that are mostly dropped (a 1,000-pod rollout's watch events), V8's
// young generation keeps its starting size instead of doubling up to tens of MB. Run in a child process: the flags
// are the process's own.
import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'

const CHURN = `
if (process.argv[1]) await import(process.argv[1])
const v8 = await import('node:v8')
let keep = []
for (let round = 0; round < 12; round++) {
  for (let i = 0; i < 25_000; i++) {
    const pod = JSON.parse(JSON.stringify({ metadata: { name: 'p' + i, labels: { app: 'web' } }, status: { phase: 'Running', n: [i, round] } }))
    if (i % 10 === 0) keep.push(pod)
  }
  if (keep.length > 20_000) keep = []
}
const ns = v8.getHeapSpaceStatistics().find(s => s.space_name === 'new_space')
console.log(ns.space_size / 1048576)
`

function newSpaceMb(heapModule?: string): number {
  const args = ['--import', 'tsx', '--input-type=module', '-e', CHURN, ...(heapModule ? [heapModule] : [])]
  return Number(execFileSync(process.execPath, args, { encoding: 'utf8' }).trim())
}

test('the young generation keeps its starting size under churn; without src/heap.ts it grows', () => {
  const capped = newSpaceMb(resolve('src/heap.ts'))
  expect(capped).toBeLessThanOrEqual(4)
  expect(newSpaceMb()).toBeGreaterThan(capped)
}, 60_000)
