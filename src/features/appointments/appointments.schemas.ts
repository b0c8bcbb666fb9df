/** TypeBox schemas for the appointments API: request validation, TypeScript types and the OpenAPI description. */
import { Type, type Static } from 'typebox'
import { MAX_DURATION_MINUTES } from './appointments.repository.ts'
import { absenceReasons, appointmentKinds, appointmentOutcomes, appointmentStatuses } from './appointments.tables.ts'

export { ProblemSchema } from '../../platform/http/problem.ts'

const nullable = (description: string) => Type.Union([Type.String(), Type.Null()], { description })
const nullableCode = <T extends string>(codes: readonly T[], description: string) =>
  Type.Union([Type.Enum(codes), Type.Null()], { description })

const outcomeDescription =
  'nDelius appointment outcome: ATTC attended and complied; AFTC attended, failed to comply; ATSH sent home ' +
  '(behaviour); ATSS sent home (service issues); AFTA failed to attend; UAAB unacceptable absence; AA acceptable ' +
  'absence (absenceReason required); RSOF rescheduled at the person’s request; RSSR rescheduled at the service’s ' +
  'request (RSOF and RSSR are set by rescheduling, and cannot be recorded as an outcome)'
const absenceDescription =
  'Acceptable-absence reason, only with outcome AA: AACL court/legal, AAEM employment, AAFC family/childcare, ' +
  'AAHO holiday, AAME medical, AARC RIC, AARE religious, AASD stood down, AAAA other, CO05 professional judgement'

export const AppointmentSchema = Type.Object(
  {
    id: Type.String(),
    personId: Type.String(),
    siteCode: Type.String(),
    kind: Type.Enum(appointmentKinds, {
      description: 'joint (probation practitioner and hub clinician) or clinic (health only)',
    }),
    startsAt: Type.String({ description: 'Start (ISO 8601, UTC)' }),
    endsAt: Type.String({ description: 'End (ISO 8601, UTC)' }),
    durationMinutes: Type.Integer(),
    location: nullable('Where in the site, e.g. a room'),
    clinicianId: Type.String(),
    clinicianName: Type.String(),
    practitionerId: nullable('The probation practitioner (joint appointments)'),
    practitionerName: nullable('The probation practitioner’s name'),
    status: Type.Enum(appointmentStatuses, { description: 'booked, cancelled or completed' }),
    outcome: nullableCode(appointmentOutcomes, outcomeDescription),
    absenceReason: nullableCode(absenceReasons, absenceDescription),
    outcomeNotes: nullable('Notes recorded with the outcome'),
    cancelledReason: nullable('Why it was cancelled; "rescheduled" when it was moved'),
    rescheduledFrom: nullable('The appointment this one replaced'),
    rescheduledTo: nullable('The appointment that replaced this one'),
    version: Type.Integer({ description: 'Increases by one with every change; the ETag is W/"<version>"' }),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { description: 'An appointment at a hub site' },
)
export type AppointmentResource = Static<typeof AppointmentSchema>

export const AppointmentListSchema = Type.Object({ appointments: Type.Array(AppointmentSchema) })

export const AppointmentParamsSchema = Type.Object({ id: Type.String({ description: 'The id (UUID)' }) })

export const BookAppointmentSchema = Type.Object(
  {
    kind: Type.Enum(appointmentKinds, { description: 'joint or clinic' }),
    startsAt: Type.String({
      description:
        'Start as ISO 8601 with an offset or Z, e.g. 2026-12-03T10:00:00Z; must be in the future, and at most two ' +
        'years ahead',
      examples: ['2026-12-03T10:00:00Z'],
    }),
    // The schema bounds the number; below 5 is refused by the booking check with its own message.
    durationMinutes: Type.Integer({
      minimum: 0,
      maximum: MAX_DURATION_MINUTES,
      description: 'Length in minutes, 5 to 480',
    }),
    location: Type.Optional(nullable('Where in the site, up to 200 characters')),
    clinicianId: Type.String({ description: 'A hub clinician (or hub manager) at the person’s site' }),
    practitionerId: Type.Optional(
      nullable('A probation practitioner at the person’s site; required for joint, ignored for clinic'),
    ),
  },
  { additionalProperties: false },
)
export type BookAppointment = Static<typeof BookAppointmentSchema>

export const PatchAppointmentSchema = Type.Object(
  {
    outcome: Type.Optional(Type.Enum(appointmentOutcomes, { description: outcomeDescription })),
    absenceReason: Type.Optional(nullableCode(absenceReasons, absenceDescription)),
    notes: Type.Optional(nullable('Notes with the outcome, up to 2,000 characters')),
    status: Type.Optional(Type.Literal('cancelled', { description: 'To cancel: "cancelled", with a reason' })),
    reason: Type.Optional(Type.String({ description: 'Why the appointment is cancelled, up to 500 characters' })),
  },
  {
    additionalProperties: false,
    description: 'Either an outcome { outcome, absenceReason?, notes? } or a cancellation { status, reason }',
  },
)
export type PatchAppointment = Static<typeof PatchAppointmentSchema>

export const IfMatchHeadersSchema = Type.Object({
  'if-match': Type.Optional(
    Type.String({ description: 'Required: the ETag from your last read of the appointment, e.g. W/"1"' }),
  ),
})

export const IdempotencyHeadersSchema = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description:
        'Optional: a key you choose. A retry with the same key and body books nothing and returns the first booking.',
    }),
  ),
})
