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
  /** 0015: set when an administrator sets the password; cleared when the owner chooses their own. */
  must_change_password: Generated<boolean>
  password_changed_at: Timestamp | null
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

// ---- Health checks (0008-health-checks) ----

export const healthCheckStatuses = ['in-progress', 'completed'] as const
export type HealthCheckStatus = (typeof healthCheckStatuses)[number]
export const observationStatuses = ['measured', 'not-measured', 'prefer-not-to-say'] as const
export type ObservationStatus = (typeof observationStatuses)[number]
export const smokingStatuses = ['current', 'ex', 'never', 'prefer-not-to-say'] as const
export type SmokingStatus = (typeof smokingStatuses)[number]
export const warningFlagStatuses = ['awaiting-response', 'responded'] as const
export type WarningFlagStatus = (typeof warningFlagStatuses)[number]
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

/** numeric columns: written as numbers, read back as strings by the drivers. */
type Numeric = ColumnType<string | number, number | string, number | string>
/** jsonb written as JSON text, read back parsed. */
type Json<T> = ColumnType<T, string, string>

export interface HealthCheckTable {
  id: Generated<string>
  person_id: string
  site_id: string
  appointment_id: string | null
  clinician_id: string
  status: Generated<HealthCheckStatus>
  started_at: Timestamp
  completed_at: Timestamp | null
  version: Generated<number>
  updated_at: UpdatedAt
}

export interface HealthCheckResponseTable {
  check_id: string
  instrument_code: string
  instrument_version: string
  answers: Json<Record<string, string>>
  applicable: boolean
  complete: boolean
  score: number | null
  partial_score: number | null
  band_code: string | null
  band_label: string | null
  positive: boolean | null
  missing_items: Json<string[]>
  prefer_not_to_say: Json<string[]>
  saved_at: Timestamp
  saved_by: string
}

export interface HealthCheckObservationTable {
  check_id: string
  blood_pressure_status: ObservationStatus
  systolic: number | null
  diastolic: number | null
  height_status: ObservationStatus
  height_cm: Numeric | null
  weight_status: ObservationStatus
  weight_kg: Numeric | null
  bmi: Numeric | null
  smoking_status: SmokingStatus | null
  recorded_at: Timestamp
  recorded_by: string
}

export interface WarningFlagTable {
  id: Generated<string>
  person_id: string
  site_id: string
  check_id: string
  instrument_code: string
  item_code: string
  code: string
  message: string
  raised_at: Timestamp
  respond_by: Timestamp
  status: Generated<WarningFlagStatus>
  response_text: string | null
  responded_by: string | null
  responded_at: Timestamp | null
}

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
}

export interface DB {
  health_check: HealthCheckTable
  health_check_response: HealthCheckResponseTable
  health_check_observation: HealthCheckObservationTable
  warning_flag: WarningFlagTable
  need: NeedTable
}

// ---- Service directory and GP registration (0009-directory-and-gp) ----

export const serviceKinds = [
  'gp-practice',
  'talking-therapies',
  'community-mental-health',
  'drug-alcohol',
  'stop-smoking',
  'screening',
  'sexual-health',
  'dentistry',
  'community-pharmacy',
  'liaison-diversion',
  'housing',
  'voluntary-sector',
  'other',
] as const
export type ServiceKind = (typeof serviceKinds)[number]
export const gpRegistrationStatuses = [
  'registered',
  'not-registered',
  'in-progress',
  'refused',
  'deregistered',
] as const
export type GpRegistrationStatus = (typeof gpRegistrationStatuses)[number]

export interface ServiceTable {
  id: Generated<string>
  site_id: string
  kind: ServiceKind
  name: string
  ods_code: string | null
  organisation_id: string | null
  address: string | null
  phone: string | null
  email: string | null
  website: string | null
  referral_method: string | null
  notes: string | null
  active: Generated<boolean>
  version: Generated<number>
  created_at: CreatedAt
  updated_at: UpdatedAt
}

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
}

export interface DB {
  service: ServiceTable
  gp_registration: GpRegistrationTable
}

// ---- Referrals (0011-referrals) ----

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

export interface DB {
  referral: ReferralTable
  referral_event: ReferralEventTable
}

// ---- Screening records (0012-screening) ----

/** Programmes that can be recorded: prostate is informed choice, never a screening event. */
export const screeningEventProgrammes = ['cervical', 'breast', 'bowel', 'aaa', 'lung'] as const
export type ScreeningEventProgramme = (typeof screeningEventProgrammes)[number]
export const screeningEventStates = ['invited', 'booked', 'attended', 'result-recorded', 'declined'] as const
export type ScreeningEventStateCode = (typeof screeningEventStates)[number]

export interface ScreeningEventTable {
  id: Generated<string>
  person_id: string
  programme: ScreeningEventProgramme
  state: ScreeningEventStateCode
  /** When it happened; for a result, the date of the test itself. */
  event_date: CalendarDate
  /** The eligibility module's result code for the programme; only (and always) with result-recorded. */
  result: string | null
  /** Cervical only (not null there). */
  self_sample: boolean | null
  note: string | null
  recorded_by: string
  recorded_at: Timestamp
  entered_in_error_at: Timestamp | null
  entered_in_error_by: string | null
  entered_in_error_reason: string | null
}

export interface DB {
  screening_event: ScreeningEventTable
}

// ---- Need decision history (0013-need-history) ----

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

/** Columns 0013 adds to need (merged by declaration into NeedTable above). */
export interface NeedTable {
  version: Generated<number>
  /** The clinician who recorded a need directly; null for a need a health check proposed. */
  recorded_by: Generated<string | null>
}

export interface DB {
  need_event: NeedEventTable
}

// ---- Treatment requirements (0014-treatment-requirements) ----

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

export interface DB {
  treatment_requirement: TreatmentRequirementTable
  treatment_requirement_event: TreatmentRequirementEventTable
}

export interface RateLimitBucketTable {
  key: string
  hits: number
  resets_at: Timestamp
}

export interface DB {
  rate_limit_bucket: RateLimitBucketTable
}
