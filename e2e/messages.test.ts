/**
 * Messages in Chromium, as the e2e/ journeys run (their sign-in, page objects and axe check): a clinician records
 * a person's agreement to texts, books an appointment and sees the reminder's words on the Messages page; it is
 * sent (through a local fake of Notify) and comes back undeliverable, which the page and the worklist show; the
 * hub manager opens the site's summary. Every page passes axe; the Messages page fits a 375 px wide screen.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { Config } from '../src/config.ts'
import { createServices } from '../src/services.ts'
import { TEST_PASSWORD_COST } from '../src/features/staff/index.ts'
import { testConfig } from '../test/support/config.ts'
import { fixedClock } from '../test/support/clock.ts'
import { givenPerson, givenSite, givenStaff, type GivenStaff } from '../test/support/builders.ts'
import { startFakeNotifyServer, type FakeNotifyServer } from '../test/support/fake-notify-server.ts'
import { startHub, type Hub } from './support/hub.ts'
import { signedInPage } from './support/sign-in.ts'
import { assertNoAccessibilityViolations } from './support/accessibility.ts'
import { HeadedPage } from './pages/care-pages.ts'
import { ConsentPage, RecordConsentPage } from './pages/consent-pages.ts'
import { datePartsFromToday } from './pages/referral-pages.ts'
import { WorklistPage } from './pages/worklist-pages.ts'

const TEMPLATES = {
  reminder: { sms: '11111111-1111-4111-8111-111111111111', email: '22222222-2222-4222-8222-222222222222' },
  cancelled: { sms: '33333333-3333-4333-8333-333333333333', email: '44444444-4444-4444-8444-444444444444' },
  missed: { sms: '55555555-5555-4555-8555-555555555555', email: '66666666-6666-4666-8666-666666666666' },
}
const TOKEN = 'x'.repeat(40)
/** The fake Notify reports this number as one that does not exist. */
const UNDELIVERABLE = '07700900002'

let hub: Hub
let notify: FakeNotifyServer
let config: Config
let site: { id: string; code: string; name: string }
let clinician: GivenStaff
let manager: GivenStaff
let personId: string

before(async () => {
  notify = await startFakeNotifyServer()
  config = testConfig({
    messages: {
      ...testConfig().messages,
      notify: { apiKey: notify.apiKey, baseUrl: notify.url, templates: TEMPLATES },
      callbackToken: TOKEN,
    },
  })
  hub = await startHub({ messages: config.messages })
  const db = hub.database.db
  site = await givenSite(db, { name: 'Middlesbrough messages hub' })
  await db
    .updateTable('site')
    .set({ address_line1: '12 High Street', town: 'Middlesbrough', postcode: 'TS1 1AA', phone: '01642 000000' })
    .where('id', '=', site.id)
    .execute()
  clinician = await givenStaff(db, 'clinician', { sites: [site], name: 'Casey Clinician' })
  manager = await givenStaff(db, 'hub_manager', { sites: [site], name: 'Morgan Manager' })
  const person = await givenPerson(db, site, {
    crn: 'M445566',
    given_name: 'Jordan',
    family_name: 'Sample',
    phone: UNDELIVERABLE,
  })
  personId = person.id
})

after(async () => {
  await hub.close()
  await notify.close()
})

test('consent to texts, a booking, the reminder’s words; sent, undeliverable, on the worklist; the site summary', async () => {
  const page = await signedInPage(hub, clinician)

  // Consent to texts, recorded on the consent page.
  const consent = await ConsentPage.open(page, personId)
  await consent.recordLink('Contact by text message').click()
  const record = await new RecordConsentPage(page, /Contact by text message/).verifyOnPage()
  await record.record({ decision: 'Yes, agrees', decidedOn: datePartsFromToday(0), method: 'In person' })
  const recorded = await new ConsentPage(page).verifyOnPage()
  assert.match(await recorded.decisionInForce('Contact by text message'), /^Agreed/)

  // A health clinic three days ahead, booked on the booking page.
  await page.goto(`/people/${personId}/appointments/new`)
  const book = await new HeadedPage(page, 'Book an appointment for Jordan Sample').verifyOnPage()
  const day = datePartsFromToday(3)
  await book.page.getByLabel('Health clinic', { exact: false }).first().check()
  await book.field('Day').fill(day.day)
  await book.field('Month').fill(day.month)
  await book.field('Year').fill(day.year)
  await book.field('Start time').fill('10:30')
  await book.page.getByLabel('Hub clinician', { exact: true }).selectOption({ label: 'Casey Clinician' })
  await book.button('Book appointment').click()
  const booked = await new HeadedPage(page, 'Appointment').verifyOnPage()
  assert.match((await booked.notificationBanner.textContent()) ?? '', /booked/i)

  // The Messages page, reached from the record's sections, shows what the reminder will say.
  await page.goto(`/people/${personId}`)
  await page.locator('#record-navigation').getByRole('link', { name: 'Messages', exact: true }).click()
  const messages = await new HeadedPage(page, 'Messages').verifyOnPage()
  const card = page.locator('.govuk-summary-card').first()
  assert.equal(((await card.locator('.govuk-tag').textContent()) ?? '').trim(), 'Waiting to be sent')
  assert.match(
    (await card.locator('.hub-message-text').textContent()) ?? '',
    /^Hello Jordan\. You have an appointment at 10:30am on \w+ \d+ \w+ at 12 High Street, Middlesbrough TS1 1AA\. To change it call 01642 000000\.$/,
  )
  assert.equal(await messages.page.locator('.govuk-warning-text').count(), 0, 'a Notify key: no outbox warning')

  // Sent when due (by services on the same database, with a clock at the reminder's time), then undeliverable.
  const db = hub.database.db
  const scheduled = await db
    .selectFrom('message')
    .selectAll()
    .where('person_id', '=', personId)
    .executeTakeFirstOrThrow()
  const clock = fixedClock(new Date(scheduled.send_after))
  const services = createServices({ config, database: hub.database, clock, passwordCost: TEST_PASSWORD_COST })
  assert.equal((await services.messages.sendDue()).sent, 1)
  assert.equal(notify.notifications.length, 1)
  const notification = notify.notifications[0]
  assert.equal(notification?.recipient, UNDELIVERABLE)
  const receipt = await fetch(`${hub.baseUrl}/notify/callbacks/delivery`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({
      id: notification.id,
      reference: notification.reference,
      to: notification.recipient,
      status: 'permanent-failure',
      notification_type: 'sms',
    }),
  })
  assert.equal(receipt.status, 204)

  await page.reload()
  await messages.verifyOnPage()
  assert.equal(((await card.locator('.govuk-tag').textContent()) ?? '').trim(), 'Not delivered: check contact details')
  assert.match((await card.textContent()) ?? '', /Sent/)
  await card.locator('.govuk-details__summary').click()
  assert.match(
    (await card.locator('.govuk-details__text').textContent()) ?? '',
    /Waiting to be sent[\s\S]*Sent to GOV\.UK Notify[\s\S]*Not delivered: check contact details/,
  )
  await assertNoAccessibilityViolations(page)

  // "Check contact details" on the clinician's worklist.
  const worklist = await WorklistPage.open(page)
  const followUps = await worklist.rows('follow-ups')
  assert.ok(
    followUps.some(
      (row) => row.some((cell) => /Jordan Sample/.test(cell)) && row.some((cell) => /Check contact details/.test(cell)),
    ),
    JSON.stringify(followUps),
  )

  // The hub manager's summary of the site's messages.
  const managerPage = await signedInPage(hub, manager)
  await managerPage.goto(`/sites/${encodeURIComponent(site.code)}/messages`)
  const summary = await new HeadedPage(managerPage, 'Messages to people').verifyOnPage()
  const rows = await summary.page.locator('table tbody tr').allTextContents()
  assert.equal(rows.length, 1, JSON.stringify(rows))
  assert.match((rows[0] ?? '').replace(/\s+/g, ' ').trim(), /^\d{4}-\d{2}-\d{2} 1 0 1 0$/)
  assert.equal(await summary.summaryValue('With a reminder delivered'), 'No appointments', 'no outcome recorded yet')
  // A bad date: the error summary, and still no violations.
  await summary.page.getByLabel('First day', { exact: true }).fill('not a date')
  await summary.button('Show').click()
  await summary.verifyOnPage()
  assert.match(await summary.title(), /^Error: /)
  assert.deepEqual(await summary.errorSummaryLinks(), [
    { text: 'Enter the first day as a date, like 2026-11-01', href: '#from' },
  ])
})

test('the Messages page fits a 375 px wide screen without scrolling sideways', async () => {
  const page = await signedInPage(hub, clinician, { viewport: { width: 375, height: 812 } })
  await page.goto(`/people/${personId}/messages`)
  await new HeadedPage(page, 'Messages').verifyOnPage()
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }))
  assert.ok(
    scrollWidth <= clientWidth,
    `the page is ${String(scrollWidth)} px wide on a ${String(clientWidth)} px screen`,
  )
  // The outbox and the site's summary, from a hub manager's phone.
  const managerPage = await signedInPage(hub, manager, { viewport: { width: 375, height: 812 } })
  await managerPage.goto(`/sites/${encodeURIComponent(site.code)}/messages`)
  await new HeadedPage(managerPage, 'Messages to people').verifyOnPage()
  await managerPage.goto('/messages/outbox')
  await new HeadedPage(managerPage, 'Outbox: messages not sent').verifyOnPage()
})
