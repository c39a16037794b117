// V8's heap sizing for a process that parses a stream of large objects and keeps little of them. Imported first by
// the entry point, before the bundle's code allocates.
//
// Node 24's V8 sizes the young generation from the machine's memory: with a few GB it grows to 64 MB (two 32 MB
// semi-spaces) under the garbage of a 1,000-pod rollout (about 4 GB allocated over 100 s for 20 MB of watch events:
// parsed pods, trimmed copies, decisions), while what stays alive is 10–15 MB. The action cannot pass
// --max-semi-space-size (action.yml runs `node24` on dist/index.js and cannot set NODE_OPTIONS), and V8 reads that
// flag only when the heap is set up; these two it reads as it resizes:
// - the growth factor 1: the young generation keeps its starting size (2–4 MB) instead of doubling up to 64 MB;
// - optimize-for-size: the old generation grows by smaller steps, so that what the small young generation promotes
//   early is collected sooner (with the growth factor alone, 35 MB of old space held 9 MB alive; with both, 14).
// Measured on the real control plane at 1,000 replicas (BENCHMARKS.md section 4): peak RSS 136 → 86–87 MB.
import { setFlagsFromString } from 'node:v8'

setFlagsFromString('--semi-space-growth-factor=1')
setFlagsFromString('--optimize-for-size')
