/**
 * The audit log as the auditor's pages and API read it: events newest first, filtered, with the acting staff
 * member's name and email. A read model: it reads the platform's `audit_event` table and the staff feature's
 * `staff_user` table (for names), read-only.
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import type { AuditEventRow } from '../../platform/audit/audit.tables.ts'

export interface AuditEvent {
  id: number
  occurredAt: Date
  actorId: string | null
  actorRole: string | null
  action: string
  entityType: string
  entityId: string | null
  personId: string | null
  siteId: string | null
  requestId: string | null
  details: Record<string, unknown>
  hash: string
  /** The acting staff user's name and email when they still exist (null for system and command-line events). */
  actorName: string | null
  actorEmail: string | null
}

export interface AuditFilter {
  personId?: string
  actorId?: string
  /** The acting staff user's email address (matched case-insensitively). */
  actorEmail?: string
  action?: string
  from?: Date
  to?: Date
  /** Keyset pagination: events older than this id. */
  beforeId?: number
  limit: number
}

function toEvent(row: AuditEventRow & { actor_name: string | null; actor_email: string | null }): AuditEvent {
  return {
    id: row.id,
    occurredAt: row.occurred_at,
    actorId: row.actor_id,
    actorRole: row.actor_role,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    personId: row.person_id,
    siteId: row.site_id,
    requestId: row.request_id,
    details: row.details,
    hash: row.hash,
    actorName: row.actor_name,
    actorEmail: row.actor_email,
  }
}

export async function listAuditEvents(db: Kysely<DB>, filter: AuditFilter): Promise<AuditEvent[]> {
  let query = db
    .selectFrom('audit_event')
    .leftJoin('staff_user', 'staff_user.id', 'audit_event.actor_id')
    .selectAll('audit_event')
    .select(['staff_user.display_name as actor_name', 'staff_user.email as actor_email'])
  if (filter.personId !== undefined) query = query.where('audit_event.person_id', '=', filter.personId)
  if (filter.actorId !== undefined) query = query.where('audit_event.actor_id', '=', filter.actorId)
  if (filter.actorEmail !== undefined) {
    query = query.where('staff_user.email', '=', filter.actorEmail.trim().toLowerCase())
  }
  if (filter.action !== undefined) query = query.where('audit_event.action', '=', filter.action)
  if (filter.from !== undefined) query = query.where('audit_event.occurred_at', '>=', filter.from)
  if (filter.to !== undefined) query = query.where('audit_event.occurred_at', '<', filter.to)
  if (filter.beforeId !== undefined) query = query.where('audit_event.id', '<', filter.beforeId)
  const rows = await query.orderBy('audit_event.id', 'desc').limit(filter.limit).execute()
  return rows.map(toEvent)
}
