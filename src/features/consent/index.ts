/**
 * The person's consent decisions, with history and withdrawal. Other features ask the consent service, inside
 * their own transaction, whether the person agrees (`allows`, `currentConsent`), so a withdrawal applies at once.
 */
import type { FastifyPluginAsync } from 'fastify'
import type { Feature, WebOptions } from '../../platform/feature.ts'
import { registerConsentApi } from './consent.api.ts'
import { registerConsentPages } from './consent.pages.ts'
import type { ConsentService } from './consent.service.ts'
import * as consent from './migrations/0007-consent.ts'

export { createConsentService, type ConsentService, type CurrentConsent } from './consent.service.ts'
export { consentPaths } from './consent.paths.ts'
export { PARTNER_TOPIC, type ConsentTopic } from './consent.messages.ts'

export interface ConsentPluginOptions {
  services: { consent: ConsentService }
  web: WebOptions
}

/** Pages under /people/{id}/consent; JSON at /api/v1/people/{id}/consent. */
const plugin: FastifyPluginAsync<ConsentPluginOptions> = async (app, { services, web }) => {
  registerConsentPages(app, { consent: services.consent, flashCookie: web.flashCookie })
  // In a scope of its own so its error handler (field names like decisions[0].topic) applies to the API only.
  await app.register(async (scope) => {
    registerConsentApi(scope, { consent: services.consent })
  })
}

export const consentFeature: Feature<ConsentPluginOptions> = { name: 'consent', migrations: [consent], plugin }
