import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { formErrorContext, isoToDateParts, isUuid, type FormBody } from '../../platform/forms/forms.ts'
import { actorOf, clinicalRoles } from '../../platform/http/auth.ts'
import { DomainError, ValidationError, type FieldError } from '../../platform/http/errors.ts'
import { setFlash } from '../../platform/views/nunjucks.ts'
import { parseNeedForm, type NeedFormValues } from './health-checks.forms.ts'
import { healthCheckPaths, healthCheckRoutes } from './health-checks.paths.ts'
import { NEED_REASON_MAX, needCategoryLabels } from './health-checks.rules.ts'
import type { HealthChecksService } from './health-checks.service.ts'
import { decisionItems, needEventView, needView, ukDateTime } from './health-checks.view-models.ts'
import { needCategories } from '../needs/needs.tables.ts'

export interface NeedPagesDeps {
  healthChecks: HealthChecksService
  flashCookie: string
}

const personName = (p: { givenName: string; familyName: string }) => `${p.givenName} ${p.familyName}`

/** The need page: what it is, where it came from, every decision so far, and the form to decide (again). */
export async function renderNeedPage(
  healthChecks: HealthChecksService,
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  needId: string,
  values: Record<string, unknown> = {},
  errors: readonly FieldError[] = [],
) {
  const { need, history, openReferrals, person } = await healthChecks.viewNeed(needId, actorOf(request), 'page')
  const view = needView(need)
  const direct = need.checkId === null
  const blocked = need.status !== 'proposed' && openReferrals.length > 0
  return reply.code(status).view('health-checks/views/need.njk', {
    pageTitle: `${view.label} need`,
    personName: personName(person),
    need: view,
    decidedAt: need.decidedAt === null ? null : ukDateTime(need.decidedAt),
    history: history.map((e) => needEventView(e, direct)).reverse(),
    openReferrals: [...new Set(openReferrals.map((r) => r.serviceName))],
    blocked,
    decisionItems: decisionItems(need.status, typeof values['decision'] === 'string' ? values['decision'] : ''),
    reasonMax: NEED_REASON_MAX,
    version: need.version,
    action: healthCheckPaths.need(need.id),
    backHref: healthCheckPaths.personNeeds(person.id),
    ...formErrorContext(errors, values),
  })
}

export function registerNeedPages(app: FastifyInstance, deps: NeedPagesDeps): void {
  const { healthChecks, flashCookie } = deps
  const config = { access: clinicalRoles }
  const params = (request: FastifyRequest) => request.params as { id: string }

  app.get(healthCheckRoutes.need, { config }, async (request, reply) =>
    renderNeedPage(healthChecks, request, reply, 200, params(request).id),
  )

  app.get(healthCheckRoutes.personNeeds, { config }, async (request, reply) => {
    const { person, needs } = await healthChecks.listNeedsForPerson(params(request).id, actorOf(request), 'page')
    return reply.view('health-checks/views/needs.njk', {
      pageTitle: 'Needs',
      personName: personName(person),
      backHref: healthCheckPaths.person(person.id),
      addHref: healthCheckPaths.newNeed(person.id),
      rows: needs.map((d) => needView(d.need)),
    })
  })

  async function renderNewNeed(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    values: Partial<NeedFormValues>,
    errors: readonly FieldError[] = [],
  ) {
    const person = await healthChecks.personForStart(params(request).id, actorOf(request), 'record-need')
    const today = healthChecks.today()
    const submitted = values.submissionId ?? ''
    return reply.code(status).view('health-checks/views/new-need.njk', {
      pageTitle: 'Add a need',
      personName: personName(person),
      backHref: healthCheckPaths.personNeeds(person.id),
      action: healthCheckPaths.newNeed(person.id),
      categoryItems: needCategories.map((c) => ({
        value: c,
        text: needCategoryLabels[c],
        checked: values.category === c,
      })),
      todayParts: isoToDateParts(today),
      reasonMax: NEED_REASON_MAX,
      submissionId: isUuid(submitted) ? submitted : randomUUID(),
      ...formErrorContext(errors, { ...values, identifiedOn: values.identifiedOn ?? isoToDateParts(today) }),
    })
  }

  app.get(healthCheckRoutes.newNeed, { config }, async (request, reply) => renderNewNeed(request, reply, 200, {}))

  app.post(healthCheckRoutes.newNeed, { config }, async (request, reply) => {
    const form = parseNeedForm(request.body as FormBody | undefined, healthChecks.today())
    if (!form.ok) return renderNewNeed(request, reply, 400, form.values, form.errors)
    try {
      const { detail } = await healthChecks.recordNeed(
        params(request).id,
        form.value,
        actorOf(request),
        'page',
        isUuid(form.values.submissionId) ? form.values.submissionId : undefined,
      )
      setFlash(reply, flashCookie, `${needCategoryLabels[detail.need.category]} need recorded and confirmed`)
      return await reply.redirect(healthCheckPaths.personNeeds(detail.need.personId))
    } catch (error) {
      if (error instanceof ValidationError) {
        const errors = error.errors.map((e) => (e.field === 'identifiedOn' ? { ...e, field: 'identifiedOn-day' } : e))
        return renderNewNeed(request, reply, 400, form.values, errors)
      }
      if (error instanceof DomainError) {
        const fresh = error.code === 'idempotency-key-reused' ? { ...form.values, submissionId: '' } : form.values
        return renderNewNeed(request, reply, 400, fresh, error.errors)
      }
      throw error
    }
  })
}
