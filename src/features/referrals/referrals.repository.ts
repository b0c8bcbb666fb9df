import { sql } from 'kysely'
import { finalStatuses, type ReferralStatus, type ReferralUrgency } from './referrals.lifecycle.ts'
import type { Executor } from '../../platform/db/executor.ts'
import type { PersonRecord } from '../people/index.ts'
import type { NeedForReferral } from '../needs/index.ts'
import type { DirectoryService } from '../services/index.ts'

/** The person as referrals use them: who they are, their site, and what a receiving service needs to contact them. */
/** A person as a referral (and its letter) shows them. */
export type ReferralPerson = PersonRecord
/** A confirmed need a referral is made from. */
export type ConfirmedNeed = NeedForReferral
/** A directory entry a referral is made to. */
export type DirectoryEntry = DirectoryService

export interface ReferralEvent {
  id: number
  fromStatus: ReferralStatus | null
  toStatus: ReferralStatus
  occurredOn: string
  reason: string | null
  actorId: string
  actorName: string | null
  recordedAt: Date
}

export interface NewReferral {
  personId: string
  siteId: string
  needId: string
  serviceId: string
  organisationId: string | null
  status: 'draft' | 'sent'
  urgency: ReferralUrgency
  reason: string
  needIdentifiedOn: string
  sentOn: string | null
  chaseOn: string | null
  createdBy: string
  now: Date
}

export interface ReferralChanges {
  status: ReferralStatus
  sentOn: string | null
  chaseOn: string | null
  firstAppointmentOn: string | null
  firstAttendedOn: string | null
  daysToFirstTreatment: number | null
  closedOn: string | null
}

export async function insert(db: Executor, referral: NewReferral): Promise<string> {
  const row = await db
    .insertInto('referral')
    .values({
      person_id: referral.personId,
      site_id: referral.siteId,
      need_id: referral.needId,
      service_id: referral.serviceId,
      organisation_id: referral.organisationId,
      status: referral.status,
      urgency: referral.urgency,
      reason: referral.reason,
      need_identified_on: referral.needIdentifiedOn,
      sent_on: referral.sentOn,
      chase_on: referral.chaseOn,
      created_by: referral.createdBy,
      created_at: referral.now,
      updated_at: referral.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function insertEvent(
  db: Executor,
  event: {
    referralId: string
    fromStatus: ReferralStatus | null
    toStatus: ReferralStatus
    occurredOn: string
    reason: string | null
    actorId: string
    recordedAt: Date
  },
): Promise<void> {
  await db
    .insertInto('referral_event')
    .values({
      referral_id: event.referralId,
      from_status: event.fromStatus,
      to_status: event.toStatus,
      occurred_on: event.occurredOn,
      reason: event.reason,
      actor_id: event.actorId,
      recorded_at: event.recordedAt,
    })
    .execute()
}

/**
 * Applies a transition only if the referral is still in the state and version the caller saw, so two concurrent
 * transitions cannot both apply. Returns the new version, or undefined when the guard failed.
 */
export async function updateGuarded(
  db: Executor,
  id: string,
  expected: { status: ReferralStatus; version: number },
  changes: ReferralChanges,
  now: Date,
): Promise<number | undefined> {
  const row = await db
    .updateTable('referral')
    .set({
      status: changes.status,
      sent_on: changes.sentOn,
      chase_on: changes.chaseOn,
      first_appointment_on: changes.firstAppointmentOn,
      first_attended_on: changes.firstAttendedOn,
      days_to_first_treatment: changes.daysToFirstTreatment,
      closed_on: changes.closedOn,
      updated_at: now,
      version: sql<number>`version + 1`,
    })
    .where('id', '=', id)
    .where('status', '=', expected.status)
    .where('version', '=', expected.version)
    .returning('version')
    .executeTakeFirst()
  return row?.version
}

/** Sets the chase date if the referral is still at the version the caller saw. */
export async function updateChaseOn(
  db: Executor,
  id: string,
  expectedVersion: number,
  chaseOn: string,
  now: Date,
): Promise<number | undefined> {
  const row = await db
    .updateTable('referral')
    .set({ chase_on: chaseOn, updated_at: now, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .where('status', 'not in', finalStatuses)
    .returning('version')
    .executeTakeFirst()
  return row?.version
}

/** The changelog, newest first, with each actor's name. */
export async function listEvents(db: Executor, referralId: string): Promise<ReferralEvent[]> {
  return db
    .selectFrom('referral_event')
    .leftJoin('staff_user', 'staff_user.id', 'referral_event.actor_id')
    .select([
      'referral_event.id',
      'referral_event.from_status as fromStatus',
      'referral_event.to_status as toStatus',
      'referral_event.occurred_on as occurredOn',
      'referral_event.reason',
      'referral_event.actor_id as actorId',
      'staff_user.display_name as actorName',
      'referral_event.recorded_at as recordedAt',
    ])
    .where('referral_event.referral_id', '=', referralId)
    .orderBy('referral_event.occurred_on', 'desc')
    .orderBy('referral_event.id', 'desc')
    .execute()
}

/** The latest event (by date, then as recorded): a new one may not be dated before it, and the message names it. */
export async function latestEvent(
  db: Executor,
  referralId: string,
): Promise<{ occurredOn: string; toStatus: ReferralStatus } | undefined> {
  return db
    .selectFrom('referral_event')
    .select(['occurred_on as occurredOn', 'to_status as toStatus'])
    .where('referral_id', '=', referralId)
    .orderBy('occurred_on', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
}

/** A person's referrals, newest first. */
