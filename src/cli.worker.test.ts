/** `hub worker`: the background jobs without the web server, stopped cleanly. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { fixedClock } from '../test/support/clock.ts'
import { emptyFileDatabase } from '../test/support/database.ts'
import { givenConsent, givenPerson, givenSite, givenStaff } from '../test/support/builders.ts'
import { buildTestServices } from '../test/support/services.ts'
import { TEST_PASSWORD_COST } from './features/staff/index.ts'
import { exitCodes, runCli } from './cli.ts'

test('the worker sends what is due (to the outbox without a Notify key) and stops when told', async () => {
  const database = await emptyFileDatabase()
  const { db } = database
  const clock = fixedClock('2026-11-20T10:00:00Z')
  const services = buildTestServices(database, clock)
  const site = await givenSite(db)
  await db
    .updateTable('site')
    .set({ address_line1: '1 Example Road', town: 'Cambridge', phone: '01632 960101' })
    .where('id', '=', site.id)
    .execute()
  const clinician = await givenStaff(db, 'clinician', { sites: [site] })
  const person = await givenPerson(db, site, { phone: '07700900111' })
  await givenConsent(db, person, clinician, { topic: 'contact-by-sms' })
  const actor = {
    principal: {
      userId: clinician.id,
      email: clinician.email,
      displayName: 'Test',
      role: 'clinician' as const,
      siteIds: [site.id],
      organisationId: null,
      via: 'session' as const,
    },
    requestId: 'test',
  }
  // Two hours away, inside the 24-hour lead time: due at once.
  await services.appointments.bookAppointment(
    person.id,
    {
      kind: 'clinic',
      startsAt: new Date('2026-11-20T12:00:00Z'),
      durationMinutes: 30,
      location: null,
      clinicianId: clinician.id,
      practitionerId: null,
    },
    actor,
    'page',
  )

  const stop = new AbortController()
  let stderr = ''
  const running = runCli(['worker'], {
    env: { APP_ENV: 'test' },
    stdout: { write: () => true },
    stderr: { write: (s: string) => (stderr += s) },
    database,
    passwordCost: TEST_PASSWORD_COST,
    clock,
    signal: stop.signal,
  })
  let status: string | undefined
  for (let i = 0; i < 150 && status !== 'outbox'; i++) {
    await sleep(200)
    status = (await db.selectFrom('message').select('status').executeTakeFirst())?.status
  }
  stop.abort()
  assert.equal(await running, exitCodes.ok)
  assert.equal(status, 'outbox', 'the worker sent the due message (into the outbox: no Notify key)')
  assert.match(stderr, /Worker started/)
  assert.match(stderr, /Worker stopping/)
})
