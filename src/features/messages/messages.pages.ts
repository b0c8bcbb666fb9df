import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { formErrorContext, text, type FormBody } from '../../platform/forms/forms.ts'
import { actorOf } from '../../platform/http/auth.ts'
import { ValidationError } from '../../platform/http/errors.ts'
import { setFlash } from '../../platform/views/nunjucks.ts'
import { formatDateTime } from '../../platform/views/format.ts'
import { fullName } from '../../platform/views/person-header.ts'
import { addDays, isDiaryDate, ukMidnight, ukToday } from '../../platform/time/uk-time.ts'
import type { Clock } from '../../platform/clock.ts'
import { channelLabels, namingLabels, purposeLabels } from './messages.content.ts'
import { messagePaths, messageRoutes } from './messages.paths.ts'
import type { MessagesService } from './messages.service.ts'
import { serviceNamings } from './messages.tables.ts'
import { messageCard, rateWords } from './messages.view-models.ts'

const readers = ['clinician', 'hub_manager'] as const

export function registerMessagePages(
  app: FastifyInstance,
  deps: { messages: MessagesService; flashCookie: string; clock: Pick<Clock, 'now'> },
): void {
  const { messages, flashCookie } = deps

  async function renderPerson(
    personId: string,
    request: FastifyRequest,
    reply: FastifyReply,
    status = 200,
    errors: { field: string; message: string }[] = [],
  ) {
    const state = await messages.listForPerson(personId, actorOf(request), 'page')
    const { person } = state
    return reply.code(status).view('messages/views/person-messages.njk', {
      pageTitle: `Messages – ${fullName(person)}`,
      person,
      personHref: messagePaths.person(person.id),
      sending: state.sending,
      messages: state.messages.map(messageCard),
      replies: state.replies.map((r) => ({ body: r.body, at: formatDateTime(r.receivedAt) })),
      namingItems: serviceNamings.map((value) => ({
        value,
        text: namingLabels[value],
        checked: state.naming === value,
      })),
      namingAction: messagePaths.naming(person.id),
      outboxHref: messagePaths.outbox,
      ...formErrorContext(errors, {}),
    })
  }

  app.get(messageRoutes.messages, { config: { access: readers } }, async (request, reply) => {
    const { id } = request.params as { id: string }
    return renderPerson(id, request, reply)
  })

  app.post(messageRoutes.naming, { config: { access: readers } }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const naming = text(request.body as FormBody | undefined, 'naming')
    try {
      await messages.setNaming(id, naming, actorOf(request), 'page')
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      return renderPerson(
        id,
        request,
        reply,
        400,
        error.errors.map((e) => ({ field: e.field, message: e.message })),
      )
    }
    setFlash(reply, flashCookie, 'How messages name the service was saved')
    return reply.redirect(messagePaths.messages(id))
  })

  app.get(messageRoutes.outbox, { config: { access: readers } }, async (request, reply) => {
    const kept = await messages.outbox(actorOf(request), 'page')
    return reply.view('messages/views/outbox.njk', {
      pageTitle: 'Outbox: messages not sent',
      sending: messages.sending(),
      rows: kept.map((m) => [
        {
          html: `<a class="govuk-link" href="${messagePaths.messages(m.personId)}">${escape(`${m.personGivenName} ${m.personFamilyName}`)}</a>`,
        },
        { text: `${purposeLabels[m.purpose]} (${channelLabels[m.channel].toLowerCase()})` },
        { text: m.recipient ?? '' },
        { text: m.body ?? '' },
        { text: formatDateTime(m.statusAt) },
      ]),
    })
  })

  app.get(messageRoutes.site, { config: { access: ['hub_manager'] } }, async (request, reply) => {
    const { code } = request.params as { code: string }
    const query = request.query as Record<string, unknown>
    const today = ukToday(deps.clock)
    const period = readPeriod(query, today)
    const summary = await messages.siteSummary(
      code,
      ukMidnight(period.from),
      ukMidnight(addDays(period.to, 1)),
      actorOf(request),
    )
    return reply.code(period.errors.length > 0 ? 400 : 200).view('messages/views/site-summary.njk', {
      pageTitle: `Messages – ${summary.site.name}`,
      site: summary.site,
      from: period.fromText,
      to: period.toText,
      ...formErrorContext(period.errors, {}),
      rows: summary.days.map((d) => [
        { text: d.day },
        { text: String(d.sent), format: 'numeric' },
        { text: String(d.delivered), format: 'numeric' },
        { text: String(d.failed), format: 'numeric' },
        { text: String(d.notSent), format: 'numeric' },
      ]),
      reminded: rateWords(summary.missed.reminded),
      notReminded: rateWords(summary.missed.notReminded),
    })
  })
}

function escape(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${String(c.charCodeAt(0))};`)
}

/** The period asked for, as UK dates: the last 28 days unless said; a bad date is an error and the default used. */
export function readPeriod(query: Record<string, unknown>, today: string) {
  const errors: { field: string; message: string }[] = []
  const fromText = typeof query['from'] === 'string' ? query['from'].trim() : ''
  const toText = typeof query['to'] === 'string' ? query['to'].trim() : ''
  let from = addDays(today, -27)
  let to = today
  if (fromText !== '') {
    if (isDiaryDate(fromText)) from = fromText
    else errors.push({ field: 'from', message: 'Enter the first day as a date, like 2026-11-01' })
  }
  if (toText !== '') {
    if (isDiaryDate(toText)) to = toText
    else errors.push({ field: 'to', message: 'Enter the last day as a date, like 2026-11-30' })
  }
  if (errors.length === 0 && to < from) {
    errors.push({ field: 'to', message: 'The last day must be the same as or after the first day' })
    to = from
  }
  if (errors.length === 0 && addDays(from, 366) < to) {
    errors.push({ field: 'to', message: 'The period must be a year or shorter' })
    to = addDays(from, 366)
  }
  return { from, to, fromText: fromText === '' ? from : fromText, toText: toText === '' ? to : toText, errors }
}
