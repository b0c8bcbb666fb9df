/** GP registration history (no fixed abode is never a reason to refuse). */
import type { FastifyPluginAsync } from 'fastify'
import type { Feature, WebOptions } from '../../platform/feature.ts'
import { registerGpRegistrationApi } from './gp-registration.api.ts'
import { registerGpRegistrationPages } from './gp-registration.pages.ts'
import type { GpRegistrationService } from './gp-registration.service.ts'
import * as worklistIndexes from './migrations/0016-worklist-indexes.ts'
import * as superseded from './migrations/0020-gp-registration-superseded.ts'

export { createGpRegistrationService, type GpRegistrationService } from './gp-registration.service.ts'
export { gpRegistrationPaths } from './gp-registration.paths.ts'
export {
  gpRegistrationStatuses,
  type GpRegistrationStatus,
  type GpRegistrationTable,
} from './gp-registration.tables.ts'

export interface GpRegistrationPluginOptions {
  services: { gpRegistration: GpRegistrationService }
  web: WebOptions
}

/** Pages under /people/{id}/gp-registration; JSON at /api/v1/people/{id}/gp-registration. */
const plugin: FastifyPluginAsync<GpRegistrationPluginOptions> = async (app, { services, web }) => {
  registerGpRegistrationPages(app, { gpRegistration: services.gpRegistration, flashCookie: web.flashCookie })
  await app.register(async (scope) => {
    registerGpRegistrationApi(scope, { gpRegistration: services.gpRegistration })
  })
}

export const gpRegistrationFeature: Feature<GpRegistrationPluginOptions> = {
  name: 'gp-registration',
  migrations: [worklistIndexes, superseded],
  plugin,
}
