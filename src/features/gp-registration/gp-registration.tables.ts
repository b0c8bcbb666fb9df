import type { Generated } from 'kysely'
import type { Timestamp, CalendarDate } from '../../platform/db/schema.ts'

export const gpRegistrationStatuses = [
  'registered',
  'not-registered',
  'in-progress',
  'refused',
  'deregistered',
] as const

export type GpRegistrationStatus = (typeof gpRegistrationStatuses)[number]

export interface GpRegistrationTable {
  id: Generated<number>
  person_id: string
  status: GpRegistrationStatus
  service_id: string | null
  practice_name: string | null
  practice_ods_code: string | null
  status_date: CalendarDate
  reason: string | null
  help_given: string | null
  recorded_by: string
  recorded_at: Timestamp
  /** A later row exists for the person (kept by a trigger, migration 0020): only the latest row is current. */
  superseded: Generated<boolean>
}

declare module '../../platform/db/schema.ts' {
  interface DB {
    gp_registration: GpRegistrationTable
  }
}
