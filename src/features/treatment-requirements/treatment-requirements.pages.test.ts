import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { Kysely } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import { buildTestApp, page, signedInBrowser } from '../../../test/support/test-app.ts'
import {
  givenConsent,
  givenPerson,
  givenSite,
  givenStaff,
  givenTreatmentReferral,
  givenTreatmentRequirement,
} from '../../../test/support/builders.ts'
import type { StaffRole } from '../../platform/http/roles.ts'

async function setup(t: TestContext, role: StaffRole = 'clinician') {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db, { name: 'Cambridge' })
  const user = await givenStaff(db, role, { sites: [site] })
  const colleague = await givenStaff(db, 'clinician', { sites: [site], name: 'Casey Clinician' })
  const person = await givenPerson(db, site, { given_name: 'Sam', family_name: 'Taylor' })
  const browser = await signedInBrowser(app, user.email, user.password)
  return { app, db, site, user, colleague, person, browser }
}

const proposal = (overrides: Record<string, string> = {}) => ({
  kind: 'drr',
  'proposedOn-day': '18',
  'proposedOn-month': '11',
  'proposedOn-year': '2026',
  note: '',
  ...overrides,
})

const change = (version: number, overrides: Record<string, string> = {}) => ({
  form: 'transition',
  version: String(version),
  'at-day': '19',
  'at-month': '11',
  'at-year': '2026',
  reason: '',
  ...overrides,
})

async function row(db: Kysely<DB>, id: string) {
  return db.selectFrom('treatment_requirement').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

test('proposes from the list page, redirects to the requirement with a success banner, and lists it', async (t) => {
  const { db, person, user, browser } = await setup(t, 'probation_practitioner')
  const listUrl = `/people/${person.id}/treatment-requirements`
  const empty = page((await browser.get(listUrl)).body)
  assert.equal(empty.h1(), 'Treatment requirements')
  assert.ok(empty.has('#no-requirements'))
  assert.equal(empty.$('a.govuk-button').text().trim(), 'Propose a treatment requirement')
  const form = page((await browser.get(`${listUrl}/new`)).body)
  assert.equal(form.h1(), 'Propose a treatment requirement')
  assert.ok(form.has('input[name="_csrf"]'))
  assert.equal(form.$('input[name="kind"]').length, 3)
  const response = await browser.post(`${listUrl}/new`, proposal({ note: 'PSR due 4 December' }))
  assert.equal(response.statusCode, 302)
  const saved = await db.selectFrom('treatment_requirement').selectAll().executeTakeFirstOrThrow()
  assert.equal(response.headers.location, `/treatment-requirements/${saved.id}`)
  assert.deepEqual(
    [saved.kind, saved.status, saved.proposed_on, saved.note, saved.created_by],
    ['drr', 'proposed', '2026-11-18', 'PSR due 4 December', user.id],
  )
  const detail = page((await browser.get(response.headers.location)).body)
  assert.equal(detail.h1(), 'Drug Rehabilitation Requirement (DRR)')
  assert.match(detail.text('.govuk-notification-banner'), /DRR proposed/)
  assert.equal(detail.text('#current-status'), 'Proposed')
  const list = page((await browser.get(listUrl)).body)
  assert.match(
    list.text('table'),
    /Drug Rehabilitation Requirement \(DRR\)\s*Proposed\s*Proposed 18 November 2026\s*None linked/,
  )
})

test('re-renders the proposal with GOV.UK errors (400) keeping the note; a future date or a duplicate is refused', async (t) => {
  const { db, person, browser } = await setup(t)
  const url = `/people/${person.id}/treatment-requirements/new`
  await browser.get(url)
  const blank = await browser.post(url, { note: 'kept' })
  assert.equal(blank.statusCode, 400)
  const html = page(blank.body)
  assert.match(html.title(), /^Error: /)
  assert.deepEqual(html.errorSummary(), [
    { text: 'Select the treatment requirement', href: '#kind' },
    { text: 'Enter the date it was proposed', href: '#proposedOn-day' },
  ])
  assert.equal(html.text('#note'), 'kept')
  const future = page((await browser.post(url, proposal({ 'proposedOn-day': '21' }))).body)
  assert.deepEqual(
    future.errorSummary().map((e) => e.href),
    ['#proposedOn-day'],
  )
  assert.equal(future.value('proposedOn-day'), '21')
  assert.equal((await browser.post(url, proposal())).statusCode, 302)
  const duplicate = await browser.post(url, proposal())
  assert.equal(duplicate.statusCode, 409)
  assert.deepEqual(page(duplicate.body).errorSummary(), [
    {
      text: 'This person already has an open DRR: update that one instead of proposing another',
      href: '#kind',
    },
  ])
  assert.equal((await db.selectFrom('treatment_requirement').select('id').execute()).length, 1)
})

test('a clinician links a suggested referral and records an assessment; the changelog shows both', async (t) => {
  const { db, person, colleague, browser } = await setup(t)
  const alcohol = await givenTreatmentReferral(db, person, colleague, { category: 'alcohol', serviceName: 'Drinkwise' })
  const drugs = await givenTreatmentReferral(db, person, colleague, {
    category: 'drugs',
    serviceName: 'Change Grow Live',
    status: 'sent',
  })
  const requirement = await givenTreatmentRequirement(db, person, colleague, { kind: 'drr' })
  const url = `/treatment-requirements/${requirement.id}`
  const view = page((await browser.get(url)).body)
  assert.deepEqual(
    view
      .$('input[name="to"]')
      .map((_, el) => view.$(el).attr('value'))
      .get(),
    ['assessed-suitable', 'assessed-unsuitable'],
  )
  const referralChoices = view
    .$('input[name="referralId"]')
    .map((_, el) => view.$(el).attr('value'))
    .get()
  assert.deepEqual(referralChoices, [drugs.id, alcohol.id, 'none'])
  assert.match(view.text(`label[for="referralId"]`), /Change Grow Live – Drugs – Sent/)
  assert.match(view.text('#referralId-item-hint'), /Suggested: its need matches a DRR/)
  assert.equal(view.$('.govuk-radios__hint').filter((_, el) => /Suggested/.test(view.$(el).text())).length, 1)
  const linked = await browser.post(url, { form: 'link', version: '1', referralId: drugs.id })
  assert.equal(linked.statusCode, 302)
  assert.equal((await row(db, requirement.id)).referral_id, drugs.id)
  const noReason = await browser.post(url, change(2, { to: 'assessed-unsuitable' }))
  assert.equal(noReason.statusCode, 400)
  assert.deepEqual(page(noReason.body).errorSummary(), [
    { text: 'Enter why the person was assessed as not suitable', href: '#reason' },
  ])
  const saved = await browser.post(url, change(2, { to: 'assessed-suitable', reason: 'Motivated to engage' }))
  assert.equal(saved.statusCode, 302)
  const after = page((await browser.get(url)).body)
  assert.match(after.text('.govuk-notification-banner'), /Status updated: assessed as suitable/)
  assert.equal(after.text('#current-status'), 'Assessed as suitable')
  assert.match(after.text('.govuk-summary-list'), /Change Grow Live\. Referral status: sent\. Need: drugs/)
  const log = after
    .$('table.hub-treatment-changelog tbody tr')
    .map((_, tr) => after.$(tr).find('td').eq(1).text().trim())
    .get()
  assert.deepEqual(log, ['Assessed as suitable', 'Treatment referral linked: Change Grow Live', 'Proposed'])
  assert.equal(after.$('input[name="to"]').length, 1, 'only the reassessment is left for the health team')
})

test('a practitioner records the court’s decision and start, but is told to get the referral linked first', async (t) => {
  const { db, person, colleague, browser } = await setup(t, 'probation_practitioner')
  const requirement = await givenTreatmentRequirement(db, person, colleague, {
    kind: 'atr',
    status: 'assessed-suitable',
  })
  const url = `/treatment-requirements/${requirement.id}`
  const view = page((await browser.get(url)).body)
  assert.deepEqual(
    view
      .$('input[name="to"]')
      .map((_, el) => view.$(el).attr('value'))
      .get(),
    ['made'],
  )
  assert.equal(view.$('input[name="referralId"]').length, 0, 'no referral choice for probation')
  const made = await browser.post(url, change(1, { to: 'made', reason: 'ATR for 6 months' }))
  assert.equal(made.statusCode, 302)
  const before = page((await browser.get(url)).body)
  assert.ok(before.has('#needs-referral'))
  assert.match(before.text('#needs-referral'), /Ask a clinician or hub manager to link it/)
  const refused = await browser.post(url, change(2, { to: 'started', 'at-day': '20' }))
  assert.equal(refused.statusCode, 422)
  const html = page(refused.body)
  assert.deepEqual(
    html.errorSummary().map((e) => e.href),
    ['#to'],
  )
  assert.match(html.errorSummary()[0]?.text ?? '', /Link the treatment referral/)
  assert.equal(html.value('at-day'), '20')
  assert.equal((await row(db, requirement.id)).status, 'made')
  const referral = await givenTreatmentReferral(db, person, colleague, { category: 'alcohol' })
  await db
    .updateTable('treatment_requirement')
    .set({ referral_id: referral.id })
    .where('id', '=', requirement.id)
    .execute()
  await browser.get(url)
  const started = await browser.post(url, change(2, { to: 'started', 'at-day': '20' }))
  assert.equal(started.statusCode, 302)
  const saved = await row(db, requirement.id)
  assert.deepEqual(
    [saved.status, saved.made_on, saved.started_on, saved.note],
    ['started', '2026-11-19', '2026-11-20', 'ATR for 6 months'],
  )
})

test('a practitioner sees the linked referral only as its service and plain status, with consent; never an assessment’s reason', async (t) => {
  const { db, person, colleague, browser } = await setup(t, 'probation_practitioner')
  const referral = await givenTreatmentReferral(db, person, colleague, {
    category: 'mental-health',
    status: 'engaged',
    serviceName: 'Talking Therapies',
    reason: 'Persistent low mood',
  })
  const requirement = await givenTreatmentRequirement(db, person, colleague, {
    kind: 'mhtr',
    status: 'assessed-suitable',
    referralId: referral.id,
  })
  await db
    .insertInto('treatment_requirement_event')
    .values({
      requirement_id: requirement.id,
      kind: 'transition',
      from_status: 'proposed',
      to_status: 'assessed-suitable',
      occurred_on: '2026-11-02',
      reason: 'Mild depression, PHQ-9 of 12',
      actor_id: colleague.id,
      recorded_at: new Date('2026-11-20T09:30:00Z'),
    })
    .execute()
  const url = `/treatment-requirements/${requirement.id}`
  const without = await browser.get(url)
  assert.equal(without.statusCode, 200)
  const hidden = page(without.body)
  assert.match(hidden.text('.govuk-summary-list'), /Linked \(details not shared with probation\)/)
  assert.match(hidden.text('table'), /Recorded by the health team \(not shown to probation\)/)
  assert.doesNotMatch(without.body, /Talking Therapies|low mood|depression|PHQ-9|Mental health/)
  const list = await browser.get(`/people/${person.id}/treatment-requirements`)
  assert.doesNotMatch(list.body, /Talking Therapies/)
  await givenConsent(db, person, colleague)
  const withConsent = await browser.get(url)
  const shown = page(withConsent.body)
  assert.match(shown.text('.govuk-summary-list'), /Talking Therapies\. Referral status: taking part/)
  assert.doesNotMatch(withConsent.body, /low mood|depression|PHQ-9|Need:/)
})

test('a change saved on a page opened before someone else’s is refused (409) and nothing is lost', async (t) => {
  const { db, person, colleague, browser } = await setup(t)
  const requirement = await givenTreatmentRequirement(db, person, colleague)
  const url = `/treatment-requirements/${requirement.id}`
  await browser.get(url)
  await db.updateTable('treatment_requirement').set({ version: 2 }).where('id', '=', requirement.id).execute()
  const response = await browser.post(url, change(1, { to: 'assessed-unsuitable', reason: 'Typed reason' }))
  assert.equal(response.statusCode, 409)
  const html = page(response.body)
  assert.ok(html.has('#stale'))
  assert.equal(html.text('#reason'), 'Typed reason')
  assert.equal((await row(db, requirement.id)).status, 'proposed')
})

test('dates on the update form: required (a blank date is not today), not before the last change, not in the future', async (t) => {
  const { db, person, colleague, browser } = await setup(t)
  const requirement = await givenTreatmentRequirement(db, person, colleague, { status: 'assessed-unsuitable' })
  const url = `/treatment-requirements/${requirement.id}`
  await browser.get(url)
  const blank = page(
    (
      await browser.post(
        url,
        change(1, { to: 'assessed-suitable', reason: 'x', 'at-day': '', 'at-month': '', 'at-year': '' }),
      )
    ).body,
  )
  assert.match(blank.title(), /^Error: /)
  assert.deepEqual(blank.errorSummary(), [{ text: 'Enter the date it happened', href: '#at-day' }])
  const early = page((await browser.post(url, change(1, { to: 'assessed-suitable', reason: 'x', 'at-day': '1' }))).body)
  assert.deepEqual(early.errorSummary(), [
    {
      text: 'The date it happened must be on or after 2 November 2026, the date of the last change',
      href: '#at-day',
    },
  ])
  const future = page(
    (await browser.post(url, change(1, { to: 'assessed-suitable', reason: 'x', 'at-day': '21' }))).body,
  )
  assert.deepEqual(
    future.errorSummary().map((e) => e.href),
    ['#at-day'],
  )
  assert.equal((await row(db, requirement.id)).status, 'assessed-unsuitable')
})

for (const role of ['analyst', 'admin', 'auditor', 'partner'] as const) {
  test(`the ${role} role may not see or change treatment requirements (403)`, async (t) => {
    const { db, person, colleague, browser } = await setup(t, role)
    const requirement = await givenTreatmentRequirement(db, person, colleague)
    assert.equal((await browser.get(`/people/${person.id}/treatment-requirements`)).statusCode, 403)
    assert.equal((await browser.get(`/people/${person.id}/treatment-requirements/new`)).statusCode, 403)
    assert.equal((await browser.post(`/people/${person.id}/treatment-requirements/new`, proposal())).statusCode, 403)
    assert.equal((await browser.get(`/treatment-requirements/${requirement.id}`)).statusCode, 403)
    const post = await browser.post(`/treatment-requirements/${requirement.id}`, change(1, { to: 'assessed-suitable' }))
    assert.equal(post.statusCode, 403)
    assert.equal((await row(db, requirement.id)).status, 'proposed')
  })
}

test('another site’s person and requirement are refused (403); an unknown requirement is not found', async (t) => {
  const { db, colleague, browser } = await setup(t)
  const theirs = await givenPerson(db, await givenSite(db))
  const requirement = await givenTreatmentRequirement(db, theirs, colleague)
  assert.equal((await browser.get(`/people/${theirs.id}/treatment-requirements`)).statusCode, 403)
  assert.equal(
    (await browser.post(`/people/${theirs.id}/treatment-requirements/new`, proposal({ kind: 'atr' }))).statusCode,
    403,
  )
  assert.equal((await browser.get(`/treatment-requirements/${requirement.id}`)).statusCode, 403)
  const post = await browser.post(`/treatment-requirements/${requirement.id}`, change(1, { to: 'assessed-suitable' }))
  assert.equal(post.statusCode, 403)
  assert.equal((await row(db, requirement.id)).status, 'proposed')
  assert.equal((await browser.get('/treatment-requirements/00000000-0000-4000-8000-000000000000')).statusCode, 404)
})

test('forms posted without the CSRF token are refused (403) and change nothing', async (t) => {
  const { db, person, colleague, browser } = await setup(t)
  const requirement = await givenTreatmentRequirement(db, person, colleague)
  const referral = await givenTreatmentReferral(db, person, colleague)
  await browser.get(`/treatment-requirements/${requirement.id}`)
  const propose = await browser.post(`/people/${person.id}/treatment-requirements/new`, proposal({ kind: 'atr' }), {
    csrf: false,
  })
  assert.equal(propose.statusCode, 403)
  const update = await browser.post(
    `/treatment-requirements/${requirement.id}`,
    change(1, { to: 'assessed-suitable' }),
    {
      csrf: false,
    },
  )
  assert.equal(update.statusCode, 403)
  const link = await browser.post(
    `/treatment-requirements/${requirement.id}`,
    { form: 'link', version: '1', referralId: referral.id },
    { csrf: false },
  )
  assert.equal(link.statusCode, 403)
  const saved = await row(db, requirement.id)
  assert.deepEqual([saved.status, saved.referral_id, saved.version], ['proposed', null, 1])
  assert.equal((await db.selectFrom('treatment_requirement').select('id').execute()).length, 1)
})
