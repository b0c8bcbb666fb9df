import type { Kysely } from 'kysely'
import type { AuditService, VerifyResult } from '../../platform/audit/audit.service.ts'
import type { DB } from '../../platform/db/schema.ts'
import { pageAt, type Paged } from '../../platform/db/paging.ts'
import {
  assertSiteAccess,
  clinicalRoles,
  principalWithRole,
  type ActorContext,
  type Channel,
} from '../../platform/http/auth.ts'
import { NotFoundError } from '../../platform/http/errors.ts'
import { isUuid } from '../../platform/forms/forms.ts'
import {
  findPeople,
  findPersonIdentity,
  listAuditEvents,
  listPersonEvents,
  type AuditEvent,
  type AuditFilter,
  type PersonIdentity,
  type PersonSearch,
} from './audit-log.read-model.ts'

export type AuditLogService = ReturnType<typeof createAuditLogService>

/** A search finds at most this many people; more is a search to narrow, not a list to read. */
export const MAX_SEARCH_MATCHES = 20

export const RECORD_VIEWS_PAGE_SIZE = 25

export interface SearchResult {
  /** At most MAX_SEARCH_MATCHES, by name. */
  people: PersonIdentity[]
  /** More people matched than are listed. */
  more: boolean
}

export interface RecordViews {
  person: PersonIdentity
  events: Paged<AuditEvent>
  page: number
}

/**
 * What auditors do with the audit log: find the person they are looking into, read the log (which is itself
 * audited) and check its integrity. And what clinicians see of it: who has viewed or changed a person's record.
 */
export function createAuditLogService(deps: { db: Kysely<DB>; audit: AuditService }) {
  const { db, audit } = deps

  /** Events newest first. Reading the log is audited: which filters were used, never their values. */
  async function listEvents(
    filter: AuditFilter,
    actor: ActorContext,
    filtersUsed: readonly string[],
  ): Promise<AuditEvent[]> {
    const events = await listAuditEvents(db, filter)
    await audit.recordAlone(actor, { action: 'view', entityType: 'audit_log', details: { filters: filtersUsed } })
    return events
  }

  /**
   * Finds people by CRN, NHS number or family name and date of birth, at every site (auditors are not limited to
   * sites, auth.ts), and records the search.
   *
   * What the audit event keeps: the kind of search, how many matched and the matched people's ids, and the CRN
   * when the search was by CRN. A CRN is the probation case reference, an identifier like the ids the log already
   * holds, and NHS audit trails record the identifier a look-up was made with, so a search for someone who is not
   * on the hub can still be traced. An NHS number, a name and a date of birth are personal data, so only the kind
   * of search is kept (the matched ids say whom they found).
   *
   * The event is not filed as the found person's (`personId` stays null, the ids are in the details): an auditor
   * sees identities, not the record, and "Who has viewed this record" must not tell the clinicians of a record
   * that an auditor is looking into it.
   */
  async function searchPeople(search: PersonSearch, actor: ActorContext, channel: Channel): Promise<SearchResult> {
    principalWithRole(actor, ['auditor'])
    return db.transaction().execute(async (tx) => {
      const found = await findPeople(tx, search, MAX_SEARCH_MATCHES + 1)
      const people = found.slice(0, MAX_SEARCH_MATCHES)
      // The audit action list (a database constraint) has no "search": a search lists people, as the caseload's does.
      await audit.record(tx, actor, {
        action: 'list',
        entityType: 'person',
        details: {
          channel,
          purpose: 'audit-search',
          search: search.kind,
          ...(search.kind === 'crn' ? { crn: search.crn } : {}),
          resultCount: found.length,
          personIds: people.map((p) => p.id),
        },
      })
      return { people, more: found.length > MAX_SEARCH_MATCHES }
    })
  }

  /** Who a person is, for the heading of the log filtered to them (an auditor's own filter, already audited). */
  async function personIdentity(personId: string): Promise<PersonIdentity | undefined> {
    return isUuid(personId) ? findPersonIdentity(db, personId) : undefined
  }

  /**
   * "Who has viewed this record": every read and change of the person's record, newest first, for the clinical
   * roles at the person's site (an unknown person is 404, another site's 403, as the people feature answers).
   * Viewing it is audited as the person's, after the page is read, so it shows from the next visit on.
   */
  async function recordViews(personId: string, page: number, actor: ActorContext): Promise<RecordViews> {
    const principal = principalWithRole(actor, clinicalRoles)
    return db.transaction().execute(async (tx) => {
      const person = isUuid(personId) ? await findPersonIdentity(tx, personId) : undefined
      if (person === undefined) throw new NotFoundError('No person has that id')
      assertSiteAccess(principal, person.siteId)
      let events = await listPersonEvents(tx, person.id, pageAt(page, RECORD_VIEWS_PAGE_SIZE))
      let shown = page
      const last = Math.max(1, Math.ceil(events.total / RECORD_VIEWS_PAGE_SIZE))
      if (page > last) {
        shown = last
        events = await listPersonEvents(tx, person.id, pageAt(last, RECORD_VIEWS_PAGE_SIZE))
      }
      await audit.record(tx, actor, {
        action: 'list',
        entityType: 'audit_log',
        personId: person.id,
        siteId: person.siteId,
        details: { channel: 'page', purpose: 'record-views', page: shown },
      })
      return { person, events, page: shown }
    })
  }

  /**
   * The auditor's check: from the last checkpoint an earlier check passed, to the newest event (ADR 0009), so a
   * click does not walk millions of events; `hub audit verify` checks the whole log.
   */
  async function verify(actor: ActorContext): Promise<VerifyResult & { from: number }> {
    const result = await audit.verifyRecent()
    await audit.recordAlone(actor, { action: 'view', entityType: 'audit_log', details: { filters: [], verify: true } })
    return result
  }

  return { listEvents, searchPeople, personIdentity, recordViews, verify }
}
