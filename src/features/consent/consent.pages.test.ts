import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { Kysely } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import { buildTestApp, page, signedInBrowser } from '../../../test/support/test-app.ts'
import {
  givenConsent,
  givenNeed,
  givenOrganisation,
  givenPerson,
  givenReferral,
  givenService,
  givenSite,
  givenStaff,
} from '../../../test/support/builders.ts'
import type { StaffRole } from '../../platform/http/roles.ts'

async function setup(t: TestContext, role: StaffRole = 'clinician') {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db, { name: 'Cambridge' })
  const user = await givenStaff(db, role, { sites: [site] })
  const person = await givenPerson(db, site, { given_name: 'Sam', family_name: 'Taylor' })
  const browser = await signedInBrowser(app, user.email, user.password)
  return { app, db, site, user, person, browser }
}

const form = (overrides: Record<string, string> = {}) => ({
  decision: 'given',
  'decidedOn-day': '18',
  'decidedOn-month': '11',
  'decidedOn-year': '2026',
  method: 'in-person',
  note: '',
  ...overrides,
})

async function consentEvents(db: Kysely<DB>, action: string) {
  return db
    .selectFrom('audit_event')
    .selectAll()
    .where('action', '=', action)
    .where('entity_type', '=', 'consent')
    .orderBy('id')
    .execute()
}

test('records a decision, redirects to the consent page with a success message, and shows it in force', async (t) => {
  const { db, person, user, browser } = await setup(t)
  const url = `/people/${person.id}/consent/share-summary-with-probation/record`
  const formPage = page((await browser.get(url)).body)
  assert.equal(formPage.h1(), 'Share a health summary with probation')
  assert.match(formPage.text('#what-this-means'), /never shows your answers to health questions or any scores/)
  assert.equal(formPage.$('input[name="decision"][value="withdrawn"]').length, 0, 'no withdrawal before agreeing')
  assert.ok(formPage.has('input[name="_csrf"]'))
  const response = await browser.post(url, form({ note: 'Explained with a leaflet' }))
  assert.equal(response.statusCode, 302)
  assert.equal(response.headers.location, `/people/${person.id}/consent`)
  const saved = await db.selectFrom('consent_decision').selectAll().executeTakeFirstOrThrow()
  assert.equal(saved.decision, 'given')
  assert.equal(saved.decided_on, '2026-11-18')
  assert.equal(saved.recorded_by, user.id)
  assert.equal(saved.note, 'Explained with a leaflet')
  const summary = page((await browser.get(`/people/${person.id}/consent`)).body)
  assert.equal(summary.h1(), 'Consent')
  assert.match(summary.text('.govuk-notification-banner'), /Decision recorded/)
  assert.match(summary.text('.govuk-summary-list'), /Share a health summary with probation\s*Agreed/)
  assert.match(summary.text('.govuk-summary-list'), /Share with their GP\s*Not asked yet/)
  assert.match(summary.text('table'), /Explained with a leaflet/)
  assert.equal((await consentEvents(db, 'create')).length, 1)
  assert.ok((await consentEvents(db, 'view')).length >= 2)
})

test('offers withdrawal once agreed; withdrawing keeps the history, newest first', async (t) => {
  const { db, person, browser } = await setup(t)
  const url = `/people/${person.id}/consent/contact-by-sms/record`
  await browser.get(url)
  await browser.post(url, form())
  const again = page((await browser.get(url)).body)
  assert.equal(again.$('input[name="decision"][value="withdrawn"]').length, 1)
  assert.equal((await browser.post(url, form({ decision: 'withdrawn' }))).statusCode, 302)
  const rows = await db.selectFrom('consent_decision').select('decision').orderBy('id').execute()
  assert.deepEqual(
    rows.map((r) => r.decision),
    ['given', 'withdrawn'],
  )
  const summary = page((await browser.get(`/people/${person.id}/consent`)).body)
  const history = summary
    .$('table tbody tr')
    .map((_, tr) => summary.$(tr).find('td').eq(2).text().trim())
    .get()
  assert.deepEqual(history, ['Agreement withdrawn', 'Agreed'])
})

test('re-renders with GOV.UK errors (400), keeping what was typed, for a blank form', async (t) => {
  const { db, person, browser } = await setup(t)
  const url = `/people/${person.id}/consent/share-with-gp/record`
  await browser.get(url)
  const response = await browser.post(url, { note: 'kept' })
  assert.equal(response.statusCode, 400)
  const html = page(response.body)
  assert.match(html.title(), /^Error: /)
  assert.deepEqual(
    html.errorSummary().map((e) => e.href),
    ['#decision', '#decidedOn-day', '#method'],
  )
  assert.equal(html.text('#note'), 'kept')
  assert.equal(await db.selectFrom('consent_decision').select('id').executeTakeFirst(), undefined)
})

test('refuses a date in the future and a date that is not real', async (t) => {
  const { person, browser } = await setup(t)
  const url = `/people/${person.id}/consent/share-with-gp/record`
  await browser.get(url)
  const future = page((await browser.post(url, form({ 'decidedOn-day': '21' }))).body)
  assert.deepEqual(future.errorSummary(), [
    { text: 'The date the person decided must be today or in the past', href: '#decidedOn-day' },
  ])
  assert.equal(future.value('decidedOn-day'), '21')
  const unreal = page((await browser.post(url, form({ 'decidedOn-day': '31', 'decidedOn-month': '2' }))).body)
  assert.deepEqual(unreal.errorSummary(), [
    { text: 'The date the person decided must be a real date', href: '#decidedOn-day' },
  ])
  const today = await browser.post(url, form({ 'decidedOn-day': '20' }))
  assert.equal(today.statusCode, 302)
})

test('a withdrawal when nothing was agreed is refused on the form', async (t) => {
  const { person, browser } = await setup(t)
  const url = `/people/${person.id}/consent/evaluation-use/record`
  await browser.get(url)
  const response = await browser.post(url, form({ decision: 'withdrawn' }))
  assert.equal(response.statusCode, 400)
  assert.deepEqual(
    page(response.body)
      .errorSummary()
      .map((e) => e.href),
    ['#decision'],
  )
})

test('partner decisions need an organisation and are listed per organisation', async (t) => {
  const { db, person, browser } = await setup(t)
  await givenOrganisation(db, { code: 'housing-trust', name: 'Housing Trust' })
  await givenOrganisation(db, { code: 'pharmacy', name: 'Community Pharmacy' })
  const url = `/people/${person.id}/consent/share-with-partner/record`
  await browser.get(url)
  const missing = await browser.post(url, form())
  assert.equal(missing.statusCode, 400)
  assert.equal(page(missing.body).errorSummary()[0]?.href, '#organisationCode')
  assert.equal((await browser.post(url, form({ organisationCode: 'housing-trust' }))).statusCode, 302)
  assert.equal((await browser.post(url, form({ organisationCode: 'pharmacy', decision: 'refused' }))).statusCode, 302)
  const summary = page((await browser.get(`/people/${person.id}/consent`)).body)
  assert.match(summary.text('.govuk-summary-list'), /Share with Housing Trust\s*Agreed/)
  assert.match(summary.text('.govuk-summary-list'), /Share with Community Pharmacy\s*Does not agree/)
  const housingForm = page((await browser.get(`${url}?organisation=housing-trust`)).body)
  assert.equal(housingForm.h1(), 'Share with Housing Trust')
  assert.equal(housingForm.$('input[name="decision"][value="withdrawn"]').length, 1)
  const pharmacyForm = page((await browser.get(`${url}?organisation=pharmacy`)).body)
  assert.equal(pharmacyForm.$('input[name="decision"][value="withdrawn"]').length, 0)
})

test('partner consent is withdrawn like the others: offered, recorded, audited, and the partner then sees no more of the referral', async (t) => {
  const { app, db, site, user, person, browser } = await setup(t)
  const organisation = await givenOrganisation(db, { code: 'housing-trust', name: 'Housing Trust' })
  await givenOrganisation(db, { code: 'pharmacy', name: 'Community Pharmacy' })
  const url = `/people/${person.id}/consent/share-with-partner/record`
  assert.equal((await browser.post(url, form({ organisationCode: 'housing-trust' }))).statusCode, 302)
  const need = await givenNeed(db, person, user)
  const service = await givenService(db, site, {
    kind: 'housing',
    name: 'Housing Support',
    organisation_id: organisation.id,
  })
  const referral = await givenReferral(db, { person, need, service, createdBy: user })
  const partner = await givenStaff(db, 'partner', { organisationId: organisation.id })
  const partnerBrowser = await signedInBrowser(app, partner.email, partner.password)
  assert.match(page((await partnerBrowser.get(`/referrals/${referral.id}`)).body).text('body'), /Sam Taylor/)

  // The row's link and the general partner link both offer withdrawal once the person has agreed.
  const summary = page((await browser.get(`/people/${person.id}/consent`)).body)
  const rowLink = summary.$(`a[href="${url}?organisation=housing-trust"]`)
  assert.equal(rowLink.length, 1, 'the Housing Trust row links to its form')
  const general = page((await browser.get(url)).body)
  assert.equal(general.$('input[name="decision"][value="withdrawn"]').length, 1)
  // Withdrawing from an organisation never agreed to is refused on the form, naming the decision.
  const wrong = await browser.post(url, form({ organisationCode: 'pharmacy', decision: 'withdrawn' }))
  assert.equal(wrong.statusCode, 400)
  assert.equal(page(wrong.body).errorSummary()[0]?.href, '#decision')

  const withdrawn = await browser.post(
    `${url}?organisation=housing-trust`,
    form({ organisationCode: 'housing-trust', decision: 'withdrawn', 'decidedOn-day': '19' }),
  )
  assert.equal(withdrawn.statusCode, 302)
  const after = page((await browser.get(`/people/${person.id}/consent`)).body)
  assert.match(after.text('.govuk-summary-list'), /Share with Housing Trust\s*Agreement withdrawn/)
  const [created] = (await consentEvents(db, 'create')).slice(-1)
  assert.equal(created?.person_id, person.id)
  assert.deepEqual(created.details, {
    channel: 'page',
    topic: 'share-with-partner',
    organisationId: organisation.id,
    decision: 'withdrawn',
    previous: 'given',
  })

  // H-405 and the referrals service: the partner sees only that the referral exists, and no longer lists the person.
  const withheld = page((await partnerBrowser.get(`/referrals/${referral.id}`)).body)
  assert.match(withheld.text('#consent-withdrawn'), /withdrawn their consent/)
  assert.doesNotMatch(withheld.text('main'), /Sam|Taylor/)
  assert.doesNotMatch(page((await partnerBrowser.get('/referrals')).body).text('#referrals'), /Sam Taylor/)
})

test('a probation practitioner sees the consent state without links to record, and cannot record (403)', async (t) => {
  const { db, person, browser } = await setup(t, 'probation_practitioner')
  const clinician = await givenStaff(db, 'clinician')
  await givenConsent(db, person, clinician, { note: 'clinical detail' })
  const summary = await browser.get(`/people/${person.id}/consent`)
  assert.equal(summary.statusCode, 200)
  const html = page(summary.body)
  assert.match(html.text('.govuk-summary-list'), /Agreed/)
  assert.equal(html.$('a[href*="/record"]').length, 0)
  assert.doesNotMatch(summary.body, /clinical detail/)
  const url = `/people/${person.id}/consent/share-with-gp/record`
  assert.equal((await browser.get(url)).statusCode, 403)
  assert.equal((await browser.post(url, form())).statusCode, 403)
  assert.equal(
    await db.selectFrom('consent_decision').select('id').where('topic', '=', 'share-with-gp').executeTakeFirst(),
    undefined,
  )
})

for (const role of ['analyst', 'admin', 'auditor', 'partner'] as const) {
  test(`the ${role} role may not see or record consent (403)`, async (t) => {
    const { person, browser } = await setup(t, role)
    assert.equal((await browser.get(`/people/${person.id}/consent`)).statusCode, 403)
    assert.equal((await browser.post(`/people/${person.id}/consent/share-with-gp/record`, form())).statusCode, 403)
  })
}

test('another site’s person is refused (403); an unknown topic is not found', async (t) => {
  const { db, person, browser } = await setup(t)
  const elsewhere = await givenPerson(db, await givenSite(db))
  assert.equal((await browser.get(`/people/${elsewhere.id}/consent`)).statusCode, 403)
  assert.equal((await browser.get(`/people/${elsewhere.id}/consent/share-with-gp/record`)).statusCode, 403)
  assert.equal((await browser.post(`/people/${elsewhere.id}/consent/share-with-gp/record`, form())).statusCode, 403)
  assert.equal((await browser.get(`/people/${person.id}/consent/share-everything/record`)).statusCode, 404)
})

test('a form posted without the CSRF token is refused (403) and records nothing', async (t) => {
  const { db, person, browser } = await setup(t)
  const url = `/people/${person.id}/consent/share-with-gp/record`
  await browser.get(url)
  const response = await browser.post(url, form(), { csrf: false })
  assert.equal(response.statusCode, 403)
  assert.equal(await db.selectFrom('consent_decision').select('id').executeTakeFirst(), undefined)
})
