import { createHash } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

/** What @fastify/rate-limit asks of a store (its LocalStore and RedisStore have the same shape). */
interface StoreResult {
  current: number
  ttl: number
}
type Callback = (error: Error | null, result?: StoreResult) => void

/** The route a child store counts for: the plugin passes its merged options with `routeInfo` (not what its typings say). */
function routeName(params: unknown): string {
  const route = (params as { routeInfo?: { method?: unknown; url?: unknown } } | undefined)?.routeInfo
  const text = (value: unknown) => (typeof value === 'string' ? value : '')
  const method = Array.isArray(route?.method) ? route.method.map(text).join(',') : text(route?.method)
  return `${method} ${text(route?.url)}`
}

/**
 * Rate-limit counters kept in the database (table `rate_limit_bucket`, migration 0017), so several app processes
 * share one count per client and route. A fixed window per key: the first hit opens it, later hits within it count
 * up, the first hit after it ends opens a new one. Keys are hashed: no client address is stored.
 */
export function databaseRateLimitStore(db: Kysely<DB>) {
  class DatabaseStore {
    private readonly prefix: string

    constructor(params?: unknown) {
      this.prefix = routeName(params)
    }

    incr(key: string, callback: Callback, timeWindow: number): void {
      hit(this.bucket(key), timeWindow).then(
        (result) => {
          callback(null, result)
        },
        (error: unknown) => {
          callback(error instanceof Error ? error : new Error(String(error)))
        },
      )
    }

    read(key: string, callback: Callback): void {
      peek(this.bucket(key)).then(
        (result) => {
          callback(null, result)
        },
        (error: unknown) => {
          callback(error instanceof Error ? error : new Error(String(error)))
        },
      )
    }

    child(params: unknown): DatabaseStore {
      return new DatabaseStore(params)
    }

    private bucket(key: string): string {
      return createHash('sha256').update(`${this.prefix}\u0000${key}`).digest('hex')
    }
  }

  async function hit(key: string, windowMs: number): Promise<StoreResult> {
    const { rows } = await sql<{ hits: number; ttl: number }>`
      insert into rate_limit_bucket as b (key, hits, resets_at)
      values (${key}, 1, now() + make_interval(secs => ${windowMs / 1000}))
      on conflict (key) do update set
        hits = case when b.resets_at <= now() then 1 else b.hits + 1 end,
        resets_at = case when b.resets_at <= now() then excluded.resets_at else b.resets_at end
      returning hits, greatest(0, ceil(extract(epoch from (resets_at - now())) * 1000))::int8 as ttl
    `.execute(db)
    const row = rows[0]
    if (row === undefined) throw new Error('The rate-limit counter returned no row')
    return { current: row.hits, ttl: row.ttl }
  }

  async function peek(key: string): Promise<StoreResult> {
    const row = await db
      .selectFrom('rate_limit_bucket')
      .select(['hits', sql<number>`greatest(0, ceil(extract(epoch from (resets_at - now())) * 1000))::int8`.as('ttl')])
      .where('key', '=', key)
      .where('resets_at', '>', sql<Date>`now()`)
      .executeTakeFirst()
    return row === undefined ? { current: 0, ttl: 0 } : { current: row.hits, ttl: row.ttl }
  }

  return DatabaseStore
}

/** Removes windows that have ended (housekeeping). */
export async function purgeRateLimitBuckets(db: Kysely<DB>): Promise<number> {
  const result = await db
    .deleteFrom('rate_limit_bucket')
    .where('resets_at', '<=', sql<Date>`now()`)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}
