import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { givenPerson, givenSite, givenStaff, type GivenStaff } from '../test/support/builders.ts'
import { startHub, type Hub } from './support/hub.ts'
import { signedInPage } from './support/sign-in.ts'
import { ukDateParts } from './support/screen.ts'
import { HeadedPage } from './pages/care-pages.ts'

let hub: Hub
let clinician: GivenStaff
let personId: string

before(async () => {
  hub = await startHub()
  const site = await givenSite(hub.database.db, { name: 'Hull test hub' })
  clinician = await givenStaff(hub.database.db, 'clinician', { sites: [site], name: 'Casey Clinician' })
  const person = await givenPerson(hub.database.db, site, {
    crn: 'H445566',
    given_name: 'Robert',
    family_name: 'Example',
    preferred_name: 'Bob',
  })
  personId = person.id
})

after(async () => {
  await hub.close()
})

test('without JavaScript, a clinician records a plan with the person, their agreement, and prints their copy (axe on every page)', async () => {
  const page = await signedInPage(hub, clinician, { javaScriptEnabled: false })
  await page.goto(`${hub.baseUrl}/people/${personId}`)
  await page.locator('main').getByRole('link', { name: 'Care plan', exact: true }).click()
  const plan = await new HeadedPage(page, 'Care plan').verifyOnPage()
  await plan.link('Add a goal').click()

  const goal = await new HeadedPage(page, 'Add a goal').verifyOnPage()
  await goal.button('Save goal').click()
  const blank = await new HeadedPage(page, 'Add a goal').verifyOnPage()
  assert.deepEqual(await blank.errorSummaryLinks(), [
    { text: 'Enter the goal in the person’s own words', href: '#inOwnWords' },
  ])
  await blank.page.locator('#inOwnWords').fill('I want to get my teeth sorted')
  await blank.button('Save goal').click()

  const withGoal = await new HeadedPage(page, 'Care plan').verifyOnPage()
  await withGoal.link(/Add an action/).click()
  const action = await new HeadedPage(page, 'Add an action').verifyOnPage()
  await action.field('What will be done?').fill('Ring the dental helpline')
  await action.page.getByLabel('The person', { exact: true }).check()
  await action.button('Save action').click()

  const withAction = await new HeadedPage(page, 'Care plan').verifyOnPage()
  await withAction.link('Record their agreement').click()
  const agreement = await new HeadedPage(page, 'Record whether they agree to the plan').verifyOnPage()
  await agreement.page.getByLabel('Agreed', { exact: true }).check()
  const today = ukDateParts()
  await agreement.page.locator('#decidedOn-day').fill(today.day)
  await agreement.page.locator('#decidedOn-month').fill(today.month)
  await agreement.page.locator('#decidedOn-year').fill(today.year)
  await agreement.button('Save').click()

  const agreed = await new HeadedPage(page, 'Care plan').verifyOnPage()
  assert.match((await agreed.page.locator('#agreement-status').textContent()) ?? '', /Agreed on/)
  await agreed.link('Choose what goes in the printed plan').click()
  const choices = await new HeadedPage(page, 'Choose what goes in the printed plan').verifyOnPage()
  await choices.page.getByLabel('I want to get my teeth sorted').check()
  await choices.page.getByLabel('Phone numbers to call').check()
  await choices.button('Save choices').click()

  const chosen = await new HeadedPage(page, 'Care plan').verifyOnPage()
  assert.match((await chosen.page.locator('#history').textContent()) ?? '', /Choices for the printed plan changed/)
  await chosen.link('View the printed plan').click()
  const printed = await new HeadedPage(page, 'My health plan').verifyOnPage()
  const text = (await printed.page.locator('.hub-plan').textContent()) ?? ''
  assert.match(text, /For Bob\./)
  assert.match(text, /I want to get my teeth sorted/)
  assert.match(text, /You: Ring the dental helpline/)
  assert.equal(await printed.page.locator('#appointments').count(), 0)

  await printed.page.emulateMedia({ media: 'print' })
  assert.equal(await printed.page.locator('.govuk-service-navigation').isVisible(), false, 'navigation is not printed')
  assert.equal(await printed.page.locator('#print-hint').isVisible(), false, 'the hint is not printed')
  const size = await printed.page
    .locator('.hub-plan li')
    .first()
    .evaluate((li) => getComputedStyle(li).fontSize)
  assert.ok(Number.parseFloat(size) >= 19, `printed list text is ${size}`)
  await page.context().close()
})
