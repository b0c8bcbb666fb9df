import type { Generated } from 'kysely'
import type { Timestamp, CalendarDate, CreatedAt } from '../../platform/db/schema.ts'

export const needCategories = [
  'mental-health',
  'alcohol',
  'drugs',
  'smoking',
  'neurodivergence',
  'trauma',
  'physical-health',
  'gp-registration',
  'screening',
] as const

export type NeedCategory = (typeof needCategories)[number]

export const needStatuses = ['proposed', 'confirmed', 'dismissed'] as const

export type NeedStatus = (typeof needStatuses)[number]

export interface NeedTable {
  id: Generated<string>
  person_id: string
  site_id: string
  check_id: string | null
  category: NeedCategory
  status: Generated<NeedStatus>
  proposed_because: string
  reason: string | null
  decided_by: string | null
  decided_at: Timestamp | null
  identified_on: CalendarDate
  created_at: CreatedAt
  version: Generated<number>
  /** The clinician who recorded a need directly; null for a need a health check proposed. */
  recorded_by: Generated<string | null>
}

/** One decision on a need, append-only: from_status is null for the proposal or direct record that created it. */
export interface NeedEventTable {
  id: Generated<number>
  need_id: string
  from_status: NeedStatus | null
  to_status: NeedStatus
  reason: string | null
  actor_id: string
  recorded_at: Timestamp
}

declare module '../../platform/db/schema.ts' {
  interface DB {
    need: NeedTable
    need_event: NeedEventTable
  }
}
