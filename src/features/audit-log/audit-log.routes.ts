import type { FastifyInstance } from 'fastify'
import type { FeatureDeps } from '../index.ts'
import { registerAuditApi } from './audit-log.api.ts'
import { registerAuditPages } from './audit-log.pages.ts'
import { createAuditLogService } from './audit-log.service.ts'

export async function registerAudit(app: FastifyInstance, deps: FeatureDeps): Promise<void> {
  const auditLog = createAuditLogService({ db: deps.database.db, audit: deps.audit })
  registerAuditPages(app, { auditLog })
  registerAuditApi(app, { auditLog })
}
