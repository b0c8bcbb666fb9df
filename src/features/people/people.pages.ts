import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { formErrorContext, type FormBody, isUuid, text } from '../../platform/forms/forms.ts'
import {
  assertSiteAccess,
  clinicalRoles,
  hasRole,
  personRecordRoles,
  requirePrincipal,
  type Principal,
} from '../../platform/http/auth.ts'
import { DomainError, ForbiddenError, type FieldError } from '../../platform/http/errors.ts'
import { setFlash } from '../../platform/views/nunjucks.ts'
import { parsePersonForm, personToFormValues, type PersonFormValues } from './people.forms.ts'
import {
  disabilityOptions,
  ethnicCategoryGroups,
  genderSameAsBirthOptions,
  messages,
  neurodivergenceOptions,
  sexOptions,
  statedGenderOptions,
  supervisionTypeOptions,
} from './people.messages.ts'
import { peoplePaths, peopleRoutes } from './people.paths.ts'
import { CASELOAD_PAGE_SIZE, PossibleDuplicateError, type Person, type PeopleService } from './people.service.ts'
import {
  caseloadRows,
  conflictRows,
  pagination,
  parseCaseloadQuery,
  overviewView,
  personSections,
  recordNavigation,
  resultHeading,
  sortHeaders,
  sortOptions,
} from './people.view-models.ts'
import type { PersonDetails } from './people.validation.ts'
import { actorOf } from '../../platform/http/auth.ts'
import { readPersonOverview } from './people.read-model.ts'
import { fullName } from '../../platform/views/person-header.ts'

export interface PeoplePagesDeps {
  people: PeopleService
  flashCookie: string
  /** Now, by the service's clock: the next appointment is the next after it. */
  now: () => Date
}

/** What the new-person form posted, to send again from "Is this the same person?" (not the CSRF token or the answer). */
function carriedFields(body: FormBody | undefined): { name: string; value: string }[] {
  const skip = new Set(['_csrf', 'confirmedNotDuplicate', 'reviewDetails'])
  return Object.entries(body ?? {}).flatMap(([name, value]) => {
    if (skip.has(name)) return []
    const values = Array.isArray(value) ? value : [value]
    return values.filter((v): v is string => typeof v === 'string').map((v) => ({ name, value: v }))
  })
}

export function registerPeoplePages(app: FastifyInstance, deps: PeoplePagesDeps): void {
  const { people, flashCookie, now: clockNow } = deps
  const config = { access: personRecordRoles }

  /**
   * Everything the person form needs besides the values: choices for each question. The person's current
   * practitioner is always a choice, even when disabled or moved away, so saving an unrelated change keeps them.
   */
  async function formChoices(principal: Principal, editing?: Person) {
    const mySites = await people.sitesFor(principal)
    const practitioners = await people.practitionersAt(principal.siteIds)
    const siteName = new Map(mySites.map((s) => [s.id, s.name]))
    const choices = practitioners.map((p) => ({
      value: p.id,
      text: mySites.length > 1 ? `${p.displayName} (${siteName.get(p.siteId) ?? ''})` : p.displayName,
    }))
    const assigned = editing?.probationPractitionerId ?? null
    if (assigned !== null && !choices.some((c) => c.value === assigned)) {
      const name = editing?.probationPractitionerName ?? 'Another practitioner'
      choices.unshift({ value: assigned, text: messages.practitionerNoLongerHere(name) })
    }
    return {
      sites: mySites.map((s) => ({ value: s.code, text: s.name })),
      practitioners: choices,
      sexOptions,
      statedGenderOptions,
      genderSameAsBirthOptions,
      ethnicCategoryGroups,
      disabilityOptions,
      neurodivergenceOptions,
      supervisionTypeOptions,
    }
  }

  async function renderForm(
    reply: FastifyReply,
    principal: Principal,
    status: number,
    form: { mode: 'new' } | { mode: 'edit'; person: Person },
    values: PersonFormValues,
    errors: readonly FieldError[] = [],
    extra: Record<string, unknown> = {},
  ) {
    const editing = form.mode === 'edit' ? form.person : undefined
    // A new-person form carries a one-time id, kept when it is shown again, so a double submit adds one person.
    const submitted = typeof values['submissionId'] === 'string' ? values['submissionId'] : ''
    const submissionId = editing === undefined ? (isUuid(submitted) ? submitted : randomUUID()) : undefined
    return reply.code(status).view('people/views/person-form.njk', {
      pageTitle: editing === undefined ? 'Add a person' : `Change ${fullName(editing)}’s details`,
      action: editing === undefined ? peoplePaths.newPerson() : peoplePaths.editPerson(editing.id),
      backHref: editing === undefined ? peoplePaths.caseload() : peoplePaths.person(editing.id),
      editing: editing !== undefined,
      submissionId,
      ...(await formChoices(principal, editing)),
      ...formErrorContext(errors, values),
      ...extra,
    })
  }

  app.get(peopleRoutes.caseload, { config }, async (request, reply) => {
    const principal = requirePrincipal(request)
    const mySites = await people.sitesFor(principal)
    const params = parseCaseloadQuery(request.query as Record<string, unknown>, mySites[0]?.code ?? '')
    if (mySites.length === 0) {
      return reply.view('people/views/caseload.njk', { pageTitle: 'Caseload', noSites: true, params, mySites })
    }
    const site = mySites.find((s) => s.code === params.site)
    // Another site's code (or one that does not exist) is refused the same way, revealing nothing.
    if (site === undefined) throw new ForbiddenError('You do not have access to this site.')
    const result = await people.listCaseload(
      {
        siteIds: [site.id],
        q: params.q,
        supervisionType: params.supervisionType,
        fromCustody: params.custody,
        mine: params.mine,
        sort: params.sort,
        order: params.order,
        page: params.page,
        pageSize: CASELOAD_PAGE_SIZE,
      },
      actorOf(request),
    )
    const filtered = params.q !== '' || params.supervisionType !== undefined || params.custody || params.mine
    return reply.view('people/views/caseload.njk', {
      pageTitle: `Caseload – ${site.name}`,
      site,
      mySites: mySites.map((s) => ({ value: s.code, text: s.name, selected: s.code === site.code })),
      params,
      filtered,
      isPractitioner: principal.role === 'probation_practitioner',
      supervisionTypes: [{ value: '', text: 'Any' }, ...supervisionTypeOptions],
      sortOptions,
      headers: sortHeaders(params),
      rows: caseloadRows(result.people),
      heading: resultHeading(result),
      pagination: pagination(params, result),
      clearHref: peoplePaths.caseload({ site: site.code }),
      newPersonHref: peoplePaths.newPerson(),
    })
  })

  app.get(peopleRoutes.newPerson, { config }, async (request, reply) => {
    const principal = requirePrincipal(request)
    const mySites = await people.sitesFor(principal)
    const query = request.query as Record<string, unknown>
    const wanted = typeof query['site'] === 'string' ? query['site'] : undefined
    const siteCode = mySites.find((s) => s.code === wanted)?.code ?? mySites[0]?.code ?? ''
    return renderForm(reply, principal, 200, { mode: 'new' }, { siteCode })
  })

  app.post(peopleRoutes.newPerson, { config }, async (request, reply) => {
    const principal = requirePrincipal(request)
    const body = request.body as FormBody | undefined
    const form = parsePersonForm(body, people.validationOptions())
    if (!form.ok) return renderForm(reply, principal, 400, { mode: 'new' }, form.values, form.errors)
    // "Change the details" on the "Is this the same person?" page brings the form back as it was filled in.
    if (text(body, 'reviewDetails') === 'yes') return renderForm(reply, principal, 200, { mode: 'new' }, form.values)
    const submissionId = typeof form.values['submissionId'] === 'string' ? form.values['submissionId'] : ''
    try {
      // A repeat of this submission (a double click, a resubmit) is sent to the person the first one added.
      const { person } = await people.addPerson(
        form.value,
        actorOf(request),
        'page',
        isUuid(submissionId) ? submissionId : undefined,
        { confirmedNotDuplicate: text(body, 'confirmedNotDuplicate') === 'yes' },
      )
      setFlash(reply, flashCookie, `${fullName(person)} has been added`)
      return await reply.redirect(peoplePaths.person(person.id))
    } catch (error) {
      if (error instanceof PossibleDuplicateError) {
        return reply.view('people/views/possible-duplicate.njk', {
          pageTitle: 'Is this the same person?',
          action: peoplePaths.newPerson(),
          name: fullName(form.value),
          dateOfBirth: form.value.dateOfBirth,
          matches: error.matches.map((m) => ({
            name: fullName(m),
            crn: m.crn,
            dateOfBirth: m.dateOfBirth,
            href: peoplePaths.person(m.id),
          })),
          fields: carriedFields(body),
        })
      }
      if (!(error instanceof DomainError)) throw error
      if (error.code === 'idempotency-key-reused') {
        // The form was sent back changed after it had added someone: a fresh id lets the user add another.
        const values = { ...form.values, submissionId: '' }
        return renderForm(reply, principal, 400, { mode: 'new' }, values, [
          { field: 'crn', message: messages.formAlreadyUsed },
        ])
      }
      return renderForm(reply, principal, 400, { mode: 'new' }, form.values, error.errors)
    }
  })

  app.get(peopleRoutes.person, { config }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const principal = requirePrincipal(request)
    const now = clockNow()
    // One audited read of the person; the overview is read in the same transaction, as this viewer may see it.
    const { person, extra: overview } = await people.viewPersonWith(id, actorOf(request), 'page', 'view', (tx, p, who) =>
      readPersonOverview(tx, p.id, who, now),
    )
    const clinical = hasRole(principal, clinicalRoles)
    return reply.view('people/views/person.njk', {
      pageTitle: fullName(person),
      person,
      sections: personSections(person),
      overview: overviewView(person.id, overview, now),
      caseloadHref: peoplePaths.caseload({ site: person.siteCode }),
      recordNavigation: recordNavigation(person.id, clinical, principal.role === 'probation_practitioner'),
      // The audit-log feature serves it; its clinicians only, as NHS services show who has accessed a record.
      whoViewedHref: clinical ? peoplePaths.record.views(person.id) : undefined,
    })
  })

  app.get(peopleRoutes.editPerson, { config }, async (request, reply) => {
    const principal = requirePrincipal(request)
    const { id } = request.params as { id: string }
    const person = await people.viewPerson(id, actorOf(request), 'page', 'edit')
    return renderForm(reply, principal, 200, { mode: 'edit', person }, personToFormValues(person))
  })

  app.post(peopleRoutes.editPerson, { config }, async (request, reply) => {
    const principal = requirePrincipal(request)
    const { id } = request.params as { id: string }
    const body = request.body as FormBody | undefined
    let form = parsePersonForm(body, people.validationOptions())
    if (!form.ok) {
      // The form shows names in its title: read (and audit) the record the user is editing.
      const person = await people.viewPerson(id, actorOf(request), 'page', 'edit')
      // A phone number or email address left as saved (perhaps before the Notify rules) does not block the change;
      // the version check in updatePerson makes sure it is still what is saved.
      form = parsePersonForm(body, { ...people.validationOptions(), saved: person })
      if (!form.ok) return renderForm(reply, principal, 400, { mode: 'edit', person }, form.values, form.errors)
    }
    const version = Number.parseInt(typeof form.values['version'] === 'string' ? form.values['version'] : '', 10)
    const details: PersonDetails = form.value
    try {
      const result = await people.updatePerson(
        id,
        Number.isInteger(version) ? version : -1,
        () => details,
        actorOf(request),
        'page',
      )
      if (!result.ok) {
        const current = result.current
        assertSiteAccess(principal, current.siteId)
        const choices = await formChoices(principal, current)
        const rows = conflictRows(
          details,
          current,
          new Map(choices.practitioners.map((p) => [p.value, p.text])),
          new Map(choices.sites.map((s) => [s.value, s.text])),
        )
        return await renderForm(
          reply,
          principal,
          409,
          { mode: 'edit', person: current },
          personToFormValues(current),
          [{ field: 'conflict', message: messages.staleEdit }],
          { conflict: { rows } },
        )
      }
      setFlash(
        reply,
        flashCookie,
        result.changed.length === 0 ? 'No changes were made' : `${fullName(result.person)}’s details have been updated`,
      )
      return await reply.redirect(peoplePaths.person(result.person.id))
    } catch (error) {
      if (!(error instanceof DomainError)) throw error
      const person = await people.viewPerson(id, actorOf(request), 'page', 'edit')
      return renderForm(reply, principal, 400, { mode: 'edit', person }, form.values, error.errors)
    }
  })
}
