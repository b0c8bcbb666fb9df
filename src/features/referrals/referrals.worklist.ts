/**
 * For the worklist: the open referrals at a site whose chase date falls on or before a date, earliest chase date first
 * and urgent before routine on the same day (referral_site_chase_idx). The worklist feature calls this through
 * referrals.service.ts inside its own transaction and audits its own read; nothing here is access-checked or audited.
 * What counts as open is the lifecycle's own list of final states, so the two features cannot drift apart (H-806).
 */
import { finalStatuses, type ReferralStatus, type ReferralUrgency } from './referrals.lifecycle.ts'
import type { Executor } from '../../platform/db/executor.ts'

export interface ReferralToChase {
  id: string
  person: { id: string; givenName: string; familyName: string; crn: string }
  status: ReferralStatus
  urgency: ReferralUrgency
  chaseOn: string
  serviceName: string
}

export interface ReferralsToChaseQuery {
  siteId: string
  /** The last chase date to include (YYYY-MM-DD): today's UK date, or some days ahead. */
  chaseBy: string
  /** Only referrals this staff user made. */
  createdBy?: string
  limit: number
  offset: number
}

export async function referralsToChase(
  executor: Executor,
  query: ReferralsToChaseQuery,
): Promise<{ total: number; items: ReferralToChase[] }> {
  let base = executor
    .selectFrom('referral')
    .where('referral.site_id', '=', query.siteId)
    .where('referral.chase_on', 'is not', null)
    .where('referral.chase_on', '<=', query.chaseBy)
    .where('referral.status', 'not in', finalStatuses)
  if (query.createdBy !== undefined) base = base.where('referral.created_by', '=', query.createdBy)
  // The total comes with the rows (`count(*) over ()` counts before the limit); it is counted on its own only when
  // the page lies beyond the last row, so no row carries it.
  const rows = await base
    .innerJoin('person', 'person.id', 'referral.person_id')
    .innerJoin('service', 'service.id', 'referral.service_id')
    .select([
      'referral.id',
      'referral.person_id',
      'referral.status',
      'referral.urgency',
      'referral.chase_on',
      'service.name as service_name',
      'person.given_name',
      'person.family_name',
      'person.crn',
    ])
    .select((eb) => eb.fn.countAll<number>().over().as('total'))
    .orderBy('referral.chase_on')
    .orderBy((eb) => eb.case().when('referral.urgency', '=', 'urgent').then(0).else(1).end())
    .orderBy('referral.id')
    .limit(query.limit)
    .offset(query.offset)
    .execute()
  const first = rows[0]
  const total =
    first !== undefined
      ? first.total
      : query.offset === 0
        ? 0
        : (await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n
  return {
    total,
    items: rows.map((r) => ({
      id: r.id,
      person: { id: r.person_id, givenName: r.given_name, familyName: r.family_name, crn: r.crn },
      status: r.status,
      urgency: r.urgency,
      chaseOn: r.chase_on ?? query.chaseBy,
      serviceName: r.service_name,
    })),
  }
}
