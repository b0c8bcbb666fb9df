import { test } from 'node:test'
import assert from 'node:assert/strict'
import { dueOn, itemState, ostGap, type Evidence, type ItemFacts } from './release-plan.rules.ts'

const facts = (overrides: Partial<ItemFacts>): ItemFacts => ({
  kind: 'medicines',
  status: 'to-do',
  daysSupplied: null,
  opioidSubstitution: false,
  prescriberAppointmentOn: null,
  naloxone: null,
  referralId: null,
  ...overrides,
})
const noEvidence: Evidence = { gpRegistration: undefined, referrals: new Map() }
const RELEASE = '2027-01-15'

test('due dates are counted from the release date: GP registration a week before, treatment within 3 weeks', () => {
  assert.equal(dueOn('gp-registration', RELEASE), '2027-01-08')
  assert.equal(dueOn('medicines', RELEASE), RELEASE)
  assert.equal(dueOn('drug-alcohol', RELEASE), '2027-02-05')
  assert.equal(dueOn('housing', RELEASE), '2027-01-01')
})

test('opioid substitution: the prescriber must see them no later than the day after the supply runs out', () => {
  // 7 days from 15 January last to the end of 21 January: the appointment may be on 22 January at the latest.
  const ost = (prescriberAppointmentOn: string | null, daysSupplied: number | null = 7) =>
    ostGap(facts({ opioidSubstitution: true, daysSupplied, prescriberAppointmentOn }), RELEASE)
  assert.equal(ost('2027-01-22'), undefined)
  assert.deepEqual(ost('2027-01-23'), {
    kind: 'appointment-too-late',
    supplyEndsAfter: '2027-01-21',
    appointmentOn: '2027-01-23',
  })
  assert.deepEqual(ost(null), { kind: 'no-appointment', supplyEndsAfter: '2027-01-21' })
  assert.deepEqual(ost('2027-01-16', null), { kind: 'supply-not-recorded' })
  assert.equal(ost('2027-01-15', 0), undefined, 'no supply: seen on the release day')
  assert.deepEqual(ost('2027-01-16', 0), {
    kind: 'appointment-too-late',
    supplyEndsAfter: '2027-01-14',
    appointmentOn: '2027-01-16',
  })
  assert.equal(ostGap(facts({ opioidSubstitution: false }), RELEASE), undefined, 'no OST: no gap')
})

test('an opioid substitution gap keeps the medicines item outstanding even when marked done', () => {
  const state = itemState(
    facts({ status: 'done', opioidSubstitution: true, daysSupplied: 3, prescriberAppointmentOn: '2027-01-20' }),
    RELEASE,
    '2027-01-10',
    noEvidence,
  )
  assert.deepEqual([state.status, state.outstanding, state.ostGap?.kind], ['done', true, 'appointment-too-late'])
})

test('GP registration is done when the GP registration record says registered', () => {
  const item = facts({ kind: 'gp-registration' })
  assert.deepEqual(
    [itemState(item, RELEASE, '2027-01-01', { ...noEvidence, gpRegistration: { status: 'in-progress' } }).status],
    ['to-do'],
  )
  const registered = itemState(item, RELEASE, '2027-01-10', {
    ...noEvidence,
    gpRegistration: { status: 'registered' },
  })
  assert.deepEqual(
    [registered.status, registered.doneBy, registered.outstanding, registered.overdue],
    ['done', 'gp-registration', false, false],
  )
})

test('the drug and alcohol item is done from a first appointment booked; more than 3 weeks after release is flagged', () => {
  const item = facts({ kind: 'drug-alcohol', referralId: 'r1' })
  const withReferral = (status: string, firstAppointmentOn: string | null) => ({
    ...noEvidence,
    referrals: new Map([['r1', { status, firstAppointmentOn, serviceName: 'Turning Point' }]]),
  })
  assert.equal(itemState(item, RELEASE, '2027-01-01', withReferral('sent', null)).status, 'to-do')
  const booked = itemState(item, RELEASE, '2027-01-01', withReferral('first-appointment-booked', '2027-02-05'))
  assert.deepEqual([booked.status, booked.doneBy, booked.treatmentLate], ['done', 'referral', false])
  const late = itemState(item, RELEASE, '2027-01-01', withReferral('first-appointment-booked', '2027-02-06'))
  assert.deepEqual([late.status, late.treatmentLate], ['done', true])
})

test('overdue: outstanding after its due day; "does not apply" is never outstanding', () => {
  const item = facts({ kind: 'housing' })
  assert.equal(itemState(item, RELEASE, '2027-01-01', noEvidence).overdue, false, 'on the due day')
  assert.equal(itemState(item, RELEASE, '2027-01-02', noEvidence).overdue, true)
  const na = itemState({ ...item, status: 'not-applicable' }, RELEASE, '2027-03-01', noEvidence)
  assert.deepEqual([na.outstanding, na.overdue], [false, false])
  const naloxone = itemState(facts({ kind: 'naloxone', naloxone: 'declined' }), RELEASE, '2027-03-01', noEvidence)
  assert.deepEqual([naloxone.status, naloxone.doneBy], ['done', 'naloxone'])
})
