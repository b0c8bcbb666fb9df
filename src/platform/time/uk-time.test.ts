import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fromUkLocal, longCalendarDate, toUkLocal } from './uk-time.ts'

test('a calendar date reads in GOV.UK style, with no comma after the weekday', () => {
  assert.equal(longCalendarDate('2026-11-20'), 'Friday 20 November 2026')
  assert.equal(longCalendarDate('2027-03-01'), 'Monday 1 March 2027')
})

test('UK wall-clock times map to instants in GMT and in BST', () => {
  assert.equal(fromUkLocal('2026-12-03', '10:00')?.toISOString(), '2026-12-03T10:00:00.000Z')
  assert.equal(fromUkLocal('2026-07-01', '10:00')?.toISOString(), '2026-07-01T09:00:00.000Z')
  assert.deepEqual(toUkLocal(new Date('2026-07-01T09:00:00Z')), { date: '2026-07-01', time: '10:00' })
})

test('the hour skipped when the clocks go forward does not exist; the repeated hour takes BST first', () => {
  assert.equal(fromUkLocal('2027-03-28', '01:30'), undefined)
  assert.equal(fromUkLocal('2026-10-25', '01:30')?.toISOString(), '2026-10-25T00:30:00.000Z')
})
