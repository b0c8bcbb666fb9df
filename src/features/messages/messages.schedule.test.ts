import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseLeadHours, parseQuietHours, reminderSchedule, reminderSendTime } from './messages.schedule.ts'
import type { QuietHours, ReminderTime } from './messages.schedule.ts'

const night: QuietHours = { start: { hour: 21, minute: 0 }, end: { hour: 8, minute: 0 } }
const lunch: QuietHours = { start: { hour: 13, minute: 0 }, end: { hour: 14, minute: 0 } }
const longAgo = new Date('2026-01-01T12:00:00Z')

/** The send time as a UTC ISO string, or the skip reason, so a failure shows which it was. */
function outcome(time: ReminderTime): string {
  return 'send' in time ? time.send.toISOString() : time.skip
}

function sendTime(appointmentStart: string, leadHours: number, quietHours: QuietHours | null = night, now = longAgo) {
  return outcome(reminderSendTime({ appointmentStart: new Date(appointmentStart), leadHours, now, quietHours }))
}

const leadRule = 'REMINDER_LEAD_HOURS must be whole hours between 1 and 336, separated by commas, like "24" or "48,2"'
const quietRule =
  'REMINDER_QUIET_HOURS must be a start and end time in 24-hour UK time, like "21:00-08:00", or empty for none'

test('lead hours parse as whole hours, duplicates collapsed, longest first', () => {
  assert.deepEqual(parseLeadHours('24'), { ok: true, value: [24] })
  assert.deepEqual(parseLeadHours(' 2 , 48,24 ,2 '), { ok: true, value: [48, 24, 2] })
  assert.deepEqual(parseLeadHours('1,336'), { ok: true, value: [336, 1] })
})

test('lead hours that are empty, not whole hours or out of range name what is wrong', () => {
  assert.deepEqual(parseLeadHours('abc'), { ok: false, message: `${leadRule}: "abc" is not` })
  assert.deepEqual(parseLeadHours('  '), { ok: false, message: `${leadRule}: it is empty` })
  assert.deepEqual(parseLeadHours('24,,2'), { ok: false, message: `${leadRule}: "24,,2" has an empty item` })
  assert.deepEqual(parseLeadHours('24,'), { ok: false, message: `${leadRule}: "24," has an empty item` })
  for (const bad of ['0', '337', '1.5', '-2', '+3', '2h', '1e2']) {
    assert.deepEqual(parseLeadHours(`48, ${bad}`), { ok: false, message: `${leadRule}: "${bad}" is not` }, bad)
  }
})

test('quiet hours parse wrapping midnight or not, and empty means none', () => {
  assert.deepEqual(parseQuietHours('21:00-08:00'), { ok: true, value: night })
  assert.deepEqual(parseQuietHours(' 13:00 - 14:00 '), { ok: true, value: lunch })
  assert.deepEqual(parseQuietHours('22:30-7:15'), {
    ok: true,
    value: { start: { hour: 22, minute: 30 }, end: { hour: 7, minute: 15 } },
  })
  assert.deepEqual(parseQuietHours(''), { ok: true, value: null })
  assert.deepEqual(parseQuietHours('   '), { ok: true, value: null })
})

test('quiet hours that are not two 24-hour times, or start and end together, name what is wrong', () => {
  for (const bad of ['21:00', '24:00-08:00', '21:60-08:00', '9pm-8am', '21:00-08:00-09:00', '2100-0800', 'abc']) {
    assert.deepEqual(parseQuietHours(bad), { ok: false, message: `${quietRule}: "${bad}" is not` }, bad)
  }
  assert.deepEqual(parseQuietHours('08:00-08:00'), {
    ok: false,
    message: 'REMINDER_QUIET_HOURS must start and end at different times: "08:00-08:00" starts and ends at 08:00',
  })
})

test('the quiet start minute is quiet and the end minute is not: 20:59 and 08:00 send, 21:00 and 07:59 wait', () => {
  assert.equal(sendTime('2026-01-15T20:59:00Z', 24), '2026-01-14T20:59:00.000Z')
  assert.equal(sendTime('2026-01-15T21:00:00Z', 24), '2026-01-15T08:00:00.000Z')
  assert.equal(sendTime('2026-01-16T07:59:00Z', 24), '2026-01-15T08:00:00.000Z')
  assert.equal(sendTime('2026-01-16T08:00:00Z', 24), '2026-01-15T08:00:00.000Z')
})

test('a reminder due outside quiet hours goes when due: 08:30 appointment, 24 hours before', () => {
  assert.equal(sendTime('2026-01-15T08:30:00Z', 24), '2026-01-14T08:30:00.000Z')
})

test('a reminder due at 21:00 for a 09:00 appointment goes at 08:00, the end of the quiet night', () => {
  assert.equal(sendTime('2026-01-15T09:00:00Z', 12), '2026-01-15T08:00:00.000Z')
})

test('a reminder whose quiet night ends after the appointment goes at 20:59, the minute before the night began', () => {
  assert.equal(sendTime('2026-01-15T07:30:00Z', 2), '2026-01-14T20:59:00.000Z')
  // Now is within that last minute: the reminder goes now, not a few seconds in the past.
  const now = new Date('2026-01-14T20:59:30Z')
  assert.equal(sendTime('2026-01-15T07:30:00Z', 2, night, now), '2026-01-14T20:59:30.000Z')
})

test('booked at 23:00 for 07:30 the next morning, no reminder can go before the appointment', () => {
  const now = new Date('2026-01-14T23:00:00Z')
  assert.equal(sendTime('2026-01-15T07:30:00Z', 24, night, now), 'quiet-until-start')
  assert.equal(sendTime('2026-01-15T07:30:00Z', 2, night, now), 'quiet-until-start')
})

test('booked at 23:00 for 10:00 the next morning, a late reminder waits for 08:00', () => {
  const now = new Date('2026-01-14T23:00:00Z')
  assert.equal(sendTime('2026-01-15T10:00:00Z', 24, night, now), '2026-01-15T08:00:00.000Z')
})

test('booked during the day inside the lead time, the reminder goes now', () => {
  const now = new Date('2026-01-14T11:00:27Z')
  assert.equal(sendTime('2026-01-14T14:00:00Z', 24, night, now), '2026-01-14T11:00:27.000Z')
})

test('an appointment that has started gets no reminder', () => {
  assert.equal(sendTime('2026-01-14T14:00:00Z', 24, night, new Date('2026-01-14T14:00:00Z')), 'appointment-started')
  assert.equal(sendTime('2026-01-14T14:00:00Z', 2, null, new Date('2026-01-14T15:00:00Z')), 'appointment-started')
})

test('with no quiet hours a reminder goes when due, night or day', () => {
  assert.equal(sendTime('2026-01-15T07:30:00Z', 2, null), '2026-01-15T05:30:00.000Z')
  assert.equal(sendTime('2026-01-15T09:00:00Z', 12, null), '2026-01-14T21:00:00.000Z')
})

test('quiet hours that do not wrap midnight hold back only their own hours', () => {
  assert.equal(sendTime('2026-01-15T13:59:00Z', 1, lunch), '2026-01-15T12:59:00.000Z')
  assert.equal(sendTime('2026-01-15T15:00:00Z', 2, lunch), '2026-01-15T14:00:00.000Z')
  assert.equal(sendTime('2026-01-15T14:00:00Z', 1, lunch), '2026-01-15T12:59:00.000Z')
  assert.equal(sendTime('2026-01-15T15:00:00Z', 1, lunch), '2026-01-15T14:00:00.000Z')
  assert.equal(sendTime('2026-01-16T00:00:00Z', 2, lunch), '2026-01-15T22:00:00.000Z')
})

test('when the clocks go forward (29 March 2026) the quiet night ends at 08:00 BST, 07:00 UTC', () => {
  // Due Saturday 21:00 GMT.
  assert.equal(sendTime('2026-03-29T09:00:00Z', 12), '2026-03-29T07:00:00.000Z')
  // Due 07:00 BST (06:00 UTC), still quiet; a fixed GMT offset would wrongly wait until 08:00 UTC.
  assert.equal(sendTime('2026-03-29T08:00:00Z', 2), '2026-03-29T07:00:00.000Z')
  // 07:30 BST appointment: the night ends after it, so 20:59 GMT on Saturday.
  assert.equal(sendTime('2026-03-29T06:30:00Z', 2), '2026-03-28T20:59:00.000Z')
  // Lead times are elapsed hours: 24 hours before 10:00 BST is 09:00 GMT.
  assert.equal(sendTime('2026-03-29T09:00:00Z', 24), '2026-03-28T09:00:00.000Z')
  // Sunday evening is BST: 20:59 BST (19:59 UTC) sends, 21:00 BST (20:00 UTC) waits for 08:00 BST.
  assert.equal(sendTime('2026-03-30T19:59:00Z', 24), '2026-03-29T19:59:00.000Z')
  assert.equal(sendTime('2026-03-30T20:00:00Z', 24), '2026-03-30T07:00:00.000Z')
})

test('when the clocks go back (25 October 2026) the quiet night starts at 21:00 BST and ends at 08:00 GMT', () => {
  // Due 22:00 BST Saturday (21:00 UTC).
  assert.equal(sendTime('2026-10-25T09:00:00Z', 12), '2026-10-25T08:00:00.000Z')
  // 07:30 GMT appointment: the night ends after it, so 20:59 BST (19:59 UTC) on Saturday.
  assert.equal(sendTime('2026-10-25T07:30:00Z', 2), '2026-10-24T19:59:00.000Z')
  // Saturday evening is BST: 20:59 BST (19:59 UTC) sends, 21:00 BST (20:00 UTC) waits for 08:00 GMT.
  assert.equal(sendTime('2026-10-25T19:59:00Z', 24), '2026-10-24T19:59:00.000Z')
  assert.equal(sendTime('2026-10-25T20:00:00Z', 24), '2026-10-25T08:00:00.000Z')
})

test('a quiet boundary in the skipped hour takes effect when the clocks reach 02:00 BST', () => {
  const early: QuietHours = { start: { hour: 1, minute: 30 }, end: { hour: 6, minute: 0 } }
  // 00:59 GMT is before the jump, not quiet.
  assert.equal(sendTime('2026-03-29T08:59:00Z', 8, early), '2026-03-29T00:59:00.000Z')
  // 02:00 BST (01:00 UTC) is quiet until 06:00 BST (05:00 UTC).
  assert.equal(sendTime('2026-03-29T09:00:00Z', 8, early), '2026-03-29T05:00:00.000Z')
})

test('lead times that land on the same moment are one reminder, under the longest lead', () => {
  const now = new Date('2026-01-14T11:00:00Z')
  const booked = reminderSchedule({
    appointmentStart: new Date('2026-01-14T14:00:00Z'),
    leadHours: [48, 24, 2],
    now,
    quietHours: night,
  })
  assert.deepEqual(booked, [
    { leadHours: 48, send: now },
    { leadHours: 2, send: new Date('2026-01-14T12:00:00Z') },
  ])

  const overnight = reminderSchedule({
    appointmentStart: new Date('2026-01-15T10:00:00Z'),
    leadHours: [24, 12, 4],
    now: longAgo,
    quietHours: night,
  })
  assert.deepEqual(overnight, [
    { leadHours: 24, send: new Date('2026-01-14T10:00:00Z') },
    { leadHours: 12, send: new Date('2026-01-15T08:00:00Z') },
  ])
})

test('the schedule runs in sending order and leaves out skipped reminders', () => {
  const schedule = reminderSchedule({
    appointmentStart: new Date('2026-01-15T07:30:00Z'),
    leadHours: [2, 48],
    now: longAgo,
    quietHours: night,
  })
  assert.deepEqual(schedule, [
    { leadHours: 48, send: new Date('2026-01-13T08:00:00Z') },
    { leadHours: 2, send: new Date('2026-01-14T20:59:00Z') },
  ])
  const late = reminderSchedule({
    appointmentStart: new Date('2026-01-15T07:30:00Z'),
    leadHours: [24, 2],
    now: new Date('2026-01-14T23:00:00Z'),
    quietHours: night,
  })
  assert.deepEqual(late, [])
})
