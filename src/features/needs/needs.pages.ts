import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { formErrorContext, isoToDateParts, isUuid, text, type FormBody } from '../../platform/forms/forms.ts'
import { actorOf, clinicalRoles } from '../../platform/http/auth.ts'
import { ConflictError, DomainError, ValidationError, type FieldError } from '../../platform/http/errors.ts'
import { formatDateTime } from '../../platform/views/format.ts'
import { setFlash } from '../../platform/views/nunjucks.ts'
import { parseDecision, parseNeedForm, type NeedFormValues } from './needs.forms.ts'
import { needPaths, needRoutes } from './needs.paths.ts'
import { NEED_REASON_MAX, needCategoryLabels } from './needs.rules.ts'
import type { NeedsService } from './needs.service.ts'
import { needCategories } from './needs.tables.ts'
import { decisionItems, needEventView, needLabels, needView, type CheckLinks } from './needs.view-models.ts'
import { fullName } from '../../platform/views/person-header.ts'

/**
 * The health check summary, re-rendered with errors, for a decision made from its buttons and refused: the summary's
 * forms post to the need's own URL, served here. The health-checks feature provides it (wired at the root).
 */
export type CheckSummaryRenderer = (
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  checkId: string,
  errors: readonly FieldError[],
  values: Record<string, unknown>,
) => Promise<unknown>

export interface NeedPagesDeps {
  needs: NeedsService
  flashCookie: string
  checkLinks: CheckLinks
  checkSummary: CheckSummaryRenderer
}

const decisionWords = { confirmed: 'confirmed', dismissed: 'dismissed', proposed: 'reopened' } as const

export function registerNeedPages(app: FastifyInstance, deps: NeedPagesDeps): void {
  const { needs, flashCookie, checkLinks, checkSummary } = deps
  const config = { access: clinicalRoles }
  const params = (request: FastifyRequest) => request.params as { id: string }

  /** The need page: what it is, where it came from, every decision so far, and the form to decide (again). */
  async function renderNeedPage(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    needId: string,
    values: Record<string, unknown> = {},
    errors: readonly FieldError[] = [],
  ) {
    const { need, history, openReferrals, person } = await needs.viewNeed(needId, actorOf(request), 'page')
    const view = needView(need, checkLinks)
    const direct = need.checkId === null
    const blocked = need.status !== 'proposed' && openReferrals.length > 0
    return reply.code(status).view('needs/views/need.njk', {
      pageTitle: `${view.label} need`,
      person,
      personName: fullName(person),
      need: view,
      decidedAt: need.decidedAt === null ? null : formatDateTime(need.decidedAt),
      history: history.map((e) => needEventView(e, direct)).reverse(),
      openReferrals: [...new Set(openReferrals.map((r) => r.serviceName))],
      blocked,
      decisionItems: decisionItems(need.status, typeof values['decision'] === 'string' ? values['decision'] : ''),
      reasonMax: NEED_REASON_MAX,
      version: need.version,
      action: needPaths.need(need.id),
      backHref: needPaths.personNeeds(person.id),
      ...formErrorContext(errors, values),
    })
  }

  app.get(needRoutes.need, { config }, async (request, reply) =>
    renderNeedPage(request, reply, 200, params(request).id),
  )

  // One URL for every decision on a need: the check summary's confirm and dismiss buttons and the need page's form.
  app.post(needRoutes.need, { config }, async (request, reply) => {
    const body = request.body as FormBody | undefined
    const decision = parseDecision(text(body, 'decision'))
    const reason = text(body, 'reason')
    const checkId = text(body, 'checkId')
    // The summary's forms say which check they are on; the need page's form does not.
    const fromSummary = isUuid(checkId)
    const needId = params(request).id
    const rawVersion = text(body, 'version')
    const version = Number.parseInt(rawVersion, 10)
    const expectedVersion = rawVersion === '' ? undefined : Number.isInteger(version) ? version : -1

    const fail = async (status: number, errors: readonly FieldError[]) => {
      if (!fromSummary) {
        return renderNeedPage(request, reply, status, needId, { decision: text(body, 'decision'), reason }, errors)
      }
      const onSummary = errors.map((e) => ({
        field: e.field === 'reason' ? `reason-${needId}` : `need-${needId}`,
        message: e.message,
      }))
      return checkSummary(request, reply, status, checkId, onSummary, { [`reason-${needId}`]: reason })
    }

    if (decision === undefined) {
      return fail(400, [{ field: 'decision', message: 'Select what you want to do with this need' }])
    }
    try {
      const { need } = await needs.decideNeed(needId, { decision, reason, expectedVersion }, actorOf(request), 'page')
      const label = needLabels[need.category] ?? need.category
      setFlash(reply, flashCookie, `${label} need ${decisionWords[need.status]}`)
      return await reply.redirect(
        fromSummary && need.checkId !== null ? checkLinks.summary(need.checkId) : needPaths.need(need.id),
      )
    } catch (error) {
      if (error instanceof ValidationError || error instanceof DomainError) return fail(400, error.errors)
      if (error instanceof ConflictError) return fail(409, [{ field: 'decision', message: error.message }])
      throw error
    }
  })

  app.get(needRoutes.personNeeds, { config }, async (request, reply) => {
    const { person, needs: list } = await needs.listNeedsForPerson(params(request).id, actorOf(request), 'page')
    return reply.view('needs/views/needs.njk', {
      pageTitle: 'Needs',
      person,
      personName: fullName(person),
      backHref: needPaths.person(person.id),
      addHref: needPaths.newNeed(person.id),
      rows: list.map((d) => needView(d.need, checkLinks)),
    })
  })

  async function renderNewNeed(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    values: Partial<NeedFormValues>,
    errors: readonly FieldError[] = [],
  ) {
    const person = await needs.personForNewNeed(params(request).id, actorOf(request))
    const today = needs.today()
    const submitted = values.submissionId ?? ''
    return reply.code(status).view('needs/views/new-need.njk', {
      pageTitle: 'Add a need',
      person,
      personName: fullName(person),
      backHref: needPaths.personNeeds(person.id),
      action: needPaths.newNeed(person.id),
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

  app.get(needRoutes.newNeed, { config }, async (request, reply) => renderNewNeed(request, reply, 200, {}))

  app.post(needRoutes.newNeed, { config }, async (request, reply) => {
    const form = parseNeedForm(request.body as FormBody | undefined, needs.today())
    if (!form.ok) return renderNewNeed(request, reply, 400, form.values, form.errors)
    try {
      const { detail } = await needs.recordNeed(
        params(request).id,
        form.value,
        actorOf(request),
        'page',
        isUuid(form.values.submissionId) ? form.values.submissionId : undefined,
      )
      setFlash(reply, flashCookie, `${needCategoryLabels[detail.need.category]} need recorded and confirmed`)
      return await reply.redirect(needPaths.personNeeds(detail.need.personId))
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
