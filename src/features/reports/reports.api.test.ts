/**
 * Continuity of care on hand-computed cases, with disclosure control: counts of 1 to 7 suppressed and others rounded
 * to 5 for a site and for all sites together, the rate from unrounded counts.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import { apiCaller, buildTestApp, json, page, signedInBrowser } from '../../../test/support/test-app.ts'
import {
  givenApiToken,
  givenNeed,
  givenPerson,
  givenReferral,
  givenService,
  givenSite,
  givenStaff,
} from '../../../test/support/builders.ts'
import { addDays } from '../../platform/time/uk-time.ts'

interface Continuity {
  site: string | null
  released: number | null
  withTreatmentNeed: number | null
  engagedWithin21Days: number | null
  rate: number | null
  suppressed: boolean
}

const caller = (app: FastifyInstance, token: string) => {
  const call = apiCaller(app, token)
  return (url: string) => call('GET', url)
}

/**
 * One person released on `releasedOn`, optionally with a drug need identified on `needOn` and a drug and alcohol
 * referral whose first appointment was attended on `attendedOn`.
 */
async function released(
  db: Kysely<DB>,
  site: { id: string },
  staff: { id: string },
  service: { id: string },
  releasedOn: string,
  options: { needOn?: string; attendedOn?: string } = {},
) {
  const person = await givenPerson(db, site)
  await db
    .insertInto('custody_episode')
    .values({
      person_id: person.id,
      prison_name: 'HMP Leicester',
      prison_code: 'LEI',
      prison_number: 'A1234BC',
      actual_release_date: releasedOn,
      created_by: staff.id,
      updated_by: staff.id,
    })
    .execute()
  if (options.needOn === undefined) return
  const need = await givenNeed(db, person, staff, { category: 'drugs', identifiedOn: options.needOn })
  if (options.attendedOn === undefined) return
  await givenReferral(db, {
    person,
    need,
    service,
    createdBy: staff,
    status: 'first-appointment-attended',
    createdOn: options.needOn,
    sentOn: options.attendedOn,
  })
}

async function setup(t: TestContext) {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const big = await givenSite(db, { code: 'big', name: 'Big site' })
  const small = await givenSite(db, { code: 'sml', name: 'Small site' })
  const staff = await givenStaff(db, 'clinician', { sites: [big, small] })
  const bigService = await givenService(db, big, { kind: 'drug-alcohol', name: 'Turning Point' })
  const smallService = await givenService(db, small, { kind: 'drug-alcohol', name: 'Change Grow Live' })
  // Big site, October 2026: 11 released in the period, 10 with a need before release.
  //  8 engaged within 21 days (day 0 to day 21), 1 on day 22, 1 never; 1 with no need at all.
  for (let i = 0; i < 8; i++) {
    const releaseDate = `2026-10-${String(1 + i).padStart(2, '0')}`
    await released(db, big, staff, bigService, releaseDate, {
      needOn: addDays(releaseDate, -10),
      attendedOn: addDays(releaseDate, i === 0 ? 0 : 21),
    })
  }
  await released(db, big, staff, bigService, '2026-10-10', { needOn: '2026-09-01', attendedOn: '2026-11-01' })
  await released(db, big, staff, bigService, '2026-10-11', { needOn: '2026-09-01' })
  await released(db, big, staff, bigService, '2026-10-12')
  // Not in the cohort or not in the denominator: released outside the period; a need found only after release;
  // treatment attended before release does not count as engaged after it.
  await released(db, big, staff, bigService, '2026-09-30', { needOn: '2026-09-01', attendedOn: '2026-10-05' })
  await released(db, big, staff, bigService, '2026-10-20', { needOn: '2026-10-25', attendedOn: '2026-10-28' })
  await released(db, big, staff, bigService, '2026-10-21', { needOn: '2026-09-01', attendedOn: '2026-10-19' })
  // Small site: 3 released with a need, 2 engaged.
  await released(db, small, staff, smallService, '2026-10-05', { needOn: '2026-09-01', attendedOn: '2026-10-06' })
  await released(db, small, staff, smallService, '2026-10-06', { needOn: '2026-09-01', attendedOn: '2026-10-07' })
  await released(db, small, staff, smallService, '2026-10-07', { needOn: '2026-09-01' })
  const analyst = await givenStaff(db, 'analyst')
  const call = caller(app, (await givenApiToken(db, analyst)).token)
  return { app, db, big, small, analyst, call }
}

const url = (site?: string) =>
  `/api/v1/reports/continuity-of-care?${site === undefined ? '' : `site=${site}&`}from=2026-10-01&to=2026-10-31`

test('a site: hand-computed counts rounded to 5, the rate from unrounded counts', async (t) => {
  const { call } = await setup(t)
  const response = await call(url('big'))
  assert.equal(response.statusCode, 200, response.body)
  const body = json<Continuity>(response)
  // Released 13 (11 + the need-after-release one + the attended-before-release one), with a need 11, engaged 8.
  assert.deepEqual(body, {
    site: 'big',
    from: '2026-10-01',
    to: '2026-10-31',
    released: 15,
    withTreatmentNeed: 10,
    engagedWithin21Days: 10,
    rate: 8 / 11,
    suppressed: false,
  })
})

test('a small site: counts of 1 to 7 and the rate on them are suppressed, and it says so', async (t) => {
  const { call } = await setup(t)
  const body = json<Continuity>(await call(url('sml')))
  assert.deepEqual(
    [body.released, body.withTreatmentNeed, body.engagedWithin21Days, body.rate, body.suppressed],
    [null, null, null, null, true],
  )
})

test('all sites together are controlled too, so a suppressed site cannot be worked out by subtraction', async (t) => {
  const { call } = await setup(t)
  const body = json<Continuity>(await call(url()))
  // Exactly 16 released, 14 with a need, 10 engaged.
  assert.deepEqual(
    [body.site, body.released, body.withTreatmentNeed, body.engagedWithin21Days, body.rate, body.suppressed],
    [null, 15, 15, 10, 10 / 14, false],
  )
})

test('bad input is 400 naming the field; clinicians and partners are refused; a hub manager only at their sites', async (t) => {
  const { app, db, big, small, call } = await setup(t)
  const bad = await call('/api/v1/reports/continuity-of-care?site=nope&from=2026-02-30&to=2026-01-01')
  assert.equal(bad.statusCode, 400)
  assert.deepEqual(
    json<{ errors: { field: string }[] }>(bad).errors.map((e) => e.field),
    ['from'],
  )
  const backwards = await call('/api/v1/reports/continuity-of-care?from=2026-10-31&to=2026-10-01')
  assert.deepEqual(
    json<{ errors: { field: string }[] }>(backwards).errors.map((e) => e.field),
    ['to'],
  )
  const unknown = await call('/api/v1/reports/continuity-of-care?site=nope&from=2026-10-01&to=2026-10-31')
  assert.deepEqual(
    json<{ errors: { field: string }[] }>(unknown).errors.map((e) => e.field),
    ['site'],
  )
  assert.equal((await call('/api/v1/reports/continuity-of-care?from=2026-10-01')).statusCode, 400)
  for (const role of ['clinician', 'partner', 'probation_practitioner', 'auditor'] as const) {
    const staff = await givenStaff(db, role, { sites: [big] })
    assert.equal((await caller(app, (await givenApiToken(db, staff)).token)(url('big'))).statusCode, 403, role)
  }
  const manager = await givenStaff(db, 'hub_manager', { sites: [small] })
  const asManager = caller(app, (await givenApiToken(db, manager)).token)
  assert.equal((await asManager(url('sml'))).statusCode, 200)
  assert.equal((await asManager(url('big'))).statusCode, 403)
  const events = await db.selectFrom('audit_event').select(['details']).where('entity_type', '=', 'report').execute()
  assert.ok(events.length >= 1)
})

test('the page shows the figures with * for suppressed ones and the rule explained; bad dates get an error summary', async (t) => {
  const { app, analyst } = await setup(t)
  const browser = await signedInBrowser(app, analyst.email, analyst.password)
  const small = page(
    (
      await browser.get(
        '/reports/continuity-of-care?site=sml&from-day=1&from-month=10&from-year=2026&to-day=31&to-month=10&to-year=2026',
      )
    ).body,
  )
  assert.equal(small.h1(), 'Continuity of care after release')
  assert.match(small.text('#continuity'), /Released from prison\s+\*/)
  assert.match(small.text('#disclosure-rule'), /shown as \*/)
  const big = page(
    (
      await browser.get(
        '/reports/continuity-of-care?site=big&from-day=1&from-month=10&from-year=2026&to-day=31&to-month=10&to-year=2026',
      )
    ).body,
  )
  assert.match(big.text('#continuity'), /Continuity of care \(engaged within 21 days\)\s+72\.7%/)
  const wrong = await browser.get(
    '/reports/continuity-of-care?site=big&from-day=31&from-month=2&from-year=2026&to-day=31&to-month=10&to-year=2026',
  )
  assert.equal(wrong.statusCode, 400)
  assert.deepEqual(page(wrong.body).errorSummary(), [
    { text: 'The start of the period must be a real date', href: '#from-day' },
  ])
})
