// The table is the only home of verdict facts: reporters read its rows and never name a verdict themselves. A
// verdict's name may stand in src/report/ only as a type (`verdict: 'success'` in a type), found by the TypeScript
// parser, so that a new verdict is one row of src/verdict/table.ts plus its decision rule.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { VERDICT } from '../../src/verdict/table.js'

const NAMES = new Set(Object.keys(VERDICT))

const isCause = (e: ts.Expression): boolean => ts.isPropertyAccessExpression(e) && e.name.text === 'cause'

/** A cause named like a verdict (`image-pull`), compared with a finding's `cause`: not a verdict. */
function aboutCause(node: ts.Node): boolean {
  const p = node.parent
  if (ts.isCaseClause(p)) return isCause(p.parent.parent.expression)
  if (ts.isBinaryExpression(p)) return isCause(p.left) || isCause(p.right)
  return false
}

/** `file:line 'name'` for each verdict name written as a value (not inside a type). */
function verdictLiterals(path: string, text: string): string[] {
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true)
  const found: string[] = []
  const visit = (node: ts.Node, inType: boolean): void => {
    const typed = inType || ts.isTypeNode(node)
    if (
      (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) &&
      NAMES.has(node.text) &&
      !typed &&
      !aboutCause(node)
    ) {
      const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1
      found.push(`${path}:${line} '${node.text}'`)
    }
    ts.forEachChild(node, child => visit(child, typed))
  }
  visit(sf, false)
  return found
}

test('the search finds a verdict name written as a value, and not one written as a type', () => {
  const sample = [
    "type T = { verdict: 'success' | 'timeout' }",
    "const t: 'progressing' = x as 'progressing'",
    "if (r.verdict === 'unreachable') f(`timeout`)",
    "const o = { [VERDICT['stale'].icon]: 'not a verdict' }",
    "switch (f.cause) { case 'image-pull': if (f.cause === 'image-pull') g('image-pull') }"
  ].join('\n')
  expect(verdictLiterals('sample.ts', sample)).toEqual([
    "sample.ts:3 'unreachable'",
    "sample.ts:3 'timeout'",
    "sample.ts:4 'stale'",
    "sample.ts:5 'image-pull'"
  ])
})

test('src/report/ names no verdict outside type positions', () => {
  const files = readdirSync('src/report', { recursive: true, encoding: 'utf8' }).filter(f =>
    f.endsWith('.ts')
  )
  expect(files.length).toBeGreaterThan(5)
  const found = files.flatMap(f => {
    const path = join('src/report', f)
    return verdictLiterals(path, readFileSync(path, 'utf8'))
  })
  expect(found).toEqual([])
})
