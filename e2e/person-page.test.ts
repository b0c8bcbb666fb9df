import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  givenAppointment,
  givenConsent,
  givenHealthCheck,
  givenNeed,
  givenPerson,
  givenSite,
  givenStaff,
  type GivenStaff,
} from '../test/support/builders.ts'
import { startHub, type Hub } from './support/hub.ts'
import { signedInPage } from './support/sign-in.ts'
import { assertNoSidewaysScroll, narrowScreen } from './support/screen.ts'
import { PersonPage } from './pages/people-pages.ts'

/** The person page at a glance, on a 375px screen without JavaScript, for the health team and for probation. */

let hub: Hub
let clinician: GivenStaff
let practitioner: GivenStaff
let personId: string
let checkId: string

const narrow = narrowScreen

before(async () => {
  hub = await startHub()
  const db = hub.database.db
  const site = await givenSite(db, { name: 'Barnstaple test hub' })
  clinician = await givenStaff(db, 'clinician', { sites: [site], name: 'Nia Nurse' })
  practitioner = await givenStaff(db, 'probation_practitioner', { sites: [site], name: 'Pip Practitioner' })
  const person = await givenPerson(db, site, {
    crn: 'X975310',
    given_name: 'Charlie',
    family_name: 'Pengelly-Worthington',
    address_line1: 'Flat 12, Riverside Court, Longbridge Road',
    town: 'Barnstaple',
    postcode: 'EX31 1AA',
  })
  personId = person.id
  const check = await givenHealthCheck(db, {
    person,
    clinician,
    status: 'completed',
    flag: true,
    startedAt: new Date(Date.now() - 600_000),
  })
  checkId = check.id
  await givenNeed(db, person, clinician, { category: 'mental-health', status: 'confirmed' })
  await givenNeed(db, person, clinician, { category: 'drugs', status: 'proposed' })
  await givenConsent(db, person, clinician, { decision: 'given', recordedAt: new Date(Date.now() - 3_600_000) })
  await givenAppointment(db, { person, clinician, practitioner, location: 'Interview room 3 (ground floor)' })
})

after(async () => {
  await hub.close()
})

test('without JavaScript on a 375px screen, a clinician sees flags, needs, consent and the next appointment at a glance', async () => {
  const page = await signedInPage(hub, clinician, narrow)
  await page.goto(`/people/${personId}`)
  const person = await new PersonPage(page, 'Charlie Pengelly-Worthington').verifyOnPage()
  await assertNoSidewaysScroll(page)
  const sections = await person.sections()
  assert.equal(sections.names[0], 'Overview')
  assert.ok(sections.names.includes('Health checks'))
  assert.deepEqual(sections.current, ['Overview'])
  assert.match(await person.overview('flags'), /Needs a clinician’s review today\./)
  assert.match(await person.overview('needs'), /Mental health Confirmed .* Drugs To review/)
  assert.match(
    await person.overview('appointment'),
    /Time 10am .*Joint appointment .*Interview room 3 \(ground floor\), Barnstaple test hub/,
  )
  assert.match(await person.overview('consent'), /Share a health summary with probation Agreed since/)

  // The health check summary, one click from the record's sections, fits the screen too.
  await page.goto(`/health-checks/${checkId}/summary`)
  assert.equal((await page.locator('h1').textContent())?.trim(), 'Health check summary')
  await assertNoSidewaysScroll(page)
})

test('without JavaScript on a 375px screen, a probation practitioner sees only what the person agreed to share', async () => {
  const page = await signedInPage(hub, practitioner, narrow)
  await page.goto(`/people/${personId}`)
  const person = await new PersonPage(page, 'Charlie Pengelly-Worthington').verifyOnPage()
  await assertNoSidewaysScroll(page)
  const sections = await person.sections()
  assert.deepEqual(sections.names, [
    'Overview',
    'Appointments',
    'GP registration',
    'Treatment requirements',
    'Care plan',
    'Custody and release',
    'Consent decisions',
    'Timeline',
    'Health summary',
  ])
  assert.equal(await person.hasOverview('flags'), false)
  const needs = await person.overview('needs')
  assert.match(needs, /Mental health support/)
  assert.doesNotMatch(needs, /Drug|To review/)
  assert.doesNotMatch((await page.locator('main').textContent()) ?? '', /review today/)
  assert.match(await person.overview('appointment'), /Joint appointment/)

  await page.locator('nav.moj-sub-navigation').getByRole('link', { name: 'Health summary', exact: true }).click()
  assert.equal((await page.locator('h1').textContent())?.trim(), 'Health summary')
})
