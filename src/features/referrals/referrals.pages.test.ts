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

async function setup(t: TestContext) {
  const { app, database, clock } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db, { name: 'Cambridge' })
  const clinician = await givenStaff(db, 'clinician', { sites: [site], name: 'Casey Clinician' })
  const person = await givenPerson(db, site, {
    given_name: 'Sam',
    family_name: 'Taylor',
    nhs_number: '9434765919',
    phone: '07700 900123',
    interpreter_needed: true,
    language: 'Polish',
  })
  const need = await givenNeed(db, person, clinician)
  const service = await givenService(db, site, { kind: 'talking-therapies', name: 'Talking Therapies East' })
  const gp = await givenService(db, site, { kind: 'gp-practice', name: 'Abbey Surgery' })
  const organisation = await givenOrganisation(db, { name: 'Open Door Housing' })
  const partnerService = await givenService(db, site, {
    kind: 'housing',
    name: 'Open Door Housing Support',
    organisation_id: organisation.id,
  })
  const browser = await signedInBrowser(app, clinician.email, clinician.password)
  return { app, db, clock, site, clinician, person, need, service, gp, organisation, partnerService, browser }
}

/** A change's date as the form posts it: it is required (buildTestApp's clock is 20 November 2026). */
const dated = (day = '20', month = '11', year = '2026') => ({ 'at-day': day, 'at-month': month, 'at-year': year })

const newForm = (needId: string, serviceId: string, submissionId: string, overrides: Record<string, string> = {}) => ({
  needId,
  serviceId,
  urgency: 'routine',
  reason: 'Low mood; would like talking therapy',
  submissionId,
  action: 'send',
  ...overrides,
})

const submissionIdOf = (html: string): string => page(html).$('input[name="submissionId"]').attr('value') ?? ''

async function referralAudit(db: Kysely<DB>, action: string) {
  return db
    .selectFrom('audit_event')
    .selectAll()
    .where('entity_type', '=', 'referral')
    .where('action', '=', action)
    .orderBy('id')
    .execute()
}

test('the person’s referrals page lists referrals with status and an overdue chase date, and offers a new one', async (t) => {
  const { db, person, need, service, clinician, browser } = await setup(t)
  await givenReferral(db, { person, need, service, createdBy: clinician, chaseOn: '2026-11-19' })
  const response = await browser.get(`/people/${person.id}/referrals`)
  assert.equal(response.statusCode, 200)
  const html = page(response.body)
  assert.equal(html.h1(), 'Referrals')
  assert.ok(html.has('#make-referral'))
  assert.match(
    html.text('table'),
    /Talking Therapies East\s*Mental health\s*Sent\s*2 November 2026\s*19 November 2026\s*Overdue/,
  )
  assert.equal((await referralAudit(db, 'list')).at(-1)?.person_id, person.id)
})

test('with no confirmed need, says so and links to the person’s health checks', async (t) => {
  const { db, site, browser, clinician } = await setup(t)
  const other = await givenPerson(db, site)
  await givenNeed(db, other, clinician, { status: 'proposed' })
  const list = page((await browser.get(`/people/${other.id}/referrals`)).body)
  assert.match(list.text('#no-needs'), /no confirmed needs/)
  assert.equal(list.$('#no-needs a').attr('href'), `/people/${other.id}/health-checks`)
  const form = page((await browser.get(`/people/${other.id}/referrals/new`)).body)
  assert.match(form.text('#no-needs'), /has none yet/)
})

test('asks which need first when there are several, then lists services for it first', async (t) => {
  const { db, person, clinician, browser } = await setup(t)
  const smoking = await givenNeed(db, person, clinician, { category: 'smoking' })
  const stop = await givenService(
    db,
    { id: (await db.selectFrom('person').select('site_id').executeTakeFirstOrThrow()).site_id },
    {
      kind: 'stop-smoking',
      name: 'Quit Now',
    },
  )
  const choose = page((await browser.get(`/people/${person.id}/referrals/new`)).body)
  assert.equal(choose.h1(), 'Sam TaylorWhich need is this referral for?')
  assert.equal(choose.$('input[name="needId"]').length, 2)
  const form = page((await browser.get(`/people/${person.id}/referrals/new?needId=${smoking.id}`)).body)
  assert.equal(form.h1(), 'Make a referral')
  const services = form
    .$('input[name="serviceId"]')
    .map((_, el) => form.$(el).attr('value'))
    .get()
  assert.equal(services[0], stop.id)
  assert.equal(services.length, 4)
  assert.ok(form.has('.govuk-radios__divider'))
  assert.match(form.text('#consent-needed'), /consent to share with that organisation is needed before it is sent/)
  assert.equal(form.$('#consent-needed a').attr('href'), `/people/${person.id}/consent`)
})

test('sends a referral and shows it; a double submit of the same form makes one referral', async (t) => {
  const { db, person, need, service, browser } = await setup(t)
  const submissionId = submissionIdOf((await browser.get(`/people/${person.id}/referrals/new`)).body)
  assert.notEqual(submissionId, '')
  const url = `/people/${person.id}/referrals/new`
  const first = await browser.post(url, newForm(need.id, service.id, submissionId))
  const second = await browser.post(url, newForm(need.id, service.id, submissionId))
  assert.equal(first.statusCode, 302)
  assert.equal(second.statusCode, 302)
  assert.equal(second.headers.location, first.headers.location)
  const rows = await db.selectFrom('referral').select(['id', 'status']).execute()
  assert.equal(rows.length, 1)
  assert.equal(rows[0]?.status, 'sent')
  const shown = page((await browser.get(String(first.headers.location))).body)
  assert.equal(shown.h1(), 'Referral to Talking Therapies East')
  assert.match(shown.text('.govuk-notification-banner'), /Referral sent to Talking Therapies East/)
  assert.match(shown.text('#referral-summary'), /Sent\s*The referral has been sent/)
  assert.match(shown.text('#changelog'), /Draft to sent\s*Casey Clinician/)
})

test('re-renders with the error summary when nothing is chosen, keeping what was typed', async (t) => {
  const { db, person, browser } = await setup(t)
  const response = await browser.post(`/people/${person.id}/referrals/new`, {
    needId: '',
    serviceId: '',
    urgency: 'routine',
    reason: '',
    submissionId: '',
    action: 'draft',
  })
  assert.equal(response.statusCode, 400)
  const html = page(response.body)
  assert.match(html.title(), /^Error: /)
  assert.deepEqual(
    html.errorSummary().map((e) => e.href),
    ['#needId', '#serviceId', '#reason'],
  )
  assert.equal(html.inlineError('reason'), 'Enter the reason for the referral')
  assert.equal((await db.selectFrom('referral').select('id').execute()).length, 0)
})

test('sending to a partner without consent is refused on the form; the draft says consent is needed', async (t) => {
  const { person, need, partnerService, browser } = await setup(t)
  const url = `/people/${person.id}/referrals/new`
  const submissionId = submissionIdOf((await browser.get(url)).body)
  const refused = await browser.post(url, newForm(need.id, partnerService.id, submissionId))
  assert.equal(refused.statusCode, 400)
  assert.match(
    page(refused.body).errorSummary()[0]?.text ?? '',
    /has not agreed to share their information with Open Door Housing/,
  )
  const draft = await browser.post(url, newForm(need.id, partnerService.id, submissionId, { action: 'draft' }))
  assert.equal(draft.statusCode, 302)
  const shown = page((await browser.get(String(draft.headers.location))).body)
  assert.match(shown.text('#consent-state'), /consent to share their information with Open Door Housing is needed/)
  assert.equal(shown.$('#consent-state a').attr('href'), `/people/${person.id}/consent`)
  // The same form again is a replay (the one draft); a new form for the same need and service is a duplicate.
  const replay = await browser.post(url, newForm(need.id, partnerService.id, submissionId, { action: 'draft' }))
  assert.equal(replay.headers.location, draft.headers.location)
  const fresh = submissionIdOf((await browser.get(url)).body)
  const second = await browser.post(url, newForm(need.id, partnerService.id, fresh, { action: 'draft' }))
  assert.equal(second.statusCode, 409)
  assert.match(page(second.body).errorSummary()[0]?.text ?? '', /already an open referral/)
  assert.ok(page(second.body).has('#existing-referral a'))
})

test('a form post without the CSRF token is refused and saves nothing', async (t) => {
  const { db, person, need, service, clinician, browser } = await setup(t)
  const referral = await givenReferral(db, { person, need, service, createdBy: clinician })
  await browser.get(`/people/${person.id}/referrals/new`)
  const create = await browser.post(`/people/${person.id}/referrals/new`, newForm(need.id, service.id, ''), {
    csrf: false,
  })
  assert.equal(create.statusCode, 403)
  const progress = await browser.post(
    `/referrals/${referral.id}/progress`,
    { to: 'accepted', version: '1' },
    { csrf: false },
  )
  assert.equal(progress.statusCode, 403)
  assert.equal((await db.selectFrom('referral').select('id').execute()).length, 1)
  assert.equal((await db.selectFrom('referral').select('status').executeTakeFirstOrThrow()).status, 'sent')
})

test('update progress offers only the allowed changes, records one, and refuses a stale form', async (t) => {
  const { db, person, need, service, clinician, browser } = await setup(t)
  const referral = await givenReferral(db, { person, need, service, createdBy: clinician })
  const url = `/referrals/${referral.id}`
  const shown = page((await browser.get(url)).body)
  assert.deepEqual(
    shown
      .$('input[name="to"]')
      .map((_, el) => shown.$(el).attr('value'))
      .get(),
    ['accepted', 'rejected', 'declined', 'withdrawn'],
  )
  assert.equal(shown.$('input[name="version"]').first().attr('value'), '1')
  const missing = await browser.post(`${url}/progress`, { to: 'rejected', version: '1', reason: '', ...dated() })
  assert.equal(missing.statusCode, 400)
  assert.deepEqual(
    page(missing.body)
      .errorSummary()
      .map((e) => e.href),
    ['#reason'],
  )
  const future = await browser.post(`${url}/progress`, {
    to: 'accepted',
    version: '1',
    'at-day': '21',
    'at-month': '11',
    'at-year': '2026',
  })
  assert.deepEqual(
    page(future.body)
      .errorSummary()
      .map((e) => e.href),
    ['#at-day'],
  )
  const accepted = await browser.post(`${url}/progress`, {
    to: 'accepted',
    version: '1',
    'at-day': '18',
    'at-month': '11',
    'at-year': '2026',
  })
  assert.equal(accepted.statusCode, 302)
  const stale = await browser.post(`${url}/progress`, { to: 'rejected', version: '1', reason: 'Full', ...dated() })
  assert.equal(stale.statusCode, 409)
  assert.match(page(stale.body).errorSummary()[0]?.text ?? '', /Someone else updated this referral/)
  const after = page((await browser.get(url)).body)
  assert.match(after.text('#changelog tbody tr:first-child'), /18 November 2026\s*Sent to accepted/)
  assert.match(after.text('#chase-on'), /2 December 2026/)
})

test('hub staff set a different chase date; an overdue one is tagged', async (t) => {
  const { db, person, need, service, clinician, browser } = await setup(t)
  const referral = await givenReferral(db, { person, need, service, createdBy: clinician })
  await browser.get(`/referrals/${referral.id}`)
  const response = await browser.post(`/referrals/${referral.id}/chase-date`, {
    version: '1',
    'chaseOn-day': '19',
    'chaseOn-month': '11',
    'chaseOn-year': '2026',
  })
  assert.equal(response.statusCode, 302)
  const shown = page((await browser.get(`/referrals/${referral.id}`)).body)
  assert.match(shown.text('#chase-on'), /19 November 2026\s*Overdue/)
})

test('the print page is the referral letter with print CSS, audited as an export', async (t) => {
  const { db, person, need, service, clinician, browser } = await setup(t)
  const referral = await givenReferral(db, { person, need, service, createdBy: clinician })
  const response = await browser.get(`/referrals/${referral.id}/print`)
  assert.equal(response.statusCode, 200)
  const html = page(response.body)
  assert.equal(html.h1(), 'Referral to Talking Therapies East')
  assert.match(html.$('style').text(), /@media print/)
  const nonce = html.$('style').attr('nonce') ?? ''
  assert.notEqual(nonce, '')
  assert.match(String(response.headers['content-security-policy']), new RegExp(`'nonce-${nonce}'`))
  assert.match(html.text('#referral-letter'), /Low mood for two months/)
  assert.match(html.text('body'), /943 476 5919/)
  const [exported] = await referralAudit(db, 'export')
  assert.equal(exported?.person_id, person.id)
  assert.equal(exported.entity_id, referral.id)
})

test('once partner consent is withdrawn the letter cannot be printed: a 409 page says why, audited as a refused print', async (t) => {
  const { app, db, person, need, partnerService, organisation, clinician, browser } = await setup(t)
  await givenConsent(db, person, clinician, { topic: 'share-with-partner', organisationId: organisation.id })
  const referral = await givenReferral(db, { person, need, service: partnerService, createdBy: clinician })
  assert.equal(
    (await browser.get(`/referrals/${referral.id}/print`)).statusCode,
    200,
    'printable while consent is given',
  )
  assert.equal((await referralAudit(db, 'export')).length, 1)
  await givenConsent(db, person, clinician, {
    topic: 'share-with-partner',
    organisationId: organisation.id,
    decision: 'withdrawn',
    recordedAt: new Date('2026-11-20T09:30:00Z'),
  })
  const refused = await browser.get(`/referrals/${referral.id}/print`)
  assert.equal(refused.statusCode, 409)
  const html = page(refused.body)
  assert.equal(html.h1(), 'The referral letter cannot be printed')
  assert.match(
    html.text('#letter-refused'),
    /withdrawn their consent to share their information with Open Door Housing/,
  )
  assert.ok(html.has(`a[href="/people/${person.id}/consent"]`), 'the hub is pointed to the consent page')
  assert.ok(!html.has('#referral-letter'), 'no letter')
  assert.doesNotMatch(html.text('main'), /Low mood|943 476 5919/)
  assert.equal((await referralAudit(db, 'export')).length, 1, 'a refused print is not an export')
  const attempt = (await referralAudit(db, 'view')).at(-1)
  assert.equal(attempt?.person_id, person.id)
  assert.equal(attempt.entity_id, referral.id)
  assert.deepEqual(attempt.details, { channel: 'page', purpose: 'print', refused: 'partner-consent-withdrawn' })

  const partner = await givenStaff(db, 'partner', { organisationId: organisation.id })
  const partnerBrowser = await signedInBrowser(app, partner.email, partner.password)
  const partnerRefused = await partnerBrowser.get(`/referrals/${referral.id}/print`)
  assert.equal(partnerRefused.statusCode, 409)
  const partnerPage = page(partnerRefused.body)
  assert.match(partnerPage.text('#letter-refused'), /with your organisation/)
  assert.doesNotMatch(partnerPage.text('main'), /Sam|Taylor|Low mood/)
  assert.ok(!partnerPage.has('a[href*="/consent"]'))
  assert.deepEqual((await referralAudit(db, 'view')).at(-1)?.details, {
    channel: 'page',
    purpose: 'print',
    refused: 'partner-consent-withdrawn',
    withheld: 'partner-consent',
  })
})

test('a letter stays refused when consent is refused after sending, and printable again once the person agrees again', async (t) => {
  const { db, person, need, partnerService, organisation, clinician, browser } = await setup(t)
  await givenConsent(db, person, clinician, { topic: 'share-with-partner', organisationId: organisation.id })
  const referral = await givenReferral(db, { person, need, service: partnerService, createdBy: clinician })
  await givenConsent(db, person, clinician, {
    topic: 'share-with-partner',
    organisationId: organisation.id,
    decision: 'refused',
    recordedAt: new Date('2026-11-20T09:30:00Z'),
  })
  assert.equal((await browser.get(`/referrals/${referral.id}/print`)).statusCode, 409)
  await givenConsent(db, person, clinician, {
    topic: 'share-with-partner',
    organisationId: organisation.id,
    recordedAt: new Date('2026-11-20T09:45:00Z'),
  })
  const again = await browser.get(`/referrals/${referral.id}/print`)
  assert.equal(again.statusCode, 200)
  assert.equal(page(again.body).h1(), 'Referral to Open Door Housing Support')
})

test('a draft to a partner without consent yet is printable with its warning (never shared)', async (t) => {
  const { db, person, need, partnerService, clinician, browser } = await setup(t)
  const draft = await givenReferral(db, {
    person,
    need,
    service: partnerService,
    createdBy: clinician,
    status: 'draft',
  })
  const response = await browser.get(`/referrals/${draft.id}/print`)
  assert.equal(response.statusCode, 200)
  assert.match(
    page(response.body).text('#consent-warning'),
    /consent to share their information with Open Door Housing is needed/,
  )
})

test('a partner sees the person’s details and referral, records progress, and sees nothing once consent is withdrawn', async (t) => {
  const { app, db, person, need, partnerService, organisation, clinician } = await setup(t)
  await givenConsent(db, person, clinician, { topic: 'share-with-partner', organisationId: organisation.id })
  const referral = await givenReferral(db, { person, need, service: partnerService, createdBy: clinician })
  const partner = await givenStaff(db, 'partner', { organisationId: organisation.id })
  const browser = await signedInBrowser(app, partner.email, partner.password)
  const list = page((await browser.get('/referrals')).body)
  assert.equal(list.h1(), 'Referrals to your organisation')
  assert.match(list.text('#referrals'), /Sam Taylor/)
  const shown = page((await browser.get(`/referrals/${referral.id}`)).body)
  assert.match(
    shown.text('#person-summary'),
    /Sam Taylor[\s\S]*943 476 5919[\s\S]*07700 900123[\s\S]*Needs an interpreter \(Polish\)/,
  )
  assert.doesNotMatch(shown.text('body'), new RegExp(person.crn))
  assert.deepEqual(
    shown
      .$('input[name="to"]')
      .map((_, el) => shown.$(el).attr('value'))
      .get(),
    ['accepted', 'rejected', 'declined'],
  )
  assert.ok(!shown.has('#save-chase'))
  assert.equal(
    (await browser.post(`/referrals/${referral.id}/progress`, { to: 'accepted', version: '1', ...dated() })).statusCode,
    302,
  )
  await givenConsent(db, person, clinician, {
    topic: 'share-with-partner',
    organisationId: organisation.id,
    decision: 'withdrawn',
    recordedAt: new Date('2026-11-20T09:30:00Z'),
  })
  const withheld = page((await browser.get(`/referrals/${referral.id}`)).body)
  assert.match(withheld.text('#consent-withdrawn'), /withdrawn their consent/)
  assert.doesNotMatch(withheld.text('body'), /Sam|Taylor|Low mood/)
  assert.ok(!withheld.has('input[name="to"]'))
  const listAfter = page((await browser.get('/referrals')).body)
  assert.doesNotMatch(listAfter.text('#referrals'), /Sam Taylor/)
  assert.match(listAfter.text('#referrals'), /Consent to share withdrawn/)
  const hub = await signedInBrowser(app, clinician.email, clinician.password)
  const hubView = page((await hub.get(`/referrals/${referral.id}`)).body)
  assert.match(hubView.text('#consent-state .govuk-warning-text'), /withdrawn their consent/)
})

test('a partner of another organisation gets 404; a practitioner gets 403 on every referral page', async (t) => {
  const { app, db, site, person, need, partnerService, organisation, clinician } = await setup(t)
  await givenConsent(db, person, clinician, { topic: 'share-with-partner', organisationId: organisation.id })
  const referral = await givenReferral(db, { person, need, service: partnerService, createdBy: clinician })
  const other = await givenStaff(db, 'partner')
  const otherBrowser = await signedInBrowser(app, other.email, other.password)
  assert.equal((await otherBrowser.get(`/referrals/${referral.id}`)).statusCode, 404)
  assert.equal((await otherBrowser.get(`/referrals/${referral.id}/print`)).statusCode, 404)
  assert.doesNotMatch(page((await otherBrowser.get('/referrals')).body).text('body'), /Sam Taylor/)
  const practitioner = await givenStaff(db, 'probation_practitioner', { sites: [site] })
  const browser = await signedInBrowser(app, practitioner.email, practitioner.password)
  for (const url of [
    `/people/${person.id}/referrals`,
    `/people/${person.id}/referrals/new`,
    '/referrals',
    `/referrals/${referral.id}`,
    `/referrals/${referral.id}/print`,
  ]) {
    const response = await browser.get(url)
    assert.equal(response.statusCode, 403, url)
    assert.equal(page(response.body).h1(), 'You do not have permission to view this page')
  }
})

test('the hub list filters by site, status and overdue', async (t) => {
  const { db, site, person, need, service, gp, clinician, browser } = await setup(t)
  await givenReferral(db, { person, need, service, createdBy: clinician, chaseOn: '2026-11-19' })
  await givenReferral(db, {
    person,
    need,
    service: gp,
    createdBy: clinician,
    status: 'accepted',
    chaseOn: '2026-12-01',
  })
  const all = page((await browser.get(`/referrals?site=${site.code}`)).body)
  assert.equal(all.h1(), 'Referrals – Cambridge')
  assert.equal(all.text('#result-count'), '2 referrals')
  const overdue = page((await browser.get(`/referrals?site=${site.code}&overdue=yes`)).body)
  assert.equal(overdue.text('#result-count'), '1 referral')
  assert.match(overdue.text('#referrals'), /Talking Therapies East/)
  const accepted = page((await browser.get(`/referrals?status=accepted`)).body)
  assert.match(accepted.text('#referrals'), /Abbey Surgery/)
  assert.equal((await browser.get('/referrals?site=elsewhere')).statusCode, 403)
})

/**
 * Issue 9 item 10: the partner's caseworker booked the first appointment for 1 December; on 3 December they record
 * that the person attended, first with a date before the appointment, then with the date left blank.
 */
test('a partner recording "attended" before the booked appointment date, or with no date, is shown the error and nothing is saved', async (t) => {
  const { app, db, clock, person, need, partnerService, organisation, clinician } = await setup(t)
  await givenConsent(db, person, clinician, { topic: 'share-with-partner', organisationId: organisation.id })
  const referral = await givenReferral(db, {
    person,
    need,
    service: partnerService,
    createdBy: clinician,
    status: 'first-appointment-booked',
    sentOn: '2026-11-18',
    firstAppointmentOn: '2026-12-01',
  })
  clock.set('2026-12-03T11:00:00Z')
  const partner = await givenStaff(db, 'partner', { organisationId: organisation.id })
  const browser = await signedInBrowser(app, partner.email, partner.password)
  const url = `/referrals/${referral.id}`
  const unchanged = async () =>
    db
      .selectFrom('referral')
      .select(['status', 'version', 'first_attended_on', 'days_to_first_treatment'])
      .where('id', '=', referral.id)
      .executeTakeFirstOrThrow()
  const before = await unchanged()

  const early = await browser.post(`${url}/progress`, {
    to: 'first-appointment-attended',
    version: '1',
    ...dated('25', '11', '2026'),
  })
  assert.equal(early.statusCode, 400)
  const html = page(early.body)
  assert.match(html.title(), /^Error: /)
  const message = 'The date they attended must be on or after the booked appointment date, 1 December 2026'
  assert.deepEqual(html.errorSummary(), [{ text: message, href: '#at-day' }])
  assert.equal(html.inlineError('at'), message)
  assert.deepEqual([html.value('at-day'), html.value('at-month'), html.value('at-year')], ['25', '11', '2026'])
  assert.equal(html.$('input[name="to"][value="first-appointment-attended"]').attr('checked'), 'checked')
  assert.deepEqual(await unchanged(), before, 'nothing saved')

  const blank = await browser.post(`${url}/progress`, { to: 'first-appointment-attended', version: '1' })
  assert.equal(blank.statusCode, 400)
  const blankHtml = page(blank.body)
  assert.match(blankHtml.title(), /^Error: /)
  assert.deepEqual(blankHtml.errorSummary(), [{ text: 'Enter the date it happened', href: '#at-day' }])
  assert.equal(blankHtml.$('input[name="to"][value="first-appointment-attended"]').attr('checked'), 'checked')
  assert.doesNotMatch(blankHtml.text('#at-hint'), /blank/i, 'the hint no longer says a blank date means today')
  assert.deepEqual(await unchanged(), before, 'nothing saved')

  const kept = await browser.post(`${url}/progress`, {
    to: 'first-appointment-attended',
    version: '1',
    ...dated('2', '12', '2026'),
  })
  assert.equal(kept.statusCode, 302, kept.body)
  const shown = page((await browser.get(url)).body)
  assert.match(
    shown.text('#referral-summary'),
    /First appointment\s*1 December 2026\s*First attended\s*2 December 2026/,
  )
  assert.equal(shown.text('#days-to-first-treatment'), '31 days')
})
