import type { FastifyInstance } from 'fastify'
import type { FeatureDeps } from '../index.ts'
import { screeningDueForSite } from '../screening/screening.worklist.ts'
import { registerWorklistApi } from './worklist.api.ts'
import { registerWorklistPages } from './worklist.pages.ts'
import { createWorklistService } from './worklist.service.ts'

/**
 * The worklist: the page /worklist, JSON at /api/v1/worklist, and marking a follow-up done. The screening section
 * comes from the screening feature's `screeningDueForSite` (passed in, so tests may give their own source).
 */
export async function registerWorklist(app: FastifyInstance, deps: FeatureDeps): Promise<void> {
  const worklist = createWorklistService({
    db: deps.database.db,
    clock: deps.clock,
    audit: deps.audit,
    sites: deps.sites,
    screeningDue: screeningDueForSite,
  })
  registerWorklistPages(app, { worklist, flashCookie: deps.cookieNames.flash })
  await app.register(async (scope) => {
    registerWorklistApi(scope, { worklist })
  })
}
