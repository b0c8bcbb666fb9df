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
  const site = await givenSite(hub.database.db, { name: 'Middlesbrough test hub' })
  clinician = await givenStaff(hub.database.db, 'clinician', { sites: [site], name: 'Casey Clinician' })
  await givenStaff(hub.database.db, 'probation_practitioner', { sites: [site], name: 'Pat Practitioner' })
  const person = await givenPerson(hub.database.db, site, {
    crn: 'M112233',
    given_name: 'Jordan',
    family_name: 'Sample',
  })
  personId = person.id
})

after(async () => {
  await hub.close()
})

test('a clinician books a joint appointment, sees it in their diary, and records a consent decision', async () => {
  const page = await signedInPage(hub, clinician)
  await page.goto(`${hub.baseUrl}/people/${personId}`)
  const person = await new PersonPage(page, 'Jordan Sample').verifyOnPage()

  await person.page.getByRole('link', { name: 'Appointments' }).click()
  const appointments = await new HeadedPage(page, 'Appointments').verifyOnPage()
  await appointments.button('Book an appointment').click()
  const book = await new HeadedPage(page, 'Book an appointment for Jordan Sample').verifyOnPage()

  // A week ahead, so the booking is always in the future.
  const when = new Date(Date.now() + 7 * 24 * 60 * 60 * 1000)
  await book.page.getByLabel('Joint appointment', { exact: false }).first().check()
  await book.field('Day').fill(String(when.getUTCDate()))
  await book.field('Month').fill(String(when.getUTCMonth() + 1))
  await book.field('Year').fill(String(when.getUTCFullYear()))
  await book.field('Start time').fill('25:00')
  await book.button('Book appointment').click()
  await book.verifyOnPage()
  assert.match(await book.title(), /^Error: /)
  const errors = await book.errorSummaryLinks()
  assert.ok(
    errors.some((e) => e.href === '#startTime'),
    'the error summary links to the start time',
  )

  await book.field('Start time').fill('10:30')
  await book.page.getByLabel('Hub clinician', { exact: true }).selectOption({ label: 'Casey Clinician' })
  await book.page.getByLabel('Probation practitioner', { exact: true }).selectOption({ label: 'Pat Practitioner' })
  await book.button('Book appointment').click()
  const booked = await new HeadedPage(page, 'Appointment').verifyOnPage()
  assert.match((await booked.notificationBanner.textContent()) ?? '', /booked/i)

  await booked.navigationLink('Your diary').click()
  await new HeadedPage(page, /diary/i).verifyOnPage()
  await page.goto(`${hub.baseUrl}/diary/mine?date=${when.toISOString().slice(0, 10)}`)
  await new HeadedPage(page, /diary/i).verifyOnPage()
  assert.match((await page.locator('main').textContent()) ?? '', /Jordan Sample|Sample, Jordan/)

  await page.goto(`${hub.baseUrl}/people/${personId}`)
  await page.getByRole('link', { name: 'Consent decisions' }).click()
  const consent = await new HeadedPage(page, 'Consent').verifyOnPage()
  await consent.page.locator('a[href*="/consent/contact-by-sms/record"]').first().click()
  const record = await new HeadedPage(page, /text message|SMS/i).verifyOnPage()
  await record.button('Record decision').click()
  await record.verifyOnPage()
  assert.ok((await record.errorSummaryLinks()).length > 0, 'a blank form shows the error summary')

  await record.page.locator('input[name="decision"]').first().check()
  const today = new Date()
  await record.field('Day').fill(String(today.getUTCDate()))
  await record.field('Month').fill(String(today.getUTCMonth() + 1))
  await record.field('Year').fill(String(today.getUTCFullYear()))
  await record.page.locator('input[name="method"]').first().check()
  await record.button('Record decision').click()
  const recorded = await new HeadedPage(page, 'Consent').verifyOnPage()
  assert.ok(await recorded.notificationBanner.isVisible())
})
