import { createHash } from 'node:crypto'
import { sql, type Transaction } from 'kysely'
import { DomainError } from '../http/errors.ts'
import { canonicalJson } from './canonical-json.ts'
import type { DB } from './schema.ts'

export interface IdempotentRequest {
  readonly staffUserId: string
  /** What is being created, e.g. `person.create`. */
  readonly scope: string
  /** The client's key: the `Idempotency-Key` header, or a one-time token in a form. */
  readonly key: string
  /** The request as submitted; a key reused with a different request is refused. */
  readonly request: unknown
}

export type IdempotentResult =
  { readonly replayed: false; readonly id: string } | { readonly replayed: true; readonly id: string }

/** Keys are kept a day: long enough for any retry, short enough that the table stays small. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000

/**
 * Runs `create` once per (user, scope, key) inside the caller's transaction. A repeat returns the id created the
 * first time without calling `create`. Concurrent repeats wait on an advisory lock for the key, so exactly one
 * creates. A key reused with a different request is a client error, not a replay.
 */
export async function createOnce(
  tx: Transaction<DB>,
  request: IdempotentRequest,
  create: () => Promise<string>,
): Promise<IdempotentResult> {
  const requestHash = createHash('sha256').update(canonicalJson(request.request)).digest('hex')
  const lockKey = `${request.staffUserId}:${request.scope}:${request.key}`
  await sql`select pg_advisory_xact_lock(hashtextextended(${lockKey}, 0))`.execute(tx)
  const existing = await tx
    .selectFrom('idempotency_key')
    .select(['request_hash', 'resource_id'])
    .where('staff_user_id', '=', request.staffUserId)
    .where('scope', '=', request.scope)
    .where('key', '=', request.key)
    .executeTakeFirst()
  if (existing !== undefined) {
    if (existing.request_hash !== requestHash) {
      throw new DomainError('idempotency-key-reused', [
        { field: 'Idempotency-Key', message: 'This Idempotency-Key was already used for a different request' },
      ])
    }
    return { replayed: true, id: existing.resource_id }
  }
  const id = await create()
  await tx
    .insertInto('idempotency_key')
    .values({
      staff_user_id: request.staffUserId,
      scope: request.scope,
      key: request.key,
      request_hash: requestHash,
      resource_id: id,
    })
    .execute()
  return { replayed: false, id }
}

export async function purgeIdempotencyKeys(tx: Transaction<DB>, before: Date): Promise<void> {
  await tx.deleteFrom('idempotency_key').where('created_at', '<', before).execute()
}

/**
 * `createOnce` when the client sent a key, and a plain `create` when it did not (a key is optional on the API): the
 * one place that choice is made.
 */
export async function createOnceIfKeyed(
  tx: Transaction<DB>,
  key: string | undefined,
  request: Omit<IdempotentRequest, 'key'>,
  create: () => Promise<string>,
): Promise<IdempotentResult> {
  if (key === undefined) return { replayed: false, id: await create() }
  return createOnce(tx, { ...request, key }, create)
}
