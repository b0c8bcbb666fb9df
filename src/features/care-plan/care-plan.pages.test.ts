import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp, page, signedInBrowser } from '../../../test/support/test-app.ts'
import {
  givenAppointment,
  givenConsent,
  givenGpRegistration,
  givenNeed,
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
  const site = await givenSite(db, { name: 'Cambridge hub' })
  const user = await givenStaff(db, role, { sites: [site], name: 'Casey Clinician' })
  const colleague = await givenStaff(db, 'clinician', { sites: [site] })
  const person = await givenPerson(db, site, { given_name: 'Samuel', family_name: 'Taylor', preferred_name: 'Sam' })
  const browser = await signedInBrowser(app, user.email, user.password)
  const url = `/people/${person.id}/care-plan`
  return { app, db, site, user, colleague, person, browser, url }
}

async function addGoal(browser: Awaited<ReturnType<typeof signedInBrowser>>, url: string, words: string) {
  await browser.get(`${url}/goals/new`)
  const response = await browser.post(`${url}/goals/new`, { inOwnWords: words })
  assert.equal(response.statusCode, 302)
}

test('a clinician adds a goal, an action, a review and the agreement; the plan page shows them and their history', async (t) => {
  const { db, browser, url, person, colleague } = await setup(t)
  const empty = page((await browser.get(url)).body)
  assert.equal(empty.h1(), 'Care plan')
  assert.ok(empty.has('#no-goals'))
  assert.match(empty.text('#agreement-status'), /Not recorded/)

  const form = page((await browser.get(`${url}/goals/new`)).body)
  assert.equal(form.h1(), 'Add a goal')
  assert.ok(form.has('input[name="_csrf"]'))
  const saved = await browser.post(`${url}/goals/new`, { inOwnWords: 'I want to sleep better' })
  assert.equal(saved.statusCode, 302)
  assert.equal(saved.headers.location, url)
  const goal = await db.selectFrom('care_plan_goal').selectAll().executeTakeFirstOrThrow()

  const need = await givenNeed(db, { id: person.id, site_id: person.site_id }, colleague)
  const actionForm = page((await browser.get(`${url}/goals/${goal.id}/actions/new`)).body)
  assert.equal(actionForm.h1(), 'Add an action')
  assert.ok(actionForm.has(`input[name="link"][value="need:${need.id}"]`))
  const action = await browser.post(`${url}/goals/${goal.id}/actions/new`, {
    description: 'Talk to the GP about sleep',
    owner: 'person',
    ownerName: '',
    'dueOn-day': '4',
    'dueOn-month': '12',
    'dueOn-year': '2026',
    status: 'to-do',
    link: `need:${need.id}`,
  })
  assert.equal(action.statusCode, 302, action.body)

  await browser.get(`${url}/reviews/new`)
  const review = await browser.post(`${url}/reviews/new`, {
    'reviewedOn-day': '20',
    'reviewedOn-month': '11',
    'reviewedOn-year': '2026',
    appointmentId: 'none',
    [`outcome-${goal.id}`]: 'progressing',
    notes: '',
  })
  assert.equal(review.statusCode, 302, review.body)

  await browser.get(`${url}/agreement`)
  const agreement = await browser.post(`${url}/agreement`, {
    decision: 'agreed',
    comments: 'Happy with it',
    'decidedOn-day': '20',
    'decidedOn-month': '11',
    'decidedOn-year': '2026',
  })
  assert.equal(agreement.statusCode, 302, agreement.body)

  const plan = page((await browser.get(url)).body)
  assert.match(plan.text('.govuk-notification-banner'), /Agreement recorded/)
  assert.match(plan.text(`#goal-${goal.id}`), /Goal 1: “I want to sleep better”/)
  assert.match(
    plan.text(`#goal-${goal.id}`),
    /Talk to the GP about sleep\s*The person\s*4 December 2026\s*To do\s*Mental health need/,
  )
  assert.match(plan.text(`#goal-${goal.id}`), /Progressing on 20 November 2026/)
  assert.match(plan.text('#agreement-status'), /Agreed on 20 November 2026/)
  assert.match(plan.text('#history'), /Agreement recorded: agreed/)
  assert.match(plan.text('#history'), /Goal added: “I want to sleep better”/)
})

test('changing a goal or an action keeps the earlier version in history; a stale form is refused (409) keeping the input', async (t) => {
  const { db, browser, url } = await setup(t)
  await addGoal(browser, url, 'Drink less')
  const goal = await db.selectFrom('care_plan_goal').selectAll().executeTakeFirstOrThrow()
  const edit = page((await browser.get(`${url}/goals/${goal.id}`)).body)
  assert.equal(edit.h1(), 'Change the goal')
  assert.equal(edit.text('#inOwnWords'), 'Drink less')
  assert.equal(
    (await browser.post(`${url}/goals/${goal.id}`, { inOwnWords: 'Drink less at weekends', version: '1' })).statusCode,
    302,
  )
  const stale = await browser.post(`${url}/goals/${goal.id}`, { inOwnWords: 'Stop drinking', version: '1' })
  assert.equal(stale.statusCode, 409)
  const html = page(stale.body)
  assert.ok(html.has('#stale'))
  assert.equal(html.text('#inOwnWords'), 'Stop drinking')
  const plan = page((await browser.get(url)).body)
  assert.match(plan.text('#history'), /Goal changed from “Drink less” to “Drink less at weekends”/)
  const versions = await db
    .selectFrom('care_plan_history')
    .select('snapshot')
    .where('entity', '=', 'goal')
    .orderBy('id')
    .execute()
  assert.deepEqual(
    versions.map((v) => v.snapshot['inOwnWords']),
    ['Drink less', 'Drink less at weekends'],
  )
})

test('each form re-renders with the GOV.UK error summary (400) and what was typed', async (t) => {
  const { db, browser, url } = await setup(t)
  await browser.get(`${url}/goals/new`)
  const blank = await browser.post(`${url}/goals/new`, { inOwnWords: '  ' })
  assert.equal(blank.statusCode, 400)
  assert.match(page(blank.body).title(), /^Error: /)
  assert.deepEqual(page(blank.body).errorSummary(), [
    { text: 'Enter the goal in the person’s own words', href: '#inOwnWords' },
  ])

  await addGoal(browser, url, 'Find a dentist')
  const goal = await db.selectFrom('care_plan_goal').selectAll().executeTakeFirstOrThrow()
  const action = await browser.post(`${url}/goals/${goal.id}/actions/new`, {
    description: 'Ring the dental helpline',
    owner: '',
    'dueOn-day': '31',
    'dueOn-month': '2',
    'dueOn-year': '2027',
    status: 'to-do',
  })
  assert.equal(action.statusCode, 400)
  assert.deepEqual(page(action.body).errorSummary(), [
    { text: 'The date it is due by must be a real date', href: '#dueOn-day' },
  ])
  assert.equal(page(action.body).text('#description'), 'Ring the dental helpline')
  const noOwner = await browser.post(`${url}/goals/${goal.id}/actions/new`, {
    description: '',
    owner: '',
    status: 'to-do',
  })
  assert.deepEqual(
    page(noOwner.body)
      .errorSummary()
      .map((e) => e.href),
    ['#description', '#owner'],
  )

  const review = await browser.post(`${url}/reviews/new`, {
    'reviewedOn-day': '21',
    'reviewedOn-month': '11',
    'reviewedOn-year': '2026',
  })
  assert.deepEqual(page(review.body).errorSummary(), [
    { text: 'The date of the review must be today or in the past', href: '#reviewedOn-day' },
  ])
  const emptyReview = await browser.post(`${url}/reviews/new`, {
    'reviewedOn-day': '20',
    'reviewedOn-month': '11',
    'reviewedOn-year': '2026',
  })
  assert.deepEqual(page(emptyReview.body).errorSummary(), [
    { text: 'Choose an outcome for at least one goal, or enter review notes', href: '#outcomes' },
  ])

  const agreement = await browser.post(`${url}/agreement`, { decision: '', comments: 'kept' })
  assert.equal(agreement.statusCode, 400)
  assert.deepEqual(
    page(agreement.body)
      .errorSummary()
      .map((e) => e.href),
    ['#decision', '#decidedOn-day'],
  )
  assert.equal(page(agreement.body).text('#comments'), 'kept')
  const inPart = await browser.post(`${url}/agreement`, {
    decision: 'agreed-in-part',
    'decidedOn-day': '20',
    'decidedOn-month': '11',
    'decidedOn-year': '2026',
  })
  assert.deepEqual(page(inPart.body).errorSummary(), [
    { text: 'Enter which parts the person did not agree to, in their words', href: '#comments' },
  ])
  assert.equal((await db.selectFrom('care_plan_agreement').select('id').execute()).length, 0)
})

test('a form posted without the CSRF token is refused and nothing is saved', async (t) => {
  const { db, browser, url } = await setup(t)
  await browser.get(`${url}/goals/new`)
  const response = await browser.post(`${url}/goals/new`, { inOwnWords: 'Sleep better' }, { csrf: false })
  assert.equal(response.statusCode, 403)
  assert.equal((await db.selectFrom('care_plan_goal').select('id').execute()).length, 0)
})

test('partners and analysts cannot open the plan; another site’s clinician is refused', async (t) => {
  const { app, db, url } = await setup(t)
  for (const role of ['partner', 'analyst'] as const) {
    const user = await givenStaff(db, role)
    const browser = await signedInBrowser(app, user.email, user.password)
    assert.equal((await browser.get(url)).statusCode, 403, role)
    assert.equal((await browser.get(`${url}/print`)).statusCode, 403, role)
  }
  const elsewhere = await givenSite(db)
  const other = await givenStaff(db, 'clinician', { sites: [elsewhere] })
  const browser = await signedInBrowser(app, other.email, other.password)
  assert.equal((await browser.get(url)).statusCode, 403)
  assert.equal((await browser.get(`${url}/print`)).statusCode, 403)
})

test('a probation practitioner sees the plan only with consent, read-only, and cannot open a form or the printed plan', async (t) => {
  const { app, db, url, person, site } = await setup(t)
  const clinician = await givenStaff(db, 'clinician', { sites: [site] })
  const health = await signedInBrowser(app, clinician.email, clinician.password)
  await addGoal(health, url, 'Keep my appointments')
  const practitioner = await givenStaff(db, 'probation_practitioner', { sites: [site] })
  const browser = await signedInBrowser(app, practitioner.email, practitioner.password)
  const withheld = await browser.get(url)
  assert.equal(withheld.statusCode, 200)
  assert.match(page(withheld.body).text('#not-shared'), /has not agreed to share/)
  assert.doesNotMatch(withheld.body, /Keep my appointments/)
  await givenConsent(db, person, clinician)
  const shown = page((await browser.get(url)).body)
  assert.match(shown.text('h3'), /Keep my appointments/)
  assert.ok(!shown.has('a[href$="/goals/new"]'))
  assert.equal((await browser.get(`${url}/goals/new`)).statusCode, 403)
  assert.equal((await browser.get(`${url}/print`)).statusCode, 403)
  assert.equal((await browser.post(`${url}/goals/new`, { inOwnWords: 'x' })).statusCode, 403)
})

test('the printed plan speaks to the person by preferred name and shows only the goals and sections chosen', async (t) => {
  const { db, browser, url, person, colleague, site } = await setup(t)
  await addGoal(browser, url, 'I want to sleep better')
  await addGoal(browser, url, 'Stop using heroin')
  const goals = await db.selectFrom('care_plan_goal').selectAll().execute()
  const sleep = goals.find((g) => g.in_own_words === 'I want to sleep better')
  assert.ok(sleep)
  const service = await givenService(db, site, {
    kind: 'talking-therapies',
    name: 'Talking Therapies North',
    phone: '01234 567890',
  })
  const need = await givenNeed(db, { id: person.id, site_id: site.id }, colleague)
  await givenReferral(db, {
    person: { id: person.id, site_id: site.id },
    need,
    service,
    createdBy: colleague,
    status: 'accepted',
    reason: 'Low mood and PHQ-9 of 17',
  })
  await givenAppointment(db, {
    person: { id: person.id, site_id: site.id },
    clinician: colleague,
    startsAt: '2026-11-24T10:00:00Z',
    location: 'Room 3, Probation Office',
  })
  await givenGpRegistration(db, person, colleague, { status: 'in-progress' })

  const nothingChosen = page((await browser.get(`${url}/print`)).body)
  assert.equal(nothingChosen.h1(), 'My health plan')
  assert.match(nothingChosen.text('.hub-plan'), /For Sam\./)
  assert.doesNotMatch(nothingChosen.text('.hub-plan'), /sleep better|heroin|Talking Therapies|Room 3/)
  assert.ok(nothingChosen.has('#agreement-warning'))
  assert.match(nothingChosen.text('#print-hint'), /Use your browser’s print function/)

  const choices = page((await browser.get(`${url}/print-choices`)).body)
  assert.equal(choices.h1(), 'Choose what goes in the printed plan')
  const saved = await browser.post(`${url}/print-choices`, {
    version: String(choices.$('input[name="version"]').val()),
    goals: [sleep.id],
    sections: ['appointments', 'referrals', 'phoneNumbers'],
  })
  assert.equal(saved.statusCode, 302, saved.body)

  const printed = page((await browser.get(`${url}/print`)).body)
  const text = printed.text('.hub-plan')
  assert.match(text, /“I want to sleep better”/)
  assert.doesNotMatch(text, /heroin/)
  assert.match(
    printed.text('#appointments'),
    /24 November 2026, 10am to 10:45am\. At Room 3, Probation Office\. With your health worker\./,
  )
  assert.match(
    printed.text('#referrals'),
    /Talking Therapies North said yes\. Talking Therapies North will contact you to book your first appointment\./,
  )
  assert.doesNotMatch(text, /PHQ|Low mood|mental health/i)
  assert.match(printed.text('#phone-numbers'), /Cambridge hub: ask your health worker for the number/)
  assert.match(printed.text('#phone-numbers'), /Talking Therapies North: 01234 567890/)
  assert.ok(!printed.has('#gp-registration'))
  assert.ok(!printed.has('#screening'))
  assert.match(printed.$('style').text(), /@media print/)

  const audits = await db
    .selectFrom('audit_event')
    .select(['action', 'entity_type'])
    .where('person_id', '=', person.id)
    .where('entity_type', '=', 'care_plan')
    .execute()
  assert.ok(audits.some((a) => a.action === 'export'))
  const history = page((await browser.get(url)).body)
  assert.match(history.text('#history'), /Choices for the printed plan changed/)
  assert.match(history.text('#history'), /Goal “I want to sleep better” included in the printed plan/)

  const again = page((await browser.get(`${url}/print-choices`)).body)
  await browser.post(`${url}/print-choices`, {
    version: String(again.$('input[name="version"]').val()),
    sections: ['gpRegistration', 'screening'],
  })
  const second = page((await browser.get(`${url}/print`)).body)
  assert.match(second.text('#gp-registration'), /We are helping you register with a GP/)
  assert.match(second.text('#screening'), /No screening is due now/)
  assert.ok(!second.has('#appointments'))
  assert.ok(!second.has('#referrals'))
  assert.doesNotMatch(second.text('.hub-plan'), /sleep better/)
})

test('the person’s record links to their care plan', async (t) => {
  const { browser, person, url } = await setup(t)
  const record = page((await browser.get(`/people/${person.id}`)).body)
  assert.equal(record.$(`a[href="${url}"]`).first().text().trim(), 'Care plan')
})
