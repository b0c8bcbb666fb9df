import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import {
  givenConsent,
  givenOrganisation,
  givenPerson,
  givenSite,
  givenStaff,
  type GivenStaff,
} from '../test/support/builders.ts'
import { startHub, type Hub } from './support/hub.ts'
import { signedInPage } from './support/sign-in.ts'
import { assertNoSidewaysScroll, narrowScreen, ukDateParts } from './support/screen.ts'
import { HeadedPage } from './pages/care-pages.ts'

let hub: Hub
let clinician: GivenStaff
let practitioner: GivenStaff
let caseworker: GivenStaff
let personId: string

const narrow = narrowScreen

before(async () => {
  hub = await startHub()
  const db = hub.database.db
  const site = await givenSite(db, { name: 'Leicester test hub' })
  clinician = await givenStaff(db, 'clinician', { sites: [site], name: 'Casey Clinician' })
  practitioner = await givenStaff(db, 'probation_practitioner', { sites: [site], name: 'Pip Practitioner' })
  const organisation = await givenOrganisation(db, { code: 'e2e-brightpath', name: 'Brightpath Recovery Trust' })
  caseworker = await givenStaff(db, 'partner', { organisationId: organisation.id, name: 'Pat Partner' })
  const person = await givenPerson(db, site, { crn: 'L123456', given_name: 'Jordan', family_name: 'Example' })
  personId = person.id
  await givenConsent(db, person, clinician, { topic: 'share-with-partner', organisationId: organisation.id })
})

after(async () => {
  await hub.close()
})

async function fillDate(page: Page, id: string, date: { day: string; month: string; year: string }) {
  await page.locator(`#${id}-day`).fill(date.day)
  await page.locator(`#${id}-month`).fill(date.month)
  await page.locator(`#${id}-year`).fill(date.year)
}

test('a clinician records a coming release and works its plan; probation and a partner do their parts (axe on every page)', async () => {
  const page = await signedInPage(hub, clinician, { javaScriptEnabled: false })
  await page.goto(`${hub.baseUrl}/people/${personId}`)
  await page.locator('#record-navigation').getByRole('link', { name: 'Custody and release', exact: true }).click()
  const empty = await new HeadedPage(page, 'Custody and release').verifyOnPage()
  await empty.button('Add a custody episode').click()

  const form = await new HeadedPage(page, 'Add a custody episode').verifyOnPage()
  await form.button('Save custody episode').click()
  const blank = await new HeadedPage(page, 'Add a custody episode').verifyOnPage()
  const errors = await blank.errorSummaryLinks()
  assert.deepEqual(
    errors.map((e) => e.href),
    ['#prisonName', '#prisonCode', '#prisonNumber', '#expectedReleaseDate-day'],
  )
  await blank.field('Prison').fill('HMP Leicester')
  await blank.field('Prison code').fill('LEI')
  await blank.field('Prison number').fill('A1234BC')
  await fillDate(page, 'expectedReleaseDate', ukDateParts(10))
  await blank.page.getByLabel('On licence', { exact: true }).check()
  await blank.button('Save custody episode').click()

  const list = await new HeadedPage(page, 'Custody and release').verifyOnPage()
  assert.match((await list.page.locator('.hub-window').first().textContent()) ?? '', /Release coming up/)
  await list
    .link(/^Release plan/)
    .first()
    .click()

  const plan = await new HeadedPage(page, 'Release plan').verifyOnPage()
  assert.match((await plan.page.locator('#plan-summary').textContent()) ?? '', /9 of 9 items still to do/)
  await plan.page
    .locator('.govuk-summary-card', { hasText: 'Medicines on release' })
    .getByRole('link', { name: /Change/ })
    .click()
  const medicines = await new HeadedPage(page, 'Medicines on release').verifyOnPage()
  await medicines.field('Days of medicine supplied on release').fill('7')
  await medicines.page.getByLabel('They are on methadone or buprenorphine').check()
  await medicines.button('Save').click()
  const withGap = await new HeadedPage(page, 'Release plan').verifyOnPage()
  assert.match(
    (await withGap.page.locator('.govuk-summary-card', { hasText: 'Medicines on release' }).textContent()) ?? '',
    /Gap in opioid substitution treatment/,
  )
  await withGap.page
    .locator('.govuk-summary-card', { hasText: 'Meet at the gate' })
    .getByRole('link', { name: /Change/ })
    .click()
  const gate = await new HeadedPage(page, 'Meet at the gate').verifyOnPage()
  await gate.page.getByLabel('Partner organisation', { exact: true }).check()
  await gate.page.locator('#organisationCode').selectOption('e2e-brightpath')
  await gate.button('Save').click()
  await new HeadedPage(page, 'Release plan').verifyOnPage()
  await page.context().close()

  const probation = await signedInPage(hub, practitioner, narrow)
  await probation.goto(page.url().replace(/^https?:\/\/[^/]+/, hub.baseUrl))
  const seen = await new HeadedPage(probation, 'Release plan').verifyOnPage()
  await assertNoSidewaysScroll(probation)
  assert.match((await seen.page.locator('#health-withheld').textContent()) ?? '', /has not agreed to share/)
  assert.equal(await seen.page.locator('.govuk-summary-card', { hasText: 'Medicines on release' }).count(), 0)
  await seen.page
    .locator('.govuk-summary-card', { hasText: 'Housing on release' })
    .getByRole('link', { name: /Change/ })
    .click()
  const housing = await new HeadedPage(probation, 'Housing on release (duty to refer)').verifyOnPage()
  await assertNoSidewaysScroll(probation)
  await housing.page.getByLabel('Done', { exact: true }).check()
  await housing.field('Notes (optional)').fill('Duty to refer sent to the council')
  await housing.button('Save').click()
  const afterHousing = await new HeadedPage(probation, 'Release plan').verifyOnPage()
  assert.match(
    (await afterHousing.page.locator('.govuk-summary-card', { hasText: 'Housing on release' }).textContent()) ?? '',
    /Done/,
  )
  await probation.context().close()

  const partner = await signedInPage(hub, caseworker, narrow)
  await partner.goto(`${hub.baseUrl}/release-plan-items`)
  const items = await new HeadedPage(partner, 'Release plans: your organisation’s items').verifyOnPage()
  await assertNoSidewaysScroll(partner)
  await items.link('Meet at the gate: to do').click()
  const partnerGate = await new HeadedPage(partner, 'Meet at the gate').verifyOnPage()
  await partnerGate.page.getByLabel('Done', { exact: true }).check()
  await partnerGate.button('Save').click()
  const partnerPlan = await new HeadedPage(partner, 'Release plan').verifyOnPage()
  assert.equal(await partnerPlan.page.locator('.govuk-summary-card').count(), 1, 'a partner sees only its own item')
  await partner.context().close()
})
