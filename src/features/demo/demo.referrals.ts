import {
  applyTransition,
  defaultChaseOn,
  partnerRecordable,
  type ReferralFacts,
  type ReferralStatus,
  type ReferralUrgency,
} from '../referrals/index.ts'
import { suggestedKinds } from '../referrals/index.ts'
import { isoDay, isoInstant } from './demo.appointments.ts'
import type { PartnerShare } from './demo.consent.ts'
import { copyColumns, csvLine, randomUuid, type DemoPerson, type FixedTexts, type Random } from './demo.generators.ts'
import type { DemoNeed } from './demo.health.ts'
import type { NeedCategory } from '../needs/index.ts'
import type { ServiceKind } from '../services/index.ts'

/*
 * Referrals from a person's confirmed needs to active services in their site's directory, of the kinds the referrals
 * feature suggests for the need (suggestedKinds), carried through the referral lifecycle by its own pure module:
 * every change is checked and dated by applyTransition (allowed transitions, reasons, dates never before the last
 * change or the need, never in the future), which also gives the chase date, first appointment and attendance
 * dates, days to first treatment and closing date, exactly as the service stores them. A referral stops where the
 * next change would fall after today, so recent ones are at early stages and some are overdue for chasing.
 *
 * A referral to a partner organisation is sent only while the person's consent to share with that partner stands
 * (given before it is sent, not yet withdrawn); without it the referral stays a draft, as the service allows. The
 * changes a partner may record are recorded by the partner's caseworker when that organisation has a demo account.
 */

const DAY_MS = 86_400_000
const MINUTE_MS = 60_000
const HOUR_MS = 3_600_000

/** Share of confirmed needs referred, by category. */
export const referralProportions: Readonly<Record<NeedCategory, number>> & {
  urgent: number
  sentAtOnce: number
  chasedAndRescheduled: number
} = {
  'mental-health': 0.7,
  alcohol: 0.65,
  drugs: 0.75,
  smoking: 0.45,
  neurodivergence: 0.7,
  trauma: 0.8,
  'physical-health': 0.45,
  'gp-registration': 0.25,
  screening: 0.55,
  urgent: 0.1,
  sentAtOnce: 0.9,
  chasedAndRescheduled: 0.8,
}

/** What happens next from each state, weighted; `null` is "nothing yet" (a stalled referral, overdue to chase). */
const nextSteps: Partial<
  Record<ReferralStatus, readonly (readonly [ReferralStatus | null, number, number, number])[]>
> = {
  // [next state, weight, fewest days after, most days after]
  draft: [
    ['sent', 55, 1, 10],
    ['withdrawn', 30, 5, 30],
    [null, 15, 0, 0],
  ],
  sent: [
    ['accepted', 78, 1, 12],
    ['rejected', 9, 2, 14],
    ['declined', 5, 2, 20],
    ['withdrawn', 3, 5, 25],
    [null, 5, 0, 0],
  ],
  accepted: [
    ['first-appointment-booked', 88, 1, 20],
    ['declined', 6, 3, 20],
    ['withdrawn', 2, 5, 20],
    [null, 4, 0, 0],
  ],
  'first-appointment-booked': [
    ['first-appointment-attended', 74, 0, 0],
    ['did-not-attend', 21, 0, 0],
    ['declined', 3, 0, 5],
    ['withdrawn', 2, 0, 5],
  ],
  'did-not-attend': [
    ['first-appointment-booked', 60, 1, 7],
    ['declined', 22, 1, 14],
    ['withdrawn', 13, 3, 20],
    [null, 5, 0, 0],
  ],
  'first-appointment-attended': [
    ['engaged', 74, 7, 35],
    ['completed', 14, 14, 60],
    ['declined', 7, 7, 40],
    ['withdrawn', 2, 7, 40],
    [null, 3, 0, 0],
  ],
  engaged: [
    ['completed', 60, 30, 120],
    ['declined', 12, 14, 90],
    ['withdrawn', 3, 14, 90],
    [null, 25, 0, 0],
  ],
}

const reasons: Partial<Record<ReferralStatus, readonly string[]>> = {
  rejected: [
    'Does not meet the service’s criteria; the service suggested the GP instead',
    'The service’s waiting list is closed to new referrals this month',
  ],
  declined: [
    'The person decided not to go ahead for now',
    'The person would rather get this support through their GP',
    'The person said the timing clashes with work',
  ],
  withdrawn: [
    'The person has not agreed to share their information with this service',
    'The need is being met another way',
    'The person moved out of the area',
    'Sent to the wrong service by mistake; referred again',
  ],
  'did-not-attend': [
    'Did not attend the first appointment; the service will offer another',
    'Missed the appointment; phone number not in use',
  ],
}

const referralReasons: Record<NeedCategory, string> = {
  'mental-health': 'Low mood and anxiety found at the hub health check; the person would like talking support',
  alcohol: 'Drinking at increasing risk or above on AUDIT; the person wants help to cut down',
  drugs: 'Uses drugs and asked for help with treatment',
  smoking: 'Smokes and would like help to stop',
  neurodivergence: 'Neurodivergent and would like support with appointments, letters and forms',
  trauma: 'Experienced abuse in childhood and would like support with its effects',
  'physical-health': 'Blood pressure or weight outside the healthy range at the hub health check',
  'gp-registration': 'Not registered with a GP; asking the practice to register the person',
  screening: 'Due for NHS screening and would like help to take part',
}

export const referralColumns = copyColumns('referral', [
  'id',
  'person_id',
  'site_id',
  'need_id',
  'service_id',
  'organisation_id',
  'status',
  'urgency',
  'reason',
  'need_identified_on',
  'sent_on',
  'chase_on',
  'first_appointment_on',
  'first_attended_on',
  'days_to_first_treatment',
  'closed_on',
  'created_by',
  'created_at',
  'updated_at',
  'version',
])

export const referralEventColumns = copyColumns('referral_event', [
  'referral_id',
  'from_status',
  'to_status',
  'occurred_on',
  'reason',
  'actor_id',
  'recorded_at',
])

export interface DirectoryService {
  id: string
  kind: ServiceKind
  organisationId: string | null
}

export interface DemoReferral {
  id: string
  needId: string
  category: NeedCategory
  status: ReferralStatus
  sentOn: string | null
  /** The date of each status change, by status (the latest time it was reached). */
  reachedOn: ReadonlyMap<ReferralStatus, string>
}

export interface PersonReferrals {
  referrals: string
  events: string
  referralCount: number
  eventCount: number
  list: DemoReferral[]
}

export interface ReferralInput {
  random: Random
  person: DemoPerson
  needs: readonly DemoNeed[]
  /** The site's active directory entries. */
  services: readonly DirectoryService[]
  partners: ReadonlyMap<string, PartnerShare>
  /** Partner caseworkers (demo accounts) by organisation id. */
  caseworkers: ReadonlyMap<string, string>
  nowMs: number
}

const dayOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`)

function pickNext(random: Random, from: ReferralStatus) {
  const options = nextSteps[from] ?? []
  const total = options.reduce((sum, o) => sum + o[1], 0)
  let target = random.next() * total
  for (const option of options) {
    target -= option[1]
    if (target < 0) return option
  }
  return options.at(-1)
}

/**
 * Which directory entry a need is referred to: a suggested kind for the category, the first kind most often. For
 * trauma and neurodivergence, the voluntary sector's peer support (the demo partner's own service) is offered most often.
 */
function chooseService(random: Random, category: NeedCategory, services: readonly DirectoryService[]) {
  const kinds = suggestedKinds[category]
  const weights = kinds.map((kind, i) =>
    (category === 'trauma' || category === 'neurodivergence') && kind === 'voluntary-sector' ? 6 : i === 0 ? 3 : 1,
  )
  let target = random.next() * weights.reduce((a, b) => a + b, 0)
  let kind = kinds[0]
  for (let i = 0; i < kinds.length; i++) {
    target -= weights[i] ?? 0
    if (target < 0) {
      kind = kinds[i]
      break
    }
  }
  const matching = services.filter((s) => s.kind === kind)
  return matching.length === 0 ? undefined : random.pick(matching)
}

export function generateReferrals(input: ReferralInput): PersonReferrals {
  const { random, person, nowMs } = input
  const row = person.row
  const today = isoDay(nowMs)
  const out: PersonReferrals = { referrals: '', events: '', referralCount: 0, eventCount: 0, list: [] }

  for (const need of input.needs) {
    if (need.status !== 'confirmed' || need.confirmedMs === null) continue
    if (!random.chance(referralProportions[need.category])) continue
    let service = chooseService(random, need.category, input.services)
    if (service === undefined) continue
    // A partner the person has not agreed to share with: another suggested service if there is one; otherwise the
    // referral is often not made yet, or saved as a draft until consent is asked again.
    const consentGiven = (s: DirectoryService) => s.organisationId === null || input.partners.has(s.organisationId)
    if (!consentGiven(service)) {
      const kinds: readonly ServiceKind[] = suggestedKinds[need.category]
      const others = input.services.filter((s) => kinds.includes(s.kind) && consentGiven(s))
      if (others.length > 0) service = random.pick(others)
      else if (random.chance(0.6)) continue
    }
    const organisationId = service.organisationId
    const share = organisationId === null ? undefined : input.partners.get(organisationId)
    /** Whether the person's consent allows sending to the service at an instant. */
    const mayShareAt = (ms: number) =>
      organisationId === null ||
      (share !== undefined && share.givenMs < ms && (share.withdrawnMs === null || ms < share.withdrawnMs))
    const createdMs = Math.max(need.confirmedMs, share?.givenMs ?? 0) + random.int(10, 120) * MINUTE_MS
    if (createdMs > nowMs) continue
    const clinicianId = need.clinicianId
    const urgency: ReferralUrgency = random.chance(referralProportions.urgent) ? 'urgent' : 'routine'
    const id = randomUuid(random)
    const createdOn = isoDay(createdMs)
    const reached = new Map<ReferralStatus, string>([['draft', createdOn]])
    let facts: ReferralFacts = {
      status: 'draft',
      urgency,
      needIdentifiedOn: need.identifiedOn,
      sentOn: null,
      firstAppointmentOn: null,
      firstAttendedOn: null,
      daysToFirstTreatment: null,
      closedOn: null,
    }
    let chaseOn = defaultChaseOn('draft', createdOn, urgency, null)
    let version = 1
    let lastMs = createdMs
    let previousOn = createdOn
    const event = (
      from: ReferralStatus | null,
      to: ReferralStatus,
      on: string,
      why: string | null,
      actor: string,
      ms: number,
    ) => {
      out.events += csvLine([id, from, to, on, why, actor, isoInstant(ms)])
      out.eventCount++
    }
    event(null, 'draft', createdOn, null, clinicianId, createdMs)
    if (mayShareAt(createdMs) && random.chance(referralProportions.sentAtOnce)) {
      // Made and sent in one go: both events at once, and the referral keeps version 1.
      facts = { ...facts, status: 'sent', sentOn: createdOn }
      chaseOn = defaultChaseOn('sent', createdOn, urgency, null)
      reached.set('sent', createdOn)
      event('draft', 'sent', createdOn, null, clinicianId, createdMs)
    }

    for (;;) {
      const step = pickNext(random, facts.status)
      if (step === undefined) break
      const [next, , fewest, most] = step
      if (next === null) break
      let to: ReferralStatus = next
      let atDayMs = dayOf(previousOn) + random.int(fewest, most) * DAY_MS
      if ((to === 'first-appointment-attended' || to === 'did-not-attend') && facts.firstAppointmentOn !== null) {
        atDayMs = Math.max(atDayMs, dayOf(facts.firstAppointmentOn))
      }
      const at = isoDay(atDayMs)
      if (at > today) break
      const atMs = Math.min(
        nowMs,
        Math.max(lastMs + MINUTE_MS, atDayMs + (9 + random.int(0, 7)) * HOUR_MS + random.int(0, 59) * MINUTE_MS),
      )
      if (atMs > nowMs || isoDay(atMs) !== at) break
      // Never sent without the person's consent to share with the partner: the draft waits, or is withdrawn.
      if (to === 'sent' && !mayShareAt(atMs)) {
        if (!random.chance(0.6)) break
        to = 'withdrawn'
      }
      const partnerActor =
        organisationId !== null && partnerRecordable.includes(to) && mayShareAt(atMs)
          ? input.caseworkers.get(organisationId)
          : undefined
      const why =
        to === 'withdrawn' && facts.status === 'draft' && !mayShareAt(atMs)
          ? (reasons.withdrawn?.[0] ?? null)
          : reasons[to] === undefined
            ? null
            : random.pick((reasons[to] ?? []).slice(to === 'withdrawn' ? 1 : 0))
      const appointmentOn = to === 'first-appointment-booked' ? isoDay(atDayMs + random.int(3, 28) * DAY_MS) : null
      const from = facts.status
      const applied = applyTransition(
        facts,
        { to, at, reason: why, appointmentOn },
        { recorder: partnerActor === undefined ? 'hub' : 'partner', today, previousOn },
      )
      if (!applied.ok)
        throw new Error(`Demo referral broke the lifecycle: ${facts.status} -> ${to} (${applied.problem.kind})`)
      facts = applied.next
      chaseOn = applied.chaseOn
      version++
      lastMs = atMs
      previousOn = at
      reached.set(to, at)
      event(from, to, at, why, partnerActor ?? clinicianId, atMs)
    }

    // A referral waiting on the service whose chase date has passed: the hub chased it and (mostly) set the next
    // chase date, as the service's "change chase date" does (a new version, no status event); the rest are overdue.
    if (chaseOn !== null && chaseOn < today && random.chance(referralProportions.chasedAndRescheduled)) {
      const chasedMs = Math.max(
        lastMs + MINUTE_MS,
        Math.min(nowMs, dayOf(today) - random.int(0, 3) * DAY_MS + 11 * HOUR_MS),
      )
      if (chasedMs <= nowMs) {
        lastMs = chasedMs
        chaseOn = isoDay(chasedMs + random.int(3, 21) * DAY_MS)
        version++
      }
    }

    out.referrals += csvLine([
      id,
      row.id,
      row.site_id,
      need.id,
      service.id,
      organisationId,
      facts.status,
      urgency,
      referralReasons[need.category],
      need.identifiedOn,
      facts.sentOn,
      chaseOn,
      facts.firstAppointmentOn,
      facts.firstAttendedOn,
      facts.daysToFirstTreatment,
      facts.closedOn,
      clinicianId,
      isoInstant(createdMs),
      isoInstant(lastMs),
      version,
    ])
    out.referralCount++
    out.list.push({
      id,
      needId: need.id,
      category: need.category,
      status: facts.status,
      sentOn: facts.sentOn,
      reachedOn: reached,
    })
  }
  return out
}

/** Fixed texts written through csvLine, by the column each is written to. */
export const referralVocabulary = {
  referral: { reason: Object.values(referralReasons) },
  referral_event: { reason: Object.values(reasons).flat() },
} as const satisfies FixedTexts
