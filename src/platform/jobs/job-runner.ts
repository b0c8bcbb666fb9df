/**
 * Background jobs on pg-boss, on either database: queues with retries and a dead-letter queue each, recurring jobs,
 * and jobs enqueued inside the business transaction that causes them (committed with it, gone if it rolls back).
 *
 * Job data is ids and options, never personal data: it is stored as it is, and kept after the job has run.
 */
import { PgBoss, fromKysely, type JobWithMetadata } from 'pg-boss'
import { sql, type Transaction } from 'kysely'
import type { Database } from '../db/database.ts'
import type { DB } from '../db/schema.ts'
import { jobDatabase } from './job-database.ts'

export interface JobContext<T> {
  readonly id: string
  readonly queue: string
  readonly data: T
  /** 0 on the first attempt. */
  readonly retryCount: number
  /** Aborted when the runner gives up waiting for the handler at shutdown. */
  readonly signal: AbortSignal
}

/** Resolves when the job is done; throws to have it retried (and, after the last retry, dead-lettered). */
export type JobHandler<T> = (job: JobContext<T>) => Promise<void>

export interface WorkOptions {
  /** Retries after the first attempt before the job goes to the queue's dead-letter queue. Default 3. */
  retryLimit?: number
  /** Wait before the first retry. Default 30 seconds. */
  retryDelaySeconds?: number
  /** Double the wait with each retry (with some jitter), up to `retryDelayMaxSeconds`. Default true. */
  retryBackoff?: boolean
  /** Default one hour. */
  retryDelayMaxSeconds?: number
  /** How long an attempt may run before it counts as failed. Default 15 minutes. */
  timeoutSeconds?: number
  /** Jobs of this queue run at once in this process. Default 1. */
  concurrency?: number
  /** At most one job of this queue runs at a time across every process (pg-boss's `singleton` policy). */
  oneAtATime?: boolean
}

export interface EnqueueOptions {
  /** Not before this time. */
  startAfter?: Date
  /** At most one job with this key waits in the queue (a second enqueue while it waits returns null). */
  singletonKey?: string
}

export interface FailedJob {
  /** The queue the job failed on. */
  queue: string
  /** Its id in the dead-letter queue: the one `retryFailedJob` takes. */
  id: string
  data: unknown
  /** When it gave up. */
  failedAt: Date
  attempts: number
  /** The last attempt's error message. */
  error: string
}

export interface JobSummary {
  id: string
  queue: string
  state: 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed'
  retryCount: number
  /** The last error's message, for a failed or retrying job. */
  error: string | undefined
}

export interface JobRunnerStatus {
  /** Started and not stopping. */
  started: boolean
  /** The runner's tables answer. */
  database: 'UP' | 'DOWN'
  /** Handlers running in this process now. */
  running: number
  workers: { queue: string; state: string }[]
}

export interface JobLogger {
  debug(object: object, message: string): void
  info(object: object, message: string): void
  warn(object: object, message: string): void
  error(object: object, message: string): void
}

export interface JobRunnerOptions {
  database: Database
  logger: JobLogger
  /**
   * pg-boss's schema. Default `pgboss`; on PostgreSQL with a search path other than `public` (each test file's
   * own schema), `<that schema>_pgboss`, so test processes sharing a server do not share queues.
   */
  schema?: string
  /** How often an idle worker looks for a job. Default 2 seconds (at least 0.5). */
  pollingIntervalSeconds?: number
  /** How long stop() waits for running handlers before failing their jobs (to be retried). Default 8 seconds. */
  stopTimeoutMs?: number
}

export interface JobRunner {
  /** pg-boss's schema (known once started). */
  readonly schema: string | undefined
  /** Registers a queue and its handler (before start). */
  work<T extends object>(queue: string, handler: JobHandler<T>, options?: WorkOptions): void
  /** Runs a job on a registered queue on a cron expression (UTC), from every process, once per occurrence. */
  schedule(queue: string, cron: string): void
  /** Installs or upgrades pg-boss's tables, creates the queues and starts the workers and schedules. */
  start(): Promise<void>
  /** Stops taking jobs and waits for running handlers, at most `stopTimeoutMs`. */
  stop(): Promise<void>
  /** Adds a job inside the caller's transaction: it exists only if the transaction commits. */
  enqueue(tx: Transaction<DB>, queue: string, data: object, options?: EnqueueOptions): Promise<string | null>
  /** Adds a job now, outside any transaction (an administrator's "run now"). */
  trigger(queue: string, data: object): Promise<string | null>
  status(): Promise<JobRunnerStatus>
  getJob(queue: string, id: string): Promise<JobSummary | undefined>
  /** Jobs that used up their retries, newest first, from every registered queue's dead-letter queue. */
  failedJobs(): Promise<FailedJob[]>
  /** Puts a dead-lettered job back on its queue, to run again from its first attempt. False if it is not there. */
  retryFailedJob(queue: string, id: string): Promise<boolean>
  schedules(): Promise<{ queue: string; cron: string; timezone: string }[]>
  /** Jobs waiting (ready now), running and failed, per registered queue and its dead-letter queue (for metrics). */
  queueDepths(): Promise<{ queue: string; ready: number; active: number; failed: number }[]>
}

export class UnknownQueueError extends Error {
  constructor(queue: string) {
    super(`No queue "${queue}" is registered with the job runner: register it with work() before start().`)
    this.name = 'UnknownQueueError'
  }
}

export class JobRunnerNotStartedError extends Error {
  constructor() {
    super('The job runner has not been started (JOBS_ENABLED may be false): start() it before adding jobs.')
    this.name = 'JobRunnerNotStartedError'
  }
}

/** A handler's failure as stored with the job: what it was and what it said, without a database error's parameters. */
class JobFailedError extends Error {
  readonly code: unknown
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause))
    this.name = cause instanceof Error ? cause.name : 'JobFailedError'
    this.code = (cause as { code?: unknown } | undefined)?.code
  }
}

export function deadLetterQueueOf(queue: string): string {
  return `${queue}.dead-letter`
}

const DEFAULT_SCHEMA = 'pgboss'
const NO_JOB = '00000000-0000-0000-0000-000000000000'

interface Registration {
  queue: string
  handler: JobHandler<object>
  options: Required<Omit<WorkOptions, 'oneAtATime'>> & { oneAtATime: boolean }
}

async function defaultSchema(database: Database): Promise<string> {
  if (database.kind === 'pglite') return DEFAULT_SCHEMA
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(database.db)
  const current = rows[0]?.schema ?? 'public'
  return current === 'public' ? DEFAULT_SCHEMA : `${current}_${DEFAULT_SCHEMA}`
}

/** A stored failure: the handler's error (`{ name, message, ... }`), or pg-boss's own reason (`{ value }`). */
function errorMessage(output: unknown): string {
  const stored = output as { message?: unknown; value?: unknown } | null | undefined
  if (typeof stored?.message === 'string') return stored.message
  return typeof stored?.value === 'string' ? stored.value : ''
}

export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { database, logger } = options
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 2
  const stopTimeoutMs = options.stopTimeoutMs ?? 8000
  const registrations = new Map<string, Registration>()
  const cronSchedules: { queue: string; cron: string }[] = []
  let state: 'created' | 'starting' | 'started' | 'stopping' | 'stopped' = 'created'
  let boss: PgBoss | undefined
  let schema: string | undefined
  let running = 0

  const started = (): PgBoss => {
    if (boss === undefined || state === 'created' || state === 'starting') throw new JobRunnerNotStartedError()
    return boss
  }
  const registered = (queue: string): Registration => {
    const registration = registrations.get(queue)
    if (registration === undefined) throw new UnknownQueueError(queue)
    return registration
  }

  async function runJob(registration: Registration, job: JobWithMetadata | undefined): Promise<void> {
    if (job === undefined) return
    running++
    try {
      await registration.handler({
        id: job.id,
        queue: registration.queue,
        data: job.data,
        retryCount: job.retryCount,
        signal: job.signal,
      })
    } catch (error) {
      const failure = new JobFailedError(error)
      const last = job.retryCount >= job.retryLimit
      logger.warn(
        {
          queue: registration.queue,
          jobId: job.id,
          retryCount: job.retryCount,
          error: { type: failure.name, message: failure.message, code: failure.code },
        },
        last ? 'job failed for the last time: dead-lettered' : 'job failed: will retry',
      )
      throw failure
    } finally {
      running--
    }
  }

  async function createQueues(instance: PgBoss): Promise<void> {
    for (const { queue, options: o } of registrations.values()) {
      const deadLetter = deadLetterQueueOf(queue)
      await instance.createQueue(deadLetter)
      const settings = {
        retryLimit: o.retryLimit,
        retryDelay: o.retryDelaySeconds,
        retryBackoff: o.retryBackoff,
        // pg-boss refuses a maximum for a fixed delay.
        ...(o.retryBackoff ? { retryDelayMax: o.retryDelayMaxSeconds } : {}),
        expireInSeconds: o.timeoutSeconds,
        deadLetter,
      }
      await instance.createQueue(queue, { ...settings, policy: o.oneAtATime ? 'singleton' : 'standard' })
      // Creating a queue that exists changes nothing: settings changed in code since are applied here.
      await instance.updateQueue(queue, settings)
      // pg-boss looks a queue up on first use and caches it. Look it up now: the first use may be an enqueue
      // inside a transaction, where pg-boss's lookup outside it is refused (RootHandleInTransactionError).
      await instance.findJobs(queue, { id: NO_JOB })
    }
  }

  return {
    get schema() {
      return schema
    },

    work(queue, handler, workOptions = {}) {
      if (state !== 'created') throw new Error(`Register queue "${queue}" before the job runner starts`)
      if (registrations.has(queue)) throw new Error(`Queue "${queue}" is registered twice`)
      registrations.set(queue, {
        queue,
        handler: handler as JobHandler<object>,
        options: {
          retryLimit: workOptions.retryLimit ?? 3,
          retryDelaySeconds: workOptions.retryDelaySeconds ?? 30,
          retryBackoff: workOptions.retryBackoff ?? true,
          retryDelayMaxSeconds: workOptions.retryDelayMaxSeconds ?? 3600,
          timeoutSeconds: workOptions.timeoutSeconds ?? 15 * 60,
          concurrency: workOptions.concurrency ?? 1,
          oneAtATime: workOptions.oneAtATime ?? false,
        },
      })
    },

    schedule(queue, cron) {
      if (state !== 'created') throw new Error(`Schedule queue "${queue}" before the job runner starts`)
      registered(queue)
      cronSchedules.push({ queue, cron })
    },

    async start() {
      if (state !== 'created') throw new Error(`The job runner cannot start: it is ${state}`)
      state = 'starting'
      try {
        schema = options.schema ?? (await defaultSchema(database))
        const instance = new PgBoss({
          db: jobDatabase(database),
          schema,
          backend: database.kind === 'pglite' ? 'pglite' : 'postgres',
        })
        boss = instance
        // pg-boss's errors are its own (a failed poll or maintenance pass) and it carries on; job failures are
        // logged by runJob. Only what identifies the fault is logged: a database error carries the query's values.
        instance.on('error', (error: { message?: unknown; code?: unknown; queue?: unknown }) => {
          logger.error({ error: { message: error.message, code: error.code }, queue: error.queue }, 'job runner error')
        })
        instance.on('warning', (warning: { message: string }) => {
          logger.warn({ warning: warning.message }, 'job runner warning')
        })
        await instance.start()
        await createQueues(instance)
        for (const registration of registrations.values()) {
          await instance.work(
            registration.queue,
            {
              includeMetadata: true,
              batchSize: 1,
              localConcurrency: registration.options.concurrency,
              pollingIntervalSeconds,
            },
            ([job]: JobWithMetadata[]) => runJob(registration, job),
          )
        }
        for (const { queue, cron } of cronSchedules) await instance.schedule(queue, cron, null, { tz: 'UTC' })
        state = 'started'
        logger.info({ schema, queues: [...registrations.keys()] }, 'job runner started')
      } catch (error) {
        state = 'stopped'
        await boss?.stop({ graceful: false }).catch(() => undefined)
        throw error
      }
    },

    async stop() {
      if (state !== 'started' || boss === undefined) {
        state = 'stopped'
        return
      }
      state = 'stopping'
      try {
        await boss.stop({ graceful: true, timeout: stopTimeoutMs })
      } finally {
        state = 'stopped'
        logger.info({}, 'job runner stopped')
      }
    },

    async enqueue(tx, queue, data, enqueueOptions = {}) {
      const instance = started()
      registered(queue)
      return instance.send(queue, data, {
        db: fromKysely(tx),
        ...(enqueueOptions.startAfter === undefined ? {} : { startAfter: enqueueOptions.startAfter }),
        ...(enqueueOptions.singletonKey === undefined ? {} : { singletonKey: enqueueOptions.singletonKey }),
      })
    },

    async trigger(queue, data) {
      const instance = started()
      registered(queue)
      return instance.send(queue, data)
    },

    async status() {
      const up = state === 'started' && boss !== undefined
      let reachable = false
      if (boss !== undefined) {
        try {
          reachable = (await boss.schemaVersion()) !== null
        } catch {
          reachable = false
        }
      }
      return {
        started: up,
        database: reachable ? 'UP' : 'DOWN',
        running,
        workers: (boss?.getWipData() ?? []).map((w) => ({ queue: w.name, state: w.state })),
      }
    },

    async getJob(queue, id) {
      const instance = started()
      const [job] = await instance.findJobs<object>(queue, { id })
      if (job === undefined) return undefined
      return {
        id: job.id,
        queue: job.name,
        state: job.state,
        retryCount: job.retryCount,
        error: job.state === 'failed' || job.state === 'retry' ? errorMessage(job.output) : undefined,
      }
    },

    async queueDepths() {
      const instance = started()
      const names = [...registrations.keys()].flatMap((queue) => [queue, deadLetterQueueOf(queue)])
      const queues = await instance.getQueues(names)
      return queues.map((q) => ({ queue: q.name, ready: q.readyCount, active: q.activeCount, failed: q.failedCount }))
    },

    async failedJobs() {
      const instance = started()
      const failed: FailedJob[] = []
      for (const queue of registrations.keys()) {
        for (const job of await instance.findJobs<object>(deadLetterQueueOf(queue))) {
          failed.push({
            queue: job.sourceName ?? queue,
            id: job.id,
            data: job.data,
            failedAt: job.createdOn,
            attempts: (job.sourceRetryCount ?? 0) + 1,
            error: errorMessage(job.sourceOutput),
          })
        }
      }
      return failed.sort((a, b) => b.failedAt.getTime() - a.failedAt.getTime())
    },

    async retryFailedJob(queue, id) {
      const instance = started()
      registered(queue)
      const moved = await instance.redrive(deadLetterQueueOf(queue), { ids: [id], destination: queue, limit: 1 })
      return moved === 1
    },

    async schedules() {
      const instance = started()
      return (await instance.getSchedules()).map((s) => ({ queue: s.name, cron: s.cron, timezone: s.timezone }))
    },
  }
}
