import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { dateRangeError, isRealDate, isUuid } from '../../platform/forms/forms.ts'
import { actorOf, personRecordRoles, requirePrincipal } from '../../platform/http/auth.ts'
import { PreconditionFailedError, ValidationError, type FieldError } from '../../platform/http/errors.ts'
import { APPOINTMENT_DATE_LABEL, appointmentDateRange, checkOutcome } from './appointments.forms.ts'
import { messages } from './appointments.messages.ts'
import { MAX_DURATION_MINUTES } from './appointments.repository.ts'
import { appointmentPaths, appointmentRoutes } from './appointments.paths.ts'
import {
  AppointmentListSchema,
  AppointmentParamsSchema,
  AppointmentSchema,
  BookAppointmentSchema,
  IdempotencyHeadersSchema,
  IfMatchHeadersSchema,
  PatchAppointmentSchema,
  ProblemSchema,
  type AppointmentResource,
  type BookAppointment,
} from './appointments.schemas.ts'
import {
  type Appointment,
  type AppointmentsService,
  type BookingDetails,
  type ChangeResult,
} from './appointments.service.ts'
import { versionFromIfMatch } from '../../platform/http/preconditions.ts'
import { appointmentKinds, type AppointmentKind } from './appointments.tables.ts'

export function toResource(a: Appointment): AppointmentResource {
  return {
    id: a.id,
    personId: a.personId,
    siteCode: a.siteCode,
    kind: a.kind,
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt.toISOString(),
    durationMinutes: a.durationMinutes,
    location: a.location,
    clinicianId: a.clinicianId,
    clinicianName: a.clinicianName,
    practitionerId: a.practitionerId,
    practitionerName: a.practitionerName,
    status: a.status,
    outcome: a.outcome,
    absenceReason: a.absenceReason,
    outcomeNotes: a.outcomeNotes,
    cancelledReason: a.cancelledReason,
    rescheduledFrom: a.rescheduledFrom,
    rescheduledTo: a.rescheduledTo,
    version: a.version,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  }
}

export const etagFor = (version: number): string => `W/"${version}"`

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/

const isKind = (v: string): v is AppointmentKind => (appointmentKinds as readonly string[]).includes(v)

/** Shape and format of a booking; the rules needing data (site, roles, clashes, the past) are the service's. */
function checkBooking(body: BookAppointment, today: string): BookingDetails {
  const errors: FieldError[] = []
  if (!isKind(body.kind)) errors.push({ field: 'kind', message: 'kind must be joint or clinic' })
  const startsAt = new Date(body.startsAt)
  // Date() rolls an impossible day over (2027-02-30 becomes 2 March), so the date as written must be a real one.
  if (
    !ISO_WITH_OFFSET.test(body.startsAt) ||
    !isRealDate(body.startsAt.slice(0, 10)) ||
    Number.isNaN(startsAt.getTime())
  ) {
    errors.push({
      field: 'startsAt',
      message: 'startsAt must be an ISO 8601 date-time with an offset, like 2026-12-03T10:00:00Z',
    })
  } else {
    const tooFar = dateRangeError(body.startsAt.slice(0, 10), appointmentDateRange(today), APPOINTMENT_DATE_LABEL)
    if (tooFar !== undefined) errors.push({ field: 'startsAt', message: tooFar })
  }
  if (body.durationMinutes < 5 || body.durationMinutes > MAX_DURATION_MINUTES) {
    errors.push({ field: 'durationMinutes', message: `durationMinutes must be from 5 to ${MAX_DURATION_MINUTES}` })
  }
  if (!isUuid(body.clinicianId)) errors.push({ field: 'clinicianId', message: messages.clinicianNotAtSite })
  const practitionerId = body.kind === 'joint' ? (body.practitionerId ?? null) : null
  if (body.kind === 'joint' && (practitionerId === null || practitionerId === '')) {
    errors.push({ field: 'practitionerId', message: messages.practitionerBlank })
  } else if (practitionerId !== null && !isUuid(practitionerId)) {
    errors.push({ field: 'practitionerId', message: messages.practitionerNotAtSite })
  }
  const location = (body.location ?? '').trim()
  if (location.length > 200) errors.push({ field: 'location', message: messages.locationTooLong })
  if (errors.length > 0 || !isKind(body.kind)) throw new ValidationError(errors)
  return {
    kind: body.kind,
    startsAt,
    durationMinutes: body.durationMinutes,
    location: location === '' ? null : location,
    clinicianId: body.clinicianId,
    practitionerId,
  }
}

const problems = { 400: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema }

export function registerAppointmentsApi(app: FastifyInstance, deps: { appointments: AppointmentsService }): void {
  const { appointments } = deps
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const config = { access: personRecordRoles }

  api.post(
    appointmentRoutes.apiPersonAppointments,
    {
      config,
      schema: {
        tags: ['appointments'],
        summary: 'Book an appointment for a person',
        description:
          'Refused with 409 when the person, the clinician or the practitioner already has a booked appointment ' +
          'overlapping this one; the detail names the clash. With an Idempotency-Key, a retry books nothing and ' +
          'answers 201 with the first booking.',
        params: AppointmentParamsSchema,
        headers: IdempotencyHeadersSchema,
        body: BookAppointmentSchema,
        response: { 201: AppointmentSchema, ...problems, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      requirePrincipal(request)
      const details = checkBooking(request.body, appointments.today())
      const { appointment } = await appointments.bookAppointment(
        request.params.id,
        details,
        actorOf(request),
        'api',
        request.headers['idempotency-key'],
      )
      return reply
        .code(201)
        .header('location', appointmentPaths.api.appointment(appointment.id))
        .header('etag', etagFor(appointment.version))
        .send(toResource(appointment))
    },
  )

  api.get(
    appointmentRoutes.apiPersonAppointments,
    {
      config,
      schema: {
        tags: ['appointments'],
        summary: 'A person’s appointments, latest first',
        params: AppointmentParamsSchema,
        response: { 200: AppointmentListSchema, ...problems },
      },
    },
    async (request) => {
      const { appointments: list } = await appointments.listForPerson(request.params.id, actorOf(request), 'api')
      return { appointments: list.map(toResource) }
    },
  )

  api.get(
    appointmentRoutes.apiAppointment,
    {
      config,
      schema: {
        tags: ['appointments'],
        summary: 'An appointment (the ETag header carries the version for PATCH)',
        params: AppointmentParamsSchema,
        response: { 200: AppointmentSchema, ...problems },
      },
    },
    async (request, reply) => {
      const appointment = await appointments.viewAppointment(request.params.id, actorOf(request), 'api')
      return reply.header('etag', etagFor(appointment.version)).send(toResource(appointment))
    },
  )

  api.patch(
    appointmentRoutes.apiAppointment,
    {
      config,
      schema: {
        tags: ['appointments'],
        summary: 'Record an outcome or cancel (requires If-Match with the ETag)',
        description:
          'Send { outcome, absenceReason?, notes? } to record what happened (absenceReason is required with AA), ' +
          'or { status: "cancelled", reason } to cancel. An outcome may only be recorded once the appointment has ' +
          'started. RSOF and RSSR are refused (400): they are set by rescheduling, which books the replacement. ' +
          'A missed appointment (AFTA, UAAB, AA) creates follow-up work for the clinician and the probation ' +
          'practitioner (for a health clinic, the practitioner only with the person’s consent to share with ' +
          'probation). Probation practitioners see clinic appointments and outcome notes only with that consent.',
        params: AppointmentParamsSchema,
        headers: IfMatchHeadersSchema,
        body: PatchAppointmentSchema,
        response: { 200: AppointmentSchema, ...problems, 412: ProblemSchema, 428: ProblemSchema },
      },
    },
    async (request, reply) => {
      const version = versionFromIfMatch(request.headers['if-match'], 'read of this appointment, like W/"1"')
      const body = request.body
      let result: ChangeResult
      if (body.status === 'cancelled') {
        const extra = (['outcome', 'absenceReason', 'notes'] as const).filter((k) => body[k] !== undefined)
        if (extra.length > 0) {
          throw new ValidationError(
            extra.map((field) => ({ field, message: `${field} cannot be sent with a cancellation` })),
          )
        }
        const reason = (body.reason ?? '').trim()
        if (reason === '') throw new ValidationError([{ field: 'reason', message: messages.cancelReasonBlank }])
        if (reason.length > 500) throw new ValidationError([{ field: 'reason', message: messages.cancelReasonTooLong }])
        result = await appointments.cancelAppointment(request.params.id, version, reason, actorOf(request), 'api')
      } else {
        if (body.reason !== undefined) {
          throw new ValidationError([{ field: 'reason', message: 'reason is only sent with status "cancelled"' }])
        }
        const checked = checkOutcome({
          outcome: body.outcome ?? '',
          absenceReason: (body.absenceReason ?? '').trim(),
          notes: (body.notes ?? '').trim(),
        })
        if (checked.value === undefined) throw new ValidationError(checked.errors)
        result = await appointments.recordOutcome(request.params.id, version, checked.value, actorOf(request), 'api')
      }
      if (!result.ok) {
        throw new PreconditionFailedError(
          'This appointment was changed by someone else since your ETag was issued. GET it again, then reapply your change.',
        )
      }
      return reply.header('etag', etagFor(result.appointment.version)).send(toResource(result.appointment))
    },
  )
}
