import type { FastifyInstance } from 'fastify'
import type { FeatureDeps } from '../index.ts'
import { registerServicesApi } from './services.api.ts'
import { registerServicesPages } from './services.pages.ts'
import { createServicesService } from './services.service.ts'

/** The local service directory: pages under /services, JSON at /api/v1/services. */
export async function registerServices(app: FastifyInstance, deps: FeatureDeps): Promise<void> {
  const services = createServicesService({
    db: deps.database.db,
    clock: deps.clock,
    audit: deps.audit,
    sites: deps.sites,
  })
  registerServicesPages(app, { services, flashCookie: deps.cookieNames.flash })
  await app.register(async (scope) => {
    registerServicesApi(scope, { services })
  })
}
