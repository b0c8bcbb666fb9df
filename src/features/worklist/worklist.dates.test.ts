import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ukDueDateOf, urgencyOfDate, urgencyOfDeadline } from './worklist.dates.ts'
import { addDays, ukDateOf, ukMidnight } from '../../platform/time/uk-time.ts'

test('a due date before today’s UK date is overdue, on it due today, after it upcoming', () => {
  assert.equal(urgencyOfDate('2026-11-19', '2026-11-20'), 'overdue')
  assert.equal(urgencyOfDate('2026-11-20', '2026-11-20'), 'due-today')
  assert.equal(urgencyOfDate('2026-11-21', '2026-11-20'), 'upcoming')
})

test('today is the UK date: 23:30 UTC in summer is already tomorrow, in winter it is not', () => {
  assert.equal(ukDateOf(new Date('2026-06-30T23:30:00Z')), '2026-07-01')
  assert.equal(ukDateOf(new Date('2026-12-31T23:30:00Z')), '2026-12-31')
})

test('UK midnight is 23:00 UTC the day before in summer and 00:00 UTC in winter, across the clock changes', () => {
  assert.equal(ukMidnight('2026-07-01').toISOString(), '2026-06-30T23:00:00.000Z')
  assert.equal(ukMidnight('2026-12-01').toISOString(), '2026-12-01T00:00:00.000Z')
  // The clocks go forward at 01:00 UTC on 29 March 2026 and back at 01:00 UTC on 25 October 2026.
  assert.equal(ukMidnight('2026-03-29').toISOString(), '2026-03-29T00:00:00.000Z')
  assert.equal(ukMidnight('2026-03-30').toISOString(), '2026-03-29T23:00:00.000Z')
  assert.equal(ukMidnight('2026-10-25').toISOString(), '2026-10-24T23:00:00.000Z')
  assert.equal(ukMidnight('2026-10-26').toISOString(), '2026-10-26T00:00:00.000Z')
  assert.equal(addDays('2026-12-31', 7), '2027-01-07')
})

test('a flag due by the next UK midnight is due today until that moment, then overdue', () => {
  const deadline = ukMidnight('2026-07-02') // the end of 1 July in the UK
  assert.equal(ukDueDateOf(deadline), '2026-07-01')
  assert.equal(urgencyOfDeadline(deadline, new Date('2026-07-01T08:00:00Z')), 'due-today')
  assert.equal(urgencyOfDeadline(deadline, new Date('2026-07-01T22:59:59Z')), 'due-today')
  assert.equal(urgencyOfDeadline(deadline, new Date('2026-07-01T23:00:00Z')), 'overdue')
  assert.equal(urgencyOfDeadline(deadline, new Date('2026-06-30T12:00:00Z')), 'upcoming')
})
