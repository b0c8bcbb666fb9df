/** TypeBox schemas for the custody API: request validation, TypeScript types and OpenAPI at once. */
import { Type, type Static } from 'typebox'
import { ProblemSchema } from '../../platform/http/problem.ts'
import { releaseTypes } from './custody.tables.ts'

export { ProblemSchema }

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])
const date = (description: string) =>
  nullable(Type.String({ maxLength: 40, description: `${description}, YYYY-MM-DD`, examples: ['2027-03-01'] }))

export const PersonParamsSchema = Type.Object({ id: Type.String({ description: 'The person’s id (UUID)' }) })
export const EpisodeParamsSchema = Type.Object({
  episodeId: Type.String({ description: 'The custody episode’s id (UUID)' }),
})

export const IfMatchHeadersSchema = Type.Object({
  'if-match': Type.Optional(
    Type.String({ description: 'The episode’s ETag from your last GET, like W/"3". Missing or * is refused with 428' }),
  ),
})

const episodeFields = {
  prisonName: Type.String({ maxLength: 1000, description: 'The prison’s name, e.g. HMP Leicester' }),
  prisonCode: Type.String({ maxLength: 100, description: 'The prison’s three-letter code, e.g. LEI' }),
  prisonNumber: Type.String({ maxLength: 100, description: 'The person’s prison number, e.g. A1234BC' }),
  expectedReleaseDate: Type.Optional(date('The expected release date')),
  actualReleaseDate: Type.Optional(date('The day they were released (not in the future)')),
  releaseType: Type.Optional(
    nullable(Type.String({ maxLength: 100, description: `How they are released: one of ${releaseTypes.join(', ')}` })),
  ),
  releaseAddress: Type.Optional(
    nullable(Type.String({ maxLength: 2000, description: 'Where they will live on release; up to 500 characters' })),
  ),
  noFixedAbode: Type.Optional(Type.Boolean({ description: 'They will have no fixed abode on release' })),
  recalledOn: Type.Optional(date('The day they were recalled to custody (ends the time in the community)')),
}

export const EpisodeBodySchema = Type.Object(episodeFields, {
  additionalProperties: false,
  description: 'A custody episode: an expected or an actual release date is required',
})
export type EpisodeBody = Static<typeof EpisodeBodySchema>

export const EpisodePatchSchema = Type.Object(
  {
    prisonName: Type.Optional(episodeFields.prisonName),
    prisonCode: Type.Optional(episodeFields.prisonCode),
    prisonNumber: Type.Optional(episodeFields.prisonNumber),
    expectedReleaseDate: episodeFields.expectedReleaseDate,
    actualReleaseDate: episodeFields.actualReleaseDate,
    releaseType: episodeFields.releaseType,
    releaseAddress: episodeFields.releaseAddress,
    noFixedAbode: episodeFields.noFixedAbode,
    recalledOn: episodeFields.recalledOn,
  },
  {
    additionalProperties: false,
    description: 'A JSON merge patch of a custody episode (application/merge-patch+json or application/json)',
  },
)
export type EpisodePatch = Static<typeof EpisodePatchSchema>

const WindowSchema = Type.Object(
  {
    releaseDate: Type.String({ description: 'The actual release date, or the expected one until it is known' }),
    expected: Type.Boolean({ description: 'True while only the expected release date is known' }),
    supportFrom: Type.String({ description: '12 weeks (84 days) before release' }),
    referralUntil: Type.String({ description: '28 days after release' }),
    supportUntil: Type.String({ description: '6 calendar months after release' }),
    phase: Type.String({
      description:
        'not-yet-open, before-release, referral-open, support-only, closed, recalled or release-not-recorded',
    }),
    referralOpen: Type.Boolean({ description: 'Whether a referral can be made today' }),
  },
  { description: 'The RECONNECT window, worked out from the release date' },
)

const episodeProperties = {
  id: Type.String(),
  personId: Type.String(),
  prisonName: Type.String(),
  prisonCode: Type.String(),
  prisonNumber: Type.String(),
  expectedReleaseDate: nullable(Type.String()),
  actualReleaseDate: nullable(Type.String()),
  releaseType: nullable(Type.String()),
  releaseAddress: nullable(Type.String()),
  noFixedAbode: Type.Boolean(),
  recalledOn: nullable(Type.String()),
  window: WindowSchema,
  version: Type.Integer(),
  etag: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
}
export const EpisodeSchema = Type.Object(episodeProperties)
export type EpisodeResource = Static<typeof EpisodeSchema>

export const EpisodeListSchema = Type.Object({
  personId: Type.String(),
  episodes: Type.Array(EpisodeSchema),
})

export const EpisodeWithHistorySchema = Type.Object({
  ...episodeProperties,
  history: Type.Array(
    Type.Object({
      version: Type.Integer(),
      snapshot: Type.Record(Type.String(), Type.Unknown()),
      actorId: Type.String(),
      actorName: nullable(Type.String()),
      recordedAt: Type.String(),
    }),
    { description: 'Every version of the episode, the newest first' },
  ),
})
export type EpisodeWithHistoryResource = Static<typeof EpisodeWithHistorySchema>
