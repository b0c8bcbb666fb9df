import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { Kysely } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import { buildTestApp, page, signedInBrowser } from '../../../test/support/test-app.ts'
import {
  givenGpRegistration,
  givenPerson,
  givenService,
  givenSite,
  givenStaff,
} from '../../../test/support/builders.ts'
import type { StaffRole } from '../../platform/http/roles.ts'

async function setup(
  t: TestContext,
  role: StaffRole = 'clinician',
  personOverrides: { no_fixed_abode?: boolean } = {},
) {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db, { name: 'Cambridge' })
  const user = await givenStaff(db, role, { sites: [site], name: 'Casey Clinician' })
  const person = await givenPerson(db, site, { given_name: 'Sam', family_name: 'Taylor', ...personOverrides })
  const practice = await givenService(db, site, { name: 'Riverside Surgery (demo)', ods_code: 'Z90001' })
  const browser = await signedInBrowser(app, user.email, user.password)
  const urls = {
    status: `/people/${person.id}/gp-registration`,
    update: `/people/${person.id}/gp-registration/update`,
  }
  return { app, db, site, user, person, practice, browser, urls }
}

const form = (overrides: Record<string, string> = {}) => ({
  status: 'registered',
  practice: '',
  practiceName: '',
  practiceOdsCode: '',
  'statusDate-day': '18',
  'statusDate-month': '11',
  'statusDate-year': '2026',
  reason: '',
  helpGiven: '',
  ...overrides,
})

/** Gets the form (for its CSRF token and ETag) and posts it with the ETag it was given. */
async function submit(
  browser: Awaited<ReturnType<typeof setup>>['browser'],
  url: string,
  values: Record<string, string>,
) {
  const formPage = page((await browser.get(url)).body)
  const etag = String(formPage.$('input[name="etag"]').val())
  return browser.post(url, { etag, ...values })
}

async function gpEvents(db: Kysely<DB>) {
  return db
    .selectFrom('audit_event')
    .select(['action', 'entity_id', 'person_id', 'details'])
    .where('entity_type', '=', 'gp_registration')
    .orderBy('id')
    .execute()
}

test('records registered with a directory practice, shows it current, and audits every read and write', async (t) => {
  const { db, person, practice, user, browser, urls } = await setup(t)
  const empty = page((await browser.get(urls.status)).body)
  assert.equal(empty.h1(), 'GP registration')
  assert.match(empty.text('#no-status'), /No GP registration status has been recorded for Sam yet/)
  assert.ok(empty.has(`a[href="${urls.update}"]`), 'an Update link')
  const formPage = page((await browser.get(urls.update)).body)
  assert.equal(formPage.h1(), 'Update GP registration')
  assert.match(formPage.text('#practice'), /Riverside Surgery \(demo\) \(Z90001\)/)
  assert.ok(formPage.has('input[name="_csrf"]'))
  const response = await submit(
    browser,
    urls.update,
    form({ practice: practice.id, helpGiven: 'Helped complete GMS1 form' }),
  )
  assert.equal(response.statusCode, 302)
  assert.equal(response.headers.location, urls.status)
  const saved = await db.selectFrom('gp_registration').selectAll().executeTakeFirstOrThrow()
  assert.equal(saved.status, 'registered')
  assert.equal(saved.service_id, practice.id)
  assert.equal(saved.status_date, '2026-11-18')
  assert.equal(saved.help_given, 'Helped complete GMS1 form')
  assert.equal(saved.recorded_by, user.id)
  const shown = page((await browser.get(urls.status)).body)
  assert.match(shown.text('.govuk-notification-banner'), /GP registration updated: registered/)
  assert.equal(shown.text('#current-status'), 'Registered')
  assert.match(shown.text('.govuk-summary-list'), /Practice\s*Riverside Surgery \(demo\) \(Z90001\)/)
  assert.match(shown.text('.govuk-summary-list'), /Help given\s*Helped complete GMS1 form/)
  assert.match(shown.text('.govuk-summary-list'), /Casey Clinician/)
  const events = await gpEvents(db)
  assert.deepEqual(
    events.map((e) => [e.action, (e.details as { purpose?: string }).purpose ?? null]),
    [
      ['view', 'view'],
      ['view', 'update-form'],
      ['view', 'update-form'],
      ['create', null],
      ['view', 'view'],
    ],
  )
  assert.ok(events.every((e) => e.person_id === person.id && e.entity_id === person.id))
})

test('each status can be recorded; the history keeps them all, newest first', async (t) => {
  const { db, practice, browser, urls } = await setup(t)
  const steps: Record<string, string>[] = [
    form({ status: 'not-registered', 'statusDate-day': '2' }),
    form({
      status: 'in-progress',
      'statusDate-day': '3',
      practiceName: 'Hillside Practice',
      practiceOdsCode: 'Z90002',
    }),
    form({
      status: 'refused',
      'statusDate-day': '5',
      practiceName: 'Hillside Practice',
      reason: 'Said the list was full',
    }),
    form({ status: 'registered', 'statusDate-day': '9', practice: practice.id }),
    form({ status: 'deregistered', 'statusDate-day': '16', practice: practice.id, reason: 'Moved out of the area' }),
  ]
  for (const step of steps) {
    const response = await submit(browser, urls.update, step)
    assert.equal(
      response.statusCode,
      302,
      `${step['status'] ?? ''}: ${page(response.body)
        .errorSummary()
        .map((e) => e.text)
        .join('; ')}`,
    )
  }
  const rows = await db.selectFrom('gp_registration').select(['status']).orderBy('id').execute()
  assert.deepEqual(
    rows.map((r) => r.status),
    ['not-registered', 'in-progress', 'refused', 'registered', 'deregistered'],
  )
  const shown = page((await browser.get(urls.status)).body)
  const history = shown
    .$('table tbody tr')
    .map((_, tr) => shown.$(tr).find('td').eq(1).text().trim())
    .get()
  assert.deepEqual(history, ['Deregistered', 'Registered', 'Refused by a practice', 'In progress', 'Not registered'])
  assert.equal(shown.text('#current-status'), 'Deregistered')
  assert.match(shown.text('table'), /Hillside Practice \(Z90002\)/)
})

test('in progress shows since when, from the first of a run of in-progress statuses', async (t) => {
  const { browser, urls } = await setup(t)
  await submit(browser, urls.update, form({ status: 'in-progress', 'statusDate-day': '6' }))
  await submit(
    browser,
    urls.update,
    form({ status: 'in-progress', 'statusDate-day': '13', helpGiven: 'Phoned the practice with Sam' }),
  )
  const shown = page((await browser.get(urls.status)).body)
  assert.equal(shown.text('#current-status'), 'In progress')
  assert.match(shown.text('.govuk-summary-list'), /In progress\s*Since 6 November 2026 \(14 days\)/)
})

test('registered needs a practice: from the directory, or a name and ODS code when not listed', async (t) => {
  const { db, browser, urls } = await setup(t)
  const none = await submit(browser, urls.update, form())
  assert.equal(none.statusCode, 400)
  const html = page(none.body)
  assert.match(html.title(), /^Error: /)
  assert.deepEqual(
    html.errorSummary().map((e) => e.href),
    ['#practice'],
  )
  const noOds = page(
    (await submit(browser, urls.update, form({ practice: 'not-listed', practiceName: 'Hillside' }))).body,
  )
  assert.deepEqual(noOds.errorSummary(), [
    { text: 'Enter the practice’s ODS code, like A81001', href: '#practiceOdsCode' },
  ])
  assert.equal(noOds.value('practiceName'), 'Hillside')
  const noName = page((await submit(browser, urls.update, form({ practice: 'not-listed' }))).body)
  assert.deepEqual(noName.errorSummary(), [{ text: 'Enter the practice name', href: '#practiceName' }])
  const badOds = page(
    (await submit(browser, urls.update, form({ practiceName: 'Hillside', practiceOdsCode: 'A-1' }))).body,
  )
  assert.deepEqual(badOds.errorSummary(), [
    { text: 'ODS code must be 3 to 10 letters and numbers, like A81001', href: '#practiceOdsCode' },
  ])
  const blank = page((await submit(browser, urls.update, {})).body)
  assert.deepEqual(
    blank.errorSummary().map((e) => e.href),
    ['#status', '#statusDate-day'],
  )
  const future = page(
    (await submit(browser, urls.update, form({ status: 'not-registered', 'statusDate-day': '21' }))).body,
  )
  assert.deepEqual(future.errorSummary(), [
    { text: 'The date it happened must be today or in the past', href: '#statusDate-day' },
  ])
  const ok = await submit(
    browser,
    urls.update,
    form({ practice: 'not-listed', practiceName: 'Hillside', practiceOdsCode: 'z90 002' }),
  )
  assert.equal(ok.statusCode, 302)
  const saved = await db.selectFrom('gp_registration').selectAll().executeTakeFirstOrThrow()
  assert.deepEqual([saved.service_id, saved.practice_name, saved.practice_ods_code], [null, 'Hillside', 'Z90002'])
})

test('refused needs the practice and its reason; not registered takes no practice', async (t) => {
  const { practice, browser, urls } = await setup(t)
  const refused = page((await submit(browser, urls.update, form({ status: 'refused' }))).body)
  assert.deepEqual(
    refused.errorSummary().map((e) => e.href),
    ['#practice', '#reason'],
  )
  const notRegistered = page(
    (await submit(browser, urls.update, form({ status: 'not-registered', practice: practice.id }))).body,
  )
  assert.deepEqual(notRegistered.errorSummary(), [
    { text: 'Select “No practice” when the person is not registered with a GP', href: '#practice' },
  ])
})

test('a practice from another site’s directory is refused on the practice field', async (t) => {
  const { db, browser, urls } = await setup(t)
  const elsewhere = await givenService(db, await givenSite(db), { name: 'Faraway Surgery' })
  const response = await submit(browser, urls.update, form({ practice: elsewhere.id }))
  assert.equal(response.statusCode, 400)
  assert.deepEqual(page(response.body).errorSummary(), [
    { text: 'Select a GP practice from this site’s directory', href: '#practice' },
  ])
  assert.equal(await db.selectFrom('gp_registration').select('id').executeTakeFirst(), undefined)
})

test('a person with no fixed abode can be recorded as registered; a refusal shows that this is never a reason', async (t) => {
  const { db, browser, urls } = await setup(t, 'clinician', { no_fixed_abode: true })
  const formPage = page((await browser.get(urls.update)).body)
  assert.match(formPage.text('#no-fixed-abode'), /Sam has no fixed abode\. They can still register with a GP practice/)
  assert.match(formPage.text('#no-fixed-abode'), /cannot refuse to register someone because they have no fixed address/)
  assert.equal(formPage.text('#reason-hint strong'), 'No fixed abode is never a reason to refuse.')
  const refused = await submit(
    browser,
    urls.update,
    form({ status: 'refused', practiceName: 'Hillside Practice', reason: 'Said Sam needs a permanent address' }),
  )
  assert.equal(refused.statusCode, 302)
  const shown = page((await browser.get(urls.status)).body)
  assert.equal(shown.text('#current-status'), 'Refused by a practice')
  assert.match(shown.text('#no-fixed-abode-guidance'), /No fixed abode is never a reason to refuse/)
  assert.match(
    shown.text('#no-fixed-abode-guidance'),
    /A GP practice cannot refuse to register someone because they have no fixed address\./,
  )
  assert.match(shown.text('.govuk-summary-list'), /Reason given\s*Said Sam needs a permanent address/)
  const registered = await submit(
    browser,
    urls.update,
    form({ 'statusDate-day': '20', practiceName: 'Hillside Practice', practiceOdsCode: 'Z90002' }),
  )
  assert.equal(registered.statusCode, 302)
  const after = page((await browser.get(urls.status)).body)
  assert.equal(after.text('#current-status'), 'Registered')
  assert.equal(after.has('#no-fixed-abode-guidance'), false)
  assert.equal((await db.selectFrom('gp_registration').select('id').execute()).length, 2)
})

test('a form filled in before someone else’s update is refused (409) with the user’s answers kept', async (t) => {
  const { db, user, person, browser, urls } = await setup(t)
  const formPage = page((await browser.get(urls.update)).body)
  const etag = String(formPage.$('input[name="etag"]').val())
  await givenGpRegistration(db, person, user, { status: 'in-progress', status_date: '2026-11-10' })
  const response = await browser.post(urls.update, { etag, ...form({ status: 'not-registered', helpGiven: 'Mine' }) })
  assert.equal(response.statusCode, 409)
  const html = page(response.body)
  assert.equal(html.errorSummary()[0]?.href, '#stale')
  assert.equal(html.text('#helpGiven'), 'Mine')
  assert.match(html.text('#current-status'), /In progress/)
  assert.notEqual(String(html.$('input[name="etag"]').val()), etag)
  assert.equal((await db.selectFrom('gp_registration').select('id').execute()).length, 1)
})

test('a probation practitioner reads the status and history but may not update it (403)', async (t) => {
  const { db, user, person, browser, urls } = await setup(t, 'probation_practitioner')
  await givenGpRegistration(db, person, user, { status: 'in-progress', status_date: '2026-11-10' })
  const shown = await browser.get(urls.status)
  assert.equal(shown.statusCode, 200)
  assert.equal(page(shown.body).text('#current-status'), 'In progress')
  assert.equal(page(shown.body).has(`a[href="${urls.update}"]`), false)
  assert.equal((await browser.get(urls.update)).statusCode, 403)
  assert.equal((await browser.post(urls.update, form({ status: 'not-registered' }))).statusCode, 403)
})

for (const role of ['analyst', 'admin', 'auditor', 'partner'] as const) {
  test(`the ${role} role is refused the GP registration pages (403)`, async (t) => {
    const { browser, urls } = await setup(t, role)
    assert.equal((await browser.get(urls.status)).statusCode, 403)
    assert.equal((await browser.get(urls.update)).statusCode, 403)
  })
}

test('another site’s person is 403 and writes nothing; an unknown person is 404', async (t) => {
  const { db, browser } = await setup(t)
  const elsewhere = await givenPerson(db, await givenSite(db))
  assert.equal((await browser.get(`/people/${elsewhere.id}/gp-registration`)).statusCode, 403)
  assert.equal((await browser.get(`/people/${elsewhere.id}/gp-registration/update`)).statusCode, 403)
  await browser.get('/account')
  const post = await browser.post(`/people/${elsewhere.id}/gp-registration/update`, {
    etag: 'W/"0"',
    ...form({ status: 'not-registered' }),
  })
  assert.equal(post.statusCode, 403)
  assert.equal((await browser.get('/people/00000000-0000-4000-8000-000000000000/gp-registration')).statusCode, 404)
  assert.equal(await db.selectFrom('gp_registration').select('id').executeTakeFirst(), undefined)
})

test('an update posted without the CSRF token is refused (403) and records nothing', async (t) => {
  const { db, browser, urls } = await setup(t)
  await browser.get(urls.update)
  const response = await browser.post(
    urls.update,
    { etag: 'W/"0"', ...form({ status: 'not-registered' }) },
    { csrf: false },
  )
  assert.equal(response.statusCode, 403)
  assert.equal(await db.selectFrom('gp_registration').select('id').executeTakeFirst(), undefined)
})
