/**
 * The messages feature over HTTP: the person's Messages page and its naming form, the outbox, a site's summary
 * page and API, the person's messages API, and GOV.UK Notify's callbacks. Messages are sent by services built on
 * the same database and clock as the app, through a local fake of Notify's API.
 */
import { after, test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import type { Config } from '../../config.ts'
import { createServices } from '../../services.ts'
import { TEST_PASSWORD_COST } from '../staff/index.ts'
import { testConfig } from '../../../test/support/config.ts'
import { buildTestApp, json, page, signedInBrowser } from '../../../test/support/test-app.ts'
import {
  givenApiToken,
  givenAppointment,
  givenConsent,
  givenPerson,
  givenSite,
  givenStaff,
  type GivenStaff,
} from '../../../test/support/builders.ts'
import { startFakeNotifyServer, type FakeNotifyServer } from '../../../test/support/fake-notify-server.ts'

const TEMPLATES = {
  reminder: { sms: '11111111-1111-4111-8111-111111111111', email: '22222222-2222-4222-8222-222222222222' },
  cancelled: { sms: '33333333-3333-4333-8333-333333333333', email: '44444444-4444-4444-8444-444444444444' },
  missed: { sms: '55555555-5555-4555-8555-555555555555', email: '66666666-6666-4666-8666-666666666666' },
}
const TOKEN = 'x'.repeat(40)
const HOUR = 3_600_000
/** Booked at buildTestApp's 2026-11-20T10:00Z for the next day: its 24-hour reminder is due ten minutes on. */
const STARTS_AT = '2026-11-21T10:10:00Z'
const DUE_AT = '2026-11-20T10:10:00Z'

interface Problem {
  type: string
  title: string
  status: number
  detail: string
  errors?: { field: string; message: string }[]
}
interface MessageResource {
  id: string
  channel: string
  purpose: string
  appointmentId: string | null
  leadHours: number | null
  status: string
  statusHistory: { status: string; at: string }[]
  failure: string | null
  sendAfter: string
  sentAt: string | null
}
interface ControlledRate {
  appointments: number | null
  missed: number | null
  rate: number | null
  suppressed: boolean
}

interface Summary {
  site: string
  from: string
  to: string
  days: { day: string; sent: number; delivered: number; failed: number; notSent: number }[]
  missedAppointments: {
    withDeliveredReminder: ControlledRate
    withoutDeliveredReminder: ControlledRate
  }
}

// One fake Notify for the file, so the apps configured with it are the same configuration (and shared).
let fakeNotify: Promise<FakeNotifyServer> | undefined
function notifyServer(): Promise<FakeNotifyServer> {
  fakeNotify ??= startFakeNotifyServer()
  return fakeNotify
}
after(async () => {
  if (fakeNotify !== undefined) await (await fakeNotify).close()
})

async function messagesConfig(options: { notify?: boolean; callbackToken?: string }): Promise<Partial<Config>> {
  if (options.notify !== true && options.callbackToken === undefined) return {}
  const notify = options.notify === true ? await notifyServer() : undefined
  return {
    messages: {
      ...testConfig().messages,
      ...(notify === undefined ? {} : { notify: { apiKey: notify.apiKey, baseUrl: notify.url, templates: TEMPLATES } }),
      ...(options.callbackToken === undefined ? {} : { callbackToken: options.callbackToken }),
    },
  }
}

async function setup(t: TestContext, options: { notify?: boolean; callbackToken?: string; phone?: string } = {}) {
  const { app, database, clock, config } = await buildTestApp(t, { config: await messagesConfig(options) })
  const db: Kysely<DB> = database.db
  const services = createServices({ config, database, clock, passwordCost: TEST_PASSWORD_COST })
  const site = await givenSite(db, { name: 'Cambridge Probation Office' })
  await db
    .updateTable('site')
    .set({ address_line1: '12 High Street', town: 'Cambridge', postcode: 'CB1 1AA', phone: '01223 000000' })
    .where('id', '=', site.id)
    .execute()
  const clinician = await givenStaff(db, 'clinician', { sites: [site], name: 'Casey Clinician' })
  const manager = await givenStaff(db, 'hub_manager', { sites: [site], name: 'Morgan Manager' })
  const person = await givenPerson(db, site, {
    given_name: 'Samuel',
    preferred_name: 'Sam',
    family_name: 'Taylor',
    phone: options.phone ?? '07700900111',
  })
  await givenConsent(db, person, clinician, {
    topic: 'contact-by-sms',
    recordedAt: new Date(clock.now().getTime() - HOUR),
  })
  const actor = {
    principal: {
      userId: clinician.id,
      email: clinician.email,
      displayName: 'Casey Clinician',
      role: 'clinician' as const,
      siteIds: [site.id],
      organisationId: null,
      via: 'session' as const,
    },
    requestId: 'test',
  }
  const book = async (startsAt = STARTS_AT) =>
    (
      await services.appointments.bookAppointment(
        person.id,
        {
          kind: 'clinic',
          startsAt: new Date(startsAt),
          durationMinutes: 30,
          location: 'Room 2',
          clinicianId: clinician.id,
          practitionerId: null,
        },
        actor,
        'page',
      )
    ).appointment
  const messagesOf = () =>
    db.selectFrom('message').selectAll().where('person_id', '=', person.id).orderBy('created_at').execute()
  const urls = {
    messages: `/people/${person.id}/messages`,
    naming: `/people/${person.id}/messages/naming`,
    api: `/api/v1/people/${person.id}/messages`,
    site: `/sites/${encodeURIComponent(site.code)}/messages`,
    siteApi: `/api/v1/sites/${encodeURIComponent(site.code)}/messages/summary`,
  }
  return { app, db, clock, config, services, site, clinician, manager, person, actor, book, messagesOf, urls }
}

type Setup = Awaited<ReturnType<typeof setup>>

const signIn = (s: Setup, user: GivenStaff) => signedInBrowser(s.app, user.email, user.password)

function caller(app: FastifyInstance, token: string) {
  return (url: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } })
}

async function apiAs(s: Setup, user: GivenStaff) {
  const { token } = await givenApiToken(s.db, user, { clock: s.clock })
  return caller(s.app, token)
}

function callback(app: FastifyInstance, path: 'delivery' | 'received-text', body: unknown, token?: string) {
  return app.inject({
    method: 'POST',
    url: `/notify/callbacks/${path}`,
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    payload: JSON.stringify(body),
  })
}

function assertProblem(response: Awaited<ReturnType<FastifyInstance['inject']>>, status: number): Problem {
  assert.equal(response.statusCode, status, response.body)
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/)
  const problem = json<Problem>(response)
  assert.equal(problem.status, status)
  return problem
}

const messageViews = (db: Kysely<DB>, personId: string) =>
  db
    .selectFrom('audit_event')
    .select(['action', 'entity_type', 'person_id', 'details'])
    .where('entity_type', '=', 'message')
    .where('action', '=', 'view')
    .where('person_id', '=', personId)
    .orderBy('id')
    .execute()

test('the Messages page shows a scheduled reminder’s words, and without a Notify key warns and links the outbox', async (t) => {
  const s = await setup(t)
  await s.book()
  const browser = await signIn(s, s.clinician)
  const response = await browser.get(s.urls.messages)
  assert.equal(response.statusCode, 200)
  const p = page(response.body)
  assert.equal(p.h1(), 'Messages')
  assert.match(p.title(), /^Messages – Samuel Taylor/)
  const [card, ...others] = p.$('.govuk-summary-card').toArray()
  assert.ok(card)
  assert.equal(others.length, 0)
  assert.match(p.$(card).find('.govuk-summary-card__title').text(), /Appointment reminder|[Rr]eminder/)
  assert.match(p.$(card).find('.govuk-summary-card__title').text(), /24 hours before/)
  assert.equal(p.$(card).find('.govuk-tag').text().trim(), 'Waiting to be sent')
  assert.match(
    p.$(card).find('.hub-message-text').text(),
    /^Hello Sam\. You have an appointment at 10:10am on Saturday 21 November at 12 High Street, Cambridge CB1 1AA\./,
  )
  assert.match(p.text('.govuk-warning-text'), /no GOV\.UK Notify key: no message leaves it/)
  assert.ok(p.has('a[href="/messages/outbox"]'), 'the outbox is linked')

  // Due without a key: kept in the outbox, and shown there and on the page as not sent.
  s.clock.set(DUE_AT)
  assert.equal((await s.services.messages.sendDue()).outbox, 1)
  const kept = page((await browser.get(s.urls.messages)).body)
  assert.equal(kept.text('.govuk-summary-card .govuk-tag'), 'Not sent: in the outbox')
  const outbox = await browser.get('/messages/outbox')
  assert.equal(outbox.statusCode, 200)
  const o = page(outbox.body)
  assert.equal(o.h1(), 'Outbox: messages not sent')
  assert.match(o.text('table.hub-outbox'), /Samuel Taylor/)
  assert.match(o.text('table.hub-outbox'), /07700900111/)
  assert.match(o.text('table.hub-outbox'), /You have an appointment at 10:10am/)
})

test('with a Notify key the page has no warning, and after sending shows “Sent to GOV.UK Notify”', async (t) => {
  const s = await setup(t, { notify: true })
  await s.book()
  s.clock.set(DUE_AT)
  const browser = await signIn(s, s.clinician)
  const before = page((await browser.get(s.urls.messages)).body)
  assert.equal(before.has('.govuk-warning-text'), false)
  assert.equal(before.has('a[href="/messages/outbox"]'), false)
  assert.equal((await s.services.messages.sendDue()).sent, 1)
  const after = page((await browser.get(s.urls.messages)).body)
  assert.equal(after.text('.govuk-summary-card .govuk-tag'), 'Sent to GOV.UK Notify')
  assert.match(after.text('.hub-message-text'), /You have an appointment at 10:10am on Saturday 21 November/)
  assert.match(
    after.text('.govuk-summary-card .govuk-details__text'),
    /Waiting to be sent[\s\S]*Sent to GOV\.UK Notify/,
  )
})

test('a probation practitioner, a partner and an analyst are refused the page and the API (403)', async (t) => {
  const s = await setup(t)
  for (const role of ['probation_practitioner', 'partner', 'analyst'] as const) {
    const user = await givenStaff(s.db, role, { sites: [s.site] })
    const browser = await signIn(s, user)
    assert.equal((await browser.get(s.urls.messages)).statusCode, 403, `${role}: page`)
    assert.equal((await browser.post(s.urls.naming, { naming: 'probation' })).statusCode, 403, `${role}: naming`)
    assert.equal((await browser.get(s.urls.site)).statusCode, 403, `${role}: site page`)
    const call = await apiAs(s, user)
    assertProblem(await call(s.urls.api), 403)
    assertProblem(await call(`${s.urls.siteApi}?from=2026-11-01&to=2026-11-30`), 403)
  }
  assert.equal((await s.db.selectFrom('message_preference').selectAll().execute()).length, 0)
})

test('a clinician of another site is refused the person’s messages (403); an unknown person is 404', async (t) => {
  const s = await setup(t)
  const elsewhere = await givenSite(s.db, { name: 'Hammersmith' })
  const stranger = await givenStaff(s.db, 'clinician', { sites: [elsewhere] })
  const browser = await signIn(s, stranger)
  assert.equal((await browser.get(s.urls.messages)).statusCode, 403)
  assert.equal((await browser.post(s.urls.naming, { naming: 'probation' })).statusCode, 403)
  const call = await apiAs(s, stranger)
  assertProblem(await call(s.urls.api), 403)
  assert.equal((await s.db.selectFrom('message_preference').selectAll().execute()).length, 0)
  const own = await signIn(s, s.clinician)
  assert.equal((await own.get('/people/00000000-0000-4000-8000-000000000000/messages')).statusCode, 404)
})

test('naming: without the CSRF token 403; a bad value 400 with the error summary; a good one is saved', async (t) => {
  const s = await setup(t)
  const browser = await signIn(s, s.clinician)
  const form = page((await browser.get(s.urls.messages)).body)
  assert.equal(form.$('input[name="naming"]:checked').val(), 'neither', 'the default names neither')
  assert.equal((await browser.post(s.urls.naming, { naming: 'probation' }, { csrf: false })).statusCode, 403)
  assert.equal((await s.db.selectFrom('message_preference').selectAll().execute()).length, 0)

  const bad = await browser.post(s.urls.naming, { naming: 'everyone' })
  assert.equal(bad.statusCode, 400)
  const b = page(bad.body)
  assert.match(b.title(), /^Error: Messages – Samuel Taylor/)
  assert.doesNotMatch(b.title(), /Error: Error:/)
  assert.deepEqual(b.errorSummary(), [{ text: 'Select how messages may name the service', href: '#naming' }])
  assert.equal(b.inlineError('naming'), 'Select how messages may name the service')
  assert.equal((await browser.post(s.urls.naming, {})).statusCode, 400, 'none chosen')

  const good = await browser.post(s.urls.naming, { naming: 'probation' })
  assert.equal(good.statusCode, 302)
  assert.equal(good.headers.location, s.urls.messages)
  const saved = await s.db.selectFrom('message_preference').selectAll().executeTakeFirstOrThrow()
  assert.equal(saved.naming, 'probation')
  const shown = page((await browser.get(s.urls.messages)).body)
  assert.match(shown.text('.govuk-notification-banner'), /How messages name the service was saved/)
  assert.equal(shown.$('input[name="naming"]:checked').val(), 'probation')
  const audited = await s.db
    .selectFrom('audit_event')
    .select(['action', 'person_id'])
    .where('entity_type', '=', 'message_preference')
    .execute()
  assert.deepEqual(audited, [{ action: 'update', person_id: s.person.id }])
})

test('API: a sent message’s shape and history; a permanent failure gives plain words and a worklist item', async (t) => {
  const s = await setup(t, { notify: true })
  const appointment = await s.book()
  const call = await apiAs(s, s.clinician)
  const scheduled = await call(s.urls.api)
  assert.equal(scheduled.statusCode, 200, scheduled.body)
  const first = json<{ personId: string; messages: MessageResource[] }>(scheduled)
  assert.equal(first.personId, s.person.id)
  assert.equal(first.messages.length, 1)
  const [message] = first.messages
  assert.ok(message)
  assert.deepEqual(Object.keys(message).sort(), [
    'appointmentId',
    'channel',
    'failure',
    'id',
    'leadHours',
    'purpose',
    'sendAfter',
    'sentAt',
    'status',
    'statusHistory',
  ])
  assert.deepEqual(
    { ...message, id: '', statusHistory: message.statusHistory.map((h) => h.status) },
    {
      id: '',
      channel: 'sms',
      purpose: 'reminder',
      appointmentId: appointment.id,
      leadHours: 24,
      status: 'scheduled',
      statusHistory: ['scheduled'],
      failure: null,
      sendAfter: '2026-11-20T10:10:00.000Z',
      sentAt: null,
    },
  )

  s.clock.set(DUE_AT)
  assert.equal((await s.services.messages.sendDue()).sent, 1)
  const sent = json<{ messages: MessageResource[] }>(await call(s.urls.api)).messages[0]
  assert.equal(sent?.status, 'created')
  assert.equal(sent.sentAt, '2026-11-20T10:10:00.000Z')
  assert.equal(sent.failure, null)
  assert.deepEqual(sent.statusHistory, [
    { status: 'scheduled', at: '2026-11-20T10:00:00.000Z' },
    { status: 'created', at: '2026-11-20T10:10:00.000Z' },
  ])

  const row = (await s.messagesOf())[0]
  assert.ok(row?.notify_id)
  s.clock.advance(60_000)
  assert.equal(
    await s.services.messages.deliveryReceipt({ id: row.notify_id, status: 'permanent-failure', reference: row.id }),
    'applied',
  )
  const failed = json<{ messages: MessageResource[] }>(await call(s.urls.api)).messages[0]
  assert.equal(failed?.status, 'permanent-failure')
  assert.deepEqual(
    failed.statusHistory.map((h) => h.status),
    ['scheduled', 'created', 'permanent-failure'],
  )
  const work = await s.db.selectFrom('follow_up').select(['kind', 'assigned_to', 'reason']).execute()
  assert.deepEqual(
    work.map((w) => [w.kind, w.assigned_to]),
    [['check-contact-details', s.clinician.id]],
  )
  assert.match(work[0]?.reason ?? '', /^Check contact details: a text message could not be delivered/)
  const browser = await signIn(s, s.clinician)
  const shown = page((await browser.get(s.urls.messages)).body)
  assert.equal(shown.text('.govuk-summary-card .govuk-tag'), 'Not delivered: check contact details')
  assert.match(shown.text('.govuk-summary-card'), /does not exist or is no longer used/)
})

test('API: delivered has no failure; a message not sent says why in plain words', async (t) => {
  const s = await setup(t, { notify: true })
  await s.book()
  s.clock.advance(60_000)
  await s.book('2026-11-21T11:10:00Z')
  s.clock.set(DUE_AT)
  // The second reminder is due an hour later; the person withdraws before it goes.
  assert.equal((await s.services.messages.sendDue()).sent, 1)
  const delivered = (await s.messagesOf()).find((m) => m.status === 'created')
  assert.ok(delivered?.notify_id)
  await s.services.messages.deliveryReceipt({ id: delivered.notify_id, status: 'delivered', reference: null })
  await givenConsent(s.db, s.person, s.clinician, {
    topic: 'contact-by-sms',
    decision: 'withdrawn',
    recordedAt: new Date('2026-11-20T10:20:00Z'),
  })
  s.clock.set('2026-11-20T11:10:00Z')
  assert.equal((await s.services.messages.sendDue()).skipped, 1)
  const call = await apiAs(s, s.manager)
  const list = json<{ messages: MessageResource[] }>(await call(s.urls.api)).messages
  const byStatus = new Map(list.map((m) => [m.status, m]))
  assert.equal(byStatus.get('delivered')?.failure, null)
  assert.equal(
    byStatus.get('skipped')?.failure,
    'The person has not agreed to text messages (or withdrew their agreement).',
  )
  assert.equal(byStatus.get('skipped')?.sentAt, null)
  assert.deepEqual(
    list.map((m) => m.status),
    ['skipped', 'delivered'],
    'newest first',
  )
})

test('callbacks: with no token configured every call is 401, even with a token', async (t) => {
  const s = await setup(t)
  for (const [path, body] of [
    ['delivery', { id: '9a1c0c9e-0000-4000-8000-000000000000', status: 'delivered' }],
    [
      'received-text',
      {
        id: '9a1c0c9e-0000-4000-8000-000000000001',
        source_number: '447700900111',
        destination_number: '07700900000',
        message: 'Hello',
        date_received: '2026-11-20T10:00:00.000000Z',
      },
    ],
  ] as const) {
    assertProblem(await callback(s.app, path, body), 401)
    assertProblem(await callback(s.app, path, body, TOKEN), 401)
    assertProblem(await callback(s.app, path, body, ''), 401)
  }
  assert.equal((await s.db.selectFrom('message_reply').selectAll().execute()).length, 0)
})

test('callbacks: a wrong token is 401; an unknown id 204; a receipt sets the status once; bad bodies 400', async (t) => {
  const s = await setup(t, { notify: true, callbackToken: TOKEN })
  await s.book()
  s.clock.set(DUE_AT)
  await s.services.messages.sendDue()
  const [row] = await s.messagesOf()
  assert.ok(row?.notify_id)
  const receipt = {
    id: row.notify_id,
    reference: row.id,
    to: '07700900111',
    status: 'delivered',
    notification_type: 'sms',
  }

  const wrong = assertProblem(await callback(s.app, 'delivery', receipt, 'y'.repeat(40)), 401)
  assert.equal(typeof wrong.title, 'string')
  assertProblem(await callback(s.app, 'delivery', receipt, TOKEN.slice(1)), 401)
  assertProblem(await callback(s.app, 'delivery', receipt), 401)
  const basic = await s.app.inject({
    method: 'POST',
    url: '/notify/callbacks/delivery',
    headers: { 'content-type': 'application/json', authorization: `Basic ${TOKEN}` },
    payload: JSON.stringify(receipt),
  })
  assertProblem(basic, 401)
  assert.equal((await s.messagesOf())[0]?.status, 'created', 'nothing applied without the right token')

  const unknown = await callback(
    s.app,
    'delivery',
    { id: '9a1c0c9e-0000-4000-8000-000000000000', status: 'delivered' },
    TOKEN,
  )
  assert.equal(unknown.statusCode, 204)
  assert.equal(unknown.body, '')
  assert.equal((await callback(s.app, 'delivery', { id: 'not-a-uuid', status: 'delivered' }, TOKEN)).statusCode, 204)
  assert.equal((await callback(s.app, 'delivery', { ...receipt, status: 'made-up' }, TOKEN)).statusCode, 204)

  assert.equal((await callback(s.app, 'delivery', receipt, TOKEN)).statusCode, 204)
  assert.equal((await s.messagesOf())[0]?.status, 'delivered')
  assert.equal((await callback(s.app, 'delivery', receipt, TOKEN)).statusCode, 204, 'a repeat')
  assert.equal((await callback(s.app, 'delivery', { ...receipt, status: 'sending' }, TOKEN)).statusCode, 204)
  assert.equal((await s.messagesOf())[0]?.status, 'delivered', 'never backwards')
  const history = await s.db
    .selectFrom('message_status')
    .select('status')
    .where('message_id', '=', row.id)
    .orderBy('id')
    .execute()
  assert.deepEqual(
    history.map((h) => h.status),
    ['scheduled', 'created', 'delivered'],
  )

  const missingStatus = assertProblem(await callback(s.app, 'delivery', { id: row.notify_id }, TOKEN), 400)
  assert.ok(
    (missingStatus.errors ?? []).some((e) => e.field.includes('status')),
    `names the field: ${JSON.stringify(missingStatus)}`,
  )
  const missingNumber = assertProblem(
    await callback(
      s.app,
      'received-text',
      { id: row.notify_id, message: 'Hi', date_received: '2026-11-20T10:00:00Z' },
      TOKEN,
    ),
    400,
  )
  assert.ok(
    (missingNumber.errors ?? []).some((e) => e.field.includes('source_number')),
    `names the field: ${JSON.stringify(missingNumber)}`,
  )
  const badDate = assertProblem(
    await callback(
      s.app,
      'received-text',
      { id: row.notify_id, source_number: '447700900111', message: 'Hi', date_received: 'yesterday' },
      TOKEN,
    ),
    400,
  )
  assert.deepEqual(
    badDate.errors?.map((e) => e.field),
    ['date_received'],
  )
  // A wrong token is refused before the body is looked at.
  assertProblem(await callback(s.app, 'delivery', { id: row.notify_id }, 'y'.repeat(40)), 401)
})

test('callbacks: a received text is kept once, put on the clinician’s worklist and shown under Replies', async (t) => {
  const s = await setup(t, { notify: true, callbackToken: TOKEN })
  await s.book()
  s.clock.set(DUE_AT)
  await s.services.messages.sendDue()
  const text = {
    id: 'b9a7e8a0-1111-4222-8333-444455556666',
    source_number: '447700900111',
    destination_number: '07700900000',
    message: 'Can I come at 2 instead?',
    date_received: '2026-11-20T10:30:00.000000Z',
  }
  assert.equal((await callback(s.app, 'received-text', text, TOKEN)).statusCode, 204)
  assert.equal((await callback(s.app, 'received-text', text, TOKEN)).statusCode, 204, 'a repeat is harmless')
  const work = await s.db.selectFrom('follow_up').select(['kind', 'person_id', 'assigned_to', 'reason']).execute()
  assert.deepEqual(work, [
    {
      kind: 'message-reply',
      person_id: s.person.id,
      assigned_to: s.clinician.id,
      reason: 'Replied to a reminder: “Can I come at 2 instead?”',
    },
  ])
  assert.equal((await s.db.selectFrom('message_reply').selectAll().execute()).length, 1)
  // From a number the service never texted: kept, on no one's worklist.
  assert.equal(
    (
      await callback(
        s.app,
        'received-text',
        { ...text, id: 'b9a7e8a0-1111-4222-8333-444455556667', source_number: '447700900999' },
        TOKEN,
      )
    ).statusCode,
    204,
  )
  assert.equal((await s.db.selectFrom('follow_up').selectAll().execute()).length, 1)

  const browser = await signIn(s, s.clinician)
  const p = page((await browser.get(s.urls.messages)).body)
  const replies = p.$('h2').filter((_, h) => p.$(h).text().trim() === 'Replies')
  assert.equal(replies.length, 1)
  assert.deepEqual(
    p
      .$('#replies li')
      .map((_, li) => p.$(li).text().trim())
      .get(),
    ['20 November 2026 at 10:30am: “Can I come at 2 instead?”'],
  )
})

test('site summary: the hub manager sees counts by day and the two missed rates, on the page and the API', async (t) => {
  const s = await setup(t, { notify: true })
  // Two appointments with reminders: one delivered (attended), one failed (missed). And one with no reminder (missed).
  const reminded = await s.book()
  const failing = await s.book('2026-11-21T10:40:00Z')
  // Numbers are read at send time: the first goes to a good number, the second to one that does not exist.
  s.clock.set(DUE_AT)
  assert.equal((await s.services.messages.sendDue()).sent, 1)
  await s.db.updateTable('person').set({ phone: '07700900002' }).where('id', '=', s.person.id).execute()
  s.clock.set('2026-11-20T10:40:00Z')
  assert.equal((await s.services.messages.sendDue()).sent, 1)
  const rows = await s.messagesOf()
  const good = rows.find((r) => r.appointment_id === reminded.id)
  const bad = rows.find((r) => r.appointment_id === failing.id)
  assert.ok(good?.notify_id && bad?.notify_id)
  await s.services.messages.deliveryReceipt({ id: good.notify_id, status: 'delivered', reference: null })
  await s.services.messages.deliveryReceipt({ id: bad.notify_id, status: 'permanent-failure', reference: null })
  // Someone with no consent: no reminder.
  const other = await givenPerson(s.db, s.site, { given_name: 'Noel', family_name: 'Reminder', phone: '07700900444' })
  const unreminded = await s.services.appointments.bookAppointment(
    other.id,
    {
      kind: 'clinic',
      startsAt: new Date('2026-11-21T12:00:00Z'),
      durationMinutes: 30,
      location: null,
      clinicianId: s.clinician.id,
      practitionerId: null,
    },
    s.actor,
    'page',
  )
  s.clock.set('2026-11-21T13:00:00Z')
  const outcome = async (appointment: { id: string; version: number }, code: 'ATTC' | 'AFTA') => {
    const result = await s.services.appointments.recordOutcome(
      appointment.id,
      appointment.version,
      { outcome: code, absenceReason: null, notes: null },
      s.actor,
      'page',
    )
    assert.ok(result.ok, JSON.stringify(result))
  }
  const current = async (id: string) =>
    s.db.selectFrom('appointment').select(['id', 'version']).where('id', '=', id).executeTakeFirstOrThrow()
  await outcome(await current(reminded.id), 'ATTC')
  await outcome(await current(failing.id), 'AFTA')
  await outcome(await current(unreminded.appointment.id), 'AFTA')

  const call = await apiAs(s, s.manager)
  const response = await call(`${s.urls.siteApi}?from=2026-11-01&to=2026-11-30`)
  assert.equal(response.statusCode, 200, response.body)
  const summary = json<Summary>(response)
  assert.equal(summary.site, s.site.code)
  assert.deepEqual([summary.from, summary.to], ['2026-11-01', '2026-11-30'])
  const byDay = new Map(summary.days.map((d) => [d.day, d]))
  const day = byDay.get('2026-11-20')
  assert.ok(day, JSON.stringify(summary.days))
  assert.equal(day.sent, 2)
  assert.equal(day.delivered, 1)
  assert.equal(day.failed, 1)
  // 1 and 2 appointments: under disclosure control, not shown (the counts are 1 to 7).
  assert.deepEqual(summary.missedAppointments, {
    withDeliveredReminder: { appointments: null, missed: null, rate: null, suppressed: true },
    withoutDeliveredReminder: { appointments: null, missed: null, rate: null, suppressed: true },
  })

  const browser = await signIn(s, s.manager)
  const shown = await browser.get(`${s.urls.site}?from=2026-11-01&to=2026-11-30`)
  assert.equal(shown.statusCode, 200)
  const p = page(shown.body)
  assert.equal(p.h1(), 'Messages to people')
  assert.match(p.text('.govuk-summary-list'), /With a reminder delivered\s*Not shown: 1 to 7 appointments/)
  assert.match(p.text('.govuk-summary-list'), /Without one\s*Not shown: 1 to 7 appointments/)
  assert.match(p.text('#disclosure-control'), /rounded to the nearest 5/)
  const tableRows = p
    .$('table tbody tr')
    .map((_, tr) =>
      p
        .$(tr)
        .find('td, th')
        .map((__, c) => p.$(c).text().trim())
        .get()
        .join(' '),
    )
    .get()
  assert.ok(tableRows.includes('2026-11-20 2 1 1 0'), JSON.stringify(tableRows))
  // Without dates: the last 28 days to today.
  const fallback = page((await browser.get(s.urls.site)).body)
  assert.equal(fallback.value('from'), '2026-10-25')
  assert.equal(fallback.value('to'), '2026-11-21')
})

test('site summary: missed rates are rounded to 5 with the percentage from the exact counts, and 1 to 7 missed is hidden', async (t) => {
  const s = await setup(t)
  // 12 appointments without a reminder, 9 of them missed; 9 with a delivered reminder, 2 of them missed.
  const completed = async (index: number, outcome: 'ATTC' | 'AFTA' | 'UAAB', reminded: boolean) => {
    const appointment = await givenAppointment(s.db, {
      person: s.person,
      clinician: s.clinician,
      startsAt: `2026-11-${String(2 + (index % 20)).padStart(2, '0')}T${String(9 + Math.floor(index / 20)).padStart(2, '0')}:00:00Z`,
    })
    await s.db
      .updateTable('appointment')
      .set({ status: 'completed', outcome })
      .where('id', '=', appointment.id)
      .execute()
    if (reminded) {
      await s.db
        .insertInto('message')
        .values({
          person_id: s.person.id,
          site_id: s.site.id,
          appointment_id: appointment.id,
          purpose: 'reminder',
          channel: 'sms',
          lead_hours: 24,
          status: 'delivered',
          send_after: appointment.starts_at,
        })
        .execute()
    }
  }
  for (let i = 0; i < 12; i++) await completed(i, i < 8 ? 'AFTA' : i === 8 ? 'UAAB' : 'ATTC', false)
  for (let i = 12; i < 21; i++) await completed(i, i < 14 ? 'AFTA' : 'ATTC', true)

  const response = await (await apiAs(s, s.manager))(`${s.urls.siteApi}?from=2026-11-01&to=2026-11-30`)
  assert.equal(response.statusCode, 200, response.body)
  const { missedAppointments } = json<Summary>(response)
  assert.deepEqual(missedAppointments.withoutDeliveredReminder, {
    appointments: 10,
    missed: 10,
    rate: 9 / 12,
    suppressed: false,
  })
  // 9 appointments are shown (rounded to 10); 2 missed are not, nor the rate that would give them away.
  assert.deepEqual(missedAppointments.withDeliveredReminder, {
    appointments: 10,
    missed: null,
    rate: null,
    suppressed: true,
  })
  const shown = page((await (await signIn(s, s.manager)).get(`${s.urls.site}?from=2026-11-01&to=2026-11-30`)).body)
  assert.match(shown.text('.govuk-summary-list'), /Without one\s*10 of 10 missed \(75\.0%\)/)
  assert.match(
    shown.text('.govuk-summary-list'),
    /With a reminder delivered\s*10 appointments; how many were missed is not shown, as it is 1 to 7/,
  )
})

test('site summary: a clinician and another site’s manager are refused (403); bad dates are 400 naming the field', async (t) => {
  const s = await setup(t)
  const clinicianBrowser = await signIn(s, s.clinician)
  assert.equal((await clinicianBrowser.get(s.urls.site)).statusCode, 403)
  assertProblem(await (await apiAs(s, s.clinician))(`${s.urls.siteApi}?from=2026-11-01&to=2026-11-30`), 403)

  const elsewhere = await givenSite(s.db, { name: 'Hammersmith' })
  const otherManager = await givenStaff(s.db, 'hub_manager', { sites: [elsewhere] })
  const otherBrowser = await signIn(s, otherManager)
  assert.equal((await otherBrowser.get(s.urls.site)).statusCode, 403)
  assertProblem(await (await apiAs(s, otherManager))(`${s.urls.siteApi}?from=2026-11-01&to=2026-11-30`), 403)

  const call = await apiAs(s, s.manager)
  // Named as the other APIs name query fields: a bad format by the schema (querystring.from), the rest by the route.
  const fields = async (query: string) =>
    (assertProblem(await call(`${s.urls.siteApi}?${query}`), 400).errors ?? []).map((e) =>
      e.field.replace(/^querystring\./, ''),
    )
  assert.deepEqual(await fields('from=2026-13-01&to=2026-11-30'), ['from'])
  assert.deepEqual(await fields('from=2026-11-01&to=2026-02-30'), ['to'])
  assert.deepEqual(await fields('from=2026-11-30&to=2026-11-01'), ['to'])
  assert.deepEqual(await fields('from=2025-01-01&to=2026-11-30'), ['to'])
  assert.deepEqual(await fields('to=2026-11-30'), ['from'])
  assert.equal(
    (await call(`/api/v1/sites/no-such-site/messages/summary?from=2026-11-01&to=2026-11-30`)).statusCode,
    404,
  )

  const browser = await signIn(s, s.manager)
  const bad = await browser.get(`${s.urls.site}?from=31-11-2026&to=2026-11-30`)
  assert.equal(bad.statusCode, 400)
  const b = page(bad.body)
  assert.match(b.title(), /^Error: /)
  assert.deepEqual(b.errorSummary(), [{ text: 'Enter the first day as a date, like 2026-11-01', href: '#from' }])
  assert.equal(b.value('from'), '31-11-2026', 'what was typed is shown again')
  const backwards = page((await browser.get(`${s.urls.site}?from=2026-11-30&to=2026-11-01`)).body)
  assert.deepEqual(
    backwards.errorSummary().map((e) => e.href),
    ['#to'],
  )
})

test('the person page’s sections list Messages for a clinician, not for a probation practitioner', async (t) => {
  const s = await setup(t)
  const sections = async (user: GivenStaff) => {
    const browser = await signIn(s, user)
    const response = await browser.get(`/people/${s.person.id}`)
    assert.equal(response.statusCode, 200)
    const p = page(response.body)
    return p
      .$('#record-navigation a')
      .map((_, a) => [[p.$(a).text().trim(), p.$(a).attr('href') ?? '']])
      .get() as [string, string][]
  }
  assert.ok((await sections(s.clinician)).some(([text, href]) => text === 'Messages' && href === s.urls.messages))
  assert.ok((await sections(s.manager)).some(([text]) => text === 'Messages'))
  const practitioner = await givenStaff(s.db, 'probation_practitioner', { sites: [s.site] })
  const theirs = await sections(practitioner)
  assert.ok(theirs.length > 0)
  assert.equal(
    theirs.some(([text]) => text === 'Messages'),
    false,
  )
})

test('every read of a person’s messages, page or API, is audited against the person', async (t) => {
  const s = await setup(t)
  await s.book()
  const browser = await signIn(s, s.clinician)
  await browser.get(s.urls.messages)
  const call = await apiAs(s, s.manager)
  await call(s.urls.api)
  // A failed naming form shows the page again: a read too.
  await browser.post(s.urls.naming, { naming: 'everyone' })
  const events = await messageViews(s.db, s.person.id)
  assert.deepEqual(
    events.map((e) => [e.action, e.entity_type, e.person_id, (e.details as { channel?: string }).channel]),
    [
      ['view', 'message', s.person.id, 'page'],
      ['view', 'message', s.person.id, 'api'],
      ['view', 'message', s.person.id, 'page'],
    ],
  )
  assert.ok(events.every((e) => (e.details as { count?: number }).count === 1))
  // The outbox is a read too (of whoever is in it).
  await browser.get('/messages/outbox')
  const outboxReads = await s.db
    .selectFrom('audit_event')
    .select('details')
    .where('entity_type', '=', 'message')
    .where('action', '=', 'view')
    .where('person_id', 'is', null)
    .execute()
  assert.equal(outboxReads.length, 1)
})
