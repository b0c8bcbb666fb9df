import { test } from 'node:test'
import assert from 'node:assert/strict'
import { loadInstrumentLibrary } from './instruments.library.ts'
import { AnswerCodeError, score } from './instruments.scoring.ts'

/*
 * Expected values here come from the published rules as the domain reference (§1) states them, written out in this
 * file. They are never taken from the definitions or the scoring module under test.
 */

const library = loadInstrumentLibrary()
const definition = (code: string) => {
  const found = library.find(code)
  if (found === undefined) throw new Error(`no ${code}`)
  return found
}

/** Per-item points summing to `total`, filling items in order up to `max` each. */
function spread(total: number, items: number, max: number): number[] {
  let left = total
  return Array.from({ length: items }, () => {
    const points = Math.min(max, left)
    left -= points
    return points
  })
}

const bandBy = (edges: readonly [number, string][]) => (total: number) => {
  const found = edges.find(([upTo]) => total <= upTo)
  if (found === undefined) throw new Error(`total ${total} beyond the reference bands`)
  return found[1]
}

// PHQ/GAD scale: 0 Not at all · 1 Several days · 2 More than half the days · 3 Nearly every day.
const PHQ_SCALE = ['not-at-all', 'several-days', 'more-than-half-the-days', 'nearly-every-day'] as const
const phqAnswer = (points: number) => PHQ_SCALE[points] ?? 'out-of-range'
function phqAnswers(prefix: string, perItem: readonly number[]): Record<string, string> {
  return Object.fromEntries(perItem.map((points, index) => [`${prefix}-${index + 1}`, phqAnswer(points)]))
}

// ---------- PHQ-9 ----------

const phq9Band = bandBy([
  [4, 'minimal'],
  [9, 'mild'],
  [14, 'moderate'],
  [19, 'moderately-severe'],
  [27, 'severe'],
])

for (const total of [0, 4, 5, 9, 10, 14, 15, 19, 20, 27]) {
  test(`PHQ-9 total ${total} is band ${phq9Band(total)}`, () => {
    const perItem = spread(total, 9, 3)
    const result = score(definition('phq-9'), phqAnswers('phq9', perItem))
    assert.equal(result.complete, true)
    assert.equal(result.score, total)
    assert.equal(result.band?.code, phq9Band(total))
    assert.equal(result.positive, total >= 10)
    assert.equal(result.partialScore, null)
    const item9 = perItem[8] ?? 0
    assert.deepEqual(
      result.flags.map((f) => f.itemCode),
      item9 > 0 ? ['phq9-9'] : [],
    )
  })
}

test('PHQ-9 item 9 above 0 flags at a total of 1, with no band-based risk level', () => {
  const perItem = [0, 0, 0, 0, 0, 0, 0, 0, 1]
  const result = score(definition('phq-9'), phqAnswers('phq9', perItem))
  assert.equal(result.score, 1)
  assert.equal(result.band?.code, 'minimal')
  assert.equal(result.flags.length, 1)
  const [flag] = result.flags
  assert.ok(flag !== undefined)
  assert.equal(flag.code, 'phq9-item9')
  assert.equal(flag.itemCode, 'phq9-9')
  assert.match(flag.message, /today/)
  assert.doesNotMatch(JSON.stringify(result), /risk level|high risk|low risk|medium risk/i)
})

for (const answer of ['several-days', 'more-than-half-the-days', 'nearly-every-day']) {
  test(`PHQ-9 item 9 answered ${answer} flags even when every other item is missing`, () => {
    const result = score(definition('phq-9'), { 'phq9-9': answer })
    assert.equal(result.complete, false)
    assert.equal(result.score, null)
    assert.deepEqual(
      result.flags.map((f) => f.itemCode),
      ['phq9-9'],
    )
    assert.deepEqual(result.missingItems, [
      'phq9-1',
      'phq9-2',
      'phq9-3',
      'phq9-4',
      'phq9-5',
      'phq9-6',
      'phq9-7',
      'phq9-8',
    ])
  })
}

test('PHQ-9 item 9 "Not at all" raises no flag', () => {
  const result = score(definition('phq-9'), phqAnswers('phq9', [3, 3, 3, 3, 3, 3, 3, 3, 0]))
  assert.equal(result.score, 24)
  assert.deepEqual(result.flags, [])
})

test('PHQ-9 with a skipped item is incomplete: no score, no band, the item named, a lower-bound partial score', () => {
  const answers = phqAnswers('phq9', [3, 3, 3, 0, 0, 0, 0, 0, 0])
  delete answers['phq9-5']
  const result = score(definition('phq-9'), answers)
  assert.equal(result.complete, false)
  assert.equal(result.score, null)
  assert.equal(result.band, null)
  assert.equal(result.positive, null)
  assert.equal(result.partialScore, 9)
  assert.deepEqual(result.missingItems, ['phq9-5'])
  assert.deepEqual(result.preferNotToSay, [])
})

test('PHQ-9 "prefer not to say" makes the result incomplete and names the item in both lists', () => {
  const answers = { ...phqAnswers('phq9', [1, 1, 1, 1, 1, 1, 1, 1, 0]), 'phq9-3': 'prefer-not-to-say' }
  const result = score(definition('phq-9'), answers)
  assert.equal(result.complete, false)
  assert.equal(result.score, null)
  assert.equal(result.partialScore, 7)
  assert.deepEqual(result.missingItems, ['phq9-3'])
  assert.deepEqual(result.preferNotToSay, ['phq9-3'])
})

test('PHQ-9 item 9 "prefer not to say" leaves the result incomplete and raises no flag of its own', () => {
  const result = score(definition('phq-9'), {
    ...phqAnswers('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 0]),
    'phq9-9': 'prefer-not-to-say',
  })
  assert.equal(result.complete, false)
  assert.deepEqual(result.preferNotToSay, ['phq9-9'])
  assert.deepEqual(result.flags, [])
})

test('PHQ-9 function item is not scored and not needed for a complete result', () => {
  const answers = phqAnswers('phq9', [1, 1, 0, 0, 0, 0, 0, 0, 0])
  const without = score(definition('phq-9'), answers)
  const withIt = score(definition('phq-9'), { ...answers, 'phq9-function': 'extremely-difficult' })
  assert.equal(without.complete, true)
  assert.equal(without.score, 2)
  assert.equal(withIt.score, 2)
})

test('empty answers: every scored item is missing', () => {
  const result = score(definition('phq-9'), {})
  assert.equal(result.complete, false)
  assert.equal(result.missingItems.length, 9)
  assert.equal(result.partialScore, 0)
})

// ---------- PHQ-2 and GAD-2 ----------

for (const [code, prefix, full] of [
  ['phq-2', 'phq2', 'phq-9'],
  ['gad-2', 'gad2', 'gad-7'],
] as const) {
  for (let total = 0; total <= 6; total++) {
    test(`${code} total ${total} is ${total >= 3 ? 'positive, offering ' + full : 'negative'}`, () => {
      const result = score(definition(code), phqAnswers(prefix, spread(total, 2, 3)))
      assert.equal(result.score, total)
      assert.equal(result.positive, total >= 3)
      assert.equal(result.band?.code, total >= 3 ? 'positive' : 'negative')
      assert.equal(result.offerFull, total >= 3 ? full : undefined)
    })
  }
}

test('an incomplete brief screen below its cut-off is neither positive nor negative and offers nothing', () => {
  const result = score(definition('phq-2'), { 'phq2-1': 'more-than-half-the-days' })
  assert.equal(result.positive, null)
  assert.equal(result.offerFull, undefined)
  assert.equal(result.partialScore, 2)
})

test('an incomplete brief screen whose answered items already reach the cut-off is positive and offers the full instrument', () => {
  // PHQ-2 cut-off 3: item 1 "Nearly every day" (3) is enough whatever item 2 would have been.
  const result = score(definition('phq-2'), { 'phq2-1': 'nearly-every-day', 'phq2-2': 'prefer-not-to-say' })
  assert.equal(result.complete, false)
  assert.equal(result.score, null)
  assert.equal(result.band, null)
  assert.equal(result.positive, true)
  assert.equal(result.offerFull, 'phq-9')
  assert.deepEqual(result.preferNotToSay, ['phq2-2'])
})

test('a gated screen with its gate unanswered is never called positive, however many items are answered yes', () => {
  const yes = { 'pcptsd5-1': 'yes', 'pcptsd5-2': 'yes', 'pcptsd5-3': 'yes' }
  const unanswered = score(definition('pc-ptsd-5'), yes)
  assert.equal(unanswered.positive, null)
  const open = score(definition('pc-ptsd-5'), { 'pcptsd5-exposure': 'yes', ...yes })
  assert.equal(open.complete, false)
  assert.equal(open.positive, true)
})

// ---------- GAD-7 ----------

const gad7Band = bandBy([
  [4, 'below-mild'],
  [9, 'mild'],
  [14, 'moderate'],
  [21, 'severe'],
])

for (const total of [0, 4, 5, 9, 10, 14, 15, 21]) {
  test(`GAD-7 total ${total} is band ${gad7Band(total)}`, () => {
    const result = score(definition('gad-7'), phqAnswers('gad7', spread(total, 7, 3)))
    assert.equal(result.score, total)
    assert.equal(result.band?.code, gad7Band(total))
    assert.equal(result.positive, total >= 10)
  })
}

// ---------- AUDIT and AUDIT-C ----------

// Q1: Never · Monthly or less · 2–4 per month · 2–3 per week · 4+ per week (0–4)
const AUDIT_Q1 = ['never', 'monthly-or-less', '2-to-4-times-a-month', '2-to-3-times-a-week', '4-or-more-times-a-week']
// Q2: 1–2 · 3–4 · 5–6 · 7–9 · 10+ units (0–4)
const AUDIT_Q2 = ['1-to-2', '3-to-4', '5-to-6', '7-to-9', '10-or-more']
// Q3–8: Never · Less than monthly · Monthly · Weekly · Daily or almost daily (0–4)
const AUDIT_Q3_8 = ['never', 'less-than-monthly', 'monthly', 'weekly', 'daily-or-almost-daily']
// Q9–10: No = 0 · Yes, not in the last year = 2 · Yes, in the last year = 4
const AUDIT_Q9_10: Record<number, string> = { 0: 'no', 2: 'yes-not-in-last-year', 4: 'yes-in-last-year' }

function auditAnswers(prefix: string, perItem: readonly number[]): Record<string, string> {
  return Object.fromEntries(
    perItem.map((points, index) => {
      const scale = index === 0 ? AUDIT_Q1 : index === 1 ? AUDIT_Q2 : index <= 7 ? AUDIT_Q3_8 : undefined
      const code = scale === undefined ? AUDIT_Q9_10[points] : scale[points]
      return [`${prefix}-${index + 1}`, code ?? 'out-of-range']
    }),
  )
}

/** Q1–8 take up to 4 each; anything over 32 goes to Q9 then Q10 in the steps 2 and 4. */
function auditPerItem(total: number): number[] {
  const first = spread(Math.min(total, 32), 8, 4)
  let rest = total - 32 > 0 ? total - 32 : 0
  const q9 = Math.min(4, rest)
  rest -= q9
  return [...first, q9, rest]
}

const auditBand = bandBy([
  [7, 'lower-risk'],
  [15, 'increasing-risk'],
  [19, 'higher-risk'],
  [40, 'possible-dependence'],
])

for (const total of [0, 7, 8, 15, 16, 19, 20, 32, 34, 36, 40]) {
  test(`AUDIT total ${total} is band ${auditBand(total)}`, () => {
    const result = score(definition('audit'), auditAnswers('audit', auditPerItem(total)))
    assert.equal(result.complete, true)
    assert.equal(result.score, total)
    assert.equal(result.band?.code, auditBand(total))
  })
}

for (const item of [9, 10]) {
  for (const [points, code] of Object.entries(AUDIT_Q9_10)) {
    test(`AUDIT question ${item} "${code}" scores ${points}`, () => {
      const perItem = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
      perItem[item - 1] = Number(points)
      const result = score(definition('audit'), auditAnswers('audit', perItem))
      assert.equal(result.score, Number(points))
    })
  }
}

test('AUDIT 7 and 8 across questions 9–10: 2 + 5 is lower risk, 4 + 4 is increasing risk', () => {
  const seven = score(definition('audit'), auditAnswers('audit', [1, 1, 1, 1, 1, 0, 0, 0, 2, 0]))
  const eight = score(definition('audit'), auditAnswers('audit', [1, 1, 1, 1, 0, 0, 0, 0, 0, 4]))
  assert.deepEqual([seven.score, seven.band?.code], [7, 'lower-risk'])
  assert.deepEqual([eight.score, eight.band?.code], [8, 'increasing-risk'])
})

for (let total = 0; total <= 12; total++) {
  test(`AUDIT-C total ${total} is ${total >= 5 ? 'positive (UK), offering the full AUDIT' : 'negative (UK)'}`, () => {
    const result = score(definition('audit-c'), auditAnswers('auditc', spread(total, 3, 4)))
    assert.equal(result.score, total)
    assert.equal(result.positive, total >= 5)
    assert.equal(result.offerFull, total >= 5 ? 'audit' : undefined)
  })
}

test('AUDIT-C uses the UK cut-off only: 3 and 4 (US cut-offs for women and men) are not positive', () => {
  for (const total of [3, 4]) {
    const result = score(definition('audit-c'), auditAnswers('auditc', spread(total, 3, 4)))
    assert.equal(result.positive, false)
  }
  assert.equal(definition('audit-c').positiveScreen?.atOrAbove, 5)
})

// ---------- DAST-10 ----------

/** Reference: 1 per "yes", except item 3, where "no" scores 1. */
const dastCounting = (item: number) => (item === 3 ? 'no' : 'yes')
const dastNotCounting = (item: number) => (item === 3 ? 'yes' : 'no')
const dastBand = bandBy([
  [0, 'none'],
  [2, 'low'],
  [5, 'moderate'],
  [8, 'substantial'],
  [10, 'severe'],
])

for (const total of [0, 1, 2, 3, 5, 6, 8, 9, 10]) {
  test(`DAST-10 total ${total} is band ${dastBand(total)}`, () => {
    const answers = Object.fromEntries(
      Array.from({ length: 10 }, (_, index) => {
        const item = index + 1
        return [`dast10-${item}`, index < total ? dastCounting(item) : dastNotCounting(item)]
      }),
    )
    const result = score(definition('dast-10'), answers)
    assert.equal(result.score, total)
    assert.equal(result.band?.code, dastBand(total))
  })
}

test('DAST-10 item 3 is reverse-scored: all "no" scores 1, all "yes" scores 9', () => {
  const all = (answer: string) => Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`dast10-${i + 1}`, answer]))
  assert.equal(score(definition('dast-10'), all('no')).score, 1)
  assert.equal(score(definition('dast-10'), all('yes')).score, 9)
  const onlyItem3 = { ...all('no'), 'dast10-3': 'yes' }
  assert.equal(score(definition('dast-10'), onlyItem3).score, 0)
  assert.equal(definition('dast-10').items[2]?.reverseScored, true)
})

// ---------- HSI with smoking status ----------

// Time to first cigarette: ≤5 min = 3, 6–30 = 2, 31–60 = 1, >60 = 0.
const minutesPoints: Record<string, number> = {
  'within-5-minutes': 3,
  '6-to-30-minutes': 2,
  '31-to-60-minutes': 1,
  'after-60-minutes': 0,
}
// Cigarettes a day: ≤10 = 0, 11–20 = 1, 21–30 = 2, ≥31 = 3.
const cigarettePoints: Record<string, number> = { '10-or-fewer': 0, '11-to-20': 1, '21-to-30': 2, '31-or-more': 3 }
const hsiBand = bandBy([
  [1, 'low'],
  [4, 'medium'],
  [6, 'high'],
])

for (const [minutes, mPoints] of Object.entries(minutesPoints)) {
  for (const [cigarettes, cPoints] of Object.entries(cigarettePoints)) {
    const total = mPoints + cPoints
    test(`HSI ${minutes} and ${cigarettes} a day scores ${total} (${hsiBand(total)})`, () => {
      const result = score(definition('hsi'), {
        'hsi-smoking-status': 'current',
        'hsi-1': minutes,
        'hsi-2': cigarettes,
      })
      assert.equal(result.applicable, true)
      assert.equal(result.score, total)
      assert.equal(result.band?.code, hsiBand(total))
    })
  }
}

test('HSI options show the band edges in the published order', () => {
  const labels = (code: string) =>
    definition('hsi')
      .items.find((i) => i.code === code)
      ?.options.map((o) => o.label)
  assert.deepEqual(labels('hsi-1'), [
    'Within 5 minutes',
    '6 to 30 minutes',
    '31 to 60 minutes',
    'After 60 minutes',
    'Prefer not to say',
  ])
  assert.deepEqual(labels('hsi-2'), ['10 or fewer', '11 to 20', '21 to 30', '31 or more', 'Prefer not to say'])
})

for (const status of ['ex', 'never']) {
  test(`HSI is not applicable for ${status} smokers: complete, with no score or band`, () => {
    const result = score(definition('hsi'), { 'hsi-smoking-status': status })
    assert.equal(result.applicable, false)
    assert.equal(result.complete, true)
    assert.equal(result.score, null)
    assert.equal(result.band, null)
  })
}

test('HSI for a current smoker without the two questions is incomplete and names them', () => {
  const result = score(definition('hsi'), { 'hsi-smoking-status': 'current' })
  assert.equal(result.complete, false)
  assert.deepEqual(result.missingItems, ['hsi-1', 'hsi-2'])
})

test('HSI with smoking status declined is incomplete and names the status question', () => {
  const result = score(definition('hsi'), { 'hsi-smoking-status': 'prefer-not-to-say' })
  assert.equal(result.complete, false)
  assert.deepEqual(result.preferNotToSay, ['hsi-smoking-status'])
  assert.deepEqual(result.missingItems, ['hsi-smoking-status', 'hsi-1', 'hsi-2'])
})

test('HSI questions answered for someone who never smoked are refused as not asked', () => {
  assert.throws(
    () => score(definition('hsi'), { 'hsi-smoking-status': 'never', 'hsi-1': 'within-5-minutes' }),
    (error: unknown) => error instanceof AnswerCodeError && error.problems[0]?.reason === 'not-asked',
  )
})

// ---------- ASRS Part A ----------

const ASRS_SCALE = ['never', 'rarely', 'sometimes', 'often', 'very-often'] as const
/** Reference: items 1–3 count at Sometimes or above; items 4–6 at Often or above; ≥4 counted is positive. */
const asrsCounts = (item: number, answer: string) =>
  ASRS_SCALE.indexOf(answer as (typeof ASRS_SCALE)[number]) >= (item <= 3 ? 2 : 3)

test('ASRS Part A: every combination of answers is counted as the reference rule says', () => {
  let checked = 0
  const combination = new Array<number>(6).fill(0)
  for (let n = 0; n < 5 ** 6; n++) {
    let rest = n
    for (let i = 0; i < 6; i++) {
      combination[i] = rest % 5
      rest = Math.floor(rest / 5)
    }
    const answers = Object.fromEntries(combination.map((a, i) => [`asrs-${i + 1}`, ASRS_SCALE[a] ?? '']))
    const expected = combination.filter((a, i) => asrsCounts(i + 1, ASRS_SCALE[a] ?? '')).length
    const result = score(definition('asrs-a'), answers)
    if (result.score !== expected || result.positive !== expected >= 4) {
      assert.fail(`${JSON.stringify(answers)}: expected ${expected}, got ${String(result.score)}`)
    }
    checked++
  }
  assert.equal(checked, 15625)
})

test('ASRS Part A 3/4 edge: "Sometimes" counts on items 1–3 but not on items 4–6', () => {
  const base = {
    'asrs-1': 'sometimes',
    'asrs-2': 'sometimes',
    'asrs-3': 'sometimes',
    'asrs-5': 'never',
    'asrs-6': 'never',
  }
  const three = score(definition('asrs-a'), { ...base, 'asrs-4': 'sometimes' })
  const four = score(definition('asrs-a'), { ...base, 'asrs-4': 'often' })
  assert.deepEqual([three.score, three.positive, three.band?.code], [3, false, 'negative'])
  assert.deepEqual([four.score, four.positive, four.band?.code], [4, true, 'positive'])
  const rarely = score(definition('asrs-a'), { ...base, 'asrs-1': 'rarely', 'asrs-4': 'often' })
  assert.equal(rarely.score, 3)
})

// ---------- AQ-10 ----------

/** Reference: agree (either) scores on items 1, 7, 8, 10; disagree (either) on 2, 3, 4, 5, 6, 9. ≥6 positive. */
const AQ_AGREE_ITEMS = [1, 7, 8, 10]
const aqScoring = (item: number, strength: 'definitely' | 'slightly') =>
  `${strength}-${AQ_AGREE_ITEMS.includes(item) ? 'agree' : 'disagree'}`
const aqNonScoring = (item: number, strength: 'definitely' | 'slightly') =>
  `${strength}-${AQ_AGREE_ITEMS.includes(item) ? 'disagree' : 'agree'}`

for (const strength of ['definitely', 'slightly'] as const) {
  for (const total of [0, 5, 6, 10]) {
    test(`AQ-10 total ${total} (${strength}) is ${total >= 6 ? 'positive' : 'negative'}`, () => {
      // Alternate which items score so both keyed directions are exercised at each total.
      const order = [1, 2, 7, 3, 8, 4, 10, 5, 6, 9]
      const scoring = new Set(order.slice(0, total))
      const answers = Object.fromEntries(
        Array.from({ length: 10 }, (_, index) => {
          const item = index + 1
          return [`aq10-${item}`, scoring.has(item) ? aqScoring(item, strength) : aqNonScoring(item, strength)]
        }),
      )
      const result = score(definition('aq-10'), answers)
      assert.equal(result.score, total)
      assert.equal(result.positive, total >= 6)
      assert.equal(result.band?.code, total >= 6 ? 'positive' : 'negative')
    })
  }
}

test('AQ-10 each item scores 1 only in its keyed direction, whether definitely or slightly', () => {
  for (let item = 1; item <= 10; item++) {
    for (const strength of ['definitely', 'slightly'] as const) {
      const answers = Object.fromEntries(
        Array.from({ length: 10 }, (_, i) => [`aq10-${i + 1}`, aqNonScoring(i + 1, strength)]),
      )
      assert.equal(score(definition('aq-10'), answers).score, 0)
      answers[`aq10-${item}`] = aqScoring(item, strength)
      assert.equal(score(definition('aq-10'), answers).score, 1, `item ${item} ${strength}`)
    }
  }
})

// ---------- PC-PTSD-5 ----------

test('PC-PTSD-5 gate "No" scores 0, complete, without the five questions', () => {
  const result = score(definition('pc-ptsd-5'), { 'pcptsd5-exposure': 'no' })
  assert.deepEqual([result.complete, result.score, result.positive, result.band?.code], [true, 0, false, 'negative'])
  assert.deepEqual(result.missingItems, [])
})

for (let total = 0; total <= 5; total++) {
  test(`PC-PTSD-5 after "Yes" to the gate, ${total} "Yes" answers is ${total >= 3 ? 'positive' : 'negative'} at cut-point 3`, () => {
    const answers: Record<string, string> = { 'pcptsd5-exposure': 'yes' }
    for (let item = 1; item <= 5; item++) answers[`pcptsd5-${item}`] = item <= total ? 'yes' : 'no'
    const result = score(definition('pc-ptsd-5'), answers)
    assert.equal(result.score, total)
    assert.equal(result.positive, total >= 3)
  })
}

test('PC-PTSD-5 gate unanswered is incomplete and names the gate and the questions', () => {
  const result = score(definition('pc-ptsd-5'), { 'pcptsd5-1': 'yes' })
  assert.equal(result.complete, false)
  assert.deepEqual(result.missingItems, ['pcptsd5-exposure', 'pcptsd5-2', 'pcptsd5-3', 'pcptsd5-4', 'pcptsd5-5'])
})

test('PC-PTSD-5 questions answered after gate "No" are refused as not asked', () => {
  assert.throws(
    () => score(definition('pc-ptsd-5'), { 'pcptsd5-exposure': 'no', 'pcptsd5-1': 'yes' }),
    (error: unknown) => error instanceof AnswerCodeError && error.problems.map((p) => p.item).join() === 'pcptsd5-1',
  )
})

// ---------- Option orders and codes ----------

test('PHQ and GAD items list "Not at all" first, in the published order, then "Prefer not to say"', () => {
  for (const code of ['phq-9', 'phq-2', 'gad-7', 'gad-2']) {
    for (const item of definition(code).items.filter((i) => i.kind === 'scored')) {
      assert.deepEqual(
        item.options.map((o) => o.label),
        ['Not at all', 'Several days', 'More than half the days', 'Nearly every day', 'Prefer not to say'],
        `${code} ${item.code}`,
      )
    }
  }
})

test('every item of every instrument offers "prefer not to say" last, scoring nothing', () => {
  for (const instrument of library.list()) {
    for (const item of instrument.items) {
      const last = item.options.at(-1)
      assert.deepEqual([last?.code, last?.score], ['prefer-not-to-say', null], `${instrument.code} ${item.code}`)
    }
  }
})

test('the library has the eleven instruments with their stable item codes in published order', () => {
  assert.deepEqual(
    library
      .list()
      .map((d) => d.code)
      .sort(),
    ['aq-10', 'asrs-a', 'audit', 'audit-c', 'dast-10', 'gad-2', 'gad-7', 'hsi', 'pc-ptsd-5', 'phq-2', 'phq-9'],
  )
  assert.deepEqual(
    definition('phq-9').items.map((i) => i.code),
    ['phq9-1', 'phq9-2', 'phq9-3', 'phq9-4', 'phq9-5', 'phq9-6', 'phq9-7', 'phq9-8', 'phq9-9', 'phq9-function'],
  )
})

test('only PHQ-9 item 9 carries a warning sign (no other automatic suicide or self-harm rule)', () => {
  const signs = library.list().flatMap((d) => d.warningSigns.map((s) => `${d.code}:${s.item}:${s.scoreAbove}`))
  assert.deepEqual(signs, ['phq-9:phq9-9:0'])
})

test('unknown item and option codes are refused together, each named', () => {
  assert.throws(
    () => score(definition('phq-9'), { 'phq9-10': 'not-at-all', 'phq9-1': 'sometimes', 'phq9-2': 'not-at-all' }),
    (error: unknown) => {
      assert.ok(error instanceof AnswerCodeError)
      assert.deepEqual(
        error.problems.map((p) => [p.item, p.reason]),
        [
          ['phq9-10', 'unknown-item'],
          ['phq9-1', 'unknown-option'],
        ],
      )
      return true
    },
  )
})

test('an inherited property name is not taken for an item code', () => {
  assert.throws(
    () => score(definition('phq-2'), JSON.parse('{"toString":"x"}') as Record<string, string>),
    AnswerCodeError,
  )
  const result = score(definition('phq-2'), Object.create({ 'phq2-1': 'nearly-every-day' }) as Record<string, string>)
  assert.equal(result.partialScore, 0)
})
