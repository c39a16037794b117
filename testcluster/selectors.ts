// Label and field selectors as the API server parses them (k8s.io/apimachinery labels.Parse, fields.ParseSelector).
export type LabelRequirement =
  | { op: 'eq' | 'neq'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | 'notexists'; key: string }

export class SelectorError extends Error {}

/** Splits on commas that are not inside parentheses (`a in (x,y),b`). */
function splitTop(text: string): string[] {
  const parts: string[] = []
  let depth = 0
  let cur = ''
  for (const ch of text) {
    if (ch === '(') depth++
    if (ch === ')') depth--
    if (ch === ',' && depth === 0) {
      parts.push(cur)
      cur = ''
    } else cur += ch
  }
  if (cur.trim() !== '' || parts.length > 0) parts.push(cur)
  return parts.map(p => p.trim()).filter(p => p !== '')
}

export function parseLabelSelector(text: string | null | undefined): LabelRequirement[] {
  if (!text) return []
  return splitTop(text).map(term => {
    let m = /^!\s*([\w./-]+)$/.exec(term)
    if (m) return { op: 'notexists', key: m[1]! }
    m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term)
    if (m) {
      const values = m[3]!.split(',').map(v => v.trim())
      return { op: m[2] as 'in' | 'notin', key: m[1]!, values }
    }
    m = /^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/.exec(term)
    if (m) return { op: m[2] === '!=' ? 'neq' : 'eq', key: m[1]!, value: m[3]! }
    m = /^([\w./-]+)$/.exec(term)
    if (m) return { op: 'exists', key: m[1]! }
    throw new SelectorError(`unable to parse requirement: ${JSON.stringify(term)}`)
  })
}

export function matchLabels(reqs: LabelRequirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {}
  return reqs.every(r => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key)
    switch (r.op) {
      case 'eq':
        return has && l[r.key] === r.value
      case 'neq':
        return !has || l[r.key] !== r.value
      case 'in':
        return has && r.values.includes(l[r.key]!)
      case 'notin':
        return !has || !r.values.includes(l[r.key]!)
      case 'exists':
        return has
      case 'notexists':
        return !has
    }
  })
}

export interface FieldRequirement {
  path: string
  value: string
  negate: boolean
}

// The field selectors the real API server supports, per resource (others are rejected with 400).
const FIELDS: Record<string, string[]> = {
  pods: [
    'metadata.name',
    'metadata.namespace',
    'status.phase',
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'status.podIP',
    'status.nominatedNodeName'
  ],
  events: [
    'metadata.name',
    'metadata.namespace',
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type'
  ]
}

export function parseFieldSelector(resource: string, text: string | null | undefined): FieldRequirement[] {
  if (!text) return []
  const allowed = FIELDS[resource] ?? ['metadata.name', 'metadata.namespace']
  return text.split(',').map(term => {
    const m = /^([\w.]+)\s*(==|=|!=)\s*(.*)$/.exec(term.trim())
    if (!m) throw new SelectorError(`invalid selector: '${term}'; can't understand '${term}'`)
    if (!allowed.includes(m[1]!)) {
      throw new SelectorError(`field label not supported: ${m[1]}`)
    }
    return { path: m[1]!, value: m[3]!, negate: m[2] === '!=' }
  })
}

function fieldValue(obj: Record<string, unknown>, path: string): string {
  if (path === 'source') {
    const src = (obj.source as { component?: string } | undefined)?.component
    return src ?? ''
  }
  let cur: unknown = obj
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return ''
    cur = (cur as Record<string, unknown>)[part]
  }
  return cur === undefined || cur === null ? '' : String(cur)
}

export function matchFields(reqs: FieldRequirement[], obj: Record<string, unknown>): boolean {
  return reqs.every(r => (fieldValue(obj, r.path) === r.value) !== r.negate)
}
