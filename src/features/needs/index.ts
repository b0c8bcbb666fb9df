/**
 * Needs: what a health check proposed or a clinician recorded, and every decision on it (confirmed, dismissed,
 * reopened), kept as history. Other features read needs through the service (referrals, treatment requirements)
 * or a named read model of their own (the worklist, the probation summary).
 */
import type { FastifyPluginAsync } from 'fastify'
import type { Feature, WebOptions } from '../../platform/feature.ts'
import * as needHistory from './migrations/0013-need-history.ts'
import { registerNeedsApi } from './needs.api.ts'
import { registerNeedPages, type CheckSummaryRenderer } from './needs.pages.ts'
import type { NeedsService } from './needs.service.ts'
import type { CheckLinks } from './needs.view-models.ts'

export { createNeedsService } from './needs.service.ts'
export type {
  Need,
  NeedDetail,
  NeedEvent,
  NeedForReferral,
  NeedInput,
  NeedsService,
  OpenReferral,
  OpenReferralsOnNeed,
  ProposedNeed,
} from './needs.service.ts'
export { needCategories, needStatuses, type NeedCategory, type NeedStatus } from './needs.tables.ts'
export { NEED_REASON_MAX, needCategoryLabels } from './needs.rules.ts'
export { needPaths } from './needs.paths.ts'
export { needView, type CheckLinks } from './needs.view-models.ts'
export type { CheckSummaryRenderer } from './needs.pages.ts'

export interface NeedsPluginOptions {
  services: { needs: NeedsService }
  web: WebOptions
  /** From the health-checks feature: links to a check summary, and the summary re-rendered with errors. */
  checks: { links: CheckLinks; summary: CheckSummaryRenderer }
}

/** Pages under /people/{id}/needs and /needs/{id}; JSON under /api/v1/people/{id}/needs and /api/v1/needs. */
const plugin: FastifyPluginAsync<NeedsPluginOptions> = async (app, { services, web, checks }) => {
  registerNeedPages(app, {
    needs: services.needs,
    flashCookie: web.flashCookie,
    checkLinks: checks.links,
    checkSummary: checks.summary,
  })
  registerNeedsApi(app, { needs: services.needs })
}

export const needsFeature: Feature<NeedsPluginOptions> = { name: 'needs', migrations: [needHistory], plugin }
