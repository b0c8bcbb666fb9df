import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp, page, signedInBrowser } from '../../../test/support/test-app.ts'
import { givenPerson, givenScreeningEvent, givenSite, givenStaff } from '../../../test/support/builders.ts'
import type { StaffRole } from '../../platform/http/roles.ts'

type PersonFields = Parameters<typeof givenPerson>[2]

/** The app's clock is 20 November 2026, 10:00 UTC. */
async function setup(t: TestContext, role: StaffRole = 'clinician', personFields: PersonFields = {}) {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db, { name: 'Cambridge' })
  const user = await givenStaff(db, role, { sites: [site], name: 'Casey Clinician' })
  const person = await givenPerson(db, site, {
    given_name: 'Sam',
    family_name: 'Taylor',
    date_of_birth: '1960-03-01',
    sex: '1',
    gender_same_as_birth: 'yes',
    ...personFields,
  })
  const browser = await signedInBrowser(app, user.email, user.password)
  const url = `/people/${person.id}/screening`
  return { app, db, site, user, person, browser, url }
}

const form = (overrides: Record<string, string> = {}) => ({
  programme: 'bowel',
  state: 'invited',
  'date-day': '2',
  'date-month': '11',
  'date-year': '2026',
  result: '',
  note: '',
  ...overrides,
})

/** Gets the page (for its CSRF token and one-time submission id) and posts the form with them. */
async function submit(
  browser: Awaited<ReturnType<typeof setup>>['browser'],
  url: string,
  values: Record<string, string>,
) {
  const shown = page((await browser.get(url)).body)
  const submissionId = String(shown.$('input[name="submissionId"]').val())
  return browser.post(url, { submissionId, ...values })
}

/** The status table's row for a programme: its cells' text. */
function rowOf(html: string, programmeId: string): string[] {
  const p = page(html)
  const row = p.$(`#programme-${programmeId}`).closest('tr')
  return row
    .find('th, td')
    .map((_, cell) => p.$(cell).text().replace(/\s+/g, ' ').trim())
    .get()
}

test('shows each programme in plain words with a status tag, next due date and reason, as of today', async (t) => {
  const { browser, url, person } = await setup(t)
  const response = await browser.get(url)
  assert.equal(response.statusCode, 200)
  const shown = page(response.body)
  assert.equal(shown.h1(), 'Screening')
  assert.match(shown.text('#as-of'), /^As of 20 November 2026\./)
  assert.ok(shown.has(`a.govuk-back-link[href="/people/${person.id}"]`), 'a link back to the person')
  const names = shown
    .$('.hub-screening-status tbody th')
    .map((_, th) => shown.$(th).text().trim())
    .get()
  assert.deepEqual(names, [
    'Cervical screening',
    'Breast screening',
    'Bowel cancer screening',
    'Abdominal aortic aneurysm (AAA) screening',
    'Lung health check',
    'Prostate: informed choice (not a screening programme)',
  ])
  // A man of 66 who was never scanned: AAA self-referral; bowel due since his 50th birthday.
  const bowel = rowOf(response.body, 'bowel')
  assert.deepEqual(bowel.slice(0, 4), ['Bowel cancer screening', 'Yes', 'Due', '1 March 2010'])
  assert.match(bowel[4] ?? '', /No bowel screening recorded/)
  assert.ok(shown.has('.hub-screening-status .govuk-tag.govuk-tag--orange'), 'due is a GOV.UK tag')
  const aaa = rowOf(response.body, 'aaa')
  assert.deepEqual(aaa.slice(1, 4), ['Can self-refer', 'Not eligible', 'No date'])
  const lung = rowOf(response.body, 'lung')
  assert.equal(lung[1], 'Check with a clinician')
  assert.match(lung[4] ?? '', /smoking history is not recorded/)
})

test('prostate is worded as informed choice and never called screening, and cannot be recorded', async (t) => {
  const { browser, url } = await setup(t)
  const html = (await browser.get(url)).body
  const prostate = rowOf(html, 'prostate-informed-choice')
  assert.equal(prostate[0], 'Prostate: informed choice (not a screening programme)')
  assert.deepEqual(prostate.slice(1, 4), ['Not applicable', 'Informed choice', 'No date'])
  const withoutName = prostate.slice(1).join(' ')
  assert.doesNotMatch(withoutName, /screen/i)
  assert.doesNotMatch(withoutName, /\bdue\b/i)
  const shown = page(html)
  const options = shown
    .$('input[name="programme"]')
    .map((_, input) => shown.$(input).attr('value'))
    .get()
  assert.deepEqual(options, ['cervical', 'breast', 'bowel', 'aaa', 'lung'])
  assert.doesNotMatch(shown.text('#result'), /prostate/i)
  // Everything the page says about prostate says it is not screening.
  const mentions = html.match(/[^.<>]*prostate[^.<>]*/gi) ?? []
  assert.ok(mentions.length > 0)
  for (const mention of mentions) {
    if (/screening/i.test(mention)) assert.match(mention, /not a screening programme/i, mention)
  }
})

test('records an event, redirects with a success banner, shows it in the history and status, and audits it', async (t) => {
  const { db, browser, url, person, user } = await setup(t)
  const response = await submit(browser, url, form({ note: 'Kit posted' }))
  assert.equal(response.statusCode, 302)
  assert.equal(response.headers.location, url)
  const saved = await db.selectFrom('screening_event').selectAll().executeTakeFirstOrThrow()
  assert.deepEqual(
    [saved.programme, saved.state, saved.event_date, saved.result, saved.self_sample, saved.note, saved.recorded_by],
    ['bowel', 'invited', '2026-11-02', null, null, 'Kit posted', user.id],
  )
  const after = await browser.get(url)
  const shown = page(after.body)
  assert.match(shown.text('.govuk-notification-banner'), /Bowel cancer screening: invited recorded/)
  assert.deepEqual(rowOf(after.body, 'bowel').slice(1, 3), ['Yes', 'Invited'])
  const history = shown.text('.hub-screening-history tbody')
  assert.match(history, /2 November 2026/)
  assert.match(history, /Kit posted/)
  assert.match(history, /Casey Clinician/)
  assert.ok(shown.has(`a[href="${url}/events/${saved.id}/entered-in-error"]`))
  const audit = await db
    .selectFrom('audit_event')
    .select(['action', 'entity_type', 'entity_id', 'person_id'])
    .where('person_id', '=', person.id)
    .orderBy('id')
    .execute()
  assert.deepEqual(
    audit.map((a) => [a.action, a.entity_type, a.entity_id]),
    [
      ['view', 'screening', person.id],
      ['create', 'screening_event', saved.id],
      ['view', 'screening', person.id],
    ],
  )
})

test('records a cervical result with a self-sample; the result decides the next date', async (t) => {
  const { db, browser, url } = await setup(t, 'clinician', {
    date_of_birth: '1990-04-23',
    sex: '2',
    stated_gender: '2',
  })
  const response = await submit(
    browser,
    url,
    form({
      programme: 'cervical',
      state: 'result-recorded',
      'date-day': '1',
      'date-month': '9',
      result: 'cervical:hpv-negative',
      selfSample: 'yes',
    }),
  )
  assert.equal(response.statusCode, 302, response.body)
  const saved = await db.selectFrom('screening_event').selectAll().executeTakeFirstOrThrow()
  assert.deepEqual([saved.result, saved.self_sample, saved.event_date], ['hpv-negative', true, '2026-09-01'])
  const after = await browser.get(url)
  assert.deepEqual(rowOf(after.body, 'cervical').slice(1, 4), ['Yes', 'Result recorded', '1 September 2029'])
  assert.match(page(after.body).text('.hub-screening-history'), /HPV negative\. Self-sample/)
})

test('a blank form re-renders (400) with the GOV.UK error summary linking to each question', async (t) => {
  const { db, browser, url } = await setup(t)
  const response = await submit(browser, url, {
    programme: '',
    state: '',
    'date-day': '',
    'date-month': '',
    'date-year': '',
  })
  assert.equal(response.statusCode, 400)
  const shown = page(response.body)
  assert.match(shown.title(), /^Error: /)
  assert.deepEqual(shown.errorSummary(), [
    { text: 'Select the screening programme', href: '#programme' },
    { text: 'Select what happened', href: '#state' },
    { text: 'Enter the date it happened', href: '#date-day' },
  ])
  assert.equal(shown.inlineError('programme'), 'Select the screening programme')
  assert.equal((await db.selectFrom('screening_event').select('id').execute()).length, 0)
})

test('refuses a future date, a missing result, a result for another programme and a self-sample for bowel', async (t) => {
  const { db, browser, url } = await setup(t)
  const cases: [Record<string, string>, { text: string; href: string }[]][] = [
    [form({ 'date-day': '21' }), [{ text: 'The date it happened must be today or in the past', href: '#date-day' }]],
    [form({ 'date-day': '31' }), [{ text: 'The date it happened must be a real date', href: '#date-day' }]],
    [form({ 'date-month': '' }), [{ text: 'The date it happened must include a month', href: '#date-month' }]],
    [
      form({ state: 'result-recorded' }),
      [{ text: 'Select the result of the bowel cancer screening', href: '#result' }],
    ],
    [
      form({ state: 'result-recorded', result: 'lung:referred' }),
      [{ text: 'That result is not one for bowel cancer screening. Choose one of: normal, referred', href: '#result' }],
    ],
    [
      form({ state: 'result-recorded', result: 'cervical:hpv-negative' }),
      [{ text: 'That result is not one for bowel cancer screening. Choose one of: normal, referred', href: '#result' }],
    ],
    [
      form({ result: 'bowel:normal' }),
      [{ text: 'Only give a result when what happened is “result recorded”', href: '#result' }],
    ],
    [
      form({ selfSample: 'yes' }),
      [{ text: 'A self-sample can only be recorded for cervical screening', href: '#selfSample' }],
    ],
    [
      form({ 'date-year': '1959' }),
      [{ text: 'The date it happened must be after the person’s date of birth', href: '#date-day' }],
    ],
  ]
  for (const [values, errors] of cases) {
    const response = await submit(browser, url, values)
    assert.equal(response.statusCode, 400, JSON.stringify(values))
    const shown = page(response.body)
    assert.deepEqual(shown.errorSummary(), errors, JSON.stringify(values))
    // What was typed is kept.
    assert.equal(shown.$('input[name="programme"][value="bowel"]').attr('checked'), 'checked')
    assert.equal(shown.value('date-year'), values['date-year'])
  }
  assert.equal((await db.selectFrom('screening_event').select('id').execute()).length, 0)
})

test('a double submission of the same form records one event', async (t) => {
  const { db, browser, url } = await setup(t)
  const shown = page((await browser.get(url)).body)
  const submissionId = String(shown.$('input[name="submissionId"]').val())
  assert.notEqual(submissionId, '')
  const first = await browser.post(url, { submissionId, ...form() })
  const second = await browser.post(url, { submissionId, ...form() })
  assert.deepEqual([first.statusCode, second.statusCode], [302, 302])
  assert.equal((await db.selectFrom('screening_event').select('id').execute()).length, 1)
})

test('marks an event entered in error with a reason; it stays in the history and no longer counts', async (t) => {
  const { db, browser, url, person, user } = await setup(t)
  const event = await givenScreeningEvent(db, person, user, {
    programme: 'bowel',
    state: 'result-recorded',
    date: '2026-03-01',
    result: 'normal',
  })
  assert.equal(rowOf((await browser.get(url)).body, 'bowel')[2], 'Result recorded')
  const correctUrl = `${url}/events/${event.id}/entered-in-error`
  const formPage = await browser.get(correctUrl)
  assert.equal(formPage.statusCode, 200)
  const shownForm = page(formPage.body)
  assert.equal(shownForm.h1(), 'Mark a screening event as entered in error')
  assert.match(shownForm.text('.govuk-summary-list'), /Bowel cancer screening/)
  const blank = await browser.post(correctUrl, { reason: ' ' })
  assert.equal(blank.statusCode, 400)
  assert.deepEqual(page(blank.body).errorSummary(), [{ text: 'Enter why this was entered in error', href: '#reason' }])
  const done = await browser.post(correctUrl, { reason: 'Recorded for the wrong person' })
  assert.equal(done.statusCode, 302)
  assert.equal(done.headers.location, url)
  const after = await browser.get(url)
  const shown = page(after.body)
  assert.match(shown.text('.govuk-notification-banner'), /marked as entered in error/)
  assert.deepEqual(rowOf(after.body, 'bowel').slice(2, 3), ['Due'])
  assert.match(
    shown.text('.hub-screening-history'),
    /Entered in error\s*Recorded for the wrong person \(Casey Clinician/,
  )
  assert.ok(!shown.has(`a[href="${correctUrl}"]`), 'no second correction link')
  const again = await browser.get(correctUrl)
  assert.match(page(again.body).text('#already-corrected'), /already marked/)
  const twice = await browser.post(correctUrl, { reason: 'Again' })
  assert.equal(twice.statusCode, 409)
  const row = await db.selectFrom('screening_event').selectAll().executeTakeFirstOrThrow()
  assert.equal(row.entered_in_error_reason, 'Recorded for the wrong person')
  const audit = await db
    .selectFrom('audit_event')
    .select(['action', 'details'])
    .where('entity_type', '=', 'screening_event')
    .where('entity_id', '=', event.id)
    .orderBy('id')
    .execute()
  assert.deepEqual(
    audit.map((a) => [
      a.action,
      (a.details as { purpose?: string; change?: string }).purpose ?? (a.details as { change?: string }).change,
    ]),
    [
      ['view', 'entered-in-error-form'],
      ['view', 'entered-in-error-form'],
      ['update', 'entered-in-error'],
      ['view', 'entered-in-error-form'],
      ['view', 'entered-in-error-form'],
    ],
  )
})

test('an event of another person cannot be corrected through this person’s URL (404)', async (t) => {
  const { db, browser, url, site, user } = await setup(t)
  const other = await givenPerson(db, site)
  const event = await givenScreeningEvent(db, other, user)
  assert.equal((await browser.get(`${url}/events/${event.id}/entered-in-error`)).statusCode, 404)
  assert.equal((await browser.post(`${url}/events/${event.id}/entered-in-error`, { reason: 'x' })).statusCode, 404)
})

for (const role of ['probation_practitioner', 'partner', 'analyst', 'admin', 'auditor'] as const) {
  test(`the ${role} role may not see or record screening (403)`, async (t) => {
    const { db, browser, url, person, site } = await setup(t, role)
    const clinician = await givenStaff(db, 'clinician', { sites: [site] })
    const event = await givenScreeningEvent(db, person, clinician)
    assert.equal((await browser.get(url)).statusCode, 403)
    assert.equal((await browser.post(url, form())).statusCode, 403)
    assert.equal((await browser.get(`${url}/events/${event.id}/entered-in-error`)).statusCode, 403)
    assert.equal((await browser.post(`${url}/events/${event.id}/entered-in-error`, { reason: 'x' })).statusCode, 403)
    assert.equal((await db.selectFrom('screening_event').select('id').execute()).length, 1)
  })
}

test('a hub manager may see and record screening', async (t) => {
  const { browser, url } = await setup(t, 'hub_manager')
  assert.equal((await browser.get(url)).statusCode, 200)
  assert.equal((await submit(browser, url, form())).statusCode, 302)
})

test('another site’s person is refused (403) and nothing is recorded', async (t) => {
  const { db, browser, user } = await setup(t)
  const elsewhere = await givenSite(db)
  const stranger = await givenPerson(db, elsewhere)
  const event = await givenScreeningEvent(db, stranger, user)
  const url = `/people/${stranger.id}/screening`
  assert.equal((await browser.get(url)).statusCode, 403)
  assert.equal((await browser.post(url, form())).statusCode, 403)
  assert.equal((await browser.get(`${url}/events/${event.id}/entered-in-error`)).statusCode, 403)
  assert.equal((await browser.post(`${url}/events/${event.id}/entered-in-error`, { reason: 'x' })).statusCode, 403)
  assert.equal((await db.selectFrom('screening_event').select('id').execute()).length, 1)
  assert.equal((await browser.get('/people/not-a-uuid/screening')).statusCode, 404)
})

test('a form posted without the CSRF token is refused (403) and records nothing', async (t) => {
  const { db, browser, url, person, user } = await setup(t)
  await browser.get(url)
  assert.equal((await browser.post(url, form(), { csrf: false })).statusCode, 403)
  assert.equal((await db.selectFrom('screening_event').select('id').execute()).length, 0)
  const event = await givenScreeningEvent(db, person, user)
  const correct = await browser.post(`${url}/events/${event.id}/entered-in-error`, { reason: 'x' }, { csrf: false })
  assert.equal(correct.statusCode, 403)
  const row = await db.selectFrom('screening_event').selectAll().executeTakeFirstOrThrow()
  assert.equal(row.entered_in_error_at, null)
})
