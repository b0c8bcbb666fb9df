import type { Generated } from 'kysely'
import type { Timestamp, CalendarDate, CreatedAt, UpdatedAt } from '../../platform/db/schema.ts'

export const treatmentRequirementKinds = ['mhtr', 'drr', 'atr'] as const

export type TreatmentRequirementKind = (typeof treatmentRequirementKinds)[number]

export const treatmentRequirementStatuses = [
  'proposed',
  'assessed-suitable',
  'assessed-unsuitable',
  'made',
  'started',
  'completed',
  'breached',
] as const

export type TreatmentRequirementStatus = (typeof treatmentRequirementStatuses)[number]

export const treatmentRequirementEventKinds = [
  'proposed',
  'transition',
  'referral-linked',
  'referral-unlinked',
] as const

export type TreatmentRequirementEventKind = (typeof treatmentRequirementEventKinds)[number]

export interface TreatmentRequirementTable {
  id: Generated<string>
  person_id: string
  site_id: string
  kind: TreatmentRequirementKind
  status: Generated<TreatmentRequirementStatus>
  referral_id: string | null
  proposed_on: CalendarDate
  assessed_on: CalendarDate | null
  made_on: CalendarDate | null
  started_on: CalendarDate | null
  ended_on: CalendarDate | null
  status_on: CalendarDate
  note: string | null
  version: Generated<number>
  created_by: string
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface TreatmentRequirementEventTable {
  id: Generated<number>
  requirement_id: string
  kind: TreatmentRequirementEventKind
  from_status: TreatmentRequirementStatus | null
  to_status: TreatmentRequirementStatus
  referral_id: string | null
  occurred_on: CalendarDate
  reason: string | null
  actor_id: string
  recorded_at: Timestamp
}

declare module '../../platform/db/schema.ts' {
  interface DB {
    treatment_requirement: TreatmentRequirementTable
    treatment_requirement_event: TreatmentRequirementEventTable
  }
}
