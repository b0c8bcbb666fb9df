import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { formErrorContext, type FormBody, isUuid } from '../../platform/forms/forms.ts'
import { hasRole, requirePrincipal, type Principal } from '../../platform/http/auth.ts'
import { DomainError, type FieldError } from '../../platform/http/errors.ts'
import { setFlash } from '../../platform/views/nunjucks.ts'
import { parseServiceForm, serviceToFormValues, type ServiceFormValues } from './services.forms.ts'
import { kindText, limits, messages } from './services.messages.ts'
import { servicePaths, serviceRoutes } from './services.paths.ts'
import {
  directoryKeeperRoles,
  directoryReaderRoles,
  type DirectoryService,
  type ServicesService,
} from './services.service.ts'
import {
  directoryGroups,
  kindFilterItems,
  kindRadioItems,
  parseDirectoryQuery,
  serviceRows,
} from './services.view-models.ts'
import { actorOf } from '../../platform/http/auth.ts'

export interface ServicesPagesDeps {
  services: ServicesService
  flashCookie: string
}

export function registerServicesPages(app: FastifyInstance, deps: ServicesPagesDeps): void {
  const { services, flashCookie } = deps
  const readers = { access: directoryReaderRoles }
  const keepers = { access: directoryKeeperRoles }

  async function renderForm(
    reply: FastifyReply,
    principal: Principal,
    status: number,
    form: { mode: 'new' } | { mode: 'edit'; service: DirectoryService },
    values: ServiceFormValues,
    errors: readonly FieldError[] = [],
    extra: Record<string, unknown> = {},
  ) {
    const editing = form.mode === 'edit' ? form.service : undefined
    // A new-entry form carries a one-time id, kept when shown again, so a double submit adds one entry.
    const submitted = typeof values['submissionId'] === 'string' ? values['submissionId'] : ''
    const submissionId = editing === undefined ? (isUuid(submitted) ? submitted : randomUUID()) : undefined
    const mySites = await services.sitesFor(principal)
    const organisations = await services.organisations()
    const siteCode = typeof values['siteCode'] === 'string' ? values['siteCode'] : ''
    return reply.code(status).view('services/views/form.njk', {
      pageTitle: editing === undefined ? 'Add a service to the directory' : `Change ${editing.name}`,
      action: editing === undefined ? serviceRoutes.newService : servicePaths.editService(editing.id),
      backHref: editing === undefined ? servicePaths.directory({ site: siteCode }) : servicePaths.service(editing.id),
      editing: editing !== undefined,
      siteName: editing?.siteName,
      submissionId,
      sites: mySites.map((s) => ({ value: s.code, text: s.name })),
      kinds: kindRadioItems(),
      organisations: [{ value: '', text: 'None' }, ...organisations.map((o) => ({ value: o.code, text: o.name }))],
      limits,
      ...formErrorContext(errors, values),
      ...extra,
    })
  }

  app.get(serviceRoutes.directory, { config: readers }, async (request, reply) => {
    const principal = requirePrincipal(request)
    const mySites = await services.sitesFor(principal)
    const params = parseDirectoryQuery(request.query as Record<string, unknown>, mySites[0]?.code ?? '')
    if (mySites.length === 0) {
      return reply.view('services/views/list.njk', { pageTitle: 'Service directory', noSites: true })
    }
    const { site, services: entries } = await services.listDirectory(
      { siteCode: params.site, kind: params.kind, includeInactive: params.inactive },
      actorOf(request),
    )
    return reply.view('services/views/list.njk', {
      pageTitle: `Service directory – ${site.name}`,
      site,
      params,
      mySites: mySites.map((s) => ({ value: s.code, text: s.name, selected: s.code === site.code })),
      kinds: kindFilterItems(params.kind),
      groups: directoryGroups(entries),
      filtered: params.kind !== undefined,
      kindHeading: params.kind === undefined ? undefined : kindText[params.kind].group,
      canKeep: hasRole(principal, directoryKeeperRoles),
      newHref: servicePaths.newService(site.code),
      clearHref: servicePaths.directory({ site: site.code }),
    })
  })

  app.get(serviceRoutes.newService, { config: keepers }, async (request, reply) => {
    const principal = requirePrincipal(request)
    const mySites = await services.sitesFor(principal)
    const query = request.query as Record<string, unknown>
    const wanted = typeof query['site'] === 'string' ? query['site'] : undefined
    const siteCode = mySites.find((s) => s.code === wanted)?.code ?? mySites[0]?.code ?? ''
    return renderForm(reply, principal, 200, { mode: 'new' }, { siteCode })
  })

  app.post(serviceRoutes.newService, { config: keepers }, async (request, reply) => {
    const principal = requirePrincipal(request)
    const form = parseServiceForm(request.body as FormBody | undefined, 'new')
    if (!form.ok) return renderForm(reply, principal, 400, { mode: 'new' }, form.values, form.errors)
    const submissionId = typeof form.values['submissionId'] === 'string' ? form.values['submissionId'] : ''
    try {
      const { service } = await services.createService(
        form.value,
        actorOf(request),
        'page',
        isUuid(submissionId) ? submissionId : undefined,
      )
      setFlash(reply, flashCookie, `${service.name} has been added to the directory`)
      return await reply.redirect(servicePaths.service(service.id))
    } catch (error) {
      if (!(error instanceof DomainError)) throw error
      if (error.code === 'idempotency-key-reused') {
        const values = { ...form.values, submissionId: '' }
        return renderForm(reply, principal, 400, { mode: 'new' }, values, [
          { field: 'name', message: messages.formAlreadyUsed },
        ])
      }
      return renderForm(reply, principal, 400, { mode: 'new' }, form.values, error.errors)
    }
  })

  app.get(serviceRoutes.service, { config: readers }, async (request, reply) => {
    const principal = requirePrincipal(request)
    const { id } = request.params as { id: string }
    const service = await services.viewService(id, actorOf(request))
    return reply.view('services/views/service.njk', {
      pageTitle: service.name,
      service,
      kindLabel: kindText[service.kind].label,
      rows: serviceRows(service),
      canKeep: hasRole(principal, directoryKeeperRoles),
      editHref: servicePaths.editService(service.id),
      directoryHref: servicePaths.directory({ site: service.siteCode }),
    })
  })

  app.get(serviceRoutes.editService, { config: keepers }, async (request, reply) => {
    const principal = requirePrincipal(request)
    const { id } = request.params as { id: string }
    const service = await services.viewService(id, actorOf(request))
    return renderForm(reply, principal, 200, { mode: 'edit', service }, serviceToFormValues(service))
  })

  app.post(serviceRoutes.editService, { config: keepers }, async (request, reply) => {
    const principal = requirePrincipal(request)
    const { id } = request.params as { id: string }
    const current = await services.viewService(id, actorOf(request))
    // The site is not changed on edit: an entry belongs to the directory it was added to.
    const body = { ...(request.body as FormBody | undefined), siteCode: current.siteCode }
    const form = parseServiceForm(body, 'edit')
    if (!form.ok) return renderForm(reply, principal, 400, { mode: 'edit', service: current }, form.values, form.errors)
    const version = Number.parseInt(typeof form.values['version'] === 'string' ? form.values['version'] : '', 10)
    try {
      const result = await services.updateService(
        id,
        Number.isInteger(version) ? version : -1,
        form.value,
        actorOf(request),
        'page',
      )
      if (!result.ok) {
        return await renderForm(
          reply,
          principal,
          409,
          { mode: 'edit', service: result.current },
          serviceToFormValues(result.current),
          [{ field: 'conflict', message: messages.staleEdit }],
          { conflict: true },
        )
      }
      setFlash(
        reply,
        flashCookie,
        result.changed.length === 0 ? 'No changes were made' : `${result.service.name} has been updated`,
      )
      return await reply.redirect(servicePaths.service(result.service.id))
    } catch (error) {
      if (!(error instanceof DomainError)) throw error
      return renderForm(reply, principal, 400, { mode: 'edit', service: current }, form.values, error.errors)
    }
  })
}
