/** Every link to the GP registration pages and API is built here, so URLs change in one place. */

const person = (id: string) => `/people/${encodeURIComponent(id)}`

export const gpRegistrationPaths = {
  person,
  registration: (personId: string) => `${person(personId)}/gp-registration`,
  update: (personId: string) => `${person(personId)}/gp-registration/update`,
  api: {
    registration: (personId: string) => `/api/v1/people/${encodeURIComponent(personId)}/gp-registration`,
  },
} as const

/** Route patterns for Fastify, kept beside the link builders they mirror. */
export const gpRegistrationRoutes = {
  registration: '/people/:id/gp-registration',
  update: '/people/:id/gp-registration/update',
  apiRegistration: '/api/v1/people/:id/gp-registration',
} as const
