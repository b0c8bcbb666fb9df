/**
 * Issue 4, "Done when": a clinician, a partner caseworker and a probation practitioner carry one need to a completed
 * referral in the browser, each seeing only what their role and the person's consent allow. The first three tests
 * are one story, run in order: the clinician makes and sends the referral, the partner takes it to completed, and
 * the practitioner reads the summary until the person withdraws consent.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  givenConsent,
  givenNeed,
  givenOrganisation,
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
import { CaseloadPage, PersonPage } from './pages/people-pages.ts'
import { ConsentPage, RecordConsentPage } from './pages/consent-pages.ts'
import {
  datePartsFromToday,
  govukDateFromToday,
  NewReferralPage,
  PersonReferralsPage,
  ReferralListPage,
  ReferralPage,
  ReferralPrintPage,
  ukIsoDate,
} from './pages/referral-pages.ts'
import { HealthSummaryPage } from './pages/summary-pages.ts'
import { WorklistPage } from './pages/worklist-pages.ts'

const PARTNER_ORG = 'Talking Minds CIC'
const PARTNER_SERVICE = 'Talking Minds Wellbeing'
const OTHER_ORG = 'Northern Recovery Trust'
const OTHER_SERVICE = 'Northern Recovery Service'
const PLAIN_SERVICE = 'Riverside Surgery'
/** Planted so the practitioner's summary can be shown never to carry it. */
const NEED_REASON = 'Planted need reason: PHQ-9 score 17, thoughts of self-harm'
const REFERRAL_REASON = 'Low mood since release; asks for talking therapy (planted referral reason)'

let hub: Hub
let clinician: GivenStaff
let practitioner: GivenStaff
let partner: GivenStaff
let person: { id: string; crn: string }
let otherReferralId: string
let badInputPerson: { id: string }
let badInputReferralId: string
let siteRef: { id: string }
let partnerOrgRef: { id: string }
let partnerServiceRef: { id: string }
/** Made by the clinician in the first test, carried on by the next two. */
let referralId: string | undefined

before(async () => {
  hub = await startHub()
  const db = hub.database.db
  const site = await givenSite(db, { name: 'Cambridge test hub' })
  const partnerOrg = await givenOrganisation(db, { name: PARTNER_ORG })
  siteRef = site
  partnerOrgRef = partnerOrg
  const otherOrg = await givenOrganisation(db, { name: OTHER_ORG })
  clinician = await givenStaff(db, 'clinician', { sites: [site], name: 'Casey Clinician' })
  practitioner = await givenStaff(db, 'probation_practitioner', { sites: [site], name: 'Pat Practitioner' })
  partner = await givenStaff(db, 'partner', { organisationId: partnerOrg.id, name: 'Parker Partner' })
  partnerServiceRef = await givenService(db, site, {
    kind: 'talking-therapies',
    name: PARTNER_SERVICE,
    organisation_id: partnerOrg.id,
  })
  const otherService = await givenService(db, site, {
    kind: 'drug-alcohol',
    name: OTHER_SERVICE,
    organisation_id: otherOrg.id,
  })
  const plainService = await givenService(db, site, { kind: 'gp-practice', name: PLAIN_SERVICE })

  // The person whose need is carried to a completed referral; they agreed a week ago to share a summary with probation.
  const jordan = await givenPerson(db, site, { given_name: 'Jordan', family_name: 'Rivers' })
  person = jordan
  await givenNeed(db, jordan, clinician, {
    category: 'mental-health',
    identifiedOn: ukIsoDate(-14),
    proposedBecause: NEED_REASON,
  })
  await givenConsent(db, jordan, clinician, {
    topic: 'share-summary-with-probation',
    decidedOn: ukIsoDate(-7),
    recordedAt: new Date(Date.now() - 7 * 86_400_000),
  })

  // Another organisation's referral, with consent to share with that organisation: never shown to our partner.
  const sam = await givenPerson(db, site, { given_name: 'Sam', family_name: 'Hidden' })
  const samNeed = await givenNeed(db, sam, clinician, { category: 'drugs', identifiedOn: ukIsoDate(-10) })
  await givenConsent(db, sam, clinician, {
    topic: 'share-with-partner',
    organisationId: otherOrg.id,
    decidedOn: ukIsoDate(-10),
    recordedAt: new Date(Date.now() - 10 * 86_400_000),
  })
  const other = await givenReferral(db, {
    person: sam,
    need: samNeed,
    service: otherService,
    createdBy: clinician,
    createdOn: ukIsoDate(-9),
    sentOn: ukIsoDate(-9),
    chaseOn: ukIsoDate(1),
  })
  otherReferralId = other.id

  // A person with one confirmed need and a referral already sent, for the bad-input journey.
  const robin = await givenPerson(db, site, { given_name: 'Robin', family_name: 'Mistake' })
  badInputPerson = robin
  const robinNeed = await givenNeed(db, robin, clinician, { category: 'physical-health', identifiedOn: ukIsoDate(-10) })
  const robinReferral = await givenReferral(db, {
    person: robin,
    need: robinNeed,
    service: plainService,
    createdBy: clinician,
    createdOn: ukIsoDate(-5),
    sentOn: ukIsoDate(-4),
    chaseOn: ukIsoDate(6),
  })
  badInputReferralId = robinReferral.id
})

after(async () => {
  await hub.close()
})

function theReferral(): string {
  assert.ok(referralId !== undefined, 'the clinician’s journey made the referral')
  return referralId
}

test('a clinician records consent to share with a partner, refers a confirmed need to its service, sends it and prints it', async () => {
  const page = await signedInPage(hub, clinician)
  assert.equal(new URL(page.url()).pathname, '/worklist')
  const worklist = await new WorklistPage(page).verifyOnPage()
  const headings = await worklist.sectionHeadings()
  for (const section of [
    'Warning signs awaiting a response',
    'Proposed needs to confirm or dismiss',
    'Missed appointments to follow up',
    'Referrals to chase',
    'GP registrations in progress',
    'Screening due',
  ]) {
    assert.ok(
      headings.some((h) => h.startsWith(`${section} (`)),
      `the worklist has "${section}"; it has ${headings.join(', ')}`,
    )
  }

  await worklist.navigationLink('Caseload').click()
  const caseload = await new CaseloadPage(page).verifyOnPage()
  await caseload.personLink('Rivers, Jordan').click()
  await new PersonPage(page, 'Jordan Rivers').verifyOnPage()

  await page.locator('main').getByRole('link', { name: 'Needs', exact: true }).click()
  const needs = await new HeadedPage(page, 'Needs').verifyOnPage()
  assert.match((await needs.page.locator('#needs tbody').textContent()) ?? '', /Mental health[\s\S]*Confirmed/)
  await page.goBack()

  await new PersonPage(page, 'Jordan Rivers').verifyOnPage()
  await page.locator('main').getByRole('link', { name: 'Consent decisions' }).click()
  const consent = await new ConsentPage(page).verifyOnPage()
  await consent.recordPartnerLink.click()
  const share = await new RecordConsentPage(page, 'Share with a partner organisation').verifyOnPage()
  await share.record({
    organisation: PARTNER_ORG,
    decision: 'Yes, agrees',
    decidedOn: datePartsFromToday(),
    method: 'In person',
  })
  const recorded = await new ConsentPage(page).verifyOnPage()
  assert.ok(await recorded.notificationBanner.isVisible(), 'a banner confirms the decision')
  assert.equal(
    await recorded.decisionInForce(`Share with ${PARTNER_ORG}`),
    `Agreed Decided ${govukDateFromToday()}, in person`,
  )

  await page.goto(`/people/${person.id}`)
  await new PersonPage(page, 'Jordan Rivers').verifyOnPage()
  await page.locator('main').getByRole('link', { name: 'Referrals', exact: true }).click()
  const referrals = await new PersonReferralsPage(page).verifyOnPage()
  assert.equal(await page.locator('#no-referrals').count(), 1, 'no referrals yet')
  await referrals.makeReferral()

  // One confirmed need, so the form opens with it chosen and the services for mental health first.
  const form = await new NewReferralPage(page).verifyOnPage()
  assert.ok(await page.locator('input[name="needId"]').first().isChecked(), 'the only confirmed need is chosen')
  assert.match(await form.serviceHint(PARTNER_SERVICE), new RegExp(`Partner: ${PARTNER_ORG}. Consent to share given$`))
  assert.match(await form.serviceHint(OTHER_SERVICE), /Consent to share needed before sending/)
  await form.chooseService(PARTNER_SERVICE)
  await form.chooseUrgency('Routine')
  await form.reason.fill(REFERRAL_REASON)
  await form.send()

  const sent = await new ReferralPage(page, PARTNER_SERVICE).verifyOnPage()
  assert.match((await sent.notificationBanner.textContent()) ?? '', new RegExp(`Referral sent to ${PARTNER_SERVICE}`))
  referralId = new URL(page.url()).pathname.split('/').at(-1)
  assert.match(await sent.value('Status'), /^Sent /)
  assert.equal(await sent.value('Sent'), govukDateFromToday())
  assert.equal(await sent.value('Chase date'), govukDateFromToday(10), 'a routine referral is chased in 10 days')
  assert.equal(await sent.value('Partner organisation'), PARTNER_ORG)
  assert.match(
    (await sent.consentState.textContent()) ?? '',
    new RegExp(`The person has agreed to share their information with ${PARTNER_ORG}`),
  )

  await page.getByRole('link', { name: 'Back to Jordan Rivers’s referrals' }).click()
  const listed = await new PersonReferralsPage(page).verifyOnPage()
  assert.deepEqual(await listed.rows(), [
    [PARTNER_SERVICE, 'Mental health', 'Sent', govukDateFromToday(), govukDateFromToday(10)],
  ])
  await listed.referralLink(PARTNER_SERVICE).click()
  const again = await new ReferralPage(page, PARTNER_SERVICE).verifyOnPage()
  await again.print()
  const letter = await new ReferralPrintPage(page, PARTNER_SERVICE).verifyOnPage()
  assert.equal(await letter.value('Reason for referral'), REFERRAL_REASON)
  assert.equal(await letter.value('Status'), 'Sent')
  assert.equal(await letter.value('Referred by'), 'Casey Clinician')
  assert.equal(await letter.value('Urgency'), 'Routine')
})

test('a partner caseworker sees only their organisation’s referral, accepts it, books and records the first appointment, then (without JavaScript) engagement and completion', async () => {
  const id = theReferral()
  const page = await signedInPage(hub, partner)
  assert.equal(new URL(page.url()).pathname, '/referrals', 'a partner lands on their referrals')
  const list = await new ReferralListPage(page).verifyOnPage()
  assert.deepEqual(await list.rows(), [
    ['Jordan Rivers', PARTNER_SERVICE, 'Sent', govukDateFromToday(), govukDateFromToday(10)],
  ])
  assert.equal(await list.resultCount(), '1 referral')
  assert.doesNotMatch((await page.locator('main').textContent()) ?? '', /Sam Hidden|Northern Recovery/)

  // Another organisation's referral cannot be opened by its address either.
  await page.goto(`/referrals/${otherReferralId}`)
  await new HeadedPage(page, /^(Page not found|You do not have permission to view this page)$/).verifyOnPage()
  assert.doesNotMatch((await page.locator('main').textContent()) ?? '', /Sam Hidden/)

  await page.goto('/referrals')
  await new ReferralListPage(page).verifyOnPage()
  await list.personLink('Jordan Rivers').click()
  const referral = await new ReferralPage(page, PARTNER_SERVICE).verifyOnPage()
  assert.deepEqual(await referral.progressOptions(), [
    'The service accepted the referral',
    'The service rejected the referral',
    'The person declined the referral',
  ])
  assert.equal(await page.locator('#chase').count(), 0, 'a partner does not set chase dates')

  await referral.recordProgress({ what: 'The service accepted the referral', at: datePartsFromToday() })
  await referral.verifyOnPage()
  assert.match((await referral.notificationBanner.textContent()) ?? '', /Referral updated: accepted/)
  assert.match(await referral.value('Status'), /^Accepted /)

  await referral.recordProgress({
    what: 'A first appointment was booked',
    at: datePartsFromToday(),
    appointmentOn: datePartsFromToday(),
  })
  await referral.verifyOnPage()
  assert.match(await referral.value('Status'), /^First appointment booked /)
  assert.equal(await referral.value('First appointment'), govukDateFromToday())

  await referral.recordProgress({ what: 'The person attended their first appointment', at: datePartsFromToday() })
  await referral.verifyOnPage()
  assert.match(await referral.value('Status'), /^First appointment attended /)
  assert.equal(await referral.value('First attended'), govukDateFromToday())
  assert.equal(await referral.value('Need to first treatment'), '14 days')

  // The rest without JavaScript: the forms work as plain HTML.
  const noScript = await signedInPage(hub, partner, { javaScriptEnabled: false })
  const plain = await ReferralPage.open(noScript, id, PARTNER_SERVICE)
  await plain.recordProgress({ what: 'The person is engaging with the service', at: datePartsFromToday() })
  await plain.verifyOnPage()
  assert.match(await plain.value('Status'), /^Engaged /)
  await plain.recordProgress({ what: 'The person completed treatment or support', at: datePartsFromToday() })
  await plain.verifyOnPage()
  assert.match(await plain.value('Status'), /^Completed /)
  assert.equal(await plain.value('Chase date'), 'None', 'a completed referral has nothing to chase')
  assert.equal(await noScript.locator('#update-progress').count(), 0, 'nothing more can be recorded')

  const today = govukDateFromToday()
  const changelog = (await plain.changelog()).map(([date, change, , by]) => [date, change, by?.split(',')[0]])
  assert.deepEqual(changelog, [
    [today, 'Engaged to completed', 'Parker Partner'],
    [today, 'First appointment attended to engaged', 'Parker Partner'],
    [today, 'First appointment booked to first appointment attended', 'Parker Partner'],
    [today, 'Accepted to first appointment booked', 'Parker Partner'],
    [today, 'Sent to accepted', 'Parker Partner'],
    [today, 'Draft to sent', 'Casey Clinician'],
    [today, 'Referral made', 'Casey Clinician'],
  ])
})

test('a probation practitioner sees the need and the completed referral in plain words, never the reasons, until the person withdraws consent', async () => {
  const id = theReferral()
  const page = await signedInPage(hub, practitioner)
  await page.goto(`/people/${person.id}`)
  await new PersonPage(page, 'Jordan Rivers').verifyOnPage()
  await page.locator('main').getByRole('link', { name: 'Health summary', exact: true }).click()
  const summary = await new HealthSummaryPage(page).verifyOnPage()
  assert.deepEqual(await summary.needs(), [['Mental health support', govukDateFromToday(-14)]])
  assert.deepEqual(await summary.referrals(), [
    [
      `${PARTNER_SERVICE} (NHS Talking Therapies)`,
      'Completed',
      govukDateFromToday(),
      `Yes, on ${govukDateFromToday()}`,
    ],
  ])
  const text = await summary.mainText()
  for (const secret of [REFERRAL_REASON, NEED_REASON, 'PHQ', 'score', 'self-harm', 'talking therapy']) {
    assert.ok(!text.includes(secret), `the summary never shows "${secret}"`)
  }

  // The referral itself, with its reason, is the health team's and the partner's, not probation's.
  await page.goto(`/referrals/${id}`)
  await new HeadedPage(page, 'You do not have permission to view this page').verifyOnPage()

  // The clinician sees the whole story on the person's timeline, then records the withdrawal of consent.
  const clinicianPage = await signedInPage(hub, clinician)
  await clinicianPage.goto(`/people/${person.id}/timeline`)
  const timeline = await new HeadedPage(clinicianPage, 'Timeline').verifyOnPage()
  const story = ((await timeline.page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ')
  for (const step of [
    'sent',
    'accepted',
    'first appointment booked',
    'first appointment attended',
    'engaged',
    'completed',
  ]) {
    assert.ok(story.includes(`Referral to ${PARTNER_SERVICE}: ${step}`), `the timeline shows the referral ${step}`)
  }
  const consent = await ConsentPage.open(clinicianPage, person.id)
  assert.match(await consent.decisionInForce('Share a health summary with probation'), /^Agreed/)
  await consent.recordLink('Share a health summary with probation').click()
  const withdraw = await new RecordConsentPage(clinicianPage, 'Share a health summary with probation').verifyOnPage()
  await withdraw.record({
    decision: 'Withdraws agreement given before',
    decidedOn: datePartsFromToday(),
    method: 'By phone',
  })
  const after = await new ConsentPage(clinicianPage).verifyOnPage()
  assert.match(await after.decisionInForce('Share a health summary with probation'), /^Agreement withdrawn/)

  // At once, the practitioner's summary says it is not shared and shows nothing of it.
  const withdrawn = await HealthSummaryPage.open(page, person.id)
  assert.match(
    (await withdrawn.notShared.textContent()) ?? '',
    new RegExp(
      `Jordan Rivers withdrew their agreement to share a health summary with probation on ${govukDateFromToday()}`,
    ),
  )
  assert.equal(await withdrawn.summary.count(), 0, 'no section of the summary is shown')
  assert.doesNotMatch(await withdrawn.mainText(), new RegExp(`${PARTNER_SERVICE}|Mental health support`))
})

test('the new-referral form and the progress form explain bad input, and the error summary takes the user to each field', async () => {
  const page = await signedInPage(hub, clinician)
  const referrals = await PersonReferralsPage.open(page, badInputPerson.id)
  await referrals.makeReferral()
  const form = await new NewReferralPage(page).verifyOnPage()
  await form.send()
  await form.verifyOnPage()
  assert.match(await form.title(), /^Error: /)
  assert.deepEqual(await form.errorSummaryLinks(), [
    { text: 'Select the service to refer to', href: '#serviceId' },
    { text: 'Enter the reason for the referral', href: '#reason' },
  ])
  assert.equal(
    await page.evaluate(() => document.activeElement?.classList.contains('govuk-error-summary') ?? false),
    true,
    'the error summary takes focus when the page loads',
  )
  await form.errorSummary.getByRole('link', { name: 'Select the service to refer to' }).click()
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'serviceId', 'the first service radio is focused')
  await form.errorSummary.getByRole('link', { name: 'Enter the reason for the referral' }).click()
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'reason', 'the reason is focused')
  assert.equal(await page.locator('#serviceId-error').count(), 1, 'the message is shown by the services too')
  assert.equal(await page.locator('#reason-error').count(), 1, 'and by the reason')

  const referral = await ReferralPage.open(page, badInputReferralId, PLAIN_SERVICE)
  await referral.recordProgress({
    what: 'The service accepted the referral',
    at: { day: '31', month: '2', year: datePartsFromToday().year },
  })
  await referral.verifyOnPage()
  assert.match(await referral.title(), /^Error: /)
  assert.deepEqual(await referral.errorSummaryLinks(), [
    { text: 'The date it happened must be a real date', href: '#at-day' },
  ])
  await referral.errorSummary.getByRole('link', { name: 'The date it happened must be a real date' }).click()
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'at-day', 'the day field is focused')
  assert.ok(await page.getByLabel('The service accepted the referral', { exact: true }).isChecked(), 'keeps the choice')

  await referral.recordProgress({ what: 'The service accepted the referral', at: datePartsFromToday(1) })
  await referral.verifyOnPage()
  assert.deepEqual(await referral.errorSummaryLinks(), [
    { text: 'The date it happened must be today or in the past', href: '#at-day' },
  ])
  assert.match(await referral.value('Status'), /^Sent /, 'nothing was recorded')
})

test('a clinician opens the person’s screening and treatment requirements from their record', async () => {
  const page = await signedInPage(hub, clinician)
  await page.goto(`/people/${badInputPerson.id}`)
  await new PersonPage(page, 'Robin Mistake').verifyOnPage()
  await page.locator('main').getByRole('link', { name: 'Screening', exact: true }).click()
  const screening = await new HeadedPage(page, 'Screening').verifyOnPage()
  assert.match(await screening.title(), /^Screening – Robin Mistake/)
  await page.goBack()
  await new PersonPage(page, 'Robin Mistake').verifyOnPage()
  await page.locator('main').getByRole('link', { name: 'Treatment requirements', exact: true }).click()
  const requirements = await new HeadedPage(page, 'Treatment requirements').verifyOnPage()
  assert.match(await requirements.title(), /^Treatment requirements – Robin Mistake/)
})

/**
 * Issue 9 item 10 (H-409): the first appointment was booked 10 days ago for 3 days ago. Recording that the person
 * attended 5 days ago (after the booking, before the appointment) or with the date left blank is refused, with the
 * GOV.UK error summary; the day after the appointment is taken, and the days from need to first treatment and the
 * probation summary follow that date.
 */
test('a partner caseworker cannot record the first appointment attended before its booked date, nor without a date, then records it on a valid date', async () => {
  const db = hub.database.db
  const alex = await givenPerson(db, siteRef, { given_name: 'Alex', family_name: 'Early' })
  const need = await givenNeed(db, alex, clinician, { category: 'mental-health', identifiedOn: ukIsoDate(-20) })
  for (const [topic, organisationId] of [
    ['share-with-partner', partnerOrgRef.id],
    ['share-summary-with-probation', null],
  ] as const) {
    await givenConsent(db, alex, clinician, {
      topic,
      organisationId,
      decidedOn: ukIsoDate(-15),
      recordedAt: new Date(Date.now() - 15 * 86_400_000),
    })
  }
  const booked = await givenReferral(db, {
    person: alex,
    need,
    service: partnerServiceRef,
    createdBy: clinician,
    status: 'first-appointment-booked',
    createdOn: ukIsoDate(-12),
    sentOn: ukIsoDate(-10),
    firstAppointmentOn: ukIsoDate(-3),
    chaseOn: ukIsoDate(-2),
  })

  const page = await signedInPage(hub, partner)
  const referral = await ReferralPage.open(page, booked.id, PARTNER_SERVICE)
  assert.equal(await referral.value('First appointment'), govukDateFromToday(-3))
  assert.match(await referral.dateHint(), new RegExp(`The first appointment is booked for ${govukDateFromToday(-3)}`))

  const attended = 'The person attended their first appointment'
  const tooEarly = datePartsFromToday(-5)
  await referral.recordProgress({ what: attended, at: tooEarly })
  await referral.verifyOnPage()
  assert.match(await referral.title(), /^Error: /)
  const message = `The date they attended must be on or after the booked appointment date, ${govukDateFromToday(-3)}`
  assert.deepEqual(await referral.errorSummaryLinks(), [{ text: message, href: '#at-day' }])
  assert.match((await page.locator('#at-error').textContent()) ?? '', new RegExp(message))
  assert.deepEqual(await referral.dateEntered('at'), tooEarly, 'keeps the date typed')
  assert.ok(await referral.isChosen(attended), 'keeps the choice')
  await referral.errorSummary.getByRole('link', { name: message }).click()
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'at-day', 'the day field is focused')
  assert.match(await referral.value('Status'), /^First appointment booked /, 'nothing was recorded')

  await referral.recordProgress({ what: attended, at: { day: '', month: '', year: '' } })
  await referral.verifyOnPage()
  assert.match(await referral.title(), /^Error: /)
  assert.deepEqual(await referral.errorSummaryLinks(), [{ text: 'Enter the date it happened', href: '#at-day' }])
  assert.ok(await referral.isChosen(attended), 'keeps the choice')
  assert.match(await referral.value('Status'), /^First appointment booked /, 'nothing was recorded')

  await referral.recordProgress({ what: attended, at: datePartsFromToday(-2) })
  await referral.verifyOnPage()
  assert.match((await referral.notificationBanner.textContent()) ?? '', /Referral updated: first appointment attended/)
  assert.equal(await referral.value('First attended'), govukDateFromToday(-2))
  assert.equal(await referral.value('Need to first treatment'), '18 days', 'from the need, 20 days ago, to 2 days ago')

  const practitionerPage = await signedInPage(hub, practitioner)
  const summary = await HealthSummaryPage.open(practitionerPage, alex.id)
  const rows = await summary.referrals()
  assert.equal(rows.length, 1)
  assert.equal(rows[0]?.at(-1), `Yes, on ${govukDateFromToday(-2)}`)
})
