import type { Generated } from 'kysely'
import type { CalendarDate, CreatedAt, Json, Timestamp, UpdatedAt } from '../../platform/db/schema.ts'

/** The checklist of a release plan: what must be in place around the day of release. */
export const planItemKinds = [
  'gp-registration',
  'gp-appointment',
  'medicines',
  'naloxone',
  'drug-alcohol',
  'mental-health',
  'housing',
  'id-bank-benefits',
  'meet-at-gate',
] as const
export type PlanItemKind = (typeof planItemKinds)[number]

export const planItemOwners = ['clinician', 'probation-practitioner', 'partner'] as const
export type PlanItemOwner = (typeof planItemOwners)[number]

export const planItemStatuses = ['to-do', 'in-progress', 'done', 'not-applicable'] as const
export type PlanItemStatus = (typeof planItemStatuses)[number]

export const naloxoneOutcomes = ['offered', 'supplied', 'declined'] as const
export type NaloxoneOutcome = (typeof naloxoneOutcomes)[number]

export interface ReleasePlanItemTable {
  id: Generated<string>
  episode_id: string
  person_id: string
  kind: PlanItemKind
  owner: PlanItemOwner
  /** The partner organisation that owns the item (owner "partner" only). */
  organisation_id: string | null
  status: Generated<PlanItemStatus>
  not_applicable_reason: string | null
  notes: string | null
  /** Medicines: days of medicine given on release, a bridging prescription, opioid substitution treatment. */
  days_supplied: number | null
  bridging_prescription: boolean | null
  opioid_substitution: Generated<boolean>
  prescriber_appointment_on: CalendarDate | null
  naloxone: NaloxoneOutcome | null
  /** Drug and alcohol, mental health: the referral through which the appointment is made. */
  referral_id: string | null
  version: Generated<number>
  created_at: CreatedAt
  updated_by: string
  updated_at: UpdatedAt
}

export interface ReleasePlanItemHistoryTable {
  id: Generated<number>
  item_id: string
  version: number
  snapshot: Json<Record<string, unknown>>
  actor_id: string
  recorded_at: Timestamp
}

declare module '../../platform/db/schema.ts' {
  interface DB {
    release_plan_item: ReleasePlanItemTable
    release_plan_item_history: ReleasePlanItemHistoryTable
  }
}
