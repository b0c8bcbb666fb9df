/** Every link to the health summary page and API is built here, so URLs change in one place. */

const person = (id: string) => `/people/${encodeURIComponent(id)}`

export const summaryPaths = {
  person,
  summary: (personId: string) => `${person(personId)}/summary`,
  consent: (personId: string) => `${person(personId)}/consent`,
  api: {
    summary: (personId: string) => `/api/v1/people/${encodeURIComponent(personId)}/summary`,
  },
} as const

/** Route patterns for Fastify, kept beside the link builders they mirror. */
export const summaryRoutes = {
  summary: '/people/:id/summary',
  apiSummary: '/api/v1/people/:id/summary',
} as const
