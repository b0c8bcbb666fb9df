import type { ColumnType, Generated, Selectable } from 'kysely'

/** A timestamptz: written as a Date, read as a Date. */
type Timestamp = ColumnType<Date, Date | string, Date | string>
/** A calendar date, kept as an ISO string (YYYY-MM-DD) end to end. */
type CalendarDate = string
type CreatedAt = ColumnType<Date, Date | string | undefined, never>
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>

export const staffRoles = [
  'clinician',
  'probation_practitioner',
  'hub_manager',
  'partner',
  'analyst',
  'admin',
  'auditor',
] as const
export type StaffRole = (typeof staffRoles)[number]

export interface SiteTable {
  id: Generated<string>
  code: string
  name: string
  region: Generated<string>
  created_at: CreatedAt
}

export interface OrganisationTable {
  id: Generated<string>
  code: string
  name: string
  created_at: CreatedAt
}

export interface StaffUserTable {
  id: Generated<string>
  email: string
  display_name: string
  role: StaffRole
  organisation_id: string | null
  password_hash: string | null
  status: Generated<'active' | 'disabled'>
  is_demo: Generated<boolean>
  failed_sign_ins: Generated<number>
  locked_until: Timestamp | null
  last_sign_in_at: Timestamp | null
  version: Generated<number>
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface StaffSiteTable {
  staff_user_id: string
  site_id: string
}

export interface SessionTable {
  id_hash: string
  staff_user_id: string
  created_at: Timestamp
  last_seen_at: Timestamp
  expires_at: Timestamp
}

export interface ApiTokenTable {
  id: Generated<string>
  staff_user_id: string
  token_hash: string
  label: Generated<string>
  created_at: CreatedAt
  last_used_at: Timestamp | null
  revoked_at: Timestamp | null
}

export interface PersonTable {
  id: Generated<string>
  site_id: string
  crn: string
  nhs_number: string | null
  given_name: string
  family_name: string
  preferred_name: string | null
  date_of_birth: CalendarDate
  sex: string | null
  stated_gender: string | null
  gender_same_as_birth: string | null
  ethnic_category: string | null
  disability: string | null
  neurodivergence: string | null
  interpreter_needed: Generated<boolean>
  language: string | null
  reading_support: Generated<boolean>
  communication_notes: string | null
  phone: string | null
  email: string | null
  no_fixed_abode: Generated<boolean>
  address_line1: string | null
  address_line2: string | null
  town: string | null
  postcode: string | null
  supervision_type: string | null
  supervision_start: CalendarDate | null
  supervision_end: CalendarDate | null
  probation_practitioner_id: string | null
  prison_number: string | null
  release_date: CalendarDate | null
  version: Generated<number>
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface AuditEventTable {
  id: Generated<number>
  occurred_at: Timestamp
  actor_id: string | null
  actor_role: string | null
  action: string
  entity_type: string
  entity_id: string | null
  person_id: string | null
  site_id: string | null
  request_id: string | null
  details: ColumnType<Record<string, unknown>, string, never>
  prev_hash: string
  hash: string
}

export interface IdempotencyKeyTable {
  staff_user_id: string
  scope: string
  key: string
  request_hash: string
  resource_id: string
  created_at: CreatedAt
}

export interface InstrumentPermissionTable {
  id: Generated<string>
  instrument_code: string
  reference: string
  granted_by: string
  granted_at: Timestamp
  revoked_by: string | null
  revoked_at: Timestamp | null
}

export interface MigrationTable {
  name: string
  applied_at: Generated<Date>
}

export interface DB {
  site: SiteTable
  organisation: OrganisationTable
  staff_user: StaffUserTable
  staff_site: StaffSiteTable
  session: SessionTable
  api_token: ApiTokenTable
  person: PersonTable
  audit_event: AuditEventTable
  idempotency_key: IdempotencyKeyTable
  instrument_permission: InstrumentPermissionTable
  hub_migration: MigrationTable
  appointment: AppointmentTable
  follow_up: FollowUpTable
}

export type SiteRow = Selectable<SiteTable>
export type StaffUserRow = Selectable<StaffUserTable>
export type PersonRow = Selectable<PersonTable>
export type AuditEventRow = Selectable<AuditEventTable>

export interface ConsentDecisionTable {
  id: Generated<number>
  person_id: string
  topic: string
  organisation_id: string | null
  decision: string
  decided_on: CalendarDate
  recorded_by: string
  recorded_at: Timestamp
  method: string
  note: string | null
}

/** Merged into DB above (declaration merging keeps each feature's tables in one appended block). */
export interface DB {
  consent_decision: ConsentDecisionTable
}

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
