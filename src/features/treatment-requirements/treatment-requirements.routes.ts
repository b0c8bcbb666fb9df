import type { FastifyInstance } from 'fastify'
import type { FeatureDeps } from '../index.ts'
import { registerTreatmentRequirementsApi } from './treatment-requirements.api.ts'
import { registerTreatmentRequirementsPages } from './treatment-requirements.pages.ts'
import { createTreatmentRequirementsService } from './treatment-requirements.service.ts'

/**
 * Treatment requirements (MHTR, DRR, ATR): pages under /people/{id}/treatment-requirements and
 * /treatment-requirements/{id}, JSON under /api/v1.
 */
export async function registerTreatmentRequirements(app: FastifyInstance, deps: FeatureDeps): Promise<void> {
  const requirements = createTreatmentRequirementsService({
    db: deps.database.db,
    clock: deps.clock,
    audit: deps.audit,
  })
  registerTreatmentRequirementsPages(app, { requirements, flashCookie: deps.cookieNames.flash })
  await app.register(async (scope) => {
    registerTreatmentRequirementsApi(scope, { requirements })
  })
}
