/**
 * Referrals from a confirmed need to a directory service, with a tracked lifecycle, chase dates, and partner
 * caseworkers who see and update only their organisation's referrals while the person consents.
 */
import type { FastifyPluginAsync } from 'fastify'
import type { Feature, WebOptions } from '../../platform/feature.ts'
import * as referrals from './migrations/0011-referrals.ts'
import * as creatorChaseIndex from './migrations/0022-referral-creator-chase-index.ts'
import { registerReferralsApi } from './referrals.api.ts'
import { registerReferralsPages } from './referrals.pages.ts'
import type { ReferralsService } from './referrals.service.ts'

export { createReferralsService, type ReferralsService } from './referrals.service.ts'
export type { ReferralToChase } from './referrals.service.ts'
export type { OpenReferral, PersonReferralEvent } from './referrals.read-model.ts'
export { referralPaths } from './referrals.paths.ts'
export { referralStatuses, type ReferralStatus, type ReferralUrgency } from './referrals.tables.ts'
export {
  applyTransition,
  defaultChaseOn,
  isFinal,
  partnerRecordable,
  type ReferralFacts,
} from './referrals.lifecycle.ts'
export { suggestedKinds } from './referrals.messages.ts'
export { statusText as referralStatusText } from './referrals.lifecycle.ts'

export interface ReferralsPluginOptions {
  services: { referrals: ReferralsService }
  web: WebOptions
}

/** Pages under /people/{id}/referrals and /referrals; JSON under /api/v1/people/{id}/referrals and /api/v1/referrals. */
const plugin: FastifyPluginAsync<ReferralsPluginOptions> = async (app, { services, web }) => {
  registerReferralsPages(app, { referrals: services.referrals, flashCookie: web.flashCookie, now: web.now })
  await app.register(async (scope) => {
    registerReferralsApi(scope, { referrals: services.referrals })
  })
}

export const referralsFeature: Feature<ReferralsPluginOptions> = { name: 'referrals', migrations: [referrals, creatorChaseIndex], plugin }
