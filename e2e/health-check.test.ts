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
  const person = await givenPerson(hub.database.db, site, {
    crn: 'H445566',
    given_name: 'Robin',
    family_name: 'Sample',
  })
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
  assert.ok(
    await start.page.getByLabel('Not linked to an appointment').isChecked(),
    'with no appointment today, that is chosen',
  )
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
  await back
    .link(/Record your response/)
    .first()
    .click()
  const respond = await new HeadedPage(page, 'Respond to a warning sign').verifyOnPage()
  await respond.button('Save response').click()
  await respond.verifyOnPage()
  assert.ok((await respond.errorSummaryLinks()).length > 0, 'a blank response is refused with the error summary')
  await respond
    .field('Your documented response')
    .fill('Spoke with Robin; no current plans; safety plan agreed; GP letter today.')
  await respond.button('Save response').click()
  const after = await new HeadedPage(page, /Health check/).verifyOnPage()
  assert.equal(await after.page.locator('#warning-flags').count(), 0, 'no warning sign is left awaiting a response')

  await page.goto(`${hub.baseUrl}/people/${personId}/timeline`)
  await new HeadedPage(page, 'Timeline').verifyOnPage()
})

test('a clinician records a blood pressure of 190/125, is shown every error at once, then sees the same-day warning flag', async () => {
  const page = await signedInPage(hub, clinician)
  await page.goto(`${hub.baseUrl}/people/${personId}/health-checks/new`)
  const start = await new HeadedPage(page, 'Start a health check').verifyOnPage()
  await start.button('Start health check').click()
  await page.waitForURL(/\/health-checks\/[0-9a-f-]+$/)
  const check = await new HeadedPage(page, 'Health check').verifyOnPage()
  await check.page.locator('.govuk-task-list a', { hasText: 'Physical health measurements' }).click()

  const observations = await new HeadedPage(page, 'Physical health measurements').verifyOnPage()
  // The first radio of each group is "Measured", which reveals its boxes.
  await observations.page.locator('#bloodPressureStatus').check()
  await observations.field('Systolic (top number)').fill('1900')
  await observations.field('Diastolic (bottom number)').fill('125')
  await observations.page.locator('#heightStatus-2').check()
  await observations.page.locator('#weightStatus').check()
  await observations.field('Weight').fill('heavy')
  await observations.button('Save and continue').click()
  const refused = await new HeadedPage(page, 'Physical health measurements').verifyOnPage()
  assert.match(await refused.title(), /^Error: /)
  assert.deepEqual(
    (await refused.errorSummaryLinks()).map((l) => l.href),
    ['#systolic', '#weightKg'],
    'both mistakes are listed in one error summary',
  )
  await refused.field('Systolic (top number)').fill('190')
  await refused.field('Weight').fill('82.5')
  await refused.button('Save and continue').click()

  const flagged = await new HeadedPage(page, 'Health check').verifyOnPage()
  assert.match(
    (await flagged.notificationBanner.textContent()) ?? '',
    /warning sign needs your documented response today/,
  )
  const warning = (await flagged.page.locator('#warning-flags').textContent()) ?? ''
  assert.match(warning, /Needs a response today/)
  assert.match(warning, /Blood pressure 190\/125 mmHg is severely raised \(180\/120 or higher\)/)
  assert.doesNotMatch((await page.locator('main').textContent()) ?? '', /risk level|high risk|low risk/i)
  await flagged
    .link(/Record your response/)
    .first()
    .click()
  const respond = await new HeadedPage(page, 'Respond to a warning sign').verifyOnPage()
  assert.match((await respond.page.locator('main').textContent()) ?? '', /NICE NG136/)
  await respond.field('Your documented response').fill('Repeated 188/122; no symptoms; GP same-day appointment booked.')
  await respond.button('Save response').click()
  const summary = await new HeadedPage(page, /Health check/).verifyOnPage()
  assert.match((await summary.page.locator('main').textContent()) ?? '', /Response by/)
})
