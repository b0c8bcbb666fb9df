import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { formErrorContext, text, type FormBody, isUuid } from '../../platform/forms/forms.ts'
import { clinicalRoles } from '../../platform/http/auth.ts'
import {
  ConflictError,
  DomainError,
  NotFoundError,
  ValidationError,
  type FieldError,
} from '../../platform/http/errors.ts'
import { setFlash } from '../../platform/views/nunjucks.ts'
import type { AppointmentsService } from '../appointments/index.ts'
import type { InstrumentDefinition } from '../instruments/index.ts'
import { parseObservationsForm, parseSectionForm, unansweredErrors } from './health-checks.forms.ts'
import { needCategoryLabels, needPaths, needView, type CheckLinks, type CheckSummaryRenderer } from '../needs/index.ts'
import { healthCheckPaths, healthCheckRoutes } from './health-checks.paths.ts'
import type { CheckDetail, HealthChecksService } from './health-checks.service.ts'
import { describeResult, flagView, sectionStatusTags } from './health-checks.view-models.ts'
import { formatDateTime } from '../../platform/views/format.ts'
import { actorOf } from '../../platform/http/auth.ts'
import { ukDateOf } from '../../platform/time/uk-time.ts'
import { fullName } from '../../platform/views/person-header.ts'

export interface HealthCheckPagesDeps {
  healthChecks: HealthChecksService
  appointments: AppointmentsService
  flashCookie: string
  now: () => Date
}

const params = (request: FastifyRequest) => request.params as { id: string; code?: string }
const versionOf = (body: FormBody | undefined) => {
  const version = Number.parseInt(text(body, 'version'), 10)
  return Number.isInteger(version) ? version : -1
}

const STALE: FieldError = {
  field: 'conflict',
  message: 'Someone else saved this health check after you opened this page. Check the answers below and save again.',
}

interface SummaryDeps {
  healthChecks: HealthChecksService
  now: () => Date
}

/** Links from a need to the health check that proposed it, for the needs feature's pages. */
export const checkLinks: CheckLinks = { summary: (checkId) => healthCheckPaths.summary(checkId) }

/** The check summary page, with errors against the needs on it. */
async function renderSummary(
  deps: SummaryDeps,
  reply: FastifyReply,
  status: number,
  detail: CheckDetail,
  errors: readonly FieldError[] = [],
  values: Record<string, unknown> = {},
) {
  const { healthChecks, now } = deps
  const states = await healthChecks.instrumentStates()
  const sections = await healthChecks.sections(detail)
  const at = now()
  return reply.code(status).view('health-checks/views/summary.njk', {
    pageTitle: 'Health check summary',
    personName: fullName(detail.person),
    check: detail.check,
    started: formatDateTime(detail.check.startedAt),
    results: detail.results.map((r) => {
      const definition = states.get(r.instrumentCode)?.definition
      return {
        title: definition?.title ?? r.instrumentCode,
        text: describeResult(definition, r),
        positive: r.positive === true,
        version: r.instrumentVersion,
      }
    }),
    notStarted: sections
      .filter((s) => s.result === undefined)
      .map((s) => ({
        title: s.definition.title,
        reason: s.enabled ? 'Not asked' : 'Cannot be used until an administrator records licence permission',
      })),
    observations: detail.observations,
    flags: detail.flags.map((f) => ({ ...flagView(f, at), respondHref: healthCheckPaths.respondToFlag(f.id) })),
    needs: detail.needs.map((n) => ({ ...needView(n, checkLinks), action: needPaths.need(n.id) })),
    completeAction: healthCheckPaths.complete(detail.check.id),
    backHref: healthCheckPaths.check(detail.check.id),
    ...formErrorContext(errors, values),
  })
}
/**
 * For the needs feature: the check summary re-rendered with errors, when a decision made from its buttons is refused.
 * The summary's forms post to the need's own URL (/needs/{id}), which the needs feature serves.
 */
export function checkSummaryRenderer(deps: SummaryDeps): CheckSummaryRenderer {
  return async (request, reply, status, checkId, errors, values) => {
    const detail = await deps.healthChecks.viewCheck(checkId, actorOf(request), 'page', 'summary')
    return renderSummary(deps, reply, status, detail, errors, values)
  }
}

export function registerHealthCheckPages(app: FastifyInstance, deps: HealthCheckPagesDeps): void {
  const { healthChecks, appointments, flashCookie, now } = deps
  const config = { access: clinicalRoles }

  async function renderSection(
    reply: FastifyReply,
    status: number,
    detail: CheckDetail,
    definition: InstrumentDefinition,
    values: Record<string, string>,
    errors: readonly FieldError[] = [],
    extra: Record<string, unknown> = {},
  ) {
    const checkId = detail.check.id
    const items = definition.items.map((item) => ({
      code: item.code,
      legend: item.number === null ? item.text : `${String(item.number)}. ${item.text}`,
      options: item.options.map((o) => ({ value: o.code, text: o.label, checked: values[item.code] === o.code })),
    }))
    return reply.code(status).view('health-checks/views/section.njk', {
      pageTitle: definition.title,
      person: detail.person,
      personName: fullName(detail.person),
      definition,
      items,
      version: detail.check.version,
      action: healthCheckPaths.section(checkId, definition.code),
      backHref: healthCheckPaths.check(checkId),
      ...formErrorContext(errors, values),
      ...extra,
    })
  }

  async function renderObservations(
    reply: FastifyReply,
    status: number,
    detail: CheckDetail,
    values: Record<string, unknown>,
    errors: readonly FieldError[] = [],
  ) {
    const states = await healthChecks.instrumentStates()
    return reply.code(status).view('health-checks/views/observations.njk', {
      pageTitle: 'Physical health measurements',
      personName: fullName(detail.person),
      askSmoking: states.get('hsi')?.enabled !== true,
      version: detail.check.version,
      action: healthCheckPaths.observations(detail.check.id),
      backHref: healthCheckPaths.check(detail.check.id),
      ...formErrorContext(errors, values),
    })
  }



  // ---- A person's checks ----

  app.get(healthCheckRoutes.personChecks, { config }, async (request, reply) => {
    const { person, checks } = await healthChecks.listChecks(params(request).id, actorOf(request), 'page')
    const at = now()
    return reply.view('health-checks/views/list.njk', {
      pageTitle: 'Health checks',
      personName: fullName(person),
      personHref: healthCheckPaths.person(person.id),
      startHref: healthCheckPaths.start(person.id),
      rows: checks.map((c) => ({
        href: healthCheckPaths.check(c.check.id),
        started: formatDateTime(c.check.startedAt),
        clinician: c.check.clinicianName,
        status: c.check.status === 'completed' ? 'Completed' : 'In progress',
        awaiting: c.flags.filter((f) => f.status === 'awaiting-response').map((f) => flagView(f, at)).length,
        needs: c.needs.map((n) => needCategoryLabels[n.category]).join(', '),
      })),
    })
  })

  // ---- Start ----

  async function renderStart(
    reply: FastifyReply,
    request: FastifyRequest,
    status: number,
    values: Record<string, unknown>,
    errors: readonly FieldError[] = [],
  ) {
    const personId = params(request).id
    const person = await healthChecks.personForStart(personId, actorOf(request))
    const { appointments: list } = await appointments.listForPerson(person.id, actorOf(request), 'page')
    const today = ukDateOf(now())
    const todays = list.filter((a) => a.status !== 'cancelled' && ukDateOf(a.startsAt) === today)
    const chosen = typeof values['appointmentId'] === 'string' ? values['appointmentId'] : ''
    const submitted = typeof values['submissionId'] === 'string' ? values['submissionId'] : ''
    return reply.code(status).view('health-checks/views/start.njk', {
      pageTitle: 'Start a health check',
      personName: fullName(person),
      backHref: healthCheckPaths.personChecks(person.id),
      action: healthCheckPaths.start(person.id),
      submissionId: isUuid(submitted) ? submitted : randomUUID(),
      appointmentItems: [
        ...todays.map((a) => ({
          value: a.id,
          text: `${formatDateTime(a.startsAt)} – ${a.kind === 'joint' ? 'joint appointment' : 'health appointment'}`,
          checked: chosen === a.id,
        })),
        ...(todays.length > 0 ? [{ divider: 'or' }] : []),
        // With no appointment today, the only answer is already chosen.
        { value: 'none', text: 'Not linked to an appointment', checked: chosen === 'none' || todays.length === 0 },
      ],
      ...formErrorContext(errors, values),
    })
  }

  app.get(healthCheckRoutes.start, { config }, async (request, reply) => renderStart(reply, request, 200, {}))

  app.post(healthCheckRoutes.start, { config }, async (request, reply) => {
    const body = request.body as FormBody | undefined
    const values = { appointmentId: text(body, 'appointmentId'), submissionId: text(body, 'submissionId') }
    if (values.appointmentId === '') {
      return renderStart(reply, request, 400, values, [
        {
          field: 'appointmentId',
          message: 'Select the appointment this check is part of, or ‘Not linked to an appointment’',
        },
      ])
    }
    try {
      const { check } = await healthChecks.startCheck(
        params(request).id,
        { appointmentId: values.appointmentId === 'none' ? undefined : values.appointmentId },
        actorOf(request),
        'page',
        isUuid(values.submissionId) ? values.submissionId : undefined,
      )
      setFlash(reply, flashCookie, 'Health check started')
      return await reply.redirect(healthCheckPaths.check(check.id))
    } catch (error) {
      if (!(error instanceof DomainError)) throw error
      const fresh = error.code === 'idempotency-key-reused' ? { ...values, submissionId: '' } : values
      return renderStart(reply, request, 400, fresh, error.errors)
    }
  })

  // ---- The task list ----

  app.get(healthCheckRoutes.check, { config }, async (request, reply) => {
    const detail = await healthChecks.viewCheck(params(request).id, actorOf(request), 'page')
    const sections = await healthChecks.sections(detail)
    const at = now()
    const checkId = detail.check.id
    const open = detail.check.status === 'in-progress'
    const obsTag = detail.observations === null ? sectionStatusTags['not-started'] : sectionStatusTags.completed
    return reply.view('health-checks/views/check.njk', {
      pageTitle: 'Health check',
      personName: fullName(detail.person),
      check: detail.check,
      started: formatDateTime(detail.check.startedAt),
      backHref: healthCheckPaths.personChecks(detail.person.id),
      awaitingFlags: detail.flags
        .filter((f) => f.status === 'awaiting-response')
        .map((f) => ({ ...flagView(f, at), respondHref: healthCheckPaths.respondToFlag(f.id) })),
      taskItems: [
        ...sections.map((s) => ({
          title: {
            text:
              s.kind === 'full' ? `${s.definition.title} (offered after a positive brief screen)` : s.definition.title,
          },
          hint:
            s.status === 'cannot-start'
              ? { text: 'Cannot be used until an administrator records permission from the licence holder' }
              : undefined,
          href: s.status === 'cannot-start' || !open ? undefined : healthCheckPaths.section(checkId, s.definition.code),
          status: { tag: sectionStatusTags[s.status] },
        })),
        {
          title: { text: 'Physical health measurements' },
          href: open ? healthCheckPaths.observations(checkId) : undefined,
          status: { tag: obsTag },
        },
      ],
      summaryHref: healthCheckPaths.summary(checkId),
    })
  })

  // ---- One section ----

  async function openSection(request: FastifyRequest, purpose: string) {
    const { id, code = '' } = params(request)
    const states = await healthChecks.instrumentStates()
    const state = states.get(code)
    if (state === undefined) throw new NotFoundError('No instrument has that code')
    const detail = await healthChecks.viewCheck(id, actorOf(request), 'page', purpose)
    return { detail, state }
  }

  app.get(healthCheckRoutes.section, { config }, async (request, reply) => {
    const { detail, state } = await openSection(request, 'section')
    if (!state.enabled) {
      return reply.view('health-checks/views/cannot-start.njk', {
        pageTitle: `${state.definition.title} cannot be used yet`,
        personName: fullName(detail.person),
        definition: state.definition,
        backHref: healthCheckPaths.check(detail.check.id),
      })
    }
    if (detail.check.status === 'completed') return reply.redirect(healthCheckPaths.summary(detail.check.id))
    const saved = detail.results.find((r) => r.instrumentCode === state.definition.code)
    return renderSection(reply, 200, detail, state.definition, saved?.answers ?? {})
  })

  app.post(healthCheckRoutes.section, { config }, async (request, reply) => {
    const { detail, state } = await openSection(request, 'section-save')
    const { definition } = state
    const body = request.body as FormBody | undefined
    const answers = parseSectionForm(definition, body)
    const later = text(body, 'action') === 'later'
    let saved
    try {
      saved = await healthChecks.saveSection(
        detail.check.id,
        definition.code,
        answers,
        versionOf(body),
        actorOf(request),
        'page',
      )
    } catch (error) {
      if (error instanceof ValidationError) {
        const errors = error.errors.map((e) => ({ field: e.field.replace(/^answers\./, ''), message: e.message }))
        return renderSection(reply, 400, detail, definition, answers, errors)
      }
      throw error
    }
    if (!saved.ok) return renderSection(reply, 409, saved.detail, definition, answers, [STALE])
    const checkId = detail.check.id
    if (saved.flagsRaised > 0) {
      setFlash(
        reply,
        flashCookie,
        'A warning sign needs your documented response today. Your answers have been saved.',
        'important',
      )
    }
    if (later) {
      if (saved.flagsRaised === 0) {
        setFlash(
          reply,
          flashCookie,
          `Your answers to ${definition.title} have been saved. You can come back to them at any time.`,
        )
      }
      return reply.redirect(healthCheckPaths.check(checkId))
    }
    const errors = unansweredErrors(definition, saved.result.missingItems, saved.result.preferNotToSay)
    if (errors.length > 0) {
      return renderSection(reply, 400, saved.detail, definition, answers, errors, { savedSoFar: true })
    }
    if (saved.offered !== null) {
      const offered = (await healthChecks.instrumentStates()).get(saved.offered)?.definition
      if (saved.flagsRaised === 0) {
        setFlash(
          reply,
          flashCookie,
          `${definition.title} was positive: offer the ${offered?.title ?? saved.offered}. The questions already answered have been filled in.`,
        )
      }
      return reply.redirect(healthCheckPaths.section(checkId, saved.offered))
    }
    if (saved.flagsRaised === 0) setFlash(reply, flashCookie, `${definition.title} saved`)
    return reply.redirect(healthCheckPaths.check(checkId))
  })

  // ---- Observations ----

  const observationValues = (detail: CheckDetail): Record<string, unknown> => {
    const o = detail.observations
    if (o === null) return {}
    const str = (v: number | null) => (v === null ? '' : String(v))
    return {
      bloodPressureStatus: o.bloodPressureStatus,
      systolic: str(o.systolic),
      diastolic: str(o.diastolic),
      heightStatus: o.heightStatus,
      heightCm: str(o.heightCm),
      weightStatus: o.weightStatus,
      weightKg: str(o.weightKg),
      smokingStatus: o.smokingStatus ?? '',
    }
  }

  app.get(healthCheckRoutes.observations, { config }, async (request, reply) => {
    const detail = await healthChecks.viewCheck(params(request).id, actorOf(request), 'page', 'observations')
    if (detail.check.status === 'completed') return reply.redirect(healthCheckPaths.summary(detail.check.id))
    return renderObservations(reply, 200, detail, observationValues(detail))
  })

  app.post(healthCheckRoutes.observations, { config }, async (request, reply) => {
    const body = request.body as FormBody | undefined
    const values: Record<string, unknown> = {}
    for (const key of [
      'bloodPressureStatus',
      'systolic',
      'diastolic',
      'heightStatus',
      'heightCm',
      'weightStatus',
      'weightKg',
      'smokingStatus',
    ]) {
      values[key] = text(body, key)
    }
    const states = await healthChecks.instrumentStates()
    const form = parseObservationsForm(body, states.get('hsi')?.enabled !== true)
    const id = params(request).id
    if (!form.ok) {
      const detail = await healthChecks.viewCheck(id, actorOf(request), 'page', 'observations')
      return renderObservations(reply, 400, detail, values, form.errors)
    }
    try {
      const result = await healthChecks.recordObservations(id, form.value, versionOf(body), actorOf(request), 'page')
      if (!result.ok) return await renderObservations(reply, 409, result.detail, values, [STALE])
      if (result.flagsRaised > 0) {
        setFlash(
          reply,
          flashCookie,
          'A warning sign needs your documented response today. The measurements have been saved.',
          'important',
        )
      } else {
        setFlash(reply, flashCookie, 'Physical health measurements saved')
      }
      return await reply.redirect(healthCheckPaths.check(result.detail.check.id))
    } catch (error) {
      if (!(error instanceof DomainError)) throw error
      const detail = await healthChecks.viewCheck(id, actorOf(request), 'page', 'observations')
      return renderObservations(reply, 400, detail, values, error.errors)
    }
  })

  // ---- Summary, completion and needs ----

  app.get(healthCheckRoutes.summary, { config }, async (request, reply) => {
    const detail = await healthChecks.viewCheck(params(request).id, actorOf(request), 'page', 'summary')
    return renderSummary({ healthChecks, now }, reply, 200, detail)
  })

  app.post(healthCheckRoutes.complete, { config }, async (request, reply) => {
    const body = request.body as FormBody | undefined
    const result = await healthChecks.completeCheck(params(request).id, versionOf(body), actorOf(request), 'page')
    if (!result.ok) return renderSummary({ healthChecks, now }, reply, 409, result.detail, [STALE])
    const proposed = result.detail.needs.filter((n) => n.status === 'proposed').length
    setFlash(
      reply,
      flashCookie,
      proposed === 0
        ? 'Health check completed. No needs were proposed.'
        : `Health check completed. Confirm or dismiss the ${String(proposed)} proposed ${proposed === 1 ? 'need' : 'needs'}.`,
    )
    return reply.redirect(healthCheckPaths.summary(result.detail.check.id))
  })

  // ---- Responding to a warning flag ----

  async function renderRespond(
    reply: FastifyReply,
    request: FastifyRequest,
    status: number,
    values: Record<string, unknown>,
    errors: readonly FieldError[] = [],
  ) {
    const { flag, person } = await healthChecks.viewFlag(params(request).id, actorOf(request), 'page')
    return reply.code(status).view('health-checks/views/respond.njk', {
      pageTitle: 'Respond to a warning sign',
      personName: fullName(person),
      flag: flagView(flag, now()),
      action: healthCheckPaths.respondToFlag(flag.id),
      backHref: healthCheckPaths.check(flag.checkId),
      ...formErrorContext(errors, values),
    })
  }

  app.get(healthCheckRoutes.respondToFlag, { config }, async (request, reply) => renderRespond(reply, request, 200, {}))

  app.post(healthCheckRoutes.respondToFlag, { config }, async (request, reply) => {
    const body = request.body as FormBody | undefined
    const response = text(body, 'response')
    try {
      const flag = await healthChecks.respondToFlag(params(request).id, response, actorOf(request), 'page')
      setFlash(reply, flashCookie, 'Your response to the warning sign has been recorded')
      return await reply.redirect(healthCheckPaths.summary(flag.checkId))
    } catch (error) {
      if (error instanceof ValidationError) return renderRespond(reply, request, 400, { response }, error.errors)
      if (error instanceof ConflictError) {
        return renderRespond(reply, request, 409, { response }, [{ field: 'response', message: error.message }])
      }
      throw error
    }
  })
}
