/**
 * Every background job of the service, registered on a job runner before it starts: by each app process with
 * JOBS_ENABLED, and by `hub worker`, which runs them without serving pages.
 */
import type { Config } from './config.ts'
import type { Clock } from './platform/clock.ts'
import type { Database } from './platform/db/database.ts'
import { IDEMPOTENCY_WINDOW_MS, purgeIdempotencyKeys } from './platform/db/idempotency.ts'
import { purgeRateLimitBuckets } from './platform/http/rate-limit-store.ts'
import type { JobLogger, JobRunner } from './platform/jobs/job-runner.ts'
import { registerMessageJobs } from './features/messages/index.ts'
import type { Services } from './services.ts'

export const HOUSEKEEPING_QUEUE = 'housekeeping'

export function registerBackgroundJobs(
  jobs: JobRunner,
  deps: { config: Config; services: Services; database: Database; clock: Clock; log: JobLogger },
): void {
  const { config, services, database, clock, log } = deps
  registerHousekeeping(jobs, { auth: services.auth, database, clock, log })
  registerAuditVerification(jobs, { audit: services.audit, log })
  registerMessageJobs(jobs, services.messages, { log, pollReceipts: config.messages.callbackToken === undefined })
}
export const AUDIT_VERIFY_QUEUE = 'audit-verify'

/**
 * The whole audit chain checked every night (ADR 0009: the auditor's page checks only what is new), as
 * `hub audit verify` does. A break is logged as an error for the operators' alerting, naming the event; the job
 * fails so it stays listed with the runner's failed jobs.
 */
function registerAuditVerification(
  jobs: JobRunner,
  deps: { audit: Services['audit']; log: JobLogger },
): void {
  jobs.work(
    AUDIT_VERIFY_QUEUE,
    async () => {
      const result = await deps.audit.verify()
      if (!result.ok) {
        deps.log.error(
          { brokenAt: result.brokenAt, checked: result.checked, problem: result.problem },
          'audit chain does not verify',
        )
        throw new Error(`The audit chain does not verify: ${result.problem ?? 'unknown problem'}`)
      }
      deps.log.info({ checked: result.checked }, 'audit chain verified')
    },
    { retryLimit: 0, timeoutSeconds: 6 * 60 * 60, oneAtATime: true },
  )
  jobs.schedule(AUDIT_VERIFY_QUEUE, '30 2 * * *')
}

/**
 * Deletes expired sessions, old idempotency keys and ended rate-limit windows, every 10 minutes, as a job: one run
 * per occurrence across every app process, one at a time. Each step is an idempotent delete; a failed run is not
 * retried (the next one is ten minutes away) but stays listed with the runner's failed jobs.
 */
function registerHousekeeping(
  jobs: JobRunner,
  deps: { auth: Services['auth']; database: Database; clock: Clock; log: JobLogger },
): void {
  jobs.work(
    HOUSEKEEPING_QUEUE,
    async () => {
      const sessions = await deps.auth.purgeExpiredSessions()
      const before = new Date(deps.clock.now().getTime() - IDEMPOTENCY_WINDOW_MS)
      await deps.database.db.transaction().execute((tx) => purgeIdempotencyKeys(tx, before))
      await purgeRateLimitBuckets(deps.database.db)
      deps.log.debug({ sessions }, 'housekeeping done')
    },
    { retryLimit: 0, timeoutSeconds: 5 * 60, oneAtATime: true },
  )
  jobs.schedule(HOUSEKEEPING_QUEUE, '*/10 * * * *')
}
