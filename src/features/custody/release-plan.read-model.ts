/**
 * What release plans read of other features' tables, never writing them: the person's current GP registration
 * status (gp-registration), the referrals a plan item can link to (referrals) and partner organisations (sites).
 */
import type { Executor } from '../../platform/db/executor.ts'

/** Kinds of service a plan item's referral may be to. */
export const referralKindsFor = {
  'drug-alcohol': ['drug-alcohol'],
  'mental-health': ['talking-therapies', 'community-mental-health'],
} as const

export async function currentGpRegistration(
  executor: Executor,
  personId: string,
): Promise<{ status: string } | undefined> {
  return executor
    .selectFrom('gp_registration')
    .select('status')
    .where('person_id', '=', personId)
    .where('superseded', '=', false)
    .orderBy('recorded_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
}

export interface LinkableReferral {
  id: string
  serviceName: string
  serviceKind: string
  status: string
  firstAppointmentOn: string | null
}

/** The person's referrals (not drafts) to the kinds of service a plan item may link to, newest first. */
export async function referralsOf(executor: Executor, personId: string): Promise<LinkableReferral[]> {
  const kinds = [...referralKindsFor['drug-alcohol'], ...referralKindsFor['mental-health']]
  const rows = await executor
    .selectFrom('referral')
    .innerJoin('service', 'service.id', 'referral.service_id')
    .select([
      'referral.id',
      'service.name as serviceName',
      'service.kind as serviceKind',
      'referral.status',
      'referral.first_appointment_on as firstAppointmentOn',
    ])
    .where('referral.person_id', '=', personId)
    .where('referral.status', '!=', 'draft')
    .where('service.kind', 'in', kinds)
    .orderBy('referral.created_at', 'desc')
    .execute()
  return rows
}

export async function organisationByCode(
  executor: Executor,
  code: string,
): Promise<{ id: string; code: string; name: string } | undefined> {
  return executor.selectFrom('organisation').select(['id', 'code', 'name']).where('code', '=', code).executeTakeFirst()
}

export async function organisationsByIds(
  executor: Executor,
  ids: readonly string[],
): Promise<Map<string, { id: string; code: string; name: string }>> {
  if (ids.length === 0) return new Map()
  const rows = await executor
    .selectFrom('organisation')
    .select(['id', 'code', 'name'])
    .where('id', 'in', [...new Set(ids)])
    .execute()
  return new Map(rows.map((r) => [r.id, r]))
}

export async function allOrganisations(executor: Executor): Promise<{ id: string; code: string; name: string }[]> {
  return executor.selectFrom('organisation').select(['id', 'code', 'name']).orderBy('name').execute()
}
