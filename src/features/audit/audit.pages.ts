import type { FastifyInstance, FastifyReply } from 'fastify'
import { formErrorContext, type FormBody } from '../../platform/forms/forms.ts'
import { requirePrincipal, type Access } from '../../platform/http/auth.ts'
import type { FieldError } from '../../platform/http/errors.ts'
import { filterQuery, PAGE_SIZE, parseAuditQuery } from './audit.forms.ts'
import { auditPaths } from './audit.paths.ts'
import { auditActions, type AuditService } from './audit.service.ts'
import { eventRow } from './audit.view-models.ts'
import { keysetPage } from '../../platform/db/paging.ts'

const auditorsOnly: Access = ['auditor']

/** A date input shows one message for the whole date, whichever part (day, month, year) is wrong. */
function dateErrors(errors: readonly FieldError[], field: string) {
  const error = errors.find((e) => e.field.startsWith(`${field}-`))
  return error === undefined
    ? { message: undefined, part: undefined }
    : { message: { text: error.message }, part: error.field.slice(field.length + 1) }
}

export function registerAuditPages(app: FastifyInstance, deps: { audit: AuditService }): void {
  const { audit } = deps

  app.get(auditPaths.list, { config: { access: auditorsOnly } }, async (request, reply: FastifyReply) => {
    const principal = requirePrincipal(request)
    const parsed = parseAuditQuery(request.query as FormBody)
    const common = {
      pageTitle: 'Audit log',
      actions: auditActions,
      fromError: dateErrors(parsed.errors, 'from'),
      toError: dateErrors(parsed.errors, 'to'),
      verifyHref: auditPaths.verify,
      filtered: parsed.used.length > 0,
    }
    if (parsed.errors.length > 0) {
      return reply
        .code(400)
        .view('audit/views/list.njk', { ...common, ...formErrorContext(parsed.errors, parsed.values), rows: [] })
    }
    const { items: shown, next } = keysetPage(
      await audit.list({ ...parsed.filter, limit: PAGE_SIZE + 1 }),
      PAGE_SIZE,
      (event) => event.id,
    )
    // Reading the audit log is itself audited: which filters were used, never their values.
    await audit.recordAlone(
      { principal, requestId: request.id },
      { action: 'view', entityType: 'audit_log', details: { filters: parsed.used } },
    )
    return reply.view('audit/views/list.njk', {
      ...common,
      ...formErrorContext([], parsed.values),
      rows: shown.map(eventRow),
      olderHref: next === undefined ? undefined : auditPaths.older(filterQuery(parsed.values, next)),
      newestHref: parsed.filter.beforeId === undefined ? undefined : auditPaths.older(filterQuery(parsed.values)),
    })
  })

  app.get(auditPaths.verify, { config: { access: auditorsOnly } }, async (request, reply) => {
    const principal = requirePrincipal(request)
    const result = await audit.verify()
    await audit.recordAlone(
      { principal, requestId: request.id },
      { action: 'view', entityType: 'audit_log', details: { filters: [], verify: true } },
    )
    return reply.view('audit/views/verify.njk', {
      pageTitle: 'Verify the audit log',
      result,
      backHref: auditPaths.list,
    })
  })
}
