import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ForbiddenError, UnauthenticatedError } from './errors.ts'
import type { StaffRole } from './roles.ts'

export type { StaffRole }

/** The signed-in staff user a request acts for. */
export interface Principal {
  readonly userId: string
  readonly email: string
  readonly displayName: string
  readonly role: StaffRole
  /** Sites the user belongs to (ids). Partners and analysts may have none. */
  readonly siteIds: readonly string[]
  readonly organisationId: string | null
  readonly via: 'session' | 'token'
  /** An administrator set the password: nothing but choosing a new one (and signing out) is allowed. */
  readonly mustChangePassword?: boolean
}

/**
 * Who may use a route. `public` needs no sign-in; `signed-in` is any staff user; a list names the roles.
 * Every route must declare one (checked when the route is registered).
 */
export type Access = 'public' | 'signed-in' | readonly StaffRole[]

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access
    /** The few routes open to a user who must change their password first (the change itself, signing out). */
    allowedBeforePasswordChange?: boolean
    /** A page (HTML with the layout) served under /api/, such as the readable API document. */
    page?: boolean
    /**
     * A public route another service calls with its own bearer secret, never a browser (GOV.UK Notify's
     * callbacks): it carries no ambient credential, so CSRF does not apply. The route checks the secret itself.
     */
    serviceCallback?: boolean
  }
  interface FastifyRequest {
    principal: Principal | undefined
  }
}

/** Who is acting and in which request: passed from the edge into every service call that reads or writes a person. */
export interface ActorContext {
  readonly principal: Principal | undefined
  readonly requestId: string
}

export function actorOf(request: { principal: Principal | undefined; id: string }): ActorContext {
  return { principal: request.principal, requestId: request.id }
}

/** Where a service call came from, recorded in the audit trail: a page or the JSON API. */
export type Channel = 'page' | 'api'

/** The signed-in principal of a service call; a call with none is refused as unauthenticated. */
export function principalOf(actor: ActorContext): Principal {
  if (actor.principal === undefined) throw new UnauthenticatedError('Sign in to continue.')
  return actor.principal
}

/** As `principalOf`, and refused (403) unless the principal has one of the roles, whatever the route allows. */
export function principalWithRole(
  actor: ActorContext,
  roles: readonly StaffRole[],
  refusal = 'You do not have permission to do this.',
): Principal {
  const principal = principalOf(actor)
  if (!hasRole(principal, roles)) throw new ForbiddenError(refusal)
  return principal
}

export interface PrincipalResolver {
  /** Returns the principal for this request's session cookie or bearer token, or undefined. */
  (request: FastifyRequest, reply: FastifyReply): Promise<Principal | undefined>
}

/** Roles that may see person-level records at all. */
export const personRecordRoles = [
  'clinician',
  'probation_practitioner',
  'hub_manager',
] as const satisfies readonly StaffRole[]
/** Roles that may see clinical detail (answers, scores, clinical notes). */
export const clinicalRoles = ['clinician', 'hub_manager'] as const satisfies readonly StaffRole[]

export function hasRole(principal: Principal, roles: readonly StaffRole[]): boolean {
  return roles.includes(principal.role)
}

export function requirePrincipal(request: FastifyRequest): Principal {
  if (request.principal === undefined) throw new UnauthenticatedError('Sign in to continue.')
  return request.principal
}

/** Throws unless the principal belongs to the site. Record-level check for anything tied to a site. */
export function assertSiteAccess(principal: Principal, siteId: string): void {
  if (!principal.siteIds.includes(siteId)) throw new ForbiddenError('You do not have access to this site.')
}

const ASSETS_PREFIX = '/assets/'
/** Where a user whose password an administrator set is sent until they choose their own. */
export const CHANGE_PASSWORD_PATH = '/account/password'

function describe(access: Access): string {
  return typeof access === 'string' ? access : access.join(', ')
}

/**
 * Installs authentication and the per-route access rule. A route registered without `config.access` stops the
 * service from starting: no route is ever open by accident.
 */
export function registerAccessControl(app: FastifyInstance, resolve: PrincipalResolver): void {
  app.decorateRequest('principal', undefined)

  app.addHook('onRoute', (route) => {
    // Static assets (GOV.UK Frontend, MoJ Frontend, the service's own CSS and JS) are public by nature.
    if (route.url.startsWith(ASSETS_PREFIX) && route.config?.access === undefined) {
      route.config = { ...route.config, access: 'public' }
    }
    const access = route.config?.access
    if (access === undefined) {
      throw new Error(`Route ${String(route.method)} ${route.url} does not declare who may use it (config.access)`)
    }
    if (typeof access !== 'string' && access.length === 0) {
      throw new Error(`Route ${String(route.method)} ${route.url} declares an empty role list`)
    }
  })

  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access
    // Unknown URLs (404) have no route config; they need no principal.
    if (access === undefined) return
    request.principal = await resolve(request, reply)
    if (access === 'public') return
    const principal = requirePrincipal(request)
    if (principal.mustChangePassword === true && request.routeOptions.config.allowedBeforePasswordChange !== true) {
      if (request.url.startsWith('/api/')) {
        throw new ForbiddenError(
          'Your password was set by an administrator. Sign in to the service and choose a new one first.',
        )
      }
      return reply.redirect(CHANGE_PASSWORD_PATH)
    }
    if (access === 'signed-in') return
    if (!hasRole(principal, access)) {
      request.log.info({ role: principal.role, needs: describe(access) }, 'role refused')
      throw new ForbiddenError('You do not have permission to do this.')
    }
  })
}
