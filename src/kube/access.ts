// What the credentials may read: API errors that waiting cannot mend become an AccessError naming the RBAC rule
// that would allow the read, and reads a verdict can do without note a refusal instead of failing.
import { ApiError } from './api.js'

/** The credentials were refused, or may not read what a verdict needs: waiting cannot help. */
export class AccessError extends Error {
  constructor(
    message: string,
    readonly status: number
  ) {
    super(message)
  }
}

export function rbacHint(verb: string, resource: string, group: string, namespace: string): string {
  return `allow ${verb} on ${group ? resource + '.' + group : resource} in namespace ${namespace}`
}

/** A 401 or 403 as an AccessError saying what was being read and what would allow it; any other error as it is. */
export function fatal(e: unknown, what: string, hint: string): unknown {
  if (e instanceof ApiError && e.status === 401)
    return new AccessError(`the API server refused the credentials (401 Unauthorized): ${e.message}`, 401)
  if (e instanceof ApiError && e.status === 403)
    return new AccessError(`${e.message} (${hint}; kube-verdict needs it to read ${what})`, 403)
  return e
}

/** A read the verdict can do without: refused with 403, it is noted once in `unreadable` and gives undefined. */
export async function unlessForbidden<T>(
  what: string,
  hint: string,
  unreadable: string[],
  fn: () => Promise<T>
): Promise<T | undefined> {
  try {
    return await fn()
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) {
      const line = `${what}: forbidden (${hint})`
      if (!unreadable.includes(line)) unreadable.push(line)
      return undefined
    }
    throw e
  }
}
