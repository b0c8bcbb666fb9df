/**
 * Booking enqueues its reminder's send job in the same transaction, and the app's own job runner sends it through
 * Notify; a booking that fails enqueues nothing.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'kysely'
import { buildApp, jobRunnerOf } from '../../app.ts'
import { TEST_PASSWORD_COST } from '../staff/index.ts'
import { fixedClock } from '../../../test/support/clock.ts'
import { testConfig } from '../../../test/support/config.ts'
import { createTestDatabase } from '../../../test/support/database.ts'
import { givenApiToken, givenConsent, givenPerson, givenSite, givenStaff } from '../../../test/support/builders.ts'
import { startFakeNotifyServer } from '../../../test/support/fake-notify-server.ts'
import { MESSAGE_SEND_QUEUE } from './messages.jobs.ts'

const TEMPLATE = '11111111-1111-4111-8111-111111111111'
const templates = {
  reminder: { sms: TEMPLATE, email: TEMPLATE },
  cancelled: { sms: TEMPLATE, email: TEMPLATE },
  missed: { sms: TEMPLATE, email: TEMPLATE },
}

test('booking enqueues the reminder job in its transaction; the app’s runner sends it; a refused booking enqueues none', async (t) => {
  const notify = await startFakeNotifyServer()
  t.after(() => notify.close())
  const database = await createTestDatabase()
  const clock = fixedClock('2026-11-20T10:00:00Z')
  const config = testConfig({
    jobsEnabled: true,
    messages: {
      leadHours: [24],
      quietHours: null,
      callbackToken: undefined,
      notify: { apiKey: notify.apiKey, baseUrl: notify.url, templates },
    },
  })
  const app = await buildApp(config, { database, clock, passwordCost: TEST_PASSWORD_COST, logger: false })
  const runner = jobRunnerOf(app)
  t.after(async () => {
    try {
      await app.close()
      if (database.kind === 'postgres' && runner?.schema !== undefined) {
        await sql`drop schema if exists ${sql.id(runner.schema)} cascade`.execute(database.db)
      }
    } finally {
      await database.close()
    }
  })
  assert.ok(runner)
  const { db } = database
  const site = await givenSite(db)
  await db
    .updateTable('site')
    .set({ address_line1: '1 Example Road', town: 'Cambridge', phone: '01632 960101' })
    .where('id', '=', site.id)
    .execute()
  const clinician = await givenStaff(db, 'clinician', { sites: [site] })
  const { token } = await givenApiToken(db, clinician, { clock })
  const person = await givenPerson(db, site, { phone: '07700900111' })
  await givenConsent(db, person, clinician, { topic: 'contact-by-sms' })
  const book = () =>
    app.inject({
      method: 'POST',
      url: `/api/v1/people/${person.id}/appointments`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({
        kind: 'clinic',
        startsAt: '2026-11-21T09:00:00Z',
        durationMinutes: 30,
        clinicianId: clinician.id,
      }),
    })
  const jobs = async () => {
    const schema = runner.schema ?? 'pgboss'
    const { rows } = await sql<{
      data: { messageId: string }
    }>`select data from ${sql.table(`${schema}.job`)} where name = ${MESSAGE_SEND_QUEUE}`.execute(db)
    return rows
  }

  assert.equal((await book()).statusCode, 201)
  const [message] = await db.selectFrom('message').select(['id']).execute()
  assert.ok(message)
  const enqueued = await jobs()
  assert.deepEqual(
    enqueued.map((j) => j.data.messageId),
    [message.id],
    'one job, naming the message only',
  )

  // The same clinician at the same time clashes: refused, and neither a message nor a job is left behind.
  assert.equal((await book()).statusCode, 409)
  assert.equal((await db.selectFrom('message').select('id').execute()).length, 1)
  assert.equal((await jobs()).length, 1)

  // Due at once (the appointment is within 24 hours): the runner sends it.
  for (let i = 0; i < 100 && notify.notifications.length === 0; i++) await sleep(200)
  assert.equal(notify.notifications.length, 1)
  assert.equal(notify.notifications[0]?.reference, message.id)
})
