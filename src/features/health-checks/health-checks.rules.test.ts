import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  bmiOf,
  checkObservations,
  endOfUkDay,
  observationWarningSigns,
  proposeNeeds,
  type ResultForRules,
} from './health-checks.rules.ts'

const result = (instrumentCode: string, fields: Partial<ResultForRules> = {}): ResultForRules => ({
  instrumentCode,
  answers: {},
  complete: true,
  score: 0,
  bandCode: null,
  positive: null,
  ...fields,
})

test('the response deadline is the end of the same UK day, in GMT and in BST', () => {
  assert.equal(endOfUkDay(new Date('2026-11-20T10:00:00Z')).toISOString(), '2026-11-21T00:00:00.000Z')
  assert.equal(endOfUkDay(new Date('2026-11-20T23:59:00Z')).toISOString(), '2026-11-21T00:00:00.000Z')
  assert.equal(endOfUkDay(new Date('2026-07-01T22:30:00Z')).toISOString(), '2026-07-01T23:00:00.000Z')
  assert.equal(endOfUkDay(new Date('2026-07-01T23:30:00Z')).toISOString(), '2026-07-02T23:00:00.000Z')
})

test('BMI is worked out to 1 decimal place', () => {
  assert.equal(bmiOf(170, 70), 24.2)
  assert.equal(bmiOf(180, 110.5), 34.1)
})

test('observations outside plausible ranges are refused, and not-measured values dropped', () => {
  const base = {
    bloodPressureStatus: 'measured' as const,
    systolic: 120,
    diastolic: 80,
    heightStatus: 'not-measured' as const,
    heightCm: 999,
    weightStatus: 'measured' as const,
    weightKg: 70.25,
    smokingStatus: null,
  }
  const bad = checkObservations(base)
  assert.ok(!bad.ok)
  assert.deepEqual(
    bad.errors.map((e) => e.field),
    ['weightKg'],
  )
  const good = checkObservations({ ...base, weightKg: 70.2 })
  assert.ok(good.ok)
  assert.equal(good.value.heightCm, null)
  assert.equal(good.value.bmi, null)
  const inverted = checkObservations({ ...base, systolic: 70, diastolic: 80, weightKg: 70 })
  assert.ok(!inverted.ok)
})

test('needs are proposed only from complete results, at each rule’s threshold', () => {
  assert.deepEqual(proposeNeeds([result('phq-2', { complete: false, positive: null, score: null })], null, []), [])
  const proposals = proposeNeeds(
    [
      result('gad-2', { positive: true }),
      result('audit', { bandCode: 'increasing-risk', score: 8 }),
      result('dast-10', { bandCode: 'low', score: 2 }),
      result('hsi', { answers: { 'hsi-smoking-status': 'current' } }),
      result('aq-10', { positive: true }),
      result('pc-ptsd-5', { positive: false }),
    ],
    { systolic: 89, diastolic: 70, bmi: 18.5, smokingStatus: null },
    [],
  )
  assert.deepEqual(
    proposals.map((p) => p.category),
    ['mental-health', 'alcohol', 'smoking', 'neurodivergence', 'physical-health'],
  )
  assert.match(proposals.find((p) => p.category === 'physical-health')?.because ?? '', /below 90\/60/)
  const drugs = proposeNeeds([result('dast-10', { bandCode: 'moderate', score: 3 })], null, [])
  assert.deepEqual(
    drugs.map((p) => p.category),
    ['drugs'],
  )
  const flagOnly = proposeNeeds([result('phq-9', { positive: false, score: 1 })], null, ['phq-9'])
  assert.deepEqual(
    flagOnly.map((p) => p.category),
    ['mental-health'],
  )
})

// H-326: severe hypertension (NICE NG136: clinic 180 systolic or 120 diastolic or higher) is a same-day warning sign.
test('a blood pressure of 180 systolic or 120 diastolic or higher is a warning sign; 179/119 is not', () => {
  const sign = (systolic: number | null, diastolic: number | null) =>
    observationWarningSigns({ systolic, diastolic }).map((s) => `${s.itemCode}:${s.code}`)
  assert.deepEqual(sign(190, 125), ['blood-pressure:severe-hypertension'])
  assert.deepEqual(sign(180, 100), ['blood-pressure:severe-hypertension'])
  assert.deepEqual(sign(150, 120), ['blood-pressure:severe-hypertension'])
  assert.deepEqual(sign(179, 119), [])
  assert.deepEqual(sign(null, null), [])
  const [flag] = observationWarningSigns({ systolic: 190, diastolic: 125 })
  assert.match(flag?.message ?? '', /^Blood pressure 190\/125 mmHg is severely raised \(180\/120 or higher\)/)
  assert.match(flag?.message ?? '', /today/)
  assert.match(flag?.message ?? '', /NICE NG136/)
  assert.doesNotMatch(flag?.message ?? '', /risk (level|rating|score)/i)
})

test('the physical-health need says how high the blood pressure was', () => {
  const because = (systolic: number, diastolic: number) =>
    proposeNeeds([], { systolic, diastolic, bmi: null, smokingStatus: null }, []).find(
      (p) => p.category === 'physical-health',
    )?.because
  assert.equal(
    because(190, 125),
    'Blood pressure 190/125 mmHg: severely raised (180/120 or higher), same-day clinician review',
  )
  assert.equal(because(179, 119), 'Blood pressure 179/119 mmHg: raised (140/90 or higher)')
  assert.equal(because(140, 80), 'Blood pressure 140/80 mmHg: raised (140/90 or higher)')
  assert.equal(because(85, 55), 'Blood pressure 85/55 mmHg: low (below 90/60)')
  assert.equal(because(139, 89), undefined)
})

test('observations report every error at once', () => {
  const all = checkObservations({
    bloodPressureStatus: 'measured',
    systolic: 70,
    diastolic: 80,
    heightStatus: 'measured',
    heightCm: 20,
    weightStatus: 'measured',
    weightKg: 1000,
    smokingStatus: null,
  })
  assert.ok(!all.ok)
  assert.deepEqual(
    all.errors.map((e) => `${e.field}: ${e.message}`),
    [
      'systolic: The systolic blood pressure must be higher than the diastolic',
      'heightCm: The height must be between 50 and 250 cm',
      'weightKg: The weight must be between 20 and 400 kg',
    ],
  )
  const ranges = checkObservations({
    bloodPressureStatus: 'measured',
    systolic: 1200,
    diastolic: 10,
    heightStatus: 'measured',
    heightCm: null,
    weightStatus: 'not-measured',
    weightKg: null,
    smokingStatus: null,
  })
  assert.ok(!ranges.ok)
  assert.deepEqual(
    ranges.errors.map((e) => e.field),
    ['systolic', 'diastolic', 'heightCm'],
  )
})
