import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { givenPerson, givenSite, givenStaff, type GivenStaff } from '../test/support/builders.ts'
import { startHub, type Hub } from './support/hub.ts'
import { signedInPage } from './support/sign-in.ts'
import { HeadedPage } from './pages/care-pages.ts'

let hub: Hub
let clinician: GivenStaff
let personId: string

before(async () => {
  hub = await startHub()
  const site = await givenSite(hub.database.db, { name: 'Middlesbrough test hub' })
  clinician = await givenStaff(hub.database.db, 'clinician', { sites: [site], name: 'Casey Clinician' })
  const person = await givenPerson(hub.database.db, site, { crn: 'M112233', given_name: 'Jo', family_name: 'Example' })
  personId = person.id
})

after(async () => {
  await hub.close()
})

/** The UK calendar date `days` before today, as the day, month and year boxes take it. */
function ukDaysAgo(days: number): { day: string; month: string; year: string; iso: string } {
  const instant = new Date(Date.now() - days * 86_400_000)
  const iso = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(instant)
  const [year = '', month = '', day = ''] = iso.split('-')
  return { day: String(Number(day)), month: String(Number(month)), year, iso }
}

const longDate = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(
    new Date(`${iso}T00:00:00Z`),
  )

test('a change dated before the last one, or left blank, is refused with a GOV.UK error and nothing is saved', async () => {
  const proposedOn = ukDaysAgo(10)
  const tooEarly = ukDaysAgo(12)
  const assessedOn = ukDaysAgo(5)
  const page = await signedInPage(hub, clinician)
  await page.goto(`${hub.baseUrl}/people/${personId}/treatment-requirements`)
  const list = await new HeadedPage(page, 'Treatment requirements').verifyOnPage()
  await list.button('Propose a treatment requirement').click()

  const propose = await new HeadedPage(page, 'Propose a treatment requirement').verifyOnPage()
  await propose.page.getByLabel(/Drug Rehabilitation Requirement/).check()
  await propose.page.locator('#proposedOn-day').fill(proposedOn.day)
  await propose.page.locator('#proposedOn-month').fill(proposedOn.month)
  await propose.page.locator('#proposedOn-year').fill(proposedOn.year)
  await propose.button('Propose').click()

  const requirement = await new HeadedPage(page, 'Drug Rehabilitation Requirement (DRR)').verifyOnPage()
  await requirement.page.getByLabel('Assessed as suitable', { exact: true }).check()
  await requirement.page.locator('#at-day').fill(tooEarly.day)
  await requirement.page.locator('#at-month').fill(tooEarly.month)
  await requirement.page.locator('#at-year').fill(tooEarly.year)
  await requirement.button('Save').click()

  const early = await new HeadedPage(page, 'Drug Rehabilitation Requirement (DRR)').verifyOnPage()
  assert.match(await early.title(), /^Error: /)
  assert.deepEqual(await early.errorSummaryLinks(), [
    {
      text: `The date it happened must be on or after ${longDate(proposedOn.iso)}, the date of the last change`,
      href: '#at-day',
    },
  ])
  assert.equal((await early.page.locator('#current-status').textContent())?.trim(), 'Proposed', 'nothing was saved')

  await early.page.getByLabel('Assessed as suitable', { exact: true }).check()
  for (const part of ['day', 'month', 'year']) await early.page.locator(`#at-${part}`).fill('')
  await early.button('Save').click()
  const blank = await new HeadedPage(page, 'Drug Rehabilitation Requirement (DRR)').verifyOnPage()
  assert.deepEqual(await blank.errorSummaryLinks(), [{ text: 'Enter the date it happened', href: '#at-day' }])

  await blank.page.getByLabel('Assessed as suitable', { exact: true }).check()
  await blank.page.locator('#at-day').fill(assessedOn.day)
  await blank.page.locator('#at-month').fill(assessedOn.month)
  await blank.page.locator('#at-year').fill(assessedOn.year)
  await blank.button('Save').click()
  const saved = await new HeadedPage(page, 'Drug Rehabilitation Requirement (DRR)').verifyOnPage()
  assert.match((await saved.notificationBanner.textContent()) ?? '', /Status updated: assessed as suitable/)
  assert.equal((await saved.page.locator('#current-status').textContent())?.trim(), 'Assessed as suitable')
})
