import type { FastifyInstance } from 'fastify'
import type { FeatureDeps } from '../index.ts'
import { registerAuditApi } from './audit.api.ts'
import { registerAuditPages } from './audit.pages.ts'

export async function registerAudit(app: FastifyInstance, deps: FeatureDeps): Promise<void> {
  registerAuditPages(app, { audit: deps.audit })
  registerAuditApi(app, { audit: deps.audit })
}
