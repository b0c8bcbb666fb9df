import type { Kysely, Transaction } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import { createOnceIfKeyed } from '../../platform/db/idempotency.ts'
import type { DB } from '../../platform/db/schema.ts'
import { assertSiteAccess, type Principal, principalOf, type Channel } from '../../platform/http/auth.ts'
import { ConflictError, DomainError, NotFoundError, type FieldError } from '../../platform/http/errors.ts'
import { formatNhsNumber } from '../../platform/views/format.ts'
import type { ActorContext, AuditService } from '../../platform/audit/audit.service.ts'
import type { Site, SitesService } from '../sites/index.ts'
import type { Executor } from '../../platform/db/executor.ts'
import { normaliseNhsNumber } from './nhs-number.ts'
import { messages } from './people.messages.ts'
import type { CaseloadSort, SortOrder } from './people.paths.ts'
import * as repo from './people.repository.ts'
import { changedFields, CRN_PATTERN, type PersonDetails, type ValidationOptions } from './people.validation.ts'
import { isUuid } from '../../platform/forms/forms.ts'
import { ukToday } from '../../platform/time/uk-time.ts'

export type { Person, PersonRecord, Practitioner } from './people.repository.ts'

/**
 * How other features read a person inside their own transaction: no audit here (the reading feature audits its
 * own read, naming its purpose), and `loadRecord` applies the site rule.
 */
/**
 * What other features do when a person's contact details (phone, email) or their agreement to be contacted by text
 * or email change: run in the same transaction, so the change and what follows from it (reminders for appointments
 * already booked) are written together or not at all. The messages feature implements it.
 */
export interface ContactEvents {
  contactChanged(tx: Transaction<DB>, personId: string, actor: ActorContext): Promise<void>
}

export interface PersonRecords {
  findRecord(executor: Executor, id: string): Promise<repo.PersonRecord | undefined>
  /** The person, if the principal may see people at their site: an unknown id is 404, another site's person 403. */
  loadRecord(executor: Executor, id: string, principal: Principal): Promise<repo.PersonRecord>
  lockRecord(executor: Executor, id: string, mode: 'write' | 'share'): Promise<boolean>
}

export const CASELOAD_PAGE_SIZE = 25
/** Counting stops here: "more than 10,000 people" is as useful as an exact figure and much cheaper. */
export const COUNT_CAP = 10_000

export interface CaseloadQuery {
  /** Site ids to list; each must be one of the principal's. */
  siteIds: readonly string[]
  q: string
  supervisionType: string | undefined
  fromCustody: boolean
  mine: boolean
  sort: CaseloadSort
  order: SortOrder
  page: number
  pageSize: number
}

export interface CaseloadResult {
  people: repo.Person[]
  /** Exact up to COUNT_CAP; above it, COUNT_CAP + 1. */
  total: number
  capped: boolean
  page: number
  pageSize: number
  pageCount: number
}

export type UpdateResult =
  { ok: true; person: repo.Person; changed: string[] } | { ok: false; reason: 'stale'; current: repo.Person }

/** Someone already at the site with the same name and date of birth: perhaps the person being added. */
export interface PossibleDuplicate {
  id: string
  crn: string
  givenName: string
  familyName: string
  dateOfBirth: string
}

/**
 * Adding a person whose name and date of birth match someone at the same site, without saying they are not the
 * same person: answered 409 (code possible-duplicate) with the matches' ids, and "Is this the same person?" on a page.
 */
export class PossibleDuplicateError extends ConflictError {
  readonly matches: readonly PossibleDuplicate[]
  constructor(matches: readonly PossibleDuplicate[]) {
    super(
      'Someone at this site has the same name and date of birth. Check whether this is the same person; to add a ' +
        'new person anyway, send confirmedNotDuplicate: true.',
      { code: 'possible-duplicate', matches: matches.map((m) => ({ id: m.id, crn: m.crn })) },
    )
    this.matches = matches
  }
}

/** What adding a person gave: the person, and whether an earlier submission with the same key had added them. */
export interface AddResult {
  person: repo.Person
  replayed: boolean
}

/** How a search box entry is read: an exact CRN, an exact NHS number (spaces allowed), or the start of names. */
export function parseSearch(q: string): repo.PersonSearch | undefined {
  const trimmed = q.trim()
  if (trimmed === '') return undefined
  if (CRN_PATTERN.test(trimmed.toUpperCase())) return { kind: 'crn', crn: trimmed.toUpperCase() }
  const digits = normaliseNhsNumber(trimmed)
  if (/^\d{10}$/.test(digits)) return { kind: 'nhsNumber', nhsNumber: digits }
  const terms = trimmed
    .split(/[\s,]+/)
    .filter((t) => t !== '')
    .slice(0, 2)
  // "Smith, John" is family then given; the repository tries both orders for two terms.
  return { kind: 'name', terms }
}

export type PeopleService = ReturnType<typeof createPeopleService>

export function createPeopleService(deps: {
  db: Kysely<DB>
  clock: Clock
  audit: AuditService
  sites: SitesService
  /** Refuse test-range NHS numbers (production). */
  refuseTestNhsNumbers?: boolean
  /** Told when a phone number or email address changes (read when called: the messages service is built later). */
  events?: () => ContactEvents | undefined
}) {
  const { db, clock, audit, sites } = deps

  /** How a person's details are checked here: today's UK date, and whether test NHS numbers are refused. */
  function validationOptions(on: string = ukToday(clock)): ValidationOptions {
    return { today: on, refuseTestNhsNumbers: deps.refuseTestNhsNumbers === true }
  }

  async function sitesFor(principal: Principal): Promise<Site[]> {
    return sites.listByIds(principal.siteIds)
  }

  /** The site a person is to be held at: must exist and be one of the actor's sites. */
  async function resolveSite(principal: Principal, siteCode: string, executor: Executor = db): Promise<Site> {
    const site = await sites.findByCode(siteCode, executor)
    if (site === undefined) throw new DomainError('unknown-site', [{ field: 'siteCode', message: messages.siteBlank }])
    assertSiteAccess(principal, site.id)
    return site
  }

  /** Checks needing data: unique CRN and NHS number, and a practitioner who works at the person's site. */
  async function checkRules(
    tx: Transaction<DB>,
    details: PersonDetails,
    siteId: string,
    existing?: repo.Person,
  ): Promise<void> {
    const errors: FieldError[] = []
    if (await repo.crnInUse(tx, details.crn, existing?.id))
      errors.push({ field: 'crn', message: messages.crnTaken(details.crn) })
    if (details.nhsNumber !== null && (await repo.nhsNumberInUse(tx, details.nhsNumber, existing?.id))) {
      errors.push({ field: 'nhsNumber', message: messages.nhsNumberTaken(formatNhsNumber(details.nhsNumber)) })
    }
    const practitioner = details.probationPractitionerId
    const practitionerChanged = practitioner !== existing?.probationPractitionerId || siteId !== existing.siteId
    if (practitioner !== null && practitionerChanged && !(await repo.isPractitionerAt(tx, practitioner, siteId))) {
      errors.push({ field: 'probationPractitionerId', message: messages.practitionerNotAtSite })
    }
    const codes: Record<string, string> = {
      crn: 'crn-taken',
      nhsNumber: 'nhs-number-taken',
      probationPractitionerId: 'practitioner-not-at-site',
    }
    const first = errors[0]
    if (first !== undefined) throw new DomainError(codes[first.field] ?? 'rule-broken', errors)
  }

  /** A unique index can still refuse a write that raced past the check above; say which field clashed. */
  function clashFromDatabase(error: unknown, details: PersonDetails): DomainError | undefined {
    const e = error as { code?: unknown; constraint?: unknown; message?: unknown }
    if (e.code !== '23505') return undefined
    const where = `${String(e.constraint)} ${String(e.message)}`
    if (where.includes('nhs_number')) {
      return new DomainError('nhs-number-taken', [
        { field: 'nhsNumber', message: messages.nhsNumberTaken(formatNhsNumber(details.nhsNumber)) },
      ])
    }
    return new DomainError('crn-taken', [{ field: 'crn', message: messages.crnTaken(details.crn) }])
  }

  async function listCaseload(query: CaseloadQuery, actor: ActorContext): Promise<CaseloadResult> {
    const principal = principalOf(actor)
    for (const siteId of query.siteIds) assertSiteAccess(principal, siteId)
    const search = parseSearch(query.q)
    const filter: repo.CaseloadFilter = {
      siteIds: query.siteIds,
      search,
      supervisionType: query.supervisionType,
      fromCustody: query.fromCustody,
      practitionerId: query.mine ? principal.userId : undefined,
      sort: query.sort,
      order: query.order,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    }
    return db.transaction().execute(async (tx) => {
      const total = await repo.countCaseload(tx, filter, COUNT_CAP)
      const people = total === 0 ? [] : await repo.listCaseload(tx, filter, total)
      await audit.record(tx, actor, {
        action: 'list',
        entityType: 'person',
        siteId: query.siteIds.length === 1 ? query.siteIds[0] : null,
        details: {
          siteIds: query.siteIds,
          // The search text itself is personal data: record only what kind of search it was.
          search: search?.kind ?? null,
          supervisionType: query.supervisionType ?? null,
          fromCustody: query.fromCustody,
          mine: query.mine,
          sort: query.sort,
          order: query.order,
          page: query.page,
          resultCount: total,
          countCapped: total > COUNT_CAP,
          // Whose records were shown: a page of the list reveals each person's details.
          personIds: people.map((p) => p.id),
        },
      })
      return {
        people,
        total,
        capped: total > COUNT_CAP,
        page: query.page,
        pageSize: query.pageSize,
        pageCount: Math.max(1, Math.ceil(Math.min(total, COUNT_CAP) / query.pageSize)),
      }
    })
  }

  /** Loads a person the actor may see, inside the caller's transaction. Unknown ids are 404, other sites 403. */
  async function loadVisible(tx: Transaction<DB>, id: string, principal: Principal): Promise<repo.Person> {
    const person = isUuid(id) ? await repo.findById(tx, id) : undefined
    if (person === undefined) throw new NotFoundError('No person has that id')
    assertSiteAccess(principal, person.siteId)
    return person
  }

  async function viewPerson(
    id: string,
    actor: ActorContext,
    channel: Channel,
    purpose: 'view' | 'edit' = 'view',
  ): Promise<repo.Person> {
    return (await viewPersonWith(id, actor, channel, purpose, async () => undefined)).person
  }

  /**
   * viewPerson, with more about the person read in the same transaction after the audited read (the person page's
   * overview): still one audited view of the person, and nothing is read of someone the actor may not see.
   */
  async function viewPersonWith<T>(
    id: string,
    actor: ActorContext,
    channel: Channel,
    purpose: 'view' | 'edit',
    read: (executor: Executor, person: repo.Person, principal: Principal) => Promise<T>,
  ): Promise<{ person: repo.Person; extra: T }> {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx) => {
      const person = await loadVisible(tx, id, principal)
      await audit.record(tx, actor, {
        action: 'view',
        entityType: 'person',
        entityId: person.id,
        personId: person.id,
        siteId: person.siteId,
        details: { channel, purpose },
      })
      return { person, extra: await read(tx, person, principal) }
    })
  }

  /**
   * Adds a person. With an idempotency key (a form's one-time submission id, or the API's Idempotency-Key) a
   * repeat of the same submission adds nobody and answers with the person the first one added.
   */
  async function addPerson(
    details: PersonDetails,
    actor: ActorContext,
    channel: Channel,
    idempotencyKey?: string,
    options: { confirmedNotDuplicate?: boolean } = {},
  ): Promise<AddResult> {
    const principal = principalOf(actor)
    const site = await resolveSite(principal, details.siteCode)
    try {
      return await db.transaction().execute(async (tx): Promise<AddResult> => {
        const create = async (): Promise<string> => {
          await checkRules(tx, details, site.id)
          if (options.confirmedNotDuplicate !== true) {
            const matches = await repo.findNameAndBirthMatches(tx, { ...details, siteId: site.id })
            if (matches.length > 0) throw new PossibleDuplicateError(matches)
          }
          const id = await repo.insert(tx, details, site.id, clock.now())
          await audit.record(tx, actor, {
            action: 'create',
            entityType: 'person',
            entityId: id,
            personId: id,
            siteId: site.id,
            details: { channel },
          })
          return id
        }
        const outcome = await createOnceIfKeyed(
          tx,
          idempotencyKey,
          { staffUserId: principal.userId, scope: 'person.create', request: details },
          create,
        )
        const person = await repo.findById(tx, outcome.id)
        if (person === undefined) throw new Error('A person just added could not be read back')
        if (outcome.replayed) {
          // The repeat is answered with the record: a read like any other, so audited as one.
          assertSiteAccess(principal, person.siteId)
          await audit.record(tx, actor, {
            action: 'view',
            entityType: 'person',
            entityId: person.id,
            personId: person.id,
            siteId: person.siteId,
            details: { channel, purpose: 'create-replay' },
          })
        }
        return { person, replayed: outcome.replayed }
      })
    } catch (error) {
      if (error instanceof PossibleDuplicateError) {
        // Nothing was added, but the matches' names and CRNs are about to be shown: a read of each, audited.
        await db.transaction().execute(async (tx) => {
          for (const match of error.matches) {
            await audit.record(tx, actor, {
              action: 'view',
              entityType: 'person',
              entityId: match.id,
              personId: match.id,
              siteId: site.id,
              details: { channel, purpose: 'possible-duplicate' },
            })
          }
        })
      }
      throw clashFromDatabase(error, details) ?? error
    }
  }

  /**
   * Changes a person's details if nobody else has since `expectedVersion`. `change` turns the saved details into
   * the new ones (a whole form, or a merge-patch) and may throw a ValidationError; nothing is written then.
   * A stale version is answered with the current record (audited as a view when a page will show it).
   */
  async function updatePerson(
    id: string,
    expectedVersion: number,
    change: (current: repo.Person, today: string) => PersonDetails,
    actor: ActorContext,
    channel: Channel,
  ): Promise<UpdateResult> {
    const principal = principalOf(actor)
    let attempted: PersonDetails | undefined
    try {
      return await db.transaction().execute(async (tx): Promise<UpdateResult> => {
        const current = await loadVisible(tx, id, principal)
        const stale = async (): Promise<UpdateResult> => {
          const latest = (await repo.findById(tx, id)) ?? current
          if (channel === 'page') {
            await audit.record(tx, actor, {
              action: 'view',
              entityType: 'person',
              entityId: id,
              personId: id,
              siteId: latest.siteId,
              details: { channel, purpose: 'edit-conflict' },
            })
          }
          return { ok: false, reason: 'stale', current: latest }
        }
        if (current.version !== expectedVersion) return stale()
        const details = change(current, ukToday(clock))
        attempted = details
        let siteId = current.siteId
        if (details.siteCode !== current.siteCode) {
          const site = await resolveSite(principal, details.siteCode, tx)
          siteId = site.id
        }
        const changed = changedFields(current, details)
        if (changed.length === 0) {
          // Nothing to write, but the caller is shown the whole record: audit the read.
          await audit.record(tx, actor, {
            action: 'view',
            entityType: 'person',
            entityId: id,
            personId: id,
            siteId: current.siteId,
            details: { channel, purpose: 'update-no-change' },
          })
          return { ok: true, person: current, changed }
        }
        await checkRules(tx, details, siteId, current)
        const written = await repo.updateIfVersion(tx, id, current.version, details, siteId, clock.now())
        if (!written) return stale()
        await audit.record(tx, actor, {
          action: 'update',
          entityType: 'person',
          entityId: id,
          personId: id,
          siteId,
          details: { channel, changedFields: changed },
        })
        if (changed.includes('phone') || changed.includes('email')) await deps.events?.()?.contactChanged(tx, id, actor)
        const updated = await repo.findById(tx, id)
        if (updated === undefined) throw new Error('A person just updated could not be read back')
        return { ok: true, person: updated, changed }
      })
    } catch (error) {
      throw (attempted === undefined ? undefined : clashFromDatabase(error, attempted)) ?? error
    }
  }

  /** Probation practitioners who may be assigned to people at these sites (names for a select, no personal data). */
  async function practitionersAt(siteIds: readonly string[]): Promise<repo.Practitioner[]> {
    return repo.listPractitioners(db, siteIds)
  }

  async function findRecord(executor: Executor, id: string): Promise<repo.PersonRecord | undefined> {
    return isUuid(id) ? repo.findRecord(executor, id) : undefined
  }

  async function loadRecord(executor: Executor, id: string, principal: Principal): Promise<repo.PersonRecord> {
    const person = await findRecord(executor, id)
    if (person === undefined) throw new NotFoundError('No person has that id')
    assertSiteAccess(principal, person.siteId)
    return person
  }

  async function lockRecord(executor: Executor, id: string, mode: 'write' | 'share'): Promise<boolean> {
    return isUuid(id) ? repo.lockRecord(executor, id, mode) : false
  }

  return {
    sitesFor,
    listCaseload,
    viewPerson,
    viewPersonWith,
    addPerson,
    updatePerson,
    practitionersAt,
    today: () => ukToday(clock),
    validationOptions,
    findRecord,
    loadRecord,
    lockRecord,
  }
}
