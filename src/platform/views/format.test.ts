import { test } from 'node:test'
import assert from 'node:assert/strict'
import { formatDate, formatDateTime, formatNhsNumber, formatTime, formatTimeRange } from './format.ts'

test('shows times the GOV.UK way: "9:30am", "2pm", midday "12pm", midnight "12am", in UK time', () => {
  assert.equal(formatTime(new Date('2026-11-20T09:30:00Z')), '9:30am')
  assert.equal(formatTime(new Date('2026-11-20T14:00:00Z')), '2pm')
  assert.equal(formatTime(new Date('2026-11-20T12:00:00Z')), '12pm')
  assert.equal(formatTime(new Date('2026-11-20T00:00:00Z')), '12am')
  assert.equal(formatTime(new Date('2026-11-20T00:05:00Z')), '12:05am')
  assert.equal(formatTime(new Date('2026-11-20T23:59:00Z')), '11:59pm')
  // British Summer Time: 13:00 UTC on 1 July is 2pm in the UK.
  assert.equal(formatTime('2026-07-01T13:00:00Z'), '2pm')
  assert.equal(formatTime(null), '')
  assert.equal(formatTime('not a time'), '')
})

test('shows a time range as "2pm to 3pm"', () => {
  assert.equal(formatTimeRange(new Date('2026-11-20T14:00:00Z'), new Date('2026-11-20T15:00:00Z')), '2pm to 3pm')
  assert.equal(
    formatTimeRange(new Date('2026-11-20T09:30:00Z'), new Date('2026-11-20T10:15:00Z')),
    '9:30am to 10:15am',
  )
})

test('shows a date and time as "1 January 2026 at 2pm", dropping ":00" from an o’clock time', () => {
  assert.equal(formatDateTime(new Date('2026-11-20T10:00:00Z')), '20 November 2026 at 10am')
  assert.equal(formatDateTime('2026-11-20T09:30:00Z'), '20 November 2026 at 9:30am')
  assert.equal(formatDateTime(new Date('2026-11-20T12:00:00Z')), '20 November 2026 at 12pm')
  assert.equal(formatDateTime(new Date('2026-06-30T23:00:00Z')), '1 July 2026 at 12am')
  assert.equal(formatDateTime(''), '')
})

test('shows dates as "1 January 2026" and NHS numbers 3-3-4', () => {
  assert.equal(formatDate('2026-01-01'), '1 January 2026')
  assert.equal(formatNhsNumber('9434765919'), '943 476 5919')
})
