import { test } from 'node:test'
import assert from 'node:assert/strict'
import { instrumentDefinitions } from './definitions/index.ts'
import { InstrumentDefinitionError, loadInstrumentLibrary } from './instruments.library.ts'

/** A mutable copy of a shipped definition, to break on purpose. */
function copyOf(code: string): Record<string, unknown> & { bands: { min: number; max: number }[] } {
  const found = instrumentDefinitions.find((d) => d.code === code)
  if (found === undefined) throw new Error(code)
  const copy: unknown = structuredClone(found)
  return copy as Record<string, unknown> & { bands: { min: number; max: number }[] }
}

function problemsOf(definitions: unknown[]): readonly string[] {
  try {
    loadInstrumentLibrary(definitions)
  } catch (error) {
    if (error instanceof InstrumentDefinitionError) return error.problems
    throw error
  }
  return []
}

test('the shipped definitions load, and the library is read-only', () => {
  const library = loadInstrumentLibrary()
  assert.equal(library.list().length, 11)
  const phq9 = library.find('phq-9')
  assert.ok(phq9 !== undefined)
  assert.throws(() => {
    ;(phq9.bands[0] as { max: number }).max = 99
  }, TypeError)
})

test('a gap between bands is refused', () => {
  const phq9 = copyOf('phq-9')
  phq9.bands[1]!.min = 6
  assert.ok(problemsOf([phq9]).some((p) => p.includes('band mild starts at 6, expected 5')))
})

test('bands that stop short of the maximum score are refused', () => {
  const gad7 = copyOf('gad-7')
  gad7.bands[3]!.max = 20
  assert.ok(problemsOf([gad7]).some((p) => p.includes('maximum score is 21')))
})

test('an option score that disagrees with a counting rule is refused', () => {
  const dast = copyOf('dast-10') as unknown as { items: { options: { score: number | null }[] }[] }
  dast.items[2]!.options[0]!.score = 1
  assert.ok(problemsOf([dast]).some((p) => p.includes('dast10-3 option yes scores 1 but the rule gives 0')))
})

test('an item without "prefer not to say" is refused', () => {
  const phq2 = copyOf('phq-2') as unknown as { items: { options: unknown[] }[] }
  phq2.items[0]!.options.pop()
  const problems = problemsOf([phq2, copyOf('phq-9')])
  assert.ok(problems.some((p) => p.includes('phq2-1 must end with "prefer-not-to-say"')))
})

test('a definition that does not match the schema is refused with its path', () => {
  const broken = { ...copyOf('gad-2'), version: 'one' }
  assert.ok(problemsOf([broken, copyOf('gad-7')]).some((p) => p.startsWith('gad-2: /version')))
})

test('a brief screen offering an instrument not in the library is refused', () => {
  assert.ok(problemsOf([copyOf('audit-c')]).some((p) => p.includes('offers unknown instrument audit')))
})

test('instruments whose licence needs permission are exactly those the reference says need it, leaves unverified, or forbids modifying (held here as a paraphrase)', () => {
  const needing = loadInstrumentLibrary()
    .list()
    .filter((d) => d.licence.requiresPermission)
    .map((d) => `${d.code}:${d.licence.category}`)
  assert.deepEqual(needing.sort(), [
    'aq-10:permission-required',
    'asrs-a:permission-required',
    'dast-10:permission-required',
    'hsi:unverified',
    'pc-ptsd-5:unverified',
  ])
})

test('published wording without a source is refused', () => {
  const { wordingSource: _sources, ...phq9 } = copyOf('phq-9')
  assert.ok(
    problemsOf([phq9]).some((p) => p.includes('phq-9: is marked as published wording but names no wordingSource')),
  )
})

test('a paraphrase that names a wording source is refused', () => {
  const gad7 = { ...copyOf('gad-7'), wording: 'paraphrase' }
  assert.ok(problemsOf([gad7]).some((p) => p.includes('gad-7: names a wordingSource but its wording is a paraphrase')))
})

test('an instrument whose licence needs permission cannot be marked as published wording', () => {
  const dast = {
    ...copyOf('dast-10'),
    wording: 'published',
    wordingSource: [{ title: 'A copy', address: 'https://example.org/dast', covers: 'Everything' }],
  }
  assert.ok(
    problemsOf([dast]).some((p) =>
      p.includes('dast-10: is marked as published wording but its licence needs permission'),
    ),
  )
})

test('a brief screen whose published item text differs from the full instrument is refused', () => {
  const phq2 = copyOf('phq-2') as unknown as { items: { text: string }[] }
  phq2.items[1]!.text = 'Feeling down, depressed or hopeless'
  assert.ok(
    problemsOf([phq2, copyOf('phq-9')]).some((p) =>
      p.includes('phq-2: phq2-2 has different published text from phq-9 phq9-2'),
    ),
  )
})
