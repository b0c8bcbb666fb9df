import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { Kysely } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import { buildTestApp, page, signedInBrowser } from '../../../test/support/test-app.ts'
import {
  givenAppointment,
  givenConsent,
  givenNeed,
  givenOrganisation,
  givenPerson,
  givenSite,
  givenStaff,
} from '../../../test/support/builders.ts'
import { EXPECTED, PLANTED, summaryScenario } from '../../../test/support/summary-fixtures.ts'
import { needCategories, needCategoryLabels } from '../needs/index.ts'
import { needLabels } from './people.view-models.ts'
import type { StaffRole } from '../../platform/http/roles.ts'

async function setup(t: TestContext, role: StaffRole = 'clinician') {
  const { app, database } = await buildTestApp(t)
  const site = await givenSite(database.db, { name: 'Cambridge' })
  const user = await givenStaff(database.db, role, { sites: [site] })
  const browser = await signedInBrowser(app, user.email, user.password)
  return { app, db: database.db, site, user, browser }
}

function personForm(siteCode: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    crn: 'X123456',
    nhsNumber: '943 476 5919',
    givenName: 'Sam',
    familyName: 'Taylor',
    'dateOfBirth-day': '23',
    'dateOfBirth-month': '4',
    'dateOfBirth-year': '1990',
    sex: '1',
    statedGender: '1',
    genderSameAsBirth: 'yes',
    ethnicCategory: 'A',
    interpreterNeeded: 'no',
    readingSupport: 'no',
    addressLine1: '1 High Street',
    town: 'Cambridge',
    postcode: 'cb21tn',
    supervisionType: 'licence',
    siteCode,
    ...overrides,
  }
}

async function auditEvents(db: Kysely<DB>, action: string) {
  return db
    .selectFrom('audit_event')
    .selectAll()
    .where('action', '=', action)
    .where('entity_type', '=', 'person')
    .orderBy('id')
    .execute()
}

const rowNames = (html: string) =>
  page(html)
    .$('tbody .govuk-table__row td:first-child a')
    .map((_, a) => page(html).$(a).text().trim())
    .get()

test('adds a person through the form, redirects to their record and says so', async (t) => {
  const { db, site, browser } = await setup(t)
  await browser.get('/people/new')
  const response = await browser.post('/people/new', personForm(site.code, { crn: 'x123456' }))
  assert.equal(response.statusCode, 302)
  const saved = await db.selectFrom('person').selectAll().executeTakeFirstOrThrow()
  assert.equal(response.headers.location, `/people/${saved.id}`)
  assert.equal(saved.crn, 'X123456')
  assert.equal(saved.nhs_number, '9434765919')
  assert.equal(saved.postcode, 'CB2 1TN')
  const record = await browser.get(`/people/${saved.id}`)
  const html = page(record.body)
  assert.equal(html.h1(), 'Sam Taylor')
  assert.match(html.text('.govuk-notification-banner'), /Sam Taylor has been added/)
  assert.match(html.text('.govuk-summary-list'), /943 476 5919/)
  assert.ok(html.has(`a[href="/people/${saved.id}/edit#crn"]`))
  const created = await auditEvents(db, 'create')
  assert.equal(created.length, 1)
  assert.equal(created[0]?.person_id, saved.id)
})

test('re-renders with GOV.UK errors linking to each field, keeping what was typed', async (t) => {
  const { db, site, browser } = await setup(t)
  await browser.get('/people/new')
  const response = await browser.post(
    '/people/new',
    personForm(site.code, {
      crn: 'X12',
      nhsNumber: '943 476 5918',
      givenName: '',
      'dateOfBirth-day': '31',
      'dateOfBirth-month': '2',
      postcode: 'CB2',
    }),
  )
  assert.equal(response.statusCode, 400)
  const html = page(response.body)
  assert.match(html.title(), /^Error: /)
  assert.deepEqual(html.errorSummary(), [
    { text: 'Enter a CRN, like X123456', href: '#crn' },
    { text: 'Enter a valid NHS number, like 943 476 5919', href: '#nhsNumber' },
    { text: 'Enter the person’s given name', href: '#givenName' },
    { text: 'Date of birth must be a real date', href: '#dateOfBirth-day' },
    { text: 'Enter a full UK postcode, like SW1A 1AA', href: '#postcode' },
  ])
  assert.equal(html.inlineError('crn'), 'Enter a CRN, like X123456')
  for (const id of ['crn', 'nhsNumber', 'givenName', 'dateOfBirth-day', 'postcode']) assert.ok(html.has(`#${id}`), id)
  assert.equal(html.value('crn'), 'X12')
  assert.equal(html.value('nhsNumber'), '943 476 5918')
  assert.equal(html.value('familyName'), 'Taylor')
  assert.equal(html.value('dateOfBirth-day'), '31')
  assert.equal(html.$('#sex').attr('checked'), 'checked')
  assert.equal(html.$('#ethnicCategory option[selected]').attr('value'), 'A')
  assert.equal((await db.selectFrom('person').select('id').execute()).length, 0)
})

test('says "must be 16 to 120 years old" and "Year must include 4 numbers" for a date of birth', async (t) => {
  const { browser, site } = await setup(t)
  await browser.get('/people/new')
  const young = page((await browser.post('/people/new', personForm(site.code, { 'dateOfBirth-year': '2020' }))).body)
  assert.match(young.errorSummary()[0]?.text ?? '', /^The person must be 16 to 120 years old/)
  assert.equal(young.errorSummary()[0]?.href, '#dateOfBirth-day')
  const short = await browser.post('/people/new', personForm(site.code, { 'dateOfBirth-year': '90' }))
  assert.equal(short.statusCode, 400)
  assert.deepEqual(page(short.body).errorSummary(), [{ text: 'Year must include 4 numbers', href: '#dateOfBirth-year' }])
  assert.equal(page(short.body).inlineError('dateOfBirth'), 'Year must include 4 numbers')
})

test('asks "Is this the same person?" when someone at the site has the same name and date of birth', async (t) => {
  const { db, site, browser } = await setup(t)
  const existing = await givenPerson(db, site, { given_name: 'Sam', family_name: 'TAYLOR', date_of_birth: '1990-04-23' })
  const elsewhere = await givenSite(db, { name: 'Ely' })
  await givenPerson(db, elsewhere, { given_name: 'Sam', family_name: 'Taylor', date_of_birth: '1990-04-23' })
  await browser.get('/people/new')
  const response = await browser.post('/people/new', personForm(site.code, { nhsNumber: '' }))
  assert.equal(response.statusCode, 200)
  const html = page(response.body)
  assert.equal(html.h1(), 'Is this the same person?')
  assert.ok(html.has(`a[href="/people/${existing.id}"]`))
  assert.match(html.text('main'), new RegExp(existing.crn))
  assert.equal(html.$('main a[href^="/people/"]').length, 1, 'only the match at this site is listed')
  assert.equal((await db.selectFrom('person').select('id').execute()).length, 2)
  const form = html.$('form[action="/people/new"]').first()
  assert.equal(form.find('input[name="confirmedNotDuplicate"]').attr('value'), 'yes')
  assert.equal(form.find('input[name="dateOfBirth-year"]').attr('value'), '1990')
  const fields: Record<string, string> = {}
  form.find('input[type="hidden"]').each((_, el) => {
    const input = html.$(el)
    fields[input.attr('name') ?? ''] = input.attr('value') ?? ''
  })
  delete fields['_csrf']
  const added = await browser.post('/people/new', fields)
  assert.equal(added.statusCode, 302)
  const saved = await db.selectFrom('person').select(['id', 'crn']).where('crn', '=', 'X123456').executeTakeFirstOrThrow()
  assert.equal(added.headers.location, `/people/${saved.id}`)
})

test('says which CRN clashes when it is already used', async (t) => {
  const { db, site, browser } = await setup(t)
  await givenPerson(db, site, { crn: 'X123456' })
  await browser.get('/people/new')
  const response = await browser.post('/people/new', personForm(site.code, { nhsNumber: '' }))
  assert.equal(response.statusCode, 400)
  const html = page(response.body)
  assert.deepEqual(html.errorSummary(), [
    { text: 'CRN X123456 is already used for another person on the hub – check the CRN', href: '#crn' },
  ])
  assert.equal(html.value('givenName'), 'Sam')
})

test('refuses a form posted without its CSRF token', async (t) => {
  const { db, site, browser } = await setup(t)
  await browser.get('/people/new')
  const response = await browser.post('/people/new', personForm(site.code), { csrf: false })
  assert.equal(response.statusCode, 403)
  assert.equal((await db.selectFrom('person').select('id').execute()).length, 0)
})

test('refuses to add a person at a site the user does not belong to', async (t) => {
  const { db, browser } = await setup(t)
  const other = await givenSite(db)
  await browser.get('/people/new')
  const response = await browser.post('/people/new', personForm(other.code))
  assert.equal(response.statusCode, 403)
  assert.equal((await db.selectFrom('person').select('id').execute()).length, 0)
})

test('edits a person, bumps the version and audits the names of the changed fields only', async (t) => {
  const { db, site, browser } = await setup(t)
  const person = await givenPerson(db, site, { given_name: 'Sam', family_name: 'Taylor' })
  const edit = await browser.get(`/people/${person.id}/edit`)
  assert.equal(edit.statusCode, 200)
  assert.equal(page(edit.body).value('familyName'), 'Taylor')
  assert.equal(page(edit.body).$('input[name="version"]').val(), '1')
  const form = {
    ...personForm(site.code, { crn: person.crn, nhsNumber: '', familyName: 'Taylor-Jones' }),
    version: '1',
  }
  const response = await browser.post(`/people/${person.id}/edit`, form)
  assert.equal(response.statusCode, 302)
  assert.equal(response.headers.location, `/people/${person.id}`)
  const saved = await db.selectFrom('person').selectAll().where('id', '=', person.id).executeTakeFirstOrThrow()
  assert.equal(saved.family_name, 'Taylor-Jones')
  assert.equal(saved.version, 2)
  const updates = await auditEvents(db, 'update')
  assert.equal(updates.length, 1)
  const changed = (updates[0]?.details as { changedFields: string[] }).changedFields
  assert.ok(changed.includes('familyName'))
  assert.ok(!JSON.stringify(updates[0]?.details).includes('Taylor-Jones'))
  const record = await browser.get(`/people/${person.id}`)
  assert.match(page(record.body).text('.govuk-notification-banner'), /details have been updated/)
})

test('refuses a stale edit with 409, overwrites nothing and shows the saved details instead', async (t) => {
  const { db, site, browser } = await setup(t)
  const person = await givenPerson(db, site, { given_name: 'Sam', family_name: 'Taylor' })
  await browser.get(`/people/${person.id}/edit`)
  // Someone else saves first.
  await db.updateTable('person').set({ family_name: 'Brown', version: 2 }).where('id', '=', person.id).execute()
  const form = { ...personForm(site.code, { crn: person.crn, nhsNumber: '', familyName: 'Green' }), version: '1' }
  const response = await browser.post(`/people/${person.id}/edit`, form)
  assert.equal(response.statusCode, 409)
  const html = page(response.body)
  assert.match(html.title(), /^Error: /)
  const [summary] = html.errorSummary()
  assert.equal(summary?.href, '#conflict')
  assert.match(summary.text, /changed this person’s record after you opened it/)
  assert.ok(html.has('#conflict'))
  assert.equal(html.value('familyName'), 'Brown')
  assert.equal(html.$('input[name="version"]').val(), '2')
  assert.match(html.text('#conflict'), /Green/)
  const saved = await db.selectFrom('person').selectAll().where('id', '=', person.id).executeTakeFirstOrThrow()
  assert.equal(saved.family_name, 'Brown')
  assert.equal(saved.version, 2)
  assert.equal((await auditEvents(db, 'update')).length, 0)
})

test('finds people by the start of a name, by CRN in any case and by NHS number typed with spaces', async (t) => {
  const { db, site, browser } = await setup(t)
  await givenPerson(db, site, { given_name: 'Ada', family_name: 'Lovelace', crn: 'A111111' })
  await givenPerson(db, site, { given_name: 'Alan', family_name: 'Turing', crn: 'B222222', nhs_number: '9434765919' })
  await givenPerson(db, site, { given_name: 'Grace', family_name: 'Hopper', crn: 'C333333' })
  assert.deepEqual(rowNames((await browser.get(`/caseload?site=${site.code}&q=lov`)).body), ['Lovelace, Ada'])
  assert.deepEqual(rowNames((await browser.get(`/caseload?site=${site.code}&q=gra`)).body), ['Hopper, Grace'])
  assert.deepEqual(rowNames((await browser.get(`/caseload?site=${site.code}&q=alan+tur`)).body), ['Turing, Alan'])
  assert.deepEqual(rowNames((await browser.get(`/caseload?site=${site.code}&q=c333333`)).body), ['Hopper, Grace'])
  assert.deepEqual(rowNames((await browser.get(`/caseload?site=${site.code}&q=943+476+5919`)).body), ['Turing, Alan'])
  const none = await browser.get(`/caseload?site=${site.code}&q=zzz`)
  assert.equal(page(none.body).text('#no-results'), 'No people match')
})

test('filters by supervision type, by coming from custody and by "my caseload"', async (t) => {
  const { db, site, user, browser } = await setup(t, 'probation_practitioner')
  await givenPerson(db, site, { family_name: 'Licence', supervision_type: 'licence' })
  await givenPerson(db, site, { family_name: 'Custody', prison_number: 'A1234BC', release_date: '2027-01-14' })
  await givenPerson(db, site, { family_name: 'Mine', probation_practitioner_id: user.id })
  const byType = await browser.get(`/caseload?site=${site.code}&supervisionType=licence`)
  assert.deepEqual(rowNames(byType.body), ['Licence, Alex'])
  assert.deepEqual(rowNames((await browser.get(`/caseload?site=${site.code}&custody=yes`)).body), ['Custody, Alex'])
  const mine = await browser.get(`/caseload?site=${site.code}&mine=yes`)
  assert.deepEqual(rowNames(mine.body), ['Mine, Alex'])
  assert.equal(page(mine.body).$('#mine').attr('checked'), 'checked')
})

test('sorts by a column through header links that say the order with aria-sort', async (t) => {
  const { db, site, browser } = await setup(t)
  await givenPerson(db, site, { family_name: 'Old', date_of_birth: '1950-01-01' })
  await givenPerson(db, site, { family_name: 'Young', date_of_birth: '2000-01-01' })
  await givenPerson(db, site, { family_name: 'Middle', date_of_birth: '1975-01-01' })
  const byName = await browser.get(`/caseload?site=${site.code}`)
  assert.deepEqual(rowNames(byName.body), ['Middle, Alex', 'Old, Alex', 'Young, Alex'])
  const headers = page(byName.body).$('thead th[aria-sort]')
  assert.equal(headers.first().attr('aria-sort'), 'ascending')
  const dobLink =
    page(byName.body)
      .$('thead th a')
      .filter((_, a) => page(byName.body).$(a).text().startsWith('Date of birth'))
      .attr('href') ?? ''
  assert.match(dobLink, /sort=dateOfBirth&order=asc/)
  const byDob = await browser.get(dobLink)
  assert.deepEqual(rowNames(byDob.body), ['Old, Alex', 'Middle, Alex', 'Young, Alex'])
  const dobHeader = page(byDob.body)
    .$('thead th')
    .filter((_, th) => page(byDob.body).$(th).text().trim().startsWith('Date of birth'))
  assert.equal(dobHeader.attr('aria-sort'), 'ascending')
  const desc = await browser.get(`/caseload?site=${site.code}&sort=dateOfBirth&order=desc`)
  assert.deepEqual(rowNames(desc.body), ['Young, Alex', 'Middle, Alex', 'Old, Alex'])
  const recent = await browser.get(`/caseload?site=${site.code}&sort=recent`)
  assert.equal(rowNames(recent.body).length, 3)
})

test('shows 25 people a page with GOV.UK pagination links', async (t) => {
  const { db, site, browser } = await setup(t)
  const rows = Array.from({ length: 30 }, (_, i) => ({
    site_id: site.id,
    crn: `P${String(100000 + i)}`,
    given_name: 'Pat',
    family_name: `Person${String(i).padStart(2, '0')}`,
    date_of_birth: '1980-01-01',
  }))
  await db.insertInto('person').values(rows).execute()
  const first = await browser.get(`/caseload?site=${site.code}`)
  assert.equal(rowNames(first.body).length, 25)
  assert.equal(page(first.body).text('h2#results-heading'), '30 people')
  const next = page(first.body).$('.govuk-pagination__next a').attr('href') ?? ''
  assert.match(next, /page=2/)
  const second = await browser.get(next)
  assert.deepEqual(rowNames(second.body), [
    'Person25, Pat',
    'Person26, Pat',
    'Person27, Pat',
    'Person28, Pat',
    'Person29, Pat',
  ])
  assert.ok(page(second.body).has('.govuk-pagination__prev'))
  assert.equal(page(second.body).$('.govuk-pagination__item--current').text().trim(), '2')
})

test('lets a user with several sites pick the site, defaulting to the first of theirs', async (t) => {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const alpha = await givenSite(db, { name: 'Alpha' })
  const beta = await givenSite(db, { name: 'Beta' })
  const user = await givenStaff(db, 'hub_manager', { sites: [beta, alpha] })
  await givenPerson(db, alpha, { family_name: 'AtAlpha' })
  await givenPerson(db, beta, { family_name: 'AtBeta' })
  const browser = await signedInBrowser(app, user.email, user.password)
  const first = await browser.get('/caseload')
  assert.deepEqual(rowNames(first.body), ['AtAlpha, Alex'])
  assert.equal(page(first.body).$('#site option[selected]').attr('value'), alpha.code)
  assert.deepEqual(rowNames((await browser.get(`/caseload?site=${beta.code}`)).body), ['AtBeta, Alex'])
})

test('refuses another site’s person and another site’s caseload with 403', async (t) => {
  const { db, browser } = await setup(t)
  const other = await givenSite(db)
  const stranger = await givenPerson(db, other)
  assert.equal((await browser.get(`/people/${stranger.id}`)).statusCode, 403)
  assert.equal((await browser.get(`/people/${stranger.id}/edit`)).statusCode, 403)
  assert.equal((await browser.get(`/caseload?site=${other.code}`)).statusCode, 403)
  assert.equal((await auditEvents(db, 'view')).length, 0)
})

test('gives 404 for a person id that does not exist', async (t) => {
  const { browser } = await setup(t)
  assert.equal((await browser.get('/people/00000000-0000-4000-8000-000000000000')).statusCode, 404)
  assert.equal((await browser.get('/people/not-an-id')).statusCode, 404)
})

for (const role of ['analyst', 'admin', 'auditor', 'partner'] as const) {
  test(`refuses the caseload and person pages to the ${role} role`, async (t) => {
    const { app, database } = await buildTestApp(t)
    const site = await givenSite(database.db)
    const user = await givenStaff(database.db, role, { sites: [site] })
    const person = await givenPerson(database.db, site)
    const browser = await signedInBrowser(app, user.email, user.password)
    assert.equal((await browser.get('/caseload')).statusCode, 403)
    assert.equal((await browser.get('/people/new')).statusCode, 403)
    assert.equal((await browser.get(`/people/${person.id}`)).statusCode, 403)
  })
}

test('audits each view and each caseload listing without the search text', async (t) => {
  const { db, site, browser } = await setup(t)
  const person = await givenPerson(db, site, { family_name: 'Lovelace' })
  await browser.get(`/people/${person.id}`)
  await browser.get(`/caseload?site=${site.code}&q=lovel&supervisionType=licence`)
  const views = await auditEvents(db, 'view')
  assert.equal(views.length, 1)
  assert.equal(views[0]?.person_id, person.id)
  assert.equal(views[0].site_id, site.id)
  const lists = await auditEvents(db, 'list')
  assert.equal(lists.length, 1)
  const details = lists[0]?.details ?? {}
  assert.equal(lists[0]?.person_id, null)
  assert.equal(lists[0].site_id, site.id)
  assert.equal(details['search'], 'name')
  assert.equal(details['supervisionType'], 'licence')
  assert.equal(details['resultCount'], 0)
  assert.ok(!JSON.stringify(details).toLowerCase().includes('lovel'))
})

test('offers the site’s probation practitioners and refuses one who works elsewhere', async (t) => {
  const { db, site, browser } = await setup(t)
  const here = await givenStaff(db, 'probation_practitioner', { sites: [site], name: 'Pat Here' })
  const elsewhere = await givenStaff(db, 'probation_practitioner', {
    sites: [await givenSite(db)],
    name: 'Pat Elsewhere',
  })
  const form = await browser.get('/people/new')
  const offered = page(form.body)
    .$('#probationPractitionerId option')
    .map((_, o) => page(form.body).$(o).text().trim())
    .get()
  assert.deepEqual(offered, ['Not assigned', 'Pat Here'])
  const refused = await browser.post('/people/new', personForm(site.code, { probationPractitionerId: elsewhere.id }))
  assert.equal(refused.statusCode, 400)
  assert.deepEqual(page(refused.body).errorSummary(), [
    { text: 'Select a probation practitioner who works at the person’s site', href: '#probationPractitionerId' },
  ])
  const accepted = await browser.post('/people/new', personForm(site.code, { probationPractitionerId: here.id }))
  assert.equal(accepted.statusCode, 302)
})

test('clears the address when the person has no fixed abode', async (t) => {
  const { db, site, browser } = await setup(t)
  await browser.get('/people/new')
  const response = await browser.post('/people/new', personForm(site.code, { noFixedAbode: 'yes' }))
  assert.equal(response.statusCode, 302)
  const saved = await db.selectFrom('person').selectAll().executeTakeFirstOrThrow()
  assert.equal(saved.no_fixed_abode, true)
  assert.deepEqual([saved.address_line1, saved.town, saved.postcode], [null, null, null])
})

/** What a browser would send for a select: the selected option, or the first when none is. */
function selectedValue(html: string, id: string): string {
  const $ = page(html).$
  const selected = $(`#${id} option[selected]`)
  return (selected.length > 0 ? selected.first() : $(`#${id} option`).first()).attr('value') ?? ''
}

const submissionIdOf = (html: string): string => page(html).$('input[name="submissionId"]').attr('value') ?? ''

/** The edit form as a browser would post it, with one field changed. */
function editFormFromPage(html: string, changes: Record<string, string>): Record<string, string> {
  const $ = page(html).$
  const form: Record<string, string> = {}
  $('form input').each((_, input) => {
    const el = $(input)
    const name = el.attr('name')
    const type = el.attr('type')
    if (name === undefined || name === '_csrf') return
    if ((type === 'radio' || type === 'checkbox') && el.attr('checked') === undefined) return
    form[name] = el.attr('value') ?? ''
  })
  $('form select').each((_, select) => {
    const id = $(select).attr('id') ?? ''
    form[$(select).attr('name') ?? id] = selectedValue(html, id)
  })
  $('form textarea').each((_, area) => {
    form[$(area).attr('name') ?? ''] = $(area).text()
  })
  return { ...form, ...changes }
}

for (const reason of ['disabled', 'no longer at the site'] as const) {
  test(`keeps an assigned practitioner who is ${reason} when an unrelated detail is edited`, async (t) => {
    const { db, site, browser } = await setup(t)
    const practitioner = await givenStaff(db, 'probation_practitioner', { sites: [site], name: 'Pat Former' })
    if (reason === 'disabled') {
      await db.updateTable('staff_user').set({ status: 'disabled' }).where('id', '=', practitioner.id).execute()
    } else {
      await db.deleteFrom('staff_site').where('staff_user_id', '=', practitioner.id).execute()
    }
    const person = await givenPerson(db, site, { probation_practitioner_id: practitioner.id })
    const edit = await browser.get(`/people/${person.id}/edit`)
    assert.equal(selectedValue(edit.body, 'probationPractitionerId'), practitioner.id)
    assert.equal(
      page(edit.body).text('#probationPractitionerId option[selected]'),
      'Pat Former (no longer active at this site)',
    )
    const response = await browser.post(
      `/people/${person.id}/edit`,
      editFormFromPage(edit.body, { familyName: 'Renamed' }),
    )
    assert.equal(response.statusCode, 302)
    const saved = await db.selectFrom('person').selectAll().where('id', '=', person.id).executeTakeFirstOrThrow()
    assert.equal(saved.family_name, 'Renamed')
    assert.equal(saved.probation_practitioner_id, practitioner.id)
  })
}

test('audits saving the edit form with no changes as a view of the record', async (t) => {
  const { db, site, browser } = await setup(t)
  const person = await givenPerson(db, site)
  const edit = await browser.get(`/people/${person.id}/edit`)
  const response = await browser.post(`/people/${person.id}/edit`, editFormFromPage(edit.body, {}))
  assert.equal(response.statusCode, 302)
  assert.equal((await auditEvents(db, 'update')).length, 0)
  const views = await auditEvents(db, 'view')
  assert.deepEqual(
    views.map((v) => v.details['purpose']),
    ['edit', 'update-no-change'],
  )
})

test('adds one person when the new-person form is submitted twice, sending both to the record', async (t) => {
  const { db, site, browser } = await setup(t)
  const submissionId = submissionIdOf((await browser.get('/people/new')).body)
  assert.notEqual(submissionId, '')
  const posted = personForm(site.code, { submissionId })
  const first = await browser.post('/people/new', posted)
  const second = await browser.post('/people/new', posted)
  assert.equal(first.statusCode, 302)
  assert.equal(second.statusCode, 302)
  assert.equal(second.headers.location, first.headers.location)
  const people = await db.selectFrom('person').select('id').execute()
  assert.equal(people.length, 1)
  assert.equal(first.headers.location, `/people/${people[0]?.id ?? ''}`)
  assert.equal((await auditEvents(db, 'create')).length, 1)
  const record = await browser.get(String(second.headers.location))
  assert.match(page(record.body).text('.govuk-notification-banner'), /Sam Taylor has been added/)
})

test('gives each new-person form its own submission id and keeps it when the form is shown with errors', async (t) => {
  const { site, browser } = await setup(t)
  const one = submissionIdOf((await browser.get('/people/new')).body)
  const two = submissionIdOf((await browser.get('/people/new')).body)
  assert.match(one, /^[0-9a-f-]{36}$/)
  assert.notEqual(one, two)
  const invalid = await browser.post('/people/new', personForm(site.code, { crn: '', submissionId: one }))
  assert.equal(invalid.statusCode, 400)
  assert.equal(submissionIdOf(invalid.body), one)
})

test('refuses a used form sent back with other details, offering a fresh one', async (t) => {
  const { db, site, browser } = await setup(t)
  const submissionId = submissionIdOf((await browser.get('/people/new')).body)
  assert.equal((await browser.post('/people/new', personForm(site.code, { submissionId }))).statusCode, 302)
  const changed = personForm(site.code, { submissionId, crn: 'Y654321', nhsNumber: '', givenName: 'Robin' })
  const response = await browser.post('/people/new', changed)
  assert.equal(response.statusCode, 400)
  const html = page(response.body)
  assert.match(html.errorSummary()[0]?.text ?? '', /already added a person with this form/)
  const fresh = submissionIdOf(response.body)
  assert.notEqual(fresh, submissionId)
  assert.equal((await browser.post('/people/new', { ...changed, submissionId: fresh })).statusCode, 302)
  assert.equal((await db.selectFrom('person').select('id').execute()).length, 2)
})

test('shows each address line escaped on its own line', async (t) => {
  const { db, site, browser } = await setup(t)
  const person = await givenPerson(db, site, { address_line1: '<b>1</b> High St', town: 'Ely', postcode: 'CB7 4AA' })
  const record = await browser.get(`/people/${person.id}`)
  assert.match(record.body, /&lt;b&gt;1&lt;\/b&gt; High St<br>Ely<br>CB7 4AA/)
})

test('keeps NHS numbers on one line in the caseload table', async (t) => {
  const { db, site, browser } = await setup(t)
  await givenPerson(db, site, { nhs_number: '9434765919' })
  const caseload = page((await browser.get(`/caseload?site=${site.code}`)).body)
  const cell = caseload.$('tbody td').filter((_, td) => caseload.$(td).text().trim() === '943 476 5919')
  assert.equal(cell.length, 1)
  assert.ok(cell.hasClass('hub-nowrap'))
})

test('the person page has MoJ sub-navigation of the sections each role may open, Overview marked current', async (t) => {
  const { app, database } = await buildTestApp(t)
  const site = await givenSite(database.db)
  const person = await givenPerson(database.db, site)
  const clinician = await givenStaff(database.db, 'clinician', { sites: [site] })
  const manager = await givenStaff(database.db, 'hub_manager', { sites: [site] })
  const practitioner = await givenStaff(database.db, 'probation_practitioner', { sites: [site] })
  const navigation = async (user: { email: string; password: string }) => {
    const browser = await signedInBrowser(app, user.email, user.password)
    const shown = page((await browser.get(`/people/${person.id}`)).body)
    const links = shown.$('nav.moj-sub-navigation[aria-label="Sections of this record"] a.moj-sub-navigation__link')
    return {
      browser,
      names: links.map((_, a) => shown.$(a).text().trim()).get(),
      hrefs: links.map((_, a) => shown.$(a).attr('href') ?? '').get(),
      current: shown.$('.moj-sub-navigation__link[aria-current="page"]')
        .map((_, a) => shown.$(a).text().trim())
        .get(),
    }
  }
  const health = [
    'Overview',
    'Health checks',
    'Needs',
    'Referrals',
    'Appointments',
    'Screening',
    'GP registration',
    'Treatment requirements',
    'Care plan',
    'Custody and release',
    'Consent decisions',
    'Messages',
    'Timeline',
    'What probation sees',
  ]
  const probation = [
    'Overview',
    'Appointments',
    'GP registration',
    'Treatment requirements',
    'Care plan',
    'Custody and release',
    'Consent decisions',
    'Timeline',
    'Health summary',
  ]
  for (const [user, expected] of [
    [clinician, health],
    [manager, health],
    [practitioner, probation],
  ] as const) {
    const nav = await navigation(user)
    assert.deepEqual(nav.names, expected, user.email)
    assert.deepEqual(nav.current, ['Overview'])
    assert.equal(nav.hrefs[0], `/people/${person.id}`)
    // Every section linked is a page the user may open.
    for (const href of nav.hrefs) {
      assert.equal((await nav.browser.get(href)).statusCode, 200, `${user.email} ${href}`)
    }
  }
})

/** The overview's parts of a person page, as text with runs of white space made one space. */
function overview(html: string) {
  const shown = page(html)
  const text = (selector: string) => shown.$(selector).text().replace(/\s+/g, ' ').trim()
  const rows = (selector: string): [string, string][] =>
    shown
      .$(`${selector} .govuk-summary-list__row`)
      .toArray()
      .map((row) => [
        shown.$(row).find('.govuk-summary-list__key').text().replace(/\s+/g, ' ').trim(),
        shown.$(row).find('.govuk-summary-list__value').text().replace(/\s+/g, ' ').trim(),
      ])
  const needs = shown
    .$('#overview-needs tbody tr')
    .toArray()
    .map((row) =>
      shown
        .$(row)
        .find('td')
        .toArray()
        .map((td) => shown.$(td).text().replace(/\s+/g, ' ').trim()),
    )
  return {
    shown,
    body: shown.$('main').text().replace(/\s+/g, ' '),
    flags: text('#overview-flags'),
    hasFlags: shown.has('#overview-flags'),
    needs,
    needsText: text('#overview-needs'),
    appointment: Object.fromEntries(rows('#overview-appointment')),
    consent: Object.fromEntries(rows('#overview-consent')),
  }
}

/** The clinical words planted in the record (its numbers, a score and a reading, could match a date of birth). */
const plantedWords = Object.values(PLANTED).filter((v): v is Extract<typeof v, string> => typeof v === 'string')

async function overviewScenario(t: TestContext) {
  const scenario = await summaryScenario(t)
  const { db, person, clinician, site } = scenario
  // A health clinic before the joint appointment on 3 December: probation sees it only with the person's consent.
  await givenAppointment(db, {
    person,
    clinician,
    startsAt: '2026-11-25T14:00:00Z',
    location: 'Room 4',
  })
  const partner = await givenOrganisation(db, { name: 'Harbour Housing Trust' })
  await givenConsent(db, person, clinician, {
    topic: 'share-with-partner',
    organisationId: partner.id,
    decision: 'refused',
    decidedOn: '2026-11-02',
  })
  await givenConsent(db, person, clinician, { topic: 'share-with-gp', decision: 'given', decidedOn: '2026-10-01' })
  await givenConsent(db, person, clinician, {
    topic: 'share-with-gp',
    decision: 'withdrawn',
    decidedOn: '2026-11-03',
    recordedAt: new Date('2026-11-20T09:30:00Z'),
  })
  return { ...scenario, site }
}

test('a clinician sees open warning flags, open needs, the consent in force and the next appointment at a glance', async (t) => {
  const { app, person, clinician } = await overviewScenario(t)
  const browser = await signedInBrowser(app, clinician.email, clinician.password)
  const response = await browser.get(`/people/${person.id}`)
  assert.equal(response.statusCode, 200)
  const shown = overview(response.body)
  assert.match(shown.flags, /Needs a response Needs a clinician’s review today\./)
  assert.match(shown.flags, /Respond by 20 November 2026 at 10:30am/)
  assert.ok(shown.shown.has('#overview-flags a[href^="/warning-flags/"][href$="/respond"]'))
  // Proposed and confirmed needs, oldest first; the dismissed one (smoking) is not open.
  assert.deepEqual(shown.needs, [
    ['Mental health', 'Confirmed', '1 September 2026'],
    ['Alcohol', 'Confirmed', '3 September 2026'],
    ['Drugs', 'To review', '4 September 2026'],
    ['Alcohol', 'Confirmed', '14 October 2026'],
  ])
  assert.doesNotMatch(shown.needsText, /Smoking/)
  assert.ok(shown.shown.has('#overview-needs a[href^="/needs/"]'))
  assert.deepEqual(shown.appointment, {
    Date: 'Wednesday 25 November 2026',
    Time: '2pm',
    Type: 'Health clinic (hub clinician only)',
    Place: 'Room 4, Cambridge',
  })
  assert.deepEqual(shown.consent, {
    'Share a health summary with probation': 'Not asked',
    'Share with their GP': 'Agreement withdrawn since 3 November 2026',
    'Share with a partner organisation: Harbour Housing Trust': 'Does not agree since 2 November 2026',
    'Contact by text message': 'Not asked',
    'Contact by email': 'Not asked',
    'Use of information to evaluate the pilot': 'Not asked',
  })
})

test('the page is still one audited view of the person, with the overview read in it', async (t) => {
  const { app, db, person, clinician } = await overviewScenario(t)
  const browser = await signedInBrowser(app, clinician.email, clinician.password)
  const last = await db
    .selectFrom('audit_event')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirstOrThrow()
  assert.equal((await browser.get(`/people/${person.id}`)).statusCode, 200)
  const after = await db
    .selectFrom('audit_event')
    .select(['action', 'entity_type', 'entity_id', 'actor_id'])
    .where('person_id', '=', person.id)
    .where('id', '>', last.id)
    .execute()
  assert.deepEqual(after, [{ action: 'view', entity_type: 'person', entity_id: person.id, actor_id: clinician.id }])
})

test('a probation practitioner the person agrees to share with sees confirmed needs in the summary’s words, never clinical detail', async (t) => {
  const { app, db, person, clinician, practitioner } = await overviewScenario(t)
  await givenConsent(db, person, clinician, { decision: 'given', decidedOn: '2026-11-05' })
  const browser = await signedInBrowser(app, practitioner.email, practitioner.password)
  const shown = overview((await browser.get(`/people/${person.id}`)).body)
  assert.equal(shown.hasFlags, false, 'no warning flags section at all')
  // One line per kind of need, as the health summary shows them; proposed and dismissed needs never.
  assert.deepEqual(shown.needs, [
    [EXPECTED.needs[0], '1 September 2026'],
    [EXPECTED.needs[1], '3 September 2026'],
  ])
  for (const hidden of EXPECTED.hiddenNeeds) assert.doesNotMatch(shown.body, new RegExp(hidden))
  assert.equal(shown.shown.has('#overview-needs a'), false, 'no link to the health team’s need pages')
  assert.deepEqual(shown.appointment, {
    Date: 'Wednesday 25 November 2026',
    Time: '2pm',
    Type: 'Health clinic (hub clinician only)',
    Place: 'Room 4, Cambridge',
  })
  assert.equal(shown.consent['Share a health summary with probation'], 'Agreed since 5 November 2026')
  for (const planted of plantedWords) assert.ok(!shown.body.includes(planted), `"${planted}" must not reach probation`)
  assert.doesNotMatch(shown.body, /To review|Open needs|warning/i)
})

test('without the person’s agreement, or after they withdraw it, probation sees no needs and only joint appointments', async (t) => {
  const { app, db, person, clinician, practitioner } = await overviewScenario(t)
  const browser = await signedInBrowser(app, practitioner.email, practitioner.password)
  const check = async (consentLine: string) => {
    const shown = overview((await browser.get(`/people/${person.id}`)).body)
    assert.equal(shown.hasFlags, false)
    assert.deepEqual(shown.needs, [])
    assert.match(shown.needsText, /Sam Taylor has not agreed to share a health summary with probation/)
    for (const need of [...EXPECTED.needs, ...EXPECTED.hiddenNeeds]) assert.doesNotMatch(shown.body, new RegExp(need))
    // The health clinic on 25 November is hidden; the joint appointment probation runs is shown.
    assert.deepEqual(shown.appointment, {
      Date: 'Thursday 3 December 2026',
      Time: '10am',
      Type: 'Joint appointment (probation practitioner and hub clinician)',
      Place: 'Cambridge',
    })
    assert.equal(shown.consent['Share a health summary with probation'], consentLine)
    for (const planted of plantedWords) assert.ok(!shown.body.includes(planted), planted)
  }
  await check('Not asked')
  await givenConsent(db, person, clinician, { decision: 'given', recordedAt: new Date('2026-11-20T09:00:00Z') })
  await givenConsent(db, person, clinician, {
    decision: 'withdrawn',
    decidedOn: '2026-11-20',
    recordedAt: new Date('2026-11-20T09:45:00Z'),
  })
  await check('Agreement withdrawn since 20 November 2026')
})

test('an empty record says so in each part of the overview', async (t) => {
  const { app, database } = await buildTestApp(t)
  const site = await givenSite(database.db)
  const person = await givenPerson(database.db, site)
  const clinician = await givenStaff(database.db, 'clinician', { sites: [site] })
  const browser = await signedInBrowser(app, clinician.email, clinician.password)
  const shown = overview((await browser.get(`/people/${person.id}`)).body)
  assert.match(shown.flags, /No warning flags waiting for a response/)
  assert.match(shown.needsText, /No open needs/)
  assert.match(shown.shown.text('#overview-appointment'), /No appointment booked/)
  assert.equal(Object.values(shown.consent).every((v) => v === 'Not asked'), true)
})

test('the person page of another site’s person is 403 and of someone unknown 404, and roles without records 403', async (t) => {
  const { app, database } = await buildTestApp(t)
  const here = await givenSite(database.db)
  const there = await givenSite(database.db)
  const theirs = await givenPerson(database.db, there)
  const ours = await givenPerson(database.db, here)
  await givenNeed(database.db, theirs, { id: (await givenStaff(database.db, 'clinician', { sites: [there] })).id })
  for (const role of ['clinician', 'probation_practitioner', 'hub_manager'] as const) {
    const user = await givenStaff(database.db, role, { sites: [here] })
    const browser = await signedInBrowser(app, user.email, user.password)
    const refused = await browser.get(`/people/${theirs.id}`)
    assert.equal(refused.statusCode, 403, role)
    assert.doesNotMatch(refused.body, /Mental health/)
    assert.equal((await browser.get('/people/00000000-0000-4000-8000-000000000000')).statusCode, 404, role)
  }
  for (const role of ['analyst', 'partner', 'admin', 'auditor'] as const) {
    const user = await givenStaff(database.db, role, { sites: [here] })
    const browser = await signedInBrowser(app, user.email, user.password)
    assert.equal((await browser.get(`/people/${ours.id}`)).statusCode, 403, role)
  }
})

test('the person page names each kind of need as the needs feature does', () => {
  for (const category of needCategories) assert.equal(needLabels[category], needCategoryLabels[category], category)
})

test('refuses a landline and a malformed email address with GOV.UK errors, keeping what was typed', async (t) => {
  const { db, site, browser } = await setup(t)
  await browser.get('/people/new')
  const response = await browser.post(
    '/people/new',
    personForm(site.code, { phone: '01632 960 001', email: 'sam..taylor@example.com' }),
  )
  assert.equal(response.statusCode, 400)
  const html = page(response.body)
  assert.match(html.title(), /^Error: /)
  const notMobile =
    'This is not a UK mobile number. Enter a mobile number, like 07700 900 982, so reminders can be sent by text message'
  const badEmail = 'Enter an email address in the correct format, like name@example.com'
  assert.deepEqual(html.errorSummary(), [
    { text: notMobile, href: '#phone' },
    { text: badEmail, href: '#email' },
  ])
  assert.equal(html.inlineError('phone'), notMobile)
  assert.equal(html.inlineError('email'), badEmail)
  assert.equal(html.value('phone'), '01632 960 001')
  assert.equal(html.value('email'), 'sam..taylor@example.com')
  assert.equal((await db.selectFrom('person').select('id').execute()).length, 0)

  const letters = await browser.post('/people/new', personForm(site.code, { phone: '0770O 900 982' }))
  assert.deepEqual(page(letters.body).errorSummary(), [
    { text: 'Mobile number can only include numbers 0 to 9, spaces, brackets, dashes and +', href: '#phone' },
  ])
  const tooLong = await browser.post('/people/new', personForm(site.code, { phone: '07700 900 9821' }))
  assert.deepEqual(page(tooLong.body).errorSummary(), [{ text: 'Mobile number is too long', href: '#phone' }])
})

test('says on the form that reminders are sent to the phone number and email address', async (t) => {
  const { browser } = await setup(t)
  const html = page((await browser.get('/people/new')).body)
  assert.match(html.text('#phone-hint'), /send appointment reminders by text, if the person agrees/)
  assert.match(html.text('#email-hint'), /send appointment reminders by email, if the person agrees/)
  assert.equal(html.$('#phone').attr('aria-describedby'), 'phone-hint')
})

test('stores a mobile number normalised and a Notify simulator address as typed', async (t) => {
  const { db, site, browser } = await setup(t)
  await browser.get('/people/new')
  const response = await browser.post(
    '/people/new',
    personForm(site.code, { phone: '+44 (0)7700 900-003', email: ' temp-fail@simulator.notify ' }),
  )
  assert.equal(response.statusCode, 302)
  const saved = await db.selectFrom('person').selectAll().executeTakeFirstOrThrow()
  assert.equal(saved.phone, '07700900003')
  assert.equal(saved.email, 'temp-fail@simulator.notify')

  const edit = await browser.get(`/people/${saved.id}/edit`)
  assert.equal(page(edit.body).value('phone'), '07700900003')
  const international = await browser.post(
    `/people/${saved.id}/edit`,
    editFormFromPage(edit.body, { phone: '0033 6 12 34 56 78', email: '' }),
  )
  assert.equal(international.statusCode, 302)
  const changed = await db.selectFrom('person').selectAll().where('id', '=', saved.id).executeTakeFirstOrThrow()
  assert.equal(changed.phone, '+33612345678')
  assert.equal(changed.email, null)
})

test('an old landline or bad address saved before the Notify rules does not block editing other details', async (t) => {
  const { db, site, browser } = await setup(t)
  const person = await givenPerson(db, site, { phone: '01632 960 001', email: 'sam at example' })
  const edit = await browser.get(`/people/${person.id}/edit`)
  assert.equal(page(edit.body).value('phone'), '01632 960 001')
  const response = await browser.post(
    `/people/${person.id}/edit`,
    editFormFromPage(edit.body, { familyName: 'Renamed' }),
  )
  assert.equal(response.statusCode, 302)
  const saved = await db.selectFrom('person').selectAll().where('id', '=', person.id).executeTakeFirstOrThrow()
  assert.equal(saved.family_name, 'Renamed')
  assert.equal(saved.phone, '01632 960 001')
  assert.equal(saved.email, 'sam at example')

  // Once someone edits the number, it must be a mobile.
  const again = await browser.get(`/people/${person.id}/edit`)
  const refused = await browser.post(
    `/people/${person.id}/edit`,
    editFormFromPage(again.body, { phone: '01632 960 002' }),
  )
  assert.equal(refused.statusCode, 400)
  assert.deepEqual(
    page(refused.body)
      .errorSummary()
      .map((e) => e.href),
    ['#phone'],
  )
  assert.equal(page(refused.body).value('phone'), '01632 960 002')
  assert.equal(page(refused.body).value('email'), 'sam at example')
})
