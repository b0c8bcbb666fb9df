import { test } from 'node:test'
import assert from 'node:assert/strict'
import { controlCount, controlRate, controlSummary } from './disclosure.ts'

test('below national level: 0 is shown, 1 to 7 suppressed, 8 and up rounded to the nearest 5', () => {
  const shown = (n: number) => controlCount(n, 'sub-national')
  assert.deepEqual(shown(0), { value: 0, suppressed: false })
  assert.deepEqual(shown(1), { value: null, suppressed: true })
  assert.deepEqual(shown(7), { value: null, suppressed: true })
  assert.deepEqual(shown(8), { value: 10, suppressed: false })
  assert.deepEqual(shown(12), { value: 10, suppressed: false })
  assert.deepEqual(shown(13), { value: 15, suppressed: false })
  assert.deepEqual(shown(15), { value: 15, suppressed: false })
  assert.deepEqual(shown(102), { value: 100, suppressed: false })
})

test('at national level counts are shown as they are', () => {
  for (const n of [0, 1, 7, 8, 12, 13]) assert.deepEqual(controlCount(n, 'national'), { value: n, suppressed: false })
})

test('a rate is suppressed when its denominator or numerator is 1 to 7, and worked out from unrounded counts', () => {
  assert.deepEqual(controlRate(3, 7, 'sub-national'), { value: null, suppressed: true })
  assert.deepEqual(controlRate(3, 12, 'sub-national'), { value: null, suppressed: true }, 'the numerator would show')
  assert.deepEqual(controlRate(8, 12, 'sub-national'), { value: 8 / 12, suppressed: false })
  assert.deepEqual(controlRate(0, 13, 'sub-national'), { value: 0, suppressed: false })
  assert.deepEqual(controlRate(0, 0, 'sub-national'), { value: null, suppressed: false })
  assert.deepEqual(controlRate(3, 7, 'national'), { value: 3 / 7, suppressed: false })
  assert.throws(() => controlRate(5, 4, 'national'), RangeError)
})

test('a summary of 1 to 7 people is suppressed below national level', () => {
  assert.deepEqual(controlSummary(12.5, 7, 'sub-national'), { value: null, suppressed: true })
  assert.deepEqual(controlSummary(12.5, 8, 'sub-national'), { value: 12.5, suppressed: false })
  assert.deepEqual(controlSummary(12.5, 1, 'national'), { value: 12.5, suppressed: false })
  assert.throws(() => controlCount(-1, 'national'), RangeError)
  assert.throws(() => controlCount(1.5, 'national'), RangeError)
})
