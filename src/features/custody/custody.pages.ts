import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { formErrorContext, isoToDateParts, type FormBody } from '../../platform/forms/forms.ts'
import { actorOf } from '../../platform/http/auth.ts'
import { DomainError, ValidationError, type FieldError } from '../../platform/http/errors.ts'
import { setFlash } from '../../platform/views/nunjucks.ts'
import { fullName } from '../../platform/views/person-header.ts'
import { DATE_FIELDS, parseEpisodeForm, type FormValues } from './custody.forms.ts'
import { ADDRESS_MAX, messages } from './custody.messages.ts'
import { custodyPaths, custodyRoutes } from './custody.paths.ts'
import { custodyReaderRoles, custodyRecorderRoles, type CustodyService, type EpisodeView } from './custody.service.ts'
import {
  detailRows,
  episodeCards,
  formValues,
  historyTable,
  releaseTypeItems,
  windowView,
} from './custody.view-models.ts'
import type { PersonRecord } from '../people/index.ts'

export interface CustodyPagesDeps {
  custody: CustodyService
  flashCookie: string
}

const dateFields = new Set<string>(DATE_FIELDS)

/** A service refusal on the form, with date fields linked to their day box; undefined for what error pages answer. */
function formErrors(error: unknown): { status: number; errors: FieldError[] } | undefined {
  if (!(error instanceof ValidationError) && !(error instanceof DomainError)) return undefined
  return {
    status: error.status,
    errors: error.errors.map((e) => ({
      field: dateFields.has(e.field) ? `${e.field}-day` : e.field,
      message: e.message,
    })),
  }
}

type Params = { id?: string; episodeId?: string }

export function registerCustodyPages(app: FastifyInstance, deps: CustodyPagesDeps): void {
  const { custody, flashCookie } = deps
  const readers = { config: { access: custodyReaderRoles } }
  const recorders = { config: { access: custodyRecorderRoles } }
  const params = (request: FastifyRequest) => request.params as Params

  app.get(custodyRoutes.episodes, readers, async (request, reply) => {
    const state = await custody.listEpisodes(params(request).id ?? '', actorOf(request), 'page')
    const { person } = state
    return reply.view('custody/views/episodes.njk', {
      pageTitle: `Custody and release – ${fullName(person)}`,
      person,
      cards: episodeCards(state.episodes, state.canRecord),
      openEpisode: state.openEpisode,
      openEditHref: state.openEpisode === undefined ? undefined : custodyPaths.editEpisode(state.openEpisode.id),
      canRecord: state.canRecord,
      newHref: custodyPaths.newEpisode(person.id),
      backHref: custodyPaths.person(person.id),
    })
  })

  app.get(custodyRoutes.episode, readers, async (request, reply) => {
    const state = await custody.viewEpisode(params(request).episodeId ?? '', actorOf(request), 'page')
    const { person, episode } = state
    return reply.view('custody/views/episode.njk', {
      pageTitle: `Custody episode at ${episode.prisonName} – ${fullName(person)}`,
      person,
      episode,
      rows: detailRows(episode),
      window: windowView(episode),
      history: historyTable(state.history),
      editHref: state.canRecord ? custodyPaths.editEpisode(episode.id) : undefined,
      planHref: custodyPaths.releasePlan(episode.id),
      backHref: custodyPaths.episodes(person.id),
    })
  })

  function renderForm(
    reply: FastifyReply,
    status: number,
    view: { person: PersonRecord; episode: EpisodeView | undefined; today: string },
    values: FormValues,
    errors: readonly FieldError[] = [],
  ) {
    const { person, episode } = view
    const todayParts = isoToDateParts(view.today)
    return reply.code(status).view('custody/views/form.njk', {
      pageTitle: episode === undefined ? 'Add a custody episode' : 'Change the custody episode',
      person,
      editing: episode !== undefined,
      version: episode?.version,
      releaseTypes: releaseTypeItems(values['releaseType']),
      addressMax: ADDRESS_MAX,
      example: `${todayParts.day} ${todayParts.month} ${todayParts.year}`,
      action: episode === undefined ? custodyPaths.newEpisode(person.id) : custodyPaths.editEpisode(episode.id),
      backHref: episode === undefined ? custodyPaths.episodes(person.id) : custodyPaths.episode(episode.id),
      ...formErrorContext(errors, values),
    })
  }

  app.get(custodyRoutes.newEpisode, recorders, async (request, reply) => {
    const state = await custody.personForForm(params(request).id ?? '', actorOf(request))
    return renderForm(reply, 200, { ...state, episode: undefined }, formValues(undefined))
  })

  app.post(custodyRoutes.newEpisode, recorders, async (request, reply) => {
    const personId = params(request).id ?? ''
    const form = parseEpisodeForm(request.body as FormBody | undefined)
    const rerender = async (status: number, errors: FieldError[]) => {
      const state = await custody.personForForm(personId, actorOf(request))
      return renderForm(reply, status, { ...state, episode: undefined }, form.values, errors)
    }
    if (!form.ok) return rerender(400, form.errors)
    try {
      const state = await custody.addEpisode(personId, form.value, actorOf(request), 'page')
      setFlash(reply, flashCookie, 'Custody episode added')
      return await reply.redirect(custodyPaths.episodes(state.person.id))
    } catch (error) {
      const refused = formErrors(error)
      if (refused === undefined) throw error
      return rerender(refused.status, refused.errors)
    }
  })

  app.get(custodyRoutes.editEpisode, recorders, async (request, reply) => {
    const state = await custody.viewEpisode(params(request).episodeId ?? '', actorOf(request), 'page', 'edit-form')
    return renderForm(reply, 200, state, formValues(state.episode))
  })

  app.post(custodyRoutes.editEpisode, recorders, async (request, reply) => {
    const episodeId = params(request).episodeId ?? ''
    const form = parseEpisodeForm(request.body as FormBody | undefined)
    const rerender = async (status: number, errors: FieldError[]) => {
      const state = await custody.viewEpisode(episodeId, actorOf(request), 'page', 'edit-form')
      return renderForm(reply, status, state, form.values, errors)
    }
    if (!form.ok) return rerender(400, form.errors)
    try {
      const result = await custody.updateEpisode(
        episodeId,
        form.version ?? -1,
        () => form.value,
        actorOf(request),
        'page',
      )
      if (!result.ok) return await rerender(409, [{ field: 'stale', message: messages.stale }])
      setFlash(reply, flashCookie, result.changed ? 'Custody episode changed' : 'Nothing was changed')
      return await reply.redirect(custodyPaths.episode(result.state.episode.id))
    } catch (error) {
      const refused = formErrors(error)
      if (refused === undefined) throw error
      return rerender(refused.status, refused.errors)
    }
  })
}
