import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { formErrorContext, text } from '../../platform/forms/forms.ts'
import type { FieldError } from '../../platform/http/errors.ts'
import { setFlash } from '../../platform/views/nunjucks.ts'
import { CHANGE_PASSWORD_PATH, requirePrincipal, type Principal } from '../../platform/http/auth.ts'
import { NotFoundError } from '../../platform/http/errors.ts'
import type { AuthService } from './auth.service.ts'
import { LOCKOUT_MS, MAX_FAILED_SIGN_INS } from './auth.service.ts'

export const SIGN_IN_FAILED = `Enter a correct email address and password. After ${MAX_FAILED_SIGN_INS} wrong attempts an account is locked for ${LOCKOUT_MS / 60_000} minutes; an administrator can unlock it`

export interface AuthPagesDeps {
  auth: AuthService
  cookies: { session: string; flash: string; secure: boolean }
}

/**
 * Only a path on this site: never an open redirect. Browsers drop tabs and newlines from URLs and treat a backslash
 * as a slash, so "/\t/evil.example" would become "//evil.example"; such input is refused outright. What is returned
 * is the normalised path, and it is that which is checked: "/.//evil.example" normalises to "//evil.example", which
 * a browser reads as another site.
 */
export function safeReturnTo(raw: unknown): string | undefined {
  if (!isSitePath(raw)) return undefined
  const base = 'http://hub.invalid'
  const url = new URL(raw, base)
  if (url.origin !== base) return undefined
  const normalised = `${url.pathname}${url.search}`
  return isSitePath(normalised) && new URL(normalised, base).origin === base ? normalised : undefined
}

/** A path a browser reads as this site's: one leading slash, no second slash or backslash, no control characters. */
function isSitePath(value: unknown): value is string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.length > 2000) return false
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is being refused
  return !/[\u0000-\u001f\u007f\\]/.test(value) && !value.startsWith('//')
}

export function homeFor(principal: Principal): string {
  switch (principal.role) {
    case 'clinician':
    case 'probation_practitioner':
    case 'hub_manager':
      return '/worklist'
    case 'admin':
      return '/admin/users'
    case 'auditor':
      return '/audit'
    case 'partner':
      return '/referrals'
    case 'analyst':
      return '/reporting'
  }
}

export function registerAuthPages(app: FastifyInstance, deps: AuthPagesDeps): void {
  const { auth, cookies } = deps

  const renderSignIn = (reply: FastifyReply, status: number, errors: FieldError[], values: Record<string, unknown>) =>
    reply.code(status).view('staff/views/sign-in.njk', { pageTitle: 'Sign in', ...formErrorContext(errors, values) })

  app.get('/', { config: { access: 'public' } }, async (request, reply) => {
    return reply.redirect(request.principal === undefined ? '/sign-in' : homeFor(request.principal))
  })

  app.get('/sign-in', { config: { access: 'public' } }, async (request, reply) => {
    const query = request.query as Record<string, unknown>
    if (request.principal !== undefined)
      return reply.redirect(safeReturnTo(query['returnTo']) ?? homeFor(request.principal))
    return renderSignIn(reply, 200, [], { returnTo: safeReturnTo(query['returnTo']) ?? '' })
  })

  app.post(
    '/sign-in',
    {
      config: {
        access: 'public',
        rateLimit: { max: 20, timeWindow: '1 minute', keyGenerator: (request: FastifyRequest) => request.ip },
      },
    },
    async (request, reply) => {
      const body = request.body as Record<string, unknown> | undefined
      const email = text(body, 'email')
      const password = typeof body?.['password'] === 'string' ? body['password'] : ''
      const returnTo = safeReturnTo(text(body, 'returnTo'))
      const values = { email, returnTo: returnTo ?? '' }
      const errors: FieldError[] = []
      if (email === '') errors.push({ field: 'email', message: 'Enter your email address' })
      if (password === '') errors.push({ field: 'password', message: 'Enter your password' })
      if (errors.length > 0) return renderSignIn(reply, 400, errors, values)

      const result = await auth.signIn(email, password, { principal: undefined, requestId: request.id })
      if (!result.ok) {
        // One answer for a wrong password, an unknown address and a locked account, so the page never tells anyone
        // which accounts exist; the lockout rule is stated for everyone.
        return renderSignIn(reply, 401, [{ field: 'email', message: SIGN_IN_FAILED }], values)
      }
      reply.setCookie(cookies.session, result.sessionToken, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: cookies.secure,
      })
      return reply.redirect(returnTo ?? homeFor(result.principal))
    },
  )

  app.post(
    '/sign-out',
    { config: { access: 'signed-in', allowedBeforePasswordChange: true } },
    async (request, reply) => {
      const token = request.cookies[cookies.session]
      if (token !== undefined) await auth.signOut(token, { principal: request.principal, requestId: request.id })
      reply.clearCookie(cookies.session, { path: '/', httpOnly: true, sameSite: 'lax', secure: cookies.secure })
      setFlash(reply, cookies.flash, 'You have signed out')
      return reply.redirect('/sign-in')
    },
  )

  app.get('/account', { config: { access: 'signed-in' } }, async (request, reply) => {
    const principal = requirePrincipal(request)
    const tokens = await auth.listApiTokens(principal.userId)
    return reply.view('staff/views/account.njk', { pageTitle: 'Your account', tokens })
  })

  const renderPassword = (reply: FastifyReply, principal: Principal, status: number, errors: FieldError[] = []) =>
    reply.code(status).view('staff/views/change-password.njk', {
      pageTitle: 'Change your password',
      required: principal.mustChangePassword === true,
      ...formErrorContext(errors, {}),
    })

  app.get(
    CHANGE_PASSWORD_PATH,
    { config: { access: 'signed-in', allowedBeforePasswordChange: true } },
    async (request, reply) => renderPassword(reply, requirePrincipal(request), 200),
  )

  app.post(
    CHANGE_PASSWORD_PATH,
    {
      config: {
        access: 'signed-in',
        allowedBeforePasswordChange: true,
        rateLimit: { max: 10, timeWindow: '1 minute', keyGenerator: (request: FastifyRequest) => request.ip },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request)
      const body = request.body as Record<string, unknown> | undefined
      const result = await auth.changeOwnPassword(
        {
          current: text(body, 'currentPassword'),
          next: text(body, 'newPassword'),
          confirm: text(body, 'confirmPassword'),
          sessionToken: request.cookies[cookies.session],
        },
        { principal, requestId: request.id },
      )
      // Passwords are never echoed back into the form.
      if (!result.ok) return renderPassword(reply, principal, 400, result.errors)
      setFlash(reply, cookies.flash, 'Your password has been changed')
      return reply.redirect(principal.mustChangePassword === true ? homeFor(principal) : '/account')
    },
  )

  app.post('/account/tokens/:id/revoke', { config: { access: 'signed-in' } }, async (request, reply) => {
    const principal = requirePrincipal(request)
    const { id } = request.params as { id: string }
    const tokens = await auth.listApiTokens(principal.userId)
    if (!tokens.some((t) => t.id === id)) throw new NotFoundError('No such token')
    await auth.revokeApiToken(id, { principal, requestId: request.id })
    setFlash(reply, cookies.flash, 'API token revoked')
    return reply.redirect('/account')
  })
}
