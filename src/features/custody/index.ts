/**
 * Custody and release: a person's custody episodes (prison, prison number, expected and actual release, release
 * type, address on release, recall), with history, and the RECONNECT window worked out from the release; and each
 * episode's release plan: what must be in place around the day of release, who owns it, and whether it is.
 */
import type { FastifyPluginAsync } from 'fastify'
import type { Feature, WebOptions } from '../../platform/feature.ts'
import * as custodyEpisodes from './migrations/0027-custody-episodes.ts'
import * as releasePlans from './migrations/0029-release-plans.ts'
import * as custodyEpisodeSite from './migrations/0030-custody-episode-site.ts'
import { registerReleasePlanApi } from './release-plan.api.ts'
import { registerReleasePlanPages } from './release-plan.pages.ts'
import type { ReleasePlanService } from './release-plan.service.ts'
import { registerCustodyApi } from './custody.api.ts'
import { registerCustodyPages } from './custody.pages.ts'
import type { CustodyService } from './custody.service.ts'

export { createCustodyService, type CustodyService } from './custody.service.ts'
export { createReleasePlanService, type ReleasePlanService } from './release-plan.service.ts'
export { planItemKinds, type PlanItemKind } from './release-plan.tables.ts'
export { itemDefinitions } from './release-plan.rules.ts'
export { custodyPaths } from './custody.paths.ts'
export { releaseWindow, type ReleaseWindow } from './custody.window.ts'
export { continuityCohort, type ContinuityRow } from './custody.continuity.read-model.ts'
export {
  custodyWork,
  custodyWorkKinds,
  type CustodyWorkItem,
  type CustodyWorkKind,
  type CustodyWorkSource,
} from './custody.worklist.ts'

export interface CustodyPluginOptions {
  services: { custody: CustodyService; releasePlans: ReleasePlanService }
  web: WebOptions
}

/** Pages under /people/{id}/custody and /custody-episodes; JSON under /api/v1/…/custody-episodes. */
const plugin: FastifyPluginAsync<CustodyPluginOptions> = async (app, { services, web }) => {
  registerCustodyPages(app, { custody: services.custody, flashCookie: web.flashCookie })
  registerReleasePlanPages(app, { releasePlans: services.releasePlans, flashCookie: web.flashCookie })
  await app.register(async (scope) => {
    // The merge-patch content type is understood by this feature's API only.
    scope.addContentTypeParser(
      'application/merge-patch+json',
      { parseAs: 'string' },
      scope.getDefaultJsonParser('error', 'error'),
    )
    registerCustodyApi(scope, { custody: services.custody })
    registerReleasePlanApi(scope, { releasePlans: services.releasePlans })
  })
}

export const custodyFeature: Feature<CustodyPluginOptions> = {
  name: 'custody',
  migrations: [custodyEpisodes, releasePlans, custodyEpisodeSite],
  plugin,
}
