import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { loadInstrumentLibrary } from './instruments.library.ts'
import type { InstrumentDefinition } from './instruments.schemas.ts'

/*
 * The published wording is written out in this file, copied from the stored public copies named in each definition's
 * wordingSource (see the hazard log, H-320 to H-325). It is never taken from the definitions under test.
 */

const library = loadInstrumentLibrary()
const definition = (code: string) => {
  const found = library.find(code)
  if (found === undefined) throw new Error(`no ${code}`)
  return found
}
const scored = (code: string) => definition(code).items.filter((i) => i.kind === 'scored')

const PUBLISHED = ['audit', 'audit-c', 'gad-2', 'gad-7', 'phq-2', 'phq-9']
const LICENCE_GATED = ['aq-10', 'asrs-a', 'dast-10', 'hsi', 'pc-ptsd-5']

test('the free-to-use instruments are marked as published wording, each with the sources it was checked against', () => {
  const published = library
    .list()
    .filter((d) => d.wording === 'published')
    .map((d) => d.code)
  assert.deepEqual(published.sort(), PUBLISHED)
  for (const code of PUBLISHED) {
    const d = definition(code)
    assert.equal(d.licence.requiresPermission, false, code)
    assert.ok((d.wordingSource ?? []).length > 0, `${code} names a wordingSource`)
    for (const source of d.wordingSource ?? []) {
      assert.match(source.address, /^https:\/\/\S+$/, `${code} source address`)
      assert.ok(source.title.length > 0 && source.covers.length > 0, `${code} source title and coverage`)
    }
    assert.ok(
      d.notes.some((n) => n.startsWith('Wording (version 1.1.0)')),
      `${code} says in its notes what is published and what is the service's own`,
    )
  }
})

test('the licence-gated instruments stay paraphrased, with no wording source', () => {
  for (const code of LICENCE_GATED) {
    const d = definition(code)
    assert.equal(d.wording, 'paraphrase', code)
    assert.equal(d.wordingSource, undefined, code)
    assert.equal(d.version, '1.0.0', code)
  }
})

test('a wording change is a minor version: the published instruments moved from 1.0.0 to 1.1.0', () => {
  for (const code of PUBLISHED) assert.equal(definition(code).version, '1.1.0', code)
})

/** Everything that decides a score, and nothing that is only wording. */
function scoringFingerprint(d: InstrumentDefinition): string {
  const { description: _ruleText, ...rule } = d.scoring
  const structure = {
    items: d.items.map((i) => [
      i.code,
      i.number,
      i.kind,
      i.reverseScored ?? false,
      i.sameAs ?? null,
      i.options.map((o) => [o.code, o.score, o.snomed ?? null]),
    ]),
    scoring: rule,
    bands: d.bands.map((b) => [b.code, b.min, b.max]),
    positiveScreen: d.positiveScreen?.atOrAbove ?? null,
    offerWhenPositive: d.offerWhenPositive,
    warningSigns: d.warningSigns.map((s) => [s.code, s.item, s.scoreAbove]),
  }
  return createHash('sha256').update(JSON.stringify(structure)).digest('hex').slice(0, 16)
}

test('within a major version the scoring is unchanged: item codes, option codes, order, scores, rule, bands, cut-off and warning signs', () => {
  // Recorded from the 1.0.0 definitions, before the wording was replaced. A scoring change needs a new major version
  // (and a new line here); a wording change must leave these alone.
  const recorded: Record<string, string> = {
    'phq-2@1': '3e22d48f65576dcd',
    'phq-9@1': '28780a00257a4a2e',
    'gad-2@1': '9f2d8f3a466bf3f5',
    'gad-7@1': 'fee3c88c88c72a90',
    'audit-c@1': '1050aab56c0251ec',
    'audit@1': '45685a0b31d8f95d',
    'dast-10@1': '76ac1cfee6c08998',
    'hsi@1': 'b6a553defd124b04',
    'asrs-a@1': '6ee1b6d426060113',
    'aq-10@1': '9853b923192df6cf',
    'pc-ptsd-5@1': '8617b32bc209a9de',
  }
  for (const d of library.list()) {
    const key = `${d.code}@${d.version.split('.')[0] ?? ''}`
    assert.equal(scoringFingerprint(d), recorded[key], `${key}: scoring changed without a new major version`)
  }
})

// ---------- PHQ-9 and PHQ-2 ----------

const PHQ_STEM = 'Over the last 2 weeks, how often have you been bothered by any of the following problems?'
const PHQ9_ITEMS = [
  'Little interest or pleasure in doing things',
  'Feeling down, depressed, or hopeless',
  'Trouble falling or staying asleep, or sleeping too much',
  'Feeling tired or having little energy',
  'Poor appetite or overeating',
  'Feeling bad about yourself — or that you are a failure or have let yourself or your family down',
  'Trouble concentrating on things, such as reading the newspaper or watching television',
  'Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual',
  'Thoughts that you would be better off dead or of hurting yourself in some way',
]
const PHQ_GAD_LABELS = [
  'Not at all',
  'Several days',
  'More than half the days',
  'Nearly every day',
  'Prefer not to say',
]

test('PHQ-9 asks the published stem, items and difficulty question, with the published answer labels', () => {
  const phq9 = definition('phq-9')
  assert.ok(phq9.introduction.endsWith(PHQ_STEM), phq9.introduction)
  assert.deepEqual(
    scored('phq-9').map((i) => i.text),
    PHQ9_ITEMS,
  )
  for (const item of scored('phq-9'))
    assert.deepEqual(
      item.options.map((o) => o.label),
      PHQ_GAD_LABELS,
    )
  const difficulty = phq9.items.find((i) => i.code === 'phq9-function')
  assert.equal(
    difficulty?.text,
    'If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?',
  )
  assert.deepEqual(
    difficulty.options.map((o) => o.label),
    ['Not difficult at all', 'Somewhat difficult', 'Very difficult', 'Extremely difficult', 'Prefer not to say'],
  )
})

test('PHQ-2 asks PHQ-9 items 1 and 2 with the PHQ-9 stem', () => {
  assert.ok(definition('phq-2').introduction.endsWith(PHQ_STEM))
  assert.deepEqual(
    scored('phq-2').map((i) => i.text),
    PHQ9_ITEMS.slice(0, 2),
  )
})

// ---------- GAD-7 and GAD-2 ----------

const GAD_STEM = 'Over the last 2 weeks, how often have you been bothered by the following problems?'
const GAD7_ITEMS = [
  'Feeling nervous, anxious or on edge',
  'Not being able to stop or control worrying',
  'Worrying too much about different things',
  'Trouble relaxing',
  'Being so restless that it is hard to sit still',
  'Becoming easily annoyed or irritable',
  'Feeling afraid as if something awful might happen',
]

test('GAD-7 and GAD-2 ask the published stem and items, with the published answer labels', () => {
  for (const [code, items] of [
    ['gad-7', GAD7_ITEMS],
    ['gad-2', GAD7_ITEMS.slice(0, 2)],
  ] as const) {
    assert.ok(definition(code).introduction.endsWith(GAD_STEM), code)
    assert.deepEqual(
      scored(code).map((i) => i.text),
      items,
      code,
    )
    for (const item of scored(code))
      assert.deepEqual(
        item.options.map((o) => o.label),
        PHQ_GAD_LABELS,
      )
  }
})

// ---------- AUDIT and AUDIT-C (UK units version) ----------

const AUDIT_QUESTIONS = [
  'How often do you have a drink containing alcohol?',
  'How many units of alcohol do you drink on a typical day when you are drinking?',
  'How often have you had 6 or more units if female, or 8 or more if male, on a single occasion in the last year?',
  'How often during the last year have you found that you were not able to stop drinking once you had started?',
  'How often during the last year have you failed to do what was normally expected from you because of your drinking?',
  'How often during the last year have you needed an alcoholic drink in the morning to get yourself going after a heavy drinking session?',
  'How often during the last year have you had a feeling of guilt or remorse after drinking?',
  'How often during the last year have you been unable to remember what happened the night before because you had been drinking?',
  'Have you or somebody else been injured as a result of your drinking?',
  'Has a relative or friend, doctor or other health worker been concerned about your drinking or suggested that you cut down?',
]
const AUDIT_LABELS = {
  q1: ['Never', 'Monthly or less', '2-4 times per month', '2-3 times per week', '4+ times per week'],
  q2: ['1-2', '3-4', '5-6', '7-9', '10+'],
  q3to8: ['Never', 'Less than monthly', 'Monthly', 'Weekly', 'Daily or almost daily'],
  q9to10: ['No', 'Yes, but not in the last year', 'Yes, during the last year'],
}
const labelsFor = (index: number) =>
  index === 0 ? AUDIT_LABELS.q1 : index === 1 ? AUDIT_LABELS.q2 : index <= 7 ? AUDIT_LABELS.q3to8 : AUDIT_LABELS.q9to10

test('AUDIT and AUDIT-C ask the published UK questions with the published answer labels, then "Prefer not to say"', () => {
  for (const [code, count] of [
    ['audit', 10],
    ['audit-c', 3],
  ] as const) {
    const items = scored(code)
    assert.deepEqual(
      items.map((i) => i.text),
      AUDIT_QUESTIONS.slice(0, count),
      code,
    )
    items.forEach((item, index) => {
      assert.deepEqual(
        item.options.map((o) => o.label),
        [...labelsFor(index), 'Prefer not to say'],
        `${code} ${item.code}`,
      )
    })
  }
})

test('the service keeps its own "why we ask" and opening words for every published instrument', () => {
  for (const code of PUBLISHED) {
    const d = definition(code)
    assert.ok(d.whyWeAsk.length > 0, code)
    assert.match(d.introduction, /choose not to answer/, `${code} says answering is optional`)
  }
})
