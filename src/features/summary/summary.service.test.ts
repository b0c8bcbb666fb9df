import { test } from 'node:test'
import assert from 'node:assert/strict'
import { firstAppointmentKept, monthsBefore, tally, ukMidnight } from './summary.service.ts'
import { ukDateOf } from '../../platform/time/uk-time.ts'

test('monthsBefore counts calendar months back, a missing day becoming the month’s last', () => {
  assert.equal(monthsBefore('2026-11-20', 6), '2026-05-20')
  assert.equal(monthsBefore('2026-03-15', 6), '2025-09-15')
  assert.equal(monthsBefore('2026-08-31', 6), '2026-02-28')
  assert.equal(monthsBefore('2028-08-31', 6), '2028-02-29')
  assert.equal(monthsBefore('2026-01-01', 6), '2025-07-01')
})

test('ukMidnight is 00:00 GMT in winter and 23:00 UTC the day before in summer', () => {
  assert.equal(ukMidnight('2026-01-10').toISOString(), '2026-01-10T00:00:00.000Z')
  assert.equal(ukMidnight('2026-05-20').toISOString(), '2026-05-19T23:00:00.000Z')
  // The days the clocks change: they change at 01:00 UTC, after midnight.
  assert.equal(ukMidnight('2026-03-29').toISOString(), '2026-03-29T00:00:00.000Z')
  assert.equal(ukMidnight('2026-10-25').toISOString(), '2026-10-24T23:00:00.000Z')
})

test('ukDateOf gives the UK calendar date, not the UTC one', () => {
  assert.equal(ukDateOf(new Date('2026-06-30T23:30:00Z')), '2026-07-01')
  assert.equal(ukDateOf(new Date('2026-12-31T23:30:00Z')), '2026-12-31')
})

test('the first appointment is kept with a date, not kept on did-not-attend, and not yet otherwise', () => {
  assert.equal(firstAppointmentKept({ status: 'engaged', firstAttendedOn: '2026-10-01' }), 'yes')
  assert.equal(firstAppointmentKept({ status: 'did-not-attend', firstAttendedOn: null }), 'no')
  assert.equal(firstAppointmentKept({ status: 'sent', firstAttendedOn: null }), 'not-yet')
  assert.equal(firstAppointmentKept({ status: 'first-appointment-booked', firstAttendedOn: null }), 'not-yet')
  for (const status of ['rejected', 'declined', 'withdrawn'] as const) {
    assert.equal(firstAppointmentKept({ status, firstAttendedOn: null }), 'no-appointment', status)
  }
  assert.equal(firstAppointmentKept({ status: 'withdrawn', firstAttendedOn: '2026-10-01' }), 'yes')
})

test('outcomes are counted as kept (came, even if sent home), missed, or acceptable absence', () => {
  assert.deepEqual(
    tally([
      { outcome: 'ATTC', count: 2 },
      { outcome: 'AFTC', count: 1 },
      { outcome: 'ATSH', count: 1 },
      { outcome: 'ATSS', count: 1 },
      { outcome: 'AFTA', count: 3 },
      { outcome: 'UAAB', count: 1 },
      { outcome: 'AA', count: 4 },
    ]),
    { kept: 5, missed: 4, acceptableAbsences: 4 },
  )
  assert.deepEqual(tally([]), { kept: 0, missed: 0, acceptableAbsences: 0 })
})
