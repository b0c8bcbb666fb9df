import { test } from 'node:test'
import assert from 'node:assert/strict'
import { addDays, fromUkLocal, longCalendarDate, toUkLocal } from './uk-time.ts'

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

/** What addDays answered before it worked from the numbers: Date's ISO parser and printer. */
function addDaysByParsing(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

test('adding days gives the same dates as parsing and printing them, across months, leap years and centuries', () => {
  const starts = ['2026-01-31', '2026-02-28', '2024-02-28', '2024-02-29', '2026-12-31', '1900-02-28', '2000-02-28']
  starts.push('0050-02-28', '0999-12-31', '9999-12-31', '2026-03-29', '2026-10-25', '2026-04-31', '2026-02-30')
  for (let day = 0; day < 800; day += 7) starts.push(addDaysByParsing('2025-01-01', day))
  for (const start of starts) {
    for (const days of [-1000, -366, -31, -29, -1, 0, 1, 28, 29, 30, 31, 84, 183, 365, 366, 1000]) {
      assert.equal(addDays(start, days), addDaysByParsing(start, days), `${start} ${String(days)}`)
    }
  }
  assert.equal(addDays('2026-12-31', 1), '2027-01-01')
  assert.equal(addDays('2024-02-28', 1), '2024-02-29')
  assert.equal(addDays('0050-02-28', 1), '0050-03-01')
})

test('adding days to something that is not a date is refused as before', () => {
  for (const bad of ['2026-13-01', '2026-12-32', '2026-00-10', 'not a date', '']) {
    assert.throws(() => addDays(bad, 1), RangeError, bad)
    assert.throws(() => addDaysByParsing(bad, 1), RangeError, bad)
  }
})
