/** TypeBox schemas for the release plan API. */
import { Type, type Static } from 'typebox'
import { naloxoneOutcomes, planItemOwners, planItemStatuses } from './release-plan.tables.ts'

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])

export const ItemParamsSchema = Type.Object({ itemId: Type.String({ description: 'The release plan item’s id' }) })

const ItemSchema = Type.Object({
  id: Type.String(),
  episodeId: Type.String(),
  personId: Type.String(),
  kind: Type.String(),
  title: Type.String(),
  progress: Type.String({ description: 'The item’s progress in plain words, e.g. "GP: registered"' }),
  owner: Type.String(),
  organisation: nullable(Type.Object({ code: Type.String(), name: Type.String() })),
  dueOn: Type.String({ description: 'Counted from the release date' }),
  status: Type.String({ description: 'As shown: done when another record says so (GP registration, a referral)' }),
  recordedStatus: Type.String({ description: 'As last recorded on the item' }),
  doneBy: nullable(Type.String({ description: 'gp-registration, referral or naloxone when done by another record' })),
  outstanding: Type.Boolean(),
  overdue: Type.Boolean(),
  notApplicableReason: nullable(Type.String()),
  notes: nullable(Type.String({ description: 'Not shown to probation for health items' })),
  daysSupplied: nullable(Type.Integer()),
  bridgingPrescription: nullable(Type.Boolean()),
  opioidSubstitution: Type.Boolean(),
  prescriberAppointmentOn: nullable(Type.String()),
  prescriberDueOn: nullable(
    Type.String({ description: 'The latest day for the community prescriber: the day after the supply runs out' }),
  ),
  ostGap: nullable(
    Type.Object({
      kind: Type.String({ description: 'supply-not-recorded, no-appointment or appointment-too-late' }),
      supplyEndsAfter: Type.Optional(Type.String()),
      appointmentOn: Type.Optional(Type.String()),
    }),
  ),
  naloxone: nullable(Type.String()),
  referral: nullable(
    Type.Object({
      id: Type.String(),
      serviceName: Type.String(),
      status: Type.String(),
      firstAppointmentOn: nullable(Type.String()),
    }),
  ),
  treatmentLate: Type.Boolean({ description: 'The drug and alcohol appointment is more than 3 weeks after release' }),
  version: Type.Integer(),
  etag: Type.String(),
})
export type ItemResource = Static<typeof ItemSchema>

export const PlanSchema = Type.Object({
  episodeId: Type.String(),
  personId: Type.String(),
  releaseDate: Type.String(),
  releaseExpected: Type.Boolean(),
  viewer: Type.String({ description: 'health, probation or partner: what this caller may see' }),
  healthWithheld: Type.Boolean({
    description: 'Probation without the person’s agreement to share a health summary: health items left out',
  }),
  items: Type.Array(ItemSchema),
})
export type PlanResource = Static<typeof PlanSchema>

export const ItemWithHistorySchema = Type.Object({
  item: ItemSchema,
  history: Type.Array(
    Type.Object({
      version: Type.Integer(),
      snapshot: Type.Record(Type.String(), Type.Unknown()),
      actorName: nullable(Type.String()),
      recordedAt: Type.String(),
    }),
  ),
})

export const ItemPatchSchema = Type.Object(
  {
    owner: Type.Optional(Type.String({ maxLength: 100, description: `One of ${planItemOwners.join(', ')}` })),
    organisationCode: Type.Optional(
      nullable(Type.String({ maxLength: 100, description: 'The partner organisation’s code (owner partner)' })),
    ),
    status: Type.Optional(Type.String({ maxLength: 100, description: `One of ${planItemStatuses.join(', ')}` })),
    notApplicableReason: Type.Optional(
      nullable(Type.String({ maxLength: 2000, description: 'Why it does not apply (status not-applicable)' })),
    ),
    notes: Type.Optional(nullable(Type.String({ maxLength: 10000, description: 'Up to 2,000 characters' }))),
    daysSupplied: Type.Optional(
      nullable(
        Type.Integer({ minimum: 0, maximum: 365, description: 'Medicines: days supplied on release, 0 to 365' }),
      ),
    ),
    bridgingPrescription: Type.Optional(nullable(Type.Boolean({ description: 'Medicines: a bridging prescription' }))),
    opioidSubstitution: Type.Optional(Type.Boolean({ description: 'Medicines: on methadone or buprenorphine' })),
    prescriberAppointmentOn: Type.Optional(
      nullable(Type.String({ maxLength: 40, description: 'Medicines: the community prescriber’s first appointment' })),
    ),
    naloxone: Type.Optional(
      nullable(Type.String({ maxLength: 100, description: `One of ${naloxoneOutcomes.join(', ')}` })),
    ),
    referralId: Type.Optional(
      nullable(Type.String({ maxLength: 100, description: 'Drug and alcohol or mental health: the referral' })),
    ),
  },
  { additionalProperties: false, description: 'A JSON merge patch of a release plan item' },
)
export type ItemPatch = Static<typeof ItemPatchSchema>
