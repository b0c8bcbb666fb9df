import path from 'node:path'
import { createRequire } from 'node:module'
import type { FastifyInstance, FastifyReply } from 'fastify'
import view from '@fastify/view'
import fastifyStatic from '@fastify/static'
import nunjucks from 'nunjucks'
import type { Config } from '../../config.ts'
import { cspNonce } from '../http/security.ts'
import { formatDate, formatDateTime, formatNhsNumber } from './format.ts'

const require = createRequire(import.meta.url)
const srcDir = path.resolve(import.meta.dirname, '../..')
const govukDist = path.dirname(require.resolve('govuk-frontend/package.json')) + '/dist'
const mojRoot = path.dirname(require.resolve('@ministryofjustice/frontend/package.json'))

export const templatePaths = [
  path.join(srcDir, 'platform/views'),
  path.join(srcDir, 'features'),
  govukDist,
  mojRoot,
]

/** Filters and globals every template can use. */
export function configureNunjucks(env: nunjucks.Environment): nunjucks.Environment {
  env.addFilter('govukDate', formatDate)
  env.addFilter('govukDateTime', formatDateTime)
  env.addFilter('nhsNumber', formatNhsNumber)
  env.addGlobal('serviceName', 'Probation Health Hub')
  return env
}

declare module 'fastify' {
  interface FastifyReply {
    locals: Record<string, unknown> | undefined
  }
}

interface PageLocals {
  cspNonce: string
  principal: unknown
  csrfToken: string
  currentPath: string
  flash: { type: 'success' | 'important'; text: string } | undefined
}

/** Pages: Nunjucks with GOV.UK Frontend and MoJ Frontend, and their assets under /assets/. */
export async function registerViews(app: FastifyInstance, config: Config, flashCookieName: string): Promise<void> {
  await app.register(view, {
    engine: { nunjucks },
    templates: templatePaths,
    options: {
      autoescape: true,
      trimBlocks: true,
      lstripBlocks: true,
      onConfigure: configureNunjucks,
    },
  })

  await app.register(fastifyStatic, {
    root: [
      path.join(govukDist, 'govuk/assets'),
      path.join(govukDist, 'govuk'),
      path.join(mojRoot, 'moj/assets'),
      path.join(mojRoot, 'moj'),
      path.join(srcDir, 'platform/views/public'),
    ],
    prefix: '/assets/',
    maxAge: config.appEnv === 'production' ? '1d' : 0,
    index: false,
    allowedPath: (pathName) => !pathName.endsWith('.njk') && !pathName.endsWith('.scss'),
  })

  app.addHook('preHandler', async (request, reply) => {
    // API routes answer JSON; a page under /api/ (the readable API document) says so in its route config.
    const isPage = request.routeOptions.config.page === true
    if ((request.url.startsWith('/api/') && !isPage) || request.url.startsWith('/assets/')) return
    const locals: PageLocals = {
      cspNonce: cspNonce(reply),
      principal: request.principal,
      csrfToken: reply.generateCsrf(),
      currentPath: request.url.split('?')[0] ?? '/',
      flash: readFlash(request.cookies[flashCookieName], request.unsignCookie.bind(request)),
    }
    // __Host- cookies are only cleared by a Set-Cookie with the same Secure attribute they were set with.
    if (locals.flash !== undefined) reply.clearCookie(flashCookieName, flashCookieOptions(flashCookieName))
    reply.locals = { ...(reply.locals ?? {}), ...locals }
  })
}

function readFlash(
  raw: string | undefined,
  unsign: (value: string) => { valid: boolean; value: string | null },
): PageLocals['flash'] {
  if (raw === undefined) return undefined
  const result = unsign(raw)
  if (!result.valid || result.value === null) return undefined
  try {
    const parsed = JSON.parse(result.value) as { type?: unknown; text?: unknown }
    if ((parsed.type === 'success' || parsed.type === 'important') && typeof parsed.text === 'string') {
      return { type: parsed.type, text: parsed.text }
    }
  } catch {
    // A malformed flash is ignored: it only ever carried a confirmation message.
  }
  return undefined
}

function flashCookieOptions(cookieName: string) {
  return { path: '/', httpOnly: true, sameSite: 'lax', secure: cookieName.startsWith('__Host-') } as const
}

/** A one-time message shown on the next page (Post/Redirect/Get). */
export function setFlash(reply: FastifyReply, cookieName: string, text: string, type: 'success' | 'important' = 'success'): void {
  reply.setCookie(cookieName, JSON.stringify({ type, text }), { ...flashCookieOptions(cookieName), signed: true, maxAge: 60 })
}
