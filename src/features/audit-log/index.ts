/**
 * The audit log: the auditors' view of who read or changed which record (with a search for the person they are
 * looking into) and its integrity check; and, for a person's clinicians, "Who has viewed this record".
 */
import type { FastifyPluginAsync } from 'fastify'
import type { Feature, WebOptions } from '../../platform/feature.ts'
import { registerAuditApi } from './audit-log.api.ts'
import { registerAuditPages } from './audit-log.pages.ts'
import type { AuditLogService } from './audit-log.service.ts'

export { createAuditLogService, type AuditLogService } from './audit-log.service.ts'
export { auditPaths } from './audit-log.paths.ts'

export interface AuditLogPluginOptions {
  services: { auditLog: AuditLogService }
  web: WebOptions
}

/**
 * The pages /audit and /audit/verify, and JSON at /api/v1/audit, for auditors; /people/{id}/views for the person's
 * clinicians.
 */
const plugin: FastifyPluginAsync<AuditLogPluginOptions> = async (app, { services, web }) => {
  registerAuditPages(app, { auditLog: services.auditLog, now: web.now })
  registerAuditApi(app, { auditLog: services.auditLog })
}

export const auditLogFeature: Feature<AuditLogPluginOptions> = { name: 'audit-log', migrations: [], plugin }
