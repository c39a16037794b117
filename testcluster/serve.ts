// Serves a scenario on loopback for hands-on use: `npm run cluster -- seeds` then `kubectl --kubeconfig …`.
import { play } from './scenario.js'
import { writeKubeconfig } from './kubeconfig.js'
import { rollingUpdate, seedsTimeline } from './scenarios.js'

const name = process.argv[2] ?? 'seeds'
const scale = Number(process.argv[3] ?? 1)
const scenarios = { seeds: seedsTimeline, rolling: () => rollingUpdate(3) }
const make = scenarios[name as keyof typeof scenarios]
if (!make) {
  console.error(`unknown scenario ${name}; one of: ${Object.keys(scenarios).join(', ')}`)
  process.exit(2)
}
const pb = await play(make(), { scale })
console.log(`KUBECONFIG=${writeKubeconfig(pb.server, { namespace: 'shop' })}`)
console.log('serving; Ctrl-C to stop')
