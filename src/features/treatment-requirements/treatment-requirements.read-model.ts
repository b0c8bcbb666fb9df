/**
 * The person's referrals as treatment requirements read them: a referral (the referrals feature's `referral`), its
 * need's category (`need`, the needs feature) and its service's name (`service`, the services feature), read here
 * only, never written.
 */
import type { Executor } from '../../platform/db/executor.ts'
import type { NeedCategory } from '../needs/index.ts'
import type { ReferralStatus } from '../referrals/index.ts'

/**
 * A referral of the person, as this feature reads it (referral, its need and its service). The need and reason are
 * clinical detail: the service decides who sees them.
 */
export interface PersonReferral {
  id: string
  personId: string
  status: ReferralStatus
  needCategory: NeedCategory
  serviceName: string
  sentOn: string | null
  createdAt: Date
}

function selectReferrals(db: Executor) {
  return db
    .selectFrom('referral as r')
    .innerJoin('need as n', 'n.id', 'r.need_id')
    .innerJoin('service as s', 's.id', 'r.service_id')
    .select([
      'r.id',
      'r.person_id as personId',
      'r.status',
      'n.category as needCategory',
      's.name as serviceName',
      'r.sent_on as sentOn',
      'r.created_at as createdAt',
    ])
}

/** A referral by id, whoever it is for: the caller checks it is the requirement's person's. */
export async function findReferral(db: Executor, id: string): Promise<PersonReferral | undefined> {
  return selectReferrals(db).where('r.id', '=', id).executeTakeFirst()
}

/** Every referral of the person, in any state, newest first. */
export async function listReferralsForPerson(db: Executor, personId: string): Promise<PersonReferral[]> {
  return selectReferrals(db)
    .where('r.person_id', '=', personId)
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id')
    .execute()
}

/** The referrals with these ids (for a list of requirements). */
export async function findReferrals(db: Executor, ids: readonly string[]): Promise<PersonReferral[]> {
  if (ids.length === 0) return []
  return selectReferrals(db).where('r.id', 'in', ids).execute()
}
