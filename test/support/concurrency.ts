/**
 * Helpers for tests that need two transactions at once: PostgreSQL only (PGlite has one connection, so a second
 * transaction would wait on the first for ever). Such tests live in *.pg.test.ts files, which `npm test` runs in its
 * PostgreSQL pass only.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../src/platform/db/schema.ts'

/** Fails the file at once (rather than skipping it) when no PostgreSQL server is configured. */
export function requirePostgres(): void {
  if ((process.env['TEST_DATABASE_URL'] ?? '') === '') {
    throw new Error(
      'These tests need a PostgreSQL server: set TEST_DATABASE_URL (npm test runs them in its PostgreSQL pass)',
    )
  }
}

/**
 * Runs `write` in a transaction held open until `act` has either finished or is waiting on a lock that transaction
 * holds; then commits it and returns what `act` gave. So `act` meets the write exactly mid-flight, every time: no
 * timing guesses, the lock wait is read from pg_blocking_pids.
 */
export async function whileHeldOpen<T>(
  db: Kysely<DB>,
  write: (tx: Transaction<DB>) => Promise<unknown>,
  act: () => Promise<T>,
): Promise<T> {
  let release = () => {}
  const gate = new Promise<void>((resolve) => (release = resolve))
  let holding = (_pid: number) => {}
  const held = new Promise<number>((resolve) => (holding = resolve))
  const holder = db.transaction().execute(async (tx) => {
    await write(tx)
    const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx)
    holding(Number(rows[0]?.pid))
    await gate
  })
  const pid = await held
  const state = { done: false }
  const acting = act().finally(() => (state.done = true))
  for (let i = 0; i < 500 && !state.done; i += 1) {
    const { rows } = await sql<{ n: string }>`
      select count(*) as n from pg_stat_activity where ${pid} = any(pg_blocking_pids(pid))
    `.execute(db)
    if (Number(rows[0]?.n) > 0) break
    await sleep(10)
  }
  release()
  await holder
  return acting
}
