import { fromPglite, type Db } from 'pg-boss'
import type pg from 'pg'
import { insideTransaction, RootHandleInTransactionError, type Database } from '../db/database.ts'

/**
 * pg-boss's own statements (polling, completing, maintenance, schema installation) as it sees the database: its
 * `db` option, `{ executeSql(text, values) }`.
 *
 * On PGlite every statement waits its turn for the one connection in the same queue as the app's queries: it runs
 * while holding the Kysely root handle's connection (`db.connection()`), through pg-boss's own `fromPglite`
 * adapter (which sends a parameterless multi-statement script, such as a schema migration, through `exec`). Handed
 * the PGlite instance directly, pg-boss would bypass that queue: a statement issued while an app transaction is open
 * waits for PGlite's transaction lock, and if that transaction is waiting for the statement (a `send()` without
 * `db`), the whole service freezes.
 *
 * On PostgreSQL the statements use the app's pool (pg returns one result per statement of a script; pg-boss wants
 * their rows together).
 *
 * Either way, such a statement made inside a transaction's callback is a bug (it is not part of the transaction),
 * so it fails at once, as the root handle does. Jobs enqueued in a transaction go through that transaction instead
 * (`JobRunner.enqueue`).
 */
export function jobDatabase(database: Database): Db {
  if (database.kind === 'pglite') {
    if (database.pglite === undefined) throw new Error('A PGlite database without its instance')
    const pglite = fromPglite(database.pglite)
    return {
      executeSql: async (text, values) => {
        if (insideTransaction()) throw new RootHandleInTransactionError()
        return database.db.connection().execute(() => pglite.executeSql(text, values))
      },
    }
  }
  const pool = database.pool
  if (pool === undefined) throw new Error('A PostgreSQL database without its pool')
  return {
    executeSql: async (text, values) => {
      if (insideTransaction()) throw new RootHandleInTransactionError()
      const result = (await pool.query(text, values)) as pg.QueryResult | pg.QueryResult[]
      const rows: unknown[] = Array.isArray(result) ? result.flatMap((r): unknown[] => r.rows) : result.rows
      return { rows }
    },
  }
}
