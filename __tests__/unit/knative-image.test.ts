// Knative resolves a revision's images to digests before it creates a pod; when it cannot, the revision fails
// with `Unable to fetch image %q: %s` (knative/serving RevisionContainerMissingMessage, reason ContainerMissing),
// which the Service carries as `Revision %q failed with message: %s.`. That is an image-pull finding of the
// template container whose image it is, so the annotation lands on that container's `image:` line.
import { knativeService, unfetchedImage } from '../../src/kinds/knative-service.js'
import type { KnativeService } from '../../src/kube/types.js'
import { decide } from '../../src/verdict/decide.js'
import { NEW_DIGEST, REPO } from '../../testcluster/stories/images.js'
import { snapshotOf } from '../../testcluster/snapshot.js'
import { recorded, worldAt } from '../../testcluster/timeline/edit.js'
import { mapStrings } from '../../testcluster/timeline/timeline.js'

const IMAGE = 'registry.example.com/shop/web:1.4.3'
const MISSING = `Unable to fetch image "${IMAGE}": failed to resolve image to digest: GET https://registry.example.com/v2/shop/web/manifests/1.4.3: MANIFEST_UNKNOWN: manifest unknown; map[Tag:1.4.3]`
const UNAUTHORIZED = `Unable to fetch image "${IMAGE}": failed to resolve image to digest: GET https://registry.example.com/v2/shop/web/manifests/1.4.3: UNAUTHORIZED: authentication required; [map[Action:pull Class: Name:shop/web Type:repository]]`

/** web-00002 failed with `message`, as the Configuration writes it on the Service's conditions. */
function ksvc(message: string, reason = 'RevisionFailed'): KnativeService {
  const failed = {
    type: 'ConfigurationsReady',
    status: 'False',
    reason,
    message: `Revision "web-00002" failed with message: ${message}.`
  }
  return {
    metadata: { name: 'web', namespace: 'shop', generation: 2 },
    spec: {
      template: {
        spec: {
          containers: [
            { name: 'user-container', image: IMAGE },
            { name: 'metrics', image: 'registry.example.com/shop/metrics:2.0.0' }
          ]
        }
      }
    },
    status: {
      observedGeneration: 2,
      latestCreatedRevisionName: 'web-00002',
      latestReadyRevisionName: 'web-00001',
      conditions: [failed, { ...failed, type: 'Ready' }, { type: 'RoutesReady', status: 'True' }]
    }
  } as KnativeService
}

// Recorded on the real control plane: ksvc web serves 1.4.1, then 1.4.3 is applied, a tag the registry lacks.
const RECORDED = recorded('image-pull-a-knative-revision-fails-its-image-cannot-be-pull')
const KSVC = { kind: 'KnativeService' as const, name: 'web' }
const opts = { digest: { kind: 'input' as const, refs: [{ digest: NEW_DIGEST, repository: REPO }] } }

const rule = (o: KnativeService) =>
  knativeService.rule({ object: o, pods: [], replicaSets: [], label: 'ksvc/web', namespace: 'shop' })

test("Knative's words: the image as the template writes it and the registry's words, without the wrapper's dot", () => {
  expect(unfetchedImage(`Revision "web-00002" failed with message: ${MISSING}.`)).toEqual({
    image: IMAGE,
    words: MISSING.slice(MISSING.indexOf('failed to resolve'))
  })
  // The Revision's own condition, unwrapped, keeps its last character.
  expect(unfetchedImage('Unable to fetch image "web:1.4.3": tag 1.4.3.')?.words).toBe('tag 1.4.3.')
  // Go's %q escapes a quote inside; the reference is read back whole.
  expect(unfetchedImage('Unable to fetch image "we\\"b:1": x')?.image).toBe('we"b:1')
  expect(unfetchedImage('Container failed with: Error: connect ECONNREFUSED')).toBeUndefined()
  expect(unfetchedImage(undefined)).toBeUndefined()
})

test('a tag the registry does not know: an image-pull finding of the container that names it (not-found)', () => {
  const s = rule(ksvc(MISSING))
  expect(s.phase).toBe('failed')
  if (s.phase !== 'failed') return
  expect(s.verdict).toBe('image-pull')
  expect(s.finding).toMatchObject({
    cause: 'image-pull',
    verdict: 'image-pull',
    severity: 'error',
    subject: 'revision/web-00002',
    container: 'user-container',
    facts: { image: IMAGE, kind: 'not-found', why: 'the image or tag does not exist in the registry' },
    detail: [MISSING.slice(MISSING.indexOf('failed to resolve'))]
  })
  expect(s.reason).toBe(
    `ksvc/web is not Ready (RevisionFailed): revision/web-00002 (user-container): Knative cannot fetch image ${IMAGE}: the image or tag does not exist in the registry`
  )
})

test("the registry refused the credentials: kind credentials; the second container's image names the second", () => {
  const s = rule(ksvc(UNAUTHORIZED))
  expect(s.phase === 'failed' && s.finding).toMatchObject({
    container: 'user-container',
    facts: { kind: 'credentials' }
  })
  const other = rule(
    ksvc('Unable to fetch image "registry.example.com/shop/metrics:2.0.0": GET …: DENIED: denied: ')
  )
  expect(other.phase === 'failed' && other.finding).toMatchObject({
    container: 'metrics',
    facts: { image: 'registry.example.com/shop/metrics:2.0.0', kind: 'credentials' }
  })
})

test('an image no template container names: still the image, no container to point at', () => {
  const s = rule(
    ksvc('Unable to fetch image "registry.example.com/other:1": MANIFEST_UNKNOWN: manifest unknown')
  )
  expect(s.phase === 'failed' && s.finding).toMatchObject({
    cause: 'image-pull',
    facts: { image: 'registry.example.com/other:1', kind: 'not-found' }
  })
  expect(s.phase === 'failed' && s.finding && 'container' in s.finding).toBe(false)
})

test('a message that names no image stays the controller finding; the verdict from its words', async () => {
  const s = rule(ksvc('failed to pull: manifest unknown'))
  expect(s.phase === 'failed' && [s.verdict, s.finding]).toEqual(['image-pull', undefined])
  // The recorded run, its words without the image: the controller's finding, with the command that shows them.
  const t = mapStrings(RECORDED, v => v.replaceAll(`Unable to fetch image "${REPO}:1.4.3": `, ''))
  const d = decide(await snapshotOf(worldAt(t), 'web', undefined, KSVC), opts)
  expect(d.verdict).toBe('image-pull')
  expect(d.findings[0]).toMatchObject({
    cause: 'controller',
    subject: 'ksvc/web',
    facts: { inspect: 'kubectl get ksvc web -n shop -o yaml' }
  })
})

test('a container that exits (ExitCode1, "Container failed with") is no image finding', () => {
  const s = rule(ksvc('Container failed with: Error: connect ECONNREFUSED 10.96.0.12:5432', 'ExitCode1'))
  expect(s.phase === 'failed' && [s.verdict, s.finding]).toEqual(['unhealthy', undefined])
})

test('the recorded real run: the decision names the image and its container, no pod needed', async () => {
  const d = decide(await snapshotOf(worldAt(RECORDED), 'web', undefined, KSVC), opts)
  expect(d).toMatchObject({ verdict: 'image-pull', finality: 'final' })
  expect(d.reason).toContain(`Knative cannot fetch image ${REPO}:1.4.3`)
  expect(d.findings[0]).toMatchObject({
    cause: 'image-pull',
    container: 'user-container',
    facts: { image: `${REPO}:1.4.3`, kind: 'not-found' }
  })
})
