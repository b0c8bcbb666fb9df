/** Every link to the needs pages and API is built here, so URLs change in one place. */
import { personApiPath, personPath } from '../../platform/person-paths.ts'

const id = (value: string) => encodeURIComponent(value)

export const needPaths = {
  need: (needId: string) => `/needs/${id(needId)}`,
  personNeeds: (personId: string) => personPath(personId, 'needs'),
  newNeed: (personId: string) => personPath(personId, 'needs', 'new'),
  person: (personId: string) => personPath(personId),
  api: {
    personNeeds: (personId: string) => personApiPath(personId, 'needs'),
    needDecision: (needId: string) => `/api/v1/needs/${id(needId)}/decision`,
  },
} as const

/** Route patterns for Fastify, kept beside the link builders they mirror. */
export const needRoutes = {
  need: '/needs/:id',
  personNeeds: '/people/:id/needs',
  newNeed: '/people/:id/needs/new',
  apiPersonNeeds: '/api/v1/people/:id/needs',
  apiNeedDecision: '/api/v1/needs/:id/decision',
} as const
