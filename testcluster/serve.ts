// Serves a story of the suite on loopback for hands-on use (the stand-in's telling):
//   npm run cluster -- crash-loop 0.5     (a story by name or verdict, and a speed factor: 0.5 = twice as fast)
//   npm run cluster -- --list
// then `kubectl --kubeconfig …` or the CLI with the KUBECONFIG it prints.
import { rmSync } from 'node:fs'
import { dirname } from 'node:path'
import { catalog, cliCommand, findStory } from './stories/find.js'
import { play } from './stories/stand-in.js'
import { writeKubeconfig } from './kubeconfig.js'

const [name = 'seeds', scaleText = '1'] = process.argv.slice(2)
if (name === '--list' || name === '-l' || name === '--help' || name === '-h') {
  console.log(
    'npm run cluster -- STORY [SPEED]   (SPEED: story-seconds to seconds, e.g. 0.1 for ten times faster)\n'
  )
  for (const e of catalog()) console.log(`  ${e.name.padEnd(60)}  → ${e.expect}`)
  process.exit(0)
}
const scale = Number(scaleText)
if (!Number.isFinite(scale) || scale <= 0) {
  console.error(`the speed factor is ${JSON.stringify(scaleText)}; give a positive number, e.g. 1 or 0.1`)
  process.exit(2)
}
let entry
try {
  entry = findStory(name)
} catch (e) {
  console.error((e as Error).message)
  process.exit(2)
}
const pb = await play(entry.scenario(), { scale })
const kubeconfig = writeKubeconfig(pb.server, { namespace: 'shop' })
console.log(`story: ${entry.title} (the suite expects: ${entry.expect}; speed factor ${scale})`)
console.log(`KUBECONFIG=${kubeconfig}`)
console.log(`try:      KUBECONFIG=${kubeconfig} ${cliCommand(entry.inputs)}`)
// For a workflow step (.github/workflows/ci.yml, test-action): the action's inputs, one JSON line.
console.log(`inputs=${JSON.stringify(entry.inputs)}`)
console.log('serving; Ctrl-C to stop')
const stop = (): void => {
  rmSync(dirname(kubeconfig), { recursive: true, force: true })
  void pb.stop().then(() => process.exit(0))
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
