/** TypeBox schemas for the care plan API: request validation, TypeScript types and OpenAPI at once. */
import { Type, type Static } from 'typebox'
import { ProblemSchema } from '../../platform/http/problem.ts'
import {
  actionOwners,
  actionStatuses,
  agreementDecisions,
  goalOutcomes,
  historyEntities,
  linkKinds,
} from './care-plan.tables.ts'

export { ProblemSchema }

const date = (description: string) =>
  Type.String({ description: `${description}, YYYY-MM-DD`, examples: ['2026-11-20'] })
const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])

export const PersonParamsSchema = Type.Object({ id: Type.String({ description: 'The person’s id (UUID)' }) })
export const GoalParamsSchema = Type.Object({
  id: Type.String(),
  goalId: Type.String({ description: 'The goal’s id' }),
})
export const ActionParamsSchema = Type.Object({
  id: Type.String(),
  actionId: Type.String({ description: 'The action’s id' }),
})

export const IfMatchHeadersSchema = Type.Object({
  'if-match': Type.Optional(
    Type.String({
      description: 'The ETag of the record from your last GET, like W/"3". Missing or * is refused with 428',
    }),
  ),
})

export const GoalBodySchema = Type.Object(
  {
    inOwnWords: Type.String({
      maxLength: 2000,
      description: 'The goal in the person’s own words; up to 500 characters',
    }),
  },
  { additionalProperties: false, description: 'A goal' },
)
export type GoalBody = Static<typeof GoalBodySchema>

const LinkBodySchema = Type.Object(
  {
    kind: Type.String({ description: `One of ${linkKinds.join(', ')}` }),
    id: Type.String({
      description: 'The id of the person’s own need, referral, GP registration status or screening event',
    }),
  },
  { additionalProperties: false },
)

export const ActionBodySchema = Type.Object(
  {
    description: Type.String({ maxLength: 2000, description: 'What will be done; up to 500 characters' }),
    owner: Type.String({ description: `Who does it: ${actionOwners.join(', ')}` }),
    ownerName: Type.Optional(
      nullable(Type.String({ maxLength: 1000, description: 'Their name; up to 200 characters' })),
    ),
    dueOn: Type.Optional(nullable(date('By when'))),
    status: Type.Optional(Type.String({ description: `${actionStatuses.join(', ')}; to-do when left out` })),
    link: Type.Optional(nullable(LinkBodySchema)),
  },
  { additionalProperties: false, description: 'An action towards a goal' },
)
export type ActionBody = Static<typeof ActionBodySchema>

export const ReviewBodySchema = Type.Object(
  {
    reviewedOn: date('When the plan was reviewed; required, not in the future'),
    appointmentId: Type.Optional(nullable(Type.String({ description: 'The person’s appointment it was reviewed at' }))),
    notes: Type.Optional(nullable(Type.String({ maxLength: 4000, description: 'Up to 2,000 characters' }))),
    outcomes: Type.Array(
      Type.Object(
        { goalId: Type.String(), outcome: Type.String({ description: goalOutcomes.join(', ') }) },
        { additionalProperties: false },
      ),
      { maxItems: 100, description: 'An outcome per goal reviewed; at least one, or notes' },
    ),
  },
  { additionalProperties: false, description: 'A review of the plan' },
)
export type ReviewBody = Static<typeof ReviewBodySchema>

export const AgreementBodySchema = Type.Object(
  {
    decision: Type.String({ description: agreementDecisions.join(', ') }),
    comments: Type.Optional(
      nullable(Type.String({ maxLength: 4000, description: 'In their words; required for agreed-in-part' })),
    ),
    decidedOn: date('When they said; required, not in the future'),
  },
  { additionalProperties: false, description: 'Whether the person agreed to the plan' },
)
export type AgreementBody = Static<typeof AgreementBodySchema>

const PrintSectionsSchema = Type.Object(
  {
    appointments: Type.Boolean(),
    referrals: Type.Boolean(),
    gpRegistration: Type.Boolean(),
    screening: Type.Boolean(),
    phoneNumbers: Type.Boolean(),
  },
  { additionalProperties: false, description: 'The sections of the printed plan to include' },
)

export const PrintChoicesBodySchema = Type.Object(
  {
    sections: PrintSectionsSchema,
    goalIds: Type.Array(Type.String(), { maxItems: 100, description: 'The goals to include; the others are left out' }),
  },
  { additionalProperties: false, description: 'What the printed plan shows' },
)
export type PrintChoicesBody = Static<typeof PrintChoicesBodySchema>

const ActionSchema = Type.Object({
  id: Type.String(),
  goalId: Type.String(),
  description: Type.String(),
  owner: Type.Enum(actionOwners),
  ownerName: nullable(Type.String()),
  dueOn: nullable(Type.String()),
  status: Type.Enum(actionStatuses),
  link: nullable(
    Type.Object({
      kind: Type.Enum(linkKinds),
      id: nullable(Type.String({ description: 'Null for probation practitioners' })),
      label: nullable(
        Type.String({ description: 'What it is, for the health team; null for probation practitioners' }),
      ),
    }),
  ),
  version: Type.Integer(),
  etag: Type.String({ description: 'Send as If-Match to PUT this action' }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
})

const GoalSchema = Type.Object({
  id: Type.String(),
  inOwnWords: Type.String(),
  includeInPrint: Type.Boolean(),
  latestOutcome: nullable(Type.Object({ outcome: Type.Enum(goalOutcomes), reviewedOn: Type.String() })),
  actions: Type.Array(ActionSchema),
  version: Type.Integer(),
  etag: Type.String({ description: 'Send as If-Match to PUT this goal' }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
})

const ReviewSchema = Type.Object({
  id: Type.String(),
  reviewedOn: Type.String(),
  appointmentId: nullable(Type.String()),
  notes: nullable(Type.String()),
  outcomes: Type.Array(Type.Object({ goalId: Type.String(), outcome: Type.Enum(goalOutcomes) })),
  recordedBy: Type.String(),
  recordedByName: nullable(Type.String()),
  recordedAt: Type.String(),
})

const AgreementSchema = Type.Object({
  id: Type.String(),
  decision: Type.Enum(agreementDecisions),
  comments: nullable(Type.String()),
  decidedOn: Type.String(),
  recordedBy: Type.String(),
  recordedByName: nullable(Type.String()),
  recordedAt: Type.String(),
})

const HistorySchema = Type.Object({
  entity: Type.Enum(historyEntities),
  entityId: Type.String(),
  version: Type.Integer(),
  snapshot: Type.Record(Type.String(), Type.Unknown(), { description: 'The record as it stood after the change' }),
  actorId: Type.String(),
  actorName: nullable(Type.String()),
  recordedAt: Type.String(),
})

export const CarePlanSchema = Type.Object(
  {
    personId: Type.String(),
    planId: nullable(Type.String({ description: 'Null until the first goal is added' })),
    version: Type.Integer({ description: 'The print choices’ version; 0 before the plan exists' }),
    etag: Type.String({ description: 'Send as If-Match to PUT the print choices' }),
    printChoices: PrintSectionsSchema,
    goals: Type.Array(GoalSchema),
    reviews: Type.Array(ReviewSchema, { description: 'Newest first' }),
    agreement: nullable(AgreementSchema),
    agreements: Type.Array(AgreementSchema, { description: 'The current one first' }),
    history: Type.Array(HistorySchema, { description: 'Every change, oldest first' }),
  },
  { description: 'A person’s care plan with its history' },
)
export type CarePlanResource = Static<typeof CarePlanSchema>
