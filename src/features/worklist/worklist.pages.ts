import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { formErrorContext, type FormBody } from '../../platform/forms/forms.ts'
import { actorOf, requirePrincipal } from '../../platform/http/auth.ts'
import { ConflictError, ValidationError, type FieldError } from '../../platform/http/errors.ts'
import { setFlash } from '../../platform/views/nunjucks.ts'
import { checkNote, parseFilters, parsePageNumber, parseSection } from './worklist.forms.ts'
import {
  followUpRoles,
  kindsForRole,
  NOTE_MAX,
  OVERVIEW_LIMIT,
  SECTION_PAGE_SIZE,
  sectionText,
  worklistRoles,
  type WorklistKind,
  type WorklistScope,
} from './worklist.messages.ts'
import { worklistPaths, worklistRoutes, type WorklistQuery } from './worklist.paths.ts'
import type { Worklist, WorklistService } from './worklist.service.ts'
import type { Site } from '../sites/index.ts'
import { doneText, followUpRows, pagination, sectionViews, todayText } from './worklist.view-models.ts'
import { fullName } from '../../platform/views/person-header.ts'

export interface WorklistPagesDeps {
  worklist: WorklistService
  flashCookie: string
}

const TEMPLATE = 'worklist/views/worklist.njk'

function filterItems(
  sites: Site[],
  chosen: { site: string | undefined; scope: WorklistScope | undefined; kinds: readonly string[] },
  allowed: readonly WorklistKind[],
) {
  return {
    siteItems: sites.map((s) => ({ value: s.code, text: s.name, selected: s.code === chosen.site })),
    scopeItems: [
      { value: 'mine', text: 'My work', checked: chosen.scope === 'mine' },
      { value: 'site', text: 'Everything at the site', checked: chosen.scope === 'site' },
    ],
    kindItems: allowed.map((k) => ({ value: k, text: sectionText[k].filter, checked: chosen.kinds.includes(k) })),
  }
}

export function registerWorklistPages(app: FastifyInstance, deps: WorklistPagesDeps): void {
  const { worklist, flashCookie } = deps

  /** The filter form alone, with the error summary: a bad site, scope or section in the address. */
  async function renderFilterErrors(
    request: FastifyRequest,
    reply: FastifyReply,
    errors: readonly FieldError[],
    values: { site?: string; scope?: string; kinds?: readonly string[] },
  ) {
    const principal = requirePrincipal(request)
    const sites = await worklist.siteChoices(actorOf(request))
    const role = principal.role as (typeof worklistRoles)[number]
    return reply.code(400).view(TEMPLATE, {
      pageTitle: 'Worklist',
      ...filterItems(
        sites,
        {
          site: values.site,
          scope: values.scope === 'mine' || values.scope === 'site' ? values.scope : undefined,
          kinds: values.kinds ?? [],
        },
        kindsForRole[role],
      ),
      showSiteChoice: true,
      sections: [],
      ...formErrorContext(errors, values),
    })
  }

  app.get(worklistRoutes.worklist, { config: { access: worklistRoles } }, async (request, reply) => {
    const principal = requirePrincipal(request)
    const query = request.query as FormBody
    const filters = parseFilters(query)
    if (!filters.ok) return renderFilterErrors(request, reply, filters.errors, filters.values)
    const sites = await worklist.siteChoices(actorOf(request))
    // The page starts where the user works today (see startingSite); the API asks which when there are several.
    const siteCode = filters.value.site ?? (await worklist.startingSite(actorOf(request), sites))?.code
    const section = parseSection(query)
    const page = section === undefined ? 1 : parsePageNumber(query)
    const pageSize = section === undefined ? OVERVIEW_LIMIT : SECTION_PAGE_SIZE
    let result: Worklist
    try {
      result = await worklist.viewWorklist(
        actorOf(request),
        {
          ...(siteCode === undefined ? {} : { site: siteCode }),
          ...(filters.value.scope === undefined ? {} : { scope: filters.value.scope }),
          kinds: section === undefined ? filters.value.kinds : [section],
          limit: pageSize,
          offset: (page - 1) * pageSize,
        },
        'page',
      )
    } catch (error) {
      if (error instanceof ValidationError) {
        return await renderFilterErrors(request, reply, error.errors, {
          ...filters.value,
          ...(siteCode === undefined ? {} : { site: siteCode }),
        })
      }
      throw error
    }
    const linkQuery: WorklistQuery = {
      site: result.site.code,
      scope: result.scope,
      kinds: filters.value.kinds,
    }
    const sections = sectionViews(result, { id: principal.userId, role: principal.role }, linkQuery, {
      single: section !== undefined,
    })
    const only = section === undefined ? undefined : sections[0]
    return reply.view(TEMPLATE, {
      pageTitle: only === undefined ? `Worklist – ${result.site.name}` : `${only.heading} – ${result.site.name}`,
      site: result.site,
      scope: result.scope,
      heading: result.scope === 'mine' ? 'Your worklist' : `${result.site.name} worklist`,
      today: todayText(result.generatedAt),
      ...filterItems(
        result.sites,
        { site: result.site.code, scope: result.scope, kinds: filters.value.kinds },
        result.allowedKinds,
      ),
      showSiteChoice: result.sites.length > 1,
      sections,
      single: only,
      pagination: only === undefined ? undefined : pagination({ ...linkQuery, section }, page, only.total, pageSize),
      overviewHref: worklistPaths.worklist(linkQuery),
      unavailable: result.unavailable.map((k) => sectionText[k].heading),
    })
  })

  async function renderDone(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    values: Record<string, unknown>,
    errors: readonly FieldError[] = [],
  ) {
    const { id } = request.params as { id: string }
    const followUp = await worklist.viewFollowUp(id, actorOf(request), 'page')
    const done = doneText(followUp)
    return reply.code(status).view('worklist/views/follow-up-done.njk', {
      pageTitle: 'Mark a follow-up as done',
      person: followUp.person,
      rows: followUpRows(followUp),
      done,
      note: followUp.note,
      noteMax: NOTE_MAX,
      action: worklistPaths.followUpDone(followUp.id),
      backHref: worklistPaths.worklist(),
      ...formErrorContext(errors, values),
    })
  }

  app.get(worklistRoutes.followUpDone, { config: { access: followUpRoles } }, async (request, reply) =>
    renderDone(request, reply, 200, {}),
  )

  app.post(worklistRoutes.followUpDone, { config: { access: followUpRoles } }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const body = request.body as FormBody | undefined
    const raw = body?.['note']
    const values = { note: typeof raw === 'string' ? raw : '' }
    const checked = checkNote(raw)
    if (!checked.ok) return renderDone(request, reply, 400, values, [checked.error])
    try {
      const followUp = await worklist.markFollowUpDone(id, checked.note, actorOf(request), 'page')
      setFlash(reply, flashCookie, `Follow-up for ${fullName(followUp.person)} marked as done`)
      return await reply.redirect(`${worklistPaths.worklist()}#section-follow-ups`)
    } catch (error) {
      if (error instanceof ConflictError) {
        return renderDone(request, reply, 409, values, [{ field: 'note', message: error.message }])
      }
      throw error
    }
  })
}
