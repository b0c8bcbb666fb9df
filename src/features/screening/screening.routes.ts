import type { FastifyInstance } from 'fastify'
import type { FeatureDeps } from '../index.ts'
import { registerScreeningApi } from './screening.api.ts'
import { registerScreeningPages } from './screening.pages.ts'
import { createScreeningService } from './screening.service.ts'

/** Screening per NHS programme: pages under /people/{id}/screening, JSON under /api/v1 (clinical roles only). */
export async function registerScreening(app: FastifyInstance, deps: FeatureDeps): Promise<void> {
  const screening = createScreeningService({ db: deps.database.db, clock: deps.clock, audit: deps.audit })
  registerScreeningPages(app, { screening, flashCookie: deps.cookieNames.flash })
  await app.register(async (scope) => {
    registerScreeningApi(scope, { screening })
  })
}
