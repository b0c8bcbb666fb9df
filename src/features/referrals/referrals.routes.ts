import type { FastifyInstance } from 'fastify'
import type { FeatureDeps } from '../index.ts'
import { createConsentService } from '../consent/consent.service.ts'
import { registerReferralsApi } from './referrals.api.ts'
import { registerReferralsPages } from './referrals.pages.ts'
import { createReferralsService } from './referrals.service.ts'

/** Referrals: pages under /people/{id}/referrals and /referrals, JSON under /api/v1/people/{id}/referrals and /api/v1/referrals. */
export async function registerReferrals(app: FastifyInstance, deps: FeatureDeps): Promise<void> {
  const referrals = createReferralsService({
    db: deps.database.db,
    clock: deps.clock,
    audit: deps.audit,
    consent: createConsentService({ db: deps.database.db, clock: deps.clock, audit: deps.audit }),
    sites: deps.sites,
  })
  registerReferralsPages(app, { referrals, flashCookie: deps.cookieNames.flash })
  await app.register(async (scope) => {
    registerReferralsApi(scope, { referrals })
  })
}
