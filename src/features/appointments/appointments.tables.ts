import type { Generated } from 'kysely'
import type { Timestamp, CalendarDate, CreatedAt, UpdatedAt } from '../../platform/db/schema.ts'

export const appointmentKinds = ['joint', 'clinic'] as const

export type AppointmentKind = (typeof appointmentKinds)[number]

export const appointmentStatuses = ['booked', 'cancelled', 'completed'] as const

export type AppointmentStatus = (typeof appointmentStatuses)[number]

/** nDelius appointment outcome codes (domain reference §8); 'AA' is acceptable absence, with its reason code. */
export const appointmentOutcomes = ['ATTC', 'AFTC', 'ATSH', 'ATSS', 'AFTA', 'UAAB', 'AA', 'RSOF', 'RSSR'] as const

export type AppointmentOutcome = (typeof appointmentOutcomes)[number]

export const absenceReasons = ['AACL', 'AAEM', 'AAFC', 'AAHO', 'AAME', 'AARC', 'AARE', 'AASD', 'AAAA', 'CO05'] as const

export type AbsenceReason = (typeof absenceReasons)[number]

export interface AppointmentTable {
  id: Generated<string>
  person_id: string
  site_id: string
  kind: AppointmentKind
  starts_at: Timestamp
  duration_minutes: number
  ends_at: Timestamp
  location: string | null
  clinician_id: string
  practitioner_id: string | null
  status: Generated<AppointmentStatus>
  outcome: AppointmentOutcome | null
  absence_reason: AbsenceReason | null
  outcome_notes: string | null
  outcome_recorded_at: Timestamp | null
  outcome_recorded_by: string | null
  cancelled_reason: string | null
  cancelled_at: Timestamp | null
  cancelled_by: string | null
  rescheduled_from: string | null
  version: Generated<number>
  created_at: CreatedAt
  created_by: string
  updated_at: UpdatedAt
}

export interface FollowUpTable {
  id: Generated<string>
  kind: string
  person_id: string
  site_id: string
  appointment_id: string | null
  assigned_to: string
  reason: string
  due_date: CalendarDate
  status: Generated<'open' | 'done'>
  done_at: Timestamp | null
  done_by: string | null
  note: string | null
  created_at: CreatedAt
}

declare module '../../platform/db/schema.ts' {
  interface DB {
    appointment: AppointmentTable
    follow_up: FollowUpTable
  }
}
