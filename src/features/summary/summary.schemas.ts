/** TypeBox schemas for the health summary API: validation, TypeScript types and the OpenAPI description at once. */
import { Type, type Static } from 'typebox'
import { firstAppointmentKeptValues, sharedReferralStatuses } from './summary.messages.ts'
import { appointmentKinds } from '../appointments/index.ts'
import { needCategories } from '../needs/index.ts'
import { serviceKinds } from '../services/index.ts'
import { gpRegistrationStatuses } from '../gp-registration/index.ts'

export { ProblemSchema } from '../../platform/http/problem.ts'

const date = (description: string) =>
  Type.String({ description: `${description} (YYYY-MM-DD)`, examples: ['2026-11-20'] })
const nullableDate = (description: string) => Type.Union([date(description), Type.Null()], { description })

export const SummaryParamsSchema = Type.Object({ id: Type.String({ description: 'The person’s id (UUID)' }) })

const NeedSchema = Type.Object({
  category: Type.Enum(needCategories, { description: 'The need’s code' }),
  label: Type.String({ description: 'The need in plain words, e.g. "Alcohol support"' }),
  identifiedOn: date('The date the need was first identified'),
})

const ReferralSchema = Type.Object({
  serviceName: Type.String({ description: 'The service referred to' }),
  serviceKind: Type.Enum(serviceKinds, { description: 'The kind of service' }),
  serviceKindLabel: Type.String({ description: 'The kind of service in plain words' }),
  status: Type.Enum(sharedReferralStatuses, {
    description: 'Where the referral is (drafts are not shown: they have not been sent)',
  }),
  statusLabel: Type.String({ description: 'The status in plain words' }),
  sentOn: nullableDate('The date the referral was sent'),
  firstAppointmentKept: Type.Enum(firstAppointmentKeptValues, {
    description:
      'Whether the person went to the first appointment: yes (see firstAttendedOn), no (did not attend), ' +
      'not-yet, or no-appointment (the referral ended without one: rejected, declined or withdrawn)',
  }),
  firstAttendedOn: nullableDate('The date of the first appointment attended'),
})

const AppointmentsSchema = Type.Object(
  {
    since: date('The first date counted: six months before today (UK dates)'),
    kept: Type.Integer({ description: 'Hub appointments the person came to' }),
    missed: Type.Integer({ description: 'Hub appointments missed without an acceptable reason' }),
    acceptableAbsences: Type.Integer({ description: 'Hub appointments missed with an acceptable reason' }),
    next: Type.Union(
      [
        Type.Object({
          date: date('The UK date of the next booked appointment'),
          kind: Type.Enum(appointmentKinds),
          kindLabel: Type.String({ description: 'The kind of appointment in plain words' }),
        }),
        Type.Null(),
      ],
      { description: 'The next booked hub appointment, or null' },
    ),
  },
  { description: 'Hub appointments (joint and health clinic) in the last six months; never outcome notes' },
)

const GpRegistrationSchema = Type.Object({
  status: Type.Union([Type.Enum(gpRegistrationStatuses), Type.Null()], {
    description: 'The current GP registration status, or null before any is recorded',
  }),
  text: Type.String({ description: 'The current state in plain words, e.g. "Registered with Riverside Surgery"' }),
})

export const SummarySchema = Type.Object(
  {
    personId: Type.String({ description: 'The person’s id (UUID)' }),
    sharedWithProbation: Type.Boolean({
      description:
        'Whether the person’s decision in force lets probation see this summary. Always true for a probation ' +
        'practitioner (otherwise they get 403); clinicians and hub managers see the summary either way, to check it',
    }),
    needs: Type.Array(NeedSchema, { description: 'Confirmed needs, one per kind, oldest first' }),
    referrals: Type.Array(ReferralSchema, { description: 'Referrals sent, newest first' }),
    appointments: AppointmentsSchema,
    gpRegistration: GpRegistrationSchema,
  },
  {
    description:
      'The non-clinical health summary: needs in plain words, referrals and whether appointments were kept. ' +
      'Never answers, scores, flags, clinical notes or reasons.',
  },
)
export type SummaryResource = Static<typeof SummarySchema>
