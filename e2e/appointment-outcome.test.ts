import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { givenAppointment, givenPerson, givenSite, givenStaff, type GivenStaff } from '../test/support/builders.ts'
import { startHub, type Hub } from './support/hub.ts'
import { signedInPage } from './support/sign-in.ts'
import { OutcomePage } from './pages/appointment-pages.ts'
import { HeadedPage } from './pages/care-pages.ts'

let hub: Hub
let clinician: GivenStaff
let appointmentIds: string[]

before(async () => {
  hub = await startHub()
  const db = hub.database.db
  const site = await givenSite(db, { name: 'Outcome test hub' })
  clinician = await givenStaff(db, 'clinician', { sites: [site], name: 'Casey Clinician' })
  const practitioner = await givenStaff(db, 'probation_practitioner', { sites: [site], name: 'Pat Practitioner' })
  const person = await givenPerson(db, site, { given_name: 'Jordan', family_name: 'Sample' })
  // Started an hour ago, so an outcome can be recorded.
  const startsAt = new Date(Date.now() - 60 * 60 * 1000).toISOString()
  appointmentIds = []
  for (let i = 0; i < 2; i += 1) {
    appointmentIds.push((await givenAppointment(db, { person, clinician, practitioner, startsAt })).id)
  }
})

after(async () => {
  await hub.close()
})

test('the acceptable-absence reason is asked under its option, and the page passes axe', async () => {
  const page = await signedInPage(hub, clinician)
  const outcome = await OutcomePage.open(page, appointmentIds[0] ?? '')
  // Always shown (no conditional reveal: its aria-expanded on the radio fails axe, GOV.UK Frontend issue 979).
  assert.equal(await outcome.absenceReason.isVisible(), true)
  await outcome.outcome('Acceptable absence').check()
  await outcome.verifyOnPage()
  await outcome.save()
  await outcome.verifyOnPage()
  assert.deepEqual(await outcome.errorSummaryLinks(), [
    { text: 'Select the reason the absence was acceptable', href: '#absenceReason' },
  ])
  await outcome.absenceReason.selectOption({ label: 'Medical' })
  await outcome.save()
  await new HeadedPage(page, 'Appointment').verifyOnPage()
})

test('without JavaScript the reason shows under its option and is checked on the server', async () => {
  const page = await signedInPage(hub, clinician, { javaScriptEnabled: false })
  const outcome = await OutcomePage.open(page, appointmentIds[1] ?? '')
  assert.equal(await outcome.absenceReason.isVisible(), true)
  await outcome.outcome('Acceptable absence').check()
  await outcome.save()
  await outcome.verifyOnPage()
  assert.deepEqual(await outcome.errorSummaryLinks(), [
    { text: 'Select the reason the absence was acceptable', href: '#absenceReason' },
  ])
  await outcome.absenceReason.selectOption({ label: 'Medical' })
  await outcome.save()
  await new HeadedPage(page, 'Appointment').verifyOnPage()
})
