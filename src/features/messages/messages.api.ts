import { timingSafeEqual, createHash } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { actorOf } from '../../platform/http/auth.ts'
import { UnauthenticatedError, ValidationError } from '../../platform/http/errors.ts'
import { addDays, isDiaryDate, ukMidnight } from '../../platform/time/uk-time.ts'
import { messageRoutes } from './messages.paths.ts'
import type { MessagesService, MessageView } from './messages.service.ts'
import { reasonWords } from './messages.words.ts'
import {
  DeliveryReceiptSchema,
  MessagesSchema,
  PersonParamsSchema,
  ProblemSchema,
  ReceivedTextSchema,
  SiteParamsSchema,
  SummaryQuerySchema,
  SummarySchema,
} from './messages.schemas.ts'

const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema }

function toResource(m: MessageView) {
  return {
    id: m.id,
    channel: m.channel,
    purpose: m.purpose,
    appointmentId: m.appointmentId,
    leadHours: m.purpose === 'reminder' ? m.leadHours : null,
    status: m.status,
    statusHistory: m.history.map((h) => ({ status: h.status, at: h.at.toISOString() })),
    failure: m.failure ?? (m.reason === null ? null : (reasonWords[m.reason] ?? null)),
    sendAfter: m.sendAfter.toISOString(),
    sentAt: m.sentAt === null ? null : m.sentAt.toISOString(),
  }
}

export function registerMessagesApi(app: FastifyInstance, deps: { messages: MessagesService }): void {
  const { messages } = deps
  const api = app.withTypeProvider<TypeBoxTypeProvider>()

  api.get(
    messageRoutes.apiMessages,
    {
      config: { access: ['clinician', 'hub_manager'] },
      schema: {
        tags: ['messages'],
        summary: 'Every message to a person (reminders, cancellations, missed), newest first, with its status history',
        params: PersonParamsSchema,
        response: { 200: MessagesSchema, ...problems },
      },
    },
    async (request) => {
      const state = await messages.listForPerson(request.params.id, actorOf(request), 'api')
      return { personId: state.person.id, messages: state.messages.map(toResource) }
    },
  )

  api.get(
    messageRoutes.apiSiteSummary,
    {
      config: { access: ['hub_manager'] },
      schema: {
        tags: ['messages'],
        summary: 'A site’s messages by day, and the missed-appointment rate with and without a delivered reminder',
        description: 'Hub managers of the site. The period is UK days from `from` to `to`, both included.',
        params: SiteParamsSchema,
        querystring: SummaryQuerySchema,
        response: { 200: SummarySchema, ...problems },
      },
    },
    async (request) => {
      const { from, to } = request.query
      const errors = [
        ...(isDiaryDate(from) ? [] : [{ field: 'from', message: 'from must be a real date, YYYY-MM-DD' }]),
        ...(isDiaryDate(to) ? [] : [{ field: 'to', message: 'to must be a real date, YYYY-MM-DD' }]),
      ]
      if (errors.length === 0 && to < from) errors.push({ field: 'to', message: 'to must be on or after from' })
      if (errors.length === 0 && addDays(from, 366) < to) {
        errors.push({ field: 'to', message: 'The period must be 366 days or shorter' })
      }
      if (errors.length > 0) throw new ValidationError(errors)
      const summary = await messages.siteSummary(
        request.params.code,
        ukMidnight(from),
        ukMidnight(addDays(to, 1)),
        actorOf(request),
      )
      return {
        site: summary.site.code,
        from,
        to,
        days: summary.days,
        missedAppointments: {
          withDeliveredReminder: summary.missed.reminded,
          withoutDeliveredReminder: summary.missed.notReminded,
        },
      }
    },
  )
}

const digest = (value: string) => createHash('sha256').update(value).digest()

/** The callback's bearer token against NOTIFY_CALLBACK_TOKEN, in constant time; none configured refuses all. */
function checkCallbackToken(request: FastifyRequest, token: string | undefined): void {
  const header = request.headers.authorization ?? ''
  const match = /^Bearer\s+(\S+)$/i.exec(header)
  // Compared as digests, so neither the length nor the content leaks through timing.
  const ok = token !== undefined && match?.[1] !== undefined && timingSafeEqual(digest(match[1]), digest(token))
  if (!ok) throw new UnauthenticatedError('The callback token is missing or wrong.')
}

/** GOV.UK Notify's callbacks: delivery receipts and received texts. Public, authenticated by their bearer token. */
export function registerNotifyCallbacks(
  app: FastifyInstance,
  deps: { messages: MessagesService; callbackToken: string | undefined },
): void {
  const { messages, callbackToken } = deps
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const config = { access: 'public', serviceCallback: true } as const

  api.post(
    messageRoutes.deliveryCallback,
    {
      config,
      schema: {
        tags: ['notify-callbacks'],
        summary: 'GOV.UK Notify’s delivery receipt (Authorization: Bearer NOTIFY_CALLBACK_TOKEN)',
        body: DeliveryReceiptSchema,
        response: { 204: { type: 'null' }, 400: ProblemSchema, 401: ProblemSchema },
      },
      preValidation: async (request) => {
        checkCallbackToken(request, callbackToken)
      },
    },
    async (request, reply) => {
      await messages.deliveryReceipt({
        id: request.body.id,
        status: request.body.status,
        reference: request.body.reference ?? null,
      })
      return reply.code(204).send(null)
    },
  )

  api.post(
    messageRoutes.receivedTextCallback,
    {
      config,
      schema: {
        tags: ['notify-callbacks'],
        summary: 'GOV.UK Notify’s received text message (Authorization: Bearer NOTIFY_CALLBACK_TOKEN)',
        body: ReceivedTextSchema,
        response: { 204: { type: 'null' }, 400: ProblemSchema, 401: ProblemSchema },
      },
      preValidation: async (request) => {
        checkCallbackToken(request, callbackToken)
      },
    },
    async (request, reply) => {
      const received = new Date(request.body.date_received)
      if (Number.isNaN(received.getTime())) {
        throw new ValidationError([{ field: 'date_received', message: 'date_received must be a date and time' }])
      }
      await messages.receivedText({
        id: request.body.id,
        sourceNumber: request.body.source_number,
        message: request.body.message,
        dateReceived: received,
      })
      return reply.code(204).send(null)
    },
  )
}
