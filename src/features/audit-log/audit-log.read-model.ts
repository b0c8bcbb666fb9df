/**
 * The audit log as the auditor's pages and API read it, and a person's access history as their clinicians read it:
 * events newest first, filtered, with the acting staff member's name and email and the person's name and CRN. A
 * read model: it reads the platform's `audit_event` table, the people feature's `person` table (identities only:
 * names, CRN, date of birth, site; never anything clinical) and the reference tables `staff_user` and `site`,
 * read-only.
 */
import { sql, type Kysely } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import type { Executor } from '../../platform/db/executor.ts'
import type { AuditEventRow } from '../../platform/audit/audit.tables.ts'
import type { Page, Paged } from '../../platform/db/paging.ts'
import { countOf, paged } from '../../platform/db/paging.ts'

export interface AuditEvent {
  id: number
  occurredAt: Date
  actorId: string | null
  actorRole: string | null
  action: string
  entityType: string
  entityId: string | null
  personId: string | null
  siteId: string | null
  requestId: string | null
  details: Record<string, unknown>
  /** Null until the sealer has linked the event into the chain (within seconds). */
  hash: string | null
  /** The acting staff user's name and email when they still exist (null for system and command-line events). */
  actorName: string | null
  actorEmail: string | null
  /** The person the event is about, when there is one and their record still exists. */
  person: PersonName | null
}

export interface PersonName {
  givenName: string
  familyName: string
  crn: string
}

/** Who a person is, as an auditor may see them: identity only. */
export interface PersonIdentity extends PersonName {
  id: string
  dateOfBirth: string
  siteId: string
  siteName: string
}

export interface AuditFilter {
  personId?: string
  /** Events about any of these people (an API search that matched several). */
  personIds?: readonly string[]
  actorId?: string
  /** The acting staff user's email address (matched case-insensitively). */
  actorEmail?: string
  action?: string
  from?: Date
  to?: Date
  /** Keyset pagination: events older than this id. */
  beforeId?: number
  limit: number
}

/** How an auditor looks a person up: by an exact CRN, an exact NHS number, or family name and date of birth. */
export type PersonSearch =
  | { kind: 'crn'; crn: string }
  | { kind: 'nhsNumber'; nhsNumber: string }
  | { kind: 'nameAndDateOfBirth'; familyName: string; dateOfBirth: string }

type EventRow = AuditEventRow & {
  actor_name: string | null
  actor_email: string | null
  person_given_name: string | null
  person_family_name: string | null
  person_crn: string | null
}

function toEvent(row: EventRow): AuditEvent {
  return {
    id: row.id,
    occurredAt: row.occurred_at,
    actorId: row.actor_id,
    actorRole: row.actor_role,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    personId: row.person_id,
    siteId: row.site_id,
    requestId: row.request_id,
    details: row.details,
    hash: row.hash,
    actorName: row.actor_name,
    actorEmail: row.actor_email,
    person:
      row.person_given_name === null || row.person_family_name === null || row.person_crn === null
        ? null
        : { givenName: row.person_given_name, familyName: row.person_family_name, crn: row.person_crn },
  }
}

function eventsQuery(db: Executor) {
  return db
    .selectFrom('audit_event')
    .leftJoin('staff_user', 'staff_user.id', 'audit_event.actor_id')
    .leftJoin('person', 'person.id', 'audit_event.person_id')
    .selectAll('audit_event')
    .select([
      'staff_user.display_name as actor_name',
      'staff_user.email as actor_email',
      'person.given_name as person_given_name',
      'person.family_name as person_family_name',
      'person.crn as person_crn',
    ])
}

export async function listAuditEvents(db: Kysely<DB>, filter: AuditFilter): Promise<AuditEvent[]> {
  let query = eventsQuery(db)
  if (filter.personId !== undefined) query = query.where('audit_event.person_id', '=', filter.personId)
  if (filter.personIds !== undefined) {
    // An empty list matches nothing (a search that found nobody shows no events, not every event).
    if (filter.personIds.length === 0) return []
    query = query.where('audit_event.person_id', 'in', filter.personIds)
  }
  if (filter.actorId !== undefined) query = query.where('audit_event.actor_id', '=', filter.actorId)
  if (filter.actorEmail !== undefined) {
    query = query.where('staff_user.email', '=', filter.actorEmail.trim().toLowerCase())
  }
  if (filter.action !== undefined) query = query.where('audit_event.action', '=', filter.action)
  if (filter.from !== undefined) query = query.where('audit_event.occurred_at', '>=', filter.from)
  if (filter.to !== undefined) query = query.where('audit_event.occurred_at', '<', filter.to)
  if (filter.beforeId !== undefined) query = query.where('audit_event.id', '<', filter.beforeId)
  const rows = await query.orderBy('audit_event.id', 'desc').limit(filter.limit).execute()
  return rows.map(toEvent)
}

function identityQuery(db: Executor) {
  return db
    .selectFrom('person')
    .innerJoin('site', 'site.id', 'person.site_id')
    .select([
      'person.id',
      'person.given_name',
      'person.family_name',
      'person.crn',
      'person.date_of_birth',
      'person.site_id',
      'site.name as site_name',
    ])
}

type IdentityRow = Awaited<ReturnType<ReturnType<typeof identityQuery>['executeTakeFirstOrThrow']>>

function toIdentity(row: IdentityRow): PersonIdentity {
  return {
    id: row.id,
    givenName: row.given_name,
    familyName: row.family_name,
    crn: row.crn,
    dateOfBirth: row.date_of_birth,
    siteId: row.site_id,
    siteName: row.site_name,
  }
}

/**
 * The people a search finds, at every site (auditors are not limited to sites), by name then CRN; at most `limit`.
 * Family names match whole and case-insensitively (served by the lower(family_name) index).
 */
export async function findPeople(db: Executor, search: PersonSearch, limit: number): Promise<PersonIdentity[]> {
  let query = identityQuery(db)
  switch (search.kind) {
    case 'crn':
      query = query.where('person.crn', '=', search.crn)
      break
    case 'nhsNumber':
      query = query.where('person.nhs_number', '=', search.nhsNumber)
      break
    case 'nameAndDateOfBirth':
      query = query
        .where(sql<string>`lower(person.family_name)`, '=', search.familyName.toLowerCase())
        .where('person.date_of_birth', '=', search.dateOfBirth)
      break
  }
  const rows = await query.orderBy('person.given_name').orderBy('person.crn').limit(limit).execute()
  return rows.map(toIdentity)
}

export async function findPersonIdentity(db: Executor, personId: string): Promise<PersonIdentity | undefined> {
  const row = await identityQuery(db).where('person.id', '=', personId).executeTakeFirst()
  return row === undefined ? undefined : toIdentity(row)
}

/** Every event about one person, newest first, a page at a time, with the total. */
export async function listPersonEvents(db: Executor, personId: string, page: Page): Promise<Paged<AuditEvent>> {
  const base = eventsQuery(db).where('audit_event.person_id', '=', personId)
  const rows = await base
    .select(sql<number>`count(*) over ()`.as('total'))
    .orderBy('audit_event.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
  return paged(rows, page, () => countOf(db.selectFrom('audit_event').where('person_id', '=', personId)), toEvent)
}
