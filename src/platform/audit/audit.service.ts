import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { ActorContext } from '../http/auth.ts'
import type { Clock } from '../clock.ts'
import { GENESIS_HASH, eventHash } from './audit.hash.ts'

export const auditActions = [
  'view',
  'list',
  'create',
  'update',
  'export',
  'sign-in',
  'sign-out',
  'sign-in-failed',
  'token-create',
  'token-revoke',
  'user-create',
  'user-update',
] as const
export type AuditAction = (typeof auditActions)[number]

/** Who is acting and in which request: passed from the edge into every service call that touches a person. */
export type { ActorContext }

export interface AuditEntry {
  readonly action: AuditAction
  readonly entityType: string
  readonly entityId?: string | null
  readonly personId?: string | null
  readonly siteId?: string | null
  /** No personal data beyond ids: field names changed, filters used, counts. */
  readonly details?: Record<string, unknown>
}

export interface VerifyResult {
  ok: boolean
  checked: number
  /** The first event whose stored hash does not match its content or predecessor. */
  brokenAt?: number
}

/** An arbitrary constant: the advisory lock that serialises appends to the hash chain. */
const AUDIT_CHAIN_LOCK_KEY = 7_214_002

export type AuditService = ReturnType<typeof createAuditService>

export function createAuditService(deps: { db: Kysely<DB>; clock: Clock }) {
  const { db, clock } = deps

  /**
   * Appends an event inside the caller's transaction, so the audit record and the change it describes commit or
   * roll back together. The advisory lock keeps the chain linear when requests run concurrently.
   */
  async function record(tx: Transaction<DB>, actor: ActorContext, entry: AuditEntry): Promise<void> {
    await sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY})`.execute(tx)
    const last = await tx.selectFrom('audit_event').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst()
    const prevHash = last?.hash ?? GENESIS_HASH
    // Millisecond precision so the stored timestamp round-trips exactly into the hash.
    const occurredAt = new Date(clock.now().getTime())
    const fields = {
      occurredAt,
      actorId: actor.principal?.userId ?? null,
      actorRole: actor.principal?.role ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      personId: entry.personId ?? null,
      siteId: entry.siteId ?? null,
      requestId: actor.requestId,
      details: entry.details ?? {},
    }
    await tx
      .insertInto('audit_event')
      .values({
        occurred_at: occurredAt,
        actor_id: fields.actorId,
        actor_role: fields.actorRole,
        action: fields.action,
        entity_type: fields.entityType,
        entity_id: fields.entityId,
        person_id: fields.personId,
        site_id: fields.siteId,
        request_id: fields.requestId,
        details: JSON.stringify(fields.details),
        prev_hash: prevHash,
        hash: eventHash(prevHash, fields),
      })
      .execute()
  }

  /** Records an event in a transaction of its own (sign-in and other events not tied to a business change). */
  async function recordAlone(actor: ActorContext, entry: AuditEntry): Promise<void> {
    await db.transaction().execute((tx) => record(tx, actor, entry))
  }

  /** Walks the whole chain in order, in batches, recomputing every hash. */
  async function verify(batchSize = 5000): Promise<VerifyResult> {
    let prevHash = GENESIS_HASH
    let afterId = 0
    let checked = 0
    for (;;) {
      const rows = await db
        .selectFrom('audit_event')
        .selectAll()
        .where('id', '>', afterId)
        .orderBy('id', 'asc')
        .limit(batchSize)
        .execute()
      if (rows.length === 0) return { ok: true, checked }
      for (const row of rows) {
        const expected = eventHash(prevHash, {
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
        })
        if (row.prev_hash !== prevHash || row.hash !== expected) return { ok: false, checked, brokenAt: row.id }
        prevHash = row.hash
        checked++
        afterId = row.id
      }
    }
  }

  return { record, recordAlone, verify }
}
