/** PostgreSQL only: two runners, as two app processes would be, on one database, each with connections of its own. */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { connectPostgres, type Database } from '../db/database.ts'
import { createTestDatabase, testDatabaseUrl } from '../../../test/support/database.ts'
import { requirePostgres } from '../../../test/support/concurrency.ts'
import { createJobRunner, type JobHandler, type JobRunner, type WorkOptions } from './job-runner.ts'

requirePostgres()

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} }

/**
 * Two started runners on one test database (the second through a pool of its own on the same schema), both working
 * `queue` with `handler(runnerName)`. Stopped, their schema dropped and both pools closed when the test ends.
 */
async function givenTwoRunners(
  t: TestContext,
  queue: string,
  handler: (runner: 'a' | 'b') => JobHandler<{ n: number }>,
  options: WorkOptions,
): Promise<{ a: JobRunner; b: JobRunner; database: Database }> {
  const database = await createTestDatabase()
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(database.db)
  const other = connectPostgres(testDatabaseUrl() ?? '', { searchPath: rows[0]?.schema ?? '', max: 4 })
  const a = createJobRunner({ database, logger: silent, pollingIntervalSeconds: 0.5 })
  const b = createJobRunner({ database: other, logger: silent, pollingIntervalSeconds: 0.5 })
  a.work(queue, handler('a'), options)
  b.work(queue, handler('b'), options)
  t.after(async () => {
    try {
      await Promise.all([a.stop(), b.stop()])
      if (a.schema !== undefined) await sql`drop schema if exists ${sql.id(a.schema)} cascade`.execute(database.db)
    } finally {
      await other.close()
      await database.close()
    }
  })
  await a.start()
  await b.start()
  assert.equal(a.schema, b.schema)
  return { a, b, database }
}

test('two runners on one database never run the same job twice, at once or one after the other', async (t) => {
  const total = 30
  const runs = new Map<string, ('a' | 'b')[]>()
  const running = new Set<string>()
  const overlaps: string[] = []
  let allDone = () => {}
  const done = new Promise<void>((resolve) => (allDone = resolve))
  const { a, database } = await givenTwoRunners(
    t,
    'test.shared',
    (runner) => async (job) => {
      if (running.has(job.id)) overlaps.push(job.id)
      running.add(job.id)
      runs.set(job.id, [...(runs.get(job.id) ?? []), runner])
      // Some work on the database, so that jobs are in flight on both runners at once.
      await database.db.transaction().execute(async (tx) => {
        await sql`select count(*) from pg_class`.execute(tx)
      })
      running.delete(job.id)
      if (runs.size === total) allDone()
    },
    { concurrency: 3 },
  )
  await database.db.transaction().execute(async (tx) => {
    for (let n = 0; n < total; n++) await a.enqueue(tx, 'test.shared', { n })
  })
  await done

  assert.equal(runs.size, total)
  assert.deepEqual(
    [...runs.values()].filter((by) => by.length !== 1),
    [],
  )
  assert.deepEqual(overlaps, [])
})

test('a one-at-a-time queue runs one job at a time across both runners', async (t) => {
  const total = 8
  let active = 0
  let most = 0
  let finished = 0
  let allDone = () => {}
  const done = new Promise<void>((resolve) => (allDone = resolve))
  const { a, database } = await givenTwoRunners(
    t,
    'test.one-at-a-time',
    () => async () => {
      active++
      most = Math.max(most, active)
      await database.db.transaction().execute(async (tx) => {
        await sql`select count(*) from pg_class`.execute(tx)
      })
      active--
      finished++
      if (finished === total) allDone()
    },
    { concurrency: 2, oneAtATime: true },
  )
  await database.db.transaction().execute(async (tx) => {
    for (let n = 0; n < total; n++) await a.enqueue(tx, 'test.one-at-a-time', { n })
  })
  await done

  assert.equal(finished, total)
  assert.equal(most, 1)
})
