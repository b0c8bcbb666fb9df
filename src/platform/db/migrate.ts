import { sql, type Kysely } from 'kysely'
import type { DB } from './schema.ts'
import * as foundation from './migrations/0001-foundation.ts'
import * as people from './migrations/0002-people.ts'
import * as idempotency from './migrations/0003-idempotency.ts'
import * as peopleIndexes from './migrations/0004-people-indexes.ts'
import * as instruments from './migrations/0005-instruments.ts'
import * as appointments from './migrations/0006-appointments.ts'
import * as consent from './migrations/0007-consent.ts'
import * as healthChecks from './migrations/0008-health-checks.ts'
import * as directoryAndGp from './migrations/0009-directory-and-gp.ts'
import * as absenceReason from './migrations/0010-appointment-absence-reason.ts'
import * as referrals from './migrations/0011-referrals.ts'
import * as screening from './migrations/0012-screening.ts'
import * as needHistory from './migrations/0013-need-history.ts'
import * as treatmentRequirements from './migrations/0014-treatment-requirements.ts'
import * as passwordChange from './migrations/0015-password-change.ts'
import * as worklistIndexes from './migrations/0016-worklist-indexes.ts'
import * as rateLimit from './migrations/0017-rate-limit.ts'

export interface Migration {
  readonly name: string
  /** Run in order, inside the migration transaction. */
  readonly statements: readonly string[]
}

/** Forward-only, in order. A migration, once landed, is never edited: add a new one. */
export const migrations: readonly Migration[] = [
  foundation,
  people,
  idempotency,
  peopleIndexes,
  instruments,
  appointments,
  consent,
  healthChecks,
  directoryAndGp,
  absenceReason,
  referrals,
  screening,
  needHistory,
  treatmentRequirements,
  passwordChange,
  worklistIndexes,
  rateLimit,
]

/** An arbitrary constant shared by every process of this service: the advisory lock key for migrating. */
const MIGRATION_LOCK_KEY = 7_214_001

/**
 * Applies the migrations not yet applied, all in one transaction under an advisory lock, so several app processes
 * starting together migrate once and a failure leaves the schema as it was.
 */
export async function migrateToLatest(db: Kysely<DB>, list: readonly Migration[] = migrations): Promise<string[]> {
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
