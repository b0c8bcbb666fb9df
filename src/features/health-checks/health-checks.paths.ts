/** Every link to the health check pages and API is built here, so URLs change in one place. */

const id = (value: string) => encodeURIComponent(value)

export const healthCheckPaths = {
  personChecks: (personId: string) => `/people/${id(personId)}/health-checks`,
  start: (personId: string) => `/people/${id(personId)}/health-checks/new`,
  check: (checkId: string) => `/health-checks/${id(checkId)}`,
  section: (checkId: string, instrumentCode: string) => `/health-checks/${id(checkId)}/sections/${id(instrumentCode)}`,
  observations: (checkId: string) => `/health-checks/${id(checkId)}/observations`,
  summary: (checkId: string) => `/health-checks/${id(checkId)}/summary`,
  complete: (checkId: string) => `/health-checks/${id(checkId)}/complete`,
  need: (needId: string) => `/needs/${id(needId)}`,
  respondToFlag: (flagId: string) => `/warning-flags/${id(flagId)}/respond`,
  timeline: (personId: string, query?: URLSearchParams) => {
    const search = query?.toString() ?? ''
    return `/people/${id(personId)}/timeline${search === '' ? '' : `?${search}`}`
  },
  personNeeds: (personId: string) => `/people/${id(personId)}/needs`,
  newNeed: (personId: string) => `/people/${id(personId)}/needs/new`,
  person: (personId: string) => `/people/${id(personId)}`,
  api: {
    personChecks: (personId: string) => `/api/v1/people/${id(personId)}/health-checks`,
    personNeeds: (personId: string) => `/api/v1/people/${id(personId)}/needs`,
    needDecision: (needId: string) => `/api/v1/needs/${id(needId)}/decision`,
    personFlags: (personId: string) => `/api/v1/people/${id(personId)}/warning-flags`,
    flagResponse: (flagId: string) => `/api/v1/warning-flags/${id(flagId)}/response`,
  },
} as const

/** Route patterns for Fastify, kept beside the link builders they mirror. */
export const healthCheckRoutes = {
  personChecks: '/people/:id/health-checks',
  start: '/people/:id/health-checks/new',
  check: '/health-checks/:id',
  section: '/health-checks/:id/sections/:code',
  observations: '/health-checks/:id/observations',
  summary: '/health-checks/:id/summary',
  complete: '/health-checks/:id/complete',
  need: '/needs/:id',
  respondToFlag: '/warning-flags/:id/respond',
  timeline: '/people/:id/timeline',
  personNeeds: '/people/:id/needs',
  newNeed: '/people/:id/needs/new',
  apiPersonChecks: '/api/v1/people/:id/health-checks',
  apiPersonNeeds: '/api/v1/people/:id/needs',
  apiNeedDecision: '/api/v1/needs/:id/decision',
  apiPersonFlags: '/api/v1/people/:id/warning-flags',
  apiFlagResponse: '/api/v1/warning-flags/:id/response',
} as const
