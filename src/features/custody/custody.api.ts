import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { actorOf } from '../../platform/http/auth.ts'
import { PreconditionFailedError } from '../../platform/http/errors.ts'
import { versionFromIfMatch } from '../../platform/http/preconditions.ts'
import { custodyPaths, custodyRoutes } from './custody.paths.ts'
import {
  EpisodeBodySchema,
  EpisodeListSchema,
  EpisodeParamsSchema,
  EpisodePatchSchema,
  EpisodeWithHistorySchema,
  IfMatchHeadersSchema,
  PersonParamsSchema,
  ProblemSchema,
  type EpisodeBody,
  type EpisodePatch,
  type EpisodeResource,
  type EpisodeWithHistoryResource,
} from './custody.schemas.ts'
import {
  custodyReaderRoles,
  custodyRecorderRoles,
  draftOf,
  type CustodyService,
  type Episode,
  type EpisodeDraft,
  type EpisodeState,
  type EpisodeView,
} from './custody.service.ts'

export function toResource(episode: EpisodeView): EpisodeResource {
  return {
    id: episode.id,
    personId: episode.personId,
    prisonName: episode.prisonName,
    prisonCode: episode.prisonCode,
    prisonNumber: episode.prisonNumber,
    expectedReleaseDate: episode.expectedReleaseDate,
    actualReleaseDate: episode.actualReleaseDate,
    releaseType: episode.releaseType,
    releaseAddress: episode.releaseAddress,
    noFixedAbode: episode.noFixedAbode,
    recalledOn: episode.recalledOn,
    window: episode.window,
    version: episode.version,
    etag: episode.etag,
    createdAt: episode.createdAt.toISOString(),
    updatedAt: episode.updatedAt.toISOString(),
  }
}

function withHistory(state: EpisodeState): EpisodeWithHistoryResource {
  return {
    ...toResource(state.episode),
    history: state.history.map((h) => ({ ...h, recordedAt: h.recordedAt.toISOString() })),
  }
}

function bodyDraft(body: EpisodeBody): EpisodeDraft {
  return {
    prisonName: body.prisonName,
    prisonCode: body.prisonCode,
    prisonNumber: body.prisonNumber,
    expectedReleaseDate: body.expectedReleaseDate ?? null,
    actualReleaseDate: body.actualReleaseDate ?? null,
    releaseType: body.releaseType ?? null,
    releaseAddress: body.releaseAddress ?? null,
    noFixedAbode: body.noFixedAbode ?? false,
    recalledOn: body.recalledOn ?? null,
  }
}

/** A JSON merge patch over the saved episode: a field left out keeps its value, null clears it. */
function applyPatch(current: Episode, patch: EpisodePatch): EpisodeDraft {
  const draft = draftOf(current)
  for (const key of Object.keys(patch) as (keyof EpisodePatch)[]) {
    const value = patch[key]
    if (value === undefined) continue
    if (key === 'noFixedAbode') draft.noFixedAbode = value === true
    else (draft as unknown as Record<string, unknown>)[key] = value
  }
  // Saying they will have no fixed abode clears the address the episode had, unless the patch gives one.
  if (patch.noFixedAbode === true && patch.releaseAddress === undefined) draft.releaseAddress = null
  return draft
}

const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema }

export function registerCustodyApi(app: FastifyInstance, deps: { custody: CustodyService }): void {
  const { custody } = deps
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const tags = ['custody']

  api.get(
    custodyRoutes.apiEpisodes,
    {
      config: { access: custodyReaderRoles },
      schema: {
        tags,
        summary: 'A person’s custody episodes, the latest release first, each with its RECONNECT window',
        params: PersonParamsSchema,
        response: { 200: EpisodeListSchema, ...problems },
      },
    },
    async (request) => {
      const state = await custody.listEpisodes(request.params.id, actorOf(request), 'api')
      return { personId: state.person.id, episodes: state.episodes.map(toResource) }
    },
  )

  api.post(
    custodyRoutes.apiEpisodes,
    {
      config: { access: custodyRecorderRoles },
      schema: {
        tags,
        summary: 'Add a custody episode',
        description:
          'Clinicians, hub managers and probation practitioners at the person’s site. Refused with 422 while ' +
          'another episode has no release recorded.',
        params: PersonParamsSchema,
        body: EpisodeBodySchema,
        response: { 201: EpisodeWithHistorySchema, 422: ProblemSchema, ...problems },
      },
    },
    async (request, reply) => {
      const state = await custody.addEpisode(request.params.id, bodyDraft(request.body), actorOf(request), 'api')
      return reply
        .code(201)
        .header('location', custodyPaths.api.episode(state.episode.id))
        .header('etag', state.episode.etag)
        .send(withHistory(state))
    },
  )

  api.get(
    custodyRoutes.apiEpisode,
    {
      config: { access: custodyReaderRoles },
      schema: {
        tags,
        summary: 'A custody episode with its window and every earlier version',
        params: EpisodeParamsSchema,
        response: { 200: EpisodeWithHistorySchema, ...problems },
      },
    },
    async (request, reply) => {
      const state = await custody.viewEpisode(request.params.episodeId, actorOf(request), 'api')
      return reply.header('etag', state.episode.etag).send(withHistory(state))
    },
  )

  api.patch(
    custodyRoutes.apiEpisode,
    {
      config: { access: custodyRecorderRoles },
      schema: {
        tags,
        summary: 'Change a custody episode: record the release, a recall or new details (JSON merge patch; If-Match)',
        params: EpisodeParamsSchema,
        headers: IfMatchHeadersSchema,
        body: EpisodePatchSchema,
        response: {
          200: EpisodeWithHistorySchema,
          412: ProblemSchema,
          422: ProblemSchema,
          428: ProblemSchema,
          ...problems,
        },
      },
    },
    async (request, reply) => {
      const expected = versionFromIfMatch(request.headers['if-match'], 'GET of this custody episode, like W/"1"')
      const result = await custody.updateEpisode(
        request.params.episodeId,
        expected,
        (current) => applyPatch(current, request.body),
        actorOf(request),
        'api',
      )
      if (!result.ok) {
        throw new PreconditionFailedError(
          'This custody episode was changed since your ETag was issued. GET it again, then make your change.',
        )
      }
      return reply.header('etag', result.state.episode.etag).send(withHistory(result.state))
    },
  )
}
