/**
 * Operational metrics in the Prometheus text format (prom-client): request durations by route template and status,
 * the database pool, the audit chain's seal lag, and the job queues. Not public: served either on a port of its own
 * (METRICS_PORT, for a scraper inside the network) or on the service's port with a bearer token (METRICS_TOKEN);
 * with neither set, not served at all. Labels carry route templates and status codes only, never a path with ids.
 */
import { timingSafeEqual, createHash } from 'node:crypto'
import http from 'node:http'
import type { FastifyInstance } from 'fastify'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { Database } from '../db/database.ts'
import type { JobRunner } from '../jobs/job-runner.ts'

export interface MetricsSources {
  database: Database
  /** How long the oldest unsealed audit event has waited, in milliseconds. */
  auditSealLagMs: () => Promise<number>
  jobs: JobRunner | undefined
}

export interface Metrics {
  readonly registry: Registry
  /** The text a scrape returns. */
  text(): Promise<string>
  readonly contentType: string
}

export function createMetrics(app: FastifyInstance, sources: MetricsSources): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'hub_' })

  const requestDuration = new Histogram({
    name: 'hub_http_request_duration_seconds',
    help: 'Time to answer a request, by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  })
  app.addHook('onResponse', async (request, reply) => {
    // The template (/people/:id), never the path: ids would make a series per person.
    const route = request.routeOptions.url ?? 'unmatched'
    requestDuration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    )
  })

  const { pool } = sources.database
  new Gauge({
    name: 'hub_db_pool_connections',
    help: 'Database pool connections by state (PostgreSQL server only; the embedded database has one)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      if (pool === undefined) return
      this.set({ state: 'total' }, pool.totalCount)
      this.set({ state: 'idle' }, pool.idleCount)
      this.set({ state: 'waiting' }, pool.waitingCount)
    },
  })

  const scrapeErrors = new Counter({
    name: 'hub_metrics_source_errors_total',
    help: 'Sources that could not be read during a scrape',
    labelNames: ['source'] as const,
    registers: [registry],
  })

  new Gauge({
    name: 'hub_audit_seal_lag_seconds',
    help: 'How long the oldest audit event not yet sealed into the hash chain has waited',
    registers: [registry],
    async collect() {
      try {
        this.set((await sources.auditSealLagMs()) / 1000)
      } catch {
        scrapeErrors.inc({ source: 'audit' })
      }
    },
  })

  new Gauge({
    name: 'hub_job_queue_jobs',
    help: 'Background jobs by queue and state (ready to run, running, failed)',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      const jobs = sources.jobs
      if (jobs === undefined) return
      try {
        for (const depth of await jobs.queueDepths()) {
          this.set({ queue: depth.queue, state: 'ready' }, depth.ready)
          this.set({ queue: depth.queue, state: 'active' }, depth.active)
          this.set({ queue: depth.queue, state: 'failed' }, depth.failed)
        }
      } catch {
        scrapeErrors.inc({ source: 'jobs' })
      }
    },
  })

  return { registry, text: () => registry.metrics(), contentType: registry.contentType }
}

function sameSecret(given: string, expected: string): boolean {
  // Hashing first gives equal lengths, so the comparison takes the same time whatever was sent.
  const a = createHash('sha256').update(given).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b)
}

/** GET /metrics on the service's own port, for a caller with `Authorization: Bearer METRICS_TOKEN`. */
export function registerMetricsRoute(app: FastifyInstance, metrics: Metrics, token: string): void {
  app.get(
    '/metrics',
    { config: { access: 'public' }, schema: { hide: true }, logLevel: 'warn' },
    async (request, reply) => {
      const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')
      if (match?.[1] === undefined || !sameSecret(match[1], token)) {
        return reply
          .code(401)
          .header('www-authenticate', 'Bearer realm="metrics"')
          .type('text/plain; charset=utf-8')
          .send('Metrics need the metrics token.\n')
      }
      return reply.type(metrics.contentType).send(await metrics.text())
    },
  )
}

/** A listener of its own for the scraper (METRICS_PORT): /metrics only, nothing else of the service. */
export async function listenForMetrics(
  metrics: Metrics,
  options: { port: number; host: string },
): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    if (request.method !== 'GET' || (request.url ?? '').split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n')
      return
    }
    metrics.text().then(
      (text) => response.writeHead(200, { 'content-type': metrics.contentType }).end(text),
      () => response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Metrics failed\n'),
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  return server
}
