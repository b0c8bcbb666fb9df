import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { givenPerson, givenSite, givenStaff, type GivenStaff } from '../test/support/builders.ts'
import { startHub, type Hub } from './support/hub.ts'
import { signedInPage } from './support/sign-in.ts'
import { PersonPage } from './pages/people-pages.ts'
import { HeadedPage } from './pages/care-pages.ts'

let hub: Hub
let clinician: GivenStaff
let personId: string

before(async () => {
  hub = await startHub()
  const site = await givenSite(hub.database.db, { name: 'Hammersmith test hub' })
  clinician = await givenStaff(hub.database.db, 'clinician', { sites: [site], name: 'Casey Clinician' })
  const person = await givenPerson(hub.database.db, site, { crn: 'H445566', given_name: 'Robin', family_name: 'Sample' })
  personId = person.id
})

after(async () => {
  await hub.close()
})

test('a clinician runs a brief screen, is offered the full PHQ-9, sees the warning sign and documents a response', async () => {
  const page = await signedInPage(hub, clinician)
  await page.goto(`${hub.baseUrl}/people/${personId}`)
  await new PersonPage(page, 'Robin Sample').verifyOnPage()
  await page.getByRole('link', { name: 'Health checks' }).click()
  const list = await new HeadedPage(page, 'Health checks').verifyOnPage()
  await list.button('Start a health check').click()
  const start = await new HeadedPage(page, 'Start a health check').verifyOnPage()
  assert.ok(await start.page.getByLabel('Not linked to an appointment').isChecked(), 'with no appointment today, that is chosen')
  await start.button('Start health check').click()
  await page.waitForURL(/\/health-checks\/[0-9a-f-]+$/)
  const check = await new HeadedPage(page, 'Health check').verifyOnPage()

  await check.page.locator('.govuk-task-list a', { hasText: 'PHQ-2' }).click()
  const phq2 = await new HeadedPage(page, /PHQ-2/).verifyOnPage()
  // "Nearly every day" is the fourth answer to each question.
  await phq2.page.locator('#phq2-1-4').check()
  await phq2.page.locator('#phq2-2-4').check()
  await phq2.button('Save and continue').click()

  const phq9 = await new HeadedPage(page, /PHQ-9/).verifyOnPage()
  assert.ok(await phq9.page.locator('#phq9-1-4').isChecked(), 'the PHQ-2 answers carry into the PHQ-9')
  await phq9.page.locator('#phq9-9-2').check()
  await phq9.button('Save and come back later').click()

  const back = await new HeadedPage(page, 'Health check').verifyOnPage()
  assert.match((await back.page.locator('#warning-flags').textContent()) ?? '', /today/i)
  assert.doesNotMatch((await page.locator('main').textContent()) ?? '', /risk level|high risk|low risk/i)
  await back.link(/Record your response/).first().click()
  const respond = await new HeadedPage(page, 'Respond to a warning sign').verifyOnPage()
  await respond.button('Save response').click()
  await respond.verifyOnPage()
  assert.ok((await respond.errorSummaryLinks()).length > 0, 'a blank response is refused with the error summary')
  await respond.field('Your documented response').fill('Spoke with Robin; no current plans; safety plan agreed; GP letter today.')
  await respond.button('Save response').click()
  const after = await new HeadedPage(page, /Health check/).verifyOnPage()
  assert.equal(await after.page.locator('#warning-flags').count(), 0, 'no warning sign is left awaiting a response')

  await page.goto(`${hub.baseUrl}/people/${personId}/timeline`)
  await new HeadedPage(page, 'Timeline').verifyOnPage()
})
