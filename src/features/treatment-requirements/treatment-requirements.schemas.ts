/** TypeBox schemas for the treatment requirements API: request validation, TypeScript types and OpenAPI at once. */
import { Type, type Static } from 'typebox'
import { ProblemSchema } from '../../platform/http/problem.ts'
import { treatmentRequirementKinds, treatmentRequirementStatuses } from './treatment-requirements.tables.ts'
import { needCategories } from '../needs/index.ts'
import { referralStatuses } from '../referrals/index.ts'

export { ProblemSchema }

const kindSchema = (description: string) => Type.Enum(treatmentRequirementKinds, { description })
const statusSchema = (description: string) => Type.Enum(treatmentRequirementStatuses, { description })
const date = (description: string) =>
  Type.String({ description: `${description}, YYYY-MM-DD`, examples: ['2026-11-20'] })
const nullableDate = (description: string) => Type.Union([date(description), Type.Null()])

/** Coded values are enums of the feature's vocabulary; dates are checked by its own rules, with GOV.UK wording. */
export const ProposeSchema = Type.Object(
  {
    kind: kindSchema('The requirement (MHTR, DRR, ATR)'),
    proposedOn: Type.Optional(
      date(
        'When it was proposed; required (a blank or missing date is refused with 400 naming proposedOn, never ' +
          'taken as today); not in the future',
      ),
    ),
    note: Type.Optional(
      Type.String({
        maxLength: 4000,
        description:
          'A court or order note, e.g. the pre-sentence report request. Probation practitioners can read it: no ' +
          'clinical detail. Up to 2,000 characters',
      }),
    ),
  },
  { additionalProperties: false, description: 'A proposed treatment requirement' },
)
export type Propose = Static<typeof ProposeSchema>

export const TransitionBodySchema = Type.Object(
  {
    to: statusSchema('The new status'),
    at: Type.Optional(
      date(
        'When it happened (the court date for made); required (a blank or missing date is refused with 400 ' +
          'naming at, never taken as today); not in the future, not before the date of the last change of status',
      ),
    ),
    reason: Type.Optional(
      Type.String({
        maxLength: 4000,
        description:
          'Why, or a note. Required for assessed-unsuitable, for breached, for reassessing an unsuitable ' +
          'requirement as suitable, and for continuing after a breach (the court’s decision). For made, it ' +
          'becomes the requirement’s court/order note. Up to 2,000 characters',
      }),
    ),
    referralId: Type.Optional(
      Type.String({
        description:
          'Link this treatment referral (of the same person) in the same change. Clinicians and hub managers only',
      }),
    ),
  },
  { additionalProperties: false, description: 'A change of status' },
)
export type TransitionBody = Static<typeof TransitionBodySchema>

export const PatchSchema = Type.Object(
  {
    // Null first: the validator coerces types, and would otherwise turn null into an empty string.
    referralId: Type.Union([Type.Null(), Type.String()], {
      description:
        'The treatment referral to link (a referral of the same person, in any state), or null to unlink (not once ' +
        'treatment has started)',
    }),
  },
  {
    additionalProperties: false,
    description: 'Link or unlink the treatment referral. Clinicians and hub managers only',
  },
)
export type Patch = Static<typeof PatchSchema>

const ReferralSchema = Type.Object(
  {
    id: Type.String(),
    serviceName: Type.String({ description: 'The service referred to (the treatment provider)' }),
    status: Type.Enum(referralStatuses, { description: 'The referral’s status code' }),
    statusText: Type.String({ description: 'The referral’s status in plain words' }),
    needCategory: Type.Union([Type.Enum(needCategories), Type.Null()], {
      description: 'The need it came from; null for probation practitioners (clinical detail)',
    }),
    sentOn: Type.Union([Type.String(), Type.Null()]),
    suggested: Type.Boolean({ description: 'Its need matches the kind: mhtr mental-health, drr drugs, atr alcohol' }),
  },
  { description: 'A treatment referral as the caller may see it' },
)

const requirementProperties = {
  id: Type.String(),
  personId: Type.String(),
  kind: kindSchema('The requirement (MHTR, DRR, ATR)'),
  kindName: Type.String({ description: 'e.g. Drug Rehabilitation Requirement' }),
  status: statusSchema('The requirement’s status'),
  statusText: Type.String({ description: 'The status in plain words' }),
  statusOn: date('When the current status took effect'),
  proposedOn: date('When it was proposed'),
  assessedOn: nullableDate('The latest assessment'),
  madeOn: nullableDate('The court date'),
  startedOn: nullableDate('When treatment first started'),
  endedOn: nullableDate('When it was completed'),
  note: Type.Union([Type.String(), Type.Null()], { description: 'The court/order note' }),
  referralLinked: Type.Boolean({ description: 'Whether a treatment referral is linked' }),
  referral: Type.Union([ReferralSchema, Type.Null()], {
    description:
      'The linked referral, or null when none is linked or, for probation practitioners, when the person has not ' +
      'agreed to share a health summary with probation',
  }),
  version: Type.Integer(),
  etag: Type.String({ description: 'The same as the ETag header: send it as If-Match with PATCH' }),
  createdAt: Type.String(),
  createdBy: Type.String(),
}

export const RequirementSummarySchema = Type.Object(requirementProperties, {
  description: 'A treatment requirement (MHTR, DRR or ATR)',
})

const EventSchema = Type.Object({
  kind: Type.String({ description: 'proposed, transition, referral-linked or referral-unlinked' }),
  from: Type.Union([statusSchema('The status before'), Type.Null()]),
  to: statusSchema('The status after'),
  occurredOn: date('When it happened'),
  reason: Type.Union([Type.String(), Type.Null()]),
  reasonHidden: Type.Boolean({
    description: 'An assessment’s reason exists but is clinical detail, hidden from probation practitioners',
  }),
  referralId: Type.Union([Type.String(), Type.Null()], {
    description: 'The referral linked by this entry, when the caller may see it',
  }),
  actorId: Type.String(),
  actorName: Type.Union([Type.String(), Type.Null()]),
  recordedAt: Type.String(),
})

const AllowedTransitionSchema = Type.Object({
  to: Type.String(),
  label: Type.String({ description: 'What happened, in plain words' }),
  reasonRequired: Type.Boolean(),
  needsReferral: Type.Boolean({ description: 'A treatment referral must be linked first' }),
})

export const RequirementDetailSchema = Type.Object(
  {
    ...requirementProperties,
    events: Type.Array(EventSchema, { description: 'The changelog, oldest first' }),
    allowedTransitions: Type.Array(AllowedTransitionSchema, {
      description: 'The changes the caller’s role may make now',
    }),
    suggestedReferrals: Type.Array(ReferralSchema, {
      description:
        'For clinicians and hub managers: the person’s referrals, those whose need matches the kind first. Empty ' +
        'for probation practitioners',
    }),
  },
  { description: 'A treatment requirement with its changelog' },
)
export type RequirementDetailResource = Static<typeof RequirementDetailSchema>
export type RequirementSummaryResource = Static<typeof RequirementSummarySchema>

export const RequirementListSchema = Type.Object({
  personId: Type.String(),
  requirements: Type.Array(RequirementSummarySchema, { description: 'Newest first' }),
})

export const PersonParamsSchema = Type.Object({ id: Type.String({ description: 'The person’s id (UUID)' }) })
export const RequirementParamsSchema = Type.Object({ id: Type.String({ description: 'The requirement’s id (UUID)' }) })

export const IfMatchHeadersSchema = Type.Object({
  'if-match': Type.Optional(
    Type.String({
      description: 'The ETag from your last GET of the requirement, like W/"3". Missing or * is refused with 428',
    }),
  ),
})

export const OptionalIfMatchHeadersSchema = Type.Object({
  'if-match': Type.Optional(
    Type.String({ description: 'Optional: the ETag from your last GET; a stale one is refused with 412' }),
  ),
})

/** A refusal that says what can be done instead. */
export const TreatmentProblemSchema = Type.Object(
  {
    ...ProblemSchema.properties,
    currentStatus: Type.Optional(statusSchema('The requirement’s status now')),
    allowedTransitions: Type.Optional(
      Type.Array(Type.Enum(treatmentRequirementStatuses), {
        description: 'The statuses the caller’s role may move it to now',
      }),
    ),
    existingId: Type.Optional(Type.String({ description: 'The open requirement of the same kind' })),
  },
  { description: 'An RFC 9457 problem (application/problem+json)' },
)
