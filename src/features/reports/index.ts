/**
 * Reports on the pilot's measures, every figure through the disclosure control module. So far: continuity of care
 * after release from prison.
 */
import type { FastifyPluginAsync } from 'fastify'
import type { Feature } from '../../platform/feature.ts'
import { registerReportsApi } from './reports.api.ts'
import { registerReportsPages } from './reports.pages.ts'
import type { ReportsService } from './reports.service.ts'

export { createReportsService, type ReportsService } from './reports.service.ts'
export { reportsPaths } from './reports.paths.ts'

export interface ReportsPluginOptions {
  services: { reports: ReportsService }
}

/** Pages under /reports; JSON under /api/v1/reports. */
const plugin: FastifyPluginAsync<ReportsPluginOptions> = async (app, { services }) => {
  registerReportsPages(app, { reports: services.reports })
  await app.register(async (scope) => {
    registerReportsApi(scope, { reports: services.reports })
  })
}

export const reportsFeature: Feature<ReportsPluginOptions> = {
  name: 'reports',
  migrations: [],
  plugin,
}
