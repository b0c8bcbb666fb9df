import { Type, type Static } from 'typebox'
import { needCategories, needStatuses } from './needs.tables.ts'

export { ProblemSchema } from '../../platform/http/problem.ts'

/** One TypeBox schema per shape: validation, types and the OpenAPI document. */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T, options?: { description: string }) =>
  Type.Union([schema, Type.Null()], options)

export const PersonParamsSchema = Type.Object({ id: Type.String({ description: 'The person’s id' }) })

const NeedStatusSchema = Type.Enum(needStatuses)

export const NeedParamsSchema = Type.Object({ id: Type.String({ description: 'The need’s id' }) })

export const NeedEventSchema = Type.Object({
  fromStatus: Nullable(NeedStatusSchema, { description: 'null for the proposal or direct record that made the need' }),
  toStatus: NeedStatusSchema,
  reason: Nullable(Type.String()),
  actorId: Type.String({ description: 'The staff user who made the decision' }),
  actorName: Type.String(),
  recordedAt: Type.String({ format: 'date-time' }),
})

export const NeedDetailSchema = Type.Object({
  id: Type.String(),
  personId: Type.String(),
  category: Type.Enum(needCategories, { description: 'The need’s category' }),
  categoryLabel: Type.String({ description: 'The category in plain words, e.g. Mental health' }),
  status: NeedStatusSchema,
  source: Type.Union([Type.Literal('health-check'), Type.Literal('direct')], {
    description: 'health-check: proposed by a check (checkId); direct: recorded by a clinician',
  }),
  checkId: Nullable(Type.String()),
  proposedBecause: Type.String({ description: 'Why the check proposed it, or why the clinician recorded it' }),
  reason: Nullable(Type.String({ description: 'The reason given with the latest decision' })),
  identifiedOn: Type.String({ format: 'date' }),
  decidedAt: Nullable(Type.String({ format: 'date-time' })),
  decidedBy: Nullable(Type.String()),
  version: Type.Integer({
    description: 'Send as If-Match: W/"version" with a decision to refuse it if the need changed',
  }),
  openReferrals: Type.Array(
    Type.Object({
      id: Type.String(),
      status: Type.String({ description: 'The referral’s status, as in the referrals API (never a final one)' }),
      service: Type.String(),
    }),
    { description: 'Referrals still open on the need: while any is, it cannot be dismissed or reopened' },
  ),
  history: Type.Array(NeedEventSchema, { description: 'Every decision, oldest first' }),
})
export type NeedResource = Static<typeof NeedDetailSchema>

export const NeedListSchema = Type.Object({ needs: Type.Array(NeedDetailSchema) })

export const CreateNeedSchema = Type.Object(
  {
    category: Type.Enum(needCategories),
    why: Type.String({ minLength: 1, maxLength: 1000, description: 'Why the need was identified' }),
    identifiedOn: Type.String({
      pattern: '^\\d{4}-\\d{2}-\\d{2}$',
      description: 'The UK calendar date it was identified, YYYY-MM-DD; not in the future nor more than 12 months ago',
      examples: ['2026-11-20'],
    }),
  },
  { additionalProperties: false },
)
export type CreateNeed = Static<typeof CreateNeedSchema>

export const NeedDecisionSchema = Type.Object(
  {
    decision: NeedStatusSchema,
    reason: Type.Optional(
      Type.String({
        maxLength: 1000,
        description: 'Required for every decision except confirming a proposed need',
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'confirmed, dismissed, or proposed (reopen). From proposed: confirm (reason optional) or dismiss. Later: ' +
      'confirmed to dismissed, dismissed to confirmed, or either back to proposed, each with a reason.',
  },
)

export const NeedDecisionHeadersSchema = Type.Object({
  'if-match': Type.Optional(
    Type.String({
      description:
        'Optional: W/"version" from the need you read. If the need has changed since, 412 and nothing saved.',
    }),
  ),
})

export const CreateNeedHeadersSchema = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'Optional: retrying with the same key and body records no second need (201 with the first).',
    }),
  ),
})

