/**
 * The non-clinical health summary's read model: it reads, and never writes, other features' tables (need, referral,
 * service, appointment, gp_registration). Each query selects only the columns the summary may show: no answers,
 * scores, flags, observations, notes or reasons are ever read here (hazard log H-701), so none can leak by mistake.
 */
import type { Executor } from '../../platform/db/executor.ts'
import type { AppointmentKind, AppointmentOutcome } from '../appointments/index.ts'
import type { NeedCategory } from '../needs/index.ts'
import type { ServiceKind } from '../services/index.ts'
import type { GpRegistrationStatus } from '../gp-registration/index.ts'
import type { ReferralStatus } from '../referrals/index.ts'
import type { PersonRecord } from '../people/index.ts'

/** The person, as the people feature gives them. */
export type SummaryPerson = PersonRecord

export interface ConfirmedNeed {
  category: NeedCategory
  identifiedOn: string
}

export interface SharedReferral {
  serviceName: string
  serviceKind: ServiceKind
  status: Exclude<ReferralStatus, 'draft'>
  sentOn: string | null
  firstAttendedOn: string | null
}

export interface OutcomeCount {
  outcome: AppointmentOutcome
  count: number
}

export interface NextAppointment {
  startsAt: Date
  kind: AppointmentKind
}

export interface CurrentGpRegistration {
  status: GpRegistrationStatus
  practiceName: string | null
  statusDate: string
}

/** Needs a clinician has confirmed; proposed and dismissed ones are never shared. Oldest first. */
export async function listConfirmedNeeds(db: Executor, personId: string): Promise<ConfirmedNeed[]> {
  return db
    .selectFrom('need')
    .select(['category', 'identified_on as identifiedOn'])
    .where('person_id', '=', personId)
    .where('status', '=', 'confirmed')
    .orderBy('identified_on')
    .orderBy('created_at')
    .execute()
}

/** Referrals that have been sent (drafts are not), with the service's name and kind. Newest first. */
export async function listSentReferrals(db: Executor, personId: string): Promise<SharedReferral[]> {
  const rows = await db
    .selectFrom('referral')
    .innerJoin('service', 'service.id', 'referral.service_id')
    .select([
      'service.name as serviceName',
      'service.kind as serviceKind',
      'referral.status',
      'referral.sent_on as sentOn',
      'referral.first_attended_on as firstAttendedOn',
    ])
    .where('referral.person_id', '=', personId)
    .where('referral.status', '<>', 'draft')
    .orderBy('referral.sent_on', 'desc')
    .orderBy('referral.created_at', 'desc')
    .orderBy('referral.id')
    .execute()
  return rows.flatMap((r) => (r.status === 'draft' ? [] : [{ ...r, status: r.status }]))
}

/** Outcomes recorded on the person's appointments that started in [from, to), counted per outcome code. */
export async function countOutcomes(db: Executor, personId: string, from: Date, to: Date): Promise<OutcomeCount[]> {
  const rows = await db
    .selectFrom('appointment')
    .select(['outcome', (eb) => eb.fn.countAll().as('count')])
    .where('person_id', '=', personId)
    .where('status', '=', 'completed')
    .where('outcome', 'is not', null)
    .where('starts_at', '>=', from)
    .where('starts_at', '<', to)
    .groupBy('outcome')
    .execute()
  return rows.flatMap((r) => (r.outcome === null ? [] : [{ outcome: r.outcome, count: Number(r.count) }]))
}

/** The person's next booked appointment starting after `after`, if any. */
export async function findNextBooked(
  db: Executor,
  personId: string,
  after: Date,
): Promise<NextAppointment | undefined> {
  return db
    .selectFrom('appointment')
    .select(['starts_at as startsAt', 'kind'])
    .where('person_id', '=', personId)
    .where('status', '=', 'booked')
    .where('starts_at', '>', after)
    .orderBy('starts_at')
    .limit(1)
    .executeTakeFirst()
}

/** The latest GP registration status (the current one), with the practice's name as shown. */
export async function findCurrentGpRegistration(
  db: Executor,
  personId: string,
): Promise<CurrentGpRegistration | undefined> {
  const row = await db
    .selectFrom('gp_registration')
    .leftJoin('service', 'service.id', 'gp_registration.service_id')
    .select([
      'gp_registration.status',
      'gp_registration.service_id',
      'gp_registration.practice_name',
      'gp_registration.status_date',
      'service.name as service_name',
    ])
    .where('gp_registration.person_id', '=', personId)
    .orderBy('gp_registration.recorded_at', 'desc')
    .orderBy('gp_registration.id', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (row === undefined) return undefined
  return {
    status: row.status,
    practiceName: row.service_id === null ? row.practice_name : row.service_name,
    statusDate: row.status_date,
  }
}
