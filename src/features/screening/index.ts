/** Cancer screening per NHS programme: eligibility, status, next due date, and events with "entered in error". */
import type { FastifyPluginAsync } from 'fastify'
import type { Feature, WebOptions } from '../../platform/feature.ts'
import * as screening from './migrations/0012-screening.ts'
import { registerScreeningApi } from './screening.api.ts'
import { registerScreeningPages } from './screening.pages.ts'
import type { ScreeningService } from './screening.service.ts'

export { createScreeningService, type ScreeningService } from './screening.service.ts'
export { screeningPaths } from './screening.paths.ts'
export { screeningDueForSite } from './screening.worklist.ts'
export {
  ageOn,
  assessScreening,
  type ProgrammeAssessment,
  type ScreeningEvent,
  type ScreeningInput,
} from './screening.eligibility.ts'

export interface ScreeningPluginOptions {
  services: { screening: ScreeningService }
  web: WebOptions
}

/** Pages under /people/{id}/screening; JSON under /api/v1/people/{id}/screening and /api/v1/screening-events. */
const plugin: FastifyPluginAsync<ScreeningPluginOptions> = async (app, { services, web }) => {
  registerScreeningPages(app, { screening: services.screening, flashCookie: web.flashCookie })
  await app.register(async (scope) => {
    registerScreeningApi(scope, { screening: services.screening })
  })
}

export const screeningFeature: Feature<ScreeningPluginOptions> = { name: 'screening', migrations: [screening], plugin }
