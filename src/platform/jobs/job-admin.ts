/**
 * Background jobs that used up their retries (each queue's dead-letter list), for administrators to see and run
 * again: a page at /admin/jobs and the same under /api/v1/admin/jobs. Job data is ids only, so nothing personal is
 * shown. Retrying is audited.
 */
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { AuditService } from '../audit/audit.service.ts'
import { actorOf } from '../http/auth.ts'
import { NotFoundError } from '../http/errors.ts'
import { ProblemSchema } from '../http/problem.ts'
import { setFlash } from '../views/nunjucks.ts'
import { formatDateTime } from '../views/format.ts'
import type { JobRunner } from './job-runner.ts'

const admins = ['admin'] as const
const Params = Type.Object({ queue: Type.String({ maxLength: 100 }), id: Type.String({ maxLength: 100 }) })
const FailedJobSchema = Type.Object({
  queue: Type.String(),
  id: Type.String(),
  failedAt: Type.String({ format: 'date-time' }),
  attempts: Type.Integer(),
  error: Type.String(),
})

export function registerJobAdmin(
  app: FastifyInstance,
  deps: { jobs: JobRunner | undefined; audit: AuditService; flashCookie: string },
): void {
  const { jobs, audit, flashCookie } = deps
  const api = app.withTypeProvider<TypeBoxTypeProvider>()

  const list = async () => (jobs === undefined ? [] : await jobs.failedJobs())
  const retry = async (queue: string, id: string, request: Parameters<typeof actorOf>[0]) => {
    if (jobs === undefined || !(await jobs.retryFailedJob(queue, id))) {
      throw new NotFoundError('No failed job has that queue and id: it may have been retried already.')
    }
    await audit.recordAlone(actorOf(request), {
      action: 'update',
      entityType: 'job',
      entityId: id,
      details: { queue, change: 'retry' },
    })
  }

  app.get('/admin/jobs', { config: { access: admins } }, async (_request, reply) => {
    const failed = await list()
    return reply.view('jobs/failed-jobs.njk', {
      pageTitle: 'Failed background jobs',
      running: jobs !== undefined,
      rows: failed.map((job) => ({
        queue: job.queue,
        id: job.id,
        failedAt: formatDateTime(job.failedAt),
        attempts: job.attempts,
        error: job.error,
        action: `/admin/jobs/${encodeURIComponent(job.queue)}/${encodeURIComponent(job.id)}/retry`,
      })),
    })
  })

  app.post('/admin/jobs/:queue/:id/retry', { config: { access: admins } }, async (request, reply) => {
    const { queue, id } = request.params as { queue: string; id: string }
    await retry(queue, id, request)
    setFlash(reply, flashCookie, `The ${queue} job will run again`)
    return reply.redirect('/admin/jobs')
  })

  api.get(
    '/api/v1/admin/jobs/failed',
    {
      config: { access: admins },
      schema: {
        tags: ['admin'],
        summary: 'Background jobs that used up their retries, newest first (administrators)',
        response: { 200: Type.Object({ jobs: Type.Array(FailedJobSchema) }), 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async () => ({
      jobs: (await list()).map((job) => ({
        queue: job.queue,
        id: job.id,
        failedAt: job.failedAt.toISOString(),
        attempts: job.attempts,
        error: job.error,
      })),
    }),
  )

  api.post(
    '/api/v1/admin/jobs/failed/:queue/:id/retry',
    {
      config: { access: admins },
      schema: {
        tags: ['admin'],
        summary: 'Run a failed job again from its first attempt (administrators)',
        params: Params,
        response: { 204: Type.Null(), 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request, reply) => {
      await retry(request.params.queue, request.params.id, request)
      return reply.code(204).send(null)
    },
  )
}
