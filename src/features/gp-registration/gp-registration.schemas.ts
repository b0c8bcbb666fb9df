/** TypeBox schemas for the GP registration API: request validation, TypeScript types and OpenAPI at once. */
import { Type, type Static } from 'typebox'
import { gpRegistrationStatuses } from './gp-registration.messages.ts'

export { ProblemSchema } from '../../platform/http/problem.ts'

const statusDescription = 'The GP registration status'
const nullable = (description: string, maxLength: number) =>
  Type.Optional(Type.Union([Type.String({ maxLength }), Type.Null()], { description }))

/** Coded values and dates are checked by the feature's own rules, so errors name the field with GOV.UK wording. */
export const GpRegistrationPutSchema = Type.Object(
  {
    status: Type.Enum(gpRegistrationStatuses, { description: statusDescription }),
    statusDate: Type.String({
      description:
        'The date it happened (registered, started, refused, deregistered), YYYY-MM-DD; not in the future nor ' +
        'before 5 July 1948, when the NHS began',
      examples: ['2026-11-20'],
    }),
    serviceId: nullable(
      'A GP practice from the person’s site’s service directory (GET /api/v1/services?kind=gp-practice). ' +
        'Give this or practiceName, not both',
      100,
    ),
    practiceName: nullable('The practice’s name when it is not in the directory', 400),
    practiceOdsCode: nullable(
      'The practice’s ODS code when it is not in the directory; needed with practiceName for registered. ' +
        '3 to 10 letters and digits (lenient: the exact format rule is unverified; practice codes seen are like A81001)',
      40,
    ),
    reason: nullable('Required for refused: the reason the practice gave. No fixed abode is never a valid one', 2000),
    helpGiven: nullable('The help given, e.g. "Helped complete GMS1 form"', 4000),
  },
  {
    additionalProperties: false,
    description:
      'A new GP registration status. registered needs a practice (serviceId, or practiceName with ' +
      'practiceOdsCode); refused needs a practice and a reason; not-registered takes no practice.',
  },
)
export type GpRegistrationPut = Static<typeof GpRegistrationPutSchema>

const RecordSchema = Type.Object({
  status: Type.Enum(gpRegistrationStatuses, { description: statusDescription }),
  statusDate: Type.String({ description: 'YYYY-MM-DD' }),
  practice: Type.Union(
    [
      Type.Object({
        serviceId: Type.Union([Type.String(), Type.Null()], {
          description: 'The directory entry, or null when the practice is not listed',
        }),
        name: Type.String(),
        odsCode: Type.Union([Type.String(), Type.Null()]),
      }),
      Type.Null(),
    ],
    { description: 'The practice, or null when none was recorded' },
  ),
  reason: Type.Union([Type.String(), Type.Null()]),
  helpGiven: Type.Union([Type.String(), Type.Null()]),
  recordedAt: Type.String({ description: 'When it was recorded (ISO 8601, UTC)' }),
  recordedBy: Type.String({ description: 'Id of the staff user who recorded it' }),
})

export const GpRegistrationSchema = Type.Object(
  {
    personId: Type.String({ description: 'The person’s id (UUID)' }),
    current: Type.Union([RecordSchema, Type.Null()], { description: 'The latest status, or null before any' }),
    inProgressSince: Type.Union([Type.String(), Type.Null()], {
      description: 'While in progress: the date the current run of in-progress statuses began',
    }),
    history: Type.Array(RecordSchema, { description: 'Every status recorded, newest first' }),
    etag: Type.String({ description: 'The same as the ETag header: send it as If-Match with a PUT' }),
  },
  { description: 'A person’s GP registration: the current status and its history' },
)
export type GpRegistrationResource = Static<typeof GpRegistrationSchema>

export const GpRegistrationParamsSchema = Type.Object({ id: Type.String({ description: 'The person’s id (UUID)' }) })

export const GpRegistrationPutHeadersSchema = Type.Object({
  'if-match': Type.Optional(
    Type.String({
      description:
        'Required: the ETag from your last GET of the person’s GP registration. Missing or a wildcard (*) is ' +
        'refused with 428; a stale one with 412.',
    }),
  ),
})

