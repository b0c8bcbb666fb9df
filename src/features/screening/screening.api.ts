import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { actorOf } from '../../platform/http/auth.ts'
import { ValidationError } from '../../platform/http/errors.ts'
import { dateRangeError, isRealDate } from '../../platform/forms/forms.ts'
import { EVENT_DATE_RANGE } from './screening.forms.ts'
import { messages } from './screening.messages.ts'
import { screeningPaths, screeningRoutes } from './screening.paths.ts'
import {
  AsOfQuerySchema,
  EnteredInErrorSchema,
  EventParamsSchema,
  IdempotencyHeadersSchema,
  PersonParamsSchema,
  ProblemSchema,
  ScreeningAssessmentSchema,
  ScreeningEventCreateSchema,
  ScreeningEventListSchema,
  ScreeningEventSchema,
  type ScreeningAssessmentResource,
  type ScreeningEventCreate,
  type ScreeningEventResource,
} from './screening.schemas.ts'
import {
  parseAsOf,
  screeningRoles,
  type ScreeningAssessment,
  type ScreeningEventRecord,
  type ScreeningService,
} from './screening.service.ts'
import { checkReason, checkScreeningEvent, type ScreeningEventInput } from './screening.validation.ts'

export function toAssessmentResource(assessment: ScreeningAssessment): ScreeningAssessmentResource {
  return {
    personId: assessment.person.id,
    asOf: assessment.asOf,
    programmes: assessment.programmes.map((p) => ({
      programme: p.programme,
      eligible: p.eligible,
      status: p.status,
      nextDue: p.nextDue,
      reason: p.reason,
    })),
  }
}

export function toEventResource(event: ScreeningEventRecord): ScreeningEventResource {
  return {
    id: event.id,
    personId: event.personId,
    programme: event.programme,
    state: event.state,
    date: event.date,
    result: event.result,
    selfSample: event.selfSample,
    note: event.note,
    recordedBy: event.recordedBy,
    recordedAt: event.recordedAt.toISOString(),
    enteredInError:
      event.enteredInError === null
        ? null
        : {
            at: event.enteredInError.at.toISOString(),
            by: event.enteredInError.by,
            reason: event.enteredInError.reason,
          },
  }
}

const str = (value: string | null | undefined) => (value ?? '').trim()

export function checkCreate(body: ScreeningEventCreate, today: string): ScreeningEventInput {
  const date = str(body.date)
  const result = checkScreeningEvent(
    {
      programme: str(body.programme),
      state: str(body.state),
      date,
      result: str(body.result),
      selfSample: body.selfSample === true,
      note: str(body.note),
    },
    today,
  )
  const early = isRealDate(date) ? dateRangeError(date, EVENT_DATE_RANGE, messages.dateLabel) : undefined
  const errors = [
    ...(result.ok ? [] : result.errors),
    ...(early === undefined ? [] : [{ field: 'date', message: early }]),
  ]
  if (!result.ok || errors.length > 0) throw new ValidationError(errors)
  return result.value
}

const problemResponses = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema }
const tags = ['screening']

export function registerScreeningApi(app: FastifyInstance, deps: { screening: ScreeningService }): void {
  const { screening } = deps
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const config = { access: screeningRoles }

  api.get(
    screeningRoutes.apiScreening,
    {
      config,
      schema: {
        tags,
        summary: 'Screening eligibility, status and next due date per NHS programme (clinical roles only)',
        description:
          'Worked out from the person’s date of birth, sex and gender, smoking status from their most recent ' +
          'health check observation that records one (as known on asOf), and their screening events not entered in ' +
          'error. Events dated after asOf are ignored. Prostate is informed choice, never screening.',
        params: PersonParamsSchema,
        querystring: AsOfQuerySchema,
        response: { 200: ScreeningAssessmentSchema, ...problemResponses },
      },
    },
    async (request) => {
      const asOf = parseAsOf(request.query.asOf, screening.today())
      return toAssessmentResource(await screening.assess(request.params.id, asOf, actorOf(request), 'api'))
    },
  )

  api.get(
    screeningRoutes.apiEvents,
    {
      config,
      schema: {
        tags,
        summary: 'Every screening event recorded for the person, entered in error too (clinical roles only)',
        params: PersonParamsSchema,
        response: { 200: ScreeningEventListSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { person, events } = await screening.listEvents(request.params.id, actorOf(request), 'api')
      return { personId: person.id, events: events.map(toEventResource) }
    },
  )

  api.post(
    screeningRoutes.apiEvents,
    {
      config,
      schema: {
        tags,
        summary: 'Record a screening event (clinical roles only)',
        description:
          'Events are never changed or deleted: a mistake is marked entered in error. With an Idempotency-Key, a ' +
          'retry of the same request records nothing and is answered 201 with the event the first one recorded; the ' +
          'same key with a different body is refused with 422.',
        params: PersonParamsSchema,
        headers: IdempotencyHeadersSchema,
        body: ScreeningEventCreateSchema,
        response: { 201: ScreeningEventSchema, ...problemResponses, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      const input = checkCreate(request.body, screening.today())
      const { event } = await screening.recordEvent(
        request.params.id,
        input,
        actorOf(request),
        'api',
        request.headers['idempotency-key'],
      )
      return reply.code(201).header('location', screeningPaths.api.events(event.personId)).send(toEventResource(event))
    },
  )

  api.post(
    screeningRoutes.apiEnteredInError,
    {
      config,
      schema: {
        tags,
        summary: 'Mark a screening event entered in error (clinical roles only)',
        description:
          'The event stays in the history with the reason, who marked it and when, and no longer counts in any ' +
          'assessment. Only once: an event already marked is refused with 409. No If-Match is needed, as nothing ' +
          'else about an event can change.',
        params: EventParamsSchema,
        body: EnteredInErrorSchema,
        response: { 200: ScreeningEventSchema, ...problemResponses, 409: ProblemSchema },
      },
    },
    async (request) => {
      const reason = checkReason(request.body.reason.trim())
      if (!reason.ok) throw new ValidationError(reason.errors)
      const { event } = await screening.markEnteredInError(request.params.id, reason.value, actorOf(request), 'api')
      return toEventResource(event)
    },
  )
}
