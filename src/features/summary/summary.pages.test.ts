import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import { page, signedInBrowser } from '../../../test/support/test-app.ts'
import { givenConsent, givenPerson, givenSite, givenStaff } from '../../../test/support/builders.ts'
import { EXPECTED, PLANTED, summaryScenario } from '../../../test/support/summary-fixtures.ts'
import type { StaffRole } from '../../platform/http/roles.ts'

const url = (personId: string) => `/people/${personId}/summary`

/** The page's visible text (the main content), squashed to single spaces. */
function mainText(html: string): string {
  const { $ } = page(html)
  return $('main').text().replace(/\s+/g, ' ').trim()
}

async function summaryEvents(db: Kysely<DB>, personId: string) {
  return db
    .selectFrom('audit_event')
    .select(['action', 'actor_id', 'entity_id', 'person_id', 'site_id', 'details'])
    .where('entity_type', '=', 'health-summary')
    .where('person_id', '=', personId)
    .orderBy('id')
    .execute()
}

/** Asserts none of the planted clinical detail is anywhere in the page, markup included. */
function assertNoClinicalDetail(html: string) {
  const text = mainText(html)
  for (const planted of [
    PLANTED.bandLabel,
    PLANTED.instrument,
    PLANTED.flagMessage,
    PLANTED.needReason,
    PLANTED.proposedBecause,
    PLANTED.dismissedReason,
    PLANTED.referralReason,
    PLANTED.outcomeNote,
    'Clinician off sick',
  ]) {
    assert.ok(!html.includes(planted), `the page must not contain "${planted}"`)
  }
  assert.doesNotMatch(text, new RegExp(`\\b${String(PLANTED.score)}\\b`), 'no score')
  assert.doesNotMatch(text, new RegExp(`\\b${String(PLANTED.systolic)}\\b`), 'no blood pressure')
  assert.doesNotMatch(text, /score|band|phq|gad|audit-c|flag|moderately|severe|blood pressure/i)
}

test('a practitioner with consent sees needs, referrals, appointments and GP registration in plain words', async (t) => {
  const { app, db, person, practitioner, clinician } = await summaryScenario(t)
  await givenConsent(db, person, clinician, { decision: 'given' })
  const browser = await signedInBrowser(app, practitioner.email, practitioner.password)
  const response = await browser.get(url(person.id))
  assert.equal(response.statusCode, 200)
  const view = page(response.body)
  assert.equal(view.h1(), 'Health summary')
  assert.equal(view.title(), 'Health summary – Sam Taylor – Probation Health Hub')
  assert.ok(!view.has('#not-shared'), 'no consent message')
  assert.ok(!view.has('#sharing-status'), 'no preview label for probation')

  const needs = view
    .$('#needs tbody tr')
    .map((_, tr) => view.$(tr).text().replace(/\s+/g, ' ').trim())
    .get()
  assert.deepEqual(needs, ['Mental health support 1 September 2026', 'Alcohol support 3 September 2026'])

  // Two rows: the draft referral is not shown.
  const rows = view
    .$('#referrals tbody tr')
    .map((_, tr) => view.$(tr).text().replace(/\s+/g, ' ').trim())
    .get()
  assert.deepEqual(rows, [
    `${EXPECTED.dnaService} (Stop smoking service) Did not go to the first appointment 8 September 2026 No`,
    `${EXPECTED.referralService} (NHS Talking Therapies) Went to the first appointment 2 September 2026 Yes, on 7 October 2026`,
  ])

  assert.equal(view.text('#appointments-heading'), 'Hub appointments since 20 May 2026')
  const appointments = view
    .$('#appointments .govuk-summary-list__row')
    .map((_, row) => view.$(row).text().replace(/\s+/g, ' ').trim())
    .get()
  assert.deepEqual(appointments, [
    'Kept 3',
    'Missed 2',
    'Acceptable absences 1',
    'Next appointment Thursday 3 December 2026: joint appointment with probation and the health team',
  ])
  assert.equal(view.text('#gp-registration'), `Registered with ${EXPECTED.practice}`)
  assertNoClinicalDetail(response.body)
})

test('proposed and dismissed needs and draft referrals are not shown', async (t) => {
  const { app, db, person, practitioner, clinician } = await summaryScenario(t)
  await givenConsent(db, person, clinician, { decision: 'given' })
  const browser = await signedInBrowser(app, practitioner.email, practitioner.password)
  const text = mainText((await browser.get(url(person.id))).body)
  for (const hidden of [...EXPECTED.hiddenNeeds, EXPECTED.draftService]) {
    assert.ok(!text.includes(hidden), `"${hidden}" must not be shown`)
  }
})

test('a practitioner sees only the name and what to do when the person was never asked, and it is audited', async (t) => {
  const { app, db, person, practitioner } = await summaryScenario(t)
  const browser = await signedInBrowser(app, practitioner.email, practitioner.password)
  const response = await browser.get(url(person.id))
  assert.equal(response.statusCode, 200)
  const view = page(response.body)
  assert.equal(view.h1(), 'Health summary')
  assert.match(view.text('#not-shared'), /Sam Taylor has not agreed to share a health summary with probation\./)
  assert.match(view.text('#not-shared'), /ask the hub clinician/)
  assert.ok(!view.has('#summary'), 'no summary at all')
  const text = mainText(response.body)
  for (const shown of [...EXPECTED.needs, EXPECTED.referralService, EXPECTED.practice, 'Kept', 'GP registration']) {
    assert.ok(!text.includes(shown), `"${shown}" must not be shown without consent`)
  }
  assertNoClinicalDetail(response.body)
  const events = await summaryEvents(db, person.id)
  assert.equal(events.length, 1)
  const [event] = events
  assert.ok(event !== undefined)
  assert.equal(event.action, 'view')
  assert.equal(event.actor_id, practitioner.id)
  assert.equal(event.entity_id, person.id)
  assert.deepEqual(event.details, { channel: 'page', shared: false, viewer: 'probation' })
})

test('a practitioner sees nothing of the summary when the person refused', async (t) => {
  const { app, db, person, practitioner, clinician } = await summaryScenario(t)
  await givenConsent(db, person, clinician, { decision: 'refused' })
  const browser = await signedInBrowser(app, practitioner.email, practitioner.password)
  const view = page((await browser.get(url(person.id))).body)
  assert.match(view.text('#not-shared'), /Sam Taylor has not agreed to share a health summary with probation\./)
  assert.ok(!view.has('#summary'))
  assert.ok(!mainText(view.$.html()).includes(EXPECTED.needs[0] ?? 'x'))
})

test('a withdrawal takes effect at once: the next view shows nothing but the withdrawal and its date', async (t) => {
  const { app, db, person, practitioner, clinician } = await summaryScenario(t)
  const nurse = await signedInBrowser(app, clinician.email, clinician.password)
  const recordUrl = `/people/${person.id}/consent/share-summary-with-probation/record`
  const decide = async (decision: string, day: string) => {
    await nurse.get(recordUrl)
    const response = await nurse.post(recordUrl, {
      decision,
      'decidedOn-day': day,
      'decidedOn-month': '11',
      'decidedOn-year': '2026',
      method: 'in-person',
      note: '',
    })
    assert.equal(response.statusCode, 302, `recording ${decision}`)
  }
  await decide('given', '18')
  const browser = await signedInBrowser(app, practitioner.email, practitioner.password)
  const before = page((await browser.get(url(person.id))).body)
  assert.ok(before.has('#summary'), 'shown while consent is given')
  assert.match(before.text('#needs'), /Mental health support/)

  await decide('withdrawn', '19')
  const after = await browser.get(url(person.id))
  assert.equal(after.statusCode, 200)
  assert.equal(after.headers['cache-control'], 'no-store')
  const view = page(after.body)
  assert.ok(!view.has('#summary'), 'nothing shown after withdrawal')
  assert.match(
    view.text('#not-shared'),
    /Sam Taylor withdrew their agreement to share a health summary with probation on 19 November 2026\./,
  )
  assert.ok(!mainText(after.body).includes('Mental health support'))
  const events = await summaryEvents(db, person.id)
  assert.deepEqual(
    events.map((e) => e.details['shared']),
    [true, false],
  )
})

test('a clinician sees the summary as "What probation sees", marked not shared when the person has not agreed', async (t) => {
  const { app, db, person, clinician } = await summaryScenario(t)
  const browser = await signedInBrowser(app, clinician.email, clinician.password)
  const response = await browser.get(url(person.id))
  assert.equal(response.statusCode, 200)
  const view = page(response.body)
  assert.equal(view.h1(), 'What probation sees')
  assert.equal(view.text('#sharing-status'), 'Not shared with probation')
  assert.match(view.text('#not-shared'), /Sam Taylor has not agreed to share a health summary with probation\./)
  assert.match(view.text('#preview-not-shared'), /Not shared with probation/)
  assert.ok(view.has(`#not-shared a[href="/people/${person.id}/consent"]`), 'a link to record consent')
  assert.match(view.text('#needs'), /Mental health support/)
  assert.match(view.text('#referrals'), new RegExp(EXPECTED.referralService))
  assertNoClinicalDetail(response.body)
  const events = await summaryEvents(db, person.id)
  assert.deepEqual(events[0]?.details, { channel: 'page', shared: false, viewer: 'health-team' })
})

test('a hub manager sees the preview marked shared when the person agreed', async (t) => {
  const { app, db, site, person, clinician } = await summaryScenario(t)
  await givenConsent(db, person, clinician, { decision: 'given' })
  const manager = await givenStaff(db, 'hub_manager', { sites: [site] })
  const browser = await signedInBrowser(app, manager.email, manager.password)
  const view = page((await browser.get(url(person.id))).body)
  assert.equal(view.h1(), 'What probation sees')
  assert.equal(view.text('#sharing-status'), 'Shared with probation')
  assert.ok(!view.has('#not-shared'))
  assert.ok(!view.has('#preview-not-shared'))
  assert.ok(view.has('#summary'))
})

test('a person with nothing recorded gets plain "none" messages', async (t) => {
  const { app, db, site, clinician, practitioner } = await summaryScenario(t)
  const empty = await givenPerson(db, site, { given_name: 'Jo', family_name: 'Blank' })
  await givenConsent(db, empty, clinician, { decision: 'given' })
  const browser = await signedInBrowser(app, practitioner.email, practitioner.password)
  const view = page((await browser.get(url(empty.id))).body)
  assert.equal(view.text('#no-needs'), 'No health needs have been confirmed.')
  assert.equal(view.text('#no-referrals'), 'No referrals have been sent.')
  assert.match(view.text('#appointments'), /Kept\s+0/)
  assert.match(view.text('#appointments'), /None booked/)
  assert.equal(view.text('#gp-registration'), 'Not recorded yet')
})

for (const role of ['partner', 'analyst', 'auditor', 'admin'] satisfies StaffRole[]) {
  test(`${role}s are refused with 403 and nothing is audited`, async (t) => {
    const { app, db, site, person, clinician } = await summaryScenario(t)
    await givenConsent(db, person, clinician, { decision: 'given' })
    const user = await givenStaff(db, role, { sites: role === 'partner' ? [] : [site] })
    const browser = await signedInBrowser(app, user.email, user.password)
    const response = await browser.get(url(person.id))
    assert.equal(response.statusCode, 403)
    assert.ok(!response.body.includes('Mental health support'))
    assert.equal((await summaryEvents(db, person.id)).length, 0)
  })
}

test('a practitioner at another site is refused with 403, even with consent', async (t) => {
  const { app, db, person, clinician } = await summaryScenario(t)
  await givenConsent(db, person, clinician, { decision: 'given' })
  const elsewhere = await givenSite(db, { name: 'Middlesbrough' })
  const stranger = await givenStaff(db, 'probation_practitioner', { sites: [elsewhere] })
  const browser = await signedInBrowser(app, stranger.email, stranger.password)
  const response = await browser.get(url(person.id))
  assert.equal(response.statusCode, 403)
  assert.ok(!response.body.includes('Sam Taylor'))
  assert.equal((await summaryEvents(db, person.id)).length, 0)
})

test('an unknown or malformed person id is 404', async (t) => {
  const { app, practitioner } = await summaryScenario(t)
  const browser = await signedInBrowser(app, practitioner.email, practitioner.password)
  assert.equal((await browser.get(url(randomUUID()))).statusCode, 404)
  assert.equal((await browser.get(url('not-a-uuid'))).statusCode, 404)
})

test('signed-out visitors are sent to sign in', async (t) => {
  const { app, person } = await summaryScenario(t)
  const response = await app.inject({ method: 'GET', url: url(person.id) })
  assert.equal(response.statusCode, 302)
  assert.match(String(response.headers['location']), /^\/sign-in/)
})
