/**
 * What release plans read of other features' tables, never writing them: the person's current GP registration
 * status (gp-registration), the referrals a plan item can link to (referrals) and partner organisations (sites).
 */
import type { Executor } from '../../platform/db/executor.ts'
import type { Evidence } from './release-plan.rules.ts'

/** Kinds of service a plan item's referral may be to. */
export const referralKindsFor = {
  'drug-alcohol': ['drug-alcohol'],
  'mental-health': ['talking-therapies', 'community-mental-health'],
} as const

/** Each person's current GP registration status (their latest row), for several people in one query. */
async function currentGpRegistrations(
  executor: Executor,
  personIds: readonly string[],
): Promise<Map<string, { status: string }>> {
  const rows = await executor
    .selectFrom('gp_registration')
    .select(['person_id', 'status'])
    .where('person_id', 'in', personIds)
    .where('superseded', '=', false)
    .orderBy('person_id')
    .orderBy('recorded_at', 'desc')
    .orderBy('id', 'desc')
    .execute()
  const byPerson = new Map<string, { status: string }>()
  for (const row of rows) if (!byPerson.has(row.person_id)) byPerson.set(row.person_id, { status: row.status })
  return byPerson
}

export interface LinkableReferral {
  id: string
  serviceName: string
  serviceKind: string
  status: string
  firstAppointmentOn: string | null
}

/** People's referrals (not drafts) to the kinds of service a plan item may link to, newest first. */
async function referralsOf(executor: Executor, personIds: readonly string[]) {
  const kinds = [...referralKindsFor['drug-alcohol'], ...referralKindsFor['mental-health']]
  return executor
    .selectFrom('referral')
    .innerJoin('service', 'service.id', 'referral.service_id')
    .select([
      'referral.person_id as personId',
      'referral.id',
      'service.name as serviceName',
      'service.kind as serviceKind',
      'referral.status',
      'referral.first_appointment_on as firstAppointmentOn',
    ])
    .where('referral.person_id', 'in', personIds)
    .where('referral.status', '!=', 'draft')
    .where('service.kind', 'in', kinds)
    .orderBy('referral.created_at', 'desc')
    .execute()
}

/** What other records say about a person's plan items: their current GP registration status and their referrals. */
export interface PersonEvidence {
  evidence: Evidence
  referrals: LinkableReferral[]
}

/** The evidence for several people's plans in two queries, by person id (everyone asked for is in the map). */
export async function evidenceForPeople(
  executor: Executor,
  personIds: readonly string[],
): Promise<Map<string, PersonEvidence>> {
  const ids = [...new Set(personIds)]
  const byPerson = new Map<string, PersonEvidence>()
  if (ids.length === 0) return byPerson
  const gp = await currentGpRegistrations(executor, ids)
  const referrals = new Map<string, LinkableReferral[]>(ids.map((id) => [id, []]))
  for (const { personId, ...referral } of await referralsOf(executor, ids)) referrals.get(personId)?.push(referral)
  for (const id of ids) {
    const own = referrals.get(id) ?? []
    byPerson.set(id, {
      referrals: own,
      evidence: { gpRegistration: gp.get(id), referrals: new Map(own.map((r) => [r.id, r])) },
    })
  }
  return byPerson
}

/** One person's evidence. */
export async function evidenceFor(executor: Executor, personId: string): Promise<PersonEvidence> {
  const found = (await evidenceForPeople(executor, [personId])).get(personId)
  if (found === undefined) throw new Error('Evidence is read for every person asked for')
  return found
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
