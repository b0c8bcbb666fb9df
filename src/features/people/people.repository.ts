import {
  sql,
  type Expression,
  type ExpressionBuilder,
  type Insertable,
  type RawBuilder,
  type SelectQueryBuilder,
  type SqlBool,
  type Updateable,
} from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import type { CaseloadSort, SortOrder } from './people.paths.ts'
import type {
  PersonDetails,
  Sex,
  StatedGender,
  YesNoPreferNot,
  Neurodivergence,
  SupervisionType,
} from './people.validation.ts'
import type { Executor } from '../../platform/db/executor.ts'
import type { PersonTable } from './people.tables.ts'

/** A saved person, with the names the pages show beside the ids. */
export interface Person extends PersonDetails {
  id: string
  siteId: string
  siteName: string
  probationPractitionerName: string | null
  version: number
  createdAt: Date
  updatedAt: Date
}

export type PersonSearch =
  { kind: 'crn'; crn: string } | { kind: 'nhsNumber'; nhsNumber: string } | { kind: 'name'; terms: string[] }

export interface CaseloadFilter {
  siteIds: readonly string[]
  search: PersonSearch | undefined
  supervisionType: string | undefined
  fromCustody: boolean
  practitionerId: string | undefined
  sort: CaseloadSort
  order: SortOrder
  limit: number
  offset: number
}

function selectPeople(db: Executor) {
  return db
    .selectFrom('person')
    .innerJoin('site', 'site.id', 'person.site_id')
    .leftJoin('staff_user', 'staff_user.id', 'person.probation_practitioner_id')
    .selectAll('person')
    .select(['site.code as site_code', 'site.name as site_name', 'staff_user.display_name as practitioner_name'])
}

type PersonJoinedRow = Awaited<ReturnType<ReturnType<typeof selectPeople>['executeTakeFirstOrThrow']>>

/** The one mapping from a person row to the domain type. Check constraints guarantee the coded values. */
function toPerson(row: PersonJoinedRow): Person {
  return {
    id: row.id,
    siteId: row.site_id,
    siteCode: row.site_code,
    siteName: row.site_name,
    crn: row.crn,
    nhsNumber: row.nhs_number,
    givenName: row.given_name,
    familyName: row.family_name,
    preferredName: row.preferred_name,
    dateOfBirth: row.date_of_birth,
    sex: row.sex as Sex | null,
    statedGender: row.stated_gender as StatedGender | null,
    genderSameAsBirth: row.gender_same_as_birth as YesNoPreferNot | null,
    ethnicCategory: row.ethnic_category,
    disability: row.disability as YesNoPreferNot | null,
    neurodivergence: row.neurodivergence as Neurodivergence | null,
    interpreterNeeded: row.interpreter_needed,
    language: row.language,
    readingSupport: row.reading_support,
    communicationNotes: row.communication_notes,
    phone: row.phone,
    email: row.email,
    noFixedAbode: row.no_fixed_abode,
    addressLine1: row.address_line1,
    addressLine2: row.address_line2,
    town: row.town,
    postcode: row.postcode,
    supervisionType: row.supervision_type as SupervisionType | null,
    supervisionStart: row.supervision_start,
    supervisionEnd: row.supervision_end,
    probationPractitionerId: row.probation_practitioner_id,
    probationPractitionerName: row.practitioner_name,
    prisonNumber: row.prison_number,
    releaseDate: row.release_date,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

type PersonColumns = Omit<Insertable<PersonTable>, 'id' | 'version' | 'created_at' | 'updated_at'>

function toColumns(details: PersonDetails, siteId: string): PersonColumns {
  return {
    site_id: siteId,
    crn: details.crn,
    nhs_number: details.nhsNumber,
    given_name: details.givenName,
    family_name: details.familyName,
    preferred_name: details.preferredName,
    date_of_birth: details.dateOfBirth,
    sex: details.sex,
    stated_gender: details.statedGender,
    gender_same_as_birth: details.genderSameAsBirth,
    ethnic_category: details.ethnicCategory,
    disability: details.disability,
    neurodivergence: details.neurodivergence,
    interpreter_needed: details.interpreterNeeded,
    language: details.language,
    reading_support: details.readingSupport,
    communication_notes: details.communicationNotes,
    phone: details.phone,
    email: details.email,
    no_fixed_abode: details.noFixedAbode,
    address_line1: details.addressLine1,
    address_line2: details.addressLine2,
    town: details.town,
    postcode: details.postcode,
    supervision_type: details.supervisionType,
    supervision_start: details.supervisionStart,
    supervision_end: details.supervisionEnd,
    probation_practitioner_id: details.probationPractitionerId,
    prison_number: details.prisonNumber,
    release_date: details.releaseDate,
  }
}

export async function findById(db: Executor, id: string): Promise<Person | undefined> {
  const row = await selectPeople(db).where('person.id', '=', id).executeTakeFirst()
  return row === undefined ? undefined : toPerson(row)
}

/** Whether another person already has this CRN (any site: CRNs are national). */
export async function crnInUse(db: Executor, crn: string, exceptId?: string): Promise<boolean> {
  let query = db.selectFrom('person').select('id').where('crn', '=', crn)
  if (exceptId !== undefined) query = query.where('id', '<>', exceptId)
  return (await query.executeTakeFirst()) !== undefined
}

export async function nhsNumberInUse(db: Executor, nhsNumber: string, exceptId?: string): Promise<boolean> {
  let query = db.selectFrom('person').select('id').where('nhs_number', '=', nhsNumber)
  if (exceptId !== undefined) query = query.where('id', '<>', exceptId)
  return (await query.executeTakeFirst()) !== undefined
}

/** People at the site with this name (any case) and date of birth: perhaps the same person entered again. */
export async function findNameAndBirthMatches(
  db: Executor,
  match: { givenName: string; familyName: string; dateOfBirth: string; siteId: string },
): Promise<{ id: string; crn: string; givenName: string; familyName: string; dateOfBirth: string }[]> {
  const rows = await db
    .selectFrom('person')
    .select(['id', 'crn', 'given_name', 'family_name', 'date_of_birth'])
    .where('site_id', '=', match.siteId)
    .where('date_of_birth', '=', match.dateOfBirth)
    .where((eb) => eb(eb.fn('lower', ['given_name']), '=', match.givenName.toLowerCase()))
    .where((eb) => eb(eb.fn('lower', ['family_name']), '=', match.familyName.toLowerCase()))
    .orderBy('crn')
    .limit(20)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    crn: r.crn,
    givenName: r.given_name,
    familyName: r.family_name,
    dateOfBirth: r.date_of_birth,
  }))
}

export async function insert(db: Executor, details: PersonDetails, siteId: string, now: Date): Promise<string> {
  const row = await db
    .insertInto('person')
    .values({ ...toColumns(details, siteId), created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Writes only when the stored version is the one the change was based on; returns whether it did. */
export async function updateIfVersion(
  db: Executor,
  id: string,
  expectedVersion: number,
  details: PersonDetails,
  siteId: string,
  now: Date,
): Promise<boolean> {
  const changes: Updateable<PersonTable> = { ...toColumns(details, siteId), updated_at: now }
  const result = await db
    .updateTable('person')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** `x%` with LIKE's own wildcards in the typed text taken literally. */
function prefixPattern(term: string): string {
  return `${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

function caseloadWhere(filter: CaseloadFilter) {
  return (eb: ExpressionBuilder<DB, 'person'>): Expression<SqlBool> => {
    const conditions: Expression<SqlBool>[] = [eb('person.site_id', 'in', [...filter.siteIds])]
    const search = filter.search
    if (search?.kind === 'crn') conditions.push(eb('person.crn', '=', search.crn))
    if (search?.kind === 'nhsNumber') conditions.push(eb('person.nhs_number', '=', search.nhsNumber))
    if (search?.kind === 'name') {
      const family = (term: string) => eb(eb.fn('lower', ['person.family_name']), 'like', prefixPattern(term))
      const given = (term: string) => eb(eb.fn('lower', ['person.given_name']), 'like', prefixPattern(term))
      const [first = '', second] = search.terms
      if (second === undefined) conditions.push(eb.or([family(first), given(first)]))
      else conditions.push(eb.or([eb.and([given(first), family(second)]), eb.and([family(first), given(second)])]))
    }
    if (filter.supervisionType !== undefined)
      conditions.push(eb('person.supervision_type', '=', filter.supervisionType))
    if (filter.fromCustody) {
      conditions.push(eb.or([eb('person.prison_number', 'is not', null), eb('person.release_date', 'is not', null)]))
    }
    if (filter.practitionerId !== undefined)
      conditions.push(eb('person.probation_practitioner_id', '=', filter.practitionerId))
    return eb.and(conditions)
  }
}

/**
 * A name search matching up to this many people is read through the name-prefix indexes and then sorted; one
 * matching more walks the name-sorted index instead. Walking finds a page of common given names at once, but a
 * family-name prefix clusters in the order (every "Kest…" after every name before it), so at a national site the
 * walk read some 24,000 index entries to find 25 "kest" matches (130 ms) where the prefix indexes read 2,037 (25 ms).
 */
export const SORT_MATCHES_UP_TO = 3_000

/** The columns each caseload order sorts by, last the id (so pages never overlap), on the person table or `m`. */
function caseloadOrder(sort: CaseloadSort, table: 'person' | 'm'): { key: RawBuilder<unknown>; nullsLast?: true }[] {
  const column = (name: string) => sql.ref(`${table}.${name}`)
  switch (sort) {
    case 'name':
      return [
        { key: sql`lower(${column('family_name')})` },
        { key: sql`lower(${column('given_name')})` },
        { key: sql`${column('id')}` },
      ]
    case 'crn':
      return [{ key: sql`${column('crn')}` }]
    case 'dateOfBirth':
      return [{ key: sql`${column('date_of_birth')}` }, { key: sql`${column('id')}` }]
    case 'releaseDate':
      // People with no release date come last whichever way the list is sorted.
      return [{ key: sql`${column('release_date')}`, nullsLast: true }, { key: sql`${column('id')}` }]
    case 'recent':
      return [{ key: sql`${column('created_at')}` }, { key: sql`${column('id')}` }]
  }
}

function ordered<D, TB extends keyof D, O>(
  query: SelectQueryBuilder<D, TB, O>,
  keys: readonly { key: RawBuilder<unknown>; nullsLast?: true }[],
  dir: SortOrder,
): SelectQueryBuilder<D, TB, O> {
  let result = query
  for (const { key, nullsLast } of keys) {
    result =
      nullsLast === true
        ? result.orderBy(key, (ob) => (dir === 'asc' ? ob.asc() : ob.desc()).nullsLast())
        : result.orderBy(key, dir)
  }
  return result
}

/**
 * One page of the caseload, in an order each sort's index can serve. `matching` (the count, when known) chooses
 * how a name search is read (see SORT_MATCHES_UP_TO); the rows are the same either way.
 */
export async function listCaseload(db: Executor, filter: CaseloadFilter, matching?: number): Promise<Person[]> {
  if (filter.siteIds.length === 0) return []
  const dir = filter.order
  const fenced = filter.search?.kind === 'name' && matching !== undefined && matching <= SORT_MATCHES_UP_TO
  if (fenced) {
    // Find the matches (OFFSET 0 keeps the planner from folding the search into the sorted walk), sort them by the
    // few columns the order needs and take the page's ids; only those 25 people are then read whole. Joining the
    // whole list of matches to the table instead made the planner read every person (68 ms against 8 ms).
    const matches = db
      .selectFrom('person')
      .select([
        'person.id',
        'person.family_name',
        'person.given_name',
        'person.crn',
        'person.date_of_birth',
        'person.release_date',
        'person.created_at',
      ])
      .where(caseloadWhere(filter))
      .offset(0)
      .as('m')
    const pageIds = ordered(db.selectFrom(matches).select('m.id'), caseloadOrder(filter.sort, 'm'), dir)
      .limit(filter.limit)
      .offset(filter.offset)
    const rows = await ordered(
      selectPeople(db).where('person.id', 'in', pageIds),
      caseloadOrder(filter.sort, 'person'),
      dir,
    ).execute()
    return rows.map(toPerson)
  }
  const rows = await ordered(selectPeople(db).where(caseloadWhere(filter)), caseloadOrder(filter.sort, 'person'), dir)
    .limit(filter.limit)
    .offset(filter.offset)
    .execute()
  return rows.map(toPerson)
}

/**
 * How many people match, counting no further than `cap` + 1 so a broad search over a national caseload stays
 * cheap. A result above `cap` means "more than cap".
 */
export async function countCaseload(db: Executor, filter: CaseloadFilter, cap: number): Promise<number> {
  if (filter.siteIds.length === 0) return 0
  const limited = db
    .selectFrom('person')
    .select('person.id')
    .where(caseloadWhere(filter))
    .limit(cap + 1)
    .as('matching')
  const row = await db
    .selectFrom(limited)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return row.n
}

export interface Practitioner {
  id: string
  displayName: string
  siteId: string
}

/** Active probation practitioners at the given sites, for the practitioner select. */
export async function listPractitioners(db: Executor, siteIds: readonly string[]): Promise<Practitioner[]> {
  if (siteIds.length === 0) return []
  return db
    .selectFrom('staff_user')
    .innerJoin('staff_site', 'staff_site.staff_user_id', 'staff_user.id')
    .select(['staff_user.id as id', 'staff_user.display_name as displayName', 'staff_site.site_id as siteId'])
    .where('staff_user.role', '=', 'probation_practitioner')
    .where('staff_user.status', '=', 'active')
    .where('staff_site.site_id', 'in', [...siteIds])
    .orderBy('staff_user.display_name')
    .orderBy('staff_user.id')
    .execute()
}

export async function isPractitionerAt(db: Executor, staffUserId: string, siteId: string): Promise<boolean> {
  const row = await db
    .selectFrom('staff_user')
    .innerJoin('staff_site', 'staff_site.staff_user_id', 'staff_user.id')
    .select('staff_user.id')
    .where('staff_user.id', '=', staffUserId)
    .where('staff_user.role', '=', 'probation_practitioner')
    .where('staff_user.status', '=', 'active')
    .where('staff_site.site_id', '=', siteId)
    .executeTakeFirst()
  return row !== undefined
}

/**
 * A person as other features read them (through the people service, inside their own transaction): who they are,
 * where they are supervised, and what a letter or a message to them needs.
 */
export interface PersonRecord {
  id: string
  siteId: string
  crn: string
  nhsNumber: string | null
  givenName: string
  familyName: string
  preferredName: string | null
  dateOfBirth: string
  sex: string | null
  statedGender: string | null
  genderSameAsBirth: string | null
  noFixedAbode: boolean
  probationPractitionerId: string | null
  phone: string | null
  email: string | null
  interpreterNeeded: boolean
  language: string | null
  readingSupport: boolean
  communicationNotes: string | null
}

export async function findRecord(db: Executor, id: string): Promise<PersonRecord | undefined> {
  return db
    .selectFrom('person')
    .select([
      'id',
      'site_id as siteId',
      'crn',
      'nhs_number as nhsNumber',
      'given_name as givenName',
      'family_name as familyName',
      'preferred_name as preferredName',
      'date_of_birth as dateOfBirth',
      'sex',
      'stated_gender as statedGender',
      'gender_same_as_birth as genderSameAsBirth',
      'no_fixed_abode as noFixedAbode',
      'probation_practitioner_id as probationPractitionerId',
      'phone',
      'email',
      'interpreter_needed as interpreterNeeded',
      'language',
      'reading_support as readingSupport',
      'communication_notes as communicationNotes',
    ])
    .where('id', '=', id)
    .executeTakeFirst()
}

/**
 * Holds the person's row until the transaction ends. `write` (FOR NO KEY UPDATE) serialises the features that
 * change a person's record one decision at a time (consent, GP registration, treatment requirements); `share`
 * (FOR SHARE) lets readers that must see the latest consent wait for a writer without blocking each other.
 * Inserts that reference the person are never blocked. Whether the person exists.
 */
export async function lockRecord(db: Executor, id: string, mode: 'write' | 'share'): Promise<boolean> {
  const query = db.selectFrom('person').select('id').where('id', '=', id)
  const row = await (mode === 'write' ? query.forNoKeyUpdate() : query.forShare()).executeTakeFirst()
  return row !== undefined
}
