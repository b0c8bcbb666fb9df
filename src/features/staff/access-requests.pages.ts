import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { formErrorContext, type FormBody } from '../../platform/forms/forms.ts'
import { requirePrincipal, type Access } from '../../platform/http/auth.ts'
import { ConflictError, DomainError, type FieldError } from '../../platform/http/errors.ts'
import { setFlash } from '../../platform/views/nunjucks.ts'
import type { ActorContext } from '../../platform/audit/audit.service.ts'
import type { SitesService } from '../sites/index.ts'
import { parseDecision } from './staff.forms.ts'
import { staffPaths } from './staff.paths.ts'
import type { StaffService } from './staff.service.ts'
import { accessRequestView, andList, siteNames } from './staff.view-models.ts'
import { roleLabel } from './staff.messages.ts'

/** Hub managers decide requests within their sites; administrators any they did not ask for. */
const deciders: Access = ['admin', 'hub_manager']

function actorOf(request: FastifyRequest): ActorContext {
  return { principal: requirePrincipal(request), requestId: request.id }
}

async function sitesById(sites: SitesService) {
  return new Map((await sites.listAll()).map((s) => [s.id, s]))
}

/** The Access requests pages: the pending list, and one request to approve or refuse (Post/Redirect/Get). */
export function registerAccessRequestPages(
  app: FastifyInstance,
  deps: { staff: StaffService; sites: SitesService; flashCookie: string },
): void {
  const { staff, sites, flashCookie } = deps

  async function renderRequest(
    reply: FastifyReply,
    request: FastifyRequest,
    id: string,
    status: number,
    errors: readonly FieldError[],
    values: Record<string, unknown>,
  ) {
    const [found, byId] = await Promise.all([staff.getAccessRequest(id, actorOf(request)), sitesById(sites)])
    const view = accessRequestView(found.request, byId, found.bar)
    return reply.code(status).view('staff/views/access-request.njk', {
      pageTitle: `Access request for ${found.request.staffName}`,
      request: view,
      current: {
        role: roleLabel(found.user.role),
        sites: andList(siteNames(found.user, byId)),
        status: found.user.status,
      },
      isAdmin: requirePrincipal(request).role === 'admin',
      action: staffPaths.accessRequest(id),
      backHref: staffPaths.accessRequests,
      ...formErrorContext(errors, values),
    })
  }

  app.get(staffPaths.accessRequests, { config: { access: deciders } }, async (request, reply) => {
    const [requests, byId] = await Promise.all([staff.listAccessRequests(actorOf(request)), sitesById(sites)])
    return reply.view('staff/views/access-requests.njk', {
      pageTitle: 'Access requests',
      rows: requests.map(({ request: r, bar }) => accessRequestView(r, byId, bar)),
      isAdmin: requirePrincipal(request).role === 'admin',
      staffHref: staffPaths.list,
    })
  })

  app.get(staffPaths.accessRequest(':id'), { config: { access: deciders } }, async (request, reply) => {
    const { id } = request.params as { id: string }
    return renderRequest(reply, request, id, 200, [], { reason: '' })
  })

  app.post(staffPaths.accessRequest(':id'), { config: { access: deciders } }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const input = parseDecision(request.body as FormBody | undefined)
    try {
      const { request: decided, oneTimePassword } = await staff.decideAccessRequest(id, input, actorOf(request))
      // Shown once, to the approver only (never redirected, so it is never in a URL, a flash cookie or a log).
      if (oneTimePassword !== undefined) {
        return await reply.view('staff/views/reset-password-shown.njk', {
          pageTitle: `Password reset approved for ${decided.staffName}`,
          staffName: decided.staffName,
          password: oneTimePassword,
          backHref: staffPaths.accessRequests,
        })
      }
      setFlash(
        reply,
        flashCookie,
        decided.status === 'approved'
          ? `You approved the access asked for ${decided.staffName}`
          : decided.kind === 'password-reset'
            ? `You refused the password reset asked for ${decided.staffName}`
            : `You refused the access asked for ${decided.staffName}`,
      )
      return await reply.redirect(staffPaths.accessRequests)
    } catch (error) {
      if (error instanceof DomainError)
        return renderRequest(reply, request, id, 400, error.errors, { reason: input.reason })
      if (error instanceof ConflictError) {
        return renderRequest(reply, request, id, 409, [{ field: 'decision', message: error.message }], {
          reason: input.reason,
        })
      }
      throw error
    }
  })
}
