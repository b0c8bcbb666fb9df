import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify'
import formbody from '@fastify/formbody'
import swagger from '@fastify/swagger'
import type { Config } from './config.ts'
import { systemClock, type Clock } from './platform/clock.ts'
import { openDatabase, type Database } from './platform/db/database.ts'
import { registerAccessControl } from './platform/http/auth.ts'
import { handleClientError, handleFrameworkError, registerErrorHandling } from './platform/http/errors.ts'
import { registerInputGuards } from './platform/http/input.ts'
import { validatorsByPart } from './platform/http/validation.ts'
import { cookieNames, registerSecurity } from './platform/http/security.ts'
import { registerViews } from './platform/views/nunjucks.ts'
import { createMetrics, registerMetricsRoute, type Metrics } from './platform/http/metrics.ts'
import { registerApiDocs } from './platform/http/api-docs.ts'
import { readBuildInfo, registerHealthRoutes } from './platform/http/health.ts'
import { createJobRunner, type JobRunner } from './platform/jobs/job-runner.ts'
import { registerJobAdmin } from './platform/jobs/job-admin.ts'
import { PRODUCTION_PASSWORD_COST, type PasswordCost } from './features/staff/index.ts'
import { featurePages, features } from './features.ts'
import { registerBackgroundJobs } from './jobs.ts'
import { createServices } from './services.ts'
import { migrate } from './migrations.ts'

export interface AppOverrides {
  /** An open, migrated database (tests); otherwise one is opened from the config and closed with the app. */
  database?: Database
  clock?: Clock
  passwordCost?: PasswordCost
  logger?: FastifyServerOptions['logger']
  /** Where the service's own logger writes (tests read it); ignored when `logger` is given. */
  logStream?: NodeJS.WritableStream
}

const errorPages: Record<number, { heading: string; paragraphs: string[] }> = {
  400: { heading: 'Sorry, there is a problem with your request', paragraphs: ['Go back and try again.'] },
  403: {
    heading: 'You do not have permission to view this page',
    paragraphs: ['If you think you should have access, contact your hub manager or administrator.'],
  },
  404: {
    heading: 'Page not found',
    paragraphs: [
      'If you typed the web address, check it is correct.',
      'If you pasted the web address, check you copied the entire address.',
    ],
  },
  413: {
    heading: 'Sorry, there is a problem with your request',
    paragraphs: ['What you sent is too large. Go back, shorten it and try again.'],
  },
  415: {
    heading: 'Sorry, there is a problem with your request',
    paragraphs: [
      'The form was sent in a way the service cannot read. Go back and try again, or try another web browser.',
    ],
  },
  429: { heading: 'Too many requests', paragraphs: ['Wait a minute, then try again.'] },
  500: { heading: 'Sorry, there is a problem with the service', paragraphs: ['Try again later.'] },
}

function errorPage(status: number, paragraphs?: readonly string[]) {
  const standard = errorPages[status] ?? errorPages[status >= 500 ? 500 : 400] ?? { heading: 'Error', paragraphs: [] }
  return { pageTitle: standard.heading, heading: standard.heading, paragraphs: paragraphs ?? standard.paragraphs }
}

async function renderErrorPage(reply: FastifyReply, status: number, paragraphs?: readonly string[]): Promise<unknown> {
  // Error pages may be rendered before the page hooks ran (an error in onRequest), so set what the layout needs.
  const nonce = (reply as { cspNonce?: { script: string } }).cspNonce?.script ?? ''
  return reply.code(status).view('errors/error.njk', { ...errorPage(status, paragraphs), cspNonce: nonce })
}

/**
 * An error page for an error found while routing: no hook has run and the reply is Fastify's bare one (no view, no
 * security headers), so the app renders the page and the strictest policy is set here.
 */
async function renderRoutingErrorPage(app: FastifyInstance, reply: FastifyReply, status: number): Promise<unknown> {
  const html = await app.view('errors/error.njk', { ...errorPage(status), cspNonce: '' })
  return reply
    .code(status)
    .header(
      'content-security-policy',
      "default-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'",
    )
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(html)
}

/**
 * Database errors carry the failing SQL's parameters (PGlite: `params`, `query`; pg: `detail` such as "Failing row
 * contains (...)"), which are personal data. Only what identifies the fault is logged. Their messages quote the
 * value too (`value "100000000000000000000" is out of range for type bigint`, `invalid input syntax for type uuid:
 * "..."`), so a database error's message keeps only the names it also reports as fields (constraint, table, column,
 * type); every other quoted or trailing value becomes "…", in the message and in the stack's first line.
 */
export function safeErrorForLog(error: Error): {
  type: string
  message: string
  stack: string
  [key: string]: unknown
} {
  const e = error as Error & {
    code?: unknown
    constraint?: unknown
    table?: unknown
    column?: unknown
    dataType?: unknown
    schema?: unknown
    routine?: unknown
    statusCode?: unknown
  }
  const database = typeof e.code === 'string' && SQLSTATE.test(e.code)
  const names = new Set([e.constraint, e.table, e.column, e.dataType, e.schema].filter((n) => typeof n === 'string'))
  const message = database ? withoutValues(e.message, names) : e.message
  const frames = (e.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line))
  return {
    type: e.name,
    message,
    stack: database ? [`${e.name}: ${message}`, ...frames].join('\n') : (e.stack ?? ''),
    code: e.code,
    constraint: e.constraint,
    table: e.table,
    column: e.column,
    dataType: e.dataType,
    routine: database ? e.routine : undefined,
    statusCode: e.statusCode,
  }
}

/** A PostgreSQL error code (SQLSTATE): five digits or capital letters. */
const SQLSTATE = /^[0-9A-Z]{5}$/

function withoutValues(message: string, names: ReadonlySet<unknown>): string {
  return message
    .replace(/"((?:[^"]|"")*)"/g, (quoted, inner: string) => (names.has(inner) ? quoted : '"…"'))
    .replace(/: (?!"…"$)[^"]*$/, ': …')
}

/** Logs carry no personal data: no query strings (they hold search text), bodies, cookies or tokens. */
function loggerOptions(config: Config, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    ...(stream === undefined ? {} : { stream }),
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], remove: true },
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({
        method: req.method,
        path: req.url.split('?')[0],
        id: req.id,
      }),
      err: safeErrorForLog,
    },
  }
}

/**
 * The app: Fastify with the platform's plugins (security, access control, views, errors, the API document), then
 * every feature's plugin, each given the services built once by `createServices` (src/services.ts).
 */
export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<FastifyInstance> {
  const database = overrides.database ?? (await openDatabase(config))
  const ownsDatabase = overrides.database === undefined
  if (ownsDatabase) await migrate(database.db)

  const clock = overrides.clock ?? systemClock
  const app: FastifyInstance = Fastify({
    logger: overrides.logger ?? loggerOptions(config, overrides.logStream),
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    // Trust exactly the stated number of proxy hops (Fastify's typings omit the numeric form, so say it as a function).
    trustProxy: config.trustProxy === false ? false : (_address: string, hop: number) => hop < (config.trustProxy || 0),
    // Coercion turns query, path and header strings into the numbers and booleans their schemas name; JSON bodies
    // are validated as sent, by a second validator that does not coerce (platform/http/validation.ts).
    ajv: { customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array' } },
    schemaController: { compilersFactory: { buildValidator: validatorsByPart() } },
    bodyLimit: 1024 * 1024,
    // Errors found while routing (bad percent-encoding, a path segment over 100 characters) and requests Node's
    // parser refuses are answered like every other error, never with Fastify's JSON that repeats the address.
    frameworkErrors: (error, request, reply) =>
      handleFrameworkError(error, request, reply, (bare, status) => renderRoutingErrorPage(app, bare, status)),
    clientErrorHandler: handleClientError,
  })
  if (ownsDatabase) app.addHook('onClose', () => database.close())
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
    if (!request.url.startsWith('/assets/')) reply.header('cache-control', 'no-store')
  })

  const names = cookieNames(config)
  const passwordCost = overrides.passwordCost ?? PRODUCTION_PASSWORD_COST
  const jobs = config.jobsEnabled ? createJobRunner({ database, logger: app.log }) : undefined
  const services = createServices({ config, database, clock, passwordCost, ...(jobs === undefined ? {} : { jobs }) })
  const { auth } = services

  await app.register(formbody)
  await registerSecurity(app, config, database.db)
  // After the cookie plugin, whose onRequest hook parses the session cookie this one reads.
  registerAccessControl(app, async (request) => {
    const authorization = request.headers.authorization
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization)
      return match?.[1] === undefined ? undefined : auth.resolveBearer(match[1])
    }
    const sessionToken = request.cookies[names.session]
    return sessionToken === undefined ? undefined : auth.resolveSession(sessionToken)
  })
  await registerViews(app, config, names.flash)
  registerErrorHandling(app, renderErrorPage)
  registerInputGuards(app)
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/')) {
      return reply.code(404).type('application/problem+json').send({
        type: 'https://probation-health-hub.service.gov.uk/problems/not-found',
        title: 'Not found',
        status: 404,
        detail: 'No such resource.',
      })
    }
    return renderErrorPage(reply, 404)
  })

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Probation Health Hub API',
        version: '1.0.0',
        description:
          'JSON API for the Probation Health Hub. Authenticate with `Authorization: Bearer TOKEN` (a personal API token). ' +
          'Errors are `application/problem+json` (RFC 9457); invalid fields are listed in `errors: [{ field, message }]`. ' +
          'Field names are camelCase.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  })
  registerApiDocs(app, () => app.swagger())

  if (config.metricsPort !== undefined || config.metricsToken !== undefined) {
    const metrics = createMetrics(app, { database, jobs, auditSealLagMs: () => services.audit.sealLagMs() })
    metricsByApp.set(app, metrics)
    if (config.metricsToken !== undefined) registerMetricsRoute(app, metrics, config.metricsToken)
  }
  registerHealthRoutes(app, { db: database.db, jobs, info: await readBuildInfo(config) })
  const web = {
    flashCookie: names.flash,
    cookies: { session: names.session, flash: names.flash, secure: names.secure },
    now: () => clock.now(),
  }
  registerJobAdmin(app, { jobs, audit: services.audit, flashCookie: names.flash })
  const checks = featurePages(services, web.now)
  for (const feature of features) {
    if (feature.plugin !== undefined) await app.register(feature.plugin, { services, web, checks })
  }

  // Each app process seals new audit events into the chain about every second (ADR 0009); tests seal when they
  // verify. Stopping seals what is left.
  if (config.appEnv !== 'test') {
    const stopSealing = services.audit.startSealing({
      intervalMs: config.auditSealIntervalMs,
      onError: (error) => {
        app.log.warn({ err: error }, 'audit sealing failed; will retry')
      },
    })
    app.addHook('preClose', stopSealing)
  }

  if (jobs !== undefined) {
    registerBackgroundJobs(jobs, { config, services, database, clock, log: app.log })
    jobRunners.set(app, jobs)
    // preClose, not onClose: onClose hooks run last-added first, so the database a caller hands in and closes on
    // close would be gone before the running handlers finish.
    app.addHook('preClose', () => jobs.stop())
    try {
      await jobs.start()
    } catch (error) {
      await app.close()
      throw error
    }
  }
  return app
}

const jobRunners = new WeakMap<FastifyInstance, JobRunner>()
const metricsByApp = new WeakMap<FastifyInstance, Metrics>()

/** The app's metrics, when METRICS_PORT or METRICS_TOKEN asks for them (server.ts serves them on METRICS_PORT). */
export function metricsOf(app: FastifyInstance): Metrics | undefined {
  return metricsByApp.get(app)
}

/** The app's job runner, when it runs jobs (JOBS_ENABLED). */
export function jobRunnerOf(app: FastifyInstance): JobRunner | undefined {
  return jobRunners.get(app)
}

export { AUDIT_VERIFY_QUEUE, HOUSEKEEPING_QUEUE, registerBackgroundJobs } from './jobs.ts'
