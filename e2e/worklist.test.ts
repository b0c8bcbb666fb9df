import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  givenFollowUp,
  givenHealthCheck,
  givenNeed,
  givenPerson,
  givenReferral,
  givenService,
  givenSite,
  givenStaff,
  type GivenStaff,
} from '../test/support/builders.ts'
import { startHub, type Hub } from './support/hub.ts'
import { signedInPage } from './support/sign-in.ts'
import { HeadedPage } from './pages/care-pages.ts'
import { ReferralPage, ukIsoDate } from './pages/referral-pages.ts'
import { FollowUpDonePage, WorklistPage } from './pages/worklist-pages.ts'

let hub: Hub
let clinician: GivenStaff

before(async () => {
  hub = await startHub()
  const db = hub.database.db
  const site = await givenSite(db, { name: 'Middlesbrough worklist hub' })
  clinician = await givenStaff(db, 'clinician', { sites: [site], name: 'Wren Worklist' })
  const colleague = await givenStaff(db, 'clinician', { sites: [site], name: 'Cole Colleague' })

  // A warning sign from the clinician's own health check, raised yesterday: its same-day response is overdue.
  const ash = await givenPerson(db, site, { given_name: 'Ash', family_name: 'Flagged' })
  await givenHealthCheck(db, {
    person: ash,
    clinician,
    status: 'completed',
    startedAt: new Date(Date.now() - 26 * 3_600_000),
    flag: true,
  })
  // A colleague's, counted for the site but not in the clinician's own list.
  const dee = await givenPerson(db, site, { given_name: 'Dee', family_name: 'Colleagues' })
  await givenHealthCheck(db, {
    person: dee,
    clinician: colleague,
    status: 'completed',
    startedAt: new Date(Date.now() - 2 * 3_600_000),
    flag: true,
  })

  // Two referrals the clinician made: one past its chase date, one to chase in three days.
  const service = await givenService(db, site, { kind: 'talking-therapies', name: 'Talking Space' })
  const bea = await givenPerson(db, site, { given_name: 'Bea', family_name: 'Chase' })
  const beaNeed = await givenNeed(db, bea, clinician, { identifiedOn: ukIsoDate(-20) })
  await givenReferral(db, {
    person: bea,
    need: beaNeed,
    service,
    createdBy: clinician,
    createdOn: ukIsoDate(-15),
    sentOn: ukIsoDate(-15),
    chaseOn: ukIsoDate(-5),
  })
  const eli = await givenPerson(db, site, { given_name: 'Eli', family_name: 'Soon' })
  const eliNeed = await givenNeed(db, eli, clinician, { category: 'smoking', identifiedOn: ukIsoDate(-8) })
  await givenReferral(db, {
    person: eli,
    need: eliNeed,
    service,
    createdBy: clinician,
    createdOn: ukIsoDate(-7),
    sentOn: ukIsoDate(-7),
    chaseOn: ukIsoDate(3),
  })

  // A missed appointment to follow up, due yesterday.
  const cal = await givenPerson(db, site, { given_name: 'Cal', family_name: 'Missed' })
  await givenFollowUp(db, { person: cal, assignedTo: clinician, dueDate: ukIsoDate(-1) })
})

after(async () => {
  await hub.close()
})

test('a clinician’s worklist counts and links an overdue warning sign and referral, and a follow-up is marked as done', async () => {
  const page = await signedInPage(hub, clinician)
  assert.equal(new URL(page.url()).pathname, '/worklist')
  const worklist = await new WorklistPage(page).verifyOnPage()

  assert.equal(await worklist.summaryLine('flags'), 'Warning signs awaiting a response: 1 (1 overdue)')
  assert.equal(await worklist.summaryLine('referrals'), 'Referrals to chase: 2 (1 overdue)')
  assert.equal(await worklist.summaryLine('follow-ups'), 'Missed appointments to follow up: 1 (1 overdue)')
  assert.equal(await worklist.summaryLink('flags').getAttribute('href'), '#section-flags')
  assert.equal(await worklist.summaryLink('referrals').getAttribute('href'), '#section-referrals')

  const flags = await worklist.rows('flags')
  assert.equal(flags.length, 1, 'only the warning sign from the clinician’s own check')
  assert.match(flags[0]?.[0] ?? '', /by midnight Overdue$/)
  assert.match(flags[0]?.[1] ?? '', /^Ash Flagged /)
  assert.match(
    (await page.locator('#flags-at-site').textContent()) ?? '',
    /1 more warning sign is awaiting a response from colleagues at this site/,
  )
  const referrals = await worklist.rows('referrals')
  assert.deepEqual(
    referrals.map((row) => [row[0]?.endsWith('Overdue'), row[1]?.split(' T')[0], row[2]]),
    [
      [true, 'Bea Chase', 'Talking Space: Sent'],
      [false, 'Eli Soon', 'Talking Space: Sent'],
    ],
    'most urgent first',
  )

  // The summary's links jump to their sections; each person's name opens where the item is acted on.
  await worklist.summaryLink('referrals').click()
  assert.equal(new URL(page.url()).hash, '#section-referrals')
  await worklist.personLink('referrals', 'Bea Chase').click()
  const referral = await new ReferralPage(page, 'Talking Space').verifyOnPage()
  assert.match(await referral.value('Chase date'), /Overdue$/)
  await page.goBack()

  await new WorklistPage(page).verifyOnPage()
  await worklist.personLink('flags', 'Ash Flagged').click()
  await new HeadedPage(page, 'Respond to a warning sign').verifyOnPage()
  await page.goBack()

  // Warning signs lead the page, and each has its own "Respond" action.
  await new WorklistPage(page).verifyOnPage()
  assert.match((await worklist.sectionHeadings())[0] ?? '', /^Warning signs awaiting a response/)
  await worklist.respondLink('Ash Flagged').click()
  await new HeadedPage(page, 'Respond to a warning sign').verifyOnPage()
  await page.goBack()

  await new WorklistPage(page).verifyOnPage()
  await worklist.markAsDoneLink('Cal Missed').click()
  const done = await new FollowUpDonePage(page).verifyOnPage()
  await page.getByRole('button', { name: 'Mark as done' }).click()
  await done.verifyOnPage()
  assert.match(await done.title(), /^Error: /)
  assert.deepEqual(await done.errorSummaryLinks(), [{ text: 'Enter a note of what was done', href: '#note' }])
  await done.markAsDone('Phoned Cal and rebooked for Tuesday')

  const after = await new WorklistPage(page).verifyOnPage()
  assert.match((await after.notificationBanner.textContent()) ?? '', /Follow-up for Cal Missed marked as done/)
  assert.equal(await after.summaryLine('follow-ups'), 'Missed appointments to follow up: 0')
  assert.deepEqual(await after.rows('follow-ups'), [])
  assert.match((await after.section('follow-ups').textContent()) ?? '', /You have no missed appointments to follow up/)
})
