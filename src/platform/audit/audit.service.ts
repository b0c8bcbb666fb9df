import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { ActorContext } from '../http/auth.ts'
import type { Clock } from '../clock.ts'
import type { Selectable } from 'kysely'
import { GENESIS_HASH, eventHash, type HashedFields } from './audit.hash.ts'
import type { AuditEventTable } from './audit.tables.ts'
export { auditKeyFromSessionSecret } from './audit.checkpoints.ts'
import {
  DEVELOPMENT_CHECKPOINT_KEY,
  appendCheckpointLine,
  checkpointMac,
  macIsValid,
  readCheckpointFile,
  verifiedMac,
  verifiedMacIsValid,
  type Checkpoint,
} from './audit.checkpoints.ts'

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
  /** The first event whose stored hash does not match its content or predecessor, or that follows a gap. */
  brokenAt?: number
  /** What is wrong, in words, when the chain does not verify. */
  problem?: string
}

export interface AuditOptions {
  db: Kysely<DB>
  clock: Clock
  /**
   * The checkpoints' MAC key, held outside the database (production derives it from its secret settings). Tests and
   * local use take a fixed development key.
   */
  checkpointKey?: string | Buffer
  /** The append-only checkpoint file outside the database; none: checkpoints in the database only. */
  checkpointFile?: string
  /** How often a checkpoint of the head is written while events are being sealed. */
  checkpointIntervalMs?: number
  /** Told when the checkpoint file cannot be written (the lines are kept and written later). */
  onCheckpointFileError?: (error: unknown) => void
}

/**
 * An arbitrary constant: the advisory lock only the sealer takes (requests never wait on it), paired with the schema,
 * since advisory locks are per database and one database may hold several services' schemas (as the tests do).
 */
const AUDIT_SEAL_LOCK_KEY = 7_214_003
const SEAL_BATCH = 1000
const DEFAULT_CHECKPOINT_INTERVAL_MS = 10_000

type EventRow = Selectable<AuditEventTable>

function hashedFieldsOf(row: EventRow): HashedFields {
  return {
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
  }
}

export type AuditService = ReturnType<typeof createAuditService>

/**
 * The audit log (ADR 0005, ADR 0009): requests append events with no lock; one sealer at a time links them into
 * the hash chain in the order it finds them committed; verification walks the chain by position and checks it
 * against signed checkpoints, so altering, removing, reordering or inserting an event, or deleting the newest ones,
 * is detected.
 */
export function createAuditService(deps: AuditOptions) {
  const { db, clock } = deps
  const checkpointKey = deps.checkpointKey ?? DEVELOPMENT_CHECKPOINT_KEY
  const checkpointIntervalMs = deps.checkpointIntervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS
  let lastCheckpointAt = 0

  /**
   * Appends an event inside the caller's transaction, so the audit record and the change it describes commit or
   * roll back together. No chain work and no lock: the sealer links it in once it has committed.
   */
  async function record(tx: Transaction<DB>, actor: ActorContext, entry: AuditEntry): Promise<void> {
    // Millisecond precision so the stored timestamp round-trips exactly into the hash.
    const occurredAt = new Date(clock.now().getTime())
    await tx
      .insertInto('audit_event')
      .values({
        occurred_at: occurredAt,
        actor_id: actor.principal?.userId ?? null,
        actor_role: actor.principal?.role ?? null,
        action: entry.action,
        entity_type: entry.entityType,
        entity_id: entry.entityId ?? null,
        person_id: entry.personId ?? null,
        site_id: entry.siteId ?? null,
        request_id: actor.requestId,
        details: JSON.stringify(entry.details ?? {}),
      })
      .execute()
  }

  /** Records an event in a transaction of its own (sign-in and other events not tied to a business change). */
  async function recordAlone(actor: ActorContext, entry: AuditEntry): Promise<void> {
    await db.transaction().execute((tx) => record(tx, actor, entry))
  }

  /** The chain's last sealed event, or none. */
  async function headOf(executor: Kysely<DB> | Transaction<DB>): Promise<{ seq: number; hash: string } | undefined> {
    const head = await executor
      .selectFrom('audit_event')
      .select(['seq', 'hash'])
      .where('seq', 'is not', null)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst()
    return head?.seq == null || head.hash === null ? undefined : { seq: head.seq, hash: head.hash }
  }

  /**
   * Links every committed, unsealed event into the chain, oldest id first, and returns how many it sealed. Safe
   * with several app processes: only the one holding the sealer's lock seals; the others return at once. An event
   * whose transaction committed after events with higher ids were sealed is found by the next round (it is still
   * unsealed), never skipped. A checkpoint of the head is written at most every checkpointIntervalMs, or when
   * `checkpoint` is asked for.
   */
  async function seal(options: { checkpoint?: boolean } = {}): Promise<number> {
    let total = 0
    const written: Checkpoint[] = []
    for (;;) {
      const round = await db.transaction().execute(async (tx) => {
        const locked = await sql<{
          locked: boolean
        }>`select pg_try_advisory_xact_lock(${AUDIT_SEAL_LOCK_KEY}, hashtext(current_schema())) as locked`.execute(tx)
        if (locked.rows[0]?.locked !== true) return { sealed: 0, busy: true }
        const head = await headOf(tx)
        const rows = await tx
          .selectFrom('audit_event')
          .selectAll()
          .where('seq', 'is', null)
          .orderBy('id', 'asc')
          .limit(SEAL_BATCH)
          .execute()
        let seq = head?.seq ?? 0
        let prevHash = head?.hash ?? GENESIS_HASH
        if (rows.length > 0) {
          const values = rows.map((row) => {
            seq += 1
            const hash = eventHash(prevHash, hashedFieldsOf(row))
            const value = sql`(${row.id}::bigint, ${seq}::bigint, ${prevHash}::text, ${hash}::text)`
            prevHash = hash
            return value
          })
          await sql`
            update audit_event as e set seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
              from (values ${sql.join(values)}) as v (id, seq, prev_hash, hash)
             where e.id = v.id`.execute(tx)
        }
        const now = clock.now()
        const due = options.checkpoint === true || Date.now() - lastCheckpointAt >= checkpointIntervalMs
        if (seq > 0 && due && (rows.length > 0 || options.checkpoint === true)) {
          const createdAt = new Date(now.getTime())
          const checkpoint: Checkpoint = {
            seq,
            headHash: prevHash,
            createdAt,
            mac: checkpointMac(checkpointKey, seq, prevHash, createdAt),
          }
          const inserted = await tx
            .insertInto('audit_checkpoint')
            .values({ seq, head_hash: prevHash, created_at: createdAt, mac: checkpoint.mac })
            .onConflict((oc) => oc.column('seq').doNothing())
            .returning('seq')
            .executeTakeFirst()
          if (inserted !== undefined) written.push(checkpoint)
        }
        return { sealed: rows.length, busy: false }
      })
      total += round.sealed
      if (round.busy || round.sealed < SEAL_BATCH) break
    }
    if (written.length > 0) lastCheckpointAt = Date.now()
    writeCheckpointFile(written)
    return total
  }

  /** Checkpoints committed to the database but not yet in the file (it could not be written): retried each round. */
  const unwritten: Checkpoint[] = []
  let fileError: string | undefined

  /**
   * Appends the checkpoints to the file. A failure (a full disk, a file another user owns) never fails the seal or
   * the request behind it: the lines wait and are written at the next round, and verification reports the file
   * cannot be written until then.
   */
  function writeCheckpointFile(checkpoints: readonly Checkpoint[]): void {
    const file = deps.checkpointFile
    if (file === undefined) return
    unwritten.push(...checkpoints)
    while (unwritten.length > 0) {
      const next = unwritten[0]
      if (next === undefined) break
      try {
        appendCheckpointLine(file, next)
        unwritten.shift()
        fileError = undefined
      } catch (error) {
        fileError = error instanceof Error ? ((error as { code?: string }).code ?? error.name) : 'unknown error'
        deps.onCheckpointFileError?.(error)
        return
      }
    }
  }

  /**
   * The checkpoints to check the chain against, from position `after` on: the file's (when there is one) and the
   * database's, every MAC checked. The whole history for the full check; for the quick check, only those after
   * where it starts (the file read from its end), so its cost does not grow with the log's age.
   */
  async function anchors(
    after: number,
  ): Promise<{ ok: true; bySeq: Map<number, string>; last: number } | { ok: false; problem: string }> {
    if (fileError !== undefined) {
      return { ok: false, problem: `The checkpoint file cannot be written (${fileError}): fix it, then check again.` }
    }
    const bySeq = new Map<number, string>()
    const rows = await db.selectFrom('audit_checkpoint').selectAll().where('seq', '>', after).execute()
    const fromDb: Checkpoint[] = rows.map((r) => ({
      seq: r.seq,
      headHash: r.head_hash,
      createdAt: r.created_at,
      mac: r.mac,
    }))
    let fromFile: Checkpoint[] = []
    if (deps.checkpointFile !== undefined) {
      const read = readCheckpointFile(deps.checkpointFile, after === 0 ? {} : { after })
      if (!read.ok) return { ok: false, problem: `Line ${String(read.line)} of the checkpoint file ${read.problem}.` }
      fromFile = read.checkpoints.filter((c) => c.seq > after)
    }
    let last = 0
    for (const [where, list] of [
      ['file', fromFile],
      ['database', fromDb],
    ] as const) {
      for (const checkpoint of list) {
        if (!macIsValid(checkpointKey, checkpoint)) {
          return {
            ok: false,
            problem: `A checkpoint in the ${where} (event ${String(checkpoint.seq)}) has been altered.`,
          }
        }
        const known = bySeq.get(checkpoint.seq)
        if (known !== undefined && known !== checkpoint.headHash) {
          return { ok: false, problem: `Two checkpoints of event ${String(checkpoint.seq)} disagree.` }
        }
        bySeq.set(checkpoint.seq, checkpoint.headHash)
        if (checkpoint.seq > last) last = checkpoint.seq
      }
    }
    return { ok: true, bySeq, last }
  }

  /**
   * Walks the chain from position `from` (0: the first event), recomputing every hash, checking each against the
   * checkpoints, and that no position is missing; then that no checkpoint lies beyond the chain's end (the newest
   * events deleted).
   */
  async function walk(
    from: { seq: number; hash: string },
    batchSize: number,
  ): Promise<VerifyResult & { anchored: readonly number[] }> {
    await seal()
    const checks = await anchors(from.seq)
    if (!checks.ok) return { ok: false, checked: 0, problem: checks.problem, anchored: [] }
    let prevHash = from.hash
    let expected = from.seq + 1
    let checked = 0
    for (;;) {
      const rows = await db
        .selectFrom('audit_event')
        .selectAll()
        .where('seq', '>=', expected)
        .orderBy('seq', 'asc')
        .limit(batchSize)
        .execute()
      if (rows.length === 0) break
      for (const row of rows) {
        if (row.seq !== expected) {
          return {
            ok: false,
            checked,
            brokenAt: row.id,
            problem: `Events are missing before event ${String(row.id)}.`,
            anchored: [],
          }
        }
        const hash = eventHash(prevHash, hashedFieldsOf(row))
        const anchored = checks.bySeq.get(expected)
        if (row.prev_hash !== prevHash || row.hash !== hash || (anchored !== undefined && anchored !== row.hash)) {
          return {
            ok: false,
            checked,
            brokenAt: row.id,
            problem: `Event ${String(row.id)}, or one before it, was changed, removed, reordered or inserted.`,
            anchored: [],
          }
        }
        prevHash = hash
        checked++
        expected++
      }
    }
    const end = expected - 1
    if (checks.last > end) {
      return {
        ok: false,
        checked,
        problem: `The newest events were deleted: a checkpoint records event ${String(checks.last)}, but the chain ends at ${String(end)}.`,
        anchored: [],
      }
    }
    // The checkpoints this walk compared with the chain: only these may be marked verified.
    return { ok: true, checked, anchored: [...checks.bySeq.keys()] }
  }

  /** The whole chain, from the first event (the command line's `hub audit verify`). */
  async function verify(batchSize = 5000): Promise<VerifyResult> {
    const { anchored: _anchored, ...result } = await walk({ seq: 0, hash: GENESIS_HASH }, batchSize)
    return result
  }

  /**
   * From the newest checkpoint an earlier verification passed (its MAC checked again), to the head: what the
   * auditor's page runs, so a click does not walk millions of events. Passing marks the checkpoints it reached as
   * verified. With no verified checkpoint yet, the whole chain.
   */
  async function verifyRecent(batchSize = 5000): Promise<VerifyResult & { from: number }> {
    await seal({ checkpoint: true })
    const verified = await db
      .selectFrom('audit_checkpoint')
      .selectAll()
      .where('verified_at', 'is not', null)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst()
    // "Verified" is signed too: marking a checkpoint verified in the database cannot make the quick check skip.
    if (
      verified !== undefined &&
      (verified.verified_at === null ||
        verified.verified_mac === null ||
        !verifiedMacIsValid(
          checkpointKey,
          verified.seq,
          verified.head_hash,
          verified.verified_at,
          verified.verified_mac,
        ))
    ) {
      return {
        ok: false,
        checked: 0,
        from: verified.seq,
        problem: `The record that event ${String(verified.seq)} was verified has been altered: run hub audit verify.`,
      }
    }
    let start = { seq: 0, hash: GENESIS_HASH }
    if (verified !== undefined) {
      const checkpoint = {
        seq: verified.seq,
        headHash: verified.head_hash,
        createdAt: verified.created_at,
        mac: verified.mac,
      }
      const event = await db
        .selectFrom('audit_event')
        .select(['id', 'hash'])
        .where('seq', '=', checkpoint.seq)
        .executeTakeFirst()
      if (!macIsValid(checkpointKey, checkpoint)) {
        return {
          ok: false,
          checked: 0,
          from: checkpoint.seq,
          problem: `The checkpoint at event ${String(checkpoint.seq)} has been altered.`,
        }
      }
      if (event?.hash !== checkpoint.headHash) {
        return {
          ok: false,
          checked: 0,
          from: checkpoint.seq,
          ...(event === undefined ? {} : { brokenAt: event.id }),
          problem: `Event ${String(checkpoint.seq)} in the chain no longer matches its verified checkpoint.`,
        }
      }
      start = { seq: checkpoint.seq, hash: checkpoint.headHash }
    }
    const { anchored, ...result } = await walk(start, batchSize)
    if (result.ok && anchored.length > 0) {
      const verifiedAt = new Date(clock.now().getTime())
      const rows = await db
        .selectFrom('audit_checkpoint')
        .select(['seq', 'head_hash'])
        .where('verified_at', 'is', null)
        .where('seq', 'in', anchored)
        .execute()
      for (const row of rows) {
        await db
          .updateTable('audit_checkpoint')
          .set({
            verified_at: verifiedAt,
            verified_mac: verifiedMac(checkpointKey, row.seq, row.head_hash, verifiedAt),
          })
          .where('seq', '=', row.seq)
          .where('verified_at', 'is', null)
          .execute()
      }
    }
    return { ...result, from: start.seq }
  }

  /** Seconds since the oldest event still waiting to be sealed (0 when none): the seal lag, for monitoring. */
  async function sealLagMs(): Promise<number> {
    const oldest = await db
      .selectFrom('audit_event')
      .select('occurred_at')
      .where('seq', 'is', null)
      .orderBy('id', 'asc')
      .limit(1)
      .executeTakeFirst()
    return oldest === undefined ? 0 : Math.max(0, clock.now().getTime() - oldest.occurred_at.getTime())
  }

  /**
   * Seals every `intervalMs` until stopped (one per app process; they take turns through the sealer's lock). A
   * failed round is reported and retried at the next tick; it never stops the service.
   */
  function startSealing(options: { intervalMs: number; onError: (error: unknown) => void }): () => Promise<void> {
    let stopped = false
    let running: Promise<unknown> = Promise.resolve()
    let timer: NodeJS.Timeout | undefined
    const tick = () => {
      if (stopped) return
      running = seal()
        .catch(options.onError)
        .finally(() => {
          if (!stopped) {
            timer = setTimeout(tick, options.intervalMs)
            timer.unref()
          }
        })
    }
    timer = setTimeout(tick, options.intervalMs)
    timer.unref()
    return async () => {
      stopped = true
      if (timer !== undefined) clearTimeout(timer)
      await running
      // A last round, so what this process recorded is sealed and checkpointed before it goes.
      await seal({ checkpoint: true }).catch(options.onError)
    }
  }

  return { record, recordAlone, seal, verify, verifyRecent, sealLagMs, startSealing }
}
