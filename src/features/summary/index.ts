/** The non-clinical health summary for probation, shown only while the person consents. */
import type { FastifyPluginAsync } from 'fastify'
import type { Feature } from '../../platform/feature.ts'
import { registerSummaryApi } from './summary.api.ts'
import { registerSummaryPages } from './summary.pages.ts'
import type { SummaryService } from './summary.service.ts'

export { createSummaryService, type SummaryService } from './summary.service.ts'
export { summaryPaths } from './summary.paths.ts'

export interface SummaryPluginOptions {
  services: { summary: SummaryService }
}

/** The page /people/{id}/summary and JSON at /api/v1/people/{id}/summary. */
const plugin: FastifyPluginAsync<SummaryPluginOptions> = async (app, { services }) => {
  registerSummaryPages(app, { summary: services.summary })
  registerSummaryApi(app, { summary: services.summary })
}

export const summaryFeature: Feature<SummaryPluginOptions> = { name: 'summary', migrations: [], plugin }
