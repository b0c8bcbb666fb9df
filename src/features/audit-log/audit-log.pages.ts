import type { FastifyInstance, FastifyReply } from 'fastify'
import { formErrorContext, type FormBody } from '../../platform/forms/forms.ts'
import { actorOf, type Access } from '../../platform/http/auth.ts'
import type { FieldError } from '../../platform/http/errors.ts'
import { filterQuery, PAGE_SIZE, parseAuditQuery } from './audit-log.forms.ts'
import { auditPaths } from './audit-log.paths.ts'
import { auditActions } from '../../platform/audit/audit.service.ts'
import type { AuditLogService } from './audit-log.service.ts'
import { eventRow } from './audit-log.view-models.ts'
import { keysetPage } from '../../platform/db/paging.ts'

const auditorsOnly: Access = ['auditor']

/** A date input shows one message for the whole date, whichever part (day, month, year) is wrong. */
function dateErrors(errors: readonly FieldError[], field: string) {
  const error = errors.find((e) => e.field.startsWith(`${field}-`))
  return error === undefined
    ? { message: undefined, part: undefined }
    : { message: { text: error.message }, part: error.field.slice(field.length + 1) }
}

export function registerAuditPages(app: FastifyInstance, deps: { auditLog: AuditLogService }): void {
  const { auditLog } = deps

  app.get(auditPaths.list, { config: { access: auditorsOnly } }, async (request, reply: FastifyReply) => {
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
        .view('audit-log/views/list.njk', { ...common, ...formErrorContext(parsed.errors, parsed.values), rows: [] })
    }
    // Reading the audit log is itself audited: which filters were used, never their values.
    const { items: shown, next } = keysetPage(
      await auditLog.listEvents({ ...parsed.filter, limit: PAGE_SIZE + 1 }, actorOf(request), parsed.used),
      PAGE_SIZE,
      (event) => event.id,
    )
    return reply.view('audit-log/views/list.njk', {
      ...common,
      ...formErrorContext([], parsed.values),
      rows: shown.map(eventRow),
      olderHref: next === undefined ? undefined : auditPaths.older(filterQuery(parsed.values, next)),
      newestHref: parsed.filter.beforeId === undefined ? undefined : auditPaths.older(filterQuery(parsed.values)),
    })
  })

  app.get(auditPaths.verify, { config: { access: auditorsOnly } }, async (request, reply) => {
    const result = await auditLog.verify(actorOf(request))
    return reply.view('audit-log/views/verify.njk', {
      pageTitle: 'Verify the audit log',
      result,
      backHref: auditPaths.list,
    })
  })
}
