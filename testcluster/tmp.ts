// Temporary directories of the tests and the test cluster, removed when the test file ends (the jest setup
// calls removeTempDirs in afterAll) or when a tool calls it itself: nothing is left in the system temp directory,
// least of all kubeconfigs with test tokens.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const made = new Set<string>()

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  made.add(dir)
  return dir
}

export function removeTempDirs(): void {
  for (const dir of made) rmSync(dir, { recursive: true, force: true })
  made.clear()
}
