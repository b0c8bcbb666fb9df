/**
 * The layout docs/architecture.md describes, checked: features use each other through their index.ts only and
 * form no circle; the platform uses no feature; each table has one owner, who alone writes it; another feature
 * reads it only in a named read model (`<feature>.read-model.ts`), apart from reference data (sites, organisations,
 * staff) and joining a person for their name. ESLint's no-restricted-imports gives the same import rules
 * while editing; this test also covers type-only imports, circles and tables.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const src = path.join(root, 'src')

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name))
}

const all = filesUnder(src)
const production = all.filter((file) => !file.endsWith('.test.ts'))
const rel = (file: string) => path.relative(root, file)

/** The feature a file belongs to, or undefined outside src/features. */
function featureOf(file: string): string | undefined {
  const parts = path.relative(path.join(src, 'features'), file).split(path.sep)
  return parts[0] === '..' || parts.length < 2 ? undefined : parts[0]
}

/** Every relative import or re-export of a file, type-only ones included, resolved to a path. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const specifiers = [...text.matchAll(/(?:import|export)\s+(?:type\s+)?(?:[\w*\s{},]+)\s+from\s+'(\.[^']+)'/g)]
  return specifiers.map((m) => path.resolve(path.dirname(file), m[1] ?? ''))
}

test('a feature imports another feature only through its index.ts', () => {
  const wrong: string[] = []
  for (const file of all) {
    const from = featureOf(file)
    for (const target of importsOf(file)) {
      const to = featureOf(target)
      if (to === undefined || to === from) continue
      if (target !== path.join(src, 'features', to, 'index.ts')) wrong.push(`${rel(file)} -> ${rel(target)}`)
    }
  }
  assert.deepEqual(wrong, [])
})

test('the platform imports no feature, no composition root and no test support', () => {
  const wrong: string[] = []
  for (const file of production.filter((f) => f.startsWith(path.join(src, 'platform')))) {
    for (const target of importsOf(file)) {
      const inside = target.startsWith(path.join(src, 'platform') + path.sep)
      if (!inside && target !== path.join(src, 'config.ts')) wrong.push(`${rel(file)} -> ${rel(target)}`)
    }
  }
  assert.deepEqual(wrong, [])
})

test('features depend on each other without a circle', () => {
  const edges = new Map<string, Set<string>>()
  for (const file of production) {
    const from = featureOf(file)
    if (from === undefined) continue
    for (const target of importsOf(file)) {
      const to = featureOf(target)
      if (to !== undefined && to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to))
    }
  }
  const circles: string[] = []
  const state = new Map<string, 'open' | 'done'>()
  const visit = (node: string, trail: string[]) => {
    state.set(node, 'open')
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === 'open') circles.push([...trail, node, next].slice(trail.indexOf(next)).join(' -> '))
      else if (state.get(next) === undefined) visit(next, [...trail, node])
    }
    state.set(node, 'done')
  }
  for (const node of edges.keys()) if (state.get(node) === undefined) visit(node, [])
  assert.deepEqual(circles, [])
})

/** Table name -> its owner: a feature, or 'platform'. Read from the DB declarations in the *.tables.ts files. */
function tableOwners(): Map<string, string> {
  const owners = new Map<string, string>()
  const declare = (file: string, owner: string) => {
    const text = readFileSync(file, 'utf8')
    const block = /interface DB \{([^}]*)\}/.exec(text)?.[1] ?? ''
    for (const m of block.matchAll(/^\s*(\w+):/gm)) {
      const table = m[1] ?? ''
      assert.ok(!owners.has(table), `${table} is declared twice (${rel(file)})`)
      owners.set(table, owner)
    }
  }
  for (const file of production) {
    if (file.endsWith('.tables.ts') || file === path.join(src, 'platform', 'db', 'schema.ts')) {
      declare(file, featureOf(file) ?? 'platform')
    }
  }
  return owners
}

/**
 * Reference data any feature may read (never write): where, which organisation, which member of staff (names and
 * choices in forms). A person may be joined for their name and site; looking one up goes through the people service.
 */
const REFERENCE_TABLES = new Set(['site', 'organisation', 'staff_user', 'staff_site'])
const JOINABLE_TABLES = new Set(['person'])

test('every table has one owner, who alone writes it; others read it only in a named read model', () => {
  const owners = tableOwners()
  assert.ok(owners.size >= 25, `expected the service's tables, found ${String(owners.size)}`)
  const wrong: string[] = []
  for (const file of production) {
    const feature = featureOf(file)
    if (feature === undefined || feature === 'demo') continue
    const text = readFileSync(file, 'utf8')
    const readModel = file.endsWith('.read-model.ts')
    for (const m of text.matchAll(/\.(selectFrom|innerJoin|leftJoin|insertInto|updateTable|deleteFrom)\(\s*'(\w+)/g)) {
      const [, verb = '', table = ''] = m
      const owner = owners.get(table)
      if (owner === undefined) {
        wrong.push(`${rel(file)}: ${table} is no table of the service`)
        continue
      }
      if (owner === feature) continue
      const writes = verb === 'insertInto' || verb === 'updateTable' || verb === 'deleteFrom'
      if (writes) wrong.push(`${rel(file)}: ${verb}('${table}') writes a table of ${owner}`)
      else if (!readModel && !REFERENCE_TABLES.has(table) && !(JOINABLE_TABLES.has(table) && verb !== 'selectFrom')) {
        wrong.push(`${rel(file)}: ${verb}('${table}') reads a table of ${owner} outside a read model`)
      }
    }
  }
  assert.deepEqual(wrong, [])
})
