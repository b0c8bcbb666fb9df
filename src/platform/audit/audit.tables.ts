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
  /** The event's place in the hash chain, set once when the sealer links it in (0018); null until then. */
  seq: ColumnType<number | null, never, number>
  prev_hash: ColumnType<string | null, never, string>
  hash: ColumnType<string | null, never, string>
}

/** A signed checkpoint of the chain's head (0018); also appended to the checkpoint file outside the database. */
export interface AuditCheckpointTable {
  seq: number
  head_hash: string
  created_at: Timestamp
  mac: string
  verified_at: Timestamp | null
  /** The MAC of (seq, head hash, verified_at), so the mark cannot be set by hand. */
  verified_mac: string | null
}

export type AuditEventRow = Selectable<AuditEventTable>

declare module '../db/schema.ts' {
  interface DB {
    audit_event: AuditEventTable
    audit_checkpoint: AuditCheckpointTable
  }
}
