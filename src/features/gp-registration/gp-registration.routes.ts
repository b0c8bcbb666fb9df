import type { FastifyInstance } from 'fastify'
import type { FeatureDeps } from '../index.ts'
import { createServicesService } from '../services/services.service.ts'
import { registerGpRegistrationApi } from './gp-registration.api.ts'
import { registerGpRegistrationPages } from './gp-registration.pages.ts'
import { createGpRegistrationService } from './gp-registration.service.ts'

/** A person's GP registration: pages under /people/{id}/gp-registration, JSON at /api/v1/people/{id}/gp-registration. */
export async function registerGpRegistration(app: FastifyInstance, deps: FeatureDeps): Promise<void> {
  const gpRegistration = createGpRegistrationService({
    db: deps.database.db,
    clock: deps.clock,
    audit: deps.audit,
    services: createServicesService({ db: deps.database.db, clock: deps.clock, audit: deps.audit, sites: deps.sites }),
  })
  registerGpRegistrationPages(app, { gpRegistration, flashCookie: deps.cookieNames.flash })
  await app.register(async (scope) => {
    registerGpRegistrationApi(scope, { gpRegistration })
  })
}
