/** The auditors' view of the audit log: who read or changed which record, and its integrity check. */
import type { FastifyPluginAsync } from 'fastify'
import type { Feature } from '../../platform/feature.ts'
import { registerAuditApi } from './audit-log.api.ts'
import { registerAuditPages } from './audit-log.pages.ts'
import type { AuditLogService } from './audit-log.service.ts'

export { createAuditLogService, type AuditLogService } from './audit-log.service.ts'

export interface AuditLogPluginOptions {
  services: { auditLog: AuditLogService }
}

/** The pages /audit and /audit/verify, and JSON at /api/v1/audit. Auditors only. */
const plugin: FastifyPluginAsync<AuditLogPluginOptions> = async (app, { services }) => {
  registerAuditPages(app, { auditLog: services.auditLog })
  registerAuditApi(app, { auditLog: services.auditLog })
}

export const auditLogFeature: Feature<AuditLogPluginOptions> = { name: 'audit-log', migrations: [], plugin }
