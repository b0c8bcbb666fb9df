import type { Generated } from 'kysely'
import type { Timestamp, CalendarDate, CreatedAt, UpdatedAt } from '../../platform/db/schema.ts'

export const referralStatuses = [
  'draft',
  'sent',
  'accepted',
  'rejected',
  'first-appointment-booked',
  'first-appointment-attended',
  'engaged',
  'completed',
  'declined',
  'withdrawn',
  'did-not-attend',
] as const

export type ReferralStatus = (typeof referralStatuses)[number]

export type ReferralUrgency = 'routine' | 'urgent'

export interface ReferralTable {
  id: Generated<string>
  person_id: string
  site_id: string
  need_id: string
  service_id: string
  organisation_id: string | null
  status: Generated<ReferralStatus>
  urgency: Generated<ReferralUrgency>
  reason: string
  need_identified_on: CalendarDate
  sent_on: CalendarDate | null
  chase_on: CalendarDate | null
  first_appointment_on: CalendarDate | null
  first_attended_on: CalendarDate | null
  days_to_first_treatment: number | null
  closed_on: CalendarDate | null
  created_by: string
  created_at: CreatedAt
  updated_at: UpdatedAt
  version: Generated<number>
}

export interface ReferralEventTable {
  id: Generated<number>
  referral_id: string
  from_status: ReferralStatus | null
  to_status: ReferralStatus
  occurred_on: CalendarDate
  reason: string | null
  actor_id: string
  recorded_at: Timestamp
}

declare module '../../platform/db/schema.ts' {
  interface DB {
    referral: ReferralTable
    referral_event: ReferralEventTable
  }
}
