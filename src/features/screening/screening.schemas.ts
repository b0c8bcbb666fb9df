/** TypeBox schemas for the screening API: request validation, TypeScript types and OpenAPI at once. */
import { Type, type Static } from 'typebox'
import { screeningProgrammes, screeningStatuses } from './screening.eligibility.ts'
import { resultLabels, screeningEventProgrammes, screeningEventStates } from './screening.messages.ts'

export { ProblemSchema } from '../../platform/http/problem.ts'

const resultDescription =
  'Only with state result-recorded, and then required: the result code for the programme. ' +
  screeningEventProgrammes.map((p) => `${p}: ${Object.keys(resultLabels[p]).join(', ')}`).join('; ')

export const PersonParamsSchema = Type.Object({ id: Type.String({ description: 'The person’s id (UUID)' }) })
export const EventParamsSchema = Type.Object({ id: Type.String({ description: 'The screening event’s id (UUID)' }) })

export const AsOfQuerySchema = Type.Object(
  {
    asOf: Type.Optional(
      Type.String({
        description:
          'The date to assess as of, YYYY-MM-DD (default: today in the UK). Events dated after it are ignored. ' +
          'Not before the person’s date of birth.',
        examples: ['2026-11-20'],
      }),
    ),
  },
  { additionalProperties: false },
)

const EligibleSchema = Type.Union(
  [Type.Boolean(), Type.Literal('self-referral'), Type.Literal('check-with-clinician')],
  {
    description:
      'true: in the invited group (now or at the next recall); false: not; self-referral: not invited but can ask; ' +
      'check-with-clinician: this service cannot decide from the record (the reason says why)',
  },
)

const ProgrammeAssessmentSchema = Type.Object({
  programme: Type.Enum(screeningProgrammes, {
    description: 'prostate-informed-choice is not screening: never eligible, never due, no date',
  }),
  eligible: EligibleSchema,
  status: Type.Enum(screeningStatuses, {
    description:
      'due when nothing is recorded yet or the recall date is reached; invited, booked or declined when that is ' +
      'the latest since the last screen; otherwise the last screen’s state (attended or result-recorded)',
  }),
  nextDue: Type.Union([Type.String(), Type.Null()], {
    description: 'YYYY-MM-DD from which the next screen is due, or null when no routine date follows',
  }),
  reason: Type.String({ description: 'Why, in plain words' }),
})

export const ScreeningAssessmentSchema = Type.Object(
  {
    personId: Type.String(),
    asOf: Type.String({ description: 'YYYY-MM-DD' }),
    programmes: Type.Array(ProgrammeAssessmentSchema, {
      description: 'One per programme, in the order cervical, breast, bowel, aaa, lung, prostate-informed-choice',
    }),
  },
  { description: 'Screening eligibility and status per NHS programme (domain reference §2)' },
)
export type ScreeningAssessmentResource = Static<typeof ScreeningAssessmentSchema>

export const ScreeningEventCreateSchema = Type.Object(
  {
    programme: Type.Enum(screeningEventProgrammes, {
      description: 'The programme. Prostate is informed choice and cannot be recorded',
    }),
    state: Type.Enum(screeningEventStates, { description: 'What happened' }),
    date: Type.String({
      description:
        'The date it happened, YYYY-MM-DD; for result-recorded the date of the test itself. Not in the future nor ' +
        'before 5 July 1948, when the NHS began',
      examples: ['2026-11-18'],
    }),
    result: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: resultDescription })),
    selfSample: Type.Optional(
      Type.Boolean({ description: 'Cervical only: the sample was a self-sample (it never moves anyone to 5 years)' }),
    ),
    note: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'Up to 2000 characters' })),
  },
  { additionalProperties: false, description: 'A screening event to record for the person' },
)
export type ScreeningEventCreate = Static<typeof ScreeningEventCreateSchema>

export const EnteredInErrorSchema = Type.Object(
  { reason: Type.String({ description: 'Why the event was entered in error (1 to 1000 characters)' }) },
  { additionalProperties: false },
)
export type EnteredInError = Static<typeof EnteredInErrorSchema>

export const ScreeningEventSchema = Type.Object({
  id: Type.String(),
  personId: Type.String(),
  programme: Type.Enum(screeningEventProgrammes, { description: 'The programme' }),
  state: Type.Enum(screeningEventStates, { description: 'What happened' }),
  date: Type.String({ description: 'YYYY-MM-DD' }),
  result: Type.Union([Type.String(), Type.Null()]),
  selfSample: Type.Union([Type.Boolean(), Type.Null()], { description: 'Cervical only; null otherwise' }),
  note: Type.Union([Type.String(), Type.Null()]),
  recordedBy: Type.String({ description: 'Id of the staff user who recorded it' }),
  recordedAt: Type.String({ description: 'ISO 8601, UTC' }),
  enteredInError: Type.Union(
    [
      Type.Object({
        at: Type.String({ description: 'ISO 8601, UTC' }),
        by: Type.String({ description: 'Id of the staff user who marked it' }),
        reason: Type.String(),
      }),
      Type.Null(),
    ],
    { description: 'Set when the event was marked entered in error: it then no longer counts in any assessment' },
  ),
})
export type ScreeningEventResource = Static<typeof ScreeningEventSchema>

export const ScreeningEventListSchema = Type.Object({
  personId: Type.String(),
  events: Type.Array(ScreeningEventSchema, {
    description: 'Every event recorded, entered in error too, newest first by date',
  }),
})

export const IdempotencyHeadersSchema = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'Optional: a retry with the same key and body records nothing and returns the first event',
    }),
  ),
})
