/**
 * The structured health check: brief screens, full instruments, observations and same-day warning flags. On
 * completion its rules propose needs, which the needs feature keeps.
 */
import type { FastifyPluginAsync } from 'fastify'
import type { Feature, WebOptions } from '../../platform/feature.ts'
import type { AppointmentsService } from '../appointments/index.ts'
import { registerHealthChecksApi } from './health-checks.api.ts'
import { registerHealthCheckPages } from './health-checks.pages.ts'
import type { HealthChecksService } from './health-checks.service.ts'
import * as healthChecks from './migrations/0008-health-checks.ts'
import * as clinicianIndex from './migrations/0021-health-check-clinician-index.ts'

export { createHealthChecksService, type HealthChecksService } from './health-checks.service.ts'
export type { AppointmentLookup, HealthCheck, StoredResult, WarningFlag } from './health-checks.service.ts'
export { healthCheckPaths } from './health-checks.paths.ts'
export { checkLinks, checkSummaryRenderer } from './health-checks.pages.ts'
export { flagView } from './health-checks.view-models.ts'
export {
  bmiOf,
  checkObservations,
  endOfUkDay,
  OBSERVATIONS_FLAG_SOURCE,
  observationWarningSigns,
  proposeNeeds,
  type Observations,
  type ResultForRules,
} from './health-checks.rules.ts'
export type { ObservationStatus, SmokingStatus } from './health-checks.tables.ts'
export type { FlagResource } from './health-checks.schemas.ts'

export interface HealthChecksPluginOptions {
  services: { healthChecks: HealthChecksService; appointments: AppointmentsService }
  web: WebOptions
}

/**
 * Pages under /people/{id}/health-checks, /health-checks and /warning-flags; JSON under
 * /api/v1/people/{id}/health-checks and /warning-flags, and /api/v1/warning-flags/{id}/response.
 */
const plugin: FastifyPluginAsync<HealthChecksPluginOptions> = async (app, { services, web }) => {
  registerHealthCheckPages(app, {
    healthChecks: services.healthChecks,
    appointments: services.appointments,
    flashCookie: web.flashCookie,
    now: web.now,
  })
  registerHealthChecksApi(app, { healthChecks: services.healthChecks, now: web.now })
}

export const healthChecksFeature: Feature<HealthChecksPluginOptions> = {
  name: 'health-checks',
  migrations: [healthChecks, clinicianIndex],
  plugin,
}
