/**
 * Reminders and other messages end to end on the service: scheduled in the appointment's transaction, sent through
 * the real notifications-node-client to a local server that speaks Notify's API, at most once, never in quiet
 * hours, with consent and contact details read again at send time.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { Kysely } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import { createServices } from '../../services.ts'
import { TEST_PASSWORD_COST } from '../staff/index.ts'
import { testConfig } from '../../../test/support/config.ts'
import { fixedClock } from '../../../test/support/clock.ts'
import { fileDatabase, resetDatabase } from '../../../test/support/database.ts'
import { givenConsent, givenPerson, givenSite, givenStaff } from '../../../test/support/builders.ts'
import { startFakeNotifyServer, type FakeNotifyServer } from '../../../test/support/fake-notify-server.ts'
import { createNotifyClient } from '../../platform/integrations/notify.client.ts'
import type { Config } from '../../config.ts'
import { createMessagesService, SendLaterError } from './messages.service.ts'
import { parseQuietHours } from './messages.schedule.ts'

const TEMPLATES = {
  reminder: { sms: '11111111-1111-4111-8111-111111111111', email: '22222222-2222-4222-8222-222222222222' },
  cancelled: { sms: '33333333-3333-4333-8333-333333333333', email: '44444444-4444-4444-8444-444444444444' },
  missed: { sms: '55555555-5555-4555-8555-555555555555', email: '66666666-6666-4666-8666-666666666666' },
}
const HOUR = 3_600_000

async function notifyServer(t: TestContext): Promise<FakeNotifyServer> {
  const server = await startFakeNotifyServer()
  t.after(() => server.close())
  return server
}

function configFor(notify: FakeNotifyServer | undefined, messages: Partial<Config['messages']> = {}): Config {
  return testConfig({
    messages: {
      leadHours: [24],
      quietHours: null,
      callbackToken: undefined,
      notify: notify === undefined ? undefined : { apiKey: notify.apiKey, baseUrl: notify.url, templates: TEMPLATES },
      ...messages,
    },
  })
}

interface Options {
  notify?: FakeNotifyServer
  now?: string
  messages?: Partial<Config['messages']>
  phone?: string | null
  email?: string | null
  consent?: string[]
}

async function setUp(t: TestContext, options: Options = {}) {
  const database = await fileDatabase()
  await resetDatabase(database)
  const db: Kysely<DB> = database.db
  const clock = fixedClock(options.now ?? '2026-11-20T10:00:00Z')
  const config = configFor(options.notify, options.messages)
  const services = createServices({ config, database, clock, passwordCost: TEST_PASSWORD_COST })
  const site = await givenSite(db, { name: 'Cambridge Probation Office' })
  await db
    .updateTable('site')
    .set({ address_line1: '12 High Street', town: 'Cambridge', postcode: 'CB1 1AA', phone: '01223 000000' })
    .where('id', '=', site.id)
    .execute()
  const clinician = await givenStaff(db, 'clinician', { sites: [site] })
  const person = await givenPerson(db, site, {
    given_name: 'Samuel',
    preferred_name: 'Sam',
    phone: options.phone === undefined ? '07700900111' : options.phone,
    email: options.email === undefined ? null : options.email,
  })
  for (const topic of options.consent ?? ['contact-by-sms']) {
    await givenConsent(db, person, clinician, { topic, recordedAt: new Date(clock.now().getTime() - HOUR) })
  }
  const actor = {
    principal: {
      userId: clinician.id,
      email: clinician.email,
      displayName: 'Test clinician',
      role: 'clinician' as const,
      siteIds: [site.id],
      organisationId: null,
      via: 'session' as const,
    },
    requestId: 'test',
  }
  const book = (startsAt: string, kind: 'clinic' | 'joint' = 'clinic') =>
    services.appointments.bookAppointment(
      person.id,
      {
        kind,
        startsAt: new Date(startsAt),
        durationMinutes: 30,
        location: 'Sexual health clinic, room 2',
        clinicianId: clinician.id,
        practitionerId: null,
      },
      actor,
      'page',
    )
  const messagesOf = () =>
    db
      .selectFrom('message')
      .selectAll()
      .where('person_id', '=', person.id)
      .orderBy('created_at')
      .orderBy('send_after')
      .execute()
  return { database, db, clock, config, services, site, clinician, person, actor, book, messagesOf }
}

test('booking schedules a reminder 24 hours before for the channel agreed, and it goes through Notify once', async (t) => {
  const notify = await notifyServer(t)
  const s = await setUp(t, { notify })
  const { appointment } = await s.book('2026-11-25T10:30:00Z')
  const [reminder, ...rest] = await s.messagesOf()
  assert.equal(rest.length, 0, 'one channel agreed (SMS), one lead time')
  assert.ok(reminder)
  assert.equal(reminder.purpose, 'reminder')
  assert.equal(reminder.channel, 'sms')
  assert.equal(reminder.lead_hours, 24)
  assert.equal(new Date(reminder.send_after).toISOString(), '2026-11-24T10:30:00.000Z')
  assert.equal(reminder.appointment_id, appointment.id)

  // Not yet due: nothing is sent.
  assert.equal((await s.services.messages.sendDue()).sent, 0)
  assert.equal(notify.notifications.length, 0)

  s.clock.set('2026-11-24T10:30:00Z')
  assert.equal((await s.services.messages.sendDue()).sent, 1)
  assert.equal((await s.services.messages.sendDue()).sent, 0, 'sent at most once')
  assert.equal(notify.notifications.length, 1)
  const sent = notify.notifications[0]
  assert.ok(sent)
  assert.equal(sent.type, 'sms')
  assert.equal(sent.recipient, '07700900111')
  assert.equal(sent.templateId, TEMPLATES.reminder.sms)
  assert.equal(sent.reference, reminder.id, 'the reference is the message id: no personal data')
  assert.deepEqual(sent.personalisation, {
    greeting: 'Hello Sam. ',
    with: '',
    time: '10:30am',
    day: 'Wednesday 25 November',
    place: '12 High Street, Cambridge CB1 1AA',
    phone: '01223 000000',
  })
  // Never a health detail: not the clinic, the location, nor the kind of appointment.
  assert.doesNotMatch(JSON.stringify(sent.personalisation), /clinic|health|probation|sexual|room/i)
  const [after] = await s.messagesOf()
  assert.equal(after?.status, 'created')
  assert.equal(after.notify_id, sent.id)
  assert.equal(
    after.body,
    'Hello Sam. You have an appointment at 10:30am on Wednesday 25 November at 12 High Street, Cambridge CB1 1AA. To change it call 01223 000000.',
  )
  const history = await s.db
    .selectFrom('message_status')
    .select('status')
    .where('message_id', '=', reminder.id)
    .orderBy('id')
    .execute()
  assert.deepEqual(
    history.map((h) => h.status),
    ['scheduled', 'created'],
  )
})

test('every lead time and every agreed channel gets a reminder; none without consent or a number', async (t) => {
  const s = await setUp(t, {
    messages: { leadHours: [48, 2] },
    email: 'sam@example.com',
    consent: ['contact-by-sms', 'contact-by-email'],
  })
  await s.book('2026-11-25T10:30:00Z')
  const rows = await s.messagesOf()
  assert.deepEqual(
    rows.map((r) => `${r.channel} ${String(r.lead_hours)} ${new Date(r.send_after).toISOString()}`).sort(),
    [
      'email 2 2026-11-25T08:30:00.000Z',
      'email 48 2026-11-23T10:30:00.000Z',
      'sms 2 2026-11-25T08:30:00.000Z',
      'sms 48 2026-11-23T10:30:00.000Z',
    ],
  )

  const none = await setUp(t, { consent: [] })
  await none.book('2026-11-25T10:30:00Z')
  assert.equal((await none.messagesOf()).length, 0, 'no consent: no reminder')
  const noPhone = await setUp(t, { phone: null })
  await noPhone.book('2026-11-25T10:30:00Z')
  assert.equal((await noPhone.messagesOf()).length, 0, 'no number: no reminder')
})

test('a booking that fails leaves no reminder behind', async (t) => {
  const s = await setUp(t)
  await s.book('2026-11-25T10:30:00Z')
  // The same clinician at the same time clashes: the booking is refused, and its reminder with it.
  await assert.rejects(s.book('2026-11-25T10:30:00Z'))
  assert.equal((await s.messagesOf()).length, 1)
})

test('quiet hours: a reminder due at night goes when they end, or before they start if the appointment is first', async (t) => {
  const quietHours = parseQuietHours('21:00-08:00')
  assert.ok(quietHours.ok)
  const s = await setUp(t, { messages: { quietHours: quietHours.value, leadHours: [24, 12] } })
  // 09:00 on Wednesday: 24 hours before is 09:00 Tuesday (fine); 12 hours before is 21:00 Tuesday (quiet) → 08:00.
  await s.book('2026-11-25T09:00:00Z')
  const times = (await s.messagesOf()).map((r) => `${String(r.lead_hours)} ${new Date(r.send_after).toISOString()}`)
  assert.deepEqual(times.sort(), ['12 2026-11-25T08:00:00.000Z', '24 2026-11-24T09:00:00.000Z'])

  // Booked at 22:00 for 10:00 tomorrow: inside the lead time and in quiet hours, so it goes at 08:00.
  const late = await setUp(t, { now: '2026-11-20T22:00:00Z', messages: { quietHours: quietHours.value } })
  await late.book('2026-11-21T10:00:00Z')
  const [row] = await late.messagesOf()
  assert.equal(new Date(row?.send_after ?? 0).toISOString(), '2026-11-21T08:00:00.000Z')
  // A sender running late never sends at night: at 23:30 the message waits for 08:00.
  late.clock.set('2026-11-21T08:00:00Z')
  await late.db
    .updateTable('message')
    .set({ send_after: new Date('2026-11-20T23:00:00Z') })
    .execute()
  late.clock.set('2026-11-20T23:30:00Z')
  assert.equal((await late.services.messages.sendDue()).moved, 1)
  const [moved] = await late.messagesOf()
  assert.equal(new Date(moved?.send_after ?? 0).toISOString(), '2026-11-21T08:00:00.000Z')
  assert.equal(moved?.status, 'scheduled')
})

test('consent withdrawn, or the number changed, after scheduling: honoured at send time', async (t) => {
  const notify = await notifyServer(t)
  const s = await setUp(t, { notify })
  await s.book('2026-11-25T10:30:00Z')
  await givenConsent(s.db, s.person, s.clinician, {
    topic: 'contact-by-sms',
    decision: 'withdrawn',
    recordedAt: new Date('2026-11-21T09:00:00Z'),
  })
  s.clock.set('2026-11-24T10:30:00Z')
  assert.equal((await s.services.messages.sendDue()).skipped, 1)
  assert.equal(notify.notifications.length, 0)
  const [row] = await s.messagesOf()
  assert.equal(row?.status, 'skipped')
  assert.equal(row.reason, 'no-consent-sms')

  const changed = await setUp(t, { notify })
  await changed.book('2026-11-25T10:30:00Z')
  await changed.db.updateTable('person').set({ phone: '07700900222' }).where('id', '=', changed.person.id).execute()
  changed.clock.set('2026-11-24T10:30:00Z')
  assert.equal((await changed.services.messages.sendDue()).sent, 1)
  assert.equal(notify.notifications.at(-1)?.recipient, '07700900222')
})

test('rescheduling replaces pending reminders; cancelling sends one cancellation only if a reminder went', async (t) => {
  const notify = await notifyServer(t)
  const s = await setUp(t, { notify })
  const { appointment } = await s.book('2026-11-25T10:30:00Z')
  const moved = await s.services.appointments.rescheduleAppointment(
    appointment.id,
    appointment.version,
    'RSSR',
    {
      kind: 'clinic',
      startsAt: new Date('2026-11-26T14:00:00Z'),
      durationMinutes: 30,
      location: null,
      clinicianId: s.clinician.id,
      practitionerId: null,
    },
    s.actor,
    'page',
  )
  assert.ok(moved.ok)
  const rows = await s.messagesOf()
  assert.deepEqual(
    rows.map((r) => `${r.appointment_id === appointment.id ? 'old' : 'new'} ${r.status} ${r.reason ?? ''}`),
    ['old cancelled appointment-moved', 'new scheduled '],
  )

  // Cancelled before its reminder went: nothing is sent at all.
  const cancelled = await s.services.appointments.cancelAppointment(
    moved.appointment.id,
    moved.appointment.version,
    'Person asked',
    s.actor,
    'page',
  )
  assert.ok(cancelled.ok)
  s.clock.set('2026-11-26T10:00:00Z')
  await s.services.messages.sendDue()
  assert.equal(notify.notifications.length, 0)
  assert.equal((await s.messagesOf()).filter((r) => r.purpose === 'cancelled').length, 0)

  // Cancelled after its reminder went: one cancellation message, and only one.
  const second = await setUp(t, { notify })
  const { appointment: booked } = await second.book('2026-11-25T10:30:00Z')
  second.clock.set('2026-11-24T10:30:00Z')
  await second.services.messages.sendDue()
  const done = await second.services.appointments.cancelAppointment(
    booked.id,
    booked.version,
    'Clinic closed',
    second.actor,
    'page',
  )
  assert.ok(done.ok)
  await second.services.messages.sendDue()
  await second.services.messages.sendDue()
  const purposes = notify.notifications.map((n) => n.templateId)
  assert.deepEqual(purposes, [TEMPLATES.reminder.sms, TEMPLATES.cancelled.sms])
})

test('a missed appointment sends "sorry we missed you" once, where the person agreed', async (t) => {
  const notify = await notifyServer(t)
  const s = await setUp(t, { notify })
  const { appointment } = await s.book('2026-11-20T11:00:00Z')
  s.clock.set('2026-11-20T12:00:00Z')
  const result = await s.services.appointments.recordOutcome(
    appointment.id,
    appointment.version,
    { outcome: 'AFTA', absenceReason: null, notes: null },
    s.actor,
    'page',
  )
  assert.ok(result.ok)
  await s.services.messages.sendDue()
  await s.services.messages.sendDue()
  const missed = notify.notifications.filter((n) => n.templateId === TEMPLATES.missed.sms)
  assert.equal(missed.length, 1)
  assert.equal(missed[0]?.personalisation?.['day'], 'Friday 20 November')
})

test('without a Notify key nothing leaves the service: the message is kept in the outbox, marked not sent', async (t) => {
  const s = await setUp(t)
  await s.book('2026-11-25T10:30:00Z')
  s.clock.set('2026-11-24T10:30:00Z')
  assert.equal((await s.services.messages.sendDue()).outbox, 1)
  const [row] = await s.messagesOf()
  assert.equal(row?.status, 'outbox')
  assert.equal(row.notify_id, null)
  assert.match(row.body ?? '', /^Hello Sam\. You have an appointment at 10:30am on Wednesday 25 November/)
  const kept = await s.services.messages.outbox(s.actor, 'page')
  assert.equal(kept.length, 1)
})

test('a send that times out is looked up by reference before it is tried again: sent once', async (t) => {
  const notify = await notifyServer(t)
  const s = await setUp(t, { notify })
  await s.book('2026-11-25T10:30:00Z')
  s.clock.set('2026-11-24T10:30:00Z')
  const [row] = await s.messagesOf()
  assert.ok(row)
  // A sender with a short timeout: Notify takes the message and never answers.
  const impatient = createMessagesService({
    db: s.db,
    clock: s.clock,
    audit: s.services.audit,
    consent: s.services.consent,
    people: s.services.people,
    siteContact: async (executor, siteId) =>
      (await s.services.sites.findContact(siteId, executor)) ?? { address: null, phone: null },
    findSite: (executor, code) => s.services.sites.findByCode(code, executor),
    followUps: s.services.appointments,
    settings: {
      leadHours: [24],
      quietHours: null,
      notify: {
        api: createNotifyClient({ apiKey: notify.apiKey, baseUrl: notify.url, timeoutMs: 300 }),
        templates: TEMPLATES,
      },
    },
  })
  notify.hangNextResponses(1)
  await assert.rejects(impatient.send(row.id), SendLaterError)
  assert.equal(notify.notifications.length, 1, 'Notify took it')
  // Within the lease another sender leaves it alone; after it, the sender asks Notify first and finds it.
  await assert.rejects(s.services.messages.send(row.id), SendLaterError)
  s.clock.advance(61_000)
  assert.equal(await s.services.messages.send(row.id), 'found-at-notify')
  assert.equal(notify.notifications.length, 1, 'never sent twice')
  const [after] = await s.messagesOf()
  assert.equal(after?.notify_id, notify.notifications[0]?.id)
})

test('a process killed between recording and sending: the next attempt asks Notify, finds nothing, and sends', async (t) => {
  const notify = await notifyServer(t)
  const s = await setUp(t, { notify })
  await s.book('2026-11-25T10:30:00Z')
  s.clock.set('2026-11-24T10:30:00Z')
  const [row] = await s.messagesOf()
  assert.ok(row)
  // What a sender leaves when it dies after recording the start of a send: the start, and nothing at Notify.
  await s.db
    .updateTable('message')
    .set({ send_started_at: new Date('2026-11-24T10:30:00Z'), attempts: 1 })
    .execute()
  s.clock.advance(61_000)
  assert.equal(await s.services.messages.send(row.id), 'sent')
  assert.equal(notify.notifications.length, 1)
  const lookups = notify.requests.filter((r) => r.method === 'GET' && r.query.has('reference'))
  assert.equal(lookups.length, 1, 'asked Notify by reference first')
})

test('two processes sending at once send it once', async (t) => {
  const notify = await notifyServer(t)
  const s = await setUp(t, { notify })
  await s.book('2026-11-25T10:30:00Z')
  s.clock.set('2026-11-24T10:30:00Z')
  const other = createServices({
    config: s.config,
    database: s.database,
    clock: s.clock,
    passwordCost: TEST_PASSWORD_COST,
  })
  const results = await Promise.allSettled([s.services.messages.sendDue(), other.messages.sendDue()])
  assert.ok(results.every((r) => r.status === 'fulfilled'))
  assert.equal(notify.notifications.length, 1)
})

test('429 and 500 wait and try again; a refused number is permanent and puts "check contact details" on the worklist', async (t) => {
  const notify = await notifyServer(t)
  const s = await setUp(t, { notify })
  await s.book('2026-11-25T10:30:00Z')
  s.clock.set('2026-11-24T10:30:00Z')
  const [row] = await s.messagesOf()
  assert.ok(row)
  notify.failNext(1, 429)
  await assert.rejects(s.services.messages.send(row.id), SendLaterError)
  // Nobody tries again before the wait: the sweep leaves it.
  const swept = await s.services.messages.sendDue()
  assert.equal(swept.sent + swept.later, 0)
  assert.equal(notify.requests.filter((r) => r.method === 'POST').length, 1)
  notify.failNext(1, 500)
  s.clock.advance(61_000)
  await assert.rejects(s.services.messages.send(row.id), SendLaterError)
  s.clock.advance(61_000)
  assert.equal(await s.services.messages.send(row.id), 'sent')
  assert.equal(notify.notifications.length, 1)

  // Refused because of the number (an international number this Notify service may not text): a ValidationError,
  // so "check contact details" goes to the person's clinician.
  const bad = await setUp(t, { notify, phone: '+33 6 12 34 56 78' })
  await bad.book('2026-11-25T10:30:00Z')
  bad.clock.set('2026-11-24T10:30:00Z')
  assert.equal((await bad.services.messages.sendDue()).rejected, 1)
  const work = await bad.db.selectFrom('follow_up').select(['kind', 'assigned_to', 'reason']).execute()
  assert.equal(work.length, 1)
  assert.equal(work[0]?.kind, 'check-contact-details')
  assert.equal(work[0].assigned_to, bad.clinician.id)

  // Refused for the service's own reason (a trial-mode service may send only to its team): shown as failed, but
  // nothing for the clinician to fix in the person's record.
  const trial = await setUp(t, { notify })
  notify.trialMode(['07700900999'])
  await trial.book('2026-11-25T10:30:00Z')
  trial.clock.set('2026-11-24T10:30:00Z')
  assert.equal((await trial.services.messages.sendDue()).rejected, 1)
  const [refused] = await trial.messagesOf()
  assert.equal(refused?.status, 'rejected')
  assert.ok((refused.failure ?? '').length > 0, 'the failure in plain words')
  assert.equal((await trial.db.selectFrom('follow_up').select('kind').execute()).length, 0)
})

test('a stored number that is not a mobile is not sent: skipped, and "check contact details" on the worklist', async (t) => {
  const notify = await notifyServer(t)
  const s = await setUp(t, { notify, phone: '01223 000000' })
  await s.book('2026-11-25T10:30:00Z')
  s.clock.set('2026-11-24T10:30:00Z')
  assert.equal((await s.services.messages.sendDue()).skipped, 1)
  assert.equal(notify.notifications.length, 0)
  const [row] = await s.messagesOf()
  assert.equal(row?.reason, 'phone-not-valid')
  const work = await s.db.selectFrom('follow_up').select(['kind']).execute()
  assert.deepEqual(
    work.map((w) => w.kind),
    ['check-contact-details'],
  )

  // A number stored with spaces is sent as Notify's form of it.
  const spaced = await setUp(t, { notify, phone: '07700 900 111' })
  await spaced.book('2026-11-25T10:30:00Z')
  spaced.clock.set('2026-11-24T10:30:00Z')
  assert.equal((await spaced.services.messages.sendDue()).sent, 1)
  assert.equal(notify.notifications.at(-1)?.recipient, '07700900111')
})

/** Changes the person's phone number through the people service (as the edit form does), at its current version. */
async function changePhone(s: Awaited<ReturnType<typeof setUp>>, phone: string): Promise<void> {
  const { version } = await s.db
    .selectFrom('person')
    .select('version')
    .where('id', '=', s.person.id)
    .executeTakeFirstOrThrow()
  const result = await s.services.people.updatePerson(
    s.person.id,
    version,
    (saved) => ({ ...saved, phone }),
    s.actor,
    'api',
  )
  assert.equal(result.ok, true)
}

test('a reminder skipped for a number that is not a mobile is sent once the number is put right, if still in time', async (t) => {
  const notify = await notifyServer(t)
  const s = await setUp(t, { notify, phone: '01223 000000' })
  await s.book('2026-11-25T10:30:00Z')
  s.clock.set('2026-11-24T10:30:00Z')
  assert.equal((await s.services.messages.sendDue()).skipped, 1)
  // Put right the next morning: the same reminder (no second one) is scheduled again, to go now.
  s.clock.set('2026-11-24T11:00:00Z')
  await changePhone(s, '07700900222')
  const [again, ...others] = await s.messagesOf()
  assert.deepEqual(others, [])
  assert.equal(again?.status, 'scheduled')
  assert.equal(again.reason, null)
  assert.equal(new Date(again.send_after).toISOString(), '2026-11-24T11:00:00.000Z')
  const history = await s.db
    .selectFrom('message_status')
    .select(['status', 'detail'])
    .where('message_id', '=', again.id)
    .orderBy('id')
    .execute()
  assert.deepEqual(
    history.map((h) => h.status),
    ['scheduled', 'skipped', 'scheduled'],
  )
  assert.equal(history.at(-1)?.detail, 'contact-details-changed')
  assert.equal((await s.services.messages.sendDue()).sent, 1)
  assert.equal(notify.notifications.at(-1)?.recipient, '07700900222')
  // Changed again after it went: nothing more is sent.
  await changePhone(s, '07700900333')
  assert.equal((await s.services.messages.sendDue()).sent, 0)
  assert.equal(notify.notifications.length, 1)

  // Put right after the appointment has started: nothing is scheduled for it.
  const late = await setUp(t, { notify, phone: '01223 000000' })
  await late.book('2026-11-25T10:30:00Z')
  late.clock.set('2026-11-24T10:30:00Z')
  await late.services.messages.sendDue()
  late.clock.set('2026-11-25T11:00:00Z')
  await changePhone(late, '07700900222')
  const [stillSkipped] = await late.messagesOf()
  assert.equal(stillSkipped?.status, 'skipped')
})

test('delivery receipts: applied once, never backwards; a permanent failure asks staff to check contact details', async (t) => {
  const notify = await notifyServer(t)
  const s = await setUp(t, { notify })
  await s.book('2026-11-25T10:30:00Z')
  s.clock.set('2026-11-24T10:30:00Z')
  await s.services.messages.sendDue()
  const notifyId = notify.notifications[0]?.id ?? ''
  const receipt = (status: string) => s.services.messages.deliveryReceipt({ id: notifyId, status, reference: null })
  assert.equal(await receipt('sending'), 'applied')
  assert.equal(await receipt('sending'), 'ignored', 'a repeat is harmless')
  assert.equal(await receipt('permanent-failure'), 'applied')
  assert.equal(await receipt('sending'), 'ignored', 'a late earlier status changes nothing')
  assert.equal(await receipt('delivered'), 'ignored', 'a final status stays')
  assert.equal(
    await s.services.messages.deliveryReceipt({
      id: '9a1c0c9e-0000-4000-8000-000000000000',
      status: 'delivered',
      reference: null,
    }),
    'ignored',
    'unknown ids are ignored',
  )
  const [row] = await s.messagesOf()
  assert.equal(row?.status, 'permanent-failure')
  const history = await s.db
    .selectFrom('message_status')
    .select('status')
    .where('message_id', '=', row.id)
    .orderBy('id')
    .execute()
  assert.deepEqual(
    history.map((h) => h.status),
    ['scheduled', 'created', 'sending', 'permanent-failure'],
  )
  const work = await s.db.selectFrom('follow_up').select(['kind']).execute()
  assert.deepEqual(
    work.map((w) => w.kind),
    ['check-contact-details'],
  )
})

test('without callbacks, receipts are polled from Notify', async (t) => {
  const notify = await notifyServer(t)
  const s = await setUp(t, { notify, phone: '07700900003' })
  await s.book('2026-11-25T10:30:00Z')
  s.clock.set('2026-11-24T10:30:00Z')
  await s.services.messages.sendDue()
  assert.equal(await s.services.messages.pollReceipts(), 0, 'not asked for in the first minutes')
  s.clock.advance(6 * 60_000)
  assert.equal(await s.services.messages.pollReceipts(), 1)
  const [row] = await s.messagesOf()
  assert.equal(row?.status, 'temporary-failure')
})

test('a reply is matched to the person by number and put on their clinician’s worklist, once', async (t) => {
  const notify = await notifyServer(t)
  const s = await setUp(t, { notify })
  await s.book('2026-11-25T10:30:00Z')
  s.clock.set('2026-11-24T10:30:00Z')
  await s.services.messages.sendDue()
  const reply = {
    id: 'b9a7e8a0-1111-4222-8333-444455556666',
    sourceNumber: '447700900111',
    message: 'Can I come at 2 instead?',
    dateReceived: new Date('2026-11-24T11:00:00Z'),
  }
  assert.equal(await s.services.messages.receivedText(reply), 'recorded')
  assert.equal(await s.services.messages.receivedText(reply), 'ignored', 'a repeated callback is harmless')
  const work = await s.db.selectFrom('follow_up').select(['kind', 'reason', 'assigned_to', 'person_id']).execute()
  assert.equal(work.length, 1)
  assert.equal(work[0]?.kind, 'message-reply')
  assert.equal(work[0].reason, 'Replied to a reminder: “Can I come at 2 instead?”')
  assert.equal(work[0].person_id, s.person.id)
})

test('the person’s choice of naming shows in the words; the default names neither', async (t) => {
  const s = await setUp(t)
  const { appointment } = await s.book('2026-11-25T10:30:00Z')
  const before = await s.services.messages.previewFor(appointment, 'reminder', 'sms')
  assert.ok('body' in before)
  assert.doesNotMatch(before.body, /probation|hub/i)
  await s.services.messages.setNaming(s.person.id, 'probation', s.actor, 'page')
  const after = await s.services.messages.previewFor(appointment, 'reminder', 'sms')
  assert.ok('body' in after)
  assert.match(after.body, /You have an appointment with probation at 10:30am/)
  await assert.rejects(s.services.messages.setNaming(s.person.id, 'everyone', s.actor, 'page'), /Select how messages/)
})

test('agreement to texts given after booking schedules the reminders of appointments still to come, once', async (t) => {
  const s = await setUp(t, { consent: [], messages: { leadHours: [48, 24] } })
  const { appointment: soon } = await s.book('2026-11-21T12:00:00Z')
  const { appointment: later } = await s.book('2026-11-27T10:30:00Z')
  const { appointment: cancelled } = await s.book('2026-11-28T10:30:00Z')
  await s.services.appointments.cancelAppointment(cancelled.id, cancelled.version, 'Clinic closed', s.actor, 'page')
  assert.equal((await s.messagesOf()).length, 0, 'nothing before agreement')

  const agree = (decidedOn: string) =>
    s.services.consent.recordDecision(
      s.person.id,
      {
        topic: 'contact-by-sms',
        organisationCode: null,
        decision: 'given',
        decidedOn,
        method: 'in-person',
        note: null,
      },
      s.actor,
      'page',
    )
  await agree('2026-11-20')
  const rows = await s.messagesOf()
  assert.deepEqual(
    rows
      .map(
        (r) =>
          `${r.appointment_id === soon.id ? 'soon' : r.appointment_id === later.id ? 'later' : 'other'} ${r.channel} ${String(r.lead_hours)} ${new Date(r.send_after).toISOString()}`,
      )
      .sort(),
    [
      // 26 hours away: the 48-hour reminder is due now, the 24-hour one at its time.
      'later sms 24 2026-11-26T10:30:00.000Z',
      'later sms 48 2026-11-25T10:30:00.000Z',
      'soon sms 24 2026-11-20T12:00:00.000Z',
      'soon sms 48 2026-11-20T10:00:00.000Z',
    ],
  )
  const created = await s.db
    .selectFrom('audit_event')
    .select('entity_id')
    .where('entity_type', '=', 'message')
    .where('action', '=', 'create')
    .execute()
  assert.equal(created.length, 4, 'each reminder scheduled is audited')

  // Said again (and a number changed) later: no second reminder for any lead time.
  await agree('2026-11-20')
  assert.equal((await s.messagesOf()).length, 4)
})

test('a mobile number added after booking schedules the reminders, where texts were agreed; a second change adds none', async (t) => {
  const s = await setUp(t, { phone: null })
  const { appointment } = await s.book('2026-11-25T10:30:00Z')
  assert.equal((await s.messagesOf()).length, 0, 'no number: no reminder at booking')
  const change = async (phone: string) => {
    const current = await s.db
      .selectFrom('person')
      .select('version')
      .where('id', '=', s.person.id)
      .executeTakeFirstOrThrow()
    const result = await s.services.people.updatePerson(
      s.person.id,
      current.version,
      (saved) => ({ ...saved, phone }),
      s.actor,
      'api',
    )
    assert.equal(result.ok, true)
  }
  await change('07700900222')
  const [reminder, ...rest] = await s.messagesOf()
  assert.deepEqual(rest, [])
  assert.ok(reminder)
  assert.equal(reminder.appointment_id, appointment.id)
  assert.equal(reminder.channel, 'sms')
  assert.equal(new Date(reminder.send_after).toISOString(), '2026-11-24T10:30:00.000Z')
  await change('07700900333')
  assert.equal((await s.messagesOf()).length, 1, 'the reminder reads the new number when it is sent')

  const noConsent = await setUp(t, { phone: null, consent: [] })
  await noConsent.book('2026-11-25T10:30:00Z')
  const version = await noConsent.db
    .selectFrom('person')
    .select('version')
    .where('id', '=', noConsent.person.id)
    .executeTakeFirstOrThrow()
  await noConsent.services.people.updatePerson(
    noConsent.person.id,
    version.version,
    (saved) => ({ ...saved, phone: '07700900222' }),
    noConsent.actor,
    'api',
  )
  assert.equal((await noConsent.messagesOf()).length, 0, 'a number without agreement to texts: no reminder')
})
