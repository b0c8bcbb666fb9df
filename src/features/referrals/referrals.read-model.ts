/**
 * Referrals as other features read them, inside their own transaction: the referrals still open on a need (a need
 * with one cannot be dismissed) and a person's referral events (their timeline). Joined with the directory entry's
 * name (the services feature's `service` table, read-only).
 */
import type { Executor } from '../../platform/db/executor.ts'
import { finalStatuses } from './referrals.lifecycle.ts'
import type { ReferralStatus } from './referrals.tables.ts'

/** A referral still open on a need: anything not in a final state of the lifecycle (H-806). */
export interface OpenReferral {
  id: string
  status: ReferralStatus
  serviceName: string
}

export async function openReferralsForNeed(db: Executor, needId: string): Promise<OpenReferral[]> {
  const rows = await db
    .selectFrom('referral')
    .innerJoin('service', 'service.id', 'referral.service_id')
    .select(['referral.id', 'referral.status', 'service.name as service_name'])
    .where('referral.need_id', '=', needId)
    .where('referral.status', 'not in', finalStatuses)
    .orderBy('referral.created_at')
    .orderBy('referral.id')
    .execute()
  return rows.map((r) => ({ id: r.id, status: r.status, serviceName: r.service_name }))
}

export interface PersonReferralEvent {
  id: number
  referralId: string
  serviceName: string
  fromStatus: ReferralStatus | null
  toStatus: ReferralStatus
  occurredOn: string
  recordedAt: Date
}

export async function listReferralEventsForPerson(db: Executor, personId: string): Promise<PersonReferralEvent[]> {
  const rows = await db
    .selectFrom('referral_event')
    .innerJoin('referral', 'referral.id', 'referral_event.referral_id')
    .innerJoin('service', 'service.id', 'referral.service_id')
    .select([
      'referral_event.id',
      'referral_event.referral_id',
      'referral_event.from_status',
      'referral_event.to_status',
      'referral_event.occurred_on',
      'referral_event.recorded_at',
      'service.name as service_name',
    ])
    .where('referral.person_id', '=', personId)
    .orderBy('referral_event.id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    referralId: r.referral_id,
    serviceName: r.service_name,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    occurredOn: r.occurred_on,
    recordedAt: r.recorded_at,
  }))
}
