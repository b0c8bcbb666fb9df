import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify'
import formbody from '@fastify/formbody'
import swagger from '@fastify/swagger'
import type { Config } from './config.ts'
import { systemClock, type Clock } from './platform/clock.ts'
import { openDatabase, type Database } from './platform/db/database.ts'
import { IDEMPOTENCY_WINDOW_MS, purgeIdempotencyKeys } from './platform/db/idempotency.ts'
import { registerAccessControl } from './platform/http/auth.ts'
import { registerErrorHandling } from './platform/http/errors.ts'
import { purgeRateLimitBuckets } from './platform/http/rate-limit-store.ts'
import { cookieNames, registerSecurity } from './platform/http/security.ts'
import { registerViews } from './platform/views/nunjucks.ts'
import { registerHealthRoutes } from './platform/http/health.ts'
import { PRODUCTION_PASSWORD_COST, type PasswordCost } from './features/staff/index.ts'
import { featurePages, features } from './features.ts'
import { createServices, type Services } from './services.ts'
import { migrate } from './migrations.ts'

export interface AppOverrides {
  /** An open, migrated database (tests); otherwise one is opened from the config and closed with the app. */
  database?: Database
  clock?: Clock
  passwordCost?: PasswordCost
  logger?: FastifyServerOptions['logger']
}

const errorPages: Record<number, { heading: string; paragraphs: string[] }> = {
  400: { heading: 'Sorry, there is a problem with your request', paragraphs: ['Go back and try again.'] },
  403: {
    heading: 'You do not have permission to view this page',
    paragraphs: ['If you think you should have access, contact your hub manager or administrator.'],
  },
  404: {
    heading: 'Page not found',
    paragraphs: ['If you typed the web address, check it is correct.', 'If you pasted the web address, check you copied the entire address.'],
  },
  429: { heading: 'Too many requests', paragraphs: ['Wait a minute, then try again.'] },
  500: { heading: 'Sorry, there is a problem with the service', paragraphs: ['Try again later.'] },
}

async function renderErrorPage(reply: FastifyReply, status: number): Promise<unknown> {
  const page = errorPages[status] ?? errorPages[status >= 500 ? 500 : 400] ?? { heading: 'Error', paragraphs: [] }
  // Error pages may be rendered before the page hooks ran (an error in onRequest), so set what the layout needs.
  const nonce = (reply as { cspNonce?: { script: string } }).cspNonce?.script ?? ''
  return reply.code(status).view('errors/error.njk', { pageTitle: page.heading, cspNonce: nonce, ...page })
}

/**
 * Database errors carry the failing SQL's parameters (PGlite: `params`, `query`; pg: `detail` such as "Failing row
 * contains (...)"), which are personal data. Only what identifies the fault is logged.
 */
export function safeErrorForLog(error: Error): { type: string; message: string; stack: string; [key: string]: unknown } {
  const e = error as Error & { code?: unknown; constraint?: unknown; table?: unknown; statusCode?: unknown }
  return {
    type: e.name,
    message: e.message,
    stack: e.stack ?? '',
    code: e.code,
    constraint: e.constraint,
    table: e.table,
    statusCode: e.statusCode,
  }
}

/** Logs carry no personal data: no query strings (they hold search text), bodies, cookies or tokens. */
function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], remove: true },
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({ method: req.method, path: req.url.split('?')[0], id: req.id }),
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
  const app = Fastify({
    logger: overrides.logger ?? loggerOptions(config),
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    // Trust exactly the stated number of proxy hops (Fastify's typings omit the numeric form, so say it as a function).
    trustProxy: config.trustProxy === false ? false : (_address: string, hop: number) => hop < (config.trustProxy || 0),
    ajv: { customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array' } },
    bodyLimit: 1024 * 1024,
  })
  if (ownsDatabase) app.addHook('onClose', () => database.close())
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
    if (!request.url.startsWith('/assets/')) reply.header('cache-control', 'no-store')
  })

  const names = cookieNames(config)
  const passwordCost = overrides.passwordCost ?? PRODUCTION_PASSWORD_COST
  const services = createServices({ config, database, clock, passwordCost })
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
  app.get('/api/docs', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger())

  registerHealthRoutes(app, { db: database.db })
  const web = {
    flashCookie: names.flash,
    cookies: { session: names.session, flash: names.flash, secure: names.secure },
    now: () => clock.now(),
  }
  const checks = featurePages(services, web.now)
  for (const feature of features) {
    if (feature.plugin !== undefined) await app.register(feature.plugin, { services, web, checks })
  }

  if (config.appEnv !== 'test') startHousekeeping(app, { auth, database, clock })
  return app
}

const HOUSEKEEPING_INTERVAL_MS = 10 * 60 * 1000

/**
 * Deletes expired sessions, old idempotency keys and ended rate-limit windows every few minutes. Safe to run in every app process at once:
 * each step is an idempotent delete. A failure is logged and retried next time; it never stops the service.
 */
function startHousekeeping(
  app: FastifyInstance,
  deps: { auth: Services['auth']; database: Database; clock: Clock },
): void {
  const run = async () => {
    try {
      const sessions = await deps.auth.purgeExpiredSessions()
      const before = new Date(deps.clock.now().getTime() - IDEMPOTENCY_WINDOW_MS)
      await deps.database.db.transaction().execute((tx) => purgeIdempotencyKeys(tx, before))
      await purgeRateLimitBuckets(deps.database.db)
      app.log.debug({ sessions }, 'housekeeping done')
    } catch (error) {
      app.log.warn({ err: error }, 'housekeeping failed; will retry')
    }
  }
  const timer = setInterval(() => void run(), HOUSEKEEPING_INTERVAL_MS)
  timer.unref()
  app.addHook('onClose', async () => {
    clearInterval(timer)
  })
}
