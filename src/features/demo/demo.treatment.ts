import { matchingNeed } from '../treatment-requirements/index.ts'
import { eighteenthBirthday } from '../treatment-requirements/index.ts'
import { checkTransition } from '../treatment-requirements/index.ts'
import { isoDay, isoInstant } from './demo.appointments.ts'
import { copyColumns, csvLine, randomUuid, type DemoPerson, type FixedTexts, type Random } from './demo.generators.ts'
import type { DemoNeed } from './demo.health.ts'
import type { DemoReferral } from './demo.referrals.ts'
import type { StaffRole } from '../../platform/http/roles.ts'
import type { TreatmentRequirementStatus } from '../treatment-requirements/index.ts'

/*
 * Community sentence treatment requirements (MHTR, DRR, ATR; domain reference §8) for a small share of people on a
 * community order or suspended sentence order with a confirmed need of the matching kind (the feature's
 * matchingNeed). Each change is checked against the feature's own lifecycle (checkTransition, with the role that
 * records it: clinicians assess, probation practitioners record the court's decisions and the order's progress).
 * Treatment starts only with a treatment referral for the matching need linked (a referral-linked event first), and
 * only once that referral was sent. Dates never go backwards and are never after today. Proposals are only for
 * people aged 18 or over on the date proposed.
 */

const DAY_MS = 86_400_000
const MINUTE_MS = 60_000
const HOUR_MS = 3_600_000

export const treatmentProportions = {
  /** People on a community or suspended sentence order, with a matching confirmed need, given a requirement. */
  proposed: 0.12,
} as const

/** The status a requirement is taken towards, weighted (it stops earlier when the next date is after today). */
const targets: readonly (readonly [TreatmentRequirementStatus, number])[] = [
  ['proposed', 10],
  ['assessed-unsuitable', 10],
  ['assessed-suitable', 10],
  ['made', 12],
  ['started', 30],
  ['completed', 15],
  ['breached', 13],
]

const paths: Readonly<Record<TreatmentRequirementStatus, readonly TreatmentRequirementStatus[]>> = {
  proposed: [],
  'assessed-unsuitable': ['assessed-unsuitable'],
  'assessed-suitable': ['assessed-suitable'],
  made: ['assessed-suitable', 'made'],
  started: ['assessed-suitable', 'made', 'started'],
  completed: ['assessed-suitable', 'made', 'started', 'completed'],
  breached: ['assessed-suitable', 'made', 'started', 'breached'],
}

/** Days from the previous change to each status. */
const gaps: Readonly<Record<TreatmentRequirementStatus, readonly [number, number]>> = {
  proposed: [0, 7],
  'assessed-suitable': [3, 14],
  'assessed-unsuitable': [3, 14],
  made: [7, 21],
  started: [2, 10],
  completed: [60, 110],
  breached: [14, 60],
}

const notes: Partial<Record<TreatmentRequirementStatus, readonly string[]>> = {
  proposed: ['Proposed for the pre-sentence report after discussion with the person, who consents to treatment'],
  'assessed-unsuitable': [
    'The treatment provider found the person’s needs better met through their GP',
    'The person does not consent to the requirement',
  ],
  made: ['Made by the magistrates’ court for 6 months', 'Made by the Crown Court for 12 months with court reviews'],
  breached: ['Missed three treatment sessions without a reasonable excuse; referred to enforcement'],
}
const continueNote = 'The court allowed the requirement to continue after the breach hearing'
/** The reason or note for a change to a status with no notes of its own (assessed-suitable, started, completed). */
const reviewNote = 'Recorded at the review'

export const treatmentColumns = copyColumns('treatment_requirement', [
  'id',
  'person_id',
  'site_id',
  'kind',
  'status',
  'referral_id',
  'proposed_on',
  'assessed_on',
  'made_on',
  'started_on',
  'ended_on',
  'status_on',
  'note',
  'version',
  'created_by',
  'created_at',
  'updated_at',
])

export const treatmentEventColumns = copyColumns('treatment_requirement_event', [
  'requirement_id',
  'kind',
  'from_status',
  'to_status',
  'referral_id',
  'occurred_on',
  'reason',
  'actor_id',
  'recorded_at',
])

export interface PersonTreatment {
  requirements: string
  events: string
  requirementCount: number
  eventCount: number
}

function pickTarget(random: Random): TreatmentRequirementStatus {
  const total = targets.reduce((sum, [, w]) => sum + w, 0)
  let target = random.next() * total
  for (const [status, weight] of targets) {
    target -= weight
    if (target < 0) return status
  }
  return 'proposed'
}

export function generateTreatment(
  random: Random,
  person: DemoPerson,
  needs: readonly DemoNeed[],
  referrals: readonly DemoReferral[],
  practitionerId: string,
  nowMs: number,
): PersonTreatment {
  const out: PersonTreatment = { requirements: '', events: '', requirementCount: 0, eventCount: 0 }
  const row = person.row
  if (row.supervision_type !== 'community-order' && row.supervision_type !== 'suspended-sentence-order') return out
  const kinds = (['mhtr', 'drr', 'atr'] as const).filter((kind) =>
    needs.some((n) => n.category === matchingNeed[kind] && n.status === 'confirmed'),
  )
  if (kinds.length === 0 || !random.chance(treatmentProportions.proposed)) return out
  const kind = random.pick(kinds)
  const need = needs.find((n) => n.category === matchingNeed[kind] && n.status === 'confirmed')
  if (need === undefined) return out
  const clinicianId = need.clinicianId
  const referral = referrals.find((r) => r.needId === need.id && r.sentOn !== null)
  const today = isoDay(nowMs)

  const id = randomUuid(random)
  let target = pickTarget(random)
  // Treatment cannot start without a sent treatment referral to link.
  if (referral === undefined && ['started', 'completed', 'breached'].includes(target)) target = 'made'
  const proposerRole: StaffRole = random.chance(0.6) ? 'clinician' : 'probation_practitioner'
  const actorFor = (role: StaffRole) => (role === 'probation_practitioner' ? practitionerId : clinicianId)

  let dayMs = Date.parse(`${need.identifiedOn}T00:00:00Z`) + random.int(...gaps.proposed) * DAY_MS
  // A community sentence treatment requirement is for adults (domain reference §8): the service refuses a proposal
  // dated before the 18th birthday, so a person whose need was found at 17 gets none.
  if (isoDay(dayMs) > today || isoDay(dayMs) < eighteenthBirthday(row.date_of_birth)) return out
  const at = (ms: number) => Math.min(nowMs, ms + (10 + random.int(0, 6)) * HOUR_MS + random.int(0, 59) * MINUTE_MS)
  let lastMs = at(dayMs)
  const createdMs = lastMs
  const proposedOn = isoDay(dayMs)
  const proposalNote = random.chance(0.7) ? random.pick(notes.proposed ?? []) : null
  const dates: Partial<Record<'assessed' | 'made' | 'started' | 'ended', string>> = {}
  let status: TreatmentRequirementStatus = 'proposed'
  let statusOn = proposedOn
  let note = proposalNote
  let version = 1
  let linked: string | null = null
  const event = (
    kindOf: string,
    from: TreatmentRequirementStatus | null,
    to: TreatmentRequirementStatus,
    referralId: string | null,
    on: string,
    why: string | null,
    actor: string,
    ms: number,
  ) => {
    out.events += csvLine([id, kindOf, from, to, referralId, on, why, actor, isoInstant(ms)])
    out.eventCount++
  }
  event('proposed', null, 'proposed', null, proposedOn, proposalNote, actorFor(proposerRole), createdMs)

  const steps = [...paths[target]]
  // A few breached requirements continue once the court allows it.
  if (target === 'breached' && random.chance(0.35)) steps.push('started')
  for (const to of steps) {
    const [fewest, most] = gaps[to === 'started' && status === 'breached' ? 'made' : to]
    let nextMs = dayMs + random.int(fewest, most) * DAY_MS
    if (to === 'started' && referral?.sentOn != null) {
      nextMs = Math.max(nextMs, Date.parse(`${referral.sentOn}T00:00:00Z`))
    }
    const on = isoDay(nextMs)
    if (on > today) break
    const role: StaffRole =
      to === 'assessed-suitable' || to === 'assessed-unsuitable' ? 'clinician' : 'probation_practitioner'
    const check = checkTransition(status, to, role)
    if (!check.ok) throw new Error(`Demo treatment requirement broke the lifecycle: ${status} -> ${to}`)
    const linking = check.transition.needsReferral && linked === null
    if (linking && referral === undefined) break
    const ms = Math.max(lastMs + MINUTE_MS, at(nextMs))
    // When a referral is linked in the same change, the link is recorded first, a minute before.
    const changeMs = linking ? ms + MINUTE_MS : ms
    if (changeMs > nowMs || isoDay(changeMs) !== on) break
    if (linking && referral !== undefined) {
      // Linked by the health team (who may choose among the person's referrals).
      linked = referral.id
      version++
      event('referral-linked', status, status, referral.id, on, null, clinicianId, ms)
    }
    const why =
      status === 'breached' && to === 'started'
        ? continueNote
        : check.transition.reasonRequired || random.chance(0.5)
          ? random.pick(notes[to] ?? [reviewNote])
          : null
    if (to === 'assessed-suitable' || to === 'assessed-unsuitable') dates.assessed = on
    if (to === 'made') {
      dates.made = on
      if (why !== null) note = why
    }
    if (to === 'started' && dates.started === undefined) dates.started = on
    if (to === 'completed') dates.ended = on
    event('transition', status, to, null, on, why, actorFor(role), changeMs)
    status = to
    statusOn = on
    dayMs = nextMs
    lastMs = changeMs
    version++
  }

  out.requirements += csvLine([
    id,
    row.id,
    row.site_id,
    kind,
    status,
    linked,
    proposedOn,
    dates.assessed ?? null,
    dates.made ?? null,
    dates.started ?? null,
    dates.ended ?? null,
    statusOn,
    note,
    version,
    actorFor(proposerRole),
    isoInstant(createdMs),
    isoInstant(lastMs),
  ])
  out.requirementCount++
  return out
}

/** Fixed texts written through csvLine, by the column each is written to. */
export const treatmentVocabulary = {
  // The requirement's court/order note: the proposal's note, then the one recorded when it is made.
  treatment_requirement: { note: [...(notes.proposed ?? []), ...(notes.made ?? [])] },
  treatment_requirement_event: { reason: [...Object.values(notes).flat(), continueNote, reviewNote] },
} as const satisfies FixedTexts
