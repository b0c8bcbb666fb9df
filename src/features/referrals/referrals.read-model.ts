/**
 * Referrals as they are shown: joined with the need's category (the needs feature's `need` table) and the directory
 * entry's name and contact details (the services feature's `service` table), both read here only, never written.
 * Also what other features read inside their own transaction: the referrals still open on a need (a need with one
 * cannot be dismissed), a person's referral events (their timeline) and the referrals to chase (the worklist).
 */
import type { SelectQueryBuilder } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import type { Executor } from '../../platform/db/executor.ts'
import { finalStatuses, type ReferralUrgency } from './referrals.lifecycle.ts'
import type { NeedCategory } from '../needs/index.ts'
import type { ServiceKind } from '../services/index.ts'
import type { ReferralStatus } from './referrals.tables.ts'

/** A referral still open on a need: anything not in a final state of the lifecycle (H-806). */
export interface OpenReferral {
  id: string
  status: ReferralStatus
  serviceName: string
}

/** The referrals still open on each of these needs (one query for a person's whole list), by need id. */
export async function openReferralsForNeeds(
  db: Executor,
  needIds: readonly string[],
): Promise<Map<string, OpenReferral[]>> {
  const byNeed = new Map<string, OpenReferral[]>()
  if (needIds.length === 0) return byNeed
  const rows = await db
    .selectFrom('referral')
    .innerJoin('service', 'service.id', 'referral.service_id')
    .select(['referral.id', 'referral.need_id', 'referral.status', 'service.name as service_name'])
    .where('referral.need_id', 'in', [...new Set(needIds)])
    .where('referral.status', 'not in', finalStatuses)
    .orderBy('referral.created_at')
    .orderBy('referral.id')
    .execute()
  for (const r of rows) {
    const list = byNeed.get(r.need_id) ?? []
    list.push({ id: r.id, status: r.status, serviceName: r.service_name })
    byNeed.set(r.need_id, list)
  }
  return byNeed
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

export interface Referral {
  id: string
  personId: string
  siteId: string
  siteCode: string
  siteName: string
  needId: string
  needCategory: NeedCategory
  serviceId: string
  serviceName: string
  serviceKind: ServiceKind
  serviceAddress: string | null
  servicePhone: string | null
  serviceEmail: string | null
  organisationId: string | null
  organisationCode: string | null
  organisationName: string | null
  status: ReferralStatus
  urgency: ReferralUrgency
  reason: string
  needIdentifiedOn: string
  sentOn: string | null
  chaseOn: string | null
  firstAppointmentOn: string | null
  firstAttendedOn: string | null
  daysToFirstTreatment: number | null
  closedOn: string | null
  createdBy: string
  createdByName: string | null
  createdAt: Date
  updatedAt: Date
  version: number
  givenName: string
  familyName: string
}

export interface ListFilter {
  status?: ReferralStatus
  overdue: boolean
  today: string
  limit: number
  offset: number
}

function selectReferrals(db: Executor) {
  return db
    .selectFrom('referral')
    .innerJoin('person', 'person.id', 'referral.person_id')
    .innerJoin('site', 'site.id', 'referral.site_id')
    .innerJoin('need', 'need.id', 'referral.need_id')
    .innerJoin('service', 'service.id', 'referral.service_id')
    .leftJoin('organisation', 'organisation.id', 'referral.organisation_id')
    .leftJoin('staff_user', 'staff_user.id', 'referral.created_by')
    .selectAll('referral')
    .select([
      'site.code as site_code',
      'site.name as site_name',
      'need.category as need_category',
      'service.name as service_name',
      'service.kind as service_kind',
      'service.address as service_address',
      'service.phone as service_phone',
      'service.email as service_email',
      'organisation.code as organisation_code',
      'organisation.name as organisation_name',
      'staff_user.display_name as created_by_name',
      'person.given_name',
      'person.family_name',
    ])
}

type ReferralRow = Awaited<ReturnType<ReturnType<typeof selectReferrals>['executeTakeFirstOrThrow']>>

/** The one mapping from a referral row to the domain type. Check constraints guarantee the coded values. */
function toReferral(row: ReferralRow): Referral {
  return {
    id: row.id,
    personId: row.person_id,
    siteId: row.site_id,
    siteCode: row.site_code,
    siteName: row.site_name,
    needId: row.need_id,
    needCategory: row.need_category,
    serviceId: row.service_id,
    serviceName: row.service_name,
    serviceKind: row.service_kind,
    serviceAddress: row.service_address,
    servicePhone: row.service_phone,
    serviceEmail: row.service_email,
    organisationId: row.organisation_id,
    organisationCode: row.organisation_code,
    organisationName: row.organisation_name,
    status: row.status,
    urgency: row.urgency,
    reason: row.reason,
    needIdentifiedOn: row.need_identified_on,
    sentOn: row.sent_on,
    chaseOn: row.chase_on,
    firstAppointmentOn: row.first_appointment_on,
    firstAttendedOn: row.first_attended_on,
    daysToFirstTreatment: row.days_to_first_treatment,
    closedOn: row.closed_on,
    createdBy: row.created_by,
    createdByName: row.created_by_name,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
    givenName: row.given_name,
    familyName: row.family_name,
  }
}

export async function findById(db: Executor, id: string): Promise<Referral | undefined> {
  const row = await selectReferrals(db).where('referral.id', '=', id).executeTakeFirst()
  return row === undefined ? undefined : toReferral(row)
}

/** The open referral for the need to the service, if there is one (the unique index allows one). */
export async function findOpen(db: Executor, needId: string, serviceId: string): Promise<Referral | undefined> {
  const row = await selectReferrals(db)
    .where('referral.need_id', '=', needId)
    .where('referral.service_id', '=', serviceId)
    .where('referral.status', 'not in', finalStatuses)
    .executeTakeFirst()
  return row === undefined ? undefined : toReferral(row)
}

export async function listForPerson(db: Executor, personId: string): Promise<Referral[]> {
  const rows = await selectReferrals(db)
    .where('referral.person_id', '=', personId)
    .orderBy('referral.created_at', 'desc')
    .orderBy('referral.id')
    .execute()
  return rows.map(toReferral)
}

export type Scope = { organisationId: string } | { siteIds: readonly string[] }

/** The scope and filter on any query of the referral table (the list's rows, and its count on the table alone). */
function inScope<Q extends SelectQueryBuilder<DB, 'referral', object>>(
  query: Q,
  scope: Scope,
  filter: Omit<ListFilter, 'limit' | 'offset'>,
): Q {
  if ('organisationId' in scope) {
    // A partner sees only referrals sent to their organisation: a draft (never sent) is the hub's own.
    query = query
      .where('referral.organisation_id', '=', scope.organisationId)
      .where('referral.sent_on', 'is not', null) as Q
  } else {
    query = query.where('referral.site_id', 'in', [...scope.siteIds]) as Q
  }
  if (filter.status !== undefined) query = query.where('referral.status', '=', filter.status) as Q
  if (filter.overdue) query = query.where('referral.chase_on', '<', filter.today) as Q
  return query
}

/**
 * Referrals in scope, newest made first, with the total for pagination. The order is the one the indexes hold
 * (referral_site_created_idx, referral_organisation_created_idx), so a page reads its rows in index order instead of
 * sorting the whole site's referrals (created_at::date could not be indexed: it depends on the session's time zone).
 */
export async function listScoped(
  db: Executor,
  scope: Scope,
  filter: ListFilter,
): Promise<{ total: number; referrals: Referral[] }> {
  if ('siteIds' in scope && scope.siteIds.length === 0) return { total: 0, referrals: [] }
  // Counted on the referral table alone: every join of the rows is to a required reference (or a left join), so the
  // count is the same, and at a national site's tens of thousands of referrals it reads one index, not five tables.
  const count = await inScope(db.selectFrom('referral'), scope, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  const total = count.n
  if (total === 0) return { total, referrals: [] }
  const rows = await inScope(selectReferrals(db), scope, filter)
    .orderBy('referral.created_at', 'desc')
    .orderBy('referral.id', 'desc')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute()
  return { total, referrals: rows.map(toReferral) }
}

// ---- The worklist's referrals to chase ----

/**
 * For the worklist: the open referrals at a site whose chase date falls on or before a date, earliest chase date first
 * and urgent before routine on the same day (referral_site_chase_idx). The worklist feature calls this through
 * referrals.service.ts inside its own transaction and audits its own read; nothing here is access-checked or audited.
 * What counts as open is the lifecycle's own list of final states, so the two features cannot drift apart (H-806).
 */
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
