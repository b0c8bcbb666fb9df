import type { FastifyInstance } from 'fastify'
import type { FeatureDeps } from '../index.ts'
import { registerSummaryApi } from './summary.api.ts'
import { registerSummaryPages } from './summary.pages.ts'
import { createSummaryService } from './summary.service.ts'

/** The non-clinical health summary for probation: page /people/{id}/summary, JSON at /api/v1/people/{id}/summary. */
export function registerSummary(app: FastifyInstance, deps: FeatureDeps): void {
  const summary = createSummaryService({ db: deps.database.db, clock: deps.clock, audit: deps.audit })
  registerSummaryPages(app, { summary })
  registerSummaryApi(app, { summary })
}
