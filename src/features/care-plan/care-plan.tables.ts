import type { Generated } from 'kysely'
import type { CalendarDate, CreatedAt, Json, Timestamp, UpdatedAt } from '../../platform/db/schema.ts'

/** Who does an action: the person themself, their hub clinician, their probation practitioner, a partner. */
export const actionOwners = ['person', 'clinician', 'probation-practitioner', 'partner'] as const
export type ActionOwner = (typeof actionOwners)[number]

export const actionStatuses = ['to-do', 'done', 'no-longer-needed'] as const
export type ActionStatus = (typeof actionStatuses)[number]

/** What an action may be linked to: one of the person's own needs, referrals, GP registration or screening records. */
export const linkKinds = ['need', 'referral', 'gp-registration', 'screening'] as const
export type LinkKind = (typeof linkKinds)[number]

export const goalOutcomes = ['progressing', 'achieved', 'stopped'] as const
export type GoalOutcome = (typeof goalOutcomes)[number]

export const agreementDecisions = ['agreed', 'agreed-in-part', 'did-not-agree'] as const
export type AgreementDecision = (typeof agreementDecisions)[number]

/** The sections of the printed plan the clinician and the person choose to include. */
export const printSections = ['appointments', 'referrals', 'gpRegistration', 'screening', 'phoneNumbers'] as const
export type PrintSection = (typeof printSections)[number]

export const historyEntities = ['goal', 'action', 'print-choices', 'review', 'agreement'] as const
export type HistoryEntity = (typeof historyEntities)[number]

export interface CarePlanTable {
  id: Generated<string>
  person_id: string
  site_id: string
  print_appointments: Generated<boolean>
  print_referrals: Generated<boolean>
  print_gp_registration: Generated<boolean>
  print_screening: Generated<boolean>
  print_phone_numbers: Generated<boolean>
  version: Generated<number>
  created_by: string
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface CarePlanGoalTable {
  id: Generated<string>
  plan_id: string
  person_id: string
  in_own_words: string
  include_in_print: Generated<boolean>
  version: Generated<number>
  created_by: string
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface CarePlanActionTable {
  id: Generated<string>
  plan_id: string
  goal_id: string
  person_id: string
  description: string
  owner: ActionOwner
  owner_name: string | null
  due_on: CalendarDate | null
  status: Generated<ActionStatus>
  link_kind: LinkKind | null
  link_id: string | null
  version: Generated<number>
  created_by: string
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface CarePlanReviewTable {
  id: Generated<string>
  plan_id: string
  reviewed_on: CalendarDate
  appointment_id: string | null
  notes: string | null
  recorded_by: string
  recorded_at: Timestamp
}

export interface CarePlanReviewOutcomeTable {
  review_id: string
  goal_id: string
  outcome: GoalOutcome
}

export interface CarePlanAgreementTable {
  id: Generated<string>
  plan_id: string
  decision: AgreementDecision
  comments: string | null
  decided_on: CalendarDate
  recorded_by: string
  recorded_at: Timestamp
}

export interface CarePlanHistoryTable {
  id: Generated<number>
  plan_id: string
  entity: HistoryEntity
  entity_id: string
  version: number
  /** The record as it stood after this change (the whole record, so no version is ever lost). */
  snapshot: Json<Record<string, unknown>>
  actor_id: string
  recorded_at: Timestamp
}

declare module '../../platform/db/schema.ts' {
  interface DB {
    care_plan: CarePlanTable
    care_plan_goal: CarePlanGoalTable
    care_plan_action: CarePlanActionTable
    care_plan_review: CarePlanReviewTable
    care_plan_review_outcome: CarePlanReviewOutcomeTable
    care_plan_agreement: CarePlanAgreementTable
    care_plan_history: CarePlanHistoryTable
  }
}
