import type { FastifyInstance, FastifyReply } from 'fastify'
import { formErrorContext, type FormBody } from '../../platform/forms/forms.ts'
import { actorOf, clinicalRoles, type Access } from '../../platform/http/auth.ts'
import type { FieldError } from '../../platform/http/errors.ts'
import { ukDateOf } from '../../platform/time/uk-time.ts'
import { govukPagination, pageCount } from '../../platform/views/pagination.ts'
import { fullName } from '../../platform/views/person-header.ts'
import { personPath } from '../../platform/person-paths.ts'
import {
  filterQuery,
  PAGE_SIZE,
  parseAuditQuery,
  parsePersonSearch,
  type ParsedAuditQuery,
  type PersonSearchValues,
} from './audit-log.forms.ts'
import { auditPaths, auditRoutes } from './audit-log.paths.ts'
import { auditActions } from '../../platform/audit/audit.service.ts'
import type { PersonIdentity, PersonSearch } from './audit-log.read-model.ts'
import { MAX_SEARCH_MATCHES, RECORD_VIEWS_PAGE_SIZE, type AuditLogService } from './audit-log.service.ts'
import { eventRow, matchRow, recordViewRow } from './audit-log.view-models.ts'
import { keysetPage } from '../../platform/db/paging.ts'

const auditorsOnly: Access = ['auditor']

/** A date input shows one message for the whole date, whichever part (day, month, year) is wrong. */
function dateErrors(errors: readonly FieldError[], field: string) {
  const error = errors.find((e) => e.field.startsWith(`${field}-`))
  return error === undefined
    ? { message: undefined, part: undefined }
    : { message: { text: error.message }, part: error.field.slice(field.length + 1) }
}

const noSearch: PersonSearchValues = {
  crn: '',
  nhsNumber: '',
  familyName: '',
  dateOfBirth: { day: '', month: '', year: '' },
}
const noFilters = parseAuditQuery({})

/** "No person on the hub matches that …" */
const searchedFor: Readonly<Record<PersonSearch['kind'], string>> = {
  crn: 'CRN',
  nhsNumber: 'NHS number',
  nameAndDateOfBirth: 'family name and date of birth',
}

/** The page number from `?page=`, 1 when absent or not a sensible number. */
function pageNumber(query: unknown): number {
  const raw = (query as Record<string, unknown> | undefined)?.['page']
  return typeof raw === 'string' && /^\d{1,6}$/.test(raw) ? Math.max(1, Number(raw)) : 1
}

export function registerAuditPages(app: FastifyInstance, deps: { auditLog: AuditLogService; now: () => Date }): void {
  const { auditLog, now } = deps

  /** The audit log page: the "Find a person" form, the filters, then the events or the people to choose from. */
  function renderList(
    reply: FastifyReply,
    status: number,
    view: {
      filters: ParsedAuditQuery
      search?: PersonSearchValues
      errors?: readonly FieldError[]
      rest?: Record<string, unknown>
    },
  ) {
    const errors = [...(view.errors ?? []), ...view.filters.errors]
    return reply.code(status).view('audit-log/views/list.njk', {
      pageTitle: 'Audit log',
      actions: auditActions,
      fromError: dateErrors(errors, 'from'),
      toError: dateErrors(errors, 'to'),
      dobError: dateErrors(errors, 'dateOfBirth'),
      verifyHref: auditPaths.verify,
      searchAction: auditPaths.list,
      filtered: view.filters.used.length > 0,
      ...formErrorContext(errors, { ...view.filters.values, ...(view.search ?? noSearch) }),
      rows: [],
      ...view.rest,
    })
  }

  app.get(auditPaths.list, { config: { access: auditorsOnly } }, async (request, reply: FastifyReply) => {
    const parsed = parseAuditQuery(request.query as FormBody)
    if (parsed.errors.length > 0) return renderList(reply, 400, { filters: parsed })
    // Reading the audit log is itself audited: which filters were used, never their values.
    const { items: shown, next } = keysetPage(
      await auditLog.listEvents({ ...parsed.filter, limit: PAGE_SIZE + 1 }, actorOf(request), parsed.used),
      PAGE_SIZE,
      (event) => event.id,
    )
    const person: PersonIdentity | undefined =
      parsed.filter.personId === undefined ? undefined : await auditLog.personIdentity(parsed.filter.personId)
    return renderList(reply, 200, {
      filters: parsed,
      rest: {
        showEvents: true,
        person: person === undefined ? undefined : { ...matchRow(person), clearHref: auditPaths.list },
        rows: shown.map(eventRow),
        olderHref: next === undefined ? undefined : auditPaths.older(filterQuery(parsed.values, next)),
        newestHref: parsed.filter.beforeId === undefined ? undefined : auditPaths.older(filterQuery(parsed.values)),
      },
    })
  })

  /**
   * "Find a person": posted, so names, dates of birth and NHS numbers stay out of addresses and browser history.
   * One match goes to the log filtered to them (by the internal id); several are listed to choose from.
   */
  app.post(auditPaths.list, { config: { access: auditorsOnly } }, async (request, reply: FastifyReply) => {
    const form = parsePersonSearch(request.body as FormBody | undefined, ukDateOf(now()))
    if (!form.ok) return renderList(reply, 400, { filters: noFilters, search: form.values, errors: form.errors })
    const result = await auditLog.searchPeople(form.search, actorOf(request), 'page')
    const [only] = result.people
    if (result.people.length === 1 && only !== undefined) {
      return reply.redirect(auditPaths.older(new URLSearchParams({ personId: only.id }).toString()), 303)
    }
    return renderList(reply, 200, {
      filters: noFilters,
      search: form.values,
      rest: {
        searched: true,
        searchedFor: searchedFor[form.search.kind],
        matches: result.people.map(matchRow),
        moreMatches: result.more,
        maxMatches: MAX_SEARCH_MATCHES,
      },
    })
  })

  app.get(auditPaths.verify, { config: { access: auditorsOnly } }, async (request, reply) => {
    const result = await auditLog.verify(actorOf(request))
    return reply.view('audit-log/views/verify.njk', {
      pageTitle: 'Verify the audit log',
      result,
      backHref: auditPaths.list,
    })
  })

  // The person's clinicians see who has read or changed the record (as NHS services show); other roles do not.
  app.get(auditRoutes.recordViews, { config: { access: clinicalRoles } }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const { person, events, page } = await auditLog.recordViews(id, pageNumber(request.query), actorOf(request))
    const last = pageCount(events.total, RECORD_VIEWS_PAGE_SIZE)
    const first = (page - 1) * RECORD_VIEWS_PAGE_SIZE + 1
    return reply.view('audit-log/views/record-views.njk', {
      pageTitle: 'Who has viewed this record',
      person,
      personName: fullName(person),
      backHref: personPath(person.id),
      rows: events.items.map(recordViewRow),
      total: events.total,
      firstShown: first,
      lastShown: first + events.items.length - 1,
      pagination: govukPagination(page, last, (p) => auditPaths.recordViews(person.id, p), 'Pages of record views'),
    })
  })
}
