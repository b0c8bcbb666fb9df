/** TypeBox schemas for the worklist API: request validation, TypeScript types and OpenAPI at once. */
import { Type, type Static } from 'typebox'
import { API_MAX_LIMIT, NOTE_MAX, OVERVIEW_LIMIT, worklistKinds } from './worklist.messages.ts'

export { ProblemSchema } from '../../platform/http/problem.ts'

/** Values are checked by the feature's own rules, so a bad one is a 400 naming the parameter (site, scope, kinds...). */
export const WorklistQuerySchema = Type.Object(
  {
    site: Type.Optional(
      Type.String({
        description:
          'The site’s code. May be left out by someone who belongs to one site. An unknown code is a 400 naming ' +
          '`site`; a site you do not belong to is a 403.',
      }),
    ),
    scope: Type.Optional(
      Type.String({
        description:
          '`mine` (items assigned to or created by you, flags and needs from checks you ran) or `site` (everything ' +
          'at the site). Defaults to `site` for hub managers and `mine` for everyone else.',
      }),
    ),
    kinds: Type.Optional(
      Type.Array(Type.String(), {
        description:
          `Sections to include, repeated or comma-separated: ${worklistKinds.join(', ')}. Defaults to every ` +
          'section your role may see; sections your role may not see are never included.',
      }),
    ),
    limit: Type.Optional(
      Type.String({
        description: `Items per section, 1 to ${String(API_MAX_LIMIT)} (default ${String(OVERVIEW_LIMIT)})`,
      }),
    ),
    offset: Type.Optional(Type.String({ description: 'Items to skip in each section (default 0)' })),
  },
  { additionalProperties: false },
)

const Person = {
  personId: Type.String({ description: 'The person’s id' }),
  personName: Type.String(),
  crn: Type.String(),
}
const When = {
  overdue: Type.Boolean({ description: 'The date has passed (UK calendar; for flags, the deadline has passed)' }),
  dueToday: Type.Boolean({ description: 'Due today on the UK calendar and not yet overdue' }),
}
const href = Type.String({ description: 'The page where the item is acted on' })

const section = <T extends ReturnType<typeof Type.Object>>(item: T, description: string, extra = {}) =>
  Type.Optional(
    Type.Object(
      {
        total: Type.Integer({ description: 'Every matching item, not only those returned' }),
        ...extra,
        items: Type.Array(item, { description: 'Most urgent first' }),
      },
      { description },
    ),
  )

const FlagSchema = Type.Object({
  id: Type.String(),
  ...Person,
  checkId: Type.String(),
  message: Type.String(),
  raisedAt: Type.String({ description: 'ISO 8601, UTC' }),
  respondBy: Type.String({ description: 'The deadline (the next UK midnight after it was raised), ISO 8601, UTC' }),
  dueDate: Type.String({ description: 'The UK day the response is due, YYYY-MM-DD' }),
  ...When,
  href,
})

const NeedSchema = Type.Object({
  id: Type.String(),
  ...Person,
  checkId: Type.Union([Type.String(), Type.Null()]),
  category: Type.String(),
  categoryLabel: Type.String(),
  proposedBecause: Type.String(),
  identifiedOn: Type.String({ description: 'YYYY-MM-DD' }),
  href,
})

const FollowUpItemSchema = Type.Object({
  id: Type.String(),
  ...Person,
  appointmentId: Type.Union([Type.String(), Type.Null()]),
  kind: Type.String({ description: 'e.g. missed-appointment' }),
  reason: Type.String(),
  dueDate: Type.String({ description: 'YYYY-MM-DD' }),
  ...When,
  assignedTo: Type.Object({ id: Type.String(), name: Type.String() }),
  href,
  doneHref: Type.String({ description: 'POST { note } here (the API) to mark it done' }),
})

const ReferralSchema = Type.Object({
  id: Type.String(),
  ...Person,
  status: Type.String(),
  urgency: Type.String(),
  chaseOn: Type.String({ description: 'YYYY-MM-DD' }),
  ...When,
  serviceName: Type.String(),
  href,
})

const GpRegistrationSchema = Type.Object({
  ...Person,
  inProgressSince: Type.String({ description: 'The date of the latest status, YYYY-MM-DD' }),
  helpGiven: Type.Union([Type.String(), Type.Null()]),
  href,
})

const ScreeningSchema = Type.Object({
  ...Person,
  crn: Type.Union([Type.String(), Type.Null()]),
  programme: Type.String(),
  programmeLabel: Type.String(),
  nextDue: Type.Union([Type.String(), Type.Null()]),
  reason: Type.String(),
  appointmentStartsAt: Type.String({ description: 'ISO 8601, UTC' }),
  href,
})

const CustodyWorkSchema = Type.Object({
  ...Person,
  episodeId: Type.String({ description: 'The custody episode' }),
  releaseDate: Type.String({ description: 'The actual release date, or the expected one until it is known' }),
  due: Type.String({ description: 'The date the item is listed by, YYYY-MM-DD' }),
  ...When,
  details: Type.Array(Type.String()),
  href,
})

export const WorklistSchema = Type.Object(
  {
    site: Type.Object({ code: Type.String(), name: Type.String() }),
    scope: Type.String({ description: 'mine or site' }),
    generatedAt: Type.String({ description: 'ISO 8601, UTC' }),
    today: Type.String({ description: 'Today’s UK date, which overdue and due today are judged against' }),
    sections: Type.Object(
      {
        flags: section(FlagSchema, 'Warning flags awaiting a same-day response (clinical roles)', {
          siteTotal: Type.Optional(
            Type.Integer({ description: 'With scope mine: every flag awaiting a response at the site' }),
          ),
        }),
        needs: section(NeedSchema, 'Proposed needs awaiting a clinician’s decision (clinical roles)'),
        followUps: section(FollowUpItemSchema, 'Missed appointments to follow up (practitioners: their own only)'),
        referrals: section(ReferralSchema, 'Referrals with a chase date in the next 7 days or earlier, not final'),
        gpRegistrations: section(GpRegistrationSchema, 'People whose latest GP registration status is in progress'),
        screening: section(
          ScreeningSchema,
          'People with an appointment in the next 7 days who are due for screening (clinical roles); left out while ' +
            'the screening source is not available',
        ),
        releasesDue: section(
          CustodyWorkSchema,
          'Releases in the next 14 days with release plan items still to do (clinical roles)',
        ),
        releasedNotSeen: section(
          CustodyWorkSchema,
          'People released in the last 6 months with no hub appointment attended since release',
        ),
        ostGaps: section(
          CustodyWorkSchema,
          'Opioid substitution supply ending before the community prescriber’s first appointment (clinical roles)',
        ),
        notEngaged: section(
          CustodyWorkSchema,
          'Released at least 21 days ago with a drug or alcohol need and not engaged in treatment (clinical roles)',
        ),
      },
      { description: 'Only the sections asked for that your role may see' },
    ),
  },
  { description: 'A staff member’s or a site’s outstanding work' },
)
export type WorklistResource = Static<typeof WorklistSchema>

export const FollowUpParamsSchema = Type.Object({ id: Type.String({ description: 'The follow-up’s id (UUID)' }) })

export const FollowUpDoneSchema = Type.Object(
  {
    note: Type.String({ description: `What was done, 1 to ${String(NOTE_MAX)} characters`, maxLength: 10_000 }),
  },
  { additionalProperties: false },
)
export type FollowUpDone = Static<typeof FollowUpDoneSchema>

export const FollowUpSchema = Type.Object(
  {
    id: Type.String(),
    ...Person,
    appointmentId: Type.Union([Type.String(), Type.Null()]),
    kind: Type.String(),
    reason: Type.String(),
    dueDate: Type.String({ description: 'YYYY-MM-DD' }),
    status: Type.String({ description: 'open or done' }),
    assignedTo: Type.Object({ id: Type.String(), name: Type.String() }),
    doneAt: Type.Union([Type.String(), Type.Null()], { description: 'ISO 8601, UTC' }),
    doneBy: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
    note: Type.Union([Type.String(), Type.Null()]),
  },
  { description: 'A follow-up (missed appointment) and whether it is done' },
)
export type FollowUpResource = Static<typeof FollowUpSchema>
