/** Every link to the treatment requirement pages and API is built here, so URLs change in one place. */

const person = (id: string) => `/people/${encodeURIComponent(id)}`

export const treatmentRequirementPaths = {
  person,
  personRequirements: (personId: string) => `${person(personId)}/treatment-requirements`,
  propose: (personId: string) => `${person(personId)}/treatment-requirements/new`,
  requirement: (id: string) => `/treatment-requirements/${encodeURIComponent(id)}`,
  api: {
    personRequirements: (personId: string) => `/api/v1/people/${encodeURIComponent(personId)}/treatment-requirements`,
    requirement: (id: string) => `/api/v1/treatment-requirements/${encodeURIComponent(id)}`,
    transitions: (id: string) => `/api/v1/treatment-requirements/${encodeURIComponent(id)}/transitions`,
  },
} as const

/** Route patterns for Fastify, kept beside the link builders they mirror. */
export const treatmentRequirementRoutes = {
  personRequirements: '/people/:id/treatment-requirements',
  propose: '/people/:id/treatment-requirements/new',
  requirement: '/treatment-requirements/:id',
  apiPersonRequirements: '/api/v1/people/:id/treatment-requirements',
  apiRequirement: '/api/v1/treatment-requirements/:id',
  apiTransitions: '/api/v1/treatment-requirements/:id/transitions',
} as const
