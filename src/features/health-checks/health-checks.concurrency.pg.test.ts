import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp, page, signedInBrowser } from '../../../test/support/test-app.ts'
import {
  givenApiToken,
  givenCheckNeed,
  givenHealthCheck,
  givenPerson,
  givenReferralRow,
  givenService,
  givenSite,
  givenStaff,
} from '../../../test/support/builders.ts'
import { requirePostgres, whileHeldOpen } from '../../../test/support/concurrency.ts'

requirePostgres()

async function setup(t: TestContext) {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db)
  const user = await givenStaff(db, 'clinician', { sites: [site] })
  const person = await givenPerson(db, site)
  return { app, db, site, user, owner: { id: person.id, site_id: site.id } }
}

test('a referral made while a dismissal is being decided is seen: the dismissal is refused (409)', async (t) => {
  const { app, db, site, user, owner } = await setup(t)
  const need = await givenCheckNeed(db, { person: owner, clinician: user, status: 'confirmed' })
  const service = await givenService(db, site, { kind: 'talking-therapies', name: 'Riverside Talking Therapies' })
  const { token } = await givenApiToken(db, user)
  const response = await whileHeldOpen(
    db,
    (tx) => givenReferralRow(tx, { need, service, createdBy: user, status: 'sent' }),
    () =>
      app.inject({
        method: 'POST',
        url: `/api/v1/needs/${need.id}/decision`,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ decision: 'dismissed', reason: 'Not needed after all' }),
      }),
  )
  assert.equal(response.statusCode, 409, response.body)
  assert.match(response.body, /open referral to Riverside Talking Therapies/)
  const row = await db.selectFrom('need').select('status').where('id', '=', need.id).executeTakeFirstOrThrow()
  assert.equal(row.status, 'confirmed', 'no dismissed need is left under an open referral')
})

test('a referral made while the need is being dismissed waits for the decision and is refused', async (t) => {
  const { app, db, site, user, owner } = await setup(t)
  const need = await givenCheckNeed(db, { person: owner, clinician: user, status: 'confirmed' })
  const service = await givenService(db, site, { kind: 'talking-therapies', name: 'Riverside Talking Therapies' })
  const { token } = await givenApiToken(db, user)
  const response = await whileHeldOpen(
    db,
    (tx) =>
      tx
        .updateTable('need')
        .set({ status: 'dismissed', reason: 'Not needed after all' })
        .where('id', '=', need.id)
        .execute(),
    () =>
      app.inject({
        method: 'POST',
        url: `/api/v1/people/${owner.id}/referrals`,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ needId: need.id, serviceId: service.id, reason: 'Low mood for months' }),
      }),
  )
  assert.equal(response.statusCode, 422, response.body)
  const referrals = await db.selectFrom('referral').select('id').where('need_id', '=', need.id).execute()
  assert.deepEqual(referrals, [], 'no referral is left open on a dismissed need')
})

test('a completion that loses a race to a save proposes no needs and writes no history', async (t) => {
  const { app, db, user, owner } = await setup(t)
  const check = await givenHealthCheck(db, { person: owner, clinician: user, flag: true })
  const browser = await signedInBrowser(app, user.email, user.password)
  await browser.get(`/health-checks/${check.id}/summary`)
  const response = await whileHeldOpen(
    db,
    (tx) =>
      tx
        .updateTable('health_check')
        .set((eb) => ({ version: eb('version', '+', 1) }))
        .where('id', '=', check.id)
        .execute(),
    () => browser.post(`/health-checks/${check.id}/complete`, { version: '1' }),
  )
  assert.equal(response.statusCode, 409)
  assert.match(page(response.body).text('.govuk-error-summary'), /Someone else saved this health check/)
  assert.deepEqual(await db.selectFrom('need').select('id').execute(), [], 'no need proposed')
  assert.deepEqual(await db.selectFrom('need_event').select('id').execute(), [], 'no history written')
  const row = await db.selectFrom('health_check').select('status').where('id', '=', check.id).executeTakeFirstOrThrow()
  assert.equal(row.status, 'in-progress')
})

test('a section save that loses a race to another save stores none of its answers', async (t) => {
  const { app, db, user, owner } = await setup(t)
  const check = await givenHealthCheck(db, { person: owner, clinician: user })
  const browser = await signedInBrowser(app, user.email, user.password)
  await browser.get(`/health-checks/${check.id}/sections/phq-2`)
  const response = await whileHeldOpen(
    db,
    (tx) =>
      tx
        .updateTable('health_check')
        .set((eb) => ({ version: eb('version', '+', 1) }))
        .where('id', '=', check.id)
        .execute(),
    () =>
      browser.post(`/health-checks/${check.id}/sections/phq-2`, {
        version: '1',
        'phq2-1': 'nearly-every-day',
        'phq2-2': 'nearly-every-day',
      }),
  )
  assert.equal(response.statusCode, 409, response.body.slice(0, 300))
  const stored = await db.selectFrom('health_check_response').select('instrument_code').execute()
  assert.deepEqual(stored, [], 'the losing save wrote no answers (it was told to check and save again)')
})
