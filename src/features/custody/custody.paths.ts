/** Every link to the custody pages and API is built here, so URLs change in one place. */
import { personApiPath, personPath } from '../../platform/person-paths.ts'

const episode = (id: string) => `/custody-episodes/${encodeURIComponent(id)}`

export const custodyPaths = {
  person: (personId: string) => personPath(personId),
  episodes: (personId: string) => personPath(personId, 'custody'),
  newEpisode: (personId: string) => personPath(personId, 'custody', 'new'),
  episode,
  editEpisode: (id: string) => `${episode(id)}/edit`,
  releasePlan: (episodeId: string) => `${episode(episodeId)}/release-plan`,
  planItem: (itemId: string) => `/release-plan-items/${encodeURIComponent(itemId)}`,
  partnerItems: () => '/release-plan-items',
  api: {
    episodes: (personId: string) => personApiPath(personId, 'custody-episodes'),
    episode: (id: string) => `/api/v1${episode(id)}`,
    releasePlan: (episodeId: string) => `/api/v1${episode(episodeId)}/release-plan`,
    planItem: (itemId: string) => `/api/v1/release-plan-items/${encodeURIComponent(itemId)}`,
  },
} as const

/** Route patterns for Fastify, kept beside the link builders they mirror. */
export const custodyRoutes = {
  episodes: '/people/:id/custody',
  newEpisode: '/people/:id/custody/new',
  episode: '/custody-episodes/:episodeId',
  editEpisode: '/custody-episodes/:episodeId/edit',
  apiEpisodes: '/api/v1/people/:id/custody-episodes',
  apiEpisode: '/api/v1/custody-episodes/:episodeId',
  releasePlan: '/custody-episodes/:episodeId/release-plan',
  planItem: '/release-plan-items/:itemId',
  partnerItems: '/release-plan-items',
  apiReleasePlan: '/api/v1/custody-episodes/:episodeId/release-plan',
  apiReleasePlanItem: '/api/v1/release-plan-items/:itemId',
} as const
