// `npm run demo`: the seeds' story as the real control plane told it, replayed on the test cluster in about ten
// seconds, verified by the bundled action run exactly as the runner runs it.
import { existsSync } from 'node:fs'
import { kubeconfigYaml } from '../testcluster/kubeconfig.js'
import { play, BUILD_NS, NS } from '../testcluster/stories/stand-in.js'
import { seedsStory } from '../testcluster/stories/recorded.js'
import { runAction } from '../testcluster/run-action.js'

// The recording tells the 110 seconds in 9.3 (the build pushes at 6.3 s): played as it was recorded.
const SCALE = 1
if (!existsSync('dist/index.js')) {
  console.error('dist/index.js is missing: run `npm run bundle` first')
  process.exit(2)
}
console.log(
  "kube-verdict demo: the seeds' timeline on the built-in test cluster, replaying the real control plane's run\n"
)
console.log(
  'A platform check on a fixed clock would meet the build still compiling and say "build failed". kube-verdict waits for the facts.\n'
)
const pb = await play(seedsStory(), { scale: SCALE })
const inputs = {
  workload: 'deployment/web',
  namespace: NS,
  'build-pod': 'job-name=build-42',
  'build-namespace': BUILD_NS,
  timeout: '60s',
  kubeconfig: kubeconfigYaml(pb.server)
}
console.log(
  `running: node dist/index.js with INPUT_WORKLOAD=deployment/web INPUT_NAMESPACE=${NS} INPUT_BUILD-POD=job-name=build-42 INPUT_BUILD-NAMESPACE=${BUILD_NS} INPUT_TIMEOUT=60s INPUT_KUBECONFIG=<test cluster>\n`
)
const run = await runAction(inputs, {
  keep: true,
  onStdout: chunk => {
    for (const line of chunk.split('\n'))
      if (line && !line.startsWith('::add-mask::')) console.log(`  [action] ${line}`)
  }
})
await pb.stop()
const settled = pb.settledAtMs
console.log('\n--- result ---')
console.log(`verdict:        ${run.outputs.verdict}`)
console.log(`reason:         ${run.outputs.reason}`)
console.log(`built digest:   ${run.outputs['built-digest']}`)
console.log(`running:        ${run.outputs['running-digests']}`)
console.log(`elapsed:        ${run.outputs['elapsed-seconds']} s (exit code ${run.exitCode})`)
if (settled)
  console.log(
    `the rollout completed in the cluster; the action had its verdict ${((Date.now() - settled) / 1000).toFixed(2)} s later, process exit included`
  )
console.log(`job summary:    ${run.summaryPath}`)
process.exit(run.outputs.verdict === 'success' ? 0 : 1)
