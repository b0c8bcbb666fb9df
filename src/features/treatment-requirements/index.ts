/** Treatment requirements (MHTR, DRR, ATR) from proposal to completion, linked to the treatment referral. */
import type { FastifyPluginAsync } from 'fastify'
import type { Feature, WebOptions } from '../../platform/feature.ts'
import * as treatmentRequirements from './migrations/0014-treatment-requirements.ts'
import { registerTreatmentRequirementsApi } from './treatment-requirements.api.ts'
import { registerTreatmentRequirementsPages } from './treatment-requirements.pages.ts'
import type { TreatmentRequirementsService } from './treatment-requirements.service.ts'

export {
  createTreatmentRequirementsService,
  eighteenthBirthday,
  type TreatmentRequirementsService,
} from './treatment-requirements.service.ts'
export { treatmentRequirementPaths } from './treatment-requirements.paths.ts'
export { matchingNeed } from './treatment-requirements.messages.ts'
export { checkTransition } from './treatment-requirements.transitions.ts'
export type { TreatmentRequirementStatus } from './treatment-requirements.tables.ts'

export interface TreatmentRequirementsPluginOptions {
  services: { treatmentRequirements: TreatmentRequirementsService }
  web: WebOptions
}

/** Pages under /people/{id}/treatment-requirements and /treatment-requirements; JSON under /api/v1. */
const plugin: FastifyPluginAsync<TreatmentRequirementsPluginOptions> = async (app, { services, web }) => {
  registerTreatmentRequirementsPages(app, {
    requirements: services.treatmentRequirements,
    flashCookie: web.flashCookie,
  })
  await app.register(async (scope) => {
    registerTreatmentRequirementsApi(scope, { requirements: services.treatmentRequirements })
  })
}

export const treatmentRequirementsFeature: Feature<TreatmentRequirementsPluginOptions> = {
  name: 'treatment-requirements',
  migrations: [treatmentRequirements],
  plugin,
}
