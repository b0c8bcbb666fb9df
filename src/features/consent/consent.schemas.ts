/** TypeBox schemas for the consent API: request validation, TypeScript types and the OpenAPI description at once. */
import { Type, type Static } from 'typebox'
import { consentDecisions, consentMethods, consentTopics } from './consent.messages.ts'

export { ProblemSchema } from '../../platform/http/problem.ts'

/** Coded values are enums of the feature's own vocabulary (consent.messages.ts), so the OpenAPI document lists them. */
const codes = {
  topic: 'The consent topic',
  organisationCode: 'The partner organisation’s code; required for share-with-partner and only for it',
  decision: 'The decision (withdrawn only when the decision in force is given)',
  decidedOn: 'The date the person decided, YYYY-MM-DD; not in the future nor more than 12 months ago',
  method: 'How the decision was given',
}

export const ConsentDecisionInputSchema = Type.Object(
  {
    topic: Type.Enum(consentTopics, { description: codes.topic }),
    organisationCode: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: codes.organisationCode })),
    decision: Type.Enum(consentDecisions, { description: codes.decision }),
    decidedOn: Type.String({ description: codes.decidedOn, examples: ['2026-11-20'] }),
    method: Type.Enum(consentMethods, { description: codes.method }),
    note: Type.Optional(
      Type.Union([Type.String(), Type.Null()], { description: 'A note for the record, up to 1000 characters' }),
    ),
  },
  { additionalProperties: false },
)

export const ConsentPutSchema = Type.Object(
  {
    decisions: Type.Array(ConsentDecisionInputSchema, {
      maxItems: 100,
      description:
        'Decisions to record. Each that differs from the decision in force is recorded as a new history entry; ' +
        'the others are left as they are. All or none are recorded.',
    }),
  },
  { additionalProperties: false, description: 'Consent decisions to record for the person' },
)
export type ConsentPut = Static<typeof ConsentPutSchema>

export const ConsentSchema = Type.Object(
  {
    personId: Type.String({ description: 'The person’s id (UUID)' }),
    decisions: Type.Array(
      Type.Object({
        topic: Type.Enum(consentTopics, { description: codes.topic }),
        organisationCode: Type.Optional(
          Type.String({ description: 'The partner organisation’s code (share-with-partner only)' }),
        ),
        decision: Type.Enum(consentDecisions, { description: 'The decision in force' }),
        decidedOn: Type.String({ description: 'The date the person decided, YYYY-MM-DD' }),
        recordedAt: Type.String({ description: 'When the decision was recorded (ISO 8601, UTC)' }),
        recordedBy: Type.String({ description: 'Id of the staff user who recorded it' }),
        method: Type.Enum(consentMethods, { description: codes.method }),
      }),
      { description: 'The decision in force for each topic (and partner organisation) with one recorded' },
    ),
    etag: Type.String({ description: 'The same as the ETag header: send it as If-Match with a PUT' }),
  },
  { description: 'A person’s consent: the decisions in force. Topics never asked are absent (and mean no).' },
)
export type ConsentResource = Static<typeof ConsentSchema>

export const ConsentParamsSchema = Type.Object({ id: Type.String({ description: 'The person’s id (UUID)' }) })

export const ConsentPutHeadersSchema = Type.Object({
  'if-match': Type.Optional(
    Type.String({
      description: 'Required: the ETag from your last GET of the person’s consent. A wildcard (*) is refused with 428.',
    }),
  ),
})
