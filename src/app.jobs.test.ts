import { test } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as pause } from 'node:timers/promises'
import { sql } from 'kysely'
import { AUDIT_VERIFY_QUEUE, buildApp, HOUSEKEEPING_QUEUE, jobRunnerOf } from './app.ts'
import { TEST_PASSWORD_COST } from './features/staff/index.ts'
import { givenStaff } from '../test/support/builders.ts'
import { fixedClock } from '../test/support/clock.ts'
import { testConfig } from '../test/support/config.ts'
import { createTestDatabase } from '../test/support/database.ts'
import { json } from '../test/support/test-app.ts'

const NOW = new Date('2026-11-20T10:00:00Z')
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000)

test('an app that runs jobs purges expired sessions with its housekeeping job, scheduled every 10 minutes', async (t) => {
  const database = await createTestDatabase()
  const app = await buildApp(testConfig({ jobsEnabled: true }), {
    database,
    clock: fixedClock(NOW),
    passwordCost: TEST_PASSWORD_COST,
    logger: false,
  })
  const runner = jobRunnerOf(app)
  t.after(async () => {
    try {
      await app.close()
      if (database.kind === 'postgres' && runner?.schema !== undefined) {
        await sql`drop schema if exists ${sql.id(runner.schema)} cascade`.execute(database.db)
      }
    } finally {
      await database.close()
    }
  })
  assert.ok(runner !== undefined, 'the app has a job runner')
  assert.deepEqual(
    (await runner.schedules()).sort((a, b) => a.queue.localeCompare(b.queue)),
    [
      { queue: AUDIT_VERIFY_QUEUE, cron: '30 2 * * *', timezone: 'UTC' },
      { queue: HOUSEKEEPING_QUEUE, cron: '*/10 * * * *', timezone: 'UTC' },
      // Receipts are polled because no NOTIFY_CALLBACK_TOKEN is set.
      { queue: 'message-receipts', cron: '*/5 * * * *', timezone: 'UTC' },
      { queue: 'message-sweep', cron: '* * * * *', timezone: 'UTC' },
    ],
  )

  const staff = await givenStaff(database.db, 'clinician')
  await database.db
    .insertInto('session')
    .values([
      {
        id_hash: 'expired',
        staff_user_id: staff.id,
        created_at: minutes(-600),
        last_seen_at: minutes(-5),
        expires_at: minutes(-1),
      },
      {
        id_hash: 'live',
        staff_user_id: staff.id,
        created_at: minutes(-60),
        last_seen_at: minutes(-5),
        expires_at: minutes(60),
      },
    ])
    .execute()

  // What the schedule does every 10 minutes, now.
  const id = await runner.trigger(HOUSEKEEPING_QUEUE, {})
  assert.ok(id !== null)
  const deadline = Date.now() + 30_000
  for (;;) {
    const job = await runner.getJob(HOUSEKEEPING_QUEUE, id)
    if (job?.state === 'completed') break
    assert.notEqual(job?.state, 'failed', `housekeeping failed: ${job?.error ?? ''}`)
    assert.ok(Date.now() < deadline, `housekeeping still ${job?.state ?? 'missing'}`)
    await pause(50)
  }

  // The nightly whole-chain check, now: it passes on an intact chain (and fails the job on a broken one).
  const check = await runner.trigger(AUDIT_VERIFY_QUEUE, {})
  assert.ok(check !== null)
  for (;;) {
    const job = await runner.getJob(AUDIT_VERIFY_QUEUE, check)
    if (job?.state === 'completed') break
    assert.notEqual(job?.state, 'failed', `audit verification failed: ${job?.error ?? ''}`)
    assert.ok(Date.now() < deadline, `audit verification still ${job?.state ?? 'missing'}`)
    await pause(50)
  }

  const sessions = await database.db.selectFrom('session').select('id_hash').execute()
  assert.deepEqual(
    sessions.map((s) => s.id_hash),
    ['live'],
  )
  const ready = await app.inject({ method: 'GET', url: '/health/ready' })
  assert.equal(ready.statusCode, 200)
  assert.deepEqual(json(ready), { status: 'UP', checks: { database: 'UP', jobs: 'UP' } })

  await runner.stop()
  const stopped = await app.inject({ method: 'GET', url: '/health/ready' })
  assert.equal(stopped.statusCode, 503)
  assert.deepEqual(json(stopped), { status: 'DOWN', checks: { database: 'UP', jobs: 'DOWN' } })
})

test('an app under test runs no jobs unless asked', async (t) => {
  const database = await createTestDatabase()
  const app = await buildApp(testConfig(), { database, passwordCost: TEST_PASSWORD_COST, logger: false })
  t.after(async () => {
    await app.close()
    await database.close()
  })
  assert.equal(jobRunnerOf(app), undefined)
})
