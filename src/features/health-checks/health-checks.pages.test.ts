import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { Kysely } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import { buildTestApp, page, signedInBrowser, type Browser } from '../../../test/support/test-app.ts'
import {
  givenAppointment,
  givenHealthCheck,
  givenPerson,
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

/** Starts a check through the start page, returning its id. */
async function startCheck(browser: Browser, personId: string, appointmentId = 'none'): Promise<string> {
  const form = page((await browser.get(`/people/${personId}/health-checks/new`)).body)
  const submissionId = String(form.$('input[name="submissionId"]').val())
  const response = await browser.post(`/people/${personId}/health-checks/new`, { appointmentId, submissionId })
  assert.equal(response.statusCode, 302)
  const match = /^\/health-checks\/([0-9a-f-]{36})$/.exec(String(response.headers.location))
  assert.ok(match?.[1], `unexpected location ${String(response.headers.location)}`)
  return match[1]
}

/** Opens a section page (which carries the check's version) and posts the answers. */
async function saveSection(
  browser: Browser,
  checkId: string,
  code: string,
  answers: Record<string, string>,
  action: 'continue' | 'later' = 'continue',
) {
  const form = page((await browser.get(`/health-checks/${checkId}/sections/${code}`)).body)
  const version = String(form.$('input[name="version"]').val())
  return browser.post(`/health-checks/${checkId}/sections/${code}`, { ...answers, version, action })
}

async function auditCount(db: Kysely<DB>, entityType: string, action: string): Promise<number> {
  const rows = await db
    .selectFrom('audit_event')
    .select('id')
    .where('entity_type', '=', entityType)
    .where('action', '=', action)
    .execute()
  return rows.length
}

const phq9Rest = (item9: string) => ({
  'phq9-3': 'not-at-all',
  'phq9-4': 'not-at-all',
  'phq9-5': 'not-at-all',
  'phq9-6': 'not-at-all',
  'phq9-7': 'not-at-all',
  'phq9-8': 'not-at-all',
  'phq9-9': item9,
  'phq9-function': 'somewhat-difficult',
})

test('a full check through the pages: offer, pre-fill, flag, response, completion and needs', async (t) => {
  const { db, site, user, person, browser } = await setup(t)
  const appointment = await givenAppointment(db, {
    person: { id: person.id, site_id: site.id },
    clinician: user,
    startsAt: '2026-11-20T11:00:00Z',
  })

  const list = page((await browser.get(`/people/${person.id}/health-checks`)).body)
  assert.equal(list.h1(), 'Health checks')
  const start = page((await browser.get(`/people/${person.id}/health-checks/new`)).body)
  assert.ok(start.has(`input[name="appointmentId"][value="${appointment.id}"]`), 'today’s appointment is offered')
  const checkId = await startCheck(browser, person.id, appointment.id)
  const stored = await db.selectFrom('health_check').selectAll().where('id', '=', checkId).executeTakeFirstOrThrow()
  assert.equal(stored.appointment_id, appointment.id)
  assert.equal(stored.status, 'in-progress')

  const taskList = page((await browser.get(`/health-checks/${checkId}`)).body)
  assert.match(taskList.text('.govuk-notification-banner'), /Health check started/)
  assert.match(taskList.text('.govuk-task-list'), /Patient Health Questionnaire \(PHQ-2\)/)
  assert.match(taskList.text('.govuk-task-list'), /Cannot start yet/, 'licensed instruments say they cannot start')

  // PHQ-2 total 3: positive, so the PHQ-9 is offered with its first two questions filled in.
  const phq2 = await saveSection(browser, checkId, 'phq-2', {
    'phq2-1': 'more-than-half-the-days',
    'phq2-2': 'several-days',
  })
  assert.equal(phq2.statusCode, 302)
  assert.equal(phq2.headers.location, `/health-checks/${checkId}/sections/phq-9`)
  const phq9Page = page((await browser.get(`/health-checks/${checkId}/sections/phq-9`)).body)
  assert.match(phq9Page.text('.govuk-notification-banner'), /offer the Patient Health Questionnaire \(PHQ-9\)/)
  assert.ok(phq9Page.has('input[name="phq9-1"][value="more-than-half-the-days"][checked]'))
  assert.ok(phq9Page.has('input[name="phq9-2"][value="several-days"][checked]'))
  assert.match(phq9Page.text('.govuk-inset-text'), /Why we ask/)
  // The published PHQ-9 wording is what the clinician reads out: the stem, then each numbered item.
  assert.match(
    phq9Page.text('main'),
    /Over the last 2 weeks, how often have you been bothered by any of the following problems\?/,
  )
  assert.match(
    phq9Page.text('main'),
    /9\. Thoughts that you would be better off dead or of hurting yourself in some way/,
  )
  assert.equal(phq9Page.$('input[name="phq9-9"][value="prefer-not-to-say"]').length, 1)

  // Item 9 answered 1: the flag is raised the moment the answer is saved.
  const phq9 = await saveSection(browser, checkId, 'phq-9', {
    'phq9-1': 'more-than-half-the-days',
    'phq9-2': 'several-days',
    ...phq9Rest('several-days'),
  })
  assert.equal(phq9.statusCode, 302)
  const flag = await db.selectFrom('warning_flag').selectAll().executeTakeFirstOrThrow()
  assert.equal(flag.status, 'awaiting-response')
  assert.equal(flag.item_code, 'phq9-9')
  assert.equal(flag.respond_by.toISOString(), '2026-11-21T00:00:00.000Z', 'the end of the same UK day')
  const afterFlag = page((await browser.get(`/health-checks/${checkId}`)).body)
  assert.match(afterFlag.text('#warning-flags'), /Needs a response today/)
  assert.match(afterFlag.text('.govuk-notification-banner'), /warning sign needs your documented response today/)
  assert.doesNotMatch(afterFlag.$('main').text(), /risk level|high risk|low risk/i)

  // Responding: blank is refused, then recorded.
  await browser.get(`/warning-flags/${flag.id}/respond`)
  const blank = await browser.post(`/warning-flags/${flag.id}/respond`, { response: '  ' })
  assert.equal(blank.statusCode, 400)
  assert.deepEqual(page(blank.body).errorSummary(), [
    { text: 'Enter your response to this warning sign', href: '#response' },
  ])
  const responded = await browser.post(`/warning-flags/${flag.id}/respond`, {
    response: 'Discussed thoughts; no plans. Safety plan agreed, GP informed with consent.',
  })
  assert.equal(responded.statusCode, 302)
  const flagAfter = await db.selectFrom('warning_flag').selectAll().executeTakeFirstOrThrow()
  assert.equal(flagAfter.status, 'responded')
  assert.equal(flagAfter.responded_by, user.id)

  // Observations: BMI worked out by the service.
  const obsForm = page((await browser.get(`/health-checks/${checkId}/observations`)).body)
  const obs = await browser.post(`/health-checks/${checkId}/observations`, {
    version: String(obsForm.$('input[name="version"]').val()),
    bloodPressureStatus: 'measured',
    systolic: '150',
    diastolic: '95',
    heightStatus: 'measured',
    heightCm: '170',
    weightStatus: 'measured',
    weightKg: '70',
    smokingStatus: 'never',
  })
  assert.equal(obs.statusCode, 302)
  const observation = await db.selectFrom('health_check_observation').selectAll().executeTakeFirstOrThrow()
  assert.equal(Number(observation.bmi), 24.2)

  // Completion proposes needs.
  const summary = page((await browser.get(`/health-checks/${checkId}/summary`)).body)
  const complete = await browser.post(`/health-checks/${checkId}/complete`, {
    version: String(summary.$('input[name="version"]').val()),
  })
  assert.equal(complete.statusCode, 302)
  const needs = await db.selectFrom('need').selectAll().orderBy('category').execute()
  assert.deepEqual(
    needs.map((n) => [n.category, n.status]),
    [
      ['mental-health', 'proposed'],
      ['physical-health', 'proposed'],
    ],
  )
  assert.equal(needs[0]?.identified_on, '2026-11-20')
  const completed = page((await browser.get(`/health-checks/${checkId}/summary`)).body)
  assert.match(completed.text('#results'), /4 out of 27 – Minimal/)
  assert.match(completed.text('.govuk-notification-banner'), /Confirm or dismiss the 2 proposed needs/)

  const mental = needs.find((n) => n.category === 'mental-health')
  const physical = needs.find((n) => n.category === 'physical-health')
  assert.ok(mental !== undefined && physical !== undefined)
  const confirm = await browser.post(`/needs/${mental.id}`, { decision: 'confirm', checkId })
  assert.equal(confirm.statusCode, 302)
  const refused = await browser.post(`/needs/${physical.id}`, { decision: 'dismiss', reason: '', checkId })
  assert.equal(refused.statusCode, 400)
  assert.deepEqual(page(refused.body).errorSummary(), [
    { text: 'Enter why this need is being dismissed', href: `#reason-${physical.id}` },
  ])
  const dismissed = await browser.post(`/needs/${physical.id}`, {
    decision: 'dismiss',
    reason: 'Already under GP care for blood pressure',
    checkId,
  })
  assert.equal(dismissed.statusCode, 302)
  const decided = await db.selectFrom('need').selectAll().orderBy('category').execute()
  assert.deepEqual(
    decided.map((n) => [n.status, n.reason]),
    [
      ['confirmed', null],
      ['dismissed', 'Already under GP care for blood pressure'],
    ],
  )

  assert.equal(await auditCount(db, 'health_check', 'create'), 1)
  assert.ok((await auditCount(db, 'health_check', 'update')) >= 4)
  assert.ok((await auditCount(db, 'health_check', 'view')) >= 1)
  assert.equal(await auditCount(db, 'warning_flag', 'create'), 1)
  assert.equal(await auditCount(db, 'warning_flag', 'update'), 1)
  assert.equal(await auditCount(db, 'need', 'create'), 2)
  assert.equal(await auditCount(db, 'need', 'update'), 2)

  const timeline = page((await browser.get(`/people/${person.id}/timeline`)).body)
  assert.match(timeline.text('#timeline'), /Health check completed/)
  assert.match(timeline.text('#timeline'), /Mental health need confirmed/)
  assert.match(timeline.text('#timeline'), /Joint appointment|Health appointment/)
})

test('saving part-way keeps every answer, and "Save and continue" names the questions left', async (t) => {
  const { person, browser, db } = await setup(t)
  const checkId = await startCheck(browser, person.id)
  const later = await saveSection(browser, checkId, 'gad-2', { 'gad2-1': 'several-days' }, 'later')
  assert.equal(later.statusCode, 302)
  assert.equal(later.headers.location, `/health-checks/${checkId}`)
  const tasks = page((await browser.get(`/health-checks/${checkId}`)).body)
  assert.match(tasks.text('.govuk-notification-banner'), /You can come back to them at any time/)
  assert.match(tasks.$('.govuk-task-list__item').eq(1).text(), /In progress/)

  const resumed = page((await browser.get(`/health-checks/${checkId}/sections/gad-2`)).body)
  assert.ok(resumed.has('input[name="gad2-1"][value="several-days"][checked]'))

  const onward = await saveSection(browser, checkId, 'gad-2', { 'gad2-1': 'several-days' })
  assert.equal(onward.statusCode, 400)
  const html = page(onward.body)
  assert.match(html.title(), /^Error: /)
  assert.deepEqual(html.errorSummary(), [{ text: 'Answer question 2, or choose ‘Prefer not to say’', href: '#gad2-2' }])
  assert.ok(html.has('input[name="gad2-1"][value="several-days"][checked]'), 'what was typed is kept')
  const row = await db.selectFrom('health_check_response').selectAll().executeTakeFirstOrThrow()
  assert.deepEqual(row.answers, { 'gad2-1': 'several-days' })
  assert.equal(row.complete, false)
})

test('prefer not to say makes the result incomplete and names the question', async (t) => {
  const { person, browser, db } = await setup(t)
  const checkId = await startCheck(browser, person.id)
  const saved = await saveSection(browser, checkId, 'phq-2', {
    'phq2-1': 'prefer-not-to-say',
    'phq2-2': 'several-days',
  })
  assert.equal(saved.statusCode, 302)
  assert.equal(
    saved.headers.location,
    `/health-checks/${checkId}`,
    'an incomplete brief screen below the cut-off offers nothing',
  )
  const row = await db.selectFrom('health_check_response').selectAll().executeTakeFirstOrThrow()
  assert.equal(row.complete, false)
  assert.equal(row.score, null)
  assert.deepEqual(row.missing_items, ['phq2-1'])
  const summary = page((await browser.get(`/health-checks/${checkId}/summary`)).body)
  assert.match(summary.text('#results'), /Incomplete \(prefer not to say: question 1\)/)
  const tasks = page((await browser.get(`/health-checks/${checkId}`)).body)
  assert.match(tasks.$('.govuk-task-list__item').first().text(), /Completed/, 'every question was answered')
})

test('an instrument whose licence needs permission cannot be started', async (t) => {
  const { person, browser, db } = await setup(t)
  const checkId = await startCheck(browser, person.id)
  const shown = page((await browser.get(`/health-checks/${checkId}/sections/dast-10`)).body)
  assert.match(shown.h1(), /cannot be used yet/)
  assert.ok(!shown.has('input[name="dast10-1"]'))
  const posted = await browser.post(`/health-checks/${checkId}/sections/dast-10`, { 'dast10-1': 'yes', version: '1' })
  assert.equal(posted.statusCode, 409)
  assert.equal((await db.selectFrom('health_check_response').selectAll().execute()).length, 0)
})

test('observations report every error at once, with the values kept', async (t) => {
  const { db, person, browser } = await setup(t)
  const checkId = await startCheck(browser, person.id)
  const form = page((await browser.get(`/health-checks/${checkId}/observations`)).body)
  const response = await browser.post(`/health-checks/${checkId}/observations`, {
    version: String(form.$('input[name="version"]').val()),
    bloodPressureStatus: 'measured',
    systolic: '1200',
    diastolic: '80',
    heightStatus: 'prefer-not-to-say',
    weightStatus: 'measured',
    weightKg: 'heavy',
  })
  assert.equal(response.statusCode, 400)
  const html = page(response.body)
  assert.match(html.title(), /^Error: /)
  assert.deepEqual(html.errorSummary(), [
    { text: 'The systolic blood pressure must be between 50 and 300 mmHg', href: '#systolic' },
    { text: 'The weight must be a number, like 120', href: '#weightKg' },
  ])
  assert.equal(html.value('systolic'), '1200')
  assert.equal(html.value('weightKg'), 'heavy')
  const inverted = page(
    (
      await browser.post(`/health-checks/${checkId}/observations`, {
        version: String(form.$('input[name="version"]').val()),
        bloodPressureStatus: 'measured',
        systolic: '70',
        diastolic: '80',
        heightStatus: 'measured',
        heightCm: '20',
        weightStatus: 'measured',
        weightKg: '',
      })
    ).body,
  )
  assert.deepEqual(inverted.errorSummary(), [
    { text: 'The systolic blood pressure must be higher than the diastolic', href: '#systolic' },
    { text: 'The height must be between 50 and 250 cm', href: '#heightCm' },
    { text: 'Enter the weight, or say it was not measured', href: '#weightKg' },
  ])
  const unchosen = page(
    (
      await browser.post(`/health-checks/${checkId}/observations`, {
        version: String(form.$('input[name="version"]').val()),
        bloodPressureStatus: 'measured',
        systolic: '120',
        diastolic: 'eighty',
        weightStatus: 'measured',
        weightKg: '500',
      })
    ).body,
  )
  assert.deepEqual(
    unchosen.errorSummary().map((e) => e.href),
    ['#diastolic', '#heightStatus', '#weightKg'],
  )
  assert.equal((await db.selectFrom('health_check_observation').selectAll().execute()).length, 0)
  const second = await browser.post(`/health-checks/${checkId}/observations`, {
    version: String(form.$('input[name="version"]').val()),
    bloodPressureStatus: 'measured',
    systolic: '1200',
    diastolic: '80',
    heightStatus: 'not-measured',
    weightStatus: 'not-measured',
  })
  assert.equal(second.statusCode, 400)
  assert.deepEqual(page(second.body).errorSummary(), [
    { text: 'The systolic blood pressure must be between 50 and 300 mmHg', href: '#systolic' },
  ])
})

test('a blood pressure of 190/125 raises a same-day warning flag the moment it is saved (H-326)', async (t) => {
  const { db, user, person, browser } = await setup(t)
  const checkId = await startCheck(browser, person.id)
  const form = page((await browser.get(`/health-checks/${checkId}/observations`)).body)
  const saved = await browser.post(`/health-checks/${checkId}/observations`, {
    version: String(form.$('input[name="version"]').val()),
    bloodPressureStatus: 'measured',
    systolic: '190',
    diastolic: '125',
    heightStatus: 'not-measured',
    weightStatus: 'not-measured',
    smokingStatus: 'never',
  })
  assert.equal(saved.statusCode, 302)
  assert.equal(saved.headers.location, `/health-checks/${checkId}`)
  const flags = await db.selectFrom('warning_flag').selectAll().execute()
  assert.equal(flags.length, 1)
  const [flag] = flags
  assert.ok(flag)
  assert.deepEqual(
    [flag.instrument_code, flag.item_code, flag.code, flag.status, flag.person_id],
    ['observations', 'blood-pressure', 'severe-hypertension', 'awaiting-response', person.id],
  )
  // Raised at 10:00 UTC on 20 November (GMT): the response is due by the next UK midnight.
  assert.equal(new Date(flag.respond_by).toISOString(), '2026-11-21T00:00:00.000Z')
  assert.match(flag.message, /^Blood pressure 190\/125 mmHg is severely raised \(180\/120 or higher\)/)
  assert.equal(await auditCount(db, 'warning_flag', 'create'), 1)

  const check = page((await browser.get(`/health-checks/${checkId}`)).body)
  assert.match(check.text('.govuk-notification-banner'), /warning sign needs your documented response today/)
  assert.match(check.text('#warning-flags'), /Needs a response today/)
  assert.match(check.text('#warning-flags'), /190\/125 mmHg/)
  assert.doesNotMatch(check.text('main'), /risk (level|rating|score)|high risk|low risk/i)

  // Saving the same reading again raises no second flag.
  const again = page((await browser.get(`/health-checks/${checkId}/observations`)).body)
  await browser.post(`/health-checks/${checkId}/observations`, {
    version: String(again.$('input[name="version"]').val()),
    bloodPressureStatus: 'measured',
    systolic: '190',
    diastolic: '125',
    heightStatus: 'not-measured',
    weightStatus: 'not-measured',
    smokingStatus: 'never',
  })
  assert.equal((await db.selectFrom('warning_flag').select('id').execute()).length, 1)

  const summary = page((await browser.get(`/health-checks/${checkId}/summary`)).body)
  assert.match(summary.text('#flags'), /190\/125 mmHg is severely raised/)
  const complete = await browser.post(`/health-checks/${checkId}/complete`, {
    version: String(summary.$('input[name="version"]').val()),
  })
  assert.equal(complete.statusCode, 302)
  const need = await db
    .selectFrom('need')
    .selectAll()
    .where('category', '=', 'physical-health')
    .executeTakeFirstOrThrow()
  assert.equal(
    need.proposed_because,
    'Blood pressure 190/125 mmHg: severely raised (180/120 or higher), same-day clinician review',
  )
  assert.equal(need.status, 'proposed')
  assert.equal(
    user.id,
    (await db.selectFrom('health_check').select('clinician_id').executeTakeFirstOrThrow()).clinician_id,
  )
})

test('a raised blood pressure below 180/120 proposes a need but raises no warning flag', async (t) => {
  const { db, person, browser } = await setup(t)
  const checkId = await startCheck(browser, person.id)
  const form = page((await browser.get(`/health-checks/${checkId}/observations`)).body)
  const saved = await browser.post(`/health-checks/${checkId}/observations`, {
    version: String(form.$('input[name="version"]').val()),
    bloodPressureStatus: 'measured',
    systolic: '179',
    diastolic: '119',
    heightStatus: 'not-measured',
    weightStatus: 'not-measured',
    smokingStatus: 'never',
  })
  assert.equal(saved.statusCode, 302)
  assert.equal((await db.selectFrom('warning_flag').select('id').execute()).length, 0)
  const check = page((await browser.get(`/health-checks/${checkId}`)).body)
  assert.ok(!check.has('#warning-flags'))
  assert.match(check.text('.govuk-notification-banner'), /Physical health measurements saved/)
})

test('a stale version is refused with 409 and nothing overwritten', async (t) => {
  const { person, browser } = await setup(t)
  const checkId = await startCheck(browser, person.id)
  const response = await browser.post(`/health-checks/${checkId}/sections/phq-2`, {
    'phq2-1': 'not-at-all',
    version: '99',
    action: 'later',
  })
  assert.equal(response.statusCode, 409)
  assert.match(page(response.body).text('.govuk-error-summary'), /Someone else saved this health check/)
})

test('probation practitioners, analysts and other sites cannot see answers; forms need CSRF', async (t) => {
  const { app, db, site, person, browser, user } = await setup(t)
  const checkId = await startCheck(browser, person.id)
  await saveSection(browser, checkId, 'phq-2', { 'phq2-1': 'not-at-all', 'phq2-2': 'not-at-all' })
  const check = { id: checkId }
  const flagged = await givenHealthCheck(db, {
    person: { id: person.id, site_id: site.id },
    clinician: user,
    flag: true,
  })

  for (const role of ['probation_practitioner', 'analyst', 'admin', 'partner'] as const) {
    const other = await givenStaff(db, role, { sites: [site] })
    const b = await signedInBrowser(app, other.email, other.password)
    for (const url of [
      `/people/${person.id}/health-checks`,
      `/health-checks/${check.id}`,
      `/health-checks/${check.id}/sections/phq-2`,
      `/health-checks/${check.id}/summary`,
      `/warning-flags/${flagged.flagId ?? ''}/respond`,
    ]) {
      assert.equal((await b.get(url)).statusCode, 403, `${role} ${url}`)
    }
  }

  const practitioner = await givenStaff(db, 'probation_practitioner', { sites: [site] })
  const pp = await signedInBrowser(app, practitioner.email, practitioner.password)
  const timeline = await pp.get(`/people/${person.id}/timeline`)
  assert.equal(timeline.statusCode, 200)
  assert.doesNotMatch(page(timeline.body).text('main'), /Health check (started|completed)|Needs a response|Proposed/)
  assert.match(page(timeline.body).text('main'), /shown to the health team only/)

  const elsewhere = await givenSite(db)
  const stranger = await givenStaff(db, 'clinician', { sites: [elsewhere] })
  const sb = await signedInBrowser(app, stranger.email, stranger.password)
  assert.equal((await sb.get(`/health-checks/${check.id}`)).statusCode, 403)
  assert.equal((await sb.get(`/people/${person.id}/health-checks`)).statusCode, 403)
  assert.equal((await sb.get(`/health-checks/${check.id}/summary`)).statusCode, 403)

  const noCsrf = await browser.post(
    `/health-checks/${check.id}/sections/phq-2`,
    { 'phq2-1': 'nearly-every-day', version: '2', action: 'later' },
    { csrf: false },
  )
  assert.equal(noCsrf.statusCode, 403)
})

test('the summary says "Positive screen" once, tagging only a positive result whose band does not already say so', async (t) => {
  const { db, user, person, browser } = await setup(t)
  const check = await givenHealthCheck(db, { person, clinician: user, status: 'completed' })
  const result = (code: string, score: number, band: [string, string]) => ({
    check_id: check.id,
    instrument_code: code,
    instrument_version: '1.1.0',
    answers: '{}',
    applicable: true,
    complete: true,
    score,
    partial_score: null,
    band_code: band[0],
    band_label: band[1],
    positive: true,
    missing_items: '[]',
    prefer_not_to_say: '[]',
    saved_at: new Date('2026-11-20T09:40:00Z'),
    saved_by: user.id,
  })
  await db
    .insertInto('health_check_response')
    .values([result('phq-2', 4, ['positive', 'Positive screen']), result('phq-9', 12, ['moderate', 'Moderate'])])
    .execute()
  const summary = page((await browser.get(`/health-checks/${check.id}/summary`)).body)
  const row = (title: RegExp) =>
    summary.$('#results tbody tr').filter((_, tr) => title.test(summary.$(tr).find('th').text()))
  const phq2 = row(/PHQ-2/)
  assert.equal(phq2.find('td').text().replace(/\s+/g, ' ').trim(), '4 out of 6 – Positive screen')
  assert.equal(phq2.find('.govuk-tag').length, 0, 'the band already says it')
  const phq9 = row(/PHQ-9/)
  assert.equal(phq9.find('td').text().replace(/\s+/g, ' ').trim(), '12 out of 27 – Moderate Positive screen')
  assert.equal(phq9.find('.govuk-tag').length, 1)
  assert.ok(summary.has('.hub-table-scroll > #results'), 'the results scroll inside their own box on a small screen')
})
