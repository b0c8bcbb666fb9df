/**
 * The messages' background jobs: each message's own send job (added in the transaction that schedules it, to run
 * at its send time), a sweep every minute that sends anything due that no job has sent (a message scheduled while
 * no process ran jobs, or whose job gave up), and, without delivery callbacks, a poll for receipts.
 */
import type { Transaction } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import { JobRunnerNotStartedError, type JobLogger, type JobRunner } from '../../platform/jobs/job-runner.ts'
import { SendLaterError, type MessagesService } from './messages.service.ts'

export const MESSAGE_SEND_QUEUE = 'message-send'
export const MESSAGE_SWEEP_QUEUE = 'message-sweep'
export const MESSAGE_RECEIPTS_QUEUE = 'message-receipts'

/** Adds a message's send job inside the scheduling transaction. Job data is the message id only. */
export function messageSendEnqueuer(jobs: JobRunner) {
  return async (tx: Transaction<DB>, messageId: string, startAfter: Date): Promise<void> => {
    try {
      await jobs.enqueue(tx, MESSAGE_SEND_QUEUE, { messageId }, { startAfter, singletonKey: messageId })
    } catch (error) {
      // Not started (this process does not run jobs, or a command-line run): the sweep sends it when due.
      if (!(error instanceof JobRunnerNotStartedError)) throw error
    }
  }
}

export function registerMessageJobs(
  jobs: JobRunner,
  messages: MessagesService,
  options: { log: JobLogger; pollReceipts: boolean },
): void {
  jobs.work<{ messageId?: unknown }>(
    MESSAGE_SEND_QUEUE,
    async (job) => {
      const id = typeof job.data.messageId === 'string' ? job.data.messageId : ''
      try {
        const outcome = await messages.send(id)
        options.log.debug({ messageId: id, outcome }, 'message handled')
      } catch (error) {
        // Retried with back-off by the runner; the message stays scheduled, so the sweep is there if retries end.
        if (error instanceof SendLaterError)
          options.log.info({ messageId: id, reason: error.message }, 'message send later')
        throw error
      }
    },
    {
      retryLimit: 8,
      retryDelaySeconds: 30,
      retryBackoff: true,
      retryDelayMaxSeconds: 30 * 60,
      timeoutSeconds: 120,
      concurrency: 4,
    },
  )
  jobs.work(
    MESSAGE_SWEEP_QUEUE,
    async () => {
      const counts = await messages.sendDue(undefined, (messageId, error) => {
        options.log.error({ messageId, err: error }, 'message send failed')
      })
      if (counts.failed > 0) options.log.warn(counts, 'message sweep done with failures')
      else options.log.debug(counts, 'message sweep done')
    },
    { retryLimit: 0, timeoutSeconds: 10 * 60, oneAtATime: true },
  )
  jobs.schedule(MESSAGE_SWEEP_QUEUE, '* * * * *')
  if (options.pollReceipts) {
    jobs.work(
      MESSAGE_RECEIPTS_QUEUE,
      async () => {
        const changed = await messages.pollReceipts()
        options.log.debug({ changed }, 'message receipts polled')
      },
      { retryLimit: 0, timeoutSeconds: 10 * 60, oneAtATime: true },
    )
    jobs.schedule(MESSAGE_RECEIPTS_QUEUE, '*/5 * * * *')
  }
}
