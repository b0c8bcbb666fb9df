import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { Kysely } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import { buildTestApp, page, signedInBrowser } from '../../../test/support/test-app.ts'
import { givenOrganisation, givenService, givenSite, givenStaff } from '../../../test/support/builders.ts'
import type { StaffRole } from '../../platform/http/roles.ts'

async function setup(t: TestContext, role: StaffRole = 'hub_manager') {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db, { name: 'Cambridge' })
  const user = await givenStaff(db, role, { sites: [site] })
  const browser = await signedInBrowser(app, user.email, user.password)
  return { app, db, site, user, browser }
}

const form = (siteCode: string, overrides: Record<string, string> = {}) => ({
  siteCode,
  kind: 'gp-practice',
  name: 'Riverside Surgery',
  odsCode: 'z99 001',
  organisationCode: '',
  address: '1 River Road\nCambridge\nCB1 1AA',
  phone: '01632 960 001',
  email: 'reception@riverside.example',
  website: 'https://riverside.example',
  referralMethod: 'The person registers online or with a GMS1 form at reception',
  notes: '',
  ...overrides,
})

async function serviceEvents(db: Kysely<DB>) {
  return db
    .selectFrom('audit_event')
    .select(['action', 'entity_id', 'site_id', 'details'])
    .where('entity_type', '=', 'service')
    .orderBy('id')
    .execute()
}

test('a hub manager adds a GP practice, sees it in the list grouped by kind, and the write is audited', async (t) => {
  const { db, site, browser } = await setup(t)
  const newPage = page((await browser.get(`/services/new?site=${site.code}`)).body)
  assert.equal(newPage.h1(), 'Add a service to the directory')
  const response = await browser.post('/services/new', form(site.code))
  assert.equal(response.statusCode, 302)
  const saved = await db.selectFrom('service').selectAll().executeTakeFirstOrThrow()
  assert.equal(response.headers.location, `/services/${saved.id}`)
  assert.equal(saved.ods_code, 'Z99001', 'ODS code upper-cased with spaces removed')
  assert.equal(saved.site_id, site.id)
  assert.equal(saved.active, true)
  const shown = page((await browser.get(`/services/${saved.id}`)).body)
  assert.equal(shown.h1(), 'Riverside Surgery')
  assert.match(shown.text('.govuk-notification-banner'), /has been added/)
  assert.match(shown.text('.govuk-summary-list'), /ODS code\s*Z99001/)
  await givenService(db, site, { kind: 'talking-therapies', name: 'Talking Space (test)' })
  const list = page((await browser.get(`/services?site=${site.code}`)).body)
  assert.equal(list.h1(), 'Service directory')
  assert.deepEqual(
    list
      .$('h2.govuk-heading-m')
      .map((_, h) => list.$(h).text().trim())
      .get(),
    ['GP practices', 'NHS Talking Therapies'],
  )
  assert.ok(list.has('a[href="/services/new?site=' + site.code + '"]'), 'the manager is offered "Add a service"')
  const events = await serviceEvents(db)
  assert.deepEqual(
    events.map((e) => [e.action, e.entity_id, e.site_id]),
    [['create', saved.id, site.id]],
  )
})

test('filters the list by kind and hides services no longer available unless asked', async (t) => {
  const { db, site, browser } = await setup(t)
  await givenService(db, site, { name: 'Riverside Surgery' })
  await givenService(db, site, { kind: 'housing', name: 'Keystone Housing Advice' })
  await givenService(db, site, { kind: 'housing', name: 'Closed Housing Desk', active: false })
  const housing = page((await browser.get(`/services?site=${site.code}&kind=housing`)).body)
  assert.deepEqual(
    housing
      .$('table a')
      .map((_, a) => housing.$(a).text().trim())
      .get(),
    ['Keystone Housing Advice'],
  )
  const all = page((await browser.get(`/services?site=${site.code}&kind=housing&inactive=yes`)).body)
  assert.match(all.text('table'), /Closed Housing Desk\s*No longer available/)
  const none = page((await browser.get(`/services?site=${site.code}&kind=dentistry`)).body)
  assert.equal(none.text('#no-services'), 'Nothing is listed under Dentistry in this site’s directory.')
})

test('a GP practice needs an ODS code; errors re-render with GOV.UK wording and what was typed', async (t) => {
  const { db, site, browser } = await setup(t)
  await browser.get('/services/new')
  const response = await browser.post('/services/new', form(site.code, { odsCode: '', website: 'riverside.example' }))
  assert.equal(response.statusCode, 400)
  const html = page(response.body)
  assert.match(html.title(), /^Error: /)
  assert.deepEqual(html.errorSummary(), [
    { text: 'Enter the GP practice’s ODS code, like A81001', href: '#odsCode' },
    { text: 'Enter a website address starting with https://, like https://www.example.nhs.uk', href: '#website' },
  ])
  assert.equal(html.value('name'), 'Riverside Surgery')
  const bad = page((await browser.post('/services/new', form(site.code, { odsCode: 'A1' }))).body)
  assert.deepEqual(bad.errorSummary(), [
    { text: 'ODS code must be 3 to 10 letters and numbers, like A81001', href: '#odsCode' },
  ])
  // Other kinds need none.
  const pharmacy = await browser.post('/services/new', form(site.code, { kind: 'community-pharmacy', odsCode: '' }))
  assert.equal(pharmacy.statusCode, 302)
  assert.equal((await db.selectFrom('service').select('id').execute()).length, 1)
  const blank = page((await browser.post('/services/new', { siteCode: site.code })).body)
  assert.deepEqual(
    blank.errorSummary().map((e) => e.href),
    ['#kind', '#name'],
  )
})

test('the same ODS code twice in one site’s directory is refused on the ODS field', async (t) => {
  const { db, site, browser } = await setup(t)
  await givenService(db, site, { ods_code: 'Z99001' })
  await browser.get('/services/new')
  const response = await browser.post('/services/new', form(site.code))
  assert.equal(response.statusCode, 400)
  assert.deepEqual(page(response.body).errorSummary(), [
    { text: 'A service with ODS code Z99001 is already in this site’s directory', href: '#odsCode' },
  ])
})

test('a double submit of the new-service form adds one entry', async (t) => {
  const { db, site, browser } = await setup(t)
  const formPage = page((await browser.get('/services/new')).body)
  const submissionId = String(formPage.$('input[name="submissionId"]').val())
  const first = await browser.post('/services/new', { ...form(site.code), submissionId })
  const second = await browser.post('/services/new', { ...form(site.code), submissionId })
  assert.equal(first.statusCode, 302)
  assert.equal(second.statusCode, 302)
  assert.equal(second.headers.location, first.headers.location)
  assert.equal((await db.selectFrom('service').select('id').execute()).length, 1)
})

test('a hub manager edits and deactivates an entry; a stale edit is refused with the saved details', async (t) => {
  const { db, site, browser } = await setup(t)
  const organisation = await givenOrganisation(db, { code: 'brightpath', name: 'Brightpath Recovery' })
  const service = await givenService(db, site, { kind: 'drug-alcohol', name: 'Northgate Treatment' })
  const url = `/services/${service.id}/edit`
  const edit = page((await browser.get(url)).body)
  assert.equal(edit.h1(), 'Change Northgate Treatment')
  assert.equal(edit.value('name'), 'Northgate Treatment')
  const values = {
    ...form(site.code, { kind: 'drug-alcohol', name: 'Northgate Treatment Centre', odsCode: '' }),
    organisationCode: organisation.code,
    active: 'no',
    version: '1',
  }
  const saved = await browser.post(url, values)
  assert.equal(saved.statusCode, 302)
  assert.equal(saved.headers.location, `/services/${service.id}`)
  const row = await db.selectFrom('service').selectAll().where('id', '=', service.id).executeTakeFirstOrThrow()
  assert.equal(row.name, 'Northgate Treatment Centre')
  assert.equal(row.active, false)
  assert.equal(row.organisation_id, organisation.id)
  assert.equal(row.version, 2)
  const shown = page((await browser.get(`/services/${service.id}`)).body)
  assert.match(shown.text('.govuk-warning-text'), /no longer available/)
  assert.match(shown.text('.govuk-summary-list'), /Partner organisation\s*Brightpath Recovery/)
  // Not listed by default any more.
  const list = page((await browser.get(`/services?site=${site.code}`)).body)
  assert.equal(list.has(`a[href="/services/${service.id}"]`), false)
  const stale = await browser.post(url, { ...values, name: 'Someone else’s idea', version: '1' })
  assert.equal(stale.statusCode, 409)
  const conflict = page(stale.body)
  assert.equal(conflict.errorSummary()[0]?.href, '#conflict')
  assert.equal(conflict.value('name'), 'Northgate Treatment Centre')
  const events = await serviceEvents(db)
  assert.deepEqual(
    events.map((e) => e.action),
    ['update'],
  )
  assert.deepEqual((events[0]?.details as { changedFields: string[] }).changedFields, [
    'name',
    'organisationId',
    'address',
    'phone',
    'email',
    'website',
    'referralMethod',
    'active',
  ])
})

for (const role of ['clinician', 'probation_practitioner'] as const) {
  test(`a ${role} reads the directory but may not add or change entries (403)`, async (t) => {
    const { db, site, browser } = await setup(t, role)
    const service = await givenService(db, site, { name: 'Riverside Surgery' })
    const list = page((await browser.get(`/services?site=${site.code}`)).body)
    assert.match(list.text('table'), /Riverside Surgery/)
    assert.equal(list.has('a[href^="/services/new"]'), false)
    const shown = await browser.get(`/services/${service.id}`)
    assert.equal(shown.statusCode, 200)
    assert.equal(page(shown.body).has(`a[href="/services/${service.id}/edit"]`), false)
    assert.equal((await browser.get('/services/new')).statusCode, 403)
    assert.equal((await browser.post('/services/new', form(site.code))).statusCode, 403)
    assert.equal((await browser.get(`/services/${service.id}/edit`)).statusCode, 403)
    assert.equal(
      (await browser.post(`/services/${service.id}/edit`, { ...form(site.code), version: '1' })).statusCode,
      403,
    )
    assert.equal((await db.selectFrom('service').select('id').execute()).length, 1)
  })
}

for (const role of ['analyst', 'admin', 'auditor', 'partner'] as const) {
  test(`the ${role} role is refused the directory pages (403)`, async (t) => {
    const { site, browser } = await setup(t, role)
    assert.equal((await browser.get(`/services?site=${site.code}`)).statusCode, 403)
  })
}

test('another site’s directory and entries are 403, and so is adding to another site', async (t) => {
  const { db, browser } = await setup(t)
  const elsewhere = await givenSite(db)
  const service = await givenService(db, elsewhere)
  assert.equal((await browser.get(`/services?site=${elsewhere.code}`)).statusCode, 403)
  assert.equal((await browser.get('/services?site=no-such-site')).statusCode, 403)
  assert.equal((await browser.get(`/services/${service.id}`)).statusCode, 403)
  assert.equal((await browser.get(`/services/${service.id}/edit`)).statusCode, 403)
  await browser.get('/services/new')
  assert.equal((await browser.post('/services/new', form(elsewhere.code))).statusCode, 403)
  assert.equal((await browser.get('/services/00000000-0000-4000-8000-000000000000')).statusCode, 404)
})

test('a form posted without the CSRF token is refused (403) and adds nothing', async (t) => {
  const { db, site, browser } = await setup(t)
  await browser.get('/services/new')
  const response = await browser.post('/services/new', form(site.code), { csrf: false })
  assert.equal(response.statusCode, 403)
  assert.equal(await db.selectFrom('service').select('id').executeTakeFirst(), undefined)
})
