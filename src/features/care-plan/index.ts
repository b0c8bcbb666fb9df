/**
 * A care plan made with the person: goals in their own words, actions (who does what by when), reviews, their
 * agreement, all with history; and "My health plan", the plain-words copy printed for them to keep.
 */
import type { FastifyPluginAsync } from 'fastify'
import type { Feature, WebOptions } from '../../platform/feature.ts'
import * as carePlans from './migrations/0026-care-plans.ts'
import { registerCarePlanApi } from './care-plan.api.ts'
import { registerCarePlanPages } from './care-plan.pages.ts'
import type { CarePlanService } from './care-plan.service.ts'

export { createCarePlanService, type CarePlanService } from './care-plan.service.ts'
export { carePlanPaths } from './care-plan.paths.ts'

export interface CarePlanPluginOptions {
  services: { carePlan: CarePlanService }
  web: WebOptions
}

/** Pages under /people/{id}/care-plan; JSON under /api/v1/people/{id}/care-plan. */
const plugin: FastifyPluginAsync<CarePlanPluginOptions> = async (app, { services, web }) => {
  registerCarePlanPages(app, { carePlan: services.carePlan, flashCookie: web.flashCookie })
  await app.register(async (scope) => {
    registerCarePlanApi(scope, { carePlan: services.carePlan })
  })
}

export const carePlanFeature: Feature<CarePlanPluginOptions> = {
  name: 'care-plan',
  migrations: [carePlans],
  plugin,
}
