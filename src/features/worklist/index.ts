/**
 * The worklist: the first page each morning (warning flags awaiting a response, proposed needs, missed-appointment
 * follow-ups, referrals to chase, GP registrations in progress, screening due). It reads other features' tables
 * through its named read model only.
 */
import type { FastifyPluginAsync } from 'fastify'
import type { Feature, WebOptions } from '../../platform/feature.ts'
import { registerWorklistApi } from './worklist.api.ts'
import { registerWorklistPages } from './worklist.pages.ts'
import type { WorklistService } from './worklist.service.ts'

export { createWorklistService, type WorklistService } from './worklist.service.ts'

export interface WorklistPluginOptions {
  services: { worklist: WorklistService }
  web: WebOptions
}

/** The page /worklist, JSON at /api/v1/worklist, and marking a follow-up done. */
const plugin: FastifyPluginAsync<WorklistPluginOptions> = async (app, { services, web }) => {
  registerWorklistPages(app, { worklist: services.worklist, flashCookie: web.flashCookie })
  await app.register(async (scope) => {
    registerWorklistApi(scope, { worklist: services.worklist })
  })
}

export const worklistFeature: Feature<WorklistPluginOptions> = { name: 'worklist', migrations: [], plugin }
