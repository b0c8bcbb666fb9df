import { sql, type Kysely } from 'kysely'
import type { DB } from './schema.ts'
import * as foundation from './migrations/0001-foundation.ts'
import * as idempotency from './migrations/0003-idempotency.ts'
import * as rateLimit from './migrations/0017-rate-limit.ts'
import * as auditSealing from './migrations/0018-audit-sealing.ts'

/**
 * One forward-only step of the schema. Each feature keeps its migrations in its own `migrations/` folder and
 * exports them from its `index.ts`; the composition root (src/migrations.ts) puts every list in one order.
 * Numbers are global (NNNN-name), so take the next free one. A migration, once landed, is never edited or renamed:
 * databases record what they applied by name.
 */
export interface Migration {
  readonly name: string
  /** Run in order, inside the migration transaction. */
  readonly statements: readonly string[]
}

/**
 * The platform's own migrations. 0001 predates the per-feature layout: it made the first tables of several
 * features (sites, staff, sessions, people's first columns, the audit log) and stays here, as applied.
 */
export const platformMigrations: readonly Migration[] = [foundation, idempotency, rateLimit, auditSealing]

/**
 * Numbers given to migrations of changes not merged yet: a list may lack them without counting as a gap, and may
 * hold them once those changes land. Empty it when they have.
 */
export const RESERVED_MIGRATION_NUMBERS: ReadonlySet<number> = new Set([24, 25])

/**
 * Every migration in one list, in the order of their numbers. Refuses a list with a repeated name or number, a
 * name not of the form NNNN-words, or a gap in the numbers (a migration lost in a merge) other than a reserved one.
 */
export function orderMigrations(...lists: readonly (readonly Migration[])[]): readonly Migration[] {
  const all = lists.flat().toSorted((a, b) => a.name.localeCompare(b.name))
  let next = 1
  for (const migration of all) {
    if (!/^\d{4}-[a-z0-9]+(?:-[a-z0-9]+)*$/.test(migration.name)) {
      throw new Error(`Migration "${migration.name}" must be named NNNN-words-with-hyphens`)
    }
    const number = Number(migration.name.slice(0, 4))
    while (RESERVED_MIGRATION_NUMBERS.has(next) && number > next) next += 1
    const expected = String(next).padStart(4, '0')
    if (!migration.name.startsWith(`${expected}-`)) {
      throw new Error(`Migration ${expected} is missing or repeated (found "${migration.name}" in its place)`)
    }
    next += 1
  }
  return all
}

/** An arbitrary constant shared by every process of this service: the advisory lock key for migrating. */
const MIGRATION_LOCK_KEY = 7_214_001

/**
 * Applies the migrations not yet applied, all in one transaction under an advisory lock, so several app processes
 * starting together migrate once and a failure leaves the schema as it was.
 */
export async function migrateToLatest(db: Kysely<DB>, list: readonly Migration[]): Promise<string[]> {
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(tx)
    await sql`create table if not exists hub_migration (
      name text primary key,
      applied_at timestamptz not null default now()
    )`.execute(tx)
    const applied = new Set((await tx.selectFrom('hub_migration').select('name').execute()).map((r) => r.name))
    const done: string[] = []
    for (const migration of list) {
      if (applied.has(migration.name)) continue
      for (const statement of migration.statements) await sql.raw(statement).execute(tx)
      await tx.insertInto('hub_migration').values({ name: migration.name }).execute()
      done.push(migration.name)
    }
    return done
  })
}
