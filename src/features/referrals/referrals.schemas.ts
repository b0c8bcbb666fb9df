/** TypeBox schemas for the referrals API: request validation, TypeScript types and the OpenAPI description at once. */
import { Type, type Static } from 'typebox'
import { referralStatuses, referralUrgencies } from './referrals.lifecycle.ts'
import { REASON_MAX } from './referrals.messages.ts'
import { MAX_VERSION } from '../../platform/http/preconditions.ts'
import { needCategories } from '../needs/index.ts'
import { serviceKinds } from '../services/index.ts'

import { ProblemSchema } from '../../platform/http/problem.ts'

export { ProblemSchema }

/** A problem with what a referral's conflicts add: the transitions allowed, or the open referral already there. */
export const ReferralProblemSchema = Type.Object(
  {
    ...ProblemSchema.properties,
    allowed: Type.Optional(
      Type.Array(Type.Enum(referralStatuses), { description: 'The transitions you may record from the current status' }),
    ),
    currentStatus: Type.Optional(Type.Enum(referralStatuses, { description: 'The referral’s status now' })),
    currentVersion: Type.Optional(Type.Integer({ description: 'The referral’s version now' })),
    existingReferralId: Type.Optional(Type.String({ description: 'The open referral for the same need and service' })),
  },
  { description: 'An RFC 9457 problem (application/problem+json)' },
)

const date = (description: string) =>
  Type.String({ description, pattern: '^\\d{4}-\\d{2}-\\d{2}$', examples: ['2026-11-20'] })
const nullableDate = (description: string) => Type.Union([date(description), Type.Null()], { description })
const statusSchema = Type.Enum(referralStatuses, { description: 'The referral’s status' })

export const ReferralCreateSchema = Type.Object(
  {
    needId: Type.String({ description: 'A confirmed need of this person (UUID)' }),
    serviceId: Type.String({ description: 'An active service in the directory of the person’s site (UUID)' }),
    reason: Type.String({
      maxLength: REASON_MAX,
      description: 'The reason for the referral: what the service needs to know. Shared with the service.',
    }),
    urgency: Type.Optional(Type.Enum(referralUrgencies, { description: 'routine (default) or urgent' })),
    send: Type.Optional(
      Type.Boolean({
        description:
          'true sends the referral at once (a partner organisation needs the person’s consent to share with it); ' +
          'false or absent saves a draft',
      }),
    ),
  },
  { additionalProperties: false, description: 'A referral from a confirmed need to a service' },
)
export type ReferralCreate = Static<typeof ReferralCreateSchema>

export const TransitionSchema = Type.Object(
  {
    to: Type.Enum(referralStatuses, { description: 'The new status' }),
    reason: Type.Optional(
      Type.Union([Type.String({ maxLength: REASON_MAX }), Type.Null()], {
        description: 'Why; required for rejected, declined, withdrawn and did-not-attend',
      }),
    ),
    at: Type.Optional(
      Type.Union([
        date(
          'The UK date it happened; required (a missing or null date is refused with 400 naming at, never taken as ' +
            'today); not in the future, nor before the last change, nor more than 12 months ago; for ' +
            'first-appointment-attended and did-not-attend, not before the booked appointment',
        ),
        Type.Null(),
      ]),
    ),
    appointmentOn: Type.Optional(
      Type.Union([
        date(
          'The first appointment’s date; required for first-appointment-booked; on or after the date it was booked ' +
            '(at), and may be in the future; within a year of today',
        ),
        Type.Null(),
      ]),
    ),
    version: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_VERSION,
        description: 'The version you saw (instead of If-Match); a stale one is refused with 409',
      }),
    ),
  },
  { additionalProperties: false, description: 'A change of a referral’s status' },
)
export type TransitionBody = Static<typeof TransitionSchema>

export const ReferralPatchSchema = Type.Object(
  { chaseOn: date('The next date someone should check the referral’s progress; within a year of today') },
  { additionalProperties: false, description: 'A different chase date (hub staff)' },
)
export type ReferralPatch = Static<typeof ReferralPatchSchema>

const EventSchema = Type.Object({
  from: Type.Union([statusSchema, Type.Null()], { description: 'The status before (null for creation)' }),
  to: statusSchema,
  occurredOn: date('The date it happened'),
  reason: Type.Union([Type.String(), Type.Null()]),
  actorId: Type.String({ description: 'Who recorded it (staff user id)' }),
  actorName: Type.Union([Type.String(), Type.Null()], { description: 'Their name, if they still exist' }),
  recordedAt: Type.String({ description: 'When it was recorded (ISO 8601, UTC)' }),
})

const PersonSchema = Type.Object(
  {
    id: Type.String(),
    crn: Type.Optional(Type.String({ description: 'Hub staff only' })),
    givenName: Type.String(),
    familyName: Type.String(),
    preferredName: Type.Union([Type.String(), Type.Null()]),
    dateOfBirth: date('Date of birth'),
    nhsNumber: Type.Union([Type.String(), Type.Null()]),
    phone: Type.Union([Type.String(), Type.Null()]),
    email: Type.Union([Type.String(), Type.Null()]),
    interpreterNeeded: Type.Boolean(),
    language: Type.Union([Type.String(), Type.Null()]),
    readingSupport: Type.Boolean(),
    communicationNotes: Type.Union([Type.String(), Type.Null()]),
  },
  { description: 'What the receiving service needs to know of the person' },
)

/** Most fields are absent for a partner whose access the person's consent no longer allows. */
export const ReferralSchema = Type.Object(
  {
    id: Type.String(),
    consentWithdrawn: Type.Boolean({
      description:
        'For a partner: true when the person no longer consents to share with your organisation; then only the id is given',
    }),
    personId: Type.Optional(Type.String()),
    person: Type.Optional(PersonSchema),
    siteCode: Type.Optional(Type.String()),
    needId: Type.Optional(Type.String()),
    needCategory: Type.Optional(Type.Enum(needCategories, { description: 'The need’s category' })),
    serviceId: Type.Optional(Type.String()),
    serviceName: Type.Optional(Type.String()),
    serviceKind: Type.Optional(Type.Enum(serviceKinds, { description: 'The kind of service' })),
    organisationCode: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    partnerConsent: Type.Optional(
      Type.String({
        description: 'not-needed, given, not-given or withdrawn (consent to share with the organisation)',
      }),
    ),
    status: Type.Optional(statusSchema),
    statusLabel: Type.Optional(Type.String({ description: 'The status in plain words' })),
    urgency: Type.Optional(Type.Enum(referralUrgencies)),
    reason: Type.Optional(Type.String()),
    needIdentifiedOn: Type.Optional(date('When the need was identified')),
    sentOn: Type.Optional(nullableDate('When it was sent')),
    chaseOn: Type.Optional(nullableDate('The next date to check progress (null when closed)')),
    overdue: Type.Optional(Type.Boolean({ description: 'The chase date has passed' })),
    firstAppointmentOn: Type.Optional(nullableDate('The first appointment booked')),
    firstAttendedOn: Type.Optional(nullableDate('When the person first attended')),
    daysToFirstTreatment: Type.Optional(
      Type.Union([Type.Integer(), Type.Null()], {
        description: 'Days from the need identified to the first attendance',
      }),
    ),
    closedOn: Type.Optional(nullableDate('When it reached a final status')),
    version: Type.Optional(Type.Integer({ description: 'The same as the ETag: send it as If-Match or version' })),
    allowedTransitions: Type.Optional(
      Type.Array(statusSchema, { description: 'What you may record next from the current status' }),
    ),
    events: Type.Optional(Type.Array(EventSchema, { description: 'The changelog, newest first' })),
  },
  { description: 'A referral' },
)
export type ReferralResource = Static<typeof ReferralSchema>

export const ReferralListSchema = Type.Object({
  referrals: Type.Array(ReferralSchema),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  total: Type.Integer(),
})

export const IdParamsSchema = Type.Object({ id: Type.String({ description: 'The id (UUID)' }) })

export const ListQuerySchema = Type.Object(
  {
    site: Type.Optional(Type.String({ description: 'Hub staff: a site code of yours (default: your first site)' })),
    status: Type.Optional(Type.Enum(referralStatuses, { description: 'Only referrals with this status' })),
    overdue: Type.Optional(Type.Boolean({ description: 'Only referrals whose chase date has passed' })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
  },
  { additionalProperties: false },
)

export const CreateHeadersSchema = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description:
        'A retry with the same key and body makes no second referral; the same key with a different body is 422',
    }),
  ),
})

export const IfMatchOptionalSchema = Type.Object({
  'if-match': Type.Optional(
    Type.String({ description: 'Optional: the ETag you saw; a stale one is refused with 409' }),
  ),
})

export const IfMatchRequiredSchema = Type.Object({
  'if-match': Type.Optional(
    Type.String({
      description: 'Required: the ETag from your last GET of the referral. A wildcard (*) is refused with 428',
    }),
  ),
})
