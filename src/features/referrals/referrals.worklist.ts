/**
 * For the worklist: the open referrals at some sites whose chase date is set, soonest first. The worklist feature
 * calls this inside its own transaction and audits its own read; nothing here is access-checked or audited.
 */
import type { ReferralStatus } from './referrals.lifecycle.ts'
import { isOverdue, statusText } from './referrals.lifecycle.ts'
import type { Executor } from './referrals.repository.ts'

export interface ReferralToChase {
  referralId: string
  personId: string
  personName: string
  serviceName: string
  status: ReferralStatus
  statusLabel: string
  chaseOn: string
  overdue: boolean
}

export interface ReferralsToChaseQuery {
  siteIds: readonly string[]
  /** Only referrals this staff user made. */
  createdBy?: string
  /** Today's UK date (YYYY-MM-DD): a chase date before it is overdue. */
  today: string
  limit: number
  offset: number
}

const CLOSED = ['rejected', 'completed', 'declined', 'withdrawn'] as const

export async function referralsToChase(
  executor: Executor,
  query: ReferralsToChaseQuery,
): Promise<{ total: number; items: ReferralToChase[] }> {
  if (query.siteIds.length === 0) return { total: 0, items: [] }
  let base = executor
    .selectFrom('referral')
    .where('referral.site_id', 'in', [...query.siteIds])
    .where('referral.chase_on', 'is not', null)
    .where('referral.status', 'not in', CLOSED)
  if (query.createdBy !== undefined) base = base.where('referral.created_by', '=', query.createdBy)
  const count = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  const total = count.n
  if (total === 0) return { total, items: [] }
  const rows = await base
    .innerJoin('person', 'person.id', 'referral.person_id')
    .innerJoin('service', 'service.id', 'referral.service_id')
    .select([
      'referral.id',
      'referral.person_id',
      'referral.status',
      'referral.chase_on',
      'person.given_name',
      'person.family_name',
      'service.name as service_name',
    ])
    .orderBy('referral.chase_on')
    .orderBy('referral.created_at')
    .orderBy('referral.id')
    .limit(query.limit)
    .offset(query.offset)
    .execute()
  return {
    total,
    items: rows.map((r) => {
      const chaseOn = r.chase_on ?? query.today
      return {
        referralId: r.id,
        personId: r.person_id,
        personName: `${r.given_name} ${r.family_name}`,
        serviceName: r.service_name,
        status: r.status,
        statusLabel: statusText[r.status].label,
        chaseOn,
        overdue: isOverdue(chaseOn, query.today),
      }
    }),
  }
}
