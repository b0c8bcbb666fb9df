import type { Kysely } from 'kysely'
import type { ActorContext, AuditService } from '../../platform/audit/audit.service.ts'
import type { Executor } from '../../platform/db/executor.ts'
import type { DB } from '../../platform/db/schema.ts'
import { DomainError, NotFoundError, type FieldError } from '../../platform/http/errors.ts'
import { siteMessages as messages } from './sites.messages.ts'
import type { SiteRow } from './sites.tables.ts'
import { checkNewSite, checkSiteContact, oneLineAddress, type SiteContactDetails } from './sites.validation.ts'

export type { SiteContactDetails } from './sites.validation.ts'

export interface Site {
  id: string
  code: string
  name: string
  region: string
}

/** How people are told to find and reach a site (an appointment reminder: "at <address>. To change it call <phone>"). */
export interface SiteContact {
  /** On one line, blanks skipped: "12 High Street, Cambridge CB1 1AA"; null when no address is recorded. */
  address: string | null
  phone: string | null
}

/** A site with its contact details, both in parts and as people are told them. */
export interface SiteWithContact extends Site, SiteContactDetails {
  address: string | null
}

/** Contact details to set: a part left out (undefined) keeps its value; null or blank clears it. */
export type SiteContactInput = { [K in keyof SiteContactDetails]?: string | null }

export interface NewSite extends SiteContactInput {
  code: string
  name: string
  region: string
}

/** A partner organisation (a treatment or support provider whose caseworkers see the referrals sent to it). */
export interface Organisation {
  id: string
  code: string
  name: string
}

export type SitesService = ReturnType<typeof createSitesService>

const UNIQUE_VIOLATION = '23505'

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === UNIQUE_VIOLATION
}

const contactColumns = ['address_line1', 'address_line2', 'town', 'postcode', 'phone'] as const
const siteWithContactColumns = ['id', 'code', 'name', 'region', ...contactColumns] as const
const contactFields = ['addressLine1', 'addressLine2', 'town', 'postcode', 'phone'] as const

type SiteContactRow = Pick<SiteRow, (typeof siteWithContactColumns)[number]>

function toSiteWithContact(row: SiteContactRow): SiteWithContact {
  const details: SiteContactDetails = {
    addressLine1: row.address_line1,
    addressLine2: row.address_line2,
    town: row.town,
    postcode: row.postcode,
    phone: row.phone,
  }
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    region: row.region,
    ...details,
    address: oneLineAddress(details),
  }
}

function toColumns(details: SiteContactDetails) {
  return {
    address_line1: details.addressLine1,
    address_line2: details.addressLine2,
    town: details.town,
    postcode: details.postcode,
    phone: details.phone,
  }
}

/** The stored details with the given parts applied (undefined keeps a part), checked as a whole. */
function mergeContact(current: SiteContactDetails, change: SiteContactInput): SiteContactDetails {
  const merged = Object.fromEntries(
    contactFields.map((field) => [field, change[field] === undefined ? current[field] : change[field]]),
  ) as SiteContactInput
  const checked = checkSiteContact(merged)
  if (!checked.ok) throw new DomainError('invalid-site-contact', checked.errors)
  return checked.value
}

const changedFields = (before: SiteContactDetails, after: SiteContactDetails) =>
  contactFields.filter((field) => before[field] !== after[field])

const noContact: SiteContactDetails = {
  addressLine1: null,
  addressLine2: null,
  town: null,
  postcode: null,
  phone: null,
}

/**
 * `audit`, when given, records changes to sites (`create`, `setContact`) in the same transaction as the change; the
 * composition root passes it. The demo builds this service on its own transaction without one: `ensure`, its
 * bootstrap, is never audited.
 */
export function createSitesService(deps: { db: Kysely<DB>; audit?: AuditService }) {
  const { db, audit } = deps

  async function listAll(): Promise<Site[]> {
    return db.selectFrom('site').select(['id', 'code', 'name', 'region']).orderBy('name').execute()
  }

  /** Inside a transaction, pass it as `executor`. */
  async function findByCode(code: string, executor: Executor = db): Promise<Site | undefined> {
    return executor
      .selectFrom('site')
      .select(['id', 'code', 'name', 'region'])
      .where('code', '=', code)
      .executeTakeFirst()
  }

  /** Inside a transaction, pass it as `executor`. */
  async function listByIds(ids: readonly string[], executor: Executor = db): Promise<Site[]> {
    if (ids.length === 0) return []
    return executor
      .selectFrom('site')
      .select(['id', 'code', 'name', 'region'])
      .where('id', 'in', ids)
      .orderBy('name')
      .execute()
  }

  /**
   * Adds the site unless one has its code; with `contact`, sets those details on it either way, so running again
   * brings an existing site's details up to date (the demo seed). Inside a transaction, build the service on it.
   */
  async function ensure(site: Omit<Site, 'id'> & { contact?: SiteContactInput }): Promise<Site> {
    const { contact, ...identity } = site
    await db
      .insertInto('site')
      .values(identity)
      .onConflict((oc) => oc.column('code').doNothing())
      .execute()
    const found = await findWithContact(site.code)
    if (found === undefined) throw new Error(`Site ${site.code} could not be created`)
    if (contact !== undefined) {
      const details = mergeContact(found, contact)
      if (changedFields(found, details).length > 0) {
        await db.updateTable('site').set(toColumns(details)).where('id', '=', found.id).execute()
      }
    }
    return { id: found.id, code: found.code, name: found.name, region: found.region }
  }

  /** Every site with its contact details, by name. */
  async function listAllWithContact(executor: Executor = db): Promise<SiteWithContact[]> {
    const rows = await executor
      .selectFrom('site')
      .select(siteWithContactColumns)
      .orderBy('name')
      .orderBy('code')
      .execute()
    return rows.map(toSiteWithContact)
  }

  async function findWithContact(code: string, executor: Executor = db): Promise<SiteWithContact | undefined> {
    const row = await executor
      .selectFrom('site')
      .select(siteWithContactColumns)
      .where('code', '=', code)
      .executeTakeFirst()
    return row === undefined ? undefined : toSiteWithContact(row)
  }

  /**
   * The address on one line and the phone number people are told for the site; undefined when there is no such
   * site. Inside a transaction, pass it as `executor`.
   */
  async function findContact(siteId: string, executor: Executor = db): Promise<SiteContact | undefined> {
    const row = await executor
      .selectFrom('site')
      .select(siteWithContactColumns)
      .where('id', '=', siteId)
      .executeTakeFirst()
    if (row === undefined) return undefined
    const { address, phone } = toSiteWithContact(row)
    return { address, phone }
  }

  /**
   * Adds a site (how a fresh deployment gets its first one), audited. Refuses a malformed or taken code, a blank
   * name or region and contact details that do not check, naming each field, and adds nothing.
   */
  async function create(input: NewSite, actor: ActorContext): Promise<SiteWithContact> {
    const site = checkNewSite(input)
    const contact = checkSiteContact(input)
    const errors: FieldError[] = [...(site.ok ? [] : site.errors), ...(contact.ok ? [] : contact.errors)]
    if (site.ok && (await findByCode(site.value.code)) !== undefined) {
      errors.unshift({ field: 'code', message: messages.codeTaken(site.value.code) })
    }
    if (!site.ok || !contact.ok || errors.length > 0) throw new DomainError('invalid-site', errors)
    try {
      return await db.transaction().execute(async (tx) => {
        const row = await tx
          .insertInto('site')
          .values({ ...site.value, ...toColumns(contact.value) })
          .returning(siteWithContactColumns)
          .executeTakeFirstOrThrow()
        await audit?.record(tx, actor, {
          action: 'create',
          entityType: 'site',
          entityId: row.id,
          siteId: row.id,
          details: { changed: ['code', 'name', 'region', ...changedFields(noContact, contact.value)] },
        })
        return toSiteWithContact(row)
      })
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError('site-code-taken', [{ field: 'code', message: messages.codeTaken(site.value.code) }])
      }
      throw error
    }
  }

  /**
   * Sets a site's address and phone number, audited. A part left undefined keeps its value; null or blank clears
   * it. The result is checked as a whole (a UK phone number; a UK postcode; a first line and a town whenever any
   * part of the address is given) and stored normalised; a refusal names each field and changes nothing.
   */
  async function setContact(code: string, contact: SiteContactInput, actor: ActorContext): Promise<SiteWithContact> {
    return db.transaction().execute(async (tx) => {
      const row = await tx
        .selectFrom('site')
        .select(siteWithContactColumns)
        .where('code', '=', code.trim())
        .forUpdate()
        .executeTakeFirst()
      if (row === undefined) throw new NotFoundError(messages.notFound(code))
      const current = toSiteWithContact(row)
      const details = mergeContact(current, contact)
      const changed = changedFields(current, details)
      if (changed.length === 0) return current
      const updated = await tx
        .updateTable('site')
        .set(toColumns(details))
        .where('id', '=', row.id)
        .returning(siteWithContactColumns)
        .executeTakeFirstOrThrow()
      await audit?.record(tx, actor, {
        action: 'update',
        entityType: 'site',
        entityId: row.id,
        siteId: row.id,
        details: { changed },
      })
      return toSiteWithContact(updated)
    })
  }

  /** Every partner organisation, by name. */
  async function listOrganisations(executor: Executor = db): Promise<Organisation[]> {
    return executor.selectFrom('organisation').select(['id', 'code', 'name']).orderBy('name').orderBy('code').execute()
  }

  async function findOrganisationByCode(code: string, executor: Executor = db): Promise<Organisation | undefined> {
    return executor
      .selectFrom('organisation')
      .select(['id', 'code', 'name'])
      .where('code', '=', code)
      .executeTakeFirst()
  }

  async function findOrganisationById(id: string, executor: Executor = db): Promise<Organisation | undefined> {
    return executor.selectFrom('organisation').select(['id', 'code', 'name']).where('id', '=', id).executeTakeFirst()
  }

  /** Adds a partner organisation inside the caller's transaction (who may, and the audit, are the caller's). */
  async function insertOrganisation(
    executor: Executor,
    organisation: { code: string; name: string },
  ): Promise<Organisation> {
    return executor
      .insertInto('organisation')
      .values(organisation)
      .returning(['id', 'code', 'name'])
      .executeTakeFirstOrThrow()
  }

  return {
    listAll,
    findByCode,
    listByIds,
    ensure,
    listAllWithContact,
    findWithContact,
    findContact,
    create,
    setContact,
    listOrganisations,
    findOrganisationByCode,
    findOrganisationById,
    insertOrganisation,
  }
}
