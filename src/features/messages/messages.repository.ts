import { sql } from 'kysely'
import type { Executor } from '../../platform/db/executor.ts'
import type { MessageChannel, MessagePurpose, MessageStatus, ServiceNaming } from './messages.tables.ts'

export interface Message {
  id: string
  personId: string
  siteId: string
  appointmentId: string | null
  purpose: MessagePurpose
  channel: MessageChannel
  leadHours: number
  sendAfter: Date
  status: MessageStatus
  statusAt: Date
  reason: string | null
  failure: string | null
  recipient: string | null
  sendStartedAt: Date | null
  attempts: number
  notifyId: string | null
  sentAt: Date | null
  body: string | null
  createdAt: Date
}

export interface StatusChange {
  status: MessageStatus
  at: Date
  detail: string | null
}

function selectMessages(executor: Executor) {
  return executor
    .selectFrom('message')
    .select([
      'message.id',
      'message.person_id as personId',
      'message.site_id as siteId',
      'message.appointment_id as appointmentId',
      'message.purpose',
      'message.channel',
      'message.lead_hours as leadHours',
      'message.send_after as sendAfter',
      'message.status',
      'message.status_at as statusAt',
      'message.reason',
      'message.failure',
      'message.recipient',
      'message.send_started_at as sendStartedAt',
      'message.attempts',
      'message.notify_id as notifyId',
      'message.sent_at as sentAt',
      'message.body',
      'message.created_at as createdAt',
    ])
}

type Row = Awaited<ReturnType<ReturnType<typeof selectMessages>['executeTakeFirstOrThrow']>>

const toDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value))
const toDateOrNull = (value: Date | string | null): Date | null => (value === null ? null : toDate(value))

function toMessage(row: Row): Message {
  return {
    ...row,
    sendAfter: toDate(row.sendAfter),
    statusAt: toDate(row.statusAt),
    sendStartedAt: toDateOrNull(row.sendStartedAt),
    sentAt: toDateOrNull(row.sentAt),
    createdAt: toDate(row.createdAt),
  }
}

export interface NewMessage {
  personId: string
  siteId: string
  appointmentId: string | null
  purpose: MessagePurpose
  channel: MessageChannel
  leadHours: number
  sendAfter: Date
}

/** Adds a message, unless the same one (appointment, purpose, channel, lead time) already stands: then undefined. */
export async function insert(executor: Executor, message: NewMessage, now: Date): Promise<string | undefined> {
  const row = await executor
    .insertInto('message')
    .values({
      person_id: message.personId,
      site_id: message.siteId,
      appointment_id: message.appointmentId,
      purpose: message.purpose,
      channel: message.channel,
      lead_hours: message.leadHours,
      send_after: message.sendAfter,
      status: 'scheduled',
      status_at: now,
      reason: null,
      failure: null,
      recipient: null,
      send_started_at: null,
      notify_id: null,
      sent_at: null,
      body: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['appointment_id', 'purpose', 'channel', 'lead_hours']).where('status', '<>', 'cancelled').doNothing(),
    )
    .returning('id')
    .executeTakeFirst()
  if (row === undefined) return undefined
  await addHistory(executor, row.id, { status: 'scheduled', at: now, detail: null })
  return row.id
}

export async function addHistory(executor: Executor, messageId: string, change: StatusChange): Promise<void> {
  await executor
    .insertInto('message_status')
    .values({ message_id: messageId, status: change.status, at: change.at, detail: change.detail })
    .execute()
}

export async function find(executor: Executor, id: string): Promise<Message | undefined> {
  const row = await selectMessages(executor).where('id', '=', id).executeTakeFirst()
  return row === undefined ? undefined : toMessage(row)
}

/** The message, locked for this transaction; a sender holding it makes another wait, then see what it did. */
export async function lock(executor: Executor, id: string): Promise<Message | undefined> {
  const row = await selectMessages(executor).where('id', '=', id).forUpdate().executeTakeFirst()
  return row === undefined ? undefined : toMessage(row)
}

export async function findByNotifyId(executor: Executor, notifyId: string): Promise<Message | undefined> {
  const row = await selectMessages(executor).where('notify_id', '=', notifyId).forUpdate().executeTakeFirst()
  return row === undefined ? undefined : toMessage(row)
}

export interface Update {
  status?: MessageStatus
  reason?: string | null
  failure?: string | null
  recipient?: string | null
  sendAfter?: Date
  sendStartedAt?: Date | null
  attempts?: number
  notifyId?: string | null
  sentAt?: Date | null
  body?: string | null
}

/** Changes a message; a new status is also a row of its history. */
export async function update(
  executor: Executor,
  id: string,
  change: Update,
  now: Date,
  detail: string | null = null,
): Promise<void> {
  await executor
    .updateTable('message')
    .set({
      ...(change.status === undefined ? {} : { status: change.status, status_at: now }),
      ...(change.reason === undefined ? {} : { reason: change.reason }),
      ...(change.failure === undefined ? {} : { failure: change.failure }),
      ...(change.recipient === undefined ? {} : { recipient: change.recipient }),
      ...(change.sendAfter === undefined ? {} : { send_after: change.sendAfter }),
      ...(change.sendStartedAt === undefined ? {} : { send_started_at: change.sendStartedAt }),
      ...(change.attempts === undefined ? {} : { attempts: change.attempts }),
      ...(change.notifyId === undefined ? {} : { notify_id: change.notifyId }),
      ...(change.sentAt === undefined ? {} : { sent_at: change.sentAt }),
      ...(change.body === undefined ? {} : { body: change.body }),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute()
  if (change.status !== undefined) await addHistory(executor, id, { status: change.status, at: now, detail })
}

/** Scheduled messages of an appointment, locked: what a cancellation or a move withdraws. */
export async function scheduledFor(
  executor: Executor,
  appointmentId: string,
  purpose: MessagePurpose,
): Promise<Message[]> {
  const rows = await selectMessages(executor)
    .where('appointment_id', '=', appointmentId)
    .where('purpose', '=', purpose)
    .where('status', '=', 'scheduled')
    .forUpdate()
    .execute()
  return rows.map(toMessage)
}

/** The lead times (hours) of every reminder already made for the appointment on the channel, whatever its status. */
export async function reminderLeads(
  executor: Executor,
  appointmentId: string,
  channel: MessageChannel,
): Promise<{ leadHours: number; id: string; status: MessageStatus; reason: string | null }[]> {
  const rows = await executor
    .selectFrom('message')
    .select(['id', 'lead_hours', 'status', 'reason'])
    .where('appointment_id', '=', appointmentId)
    .where('purpose', '=', 'reminder')
    .where('channel', '=', channel)
    .execute()
  return rows.map((r) => ({ leadHours: r.lead_hours, id: r.id, status: r.status, reason: r.reason }))
}

/** Channels on which a reminder for the appointment left the service (Notify took it, or it is in the outbox). */
export async function remindedChannels(executor: Executor, appointmentId: string): Promise<MessageChannel[]> {
  const rows = await executor
    .selectFrom('message')
    .select('channel')
    .distinct()
    .where('appointment_id', '=', appointmentId)
    .where('purpose', '=', 'reminder')
    .where('status', 'not in', ['scheduled', 'cancelled', 'skipped', 'rejected'])
    .execute()
  return rows.map((r) => r.channel)
}

/** Due messages, oldest first: ids only (each is locked and re-read when sent). */
export async function dueIds(executor: Executor, now: Date, limit: number): Promise<string[]> {
  const rows = await executor
    .selectFrom('message')
    .select('id')
    .where('status', '=', 'scheduled')
    .where('send_after', '<=', now)
    .orderBy('send_after')
    .limit(limit)
    .execute()
  return rows.map((r) => r.id)
}

/** Messages Notify took and has not finished with, oldest first: what the receipt poller asks about. */
export async function inFlight(executor: Executor, before: Date, limit: number): Promise<Message[]> {
  const rows = await selectMessages(executor)
    .where('status', 'in', ['created', 'sending', 'pending'])
    .where('notify_id', 'is not', null)
    .where('status_at', '<=', before)
    .orderBy('status_at')
    .limit(limit)
    .execute()
  return rows.map(toMessage)
}

export async function listForPerson(executor: Executor, personId: string): Promise<Message[]> {
  const rows = await selectMessages(executor)
    .where('person_id', '=', personId)
    .orderBy('created_at', 'desc')
    .orderBy('send_after', 'desc')
    .orderBy('channel')
    .orderBy('id')
    .limit(500)
    .execute()
  return rows.map(toMessage)
}

export async function historyOf(executor: Executor, ids: readonly string[]): Promise<Map<string, StatusChange[]>> {
  const result = new Map<string, StatusChange[]>()
  if (ids.length === 0) return result
  const rows = await executor
    .selectFrom('message_status')
    .select(['message_id', 'status', 'at', 'detail'])
    .where('message_id', 'in', ids)
    .orderBy('message_id')
    .orderBy('id')
    .execute()
  for (const row of rows) {
    const list = result.get(row.message_id) ?? []
    list.push({ status: row.status, at: toDate(row.at), detail: row.detail })
    result.set(row.message_id, list)
  }
  return result
}

export async function namingOf(executor: Executor, personId: string): Promise<ServiceNaming> {
  const row = await executor
    .selectFrom('message_preference')
    .select('naming')
    .where('person_id', '=', personId)
    .executeTakeFirst()
  return row?.naming ?? 'neither'
}

export async function setNaming(
  executor: Executor,
  personId: string,
  naming: ServiceNaming,
  by: string,
  now: Date,
): Promise<void> {
  await executor
    .insertInto('message_preference')
    .values({ person_id: personId, naming, updated_by: by, updated_at: now })
    .onConflict((oc) => oc.column('person_id').doUpdateSet({ naming, updated_by: by, updated_at: now }))
    .execute()
}

export interface DaySummary {
  day: string
  sent: number
  delivered: number
  failed: number
  notSent: number
}

/** Messages of a site created in [from, to), by UK day. */
export async function summaryByDay(executor: Executor, siteId: string, from: Date, to: Date): Promise<DaySummary[]> {
  const day = sql<string>`to_char(created_at at time zone 'Europe/London', 'YYYY-MM-DD')`
  const rows = await executor
    .selectFrom('message')
    .select((eb) => [
      day.as('day'),
      eb.fn
        .countAll<string>()
        .filterWhere('status', 'in', [
          'created',
          'sending',
          'pending',
          'sent',
          'delivered',
          'permanent-failure',
          'temporary-failure',
        ])
        .as('sent'),
      eb.fn.countAll<string>().filterWhere('status', '=', 'delivered').as('delivered'),
      eb.fn
        .countAll<string>()
        .filterWhere('status', 'in', ['permanent-failure', 'temporary-failure', 'technical-failure', 'rejected'])
        .as('failed'),
      eb.fn.countAll<string>().filterWhere('status', 'in', ['skipped', 'outbox']).as('notSent'),
    ])
    .where('site_id', '=', siteId)
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .groupBy(day)
    .orderBy(day)
    .execute()
  return rows.map((r) => ({
    day: r.day,
    sent: Number(r.sent),
    delivered: Number(r.delivered),
    failed: Number(r.failed),
    notSent: Number(r.notSent),
  }))
}

export async function insertReply(
  executor: Executor,
  reply: {
    notifyId: string
    personId: string | null
    siteId: string | null
    sourceNumber: string
    body: string
    receivedAt: Date
  },
): Promise<string | undefined> {
  const row = await executor
    .insertInto('message_reply')
    .values({
      notify_id: reply.notifyId,
      person_id: reply.personId,
      site_id: reply.siteId,
      source_number: reply.sourceNumber,
      body: reply.body,
      received_at: reply.receivedAt,
    })
    .onConflict((oc) => oc.column('notify_id').doNothing())
    .returning('id')
    .executeTakeFirst()
  return row?.id
}

/** The latest message sent to this number, for matching a reply to the person it went to. */
export async function latestSentTo(executor: Executor, recipient: string): Promise<Message | undefined> {
  const row = await selectMessages(executor)
    .where('recipient', '=', recipient)
    .where('channel', '=', 'sms')
    .where('notify_id', 'is not', null)
    .orderBy('sent_at', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row === undefined ? undefined : toMessage(row)
}

export async function repliesOf(
  executor: Executor,
  personId: string,
): Promise<{ id: string; body: string; receivedAt: Date }[]> {
  const rows = await executor
    .selectFrom('message_reply')
    .select(['id', 'body', 'received_at'])
    .where('person_id', '=', personId)
    .orderBy('received_at', 'desc')
    .limit(100)
    .execute()
  return rows.map((r) => ({ id: r.id, body: r.body, receivedAt: toDate(r.received_at) }))
}

/** What the outbox holds at these sites: messages kept, not sent, because there is no Notify key. */
export async function outboxAt(
  executor: Executor,
  siteIds: readonly string[],
  limit: number,
): Promise<(Message & { personGivenName: string; personFamilyName: string })[]> {
  if (siteIds.length === 0) return []
  const rows = await selectMessages(executor)
    .innerJoin('person', 'person.id', 'message.person_id')
    .select(['person.given_name as personGivenName', 'person.family_name as personFamilyName'])
    .where('message.site_id', 'in', siteIds)
    .where('message.status', '=', 'outbox')
    .orderBy('message.status_at', 'desc')
    .limit(limit)
    .execute()
  return rows.map((r) => ({
    ...toMessage(r),
    personGivenName: r.personGivenName,
    personFamilyName: r.personFamilyName,
  }))
}
