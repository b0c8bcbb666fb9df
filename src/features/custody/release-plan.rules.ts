/**
 * The release plan's rules, kept apart from storage so each can be tested on its own (hazard log H-1003, H-1004):
 * when each item is due, counted from the release date; when an item is done because another record says so (GP
 * registration, a referral's first appointment, naloxone); and the gap in opioid substitution treatment.
 */
import { addDays } from '../../platform/time/uk-time.ts'
import type { NaloxoneOutcome, PlanItemKind, PlanItemOwner, PlanItemStatus } from './release-plan.tables.ts'

export interface ItemDefinition {
  title: string
  /** Days from the release date to the due date (negative: before release). */
  dueOffsetDays: number
  owner: PlanItemOwner
}

/** Each item's title, due date and usual owner. Owners can be changed per plan. */
export const itemDefinitions: Record<PlanItemKind, ItemDefinition> = {
  'gp-registration': { title: 'GP registration before release', dueOffsetDays: -7, owner: 'clinician' },
  'gp-appointment': { title: 'First GP appointment booked', dueOffsetDays: 0, owner: 'clinician' },
  medicines: { title: 'Medicines on release', dueOffsetDays: 0, owner: 'clinician' },
  naloxone: { title: 'Naloxone offered or supplied', dueOffsetDays: 0, owner: 'clinician' },
  'drug-alcohol': {
    title: 'Drug and alcohol service appointment within 3 weeks of release',
    dueOffsetDays: 21,
    owner: 'clinician',
  },
  'mental-health': { title: 'Mental health follow-up', dueOffsetDays: 14, owner: 'clinician' },
  housing: { title: 'Housing on release (duty to refer)', dueOffsetDays: -14, owner: 'probation-practitioner' },
  'id-bank-benefits': {
    title: 'Identity documents, bank account and benefits',
    dueOffsetDays: 0,
    owner: 'partner',
  },
  'meet-at-gate': { title: 'Meet at the gate', dueOffsetDays: 0, owner: 'partner' },
}

/** Drug and alcohol treatment is "engaged" within 3 weeks of release (the continuity of care measure). */
export const TREATMENT_WITHIN_DAYS = 21

/** Referral statuses from which the first appointment is booked (or later). */
export const bookedOrLater: ReadonlySet<string> = new Set([
  'first-appointment-booked',
  'first-appointment-attended',
  'engaged',
  'completed',
])

export interface ItemFacts {
  kind: PlanItemKind
  status: PlanItemStatus
  daysSupplied: number | null
  opioidSubstitution: boolean
  prescriberAppointmentOn: string | null
  naloxone: NaloxoneOutcome | null
  referralId: string | null
}

/** What other records say, read for the plan. */
export interface Evidence {
  /** The person's current GP registration status, if any. */
  gpRegistration: { status: string } | undefined
  /** Referrals the items link to, by id. */
  referrals: ReadonlyMap<string, { status: string; firstAppointmentOn: string | null; serviceName: string }>
}

export type OstGap =
  | { kind: 'supply-not-recorded' }
  | { kind: 'no-appointment'; supplyEndsAfter: string }
  | { kind: 'appointment-too-late'; supplyEndsAfter: string; appointmentOn: string }

export interface ItemState {
  dueOn: string
  /** The status as the plan shows it: another record may show an item done. */
  status: PlanItemStatus
  /** Done because another record says so (not because someone marked it). */
  doneBy: 'gp-registration' | 'referral' | 'naloxone' | undefined
  /** Still needs something: not done and not "does not apply", or done with an opioid substitution gap. */
  outstanding: boolean
  overdue: boolean
  ostGap: OstGap | undefined
  /** The drug and alcohol appointment is booked, but for more than 3 weeks after release. */
  treatmentLate: boolean
}

export function dueOn(kind: PlanItemKind, releaseDate: string): string {
  return addDays(releaseDate, itemDefinitions[kind].dueOffsetDays)
}

/**
 * The opioid substitution gap: a supply of N days from the release day lasts to the end of day N − 1 after it, so
 * the community prescriber's first appointment must be no later than the day after that, release + N days.
 */
export function ostGap(item: ItemFacts, releaseDate: string): OstGap | undefined {
  if (item.kind !== 'medicines' || !item.opioidSubstitution) return undefined
  if (item.daysSupplied === null) return { kind: 'supply-not-recorded' }
  const latest = addDays(releaseDate, item.daysSupplied)
  const supplyEndsAfter = addDays(latest, -1)
  if (item.prescriberAppointmentOn === null) return { kind: 'no-appointment', supplyEndsAfter }
  if (item.prescriberAppointmentOn > latest) {
    return { kind: 'appointment-too-late', supplyEndsAfter, appointmentOn: item.prescriberAppointmentOn }
  }
  return undefined
}

/** The latest day the community prescriber's first appointment may be, or undefined until days supplied is known. */
export function prescriberDueOn(daysSupplied: number | null, releaseDate: string): string | undefined {
  return daysSupplied === null ? undefined : addDays(releaseDate, daysSupplied)
}

export function itemState(item: ItemFacts, releaseDate: string, today: string, evidence: Evidence): ItemState {
  const due = dueOn(item.kind, releaseDate)
  const gap = ostGap(item, releaseDate)
  const referral = item.referralId === null ? undefined : evidence.referrals.get(item.referralId)
  let doneBy: ItemState['doneBy']
  if (item.status !== 'not-applicable' && item.status !== 'done') {
    if (item.kind === 'gp-registration' && evidence.gpRegistration?.status === 'registered') doneBy = 'gp-registration'
    else if ((item.kind === 'drug-alcohol' || item.kind === 'mental-health') && referral !== undefined) {
      if (bookedOrLater.has(referral.status)) doneBy = 'referral'
    } else if (item.kind === 'naloxone' && item.naloxone !== null) doneBy = 'naloxone'
  }
  const status: PlanItemStatus = doneBy === undefined ? item.status : 'done'
  const settled = status === 'done' || status === 'not-applicable'
  const outstanding = !settled || gap !== undefined
  const treatmentLate =
    item.kind === 'drug-alcohol' &&
    referral?.firstAppointmentOn !== null &&
    referral?.firstAppointmentOn !== undefined &&
    referral.firstAppointmentOn > addDays(releaseDate, TREATMENT_WITHIN_DAYS)
  return { dueOn: due, status, doneBy, outstanding, overdue: outstanding && today > due, ostGap: gap, treatmentLate }
}
