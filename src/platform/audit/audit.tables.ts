import type { ColumnType, Generated, Selectable } from 'kysely'
import type { Timestamp } from '../db/schema.ts'

export interface AuditEventTable {
  id: Generated<number>
  occurred_at: Timestamp
  actor_id: string | null
  actor_role: string | null
  action: string
  entity_type: string
  entity_id: string | null
  person_id: string | null
  site_id: string | null
  request_id: string | null
  details: ColumnType<Record<string, unknown>, string, never>
  prev_hash: string
  hash: string
}

export type AuditEventRow = Selectable<AuditEventTable>

declare module '../db/schema.ts' {
  interface DB {
    audit_event: AuditEventTable
  }
}
