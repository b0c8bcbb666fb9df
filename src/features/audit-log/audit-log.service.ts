import type { Kysely } from 'kysely'
import type { AuditService, VerifyResult } from '../../platform/audit/audit.service.ts'
import type { DB } from '../../platform/db/schema.ts'
import type { ActorContext } from '../../platform/http/auth.ts'
import { listAuditEvents, type AuditEvent, type AuditFilter } from './audit-log.read-model.ts'

export type AuditLogService = ReturnType<typeof createAuditLogService>

/** What auditors do with the audit log: read it (which is itself audited) and check its integrity. */
export function createAuditLogService(deps: { db: Kysely<DB>; audit: AuditService }) {
  const { db, audit } = deps

  /** Events newest first. Reading the log is audited: which filters were used, never their values. */
  async function listEvents(
    filter: AuditFilter,
    actor: ActorContext,
    filtersUsed: readonly string[],
  ): Promise<AuditEvent[]> {
    const events = await listAuditEvents(db, filter)
    await audit.recordAlone(actor, { action: 'view', entityType: 'audit_log', details: { filters: filtersUsed } })
    return events
  }

  async function verify(actor: ActorContext): Promise<VerifyResult> {
    const result = await audit.verify()
    await audit.recordAlone(actor, { action: 'view', entityType: 'audit_log', details: { filters: [], verify: true } })
    return result
  }

  return { listEvents, verify }
}
