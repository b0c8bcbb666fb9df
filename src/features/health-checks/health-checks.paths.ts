/** Every link to the health check pages and API is built here, so URLs change in one place. */
import { personApiPath, personPath } from '../../platform/person-paths.ts'

const id = (value: string) => encodeURIComponent(value)

export const healthCheckPaths = {
  personChecks: (personId: string) => personPath(personId, 'health-checks'),
  start: (personId: string) => personPath(personId, 'health-checks', 'new'),
  check: (checkId: string) => `/health-checks/${id(checkId)}`,
  section: (checkId: string, instrumentCode: string) => `/health-checks/${id(checkId)}/sections/${id(instrumentCode)}`,
  observations: (checkId: string) => `/health-checks/${id(checkId)}/observations`,
  summary: (checkId: string) => `/health-checks/${id(checkId)}/summary`,
  complete: (checkId: string) => `/health-checks/${id(checkId)}/complete`,
  respondToFlag: (flagId: string) => `/warning-flags/${id(flagId)}/respond`,
  person: (personId: string) => personPath(personId),
  api: {
    personChecks: (personId: string) => personApiPath(personId, 'health-checks'),
    personFlags: (personId: string) => personApiPath(personId, 'warning-flags'),
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
  respondToFlag: '/warning-flags/:id/respond',
  apiPersonChecks: '/api/v1/people/:id/health-checks',
  apiPersonFlags: '/api/v1/people/:id/warning-flags',
  apiFlagResponse: '/api/v1/warning-flags/:id/response',
} as const
