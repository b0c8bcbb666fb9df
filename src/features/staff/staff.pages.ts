import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { formErrorContext, type FormBody } from '../../platform/forms/forms.ts'
import { requirePrincipal, type Access } from '../../platform/http/auth.ts'
import { ConflictError, DomainError, type FieldError } from '../../platform/http/errors.ts'
import { setFlash } from '../../platform/views/nunjucks.ts'
import { govukPagination, pageCount } from '../../platform/views/pagination.ts'
import type { ActorContext } from '../../platform/audit/audit.service.ts'
import type { SitesService } from '../sites/index.ts'
import {
  inFieldOrder,
  parsePageNumber,
  parseNewUser,
  parseStaffFilter,
  parseUserChanges,
  parseVersion,
} from './staff.forms.ts'
import { roleLabel, messages } from './staff.messages.ts'
import { staffPaths } from './staff.paths.ts'
import type { StaffService, StaffUser } from './staff.service.ts'
import {
  accessRequestView,
  accessTags,
  editValues,
  organisationItems,
  roleOptions,
  siteItems,
  siteNames,
  statusTags,
  userRow,
} from './staff.view-models.ts'

export interface StaffPagesDeps {
  staff: StaffService
  sites: SitesService
  flashCookie: string
}

const adminOnly: Access = ['admin']
const STAFF_PAGE_SIZE = 50

function actorOf(request: FastifyRequest): ActorContext {
  return { principal: requirePrincipal(request), requestId: request.id }
}

function bodyOf(request: FastifyRequest): FormBody | undefined {
  return request.body as FormBody | undefined
}

/** An error that is about the whole form rather than one field: the summary links to the page's main content. */
function pageError(message: string, anchor: string) {
  return { errors: [{ field: anchor, message }], errorList: [{ text: message, href: `#${anchor}` }], errorFor: {} }
}

export function registerStaffPages(app: FastifyInstance, deps: StaffPagesDeps): void {
  const { staff, sites, flashCookie } = deps

  async function formOptions(values: Record<string, unknown>) {
    const [allSites, organisations] = await Promise.all([sites.listAll(), staff.listOrganisations()])
    return {
      roles: roleOptions(),
      siteItems: siteItems(allSites, values['sites']),
      organisationItems: organisationItems(organisations, values['organisationId']),
      hasSites: allSites.length > 0,
    }
  }

  async function renderNew(
    reply: FastifyReply,
    status: number,
    errors: readonly FieldError[],
    values: Record<string, unknown>,
  ) {
    return reply.code(status).view('staff/views/new.njk', {
      pageTitle: 'Add a staff user',
      ...formErrorContext(inFieldOrder(errors), values),
      ...(await formOptions(values)),
    })
  }

  async function renderUser(
    reply: FastifyReply,
    request: FastifyRequest,
    user: StaffUser,
    status = 200,
    extra: object = {},
  ) {
    const [allSites, organisations, access] = await Promise.all([
      sites.listAll(),
      staff.listOrganisations(),
      staff.getAccessState(user.id),
    ])
    const sitesById = new Map(allSites.map((s) => [s.id, s]))
    const locked = staff.isLocked(user)
    const latest = access.latest === undefined ? undefined : accessRequestView(access.latest, sitesById)
    return reply.code(status).view('staff/views/user.njk', {
      pageTitle: user.displayName,
      user,
      roleLabel: roleLabel(user.role),
      sites: siteNames(user, sitesById),
      organisation: organisations.find((o) => o.id === user.organisationId)?.name,
      tags: accessTags(statusTags(user, locked), access),
      pendingRequest: latest?.status === 'pending' ? latest : undefined,
      refusedRequest: latest?.status === 'refused' ? latest : undefined,
      awaitingFirstApproval: access.awaitingFirstApproval,
      locked,
      isSelf: requirePrincipal(request).userId === user.id,
      paths: {
        edit: staffPaths.edit(user.id),
        status: staffPaths.status(user.id),
        disable: staffPaths.disable(user.id),
        unlock: staffPaths.unlock(user.id),
        password: staffPaths.password(user.id),
      },
      ...extra,
    })
  }

  async function renderEdit(
    reply: FastifyReply,
    user: StaffUser,
    status: number,
    values: Record<string, unknown>,
    errorContext: object,
    version: number = user.version,
  ) {
    return reply.code(status).view('staff/views/edit.njk', {
      pageTitle: `Change ${user.displayName}’s details`,
      user,
      version,
      action: staffPaths.edit(user.id),
      backHref: staffPaths.user(user.id),
      ...errorContext,
      values,
      ...(await formOptions(values)),
    })
  }

  app.get(staffPaths.list, { config: { access: adminOnly } }, async (request, reply) => {
    const query = request.query as FormBody
    const { filter, values } = parseStaffFilter(query)
    const pageNumber = parsePageNumber(query)
    const [users, allSites, requests] = await Promise.all([
      staff.listUsersPage(filter, pageNumber, STAFF_PAGE_SIZE),
      sites.listAll(),
      staff.listAccessRequests(actorOf(request)),
    ])
    const sitesById = new Map(allSites.map((s) => [s.id, s]))
    const waiting = new Set(requests.map((r) => r.request.staffUserId))
    const hrefFor = (n: number) => {
      const kept = Object.entries(values).filter(([, value]) => value !== '')
      return `${staffPaths.list}?${new URLSearchParams([...kept, ['page', String(n)]]).toString()}`
    }
    return reply.view('staff/views/list.njk', {
      pageTitle: 'Staff users',
      values,
      rows: users.items.map((u) => userRow(u, sitesById, staff.isLocked(u), waiting.has(u.id))),
      total: users.total,
      pagination: govukPagination(pageNumber, pageCount(users.total, STAFF_PAGE_SIZE), hrefFor, 'Staff users pages'),
      pendingRequests: requests.length,
      accessRequestsHref: staffPaths.accessRequests,
      roles: roleOptions(),
      sites: allSites,
      filtered: Object.keys(filter).length > 0,
      createHref: staffPaths.create,
    })
  })

  app.get(staffPaths.create, { config: { access: adminOnly } }, async (_request, reply) => {
    return renderNew(reply, 200, [], { sites: [], organisationId: '' })
  })

  app.post(staffPaths.create, { config: { access: adminOnly } }, async (request, reply) => {
    const form = parseNewUser(bodyOf(request))
    try {
      const { user, generatedPassword, accessRequest } = await staff.createUser(form.value, actorOf(request))
      if (generatedPassword === undefined) {
        setFlash(
          reply,
          flashCookie,
          accessRequest === undefined
            ? `${user.displayName} can now sign in`
            : `${user.displayName}’s account is waiting for approval: they cannot sign in until it is approved`,
        )
        return await reply.redirect(staffPaths.user(user.id))
      }
      const allSites = accessRequest === undefined ? [] : await sites.listAll()
      return await reply.view('staff/views/password-shown.njk', {
        pageTitle: 'Staff user added',
        heading: 'Staff user added',
        user,
        password: generatedPassword,
        userHref: staffPaths.user(user.id),
        accessRequest:
          accessRequest === undefined
            ? undefined
            : accessRequestView(accessRequest, new Map(allSites.map((s) => [s.id, s]))),
      })
    } catch (error) {
      if (error instanceof DomainError) return renderNew(reply, 400, error.errors, form.values)
      throw error
    }
  })

  app.get(staffPaths.user(':id'), { config: { access: adminOnly } }, async (request, reply) => {
    const { id } = request.params as { id: string }
    return renderUser(reply, request, await staff.getUser(id))
  })

  app.get(staffPaths.edit(':id'), { config: { access: adminOnly } }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const user = await staff.getUser(id)
    return renderEdit(reply, user, 200, editValues(user), formErrorContext([], {}))
  })

  app.post(staffPaths.edit(':id'), { config: { access: adminOnly } }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const user = await staff.getUser(id)
    const form = parseUserChanges(bodyOf(request))
    try {
      if (form.version === undefined) throw new ConflictError(messages.stale)
      const { user: updated, accessRequest } = await staff.updateUser(id, form.version, form.value, actorOf(request))
      setFlash(
        reply,
        flashCookie,
        accessRequest === undefined
          ? `${updated.displayName}’s details were saved`
          : `${updated.displayName}’s details were saved. The access you asked for is waiting for approval`,
      )
      return await reply.redirect(staffPaths.user(id))
    } catch (error) {
      if (error instanceof DomainError) {
        const errors = formErrorContext(inFieldOrder(error.errors), form.values)
        return renderEdit(reply, user, 400, form.values, errors, form.version ?? user.version)
      }
      // Stale: show what is stored now (with its new version) rather than the edit, so nothing is overwritten blindly.
      if (error instanceof ConflictError) {
        const current = await staff.getUser(id)
        return renderEdit(reply, current, 409, editValues(current), pageError(messages.stale, 'fullName'))
      }
      throw error
    }
  })

  /** Enables an account. Disabling is not done here: it needs the "Are you sure?" step, so it is sent there. */
  app.post(staffPaths.status(':id'), { config: { access: adminOnly } }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const body = bodyOf(request)
    const wanted = body?.['status']
    if (wanted === 'disabled') return reply.redirect(staffPaths.disable(id), 303)
    const version = parseVersion(body)
    try {
      if (version === undefined || wanted !== 'active') throw new ConflictError(messages.stale)
      const user = await staff.enableUser(id, version, actorOf(request))
      setFlash(reply, flashCookie, `${user.displayName}’s account is enabled`)
      return await reply.redirect(staffPaths.user(id))
    } catch (error) {
      return renderActionError(reply, request, id, error)
    }
  })

  app.get(staffPaths.disable(':id'), { config: { access: adminOnly } }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const user = await staff.getUser(id)
    if (user.status !== 'active') return reply.redirect(staffPaths.user(id))
    if (requirePrincipal(request).userId === user.id) {
      return renderUser(reply, request, user, 400, pageError(messages.ownAccountDisable, 'account-actions'))
    }
    return reply.view('staff/views/confirm-disable.njk', {
      pageTitle: `Are you sure you want to disable ${user.displayName}’s account?`,
      user,
      action: staffPaths.disable(id),
      backHref: staffPaths.user(id),
    })
  })

  app.post(staffPaths.disable(':id'), { config: { access: adminOnly } }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const version = parseVersion(bodyOf(request))
    try {
      if (version === undefined) throw new ConflictError(messages.stale)
      const user = await staff.disableUser(id, version, actorOf(request))
      setFlash(reply, flashCookie, `${user.displayName}’s account is disabled`)
      return await reply.redirect(staffPaths.user(id))
    } catch (error) {
      return renderActionError(reply, request, id, error)
    }
  })

  app.post(staffPaths.unlock(':id'), { config: { access: adminOnly } }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const version = parseVersion(bodyOf(request))
    try {
      if (version === undefined) throw new ConflictError(messages.stale)
      const user = await staff.unlockUser(id, version, actorOf(request))
      setFlash(reply, flashCookie, `${user.displayName}’s account is unlocked`)
      return await reply.redirect(staffPaths.user(id))
    } catch (error) {
      return renderActionError(reply, request, id, error)
    }
  })

  async function renderActionError(reply: FastifyReply, request: FastifyRequest, id: string, error: unknown) {
    if (error instanceof DomainError || error instanceof ConflictError) {
      const user = await staff.getUser(id)
      const status = error instanceof ConflictError ? 409 : 400
      return renderUser(reply, request, user, status, pageError(error.message, 'account-actions'))
    }
    throw error
  }

  async function renderPassword(
    reply: FastifyReply,
    request: FastifyRequest,
    user: StaffUser,
    status: number,
    errorContext: object,
    version: number = user.version,
  ) {
    return reply.code(status).view('staff/views/password.njk', {
      pageTitle: `Reset ${user.displayName}’s password`,
      user,
      version,
      isSelf: requirePrincipal(request).userId === user.id,
      action: staffPaths.password(user.id),
      backHref: staffPaths.user(user.id),
      ...errorContext,
      values: {},
    })
  }

  app.get(staffPaths.password(':id'), { config: { access: adminOnly } }, async (request, reply) => {
    const { id } = request.params as { id: string }
    return renderPassword(reply, request, await staff.getUser(id), 200, formErrorContext([], {}))
  })

  /** Only asks for a reset: a second person approves it and is shown the one-time password (README, Roles). */
  app.post(staffPaths.password(':id'), { config: { access: adminOnly } }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const user = await staff.getUser(id)
    const version = parseVersion(bodyOf(request))
    try {
      if (version === undefined) throw new ConflictError(messages.stale)
      await staff.requestPasswordReset(id, version, actorOf(request))
      setFlash(
        reply,
        flashCookie,
        `The reset of ${user.displayName}’s password is waiting for approval. Whoever approves it is shown the new password`,
      )
      return await reply.redirect(staffPaths.user(id))
    } catch (error) {
      if (error instanceof DomainError) {
        return renderPassword(reply, request, user, 400, formErrorContext(error.errors, {}), version ?? user.version)
      }
      if (error instanceof ConflictError) {
        const current = await staff.getUser(id)
        return renderPassword(reply, request, current, 409, pageError(messages.stale, 'password'))
      }
      throw error
    }
  })
}
