// Helm, Argo CD and Flux on the real control plane. The world plays the tools: it writes what they store and
// report (gitops-tools.ts), applies the objects they "applied", and the real controllers and scheduler run them.
// Times are seconds after the story starts (the action is started at the same moment). Only the real control
// plane tells these stories.
import type { Obj } from '../real/client.js'
import type { RealWorld } from '../real/world.js'
import {
  NEW_SHA,
  NEXT_SHA,
  OLD_SHA,
  application,
  argoStatus,
  argoWrite,
  fluxStatus,
  fluxWrite,
  helmRelease,
  helmReleaseStatus,
  helmReleaseWrite,
  helmSecret,
  kustomization,
  service
} from './gitops-tools.js'
import { NEW_DIGEST, REPO, V1, V2 } from './images.js'
import { deployment, serving, webContainer } from './real.js'
import type { Story, StoryNs } from './story.js'

const sleep = (s: number): Promise<void> => new Promise(r => setTimeout(r, s * 1000))

const webV1 = (s: StoryNs): Obj => deployment(s.app, 'web', [webContainer(V1)])
const webV2 = (s: StoryNs): Obj => deployment(s.app, 'web', [webContainer(V2)])

/** Release web revision 1 deployed with 1.4.1 serving. */
async function helmServing(w: RealWorld, s: StoryNs): Promise<void> {
  await serving(w, s)
  await w.apply(helmSecret(s.app, 1, 'deployed', 'Install complete', [webV1(s), service(s.app)]))
  await w.apply(service(s.app))
}

const helmInputs = (s: StoryNs): Record<string, string> => ({
  'helm-release': 'web',
  namespace: s.app,
  'expected-digest': `${REPO}@${NEW_DIGEST}`
})

// ------------------------------------------------------------------------------------------- Argo CD

/** web 1.4.1 serving, and the Application Synced and Healthy at the old commit. */
async function argoServing(w: RealWorld, s: StoryNs): Promise<void> {
  await serving(w, s)
  await w.apply(service(s.app))
  await w.apply(application(s.app))
  await argoWrite(
    w,
    s.app,
    argoStatus(s.app, {
      synced: OLD_SHA,
      sync: 'Synced',
      health: 'Healthy',
      opRevision: OLD_SHA,
      phase: 'Succeeded',
      message: 'successfully synced (all tasks run)'
    })
  )
}

const argoInputs = (s: StoryNs): Record<string, string> => ({
  'argocd-application': `${s.app}/shop`,
  revision: NEW_SHA.slice(0, 7),
  'expected-digest': `${REPO}@${NEW_DIGEST}`
})

// ---------------------------------------------------------------------------------------------- Flux

async function fluxServing(w: RealWorld, s: StoryNs): Promise<void> {
  await serving(w, s)
  await w.apply(service(s.app))
  await w.apply(kustomization(s.app))
  await fluxWrite(
    w,
    s.app,
    fluxStatus(s.app, {
      applied: OLD_SHA,
      attempted: OLD_SHA,
      ready: 'True',
      reason: 'ReconciliationSucceeded',
      message: `Applied revision: main@sha1:${OLD_SHA}`
    })
  )
}

const fluxInputs = (s: StoryNs): Record<string, string> => ({
  'flux-kustomization': `${s.app}/apps`,
  revision: `main@sha1:${NEW_SHA}`,
  'expected-digest': `${REPO}@${NEW_DIGEST}`
})

// ------------------------------------------------------------------------------------- Flux HelmRelease

/** web 1.4.1 serving: release v1 deployed by the HelmRelease. */
async function helmReleaseServing(w: RealWorld, s: StoryNs): Promise<void> {
  await serving(w, s)
  await w.apply(service(s.app))
  await w.apply(helmSecret(s.app, 1, 'deployed', 'Install complete', [webV1(s), service(s.app)], '1.4.1'))
  await w.apply(helmRelease(s.app))
  await helmReleaseWrite(
    w,
    s.app,
    helmReleaseStatus(s.app, {
      attempted: '1.4.1',
      action: 'install',
      history: [[1, '1.4.1', 'deployed']],
      conditions: [
        [
          'Ready',
          'True',
          'InstallSucceeded',
          `Helm install succeeded for release ${s.app}/web.v1 with chart web@1.4.1`
        ],
        [
          'Released',
          'True',
          'InstallSucceeded',
          `Helm install succeeded for release ${s.app}/web.v1 with chart web@1.4.1`
        ]
      ]
    })
  )
}

const helmReleaseInputs = (s: StoryNs): Record<string, string> => ({
  'flux-helmrelease': `${s.app}/web`,
  revision: '1.4.2',
  'expected-digest': `${REPO}@${NEW_DIGEST}`
})

// ------------------------------------------------------------------------------------------- stories

export const GITOPS: Story[] = [
  {
    name: 'helm: pending-upgrade, then deployed; success only after the pods',
    expect: 'success',
    inputs: helmInputs,
    real: {
      timeout: '60s',
      notBefore: 3,
      reason:
        /^Helm applied revision 2 \(the newest; no revision was asked for\); deployment\/web rolled out/,
      summary: /Helm: revision 2: pending-upgrade[\s\S]*Helm applied revision 2/,
      setup: async (w, s) => {
        await helmServing(w, s)
        await w.apply(
          helmSecret(s.app, 2, 'pending-upgrade', 'Preparing upgrade', [webV2(s), service(s.app)])
        )
      },
      then: async (w, s) => {
        await sleep(1)
        await w.apply(webV2(s))
        await sleep(2)
        await w.apply(helmSecret(s.app, 1, 'superseded', 'Install complete', [webV1(s), service(s.app)]))
        await w.apply(helmSecret(s.app, 2, 'deployed', 'Upgrade complete', [webV2(s), service(s.app)]))
      }
    }
  },
  {
    name: "helm: failed by its own wait while the pods converge: success, Helm's false alarm",
    expect: 'success',
    inputs: helmInputs,
    real: {
      timeout: '60s',
      notBefore: 4,
      reason:
        /Helm marked revision 2 failed \("Upgrade \\?"web\\?" failed: timed out waiting for the condition"\), a false alarm/,
      summary: /false alarm/,
      setup: async (w, s) => {
        await helmServing(w, s)
        // The image is slow to pull: Helm's --wait gave up before the pods were Ready.
        w.registry.set(V2, { pullSeconds: 6 }, s.app)
        await w.apply(webV2(s))
        await w.apply(
          helmSecret(s.app, 2, 'failed', 'Upgrade "web" failed: timed out waiting for the condition', [
            webV2(s),
            service(s.app)
          ])
        )
      }
    }
  },
  {
    name: 'helm: failed by an apply error (immutable field): apply-failed, fast',
    expect: 'apply-failed',
    early: true,
    inputs: helmInputs,
    real: {
      timeout: '40s',
      reason:
        /^Helm could not apply revision 2: Upgrade "web" failed: cannot patch "web" with kind Deployment: .*field is immutable/,
      setup: async (w, s) => {
        await helmServing(w, s)
        await w.apply(
          helmSecret(
            s.app,
            2,
            'failed',
            'Upgrade "web" failed: cannot patch "web" with kind Deployment: Deployment.apps "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web","tier":"front"}}: field is immutable',
            [webV2(s), service(s.app)]
          )
        )
      }
    }
  },
  {
    name: 'argo cd: the sync applies the commit, then the pods become Ready: success only after the pods',
    expect: 'success',
    inputs: argoInputs,
    real: {
      timeout: '60s',
      notBefore: 4.5,
      reason: /^Argo CD applied 9a8b7c6; /,
      summary: /Argo CD applied 9a8b7c6/,
      setup: async (w, s) => {
        await argoServing(w, s)
        w.registry.set(V2, { pullSeconds: 4 }, s.app)
      },
      then: async (w, s) => {
        await sleep(1)
        const running = { synced: OLD_SHA, sync: 'OutOfSync', health: 'Healthy', opRevision: NEW_SHA }
        await argoWrite(
          w,
          s.app,
          argoStatus(s.app, {
            ...running,
            phase: 'Running',
            message: 'waiting for healthy state of apps/Deployment/web'
          })
        )
        await w.apply(webV2(s))
        await sleep(1)
        // Argo CD marks the sync done when the objects are applied; the pods are still pulling.
        await argoWrite(
          w,
          s.app,
          argoStatus(s.app, {
            synced: NEW_SHA,
            sync: 'Synced',
            health: 'Progressing',
            opRevision: NEW_SHA,
            phase: 'Succeeded',
            message: 'successfully synced (all tasks run)'
          })
        )
      }
    }
  },
  {
    name: 'argo cd: the sync of the commit fails: apply-failed with its message, fast',
    expect: 'apply-failed',
    early: true,
    inputs: argoInputs,
    real: {
      timeout: '40s',
      reason:
        /^Argo CD could not apply 9a8b7c6: one or more objects failed to apply, reason: Deployment.apps "web" is invalid/,
      setup: async (w, s) => {
        await argoServing(w, s)
      },
      then: async (w, s) => {
        await sleep(1)
        await argoWrite(
          w,
          s.app,
          argoStatus(s.app, {
            synced: OLD_SHA,
            sync: 'OutOfSync',
            health: 'Healthy',
            opRevision: NEW_SHA,
            phase: 'Failed',
            message:
              'one or more objects failed to apply, reason: Deployment.apps "web" is invalid: spec.template.spec.containers[0].image: Required value'
          })
        )
      }
    }
  },
  {
    name: 'argo cd: Synced and Healthy at an older commit: never success; the deadline names the commit',
    expect: 'timeout',
    inputs: argoInputs,
    real: {
      timeout: '12s',
      notBefore: 11,
      reason:
        /waiting for Argo CD to apply revision 9a8b7c6 to Application .*\/shop \(it is Synced, Healthy at 1f2e3d4/,
      setup: argoServing
    }
  },
  {
    name: 'flux: the Kustomization applies the commit, then the pods become Ready: success only after the pods',
    expect: 'success',
    inputs: fluxInputs,
    real: {
      timeout: '60s',
      notBefore: 4.5,
      reason: /^Flux applied 9a8b7c6; /,
      summary: /Flux applied 9a8b7c6/,
      setup: async (w, s) => {
        await fluxServing(w, s)
        w.registry.set(V2, { pullSeconds: 4 }, s.app)
      },
      then: async (w, s) => {
        await sleep(1)
        await fluxWrite(
          w,
          s.app,
          fluxStatus(s.app, {
            applied: OLD_SHA,
            attempted: NEW_SHA,
            ready: 'Unknown',
            reason: 'Progressing',
            message: 'Reconciliation in progress'
          })
        )
        await w.apply(webV2(s))
        await sleep(1)
        await fluxWrite(
          w,
          s.app,
          fluxStatus(s.app, {
            applied: NEW_SHA,
            attempted: NEW_SHA,
            ready: 'True',
            reason: 'ReconciliationSucceeded',
            message: `Applied revision: main@sha1:${NEW_SHA}`
          })
        )
      }
    }
  },
  {
    name: 'flux: reconciliation of the commit fails: apply-failed with its message, fast',
    expect: 'apply-failed',
    early: true,
    inputs: fluxInputs,
    real: {
      timeout: '40s',
      reason: /^Flux could not apply 9a8b7c6: ReconciliationFailed: Deployment\/.*\/web dry-run failed/,
      setup: fluxServing,
      then: async (w, s) => {
        await sleep(1)
        await fluxWrite(
          w,
          s.app,
          fluxStatus(s.app, {
            applied: OLD_SHA,
            attempted: NEW_SHA,
            ready: 'False',
            reason: 'ReconciliationFailed',
            message: `Deployment/${s.app}/web dry-run failed (Invalid): Deployment.apps "web" is invalid: spec.template.spec.containers[0].image: Required value`
          })
        )
      }
    }
  },
  {
    name: 'flux: Ready at an older commit: never success; the deadline names the commit',
    expect: 'timeout',
    inputs: fluxInputs,
    real: {
      timeout: '10s',
      notBefore: 9,
      reason:
        /waiting for Flux to apply revision main@sha1:9a8b7c6d5e4f30211223344556677889900aabbc with Kustomization .*\/apps \(it is Ready=True ReconciliationSucceeded at 1f2e3d4/,
      setup: fluxServing
    }
  },
  {
    name: 'argo cd: the next commit is synced while the step waits for its own: superseded with both, fast',
    expect: 'superseded',
    early: true,
    inputs: argoInputs,
    real: {
      timeout: '40s',
      notBefore: 6,
      reason:
        /^Argo CD applied 5b6c7d8 after 9a8b7c6, the revision this step waits for \(its history shows 9a8b7c6 applied, then 5b6c7d8\): 9a8b7c6 was superseded/,
      summary: /Argo CD moved on to 5b6c7d8/,
      setup: argoServing,
      then: async (w, s) => {
        await sleep(1)
        await argoWrite(
          w,
          s.app,
          argoStatus(s.app, {
            synced: NEW_SHA,
            sync: 'OutOfSync',
            health: 'Healthy',
            opRevision: NEW_SHA,
            phase: 'Running',
            message: 'waiting for healthy state of apps/Deployment/web',
            history: [OLD_SHA]
          })
        )
        await w.apply(webV2(s))
        await sleep(5)
        // The sync of NEW_SHA finished (its history entry), and the next push's commit is already being synced.
        await argoWrite(
          w,
          s.app,
          argoStatus(s.app, {
            synced: NEXT_SHA,
            sync: 'OutOfSync',
            health: 'Progressing',
            opRevision: NEXT_SHA,
            phase: 'Running',
            message: 'waiting for healthy state of apps/Deployment/web',
            history: [OLD_SHA, NEW_SHA]
          })
        )
      }
    }
  },
  {
    name: 'flux: the next commit is attempted while the step waits for its own: superseded with both, fast',
    expect: 'superseded',
    early: true,
    inputs: fluxInputs,
    real: {
      timeout: '40s',
      notBefore: 7,
      reason:
        /^Flux applied 5b6c7d8 after 9a8b7c6, the revision this step waits for \(this wait saw it attempt 9a8b7c6, then 5b6c7d8\)/,
      setup: fluxServing,
      then: async (w, s) => {
        await sleep(1)
        await fluxWrite(
          w,
          s.app,
          fluxStatus(s.app, {
            applied: OLD_SHA,
            attempted: NEW_SHA,
            ready: 'Unknown',
            reason: 'Progressing',
            message: 'Reconciliation in progress'
          })
        )
        await sleep(6)
        // Flux fetched the next push before it got to apply this one (a new source artifact cancels the attempt).
        await fluxWrite(
          w,
          s.app,
          fluxStatus(s.app, {
            applied: OLD_SHA,
            attempted: NEXT_SHA,
            ready: 'Unknown',
            reason: 'Progressing',
            message: 'Reconciliation in progress'
          })
        )
      }
    }
  },
  {
    name: 'flux: its health check failed on its own clock while the pods crash-loop: crash-loop, not apply-failed',
    expect: 'crash-loop',
    early: true,
    inputs: fluxInputs,
    real: {
      timeout: '60s',
      reason:
        /Flux marked 9a8b7c6 failed \("HealthCheckFailed: health check failed after 2m0\.015112257s: timeout waiting for: \[Deployment\/.*\/web status: 'InProgress'\]"\): Flux's health check \(spec\.timeout\) gave up on its own clock/,
      summary: /but only Flux's health check \(spec\.timeout\) gave up on its own clock: the pods decide/,
      setup: async (w, s) => {
        await fluxServing(w, s)
        w.registry.set(
          V2,
          {
            program: {
              kind: 'exit',
              code: 1,
              after: 0.3,
              log: ['Error: connect ECONNREFUSED 10.96.0.12:5432']
            }
          },
          s.app
        )
        // Flux applied the commit, its health check gave up, and it kept lastAppliedRevision at the old commit.
        await w.apply(webV2(s))
        await fluxWrite(
          w,
          s.app,
          fluxStatus(s.app, {
            applied: OLD_SHA,
            attempted: NEW_SHA,
            ready: 'False',
            reason: 'HealthCheckFailed',
            message: `health check failed after 2m0.015112257s: timeout waiting for: [Deployment/${s.app}/web status: 'InProgress']`
          })
        )
      }
    }
  },
  {
    name: 'helm: the next upgrade makes revision 3 while the step waits for its revision 2: superseded, fast',
    expect: 'superseded',
    early: true,
    inputs: s => ({ ...helmInputs(s), revision: '2' }),
    real: {
      timeout: '40s',
      notBefore: 2,
      reason:
        /^Helm applied revision 3 after revision 2, the revision this step waits for \(Helm made revision 3 after it \(pending-upgrade\)\): revision 2 was superseded/,
      setup: async (w, s) => {
        await helmServing(w, s)
        await w.apply(
          helmSecret(s.app, 2, 'pending-upgrade', 'Preparing upgrade', [webV2(s), service(s.app)])
        )
      },
      then: async (w, s) => {
        await sleep(2)
        // Helm's next upgrade supersedes revision 2 and starts revision 3.
        await w.apply(helmSecret(s.app, 2, 'superseded', 'Upgrade complete', [webV2(s), service(s.app)]))
        await w.apply(
          helmSecret(s.app, 3, 'pending-upgrade', 'Preparing upgrade', [webV2(s), service(s.app)])
        )
      }
    }
  },
  {
    name: 'flux helmrelease: the upgrade to chart 1.4.2 is released, then the pods become Ready: success only after the pods',
    expect: 'success',
    inputs: helmReleaseInputs,
    real: {
      timeout: '60s',
      notBefore: 4,
      reason: /^Flux applied web@1\.4\.2 \(release v2\); deployment\/web rolled out/,
      summary: /Flux applied web@1\.4\.2 \(release v2\)/,
      setup: async (w, s) => {
        await helmReleaseServing(w, s)
        w.registry.set(V2, { pullSeconds: 3 }, s.app)
      },
      then: async (w, s) => {
        await sleep(1)
        await w.apply(webV2(s))
        await w.apply(
          helmSecret(s.app, 1, 'superseded', 'Install complete', [webV1(s), service(s.app)], '1.4.1')
        )
        await w.apply(
          helmSecret(s.app, 2, 'deployed', 'Upgrade complete', [webV2(s), service(s.app)], '1.4.2')
        )
        const ok = `Helm upgrade succeeded for release ${s.app}/web.v2 with chart web@1.4.2`
        await helmReleaseWrite(
          w,
          s.app,
          helmReleaseStatus(s.app, {
            attempted: '1.4.2',
            action: 'upgrade',
            history: [
              [2, '1.4.2', 'deployed'],
              [1, '1.4.1', 'superseded']
            ],
            conditions: [
              ['Ready', 'True', 'UpgradeSucceeded', ok],
              ['Released', 'True', 'UpgradeSucceeded', ok]
            ]
          })
        )
      }
    }
  },
  {
    name: 'flux helmrelease: the install of chart 1.4.2 fails: apply-failed with Helm’s message, fast',
    expect: 'apply-failed',
    early: true,
    inputs: helmReleaseInputs,
    real: {
      timeout: '40s',
      reason:
        /^Flux could not apply web@1\.4\.2 \(release v1\): InstallFailed: Helm install failed for release .*\/web with chart web@1\.4\.2: .*spec\.template\.spec\.containers\[0\]\.image: Required value/,
      setup: async (w, s) => {
        await w.apply(helmRelease(s.app))
      },
      then: async (w, s) => {
        await sleep(1)
        const failed = `Helm install failed for release ${s.app}/web with chart web@1.4.2: Deployment.apps "web" is invalid: spec.template.spec.containers[0].image: Required value`
        await helmReleaseWrite(
          w,
          s.app,
          helmReleaseStatus(s.app, {
            attempted: '1.4.2',
            action: 'install',
            history: [[1, '1.4.2', 'failed']],
            conditions: [
              ['Ready', 'False', 'InstallFailed', failed],
              ['Released', 'False', 'InstallFailed', failed]
            ]
          })
        )
      }
    }
  },
  {
    name: 'flux helmrelease: the upgrade fails and remediation rolls it back: apply-failed, saying so',
    expect: 'apply-failed',
    early: true,
    inputs: helmReleaseInputs,
    real: {
      timeout: '40s',
      reason:
        /^Flux could not apply web@1\.4\.2 \(release v2\): Flux remediated the release \(RollbackSucceeded: Helm rollback to previous release .*\/web\.v1 with chart web@1\.4\.1 succeeded\) after UpgradeFailed: Helm upgrade failed for release .*\/web with chart web@1\.4\.2: cannot patch "web" with kind Deployment/,
      setup: helmReleaseServing,
      then: async (w, s) => {
        await sleep(1)
        const failed = `Helm upgrade failed for release ${s.app}/web with chart web@1.4.2: cannot patch "web" with kind Deployment: Deployment.apps "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web","tier":"front"}}: field is immutable`
        const rolledBack = `Helm rollback to previous release ${s.app}/web.v1 with chart web@1.4.1 succeeded`
        await helmReleaseWrite(
          w,
          s.app,
          helmReleaseStatus(s.app, {
            attempted: '1.4.2',
            action: 'upgrade',
            history: [
              [3, '1.4.1', 'deployed'],
              [2, '1.4.2', 'failed'],
              [1, '1.4.1', 'superseded']
            ],
            conditions: [
              ['Ready', 'False', 'RollbackSucceeded', rolledBack],
              ['Released', 'False', 'UpgradeFailed', failed],
              ['Remediated', 'True', 'RollbackSucceeded', rolledBack]
            ]
          })
        )
      }
    }
  }
]
