import { referralStatuses, type ReferralStatus, type ReferralUrgency } from './referrals.tables.ts'
/**
 * The referral lifecycle in one pure module: every state with its plain words, which transitions are allowed, who may
 * make each, what each needs (a reason, an appointment date) and the default chase date each sets. No I/O here, so
 * the whole table is tested pair by pair (referrals.lifecycle.test.ts).
 */

export { referralStatuses, type ReferralStatus, type ReferralUrgency }

export const referralUrgencies = ['routine', 'urgent'] as const satisfies readonly ReferralUrgency[]

export function isReferralStatus(value: string): value is ReferralStatus {
  return (referralStatuses as readonly string[]).includes(value)
}

export function isReferralUrgency(value: string): value is ReferralUrgency {
  return (referralUrgencies as readonly string[]).includes(value)
}

export interface StatusText {
  /** The status as a tag and in tables. */
  label: string
  /** What the status means, in plain words, for the referral page. */
  meaning: string
  /** The option on the "Update progress" form: what happened. */
  action: string
  /** GOV.UK tag colour class. */
  tag: string
}

export const statusText: Record<ReferralStatus, StatusText> = {
  draft: {
    label: 'Draft',
    meaning: 'The referral has been written but not sent to the service yet.',
    action: 'Sent to the service',
    tag: 'govuk-tag--grey',
  },
  sent: {
    label: 'Sent',
    meaning: 'The referral has been sent. The service has not said yet whether it will accept it.',
    action: 'Sent to the service',
    tag: 'govuk-tag--blue',
  },
  accepted: {
    label: 'Accepted',
    meaning: 'The service has accepted the referral. No first appointment has been booked yet.',
    action: 'The service accepted the referral',
    tag: 'govuk-tag--turquoise',
  },
  rejected: {
    label: 'Rejected',
    meaning: 'The service did not accept the referral. The reason is in the changelog.',
    action: 'The service rejected the referral',
    tag: 'govuk-tag--red',
  },
  'first-appointment-booked': {
    label: 'First appointment booked',
    meaning: 'The service has booked a first appointment.',
    action: 'A first appointment was booked',
    tag: 'govuk-tag--light-blue',
  },
  'first-appointment-attended': {
    label: 'First appointment attended',
    meaning: 'The person went to their first appointment with the service.',
    action: 'The person attended their first appointment',
    tag: 'govuk-tag--green',
  },
  engaged: {
    label: 'Engaged',
    meaning: 'The person is taking part in treatment or support with the service.',
    action: 'The person is engaging with the service',
    tag: 'govuk-tag--green',
  },
  completed: {
    label: 'Completed',
    meaning: 'The person has finished their treatment or support with the service.',
    action: 'The person completed treatment or support',
    tag: 'govuk-tag--green',
  },
  declined: {
    label: 'Declined by the person',
    meaning: 'The person decided not to go ahead with the referral. The reason is in the changelog.',
    action: 'The person declined the referral',
    tag: 'govuk-tag--orange',
  },
  withdrawn: {
    label: 'Withdrawn',
    meaning: 'The hub withdrew the referral. The reason is in the changelog.',
    action: 'Withdraw the referral',
    tag: 'govuk-tag--grey',
  },
  'did-not-attend': {
    label: 'Did not attend',
    meaning: 'The person did not go to their first appointment. Another can be booked.',
    action: 'The person did not attend their first appointment',
    tag: 'govuk-tag--orange',
  },
}

export const urgencyText: Record<ReferralUrgency, { label: string; hint: string }> = {
  routine: { label: 'Routine', hint: 'Chased 10 days after sending if nothing has happened' },
  urgent: { label: 'Urgent', hint: 'Chased 3 days after sending if nothing has happened' },
}

/** States from which nothing more happens. */
export const finalStatuses = [
  'rejected',
  'completed',
  'declined',
  'withdrawn',
] as const satisfies readonly ReferralStatus[]

export function isFinal(status: ReferralStatus): boolean {
  return (finalStatuses as readonly ReferralStatus[]).includes(status)
}

/**
 * The transition table. Declined (by the person) and withdrawn (by the hub) leave every non-final state, and
 * withdrawn leaves a draft too (a draft was never sent, so the person has nothing to decline).
 */
export const transitions: Readonly<Record<ReferralStatus, readonly ReferralStatus[]>> = {
  draft: ['sent', 'withdrawn'],
  sent: ['accepted', 'rejected', 'declined', 'withdrawn'],
  accepted: ['first-appointment-booked', 'declined', 'withdrawn'],
  'first-appointment-booked': ['first-appointment-attended', 'did-not-attend', 'declined', 'withdrawn'],
  'did-not-attend': ['first-appointment-booked', 'declined', 'withdrawn'],
  'first-appointment-attended': ['engaged', 'completed', 'declined', 'withdrawn'],
  engaged: ['completed', 'declined', 'withdrawn'],
  rejected: [],
  completed: [],
  declined: [],
  withdrawn: [],
}

export function canTransition(from: ReferralStatus, to: ReferralStatus): boolean {
  return transitions[from].includes(to)
}

/** Who records a transition: the hub (clinicians and hub managers) or the receiving partner's caseworker. */
export type Recorder = 'hub' | 'partner'

/** What a partner caseworker may record: what their service did or what the person did, never send or withdraw. */
export const partnerRecordable: readonly ReferralStatus[] = [
  'accepted',
  'rejected',
  'first-appointment-booked',
  'first-appointment-attended',
  'did-not-attend',
  'engaged',
  'completed',
  'declined',
]

export function mayRecord(recorder: Recorder, to: ReferralStatus): boolean {
  return recorder === 'hub' || partnerRecordable.includes(to)
}

/** The transitions this recorder may make from the state, in table order. */
export function allowedTransitions(from: ReferralStatus, recorder: Recorder): ReferralStatus[] {
  return transitions[from].filter((to) => mayRecord(recorder, to))
}

/** A reason is required when the referral stops or stalls, so the changelog always says why. */
export const reasonRequired: readonly ReferralStatus[] = ['rejected', 'declined', 'withdrawn', 'did-not-attend']

export function needsReason(to: ReferralStatus): boolean {
  return reasonRequired.includes(to)
}

/** Booking records the appointment's date. */
export function needsAppointmentDate(to: ReferralStatus): boolean {
  return to === 'first-appointment-booked'
}

/**
 * What happened at the booked first appointment (the person went, or did not): dated on or after that appointment,
 * not only after the booking, so the days to first treatment are never counted to a day before it (H-409).
 */
export function isAppointmentOutcome(to: ReferralStatus): to is 'first-appointment-attended' | 'did-not-attend' {
  return to === 'first-appointment-attended' || to === 'did-not-attend'
}

/** The calendar date `days` after `date` (YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/** Whole calendar days from one date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
}

/**
 * Default chase intervals, in days after the event's date. These are the hub's working defaults (the issue leaves
 * them to us); a hub user can set a different chase date on the referral.
 * - draft: 7 days, so a referral written but never sent is not forgotten
 * - sent: routine 10 days, urgent 3 days, for the service's decision
 * - accepted: 14 days, for a first appointment to be booked
 * - first-appointment-booked: the day after the appointment, to check it was kept
 * - did-not-attend: 3 days, to rebook or close
 * - first-appointment-attended and engaged: 28 days, to check progress
 * - final states: no chase date
 */
export const chaseDays = {
  draft: 7,
  sentRoutine: 10,
  sentUrgent: 3,
  accepted: 14,
  afterAppointment: 1,
  didNotAttend: 3,
  inTreatment: 28,
} as const

export function defaultChaseOn(
  to: ReferralStatus,
  at: string,
  urgency: ReferralUrgency,
  appointmentOn: string | null,
): string | null {
  switch (to) {
    case 'draft':
      return addDays(at, chaseDays.draft)
    case 'sent':
      return addDays(at, urgency === 'urgent' ? chaseDays.sentUrgent : chaseDays.sentRoutine)
    case 'accepted':
      return addDays(at, chaseDays.accepted)
    case 'first-appointment-booked':
      return addDays(appointmentOn ?? at, chaseDays.afterAppointment)
    case 'did-not-attend':
      return addDays(at, chaseDays.didNotAttend)
    case 'first-appointment-attended':
    case 'engaged':
      return addDays(at, chaseDays.inTreatment)
    case 'rejected':
    case 'completed':
    case 'declined':
    case 'withdrawn':
      return null
  }
}

/** Overdue: the chase date has passed (a chase date of today is due, not overdue). */
export function isOverdue(chaseOn: string | null, today: string): boolean {
  return chaseOn !== null && chaseOn < today
}

export interface TransitionRequest {
  to: ReferralStatus
  /** The date it happened (YYYY-MM-DD); null when left blank, which is refused (never taken as today). */
  at: string | null
  reason: string | null
  appointmentOn: string | null
}

export interface ReferralFacts {
  status: ReferralStatus
  urgency: ReferralUrgency
  needIdentifiedOn: string
  sentOn: string | null
  firstAppointmentOn: string | null
  firstAttendedOn: string | null
  daysToFirstTreatment: number | null
  closedOn: string | null
}

export type TransitionProblem =
  | { kind: 'not-allowed'; allowed: ReferralStatus[] }
  | { kind: 'not-permitted'; allowed: ReferralStatus[] }
  | { kind: 'reason-required' }
  | { kind: 'at-required' }
  | { kind: 'appointment-required' }
  | { kind: 'appointment-before-at'; bookedOn: string }
  | { kind: 'at-in-future' }
  | { kind: 'at-before-appointment'; appointmentOn: string }
  | { kind: 'at-before-previous'; previous: string }
  | { kind: 'at-before-need'; needIdentifiedOn: string }

/**
 * Checks a transition and works out the referral's new dates. `previousOn` is the date of the referral's latest
 * event; `today` is today's UK date. Every change is dated by the user (a blank date is refused), not in the
 * future, on or after the previous change and the need, and an appointment's outcome on or after the appointment.
 */
export function applyTransition(
  current: ReferralFacts,
  request: TransitionRequest,
  context: { recorder: Recorder; today: string; previousOn: string },
): { ok: true; next: ReferralFacts; chaseOn: string | null; on: string } | { ok: false; problem: TransitionProblem } {
  const { to, at } = request
  if (!canTransition(current.status, to)) {
    return {
      ok: false,
      problem: { kind: 'not-allowed', allowed: allowedTransitions(current.status, context.recorder) },
    }
  }
  if (!mayRecord(context.recorder, to)) {
    return {
      ok: false,
      problem: { kind: 'not-permitted', allowed: allowedTransitions(current.status, context.recorder) },
    }
  }
  if (needsReason(to) && (request.reason === null || request.reason.trim() === '')) {
    return { ok: false, problem: { kind: 'reason-required' } }
  }
  if (at === null) return { ok: false, problem: { kind: 'at-required' } }
  if (at > context.today) return { ok: false, problem: { kind: 'at-in-future' } }
  // Checked before the previous change: the booking is earlier than the appointment, so this is the date to name.
  if (isAppointmentOutcome(to) && current.firstAppointmentOn !== null && at < current.firstAppointmentOn) {
    return { ok: false, problem: { kind: 'at-before-appointment', appointmentOn: current.firstAppointmentOn } }
  }
  if (at < context.previousOn)
    return { ok: false, problem: { kind: 'at-before-previous', previous: context.previousOn } }
  if (at < current.needIdentifiedOn) {
    return { ok: false, problem: { kind: 'at-before-need', needIdentifiedOn: current.needIdentifiedOn } }
  }
  let appointmentOn: string | null = null
  if (needsAppointmentDate(to)) {
    if (request.appointmentOn === null) return { ok: false, problem: { kind: 'appointment-required' } }
    if (request.appointmentOn < at) return { ok: false, problem: { kind: 'appointment-before-at', bookedOn: at } }
    appointmentOn = request.appointmentOn
  }
  const next: ReferralFacts = { ...current, status: to }
  if (to === 'sent') next.sentOn = at
  if (appointmentOn !== null) next.firstAppointmentOn = appointmentOn
  if (to === 'first-appointment-attended') {
    next.firstAttendedOn = at
    next.daysToFirstTreatment = daysBetween(current.needIdentifiedOn, at)
  }
  if (isFinal(to)) next.closedOn = at
  return { ok: true, next, chaseOn: defaultChaseOn(to, at, current.urgency, appointmentOn), on: at }
}
