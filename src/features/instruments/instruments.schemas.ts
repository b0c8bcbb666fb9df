import { Type, type Static } from 'typebox'

export { ProblemSchema } from '../../platform/http/problem.ts'

/**
 * The shape of an instrument definition. Definitions are data (definitions/*.ts), checked against this schema and
 * the library's consistency rules when the library loads, and served as-is by GET /api/v1/instruments/{code}.
 */

const Code = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,59}$' })

export const PREFER_NOT_TO_SAY = 'prefer-not-to-say'

export const AnswerOptionSchema = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,59}$', description: 'Stable option code, e.g. several-days' }),
    label: Type.String({ minLength: 1 }),
    score: Type.Union([Type.Number(), Type.Null()], {
      description:
        'Points this answer adds to the total under the scoring rule; null for "prefer not to say" and for unscored and gate items',
    }),
    snomed: Type.Optional(Type.String({ description: 'SNOMED CT id for this answer where the reference gives one' })),
  },
  { additionalProperties: false },
)
export type AnswerOption = Static<typeof AnswerOptionSchema>

export const ItemSchema = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,59}$', description: 'Stable item code, e.g. phq9-9' }),
    number: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
      description: 'The item number on the published form; null for items outside the numbered list (gates, function)',
    }),
    kind: Type.Union([Type.Literal('scored'), Type.Literal('unscored'), Type.Literal('gate')]),
    text: Type.String({
      minLength: 1,
      description:
        'The item as asked: the published wording, verbatim, where the definition’s wording is "published"; otherwise a paraphrase of the reference’s item topic',
    }),
    options: Type.Array(AnswerOptionSchema, { minItems: 2, description: 'Answer options in the published order' }),
    reverseScored: Type.Optional(Type.Boolean()),
    sameAs: Type.Optional(
      Type.Object(
        { instrument: Code, item: Code },
        { additionalProperties: false, description: 'The same question in another instrument (brief and full forms)' },
      ),
    ),
  },
  { additionalProperties: false },
)
export type Item = Static<typeof ItemSchema>

export const GateSchema = Type.Object(
  {
    item: Code,
    proceedWhen: Type.Array(Code, {
      minItems: 1,
      description: 'Answers to the gate item after which the scored items are asked',
    }),
    otherwise: Type.Union([Type.Literal('score-zero'), Type.Literal('not-applicable')], {
      description:
        'score-zero: the result is complete with a score of 0; not-applicable: the instrument does not apply',
    }),
  },
  { additionalProperties: false },
)
export type Gate = Static<typeof GateSchema>

export const SumRuleSchema = Type.Object(
  {
    method: Type.Literal('sum'),
    description: Type.String(),
    items: Type.Array(Code, {
      minItems: 1,
      description: 'The scored items; the total is the sum of the chosen options’ scores',
    }),
    gate: Type.Optional(GateSchema),
  },
  { additionalProperties: false },
)

export const CountRuleSchema = Type.Object(
  {
    method: Type.Literal('count'),
    description: Type.String(),
    countWhen: Type.Array(
      Type.Object(
        {
          items: Type.Array(Code, { minItems: 1 }),
          options: Type.Array(Code, { minItems: 1, description: 'An item counts 1 when answered with one of these' }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
    gate: Type.Optional(GateSchema),
  },
  { additionalProperties: false },
)

export const ScoringRuleSchema = Type.Union([SumRuleSchema, CountRuleSchema])
export type ScoringRule = Static<typeof ScoringRuleSchema>

export const BandSchema = Type.Object(
  {
    code: Code,
    label: Type.String({ minLength: 1 }),
    min: Type.Integer(),
    max: Type.Integer(),
    action: Type.Optional(Type.String({ description: 'What the reference says to do in this band' })),
  },
  { additionalProperties: false },
)
export type Band = Static<typeof BandSchema>

export const LicenceSchema = Type.Object(
  {
    category: Type.Union(
      [
        Type.Literal('free'),
        Type.Literal('non-commercial'),
        Type.Literal('permission-required'),
        Type.Literal('unverified'),
      ],
      { description: 'unverified: the licence terms could not be confirmed; treated as needing a recorded permission' },
    ),
    holder: Type.String(),
    terms: Type.String({ description: 'The licence terms as the domain reference gives them' }),
    requiresPermission: Type.Boolean({
      description: 'When true the instrument is disabled until an administrator records permission',
    }),
  },
  { additionalProperties: false },
)
export type Licence = Static<typeof LicenceSchema>

export const WordingSourceSchema = Type.Object(
  {
    title: Type.String({ minLength: 1, description: 'The title or heading of the copy that was checked' }),
    address: Type.String({ pattern: '^https?://\\S+$', description: 'Where that copy is published' }),
    covers: Type.String({ minLength: 1, description: 'Which parts of the wording it confirms, and any differences' }),
  },
  { additionalProperties: false },
)
export type WordingSource = Static<typeof WordingSourceSchema>

export const InstrumentDefinitionSchema = Type.Object(
  {
    code: Code,
    title: Type.String({ minLength: 1 }),
    version: Type.String({
      pattern: '^\\d+\\.\\d+\\.\\d+$',
      description:
        'Stored with every result (health_check_response.instrument_version) to show what was asked and how it was scored. ' +
        'MAJOR when the scoring changes: items, item or option codes, option order, scores, rule, bands, cut-off, gate or ' +
        'warning signs (checked by a fingerprint test). MINOR when what is asked changes and the scoring does not: item ' +
        'text, answer labels, introduction. PATCH for notes and sources only.',
    }),
    recallPeriod: Type.Union([Type.String(), Type.Null()], {
      description: 'null where the domain reference does not state one (see notes)',
    }),
    introduction: Type.String({
      description:
        'What the clinician says before the questions: the service’s own words, then, where the wording is "published" and the form has one, the published question stem verbatim',
    }),
    whyWeAsk: Type.String({ minLength: 1 }),
    wording: Type.Union([Type.Literal('paraphrase'), Type.Literal('published')], {
      description:
        'published: item text, answer labels and question stem are the published wording, verified word for word against wordingSource. ' +
        'paraphrase: item text is paraphrased from the reference’s item topics; forms must use the licensed wording. ' +
        '"Prefer not to say", "why we ask" and the opening of the introduction are the service’s own words either way',
    }),
    wordingSource: Type.Optional(
      Type.Array(WordingSourceSchema, {
        minItems: 1,
        description: 'Where the published wording was verified; required when wording is "published", absent otherwise',
      }),
    ),
    items: Type.Array(ItemSchema, { minItems: 1, description: 'Items in the published order' }),
    scoring: ScoringRuleSchema,
    bands: Type.Array(BandSchema),
    positiveScreen: Type.Union([
      Type.Object({ atOrAbove: Type.Integer(), description: Type.String() }, { additionalProperties: false }),
      Type.Null(),
    ]),
    offerWhenPositive: Type.Union([Code, Type.Null()], {
      description: 'The full instrument to offer after a positive screen',
    }),
    warningSigns: Type.Array(
      Type.Object(
        {
          code: Code,
          item: Code,
          scoreAbove: Type.Number({ description: 'Fires when the chosen option scores more than this' }),
          message: Type.String(),
        },
        { additionalProperties: false },
      ),
    ),
    coding: Type.Object(
      {
        loinc: Type.Optional(
          Type.Object(
            {
              panel: Type.Optional(Type.String()),
              total: Type.Optional(Type.String()),
              items: Type.Optional(Type.Array(Type.String())),
            },
            { additionalProperties: false },
          ),
        ),
        snomed: Type.Optional(
          Type.Array(Type.Object({ code: Type.String(), display: Type.String() }, { additionalProperties: false })),
        ),
      },
      { additionalProperties: false },
    ),
    source: Type.String(),
    licence: LicenceSchema,
    notes: Type.Array(Type.String(), {
      description: 'Caveats, alternatives and facts marked UNVERIFIED in the reference',
    }),
  },
  { additionalProperties: false },
)
export type InstrumentDefinition = Static<typeof InstrumentDefinitionSchema>

// ---- Scoring result ----

export const ScoreFlagSchema = Type.Object({
  code: Type.String(),
  itemCode: Type.String(),
  message: Type.String(),
})

export const ScoreResultSchema = Type.Object({
  instrument: Type.String(),
  version: Type.String(),
  applicable: Type.Boolean({
    description: 'false when a gate shows the instrument does not apply (HSI for non-smokers)',
  }),
  complete: Type.Boolean({ description: 'false when any needed item was skipped or answered "prefer not to say"' }),
  score: Type.Union([Type.Number(), Type.Null()], { description: 'null unless complete and applicable' }),
  partialScore: Type.Union([Type.Number(), Type.Null()], {
    description:
      'Only when incomplete: the total of the answered items, a LOWER BOUND on the true score. Never a score: not banded, not compared with the cut-off',
  }),
  maxScore: Type.Number(),
  band: Type.Union([Type.Object({ code: Type.String(), label: Type.String() }), Type.Null()]),
  positive: Type.Union([Type.Boolean(), Type.Null()], {
    description:
      'true when the score (or, for an incomplete result, the partial score, a lower bound) reaches the cut-off; otherwise false when complete, and null when the instrument has no cut-off or an incomplete result has not reached it',
  }),
  missingItems: Type.Array(Type.String(), {
    description: 'Every needed item without a usable answer, skipped or declined, in form order',
  }),
  preferNotToSay: Type.Array(Type.String(), {
    description: 'The items answered "prefer not to say" (also in missingItems)',
  }),
  flags: Type.Array(ScoreFlagSchema, {
    description: 'Warning signs for same-day clinician review; fire even when incomplete',
  }),
  offerFull: Type.Optional(
    Type.String({ description: 'The full instrument to offer, when a brief screen is positive' }),
  ),
})
export type ScoreResult = Static<typeof ScoreResultSchema>

// ---- API ----

export const InstrumentParamsSchema = Type.Object({ code: Code })

export const ScoreRequestSchema = Type.Object(
  {
    answers: Type.Record(Type.String({ maxLength: 60 }), Type.String({ maxLength: 60 }), {
      maxProperties: 100,
      description: 'Item code to option code, e.g. { "phq9-1": "several-days" }. Skipped items are left out.',
    }),
  },
  { additionalProperties: false },
)
export type ScoreRequest = Static<typeof ScoreRequestSchema>

export const PermissionSchema = Type.Object({
  reference: Type.String(),
  grantedBy: Type.String({ description: 'Staff user id of the administrator who recorded it' }),
  grantedAt: Type.String({ format: 'date-time' }),
})

export const InstrumentSummarySchema = Type.Object({
  code: Type.String(),
  title: Type.String(),
  version: Type.String(),
  licence: LicenceSchema,
  enabled: Type.Boolean({ description: 'false until permission is recorded for an instrument whose licence needs it' }),
  permission: Type.Union([PermissionSchema, Type.Null()]),
})

export const InstrumentListSchema = Type.Object({ instruments: Type.Array(InstrumentSummarySchema) })

export const InstrumentResourceSchema = Type.Object({
  enabled: Type.Boolean(),
  definition: InstrumentDefinitionSchema,
})

/** The longest permission reference kept (the table's check says the same). */
export const PERMISSION_REFERENCE_MAX_LENGTH = 500

export const PermissionRequestSchema = Type.Object(
  {
    reference: Type.String({
      minLength: 1,
      maxLength: PERMISSION_REFERENCE_MAX_LENGTH,
      description: 'Where the permission is recorded, e.g. the licence holder’s letter or email reference',
    }),
  },
  { additionalProperties: false },
)

export const PermissionResourceSchema = Type.Object({
  instrumentCode: Type.String(),
  enabled: Type.Boolean(),
  permission: PermissionSchema,
})
