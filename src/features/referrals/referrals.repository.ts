import { sql } from 'kysely'
import type { ReferralStatus, ReferralUrgency } from './referrals.lifecycle.ts'
import type { Executor } from '../../platform/db/executor.ts'
import type { NeedCategory } from '../needs/needs.tables.ts'
import type { ServiceKind } from '../services/services.tables.ts'
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

export interface ListFilter {
  status?: ReferralStatus
  overdue: boolean
  today: string
  limit: number
  offset: number
}

const OPEN_EXCLUDED = ['rejected', 'completed', 'declined', 'withdrawn'] as const

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
    .where('referral.status', 'not in', OPEN_EXCLUDED)
    .executeTakeFirst()
  return row === undefined ? undefined : toReferral(row)
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
    .where('status', 'not in', OPEN_EXCLUDED)
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

/** The date of the latest event: a new one may not be dated before it. */
export async function latestEventOn(db: Executor, referralId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('referral_event')
    .select((eb) => eb.fn.max('occurred_on').as('latest'))
    .where('referral_id', '=', referralId)
    .executeTakeFirst()
  return row?.latest ?? undefined
}

/** A person's referrals, newest first. */
export async function listForPerson(db: Executor, personId: string): Promise<Referral[]> {
  const rows = await selectReferrals(db)
    .where('referral.person_id', '=', personId)
    .orderBy('referral.created_at', 'desc')
    .orderBy('referral.id')
    .execute()
  return rows.map(toReferral)
}

export type Scope = { organisationId: string } | { siteIds: readonly string[] }

function scoped(db: Executor, scope: Scope, filter: Omit<ListFilter, 'limit' | 'offset'>) {
  let query = selectReferrals(db)
  if ('organisationId' in scope) {
    // A partner sees only referrals sent to their organisation: a draft (never sent) is the hub's own.
    query = query.where('referral.organisation_id', '=', scope.organisationId).where('referral.sent_on', 'is not', null)
  } else {
    query = query.where('referral.site_id', 'in', [...scope.siteIds])
  }
  if (filter.status !== undefined) query = query.where('referral.status', '=', filter.status)
  if (filter.overdue) query = query.where('referral.chase_on', '<', filter.today)
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
  const count = await scoped(db, scope, filter)
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  const total = count.n
  if (total === 0) return { total, referrals: [] }
  const rows = await scoped(db, scope, filter)
    .orderBy('referral.created_at', 'desc')
    .orderBy('referral.id', 'desc')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute()
  return { total, referrals: rows.map(toReferral) }
}
