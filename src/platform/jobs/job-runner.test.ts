import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as pause } from 'node:timers/promises'
import { sql } from 'kysely'
import { RootHandleInTransactionError, type Database } from '../db/database.ts'
import { createTestDatabase } from '../../../test/support/database.ts'
import {
  createJobRunner,
  deadLetterQueueOf,
  JobRunnerNotStartedError,
  UnknownQueueError,
  type JobLogger,
  type JobRunner,
  type JobRunnerOptions,
} from './job-runner.ts'

interface LogLine {
  level: string
  object: object
  message: string
}

function recordingLogger(lines: LogLine[] = []): JobLogger {
  const log = (level: string) => (object: object, message: string) => {
    lines.push({ level, object, message })
  }
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }
}

/** A promise with its resolver, for a handler to say it has got somewhere. */
function signal<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => {}
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

/** Polls until `probe` gives a value, failing after the deadline (the runner polls for jobs itself). */
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await pause(50)
  }
}

/**
 * A database of the test's own with a started runner on it. The queues are registered by `register`; when the test
 * ends the runner stops, its schema is dropped (on PostgreSQL it is a schema of its own, beside the test's) and the
 * database closes, in that order.
 */
async function givenRunner(
  t: TestContext,
  register: (runner: JobRunner) => void,
  options: Partial<Omit<JobRunnerOptions, 'database'>> = {},
): Promise<{ runner: JobRunner; database: Database; logs: LogLine[] }> {
  const database = await createTestDatabase()
  const logs: LogLine[] = []
  const runner = createJobRunner({ database, logger: recordingLogger(logs), pollingIntervalSeconds: 0.5, ...options })
  register(runner)
  t.after(async () => {
    try {
      await runner.stop()
      if (database.kind === 'postgres' && runner.schema !== undefined) {
        await sql`drop schema if exists ${sql.id(runner.schema)} cascade`.execute(database.db)
      }
    } finally {
      await database.close()
    }
  })
  await runner.start()
  return { runner, database, logs }
}

test('runs a job enqueued in a transaction that commits, and none from one that rolls back', async (t) => {
  const ran: unknown[] = []
  const done = signal()
  const { runner, database } = await givenRunner(t, (r) => {
    r.work<{ n: number }>('test.commit', async (job) => {
      ran.push(job.data)
      done.resolve()
    })
  })
  const rolledBack: { id: string | null } = { id: null }
  await assert.rejects(
    database.db.transaction().execute(async (tx) => {
      rolledBack.id = await runner.enqueue(tx, 'test.commit', { n: 1 })
      throw new Error('rolled back')
    }),
    /rolled back/,
  )
  const rolledBackId = rolledBack.id
  const committedId = await database.db.transaction().execute((tx) => runner.enqueue(tx, 'test.commit', { n: 2 }))
  await done.promise

  assert.deepEqual(ran, [{ n: 2 }])
  assert.ok(rolledBackId !== null && committedId !== null)
  assert.equal(await runner.getJob('test.commit', rolledBackId), undefined)
  const committed = await until('the job to be marked completed', async () => {
    const job = await runner.getJob('test.commit', committedId)
    return job?.state === 'completed' ? job : undefined
  })
  assert.equal(committed.retryCount, 0)
})

test('a worker runs its jobs while app transactions run, and jobs enqueued in them run once committed', async (t) => {
  const handled = new Set<number>()
  let allHandled = () => {}
  const finished = new Promise<void>((resolve) => (allHandled = resolve))
  const committed = new Set<number>()
  let expected = -1
  const { runner, database } = await givenRunner(t, (r) => {
    r.work<{ n: number }>(
      'test.concurrent',
      async (job) => {
        // The handler's own transaction, between the app's.
        await database.db.transaction().execute(async (tx) => {
          await sql`insert into job_probe (n, by) values (${job.data.n}, 'worker')`.execute(tx)
          await sql`select count(*) from job_probe`.execute(tx)
        })
        handled.add(job.data.n)
        if (handled.size === expected) allHandled()
      },
      { concurrency: 2 },
    )
  })
  await sql`create table job_probe (n int not null, by text not null)`.execute(database.db)

  for (let n = 0; n < 24; n++) {
    const rollBack = n % 4 === 3
    await new Promise(setImmediate)
    await database.db
      .transaction()
      .execute(async (tx) => {
        await sql`insert into job_probe (n, by) values (${n}, 'app')`.execute(tx)
        await runner.enqueue(tx, 'test.concurrent', { n })
        await sql`select count(*) from job_probe`.execute(tx)
        if (rollBack) throw new Error('rolled back')
      })
      .then(
        () => committed.add(n),
        () => undefined,
      )
  }
  expected = committed.size
  if (handled.size === expected) allHandled()
  // The app keeps working in transactions until the worker has caught up: neither waits on the other for ever.
  let appTransactions = 0
  const progress = { caughtUp: false }
  void finished.then(() => (progress.caughtUp = true))
  const deadline = Date.now() + 30_000
  while (!progress.caughtUp) {
    assert.ok(Date.now() < deadline, `the worker handled ${handled.size} of ${expected} jobs`)
    // PGlite answers without I/O, so back-to-back transactions would never let a timer (the worker's next poll)
    // fire; requests reach a real app as I/O events, between which timers run.
    await new Promise(setImmediate)
    await database.db.transaction().execute(async (tx) => {
      await sql`select count(*) from job_probe`.execute(tx)
      await sql`select 1`.execute(tx)
    })
    appTransactions++
  }

  assert.deepEqual(
    [...handled].sort((a, b) => a - b),
    [...committed].sort((a, b) => a - b),
  )
  assert.equal(committed.size, 18)
  const rows = await sql<{ by: string; count: number }>`
    select by, count(*)::int as count from job_probe group by by order by by
  `.execute(database.db)
  assert.deepEqual(rows.rows, [
    { by: 'app', count: 18 },
    { by: 'worker', count: 18 },
  ])
  assert.ok(appTransactions > 0)
})

test('retries a failing job, dead-letters it after its last retry, lists it, and runs it again when retried', async (t) => {
  let failing = true
  const attempts: number[] = []
  const succeeded = signal<number>()
  const { runner, database, logs } = await givenRunner(t, (r) => {
    r.work<{ ref: string }>(
      'test.flaky',
      async (job) => {
        attempts.push(job.retryCount)
        if (failing) {
          // A database error carries the failing query's values: they must not be stored with the job or logged.
          throw Object.assign(new Error('the partner service said no'), { code: 'E_PARTNER', params: ['X123456'] })
        }
        succeeded.resolve(job.retryCount)
      },
      { retryLimit: 1, retryDelaySeconds: 0, retryBackoff: false },
    )
  })
  await runner.trigger('test.flaky', { ref: 'r-1' })

  const [failed] = await until('the job to be dead-lettered', async () => {
    const jobs = await runner.failedJobs()
    return jobs.length > 0 ? jobs : undefined
  })
  assert.ok(failed !== undefined)
  assert.equal(failed.queue, 'test.flaky')
  assert.deepEqual(failed.data, { ref: 'r-1' })
  assert.equal(failed.attempts, 2)
  assert.equal(failed.error, 'the partner service said no')
  assert.deepEqual(attempts, [0, 1])

  const schema = runner.schema ?? ''
  const stored = await sql<{ output: unknown }>`select output from ${sql.id(schema, 'job')}`.execute(database.db)
  assert.ok(stored.rows.length > 0)
  assert.doesNotMatch(JSON.stringify(stored.rows), /X123456/)
  assert.doesNotMatch(JSON.stringify(logs), /X123456/)
  assert.deepEqual(
    logs.filter((l) => l.level === 'warn').map((l) => l.message),
    ['job failed: will retry', 'job failed for the last time: dead-lettered'],
  )

  failing = false
  assert.equal(await runner.retryFailedJob('test.flaky', failed.id), true)
  assert.equal(await succeeded.promise, 0)
  assert.deepEqual(await runner.failedJobs(), [])
  assert.equal(await runner.retryFailedJob('test.flaky', failed.id), false)
})

test('creates each queue with its retry limit, back-off, time limit and dead-letter queue', async (t) => {
  const { runner, database } = await givenRunner(t, (r) => {
    r.work('test.defaults', async () => {})
    r.work('test.tuned', async () => {}, {
      retryLimit: 5,
      retryDelaySeconds: 10,
      retryDelayMaxSeconds: 600,
      timeoutSeconds: 60,
      oneAtATime: true,
    })
  })
  const schema = runner.schema ?? ''
  const queues = await sql<Record<string, unknown>>`
    select name, policy, retry_limit, retry_delay, retry_backoff, retry_delay_max, expire_seconds, dead_letter
    from ${sql.id(schema, 'queue')} where name like 'test.%' order by name
  `.execute(database.db)
  assert.deepEqual(queues.rows, [
    {
      name: 'test.defaults',
      policy: 'standard',
      retry_limit: 3,
      retry_delay: 30,
      retry_backoff: true,
      retry_delay_max: 3600,
      expire_seconds: 900,
      dead_letter: deadLetterQueueOf('test.defaults'),
    },
    {
      name: 'test.defaults.dead-letter',
      policy: 'standard',
      retry_limit: 2,
      retry_delay: 0,
      retry_backoff: false,
      retry_delay_max: null,
      expire_seconds: 900,
      dead_letter: null,
    },
    {
      name: 'test.tuned',
      policy: 'singleton',
      retry_limit: 5,
      retry_delay: 10,
      retry_backoff: true,
      retry_delay_max: 600,
      expire_seconds: 60,
      dead_letter: deadLetterQueueOf('test.tuned'),
    },
    {
      name: 'test.tuned.dead-letter',
      policy: 'standard',
      retry_limit: 2,
      retry_delay: 0,
      retry_backoff: false,
      retry_delay_max: null,
      expire_seconds: 900,
      dead_letter: null,
    },
  ])
})

test('stop waits for a running handler to finish, and its job completes', async (t) => {
  const started = signal()
  const release = signal()
  const { runner } = await givenRunner(t, (r) => {
    r.work('test.slow', async () => {
      started.resolve()
      await release.promise
    })
  })
  const id = await runner.trigger('test.slow', {})
  assert.ok(id !== null)
  await started.promise

  const stopping = runner.stop()
  // Released only once the worker has stopped taking jobs: a stop that did not wait would fail the job first.
  await until('the worker to be stopping', async () => {
    const status = await runner.status()
    return status.workers.some((w) => w.state === 'stopping') ? true : undefined
  })
  assert.equal((await runner.status()).running, 1)
  release.resolve()
  await stopping

  assert.equal((await runner.getJob('test.slow', id))?.state, 'completed')
  assert.equal((await runner.status()).started, false)
})

test(
  'stop gives up on a handler that never finishes: the job is failed, to be retried, and its signal aborted',
  { timeout: 60_000 },
  async (t) => {
    const started = signal<AbortSignal>()
    const release = signal()
    const { runner } = await givenRunner(
      t,
      (r) => {
        r.work('test.stuck', async (job) => {
          started.resolve(job.signal)
          await release.promise
        })
      },
      { stopTimeoutMs: 1000 },
    )
    const id = await runner.trigger('test.stuck', {})
    assert.ok(id !== null)
    const jobSignal = await started.promise

    await runner.stop()

    assert.equal(jobSignal.aborted, true)
    const job = await runner.getJob('test.stuck', id)
    assert.equal(job?.state, 'retry')
    assert.match(job.error ?? '', /shut down/)
    release.resolve()
  },
)

test('refuses a job before the runner starts, and for a queue nobody registered', async (t) => {
  const database = await createTestDatabase()
  t.after(() => database.close())
  const runner = createJobRunner({ database, logger: recordingLogger() })
  runner.work('test.known', async () => {})
  await assert.rejects(
    database.db.transaction().execute((tx) => runner.enqueue(tx, 'test.known', {})),
    JobRunnerNotStartedError,
  )
  await assert.rejects(runner.trigger('test.known', {}), JobRunnerNotStartedError)

  const { runner: running, database: other } = await givenRunner(t, (r) => {
    r.work('test.known', async () => {})
  })
  await assert.rejects(
    other.db.transaction().execute((tx) => running.enqueue(tx, 'test.unknown', {})),
    UnknownQueueError,
  )
  assert.throws(() => {
    running.work('test.late', async () => {})
  }, /before the job runner starts/)
})

test(
  'a job added outside a transaction is refused inside one, as the root handle is',
  { timeout: 30_000 },
  async (t) => {
    const { runner, database } = await givenRunner(t, (r) => {
      r.work('test.outside', async () => {})
    })
    await assert.rejects(
      database.db.transaction().execute(() => runner.trigger('test.outside', {})),
      RootHandleInTransactionError,
    )
  },
)

test('reports itself started with its database reachable, and not started once stopped', async (t) => {
  const { runner } = await givenRunner(t, (r) => {
    r.work('test.status', async () => {})
  })
  const status = await runner.status()
  assert.equal(status.started, true)
  assert.equal(status.database, 'UP')
  assert.equal(status.running, 0)
  assert.deepEqual(status.workers, [{ queue: 'test.status', state: 'active' }])

  await runner.stop()
  assert.equal((await runner.status()).started, false)
})

test('keeps its recurring jobs as schedules, in a schema of its own per test database', async (t) => {
  const { runner, database } = await givenRunner(t, (r) => {
    r.work('test.recurring', async () => {})
    r.schedule('test.recurring', '*/10 * * * *')
  })
  assert.deepEqual(await runner.schedules(), [{ queue: 'test.recurring', cron: '*/10 * * * *', timezone: 'UTC' }])
  if (database.kind === 'postgres') {
    const current = await sql<{ schema: string }>`select current_schema() as schema`.execute(database.db)
    assert.equal(runner.schema, `${current.rows[0]?.schema ?? ''}_pgboss`)
  } else {
    assert.equal(runner.schema, 'pgboss')
  }
  assert.throws(() => {
    runner.schedule('test.recurring', '0 * * * *')
  }, /before the job runner starts/)
})
