import { Type, type Static } from 'typebox'
import { healthCheckStatuses, observationStatuses, smokingStatuses, warningFlagStatuses } from './health-checks.tables.ts'
import { needCategories, needStatuses } from '../needs/index.ts'

/**
 * Far outside any reading: the schema only keeps absurd numbers (1e309) out; the service checks the clinical ranges
 * and says them in words.
 */
const OBSERVATION_BOUNDS = { minimum: -1_000_000, maximum: 1_000_000 }

export { ProblemSchema } from '../../platform/http/problem.ts'

/** One TypeBox schema per shape: validation, types and the OpenAPI document. */

export const PersonParamsSchema = Type.Object({ id: Type.String({ description: 'The person’s id' }) })

export const CreateHeadersSchema = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description:
        'Optional: a key you choose (a UUID is best). Retrying with the same key and body starts no second check ' +
        'and answers 201 with the check the first request made. The same key with a different body is refused (422).',
    }),
  ),
})

export const ObservationsInputSchema = Type.Object(
  {
    bloodPressureStatus: Type.Optional(Type.Enum(observationStatuses)),
    systolic: Type.Optional(
      Type.Union([Type.Number(OBSERVATION_BOUNDS), Type.Null()], { description: 'mmHg, 50 to 300' }),
    ),
    diastolic: Type.Optional(
      Type.Union([Type.Number(OBSERVATION_BOUNDS), Type.Null()], { description: 'mmHg, 20 to 200' }),
    ),
    heightStatus: Type.Optional(Type.Enum(observationStatuses)),
    heightCm: Type.Optional(
      Type.Union([Type.Number(OBSERVATION_BOUNDS), Type.Null()], { description: 'cm, 50 to 250, 1 decimal' }),
    ),
    weightStatus: Type.Optional(Type.Enum(observationStatuses)),
    weightKg: Type.Optional(
      Type.Union([Type.Number(OBSERVATION_BOUNDS), Type.Null()], { description: 'kg, 20 to 400, 1 decimal' }),
    ),
    smokingStatus: Type.Optional(Type.Union([Type.Enum(smokingStatuses), Type.Null()])),
  },
  {
    additionalProperties: false,
    description:
      'Each measurement is optional: a status defaults to "measured" when its value is given and "not-measured" ' +
      'otherwise. BMI is computed by the service (1 decimal place). A blood pressure of 180 systolic or 120 ' +
      'diastolic or higher raises a warning flag for a clinician’s review the same day (NICE NG136). Every ' +
      'implausible value is named at once.',
  },
)
export type ObservationsInputBody = Static<typeof ObservationsInputSchema>

export const CreateCheckSchema = Type.Object(
  {
    appointmentId: Type.Optional(Type.String({ description: 'One of the person’s appointments' })),
    responses: Type.Record(
      Type.String(),
      Type.Record(Type.String(), Type.String(), { description: 'ITEM_CODE: OPTION_CODE' }),
      {
        description:
          'INSTRUMENT_CODE: { ITEM_CODE: OPTION_CODE }. Leave out items not asked; "prefer-not-to-say" makes a ' +
          'result incomplete. Unknown instrument, item or option codes are refused with 400 naming each, like ' +
          'responses.phq-9.phq9-10.',
      },
    ),
    observations: Type.Optional(ObservationsInputSchema),
    complete: Type.Optional(Type.Boolean({ description: 'true: complete the check now and propose needs' })),
  },
  { additionalProperties: false },
)
export type CreateCheck = Static<typeof CreateCheckSchema>

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T, options?: { description: string }) =>
  Type.Union([schema, Type.Null()], options)

export const ResultSchema = Type.Object({
  instrument: Type.String(),
  version: Type.String({ description: 'The instrument version the answers were scored under' }),
  answers: Type.Record(Type.String(), Type.String()),
  applicable: Type.Boolean(),
  complete: Type.Boolean(),
  score: Nullable(Type.Number()),
  partialScore: Nullable(Type.Number({ description: 'Only when incomplete: a lower bound, never a score' })),
  band: Nullable(Type.Object({ code: Type.String(), label: Type.String() })),
  positive: Nullable(Type.Boolean()),
  missingItems: Type.Array(Type.String()),
  preferNotToSay: Type.Array(Type.String()),
})

export const FlagSchema = Type.Object({
  id: Type.String(),
  instrument: Type.String({
    description: 'The instrument that raised it (e.g. phq-9), or observations for a physical measurement',
  }),
  itemCode: Type.String({ description: 'The question (e.g. phq9-9) or measurement (blood-pressure)' }),
  code: Type.String({
    description: 'The warning sign: phq9-item9 (PHQ-9 question 9 above 0) or severe-hypertension (180/120 or higher)',
  }),
  message: Type.String(),
  raisedAt: Type.String({ format: 'date-time' }),
  respondBy: Type.String({ format: 'date-time', description: 'The end of the UK day the flag was raised' }),
  status: Type.Enum(warningFlagStatuses),
  respondedAt: Nullable(Type.String({ format: 'date-time' })),
})

export const NeedSchema = Type.Object({
  id: Type.String(),
  category: Type.Enum(needCategories),
  status: Type.Enum(needStatuses),
  proposedBecause: Type.String(),
  reason: Nullable(Type.String()),
  identifiedOn: Type.String({ format: 'date' }),
})

export const ObservationsSchema = Type.Object({
  bloodPressureStatus: Type.Enum(observationStatuses),
  systolic: Nullable(Type.Number()),
  diastolic: Nullable(Type.Number()),
  heightStatus: Type.Enum(observationStatuses),
  heightCm: Nullable(Type.Number()),
  weightStatus: Type.Enum(observationStatuses),
  weightKg: Nullable(Type.Number()),
  bmi: Nullable(Type.Number()),
  smokingStatus: Nullable(Type.Enum(smokingStatuses)),
})

export const CheckSchema = Type.Object({
  id: Type.String(),
  personId: Type.String(),
  appointmentId: Nullable(Type.String()),
  clinicianId: Type.String(),
  status: Type.Enum(healthCheckStatuses),
  startedAt: Type.String({ format: 'date-time' }),
  completedAt: Nullable(Type.String({ format: 'date-time' })),
  version: Type.Integer(),
  results: Type.Array(ResultSchema),
  observations: Nullable(ObservationsSchema),
  flags: Type.Array(FlagSchema, {
    description: 'Warning signs for a clinician’s same-day review. Never a risk level.',
  }),
  needs: Type.Array(NeedSchema),
})
export type CheckResource = Static<typeof CheckSchema>

export const CheckListSchema = Type.Object({ healthChecks: Type.Array(CheckSchema) })

// ---- Warning flags ----

export const FlagParamsSchema = Type.Object({ id: Type.String({ description: 'The warning flag’s id' }) })

export const FlagDetailSchema = Type.Object({
  ...FlagSchema.properties,
  personId: Type.String(),
  checkId: Type.String(),
  overdue: Type.Boolean({ description: 'Still awaiting a response after the end of the UK day it was raised' }),
  responseText: Nullable(Type.String({ description: 'The clinician’s documented response' })),
  respondedBy: Nullable(Type.String()),
})
export type FlagResource = Static<typeof FlagDetailSchema>

export const FlagListSchema = Type.Object({
  warningFlags: Type.Array(FlagDetailSchema, { description: 'Newest first. Never a risk level (NICE NG225).' }),
})

export const FlagResponseSchema = Type.Object(
  {
    response: Type.String({
      minLength: 1,
      maxLength: 5000,
      description: 'What was discussed and done: the person’s needs, any safety plan, who else is involved',
    }),
  },
  { additionalProperties: false },
)
