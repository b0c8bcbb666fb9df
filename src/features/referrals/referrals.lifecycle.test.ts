import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  addDays,
  allowedTransitions,
  applyTransition,
  canTransition,
  defaultChaseOn,
  finalStatuses,
  isOverdue,
  mayRecord,
  referralStatuses,
  statusText,
  type ReferralFacts,
  type ReferralStatus,
  type TransitionProblem,
} from './referrals.lifecycle.ts'

/** The lifecycle as the issue states it, written out pair by pair (independently of the module's table). */
const expected = new Set<string>([
  'draft>sent',
  'draft>withdrawn',
  'sent>accepted',
  'sent>rejected',
  'accepted>first-appointment-booked',
  'first-appointment-booked>first-appointment-attended',
  'first-appointment-booked>did-not-attend',
  'did-not-attend>first-appointment-booked',
  'first-appointment-attended>engaged',
  'first-appointment-attended>completed',
  'engaged>completed',
  // declined (by the person) and withdrawn (by the hub) from every non-final state after draft
  ...[
    'sent',
    'accepted',
    'first-appointment-booked',
    'did-not-attend',
    'first-appointment-attended',
    'engaged',
  ].flatMap((from) => [`${from}>declined`, `${from}>withdrawn`]),
])

const facts = (status: ReferralStatus): ReferralFacts => ({
  status,
  urgency: 'routine',
  needIdentifiedOn: '2026-11-01',
  sentOn: status === 'draft' ? null : '2026-11-02',
  firstAppointmentOn: null,
  firstAttendedOn: null,
  daysToFirstTreatment: null,
  closedOn: null,
})

const context = { recorder: 'hub' as const, today: '2026-11-20', previousOn: '2026-11-02' }

function request(to: ReferralStatus) {
  return {
    to,
    at: '2026-11-10',
    reason: 'Because',
    appointmentOn: to === 'first-appointment-booked' ? '2026-11-15' : null,
  }
}

for (const from of referralStatuses) {
  for (const to of referralStatuses) {
    const valid = expected.has(`${from}>${to}`)
    test(`${from} -> ${to} is ${valid ? 'allowed' : 'refused'}`, () => {
      assert.equal(canTransition(from, to), valid)
      const result = applyTransition(facts(from), request(to), context)
      if (valid) {
        assert.ok(result.ok, JSON.stringify(result))
        assert.equal(result.next.status, to)
      } else {
        assert.ok(!result.ok)
        assert.deepEqual(result.problem, { kind: 'not-allowed', allowed: allowedTransitions(from, 'hub') })
      }
    })
  }
}

test('the final states allow nothing and every other state allows declined or withdrawn', () => {
  for (const status of referralStatuses) {
    const final = (finalStatuses as readonly string[]).includes(status)
    assert.equal(allowedTransitions(status, 'hub').length === 0, final, status)
    if (!final) assert.ok(canTransition(status, 'withdrawn'), status)
  }
})

test('every state has plain words, a tag and an action', () => {
  for (const status of referralStatuses) {
    assert.ok(statusText[status].label.length > 0)
    assert.match(statusText[status].meaning, /\.$/)
    assert.match(statusText[status].tag, /^govuk-tag--/)
  }
})

test('a partner may record what the service or the person did, never send or withdraw', () => {
  assert.deepEqual(allowedTransitions('sent', 'partner'), ['accepted', 'rejected', 'declined'])
  assert.deepEqual(allowedTransitions('draft', 'partner'), [])
  assert.ok(!mayRecord('partner', 'sent'))
  assert.ok(!mayRecord('partner', 'withdrawn'))
  const result = applyTransition(facts('sent'), request('withdrawn'), { ...context, recorder: 'partner' })
  assert.deepEqual(result, {
    ok: false,
    problem: { kind: 'not-permitted', allowed: ['accepted', 'rejected', 'declined'] },
  })
})

test('a reason is required for rejected, declined, withdrawn and did-not-attend only', () => {
  const cases: [ReferralStatus, ReferralStatus][] = [
    ['sent', 'rejected'],
    ['sent', 'declined'],
    ['draft', 'withdrawn'],
    ['first-appointment-booked', 'did-not-attend'],
  ]
  for (const [from, to] of cases) {
    for (const reason of [null, '  ']) {
      const result = applyTransition(facts(from), { ...request(to), reason }, context)
      assert.deepEqual(result, { ok: false, problem: { kind: 'reason-required' } }, `${from} -> ${to}`)
    }
  }
  assert.ok(applyTransition(facts('sent'), { ...request('accepted'), reason: null }, context).ok)
})

test('dates: not in the future, not before the last change, not before the need', () => {
  assert.deepEqual(applyTransition(facts('sent'), { ...request('accepted'), at: '2026-11-21' }, context), {
    ok: false,
    problem: { kind: 'at-in-future' },
  })
  assert.ok(applyTransition(facts('sent'), { ...request('accepted'), at: '2026-11-20' }, context).ok)
  assert.deepEqual(applyTransition(facts('sent'), { ...request('accepted'), at: '2026-11-01' }, context), {
    ok: false,
    problem: { kind: 'at-before-previous', previous: '2026-11-02' },
  })
  assert.ok(applyTransition(facts('sent'), { ...request('accepted'), at: '2026-11-02' }, context).ok)
  assert.deepEqual(
    applyTransition(
      facts('sent'),
      { ...request('accepted'), at: '2026-10-30' },
      { ...context, previousOn: '2026-10-01' },
    ),
    { ok: false, problem: { kind: 'at-before-need', needIdentifiedOn: '2026-11-01' } },
  )
})

test('booking needs the appointment date, on or after the booking; attending records days to first treatment', () => {
  assert.deepEqual(
    applyTransition(facts('accepted'), { ...request('first-appointment-booked'), appointmentOn: null }, context),
    {
      ok: false,
      problem: { kind: 'appointment-required' },
    },
  )
  assert.deepEqual(
    applyTransition(
      facts('accepted'),
      { ...request('first-appointment-booked'), appointmentOn: '2026-11-09' },
      context,
    ),
    { ok: false, problem: { kind: 'appointment-before-at', bookedOn: '2026-11-10' } },
  )
  const booked = applyTransition(facts('accepted'), request('first-appointment-booked'), context)
  assert.ok(booked.ok)
  assert.equal(booked.next.firstAppointmentOn, '2026-11-15')
  assert.equal(booked.chaseOn, '2026-11-16')
  const attended = applyTransition(
    facts('first-appointment-booked'),
    { ...request('first-appointment-attended'), at: '2026-11-16' },
    context,
  )
  assert.ok(attended.ok)
  assert.equal(attended.next.firstAttendedOn, '2026-11-16')
  assert.equal(attended.next.daysToFirstTreatment, 15)
  assert.equal(attended.chaseOn, '2026-12-14')
})

test('sending sets the sent date; a final state sets the closed date and clears the chase date', () => {
  const sent = applyTransition(facts('draft'), request('sent'), context)
  assert.ok(sent.ok)
  assert.equal(sent.next.sentOn, '2026-11-10')
  assert.equal(sent.chaseOn, '2026-11-20')
  const closed = applyTransition(facts('engaged'), request('completed'), context)
  assert.ok(closed.ok)
  assert.equal(closed.next.closedOn, '2026-11-10')
  assert.equal(closed.chaseOn, null)
})

test('default chase dates per state, and overdue only once the chase date has passed', () => {
  assert.equal(defaultChaseOn('draft', '2026-11-10', 'routine', null), '2026-11-17')
  assert.equal(defaultChaseOn('sent', '2026-11-10', 'routine', null), '2026-11-20')
  assert.equal(defaultChaseOn('sent', '2026-11-10', 'urgent', null), '2026-11-13')
  assert.equal(defaultChaseOn('accepted', '2026-11-10', 'routine', null), '2026-11-24')
  assert.equal(defaultChaseOn('first-appointment-booked', '2026-11-10', 'routine', '2026-11-30'), '2026-12-01')
  assert.equal(defaultChaseOn('did-not-attend', '2026-11-10', 'routine', null), '2026-11-13')
  assert.equal(defaultChaseOn('engaged', '2026-11-10', 'routine', null), '2026-12-08')
  for (const status of finalStatuses) assert.equal(defaultChaseOn(status, '2026-11-10', 'routine', null), null)
  assert.equal(isOverdue('2026-11-19', '2026-11-20'), true)
  assert.equal(isOverdue('2026-11-20', '2026-11-20'), false)
  assert.equal(isOverdue(null, '2026-11-20'), false)
})

// Issue 9 item 10 (H-409): "first appointment attended" was taken before the booked appointment, and a blank date
// as today, so the pilot's days from need to first treatment came out wrong.

test('a blank date is refused, never taken as today', () => {
  for (const [from, to] of [
    ['draft', 'sent'],
    ['sent', 'accepted'],
    ['accepted', 'first-appointment-booked'],
    ['first-appointment-booked', 'first-appointment-attended'],
    ['first-appointment-attended', 'engaged'],
    ['engaged', 'completed'],
  ] as const) {
    assert.deepEqual(
      applyTransition(facts(from), { ...request(to), at: null }, context),
      { ok: false, problem: { kind: 'at-required' } },
      `${from} -> ${to}`,
    )
  }
})

test('attended and did-not-attend are on or after the booked appointment date, even when after the last change', () => {
  const booked: ReferralFacts = { ...facts('first-appointment-booked'), firstAppointmentOn: '2026-11-15' }
  for (const to of ['first-appointment-attended', 'did-not-attend'] as const) {
    for (const at of ['2026-11-03', '2026-11-14']) {
      assert.deepEqual(
        applyTransition(booked, { ...request(to), at }, context),
        { ok: false, problem: { kind: 'at-before-appointment', appointmentOn: '2026-11-15' } },
        `${to} on ${at}`,
      )
    }
    assert.ok(applyTransition(booked, { ...request(to), at: '2026-11-15' }, context).ok, to)
  }
  // The person may still decline, and the hub withdraw, before the appointment.
  assert.ok(applyTransition(booked, { ...request('declined'), at: '2026-11-03' }, context).ok)
  assert.ok(applyTransition(booked, { ...request('withdrawn'), at: '2026-11-03' }, context).ok)
  // Not in the future still comes first: the appointment date is no excuse for a date after today.
  assert.deepEqual(applyTransition(booked, { ...request('first-appointment-attended'), at: '2026-11-21' }, context), {
    ok: false,
    problem: { kind: 'at-in-future' },
  })
})

test('the appointment booked is on or after the day it was booked, and may be in the future', () => {
  assert.deepEqual(
    applyTransition(
      facts('accepted'),
      { ...request('first-appointment-booked'), appointmentOn: '2026-11-09' },
      context,
    ),
    { ok: false, problem: { kind: 'appointment-before-at', bookedOn: '2026-11-10' } },
  )
  const future = applyTransition(
    facts('accepted'),
    { ...request('first-appointment-booked'), appointmentOn: '2026-12-10' },
    context,
  )
  assert.ok(future.ok)
  assert.equal(future.next.firstAppointmentOn, '2026-12-10')
})

test('each stage is on or after the one before: the day before is refused, the same day is taken', () => {
  // need 1 Nov; made 2 Nov; sent 3; accepted 5; booked 6 for the 9th; did not attend 9; rebooked 10 for the 12th;
  // attended 12; engaged 14; completed 16.
  const steps: { to: ReferralStatus; at: string; appointmentOn?: string; before?: TransitionProblem }[] = [
    { to: 'sent', at: '2026-11-03' },
    { to: 'accepted', at: '2026-11-05' },
    { to: 'first-appointment-booked', at: '2026-11-06', appointmentOn: '2026-11-09' },
    { to: 'did-not-attend', at: '2026-11-09', before: { kind: 'at-before-appointment', appointmentOn: '2026-11-09' } },
    { to: 'first-appointment-booked', at: '2026-11-10', appointmentOn: '2026-11-12' },
    {
      to: 'first-appointment-attended',
      at: '2026-11-12',
      before: { kind: 'at-before-appointment', appointmentOn: '2026-11-12' },
    },
    { to: 'engaged', at: '2026-11-14' },
    { to: 'completed', at: '2026-11-16' },
  ]
  let current: ReferralFacts = { ...facts('draft'), needIdentifiedOn: '2026-11-01' }
  let previousOn = '2026-11-02'
  for (const step of steps) {
    const ask = (at: string, on: string) =>
      applyTransition(
        current,
        { to: step.to, at, reason: 'Because', appointmentOn: step.appointmentOn ?? null },
        { ...context, previousOn: on },
      )
    // The day before the last change (the previous stage happened later that day than this one could).
    assert.deepEqual(
      ask(addDays(step.at, -1), step.at),
      { ok: false, problem: step.before ?? { kind: 'at-before-previous', previous: step.at } },
      `${step.to} the day before`,
    )
    const taken = ask(step.at, previousOn)
    assert.ok(taken.ok, `${step.to} on ${step.at}: ${JSON.stringify(taken)}`)
    current = taken.next
    previousOn = step.at
  }
  assert.equal(current.status, 'completed')
  assert.equal(current.sentOn, '2026-11-03')
  assert.equal(current.firstAppointmentOn, '2026-11-12')
  assert.equal(current.firstAttendedOn, '2026-11-12')
  // Days to first treatment run from the need (1 November) to the attended date, not from sending or booking.
  assert.equal(current.daysToFirstTreatment, 11)
  assert.equal(current.closedOn, '2026-11-16')
})
