import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { formErrorContext, isoToDateParts, isUuid, type FormBody } from '../../platform/forms/forms.ts'
import { actorOf } from '../../platform/http/auth.ts'
import { ConflictError, DomainError, ValidationError, type FieldError } from '../../platform/http/errors.ts'
import { setFlash } from '../../platform/views/nunjucks.ts'
import { formatLongDate } from './screening.eligibility.ts'
import { formField, parseEnteredInErrorForm, parseRecordForm, type FormValues } from './screening.forms.ts'
import { messages, NOTE_MAX, programmeLabel, REASON_MAX, stateLabel } from './screening.messages.ts'
import { screeningPaths, screeningRoutes } from './screening.paths.ts'
import { screeningRoles, type ScreeningService } from './screening.service.ts'
import {
  assessmentTable,
  eventRows,
  historyTable,
  programmeItems,
  resultItems,
  stateItems,
} from './screening.view-models.ts'
import { fullName } from '../../platform/views/person-header.ts'

export interface ScreeningPagesDeps {
  screening: ScreeningService
  flashCookie: string
}

export function registerScreeningPages(app: FastifyInstance, deps: ScreeningPagesDeps): void {
  const { screening, flashCookie } = deps
  const config = { access: screeningRoles }

  async function renderScreening(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    values: FormValues = {},
    errors: readonly FieldError[] = [],
  ) {
    const { id } = request.params as { id: string }
    const state = await screening.viewScreening(id, actorOf(request))
    const { person } = state
    // A one-time id per form shown, so a double click or a resubmit records one event.
    const submitted = typeof values['submissionId'] === 'string' ? values['submissionId'] : ''
    const submissionId = isUuid(submitted) ? submitted : randomUUID()
    const todayParts = isoToDateParts(state.asOf)
    return reply.code(status).view('screening/views/screening.njk', {
      pageTitle: `Screening – ${fullName(person)}`,
      person,
      asOf: formatLongDate(state.asOf),
      assessment: assessmentTable(state.programmes),
      history: historyTable(state.events, (eventId) => screeningPaths.enteredInError(person.id, eventId)),
      programmes: programmeItems(values['programme']),
      states: stateItems(values['state']),
      results: resultItems(values['result']),
      todayParts,
      noteMax: NOTE_MAX,
      submissionId,
      action: screeningPaths.screening(person.id),
      personHref: screeningPaths.person(person.id),
      ...formErrorContext(errors, values),
    })
  }

  app.get(screeningRoutes.screening, { config }, async (request, reply) => renderScreening(request, reply, 200))

  app.post(screeningRoutes.screening, { config }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const form = parseRecordForm(request.body as FormBody | undefined, screening.today())
    if (!form.ok) return renderScreening(request, reply, 400, form.values, form.errors)
    const submissionId = typeof form.values['submissionId'] === 'string' ? form.values['submissionId'] : ''
    try {
      const { event } = await screening.recordEvent(
        id,
        form.value,
        actorOf(request),
        'page',
        isUuid(submissionId) ? submissionId : undefined,
      )
      setFlash(
        reply,
        flashCookie,
        `${programmeLabel[event.programme]}: ${stateLabel[event.state].toLowerCase()} recorded`,
      )
      return await reply.redirect(screeningPaths.screening(event.personId))
    } catch (error) {
      if (error instanceof DomainError && error.code === 'idempotency-key-reused') {
        // The form was sent back changed after it had recorded an event: a fresh id lets the user record another.
        return renderScreening(request, reply, 400, { ...form.values, submissionId: '' }, [
          { field: 'programme', message: messages.formAlreadyUsed },
        ])
      }
      if (!(error instanceof DomainError || error instanceof ValidationError)) throw error
      const errors = error.errors.map((e) => ({ field: formField(e.field), message: e.message }))
      return renderScreening(request, reply, 400, form.values, errors)
    }
  })

  async function renderEnteredInError(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    values: FormValues = {},
    errors: readonly FieldError[] = [],
  ) {
    const { id, eventId } = request.params as { id: string; eventId: string }
    const { person, event } = await screening.viewEvent(id, eventId, actorOf(request))
    return reply.code(status).view('screening/views/entered-in-error.njk', {
      pageTitle: 'Mark a screening event as entered in error',
      person,
      event,
      rows: eventRows(event),
      alreadyCorrected: event.enteredInError !== null,
      reasonMax: REASON_MAX,
      action: screeningPaths.enteredInError(person.id, event.id),
      backHref: screeningPaths.screening(person.id),
      ...formErrorContext(errors, values),
    })
  }

  app.get(screeningRoutes.enteredInError, { config }, async (request, reply) =>
    renderEnteredInError(request, reply, 200),
  )

  app.post(screeningRoutes.enteredInError, { config }, async (request, reply) => {
    const { id, eventId } = request.params as { id: string; eventId: string }
    const form = parseEnteredInErrorForm(request.body as FormBody | undefined)
    if (!form.ok) return renderEnteredInError(request, reply, 400, form.values, form.errors)
    try {
      const { person } = await screening.markEnteredInError(eventId, form.value, actorOf(request), 'page', id)
      setFlash(reply, flashCookie, 'Screening event marked as entered in error. It no longer counts.')
      return await reply.redirect(screeningPaths.screening(person.id))
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error
      return renderEnteredInError(request, reply, 409, form.values, [
        { field: 'reason', message: messages.alreadyEnteredInError },
      ])
    }
  })
}
