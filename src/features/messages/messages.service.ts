/**
 * Messages to people: appointment reminders, cancellations and "sorry we missed you", through GOV.UK Notify.
 *
 * Scheduling runs inside the appointment's own transaction (AppointmentEvents): a booking writes its reminders, or
 * nothing at all. Sending works through what is due, one message at a time, each locked while it is handled:
 * consent, the number or address, the site's details and the appointment are read again then, so a withdrawal, a
 * changed number or a cancellation after scheduling is honoured. A message is recorded as started before it is
 * sent and sent at most once: after a timeout or a crash, Notify is asked (by `reference`, the message id) whether
 * it took it before it is tried again. Without a Notify key nothing leaves the service: messages go to the outbox.
 */
import type { Kysely, Transaction } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import type { DB } from '../../platform/db/schema.ts'
import type { Executor } from '../../platform/db/executor.ts'
import type { ActorContext, AuditService } from '../../platform/audit/audit.service.ts'
import { assertSiteAccess, hasRole, principalOf, type Channel, type Principal } from '../../platform/http/auth.ts'
import { ForbiddenError, NotFoundError, ValidationError } from '../../platform/http/errors.ts'
import type { NotifyApi, NotifyFailure, NotifyNotification } from '../../platform/integrations/notify.client.ts'
import { isUuid } from '../../platform/forms/forms.ts'
import { controlCount, controlRate } from '../../platform/statistics/disclosure.ts'
import type { ConsentService } from '../consent/index.ts'
import type { ContactEvents, PersonRecords } from '../people/index.ts'
import type { Appointment, AppointmentEvents, NewFollowUpWork } from '../appointments/index.ts'
import { personalisationFor, preview, templates, type Personalisation } from './messages.content.ts'
import { reminderSchedule, reminderSendTime, type QuietHours } from './messages.schedule.ts'
import * as read from './messages.read-model.ts'
import { reasonWords } from './messages.words.ts'
import { validateEmail, validatePhone } from '../../platform/forms/contact-details.ts'
import * as repo from './messages.repository.ts'
import {
  notifyStatuses,
  serviceNamings,
  type MessageChannel,
  type MessagePurpose,
  type MessageStatus,
  type NotifyStatus,
  type ServiceNaming,
} from './messages.tables.ts'

export type { Message, StatusChange, DaySummary } from './messages.repository.ts'

/** Template ids in Notify, per purpose and channel (NOTIFY_TEMPLATE_*). */
export type TemplateIds = Readonly<Record<MessagePurpose, Readonly<Record<MessageChannel, string>>>>

export interface MessagesSettings {
  /** Hours before the start, longest first (REMINDER_LEAD_HOURS). */
  leadHours: readonly number[]
  /** REMINDER_QUIET_HOURS; null: none. */
  quietHours: QuietHours | null
  /** Undefined: no Notify key, so messages go to the outbox and nothing leaves the service. */
  notify: { api: NotifyApi; templates: TemplateIds } | undefined
  /** NOTIFY_CALLBACK_TOKEN: what Notify's callbacks must carry; undefined refuses them all (and receipts are polled). */
  callbackToken?: string | undefined
}

/** The site's details a message gives: its address on one line and its phone number. */
export type SiteContactReader = (
  executor: Executor,
  siteId: string,
) => Promise<{ address: string | null; phone: string | null }>

/** A sender holding a message this long is taken to have died; another then asks Notify before sending. */
export const SEND_LEASE_MS = 60_000
/** Receipts are asked for this long after a send, when no callback brings them (Notify keeps data 7 days). */
const POLL_AFTER_MS = 5 * 60_000

const consentTopics = { sms: 'contact-by-sms', email: 'contact-by-email' } as const
/** Why a reminder was skipped that a new number, address or agreement can put right (`contactChanged`). */
const CONTACT_REASONS: ReadonlySet<string> = new Set([
  'no-phone',
  'phone-not-valid',
  'no-email',
  'email-not-valid',
  'no-consent-sms',
  'no-consent-email',
])

/** Outcomes that send "sorry we missed you": failed to attend, and unacceptable absence (not acceptable absence). */
const missedOutcomes = new Set(['AFTA', 'UAAB'])
const SYSTEM: ActorContext = { principal: undefined, requestId: 'messages-sender' }
const readerRoles = ['clinician', 'hub_manager'] as const

/** Thrown to have the send retried later (a rate limit, Notify's server error, another sender holding it). */
export class SendLaterError extends Error {
  readonly retryAfterMs: number | undefined
  constructor(message: string, retryAfterMs?: number) {
    super(message)
    this.name = 'SendLaterError'
    this.retryAfterMs = retryAfterMs
  }
}

export type SendOutcome = 'sent' | 'outbox' | 'skipped' | 'rejected' | 'moved' | 'already-handled' | 'found-at-notify'

export type MessagesService = ReturnType<typeof createMessagesService>

export interface MessageView extends repo.Message {
  history: repo.StatusChange[]
  /** The words the person gets (or would get now, for one not sent yet). */
  preview: { subject: string | undefined; body: string } | undefined
}

const isNotifyStatus = (s: string): s is NotifyStatus => (notifyStatuses as readonly string[]).includes(s)

/** Notify statuses never go backwards: a late "sending" after "delivered" is ignored. */
const statusRank: Record<NotifyStatus, number> = {
  created: 0,
  sending: 1,
  pending: 2,
  sent: 3,
  delivered: 4,
  'permanent-failure': 4,
  'temporary-failure': 4,
  'technical-failure': 4,
}

export function createMessagesService(deps: {
  db: Kysely<DB>
  clock: Clock
  audit: AuditService
  consent: Pick<ConsentService, 'allows'>
  people: PersonRecords
  siteContact: SiteContactReader
  findSite: (executor: Executor, code: string) => Promise<{ id: string; code: string; name: string } | undefined>
  followUps: { addFollowUp(tx: Transaction<DB>, work: NewFollowUpWork, actor: ActorContext): Promise<boolean> }
  settings: MessagesSettings
  /** Adds the send job in the caller's transaction, when this process runs jobs; the sweep finds it otherwise. */
  enqueue?: (tx: Transaction<DB>, messageId: string, startAfter: Date) => Promise<void>
}) {
  const { db, clock, audit, consent, people, settings } = deps

  async function schedule(tx: Transaction<DB>, message: repo.NewMessage, actor: ActorContext): Promise<void> {
    const id = await repo.insert(tx, message, clock.now())
    if (id === undefined) return
    await audit.record(tx, actor, {
      action: 'create',
      entityType: 'message',
      entityId: id,
      personId: message.personId,
      siteId: message.siteId,
      details: { purpose: message.purpose, channel: message.channel, leadHours: message.leadHours },
    })
    await deps.enqueue?.(tx, id, message.sendAfter)
  }

  /** Channels the person agreed to and has a number or address for, read in `tx`. */
  async function agreedChannels(tx: Transaction<DB>, personId: string): Promise<MessageChannel[]> {
    const person = await people.findRecord(tx, personId)
    if (person === undefined) return []
    const channels: MessageChannel[] = []
    if (person.phone !== null && (await consent.allows(tx, personId, consentTopics.sms))) channels.push('sms')
    if (person.email !== null && (await consent.allows(tx, personId, consentTopics.email))) channels.push('email')
    return channels
  }

  /** The first moment a message may go from now: now, or the end of the quiet hours it falls in. */
  function firstAllowed(now: Date): Date {
    // A reminder due now for an appointment a day away is sent now, or when the quiet hours end (always within
    // the day): the same rule, so there is one reading of quiet hours.
    const result = reminderSendTime({
      appointmentStart: new Date(now.getTime() + 24 * 3_600_000),
      leadHours: 24,
      now,
      quietHours: settings.quietHours,
    })
    return 'send' in result ? result.send : now
  }

  /**
   * Schedules the appointment's reminders on each channel for the lead times it has none for yet (any status), so
   * a booking and a later change of contact details never make two reminders for one lead time.
   */
  async function scheduleReminders(
    tx: Transaction<DB>,
    appointment: { id: string; personId: string; siteId: string; startsAt: Date },
    channels: readonly MessageChannel[],
    actor: ActorContext,
  ): Promise<void> {
    for (const channel of channels) {
      const existing = await repo.reminderLeads(tx, appointment.id, channel)
      // A reminder not sent for want of a number, an address or agreement is tried again now they have changed.
      const retry = new Map(
        existing
          .filter((m) => m.status === 'skipped' && m.reason !== null && CONTACT_REASONS.has(m.reason))
          .map((m) => [m.leadHours, m.id]),
      )
      const made = new Set(existing.filter((m) => !retry.has(m.leadHours)).map((m) => m.leadHours))
      const missing = settings.leadHours.filter((lead) => !made.has(lead))
      if (missing.length === 0) continue
      const now = clock.now()
      const times = reminderSchedule({
        appointmentStart: appointment.startsAt,
        leadHours: missing,
        now,
        quietHours: settings.quietHours,
      })
      for (const { leadHours, send } of times) {
        const again = retry.get(leadHours)
        if (again !== undefined) {
          await repo.update(
            tx,
            again,
            { status: 'scheduled', reason: null, sendAfter: send, attempts: 0 },
            now,
            'contact-details-changed',
          )
          await audit.record(tx, actor, {
            action: 'update',
            entityType: 'message',
            entityId: again,
            personId: appointment.personId,
            siteId: appointment.siteId,
            details: { status: 'scheduled', reason: 'contact-details-changed' },
          })
          await deps.enqueue?.(tx, again, send)
          continue
        }
        await schedule(
          tx,
          {
            personId: appointment.personId,
            siteId: appointment.siteId,
            appointmentId: appointment.id,
            purpose: 'reminder',
            channel,
            leadHours,
            sendAfter: send,
          },
          actor,
        )
      }
    }
  }

  /**
   * A phone number or email address added, or agreement to texts or emails given, after appointments were booked:
   * their reminders are scheduled now, in the same transaction as the change.
   */
  const contactEvents: ContactEvents = {
    async contactChanged(tx, personId, actor) {
      const channels = await agreedChannels(tx, personId)
      if (channels.length === 0) return
      for (const appointment of await read.upcomingBooked(tx, personId, clock.now())) {
        await scheduleReminders(tx, appointment, channels, actor)
      }
    },
  }

  const events: AppointmentEvents = {
    async booked(tx, appointment, actor) {
      if (appointment.status !== 'booked') return
      // Read under the person's share lock, so consent or a number being recorded at this moment is either seen
      // here or sees this booking (contactEvents), never missed by both.
      await people.lockRecord(tx, appointment.personId, 'share')
      const channels = await agreedChannels(tx, appointment.personId)
      if (channels.length === 0) return
      await scheduleReminders(tx, appointment, channels, actor)
    },

    async cancelled(tx, appointment, moved, actor) {
      const now = clock.now()
      const inFlight = new Set<MessageChannel>()
      for (const message of await repo.scheduledFor(tx, appointment.id, 'reminder')) {
        // A send already started may have reached the person: left to finish (its next attempt asks Notify first,
        // then finds the appointment cancelled), and counted as sent for the cancellation below.
        if (message.sendStartedAt !== null) {
          inFlight.add(message.channel)
          continue
        }
        await repo.update(
          tx,
          message.id,
          { status: 'cancelled', reason: moved ? 'appointment-moved' : 'appointment-cancelled' },
          now,
        )
      }
      // A moved appointment's new reminders say the new time; a cancelled one is said once, where a reminder went.
      if (moved) return
      const reminded = new Set([...(await repo.remindedChannels(tx, appointment.id)), ...inFlight])
      const agreed = new Set(await agreedChannels(tx, appointment.personId))
      for (const channel of reminded) {
        if (!agreed.has(channel)) continue
        await schedule(
          tx,
          {
            personId: appointment.personId,
            siteId: appointment.siteId,
            appointmentId: appointment.id,
            purpose: 'cancelled',
            channel,
            leadHours: 0,
            sendAfter: firstAllowed(now),
          },
          actor,
        )
      }
    },

    async missed(tx, appointment, actor) {
      if (appointment.outcome === null || !missedOutcomes.has(appointment.outcome)) return
      const now = clock.now()
      for (const channel of await agreedChannels(tx, appointment.personId)) {
        await schedule(
          tx,
          {
            personId: appointment.personId,
            siteId: appointment.siteId,
            appointmentId: appointment.id,
            purpose: 'missed',
            channel,
            leadHours: 0,
            sendAfter: firstAllowed(now),
          },
          actor,
        )
      }
    },
  }

  type Ready = { ok: true; recipient: string; personalisation: Personalisation } | { ok: false; reason: string }

  /** Whether the message may still go, and what it would say: everything read again, now, in `tx`. */
  async function readiness(tx: Executor, message: repo.Message, now: Date): Promise<Ready> {
    const appointment =
      message.appointmentId === null ? undefined : await read.findAppointment(tx, message.appointmentId)
    if (appointment === undefined) return { ok: false, reason: 'appointment-not-found' }
    if (message.purpose === 'reminder') {
      if (appointment.status !== 'booked') {
        return {
          ok: false,
          reason: appointment.cancelledReason === 'rescheduled' ? 'appointment-moved' : 'appointment-cancelled',
        }
      }
      if (appointment.startsAt.getTime() <= now.getTime()) return { ok: false, reason: 'appointment-started' }
    }
    if (message.purpose === 'cancelled' && appointment.status !== 'cancelled')
      return { ok: false, reason: 'appointment-not-cancelled' }
    if (
      message.purpose === 'cancelled' &&
      !(await repo.remindedChannels(tx, appointment.id)).includes(message.channel)
    ) {
      return { ok: false, reason: 'no-reminder-sent' }
    }
    if (message.purpose === 'missed' && (appointment.outcome === null || !missedOutcomes.has(appointment.outcome))) {
      return { ok: false, reason: 'appointment-not-missed' }
    }
    const person = await people.findRecord(tx, message.personId)
    if (person === undefined) return { ok: false, reason: 'person-not-found' }
    if (!(await consent.allows(tx, message.personId, consentTopics[message.channel]))) {
      return { ok: false, reason: message.channel === 'sms' ? 'no-consent-sms' : 'no-consent-email' }
    }
    const stored = message.channel === 'sms' ? person.phone : person.email
    if (stored === null) return { ok: false, reason: message.channel === 'sms' ? 'no-phone' : 'no-email' }
    // Checked as Notify checks it (records from before numbers were checked where entered may hold a landline).
    const checked = message.channel === 'sms' ? validatePhone(stored) : validateEmail(stored)
    if (!checked.ok) return { ok: false, reason: message.channel === 'sms' ? 'phone-not-valid' : 'email-not-valid' }
    const recipient = checked.value
    const site = await deps.siteContact(tx, message.siteId)
    if (site.address === null) return { ok: false, reason: 'site-no-address' }
    if (site.phone === null) return { ok: false, reason: 'site-no-phone' }
    const naming = await repo.namingOf(tx, message.personId)
    return {
      ok: true,
      recipient,
      personalisation: personalisationFor({
        preferredName: person.preferredName,
        givenName: person.givenName,
        naming,
        startsAt: appointment.startsAt,
        place: site.address,
        phone: site.phone,
      }),
    }
  }

  type Claim =
    | { kind: 'done'; outcome: SendOutcome }
    | { kind: 'send'; message: repo.Message; recipient: string; personalisation: Personalisation }

  /** In one transaction: decide, and record the start of a send before anything leaves the service. */
  async function claim(id: string): Promise<Claim> {
    return db.transaction().execute(async (tx): Promise<Claim> => {
      const now = clock.now()
      const message = await repo.lock(tx, id)
      if (message === undefined || message.status !== 'scheduled') return { kind: 'done', outcome: 'already-handled' }
      if (message.sendStartedAt !== null && now.getTime() - message.sendStartedAt.getTime() < SEND_LEASE_MS) {
        throw new SendLaterError('Another sender is sending this message')
      }
      // Quiet hours are checked again, on every attempt: a sender running late, or a retry, never sends at night.
      {
        const allowed = firstAllowed(now)
        if (allowed.getTime() > now.getTime()) {
          const appointment =
            message.appointmentId === null ? undefined : await read.findAppointment(tx, message.appointmentId)
          if (message.purpose === 'reminder' && appointment !== undefined && allowed >= appointment.startsAt) {
            await repo.update(tx, id, { status: 'skipped', reason: 'quiet-until-start' }, now)
            return { kind: 'done', outcome: 'skipped' }
          }
          await repo.update(tx, id, { sendAfter: allowed }, now)
          await deps.enqueue?.(tx, id, allowed)
          return { kind: 'done', outcome: 'moved' }
        }
      }
      const ready = await readiness(tx, message, now)
      if (!ready.ok) {
        await repo.update(tx, id, { status: 'skipped', reason: ready.reason }, now)
        if (ready.reason === 'phone-not-valid' || ready.reason === 'email-not-valid') {
          await checkContactDetails(tx, message, reasonWords[ready.reason] ?? '')
        }
        return { kind: 'done', outcome: 'skipped' }
      }
      const text = preview(message.purpose, message.channel, ready.personalisation)
      const body = text.subject === undefined ? text.body : `${text.subject}\n\n${text.body}`
      if (settings.notify === undefined) {
        await repo.update(tx, id, { status: 'outbox', recipient: ready.recipient, body, reason: 'no-notify-key' }, now)
        return { kind: 'done', outcome: 'outbox' }
      }
      await repo.update(
        tx,
        id,
        { sendStartedAt: now, attempts: message.attempts + 1, recipient: ready.recipient, body },
        now,
      )
      return { kind: 'send', message, recipient: ready.recipient, personalisation: ready.personalisation }
    })
  }

  /** Notify has it: recorded whatever was decided about it meanwhile, unless a receipt got there first. */
  async function recordTaken(id: string, notifyId: string, status: NotifyStatus, detail: string): Promise<void> {
    await db.transaction().execute(async (tx) => {
      const now = clock.now()
      const current = await repo.lock(tx, id)
      if (current === undefined || current.notifyId !== null) return
      await repo.update(tx, id, { status, notifyId, sentAt: now }, now, detail)
    })
  }

  async function recordRejected(
    message: repo.Message,
    failure: Extract<NotifyFailure, { kind: 'rejected' }>,
  ): Promise<void> {
    await db.transaction().execute(async (tx) => {
      const now = clock.now()
      await repo.update(tx, message.id, { status: 'rejected', failure: failure.plainWords }, now, failure.errorType)
      // A refusal of the number or address is for the clinician to check; other refusals (a trial-mode or revoked
      // key, a template) are the service's own configuration: shown on the page, not a worklist item.
      if (failure.recipientRefused) await checkContactDetails(tx, message, failure.plainWords)
    })
  }

  /** "Check contact details" on the clinician's worklist, once per appointment. */
  async function checkContactDetails(tx: Transaction<DB>, message: repo.Message, why: string): Promise<void> {
    if (message.appointmentId === null) return
    const appointment = await read.findAppointment(tx, message.appointmentId)
    if (appointment === undefined) return
    const channel = message.channel === 'sms' ? 'text message' : 'email'
    await deps.followUps.addFollowUp(
      tx,
      {
        kind: 'check-contact-details',
        personId: message.personId,
        siteId: message.siteId,
        appointmentId: message.appointmentId,
        assignedTo: appointment.clinicianId,
        reason: `Check contact details: a ${channel} could not be delivered. ${why}`.slice(0, 500),
      },
      SYSTEM,
    )
  }

  /** Sends one message, if it is still due and still may go. Throws SendLaterError to be tried again later. */
  async function send(id: string): Promise<SendOutcome> {
    if (!isUuid(id)) return 'already-handled'
    const notify = settings.notify
    // An earlier attempt that got no answer may have reached Notify: ask first, before deciding anything again
    // (a withdrawal or cancellation since must not mark as unsent a message the person already has).
    const earlier = await repo.find(db, id)
    if (earlier === undefined || earlier.status !== 'scheduled') return 'already-handled'
    if (earlier.sendStartedAt !== null && notify !== undefined) {
      if (clock.now().getTime() - earlier.sendStartedAt.getTime() < SEND_LEASE_MS) {
        throw new SendLaterError('Another sender is sending this message')
      }
      const found = await notify.api.findByReference(id)
      if (!found.ok) throw new SendLaterError(`Could not ask Notify about an earlier attempt (${found.failure.kind})`)
      const taken = found.value[0]
      if (taken !== undefined) {
        await recordTaken(id, taken.id, taken.status, 'found at Notify after an unanswered attempt')
        return 'found-at-notify'
      }
    }
    const claimed = await claim(id)
    if (claimed.kind === 'done') return claimed.outcome
    const { message, recipient, personalisation } = claimed
    if (notify === undefined) throw new Error('unreachable: claimed for sending without a Notify key')
    const templateId = notify.templates[message.purpose][message.channel]
    const result =
      message.channel === 'sms'
        ? await notify.api.sendSms({ templateId, phoneNumber: recipient, personalisation, reference: message.id })
        : await notify.api.sendEmail({ templateId, emailAddress: recipient, personalisation, reference: message.id })
    if (result.ok) {
      await recordTaken(message.id, result.value, 'created', 'taken by Notify')
      return 'sent'
    }
    const failure = result.failure
    if (failure.kind === 'rejected') {
      await recordRejected(message, failure)
      return 'rejected'
    }
    // Not before a wait, whoever tries next (its job, the sweep, another process): a rate limit says how long;
    // a server error waits longer with each attempt.
    const wait =
      failure.kind === 'rate-limited'
        ? Math.min(failure.retryAfterMs ?? 60_000, 24 * 3_600_000)
        : Math.min(2 ** message.attempts * 30_000, 3_600_000)
    await db
      .transaction()
      .execute((tx) => repo.update(tx, message.id, { sendAfter: new Date(clock.now().getTime() + wait) }, clock.now()))
    if (failure.kind === 'rate-limited') throw new SendLaterError('Notify rate limit reached', failure.retryAfterMs)
    throw new SendLaterError(
      failure.outcomeUnknown ? 'No answer from Notify: it will be asked before trying again' : 'Notify server error',
    )
  }

  /**
   * Sends everything due, oldest first (the sweep: the safety net under each message's own job). A message that
   * must wait is left for the next sweep; one bad message never stops the rest.
   */
  async function sendDue(
    limit = 500,
    onError: (messageId: string, error: unknown) => void = () => {},
  ): Promise<Record<SendOutcome | 'later' | 'failed', number>> {
    const counts: Record<SendOutcome | 'later' | 'failed', number> = {
      sent: 0,
      outbox: 0,
      skipped: 0,
      rejected: 0,
      moved: 0,
      'already-handled': 0,
      'found-at-notify': 0,
      later: 0,
      failed: 0,
    }
    const ids = await repo.dueIds(db, clock.now(), limit)
    for (const id of ids) {
      try {
        counts[await send(id)] += 1
      } catch (error) {
        if (!(error instanceof SendLaterError)) {
          // Never one message stopping the rest: it stays scheduled, and the error goes to the sweep's log.
          counts.failed += 1
          onError(id, error)
          continue
        }
        counts.later += 1
        // A rate limit applies to every message: stop until the next sweep.
        if (error.message.includes('rate limit')) break
      }
    }
    return counts
  }

  /** A status from Notify (a callback or a poll), applied once and never backwards. */
  async function applyStatus(
    tx: Transaction<DB>,
    message: repo.Message,
    status: NotifyStatus,
    detail: string,
  ): Promise<boolean> {
    const current = message.status
    if (current === status) return false
    // Delivered and the failures are final; an earlier status arriving late changes nothing.
    if (isNotifyStatus(current) && (statusRank[current] === 4 || statusRank[status] < statusRank[current])) return false
    await repo.update(tx, message.id, { status }, clock.now(), detail)
    if (status === 'permanent-failure') {
      await checkContactDetails(
        tx,
        message,
        message.channel === 'sms'
          ? 'The phone number may be wrong or no longer used.'
          : 'The email address may be wrong or no longer used.',
      )
    }
    return true
  }

  /** A delivery receipt from Notify's callback. Unknown ids are ignored; repeats change nothing. */
  async function deliveryReceipt(receipt: {
    id: string
    status: string
    reference: string | null
  }): Promise<'applied' | 'ignored'> {
    if (!isUuid(receipt.id) || !isNotifyStatus(receipt.status)) return 'ignored'
    const status = receipt.status
    return db.transaction().execute(async (tx) => {
      let message = await repo.findByNotifyId(tx, receipt.id)
      // The answer to the send may have been lost: the reference is the message id.
      if (message === undefined && receipt.reference !== null && isUuid(receipt.reference)) {
        const byReference = await repo.lock(tx, receipt.reference)
        if (byReference !== undefined && byReference.notifyId === null && byReference.sendStartedAt !== null) {
          await repo.update(tx, byReference.id, { notifyId: receipt.id, sentAt: clock.now() }, clock.now())
          message = { ...byReference, notifyId: receipt.id }
        }
      }
      if (message === undefined) return 'ignored'
      return (await applyStatus(tx, message, status, 'delivery receipt')) ? 'applied' : 'ignored'
    })
  }

  /** Asks Notify for receipts of messages still on their way (when no callback is configured). */
  async function pollReceipts(limit = 200): Promise<number> {
    const notify = settings.notify
    if (notify === undefined) return 0
    const before = new Date(clock.now().getTime() - POLL_AFTER_MS)
    let changed = 0
    for (const message of await repo.inFlight(db, before, limit)) {
      if (message.notifyId === null) continue
      const answer = await notify.api.getStatus(message.notifyId)
      if (!answer.ok) {
        if (answer.failure.kind === 'rate-limited') break
        continue
      }
      const notification: NotifyNotification = answer.value
      const applied = await db.transaction().execute(async (tx) => {
        const locked = await repo.lock(tx, message.id)
        return locked === undefined ? false : applyStatus(tx, locked, notification.status, 'asked Notify')
      })
      if (applied) changed += 1
    }
    return changed
  }

  /** A text someone sent back: kept, matched to a person by number, and put on their clinician's worklist. */
  async function receivedText(text: {
    id: string
    sourceNumber: string
    message: string
    dateReceived: Date
  }): Promise<'recorded' | 'ignored'> {
    if (!isUuid(text.id)) return 'ignored'
    return db.transaction().execute(async (tx) => {
      const number = normaliseReplyNumber(text.sourceNumber)
      const sentTo = await repo.latestSentTo(tx, number)
      const replyId = await repo.insertReply(tx, {
        notifyId: text.id,
        personId: sentTo?.personId ?? null,
        siteId: sentTo?.siteId ?? null,
        sourceNumber: number,
        body: text.message.slice(0, 2000),
        receivedAt: text.dateReceived,
      })
      if (replyId === undefined || sentTo === undefined) return replyId === undefined ? 'ignored' : 'recorded'
      const appointment =
        sentTo.appointmentId === null ? undefined : await read.findAppointment(tx, sentTo.appointmentId)
      const clinician = appointment?.clinicianId ?? (await read.latestClinicianOf(tx, sentTo.personId))
      if (clinician !== undefined) {
        await deps.followUps.addFollowUp(
          tx,
          {
            kind: 'message-reply',
            personId: sentTo.personId,
            siteId: sentTo.siteId,
            appointmentId: null,
            assignedTo: clinician,
            reason: `Replied to a reminder: “${text.message.slice(0, 400)}”`,
          },
          SYSTEM,
        )
      }
      await audit.record(tx, SYSTEM, {
        action: 'create',
        entityType: 'message_reply',
        entityId: replyId,
        personId: sentTo.personId,
        siteId: sentTo.siteId,
        details: { matched: true },
      })
      return 'recorded'
    })
  }

  function mustRead(principal: Principal): void {
    if (!hasRole(principal, readerRoles))
      throw new ForbiddenError('Only hub clinicians and managers see messages to people.')
  }

  /** A person's messages, newest first, with their history and words; audited as a read of the person. */
  async function listForPerson(
    personId: string,
    actor: ActorContext,
    channel: Channel,
  ): Promise<{
    person: Awaited<ReturnType<PersonRecords['loadRecord']>>
    messages: MessageView[]
    naming: ServiceNaming
    replies: { id: string; body: string; receivedAt: Date }[]
    sending: boolean
  }> {
    const principal = principalOf(actor)
    mustRead(principal)
    return db.transaction().execute(async (tx) => {
      const person = await people.loadRecord(tx, personId, principal)
      const messages = await repo.listForPerson(tx, personId)
      const history = await repo.historyOf(
        tx,
        messages.map((m) => m.id),
      )
      const now = clock.now()
      const views: MessageView[] = []
      for (const message of messages) {
        let words: MessageView['preview']
        if (message.body !== null) {
          const [first = '', ...rest] = message.body.split('\n\n')
          words =
            message.channel === 'email'
              ? { subject: first, body: rest.join('\n\n') }
              : { subject: undefined, body: message.body }
        } else if (message.status === 'scheduled') {
          const ready = await readiness(tx, message, now)
          words = ready.ok ? preview(message.purpose, message.channel, ready.personalisation) : undefined
        }
        views.push({ ...message, history: history.get(message.id) ?? [], preview: words })
      }
      const naming = await repo.namingOf(tx, personId)
      const replies = await repo.repliesOf(tx, personId)
      await audit.record(tx, actor, {
        action: 'view',
        entityType: 'message',
        personId,
        siteId: person.siteId,
        details: { channel, count: messages.length },
      })
      return { person, messages: views, naming, replies, sending: settings.notify !== undefined }
    })
  }

  /** What a reminder for this appointment would say now, for staff to check before it goes. */
  async function previewFor(
    appointment: Pick<Appointment, 'id' | 'personId' | 'siteId' | 'startsAt'>,
    purpose: MessagePurpose,
    channel: MessageChannel,
  ): Promise<{ subject: string | undefined; body: string } | { problem: string }> {
    return db.transaction().execute(async (tx) => {
      const ready = await readiness(
        tx,
        {
          id: '00000000-0000-0000-0000-000000000000',
          personId: appointment.personId,
          siteId: appointment.siteId,
          appointmentId: appointment.id,
          purpose,
          channel,
          leadHours: 24,
          sendAfter: clock.now(),
          status: 'scheduled',
          statusAt: clock.now(),
          reason: null,
          failure: null,
          recipient: null,
          sendStartedAt: null,
          attempts: 0,
          notifyId: null,
          sentAt: null,
          body: null,
          createdAt: clock.now(),
        },
        clock.now(),
      )
      return ready.ok ? preview(purpose, channel, ready.personalisation) : { problem: ready.reason }
    })
  }

  async function setNaming(personId: string, naming: string, actor: ActorContext, channel: Channel): Promise<void> {
    const principal = principalOf(actor)
    mustRead(principal)
    if (!(serviceNamings as readonly string[]).includes(naming)) {
      throw new ValidationError([{ field: 'naming', message: 'Select how messages may name the service' }])
    }
    await db.transaction().execute(async (tx) => {
      const person = await people.loadRecord(tx, personId, principal)
      await repo.setNaming(tx, personId, naming as ServiceNaming, principal.userId, clock.now())
      await audit.record(tx, actor, {
        action: 'update',
        entityType: 'message_preference',
        entityId: personId,
        personId,
        siteId: person.siteId,
        details: { channel, naming },
      })
    })
  }

  /**
   * A site's messages by day in [from, to), and the missed-appointment rate of its appointments then with a
   * delivered reminder beside those without. Hub managers of the site only. Counts, no person: not audited as a read.
   * The missed rates are statistics about people's attendance, so they pass through disclosure control (a site is
   * below national level): counts of 1 to 7 suppressed, others rounded to 5, the rate from the unrounded counts.
   */
  async function siteSummary(siteCode: string, from: Date, to: Date, actor: ActorContext) {
    const principal = principalOf(actor)
    if (!hasRole(principal, ['hub_manager'])) throw new ForbiddenError('Only hub managers see a site’s messages.')
    return db.transaction().execute(async (tx) => {
      const site = await deps.findSite(tx, siteCode)
      if (site === undefined) throw new NotFoundError('No site has that code')
      assertSiteAccess(principal, site.id)
      return {
        site,
        days: await repo.summaryByDay(tx, site.id, from, to),
        missed: controlledMissedRates(await read.missedRates(tx, site.id, from, to)),
      }
    })
  }

  /** Messages kept in the outbox (no Notify key) at the principal's sites, newest first. */
  async function outbox(actor: ActorContext, channel: Channel) {
    const principal = principalOf(actor)
    mustRead(principal)
    return db.transaction().execute(async (tx) => {
      const messages = await repo.outboxAt(tx, principal.siteIds, 200)
      await audit.record(tx, actor, {
        action: 'view',
        entityType: 'message',
        details: {
          channel,
          purpose: 'outbox',
          count: messages.length,
          people: [...new Set(messages.map((m) => m.personId))],
        },
      })
      return messages
    })
  }

  return {
    events,
    contactEvents,
    send,
    sendDue,
    deliveryReceipt,
    pollReceipts,
    receivedText,
    listForPerson,
    previewFor,
    setNaming,
    siteSummary,
    outbox,
    sending: () => settings.notify !== undefined,
    callbackToken: () => settings.callbackToken,
    templatesInUse: () => templates,
  }
}

/** A reply's number as the texts were sent: UK numbers as 07…, so it matches the recipient stored. */
export function normaliseReplyNumber(number: string): string {
  const digits = number.replace(/[\s()+.-]/g, '')
  if (/^447\d{9}$/.test(digits)) return `0${digits.slice(2)}`
  if (/^00447\d{9}$/.test(digits)) return `0${digits.slice(4)}`
  return /^07\d{9}$/.test(digits) ? digits : number.trim()
}

export type { MessageStatus }

/** A missed-appointment rate as it may be shown: its counts and rate through disclosure control. */
export interface ControlledMissedRate {
  /** Appointments with an outcome, rounded to 5; null where suppressed. */
  appointments: number | null
  /** Of those, missed, rounded to 5; null where suppressed. */
  missed: number | null
  /** missed over appointments from the unrounded counts (0 to 1); null where suppressed or there are none. */
  rate: number | null
  suppressed: boolean
}

function controlledMissedRate(part: { due: number; missed: number }): ControlledMissedRate {
  const appointments = controlCount(part.due, 'sub-national')
  const missed = controlCount(part.missed, 'sub-national')
  const rate = controlRate(part.missed, part.due, 'sub-national')
  const suppressed = appointments.suppressed || missed.suppressed || rate.suppressed
  // A figure beside a suppressed one could give it away (a rate and its denominator give the numerator).
  if (suppressed) return { appointments: appointments.value, missed: null, rate: null, suppressed }
  return { appointments: appointments.value, missed: missed.value, rate: rate.value, suppressed }
}

function controlledMissedRates(rates: {
  reminded: { due: number; missed: number }
  notReminded: { due: number; missed: number }
}): { reminded: ControlledMissedRate; notReminded: ControlledMissedRate } {
  return { reminded: controlledMissedRate(rates.reminded), notReminded: controlledMissedRate(rates.notReminded) }
}
