import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { givenPerson, givenSite, givenStaff, type GivenStaff } from '../test/support/builders.ts'
import { startHub, type Hub } from './support/hub.ts'
import { signedInPage } from './support/sign-in.ts'
import { CaseloadPage, PersonFormPage, PersonPage } from './pages/people-pages.ts'
import { SignInPage } from './pages/sign-in-page.ts'

let hub: Hub
let clinician: GivenStaff
let siteCode: string

before(async () => {
  hub = await startHub()
  const site = await givenSite(hub.database.db, { name: 'Ilfracombe test hub' })
  siteCode = site.code
  clinician = await givenStaff(hub.database.db, 'clinician', { sites: [site] })
  await givenPerson(hub.database.db, site, { crn: 'X654321', given_name: 'Alex', family_name: 'Example' })
})

after(async () => {
  await hub.close()
})

test('a clinician adds a person after correcting a mistake, finds them on the caseload by CRN and changes their details', async () => {
  const page = await signedInPage(hub, clinician)
  // A clinician's home is their worklist; the caseload is one click away.
  assert.equal(new URL(page.url()).pathname, '/worklist')
  await page.getByRole('link', { name: 'Caseload', exact: true }).click()
  const caseload = await new CaseloadPage(page).verifyOnPage()

  await caseload.addPerson()
  const form = await new PersonFormPage(page).verifyOnPage()
  await form.fill({
    crn: '123456',
    givenName: 'Morgan',
    familyName: 'Tregear',
    dateOfBirth: { day: '14', month: '2', year: '1988' },
  })
  await form.submit()
  await form.verifyOnPage()
  assert.match(await form.title(), /^Error: /)
  assert.deepEqual(await form.errorSummaryLinks(), [{ text: 'Enter a CRN, like X123456', href: '#crn' }])
  assert.equal(await form.field('Given name').inputValue(), 'Morgan', 'keeps what was typed')

  await form.fill({ crn: 'T123456' })
  await form.submit()
  const person = await new PersonPage(page, 'Morgan Tregear').verifyOnPage()
  assert.match((await person.notificationBanner.textContent()) ?? '', /Morgan Tregear has been added/)

  const found = await CaseloadPage.open(page, siteCode)
  assert.deepEqual(await found.resultNames(), ['Example, Alex', 'Tregear, Morgan'])
  await found.search('t123456')
  await found.verifyOnPage()
  assert.deepEqual(await found.resultNames(), ['Tregear, Morgan'], 'finds the person by CRN, whatever its case')
  await found.personLink('Tregear, Morgan').click()
  const shown = await new PersonPage(page, 'Morgan Tregear').verifyOnPage()

  await shown.changeLink('Preferred name').click()
  const edit = await new PersonFormPage(page, 'Change Morgan Tregear’s details').verifyOnPage()
  await edit.fill({ preferredName: 'Mo' })
  await edit.submit()
  const changed = await new PersonPage(page, 'Morgan Tregear').verifyOnPage()
  assert.equal(await changed.summaryValue('Preferred name'), 'Mo')
})

test('without JavaScript, a clinician signs in, adds a person after correcting a mistake, and signs out', async () => {
  const page = await signedInPage(hub, clinician, { javaScriptEnabled: false })
  assert.equal(new URL(page.url()).pathname, '/worklist')
  await page.getByRole('link', { name: 'Caseload', exact: true }).click()
  const caseload = await new CaseloadPage(page).verifyOnPage()
  await caseload.addPerson()
  const form = await new PersonFormPage(page).verifyOnPage()
  await form.fill({
    crn: 'N765432',
    givenName: 'Rowan',
    familyName: '',
    dateOfBirth: { day: '3', month: '11', year: '1979' },
  })
  await form.submit()
  await form.verifyOnPage()
  assert.deepEqual(await form.errorSummaryLinks(), [{ text: 'Enter the person’s family name', href: '#familyName' }])

  await form.fill({ familyName: 'Penhale' })
  await form.submit()
  const person = await new PersonPage(page, 'Rowan Penhale').verifyOnPage()
  assert.equal(await person.summaryValue('CRN'), 'N765432')

  await person.signOut()
  await new SignInPage(page).verifyOnPage()
})
