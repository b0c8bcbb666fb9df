import type { FastifyInstance } from 'fastify'
import type { FeatureDeps } from '../index.ts'
import { registerConsentApi } from './consent.api.ts'
import { registerConsentPages } from './consent.pages.ts'
import { createConsentService } from './consent.service.ts'

/** A person's consent decisions: pages under /people/{id}/consent, JSON at /api/v1/people/{id}/consent. */
export async function registerConsent(app: FastifyInstance, deps: FeatureDeps): Promise<void> {
  const consent = createConsentService({ db: deps.database.db, clock: deps.clock, audit: deps.audit })
  registerConsentPages(app, { consent, flashCookie: deps.cookieNames.flash })
  // In its own scope so its error handler (field names like decisions[0].topic) applies to these routes only.
  await app.register(async (scope) => {
    registerConsentApi(scope, { consent })
  })
}
