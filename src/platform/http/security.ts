import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import cookie from '@fastify/cookie'
import csrf from '@fastify/csrf-protection'
import helmet from '@fastify/helmet'
import rateLimit from '@fastify/rate-limit'
import type { Kysely } from 'kysely'
import type { Config } from '../../config.ts'
import type { DB } from '../db/schema.ts'
import { databaseRateLimitStore } from './rate-limit-store.ts'

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export function cookieNames(config: Config) {
  // __Host- cookies must be Secure, so they are used only where the service runs over HTTPS.
  const secure = config.appEnv === 'production'
  return {
    secure,
    session: secure ? '__Host-hub_session' : 'hub_session',
    csrf: secure ? '__Host-hub_csrf' : 'hub_csrf',
    flash: secure ? '__Host-hub_flash' : 'hub_flash',
  }
}

/**
 * Security headers (CSP with per-request nonces), signed cookies, CSRF on every unsafe request made with a
 * session cookie, and the rate limiter (applied per route where configured, counted in the database).
 */
export async function registerSecurity(app: FastifyInstance, config: Config, db: Kysely<DB>): Promise<void> {
  const names = cookieNames(config)
  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        upgradeInsecureRequests: config.appEnv === 'production' ? [] : null,
      },
    },
    hsts: config.appEnv === 'production',
    referrerPolicy: { policy: 'same-origin' },
  })
  await app.register(cookie, { secret: config.sessionSecret })
  await app.register(csrf, {
    cookieKey: names.csrf,
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: names.secure, signed: true },
    getToken: (request: FastifyRequest) => {
      const body = request.body as Record<string, unknown> | undefined
      const fromBody = body !== undefined && typeof body === 'object' ? body['_csrf'] : undefined
      if (typeof fromBody === 'string') return fromBody
      const header = request.headers['x-csrf-token']
      return typeof header === 'string' ? header : undefined
    },
  })
  // Counted in the database, so the limits hold across every app process.
  await app.register(rateLimit, { global: false, store: databaseRateLimitStore(db) })

  // Requests authenticated by a bearer token carry no ambient credentials, so CSRF does not apply to them.
  app.addHook('preHandler', (request, reply, done) => {
    if (!UNSAFE_METHODS.has(request.method) || request.principal?.via === 'token') {
      done()
      return
    }
    if (request.routeOptions.config.access === undefined) {
      done()
      return
    }
    if (request.routeOptions.config.serviceCallback === true && request.routeOptions.config.access === 'public') {
      done()
      return
    }
    app.csrfProtection(request, reply, done)
  })
}

export function cspNonce(reply: FastifyReply): string {
  return reply.cspNonce.script
}
