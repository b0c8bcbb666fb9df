/** TypeBox schemas for the messages API and Notify's callbacks. */
import { Type, type Static } from 'typebox'
import { messageChannels, messagePurposes, messageStatuses } from './messages.tables.ts'

export { ProblemSchema } from '../../platform/http/problem.ts'

export const PersonParamsSchema = Type.Object({ id: Type.String({ maxLength: 100, description: 'The person’s id' }) })
export const SiteParamsSchema = Type.Object({ code: Type.String({ maxLength: 40, description: 'The site’s code' }) })

export const MessageSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  channel: Type.Enum(messageChannels),
  purpose: Type.Enum(messagePurposes),
  appointmentId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  leadHours: Type.Union([Type.Integer(), Type.Null()], { description: 'For a reminder: hours before the start' }),
  status: Type.Enum(messageStatuses),
  statusHistory: Type.Array(
    Type.Object({ status: Type.Enum(messageStatuses), at: Type.String({ format: 'date-time' }) }),
  ),
  failure: Type.Union([Type.String(), Type.Null()], {
    description: 'Why it was not sent or not delivered, in plain words',
  }),
  sendAfter: Type.String({ format: 'date-time', description: 'When it may be sent (scheduled) or was due' }),
  sentAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
})

export const MessagesSchema = Type.Object({
  personId: Type.String(),
  messages: Type.Array(MessageSchema),
})

export const SummaryQuerySchema = Type.Object({
  from: Type.String({ format: 'date', description: 'First day, YYYY-MM-DD (UK)' }),
  to: Type.String({ format: 'date', description: 'Last day, YYYY-MM-DD (UK), included; at most 366 days after from' }),
})

const controlled = (description: string) =>
  Type.Union([Type.Integer(), Type.Null()], { description: `${description}, rounded to 5; null where suppressed` })
/** A missed rate through disclosure control: counts of 1 to 7 suppressed, others rounded to 5. */
const Rate = Type.Object({
  appointments: controlled('Appointments with an outcome recorded'),
  missed: controlled('Of those, missed (failed to attend or unacceptable absence)'),
  rate: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
    description: 'missed over appointments from the unrounded counts; null where suppressed or there are none',
  }),
  suppressed: Type.Boolean({ description: 'A figure was hidden: a count of 1 to 7' }),
})
export const SummarySchema = Type.Object({
  site: Type.String(),
  from: Type.String({ format: 'date' }),
  to: Type.String({ format: 'date' }),
  days: Type.Array(
    Type.Object({
      day: Type.String({ format: 'date' }),
      sent: Type.Integer(),
      delivered: Type.Integer(),
      failed: Type.Integer(),
      notSent: Type.Integer(),
    }),
  ),
  missedAppointments: Type.Object({ withDeliveredReminder: Rate, withoutDeliveredReminder: Rate }),
})

/** Notify's delivery receipt (domain reference §9); other fields it sends are allowed and ignored. */
export const DeliveryReceiptSchema = Type.Object(
  {
    id: Type.String({ maxLength: 100 }),
    reference: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])),
    status: Type.String({ maxLength: 40 }),
  },
  { additionalProperties: true },
)

export const ReceivedTextSchema = Type.Object(
  {
    id: Type.String({ maxLength: 100 }),
    source_number: Type.String({ maxLength: 40 }),
    destination_number: Type.Optional(Type.String({ maxLength: 40 })),
    message: Type.String({ maxLength: 2000 }),
    date_received: Type.String({ maxLength: 40 }),
  },
  { additionalProperties: true },
)

export type DeliveryReceipt = Static<typeof DeliveryReceiptSchema>
export type ReceivedText = Static<typeof ReceivedTextSchema>
