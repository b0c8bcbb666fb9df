/** Every link to the custody pages and API is built here, so URLs change in one place. */
import { personApiPath, personPath } from '../../platform/person-paths.ts'

const episode = (id: string) => `/custody-episodes/${encodeURIComponent(id)}`

export const custodyPaths = {
  person: (personId: string) => personPath(personId),
  episodes: (personId: string) => personPath(personId, 'custody'),
  newEpisode: (personId: string) => personPath(personId, 'custody', 'new'),
  episode,
  editEpisode: (id: string) => `${episode(id)}/edit`,
  api: {
    episodes: (personId: string) => personApiPath(personId, 'custody-episodes'),
    episode: (id: string) => `/api/v1${episode(id)}`,
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
} as const
