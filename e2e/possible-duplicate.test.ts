import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { givenPerson, givenSite, givenStaff, type GivenStaff } from '../test/support/builders.ts'
import { startHub, type Hub } from './support/hub.ts'
import { signedInPage } from './support/sign-in.ts'
import { PersonFormPage, PersonPage } from './pages/people-pages.ts'
import { PossibleDuplicatePage } from './pages/possible-duplicate-page.ts'

let hub: Hub
let clinician: GivenStaff
let existingId: string

before(async () => {
  hub = await startHub()
  const site = await givenSite(hub.database.db, { name: 'Duplicate test hub' })
  clinician = await givenStaff(hub.database.db, 'clinician', { sites: [site], name: 'Casey Clinician' })
  const existing = await givenPerson(hub.database.db, site, {
    crn: 'X654321',
    given_name: 'Alex',
    family_name: 'Example',
    date_of_birth: '1990-04-23',
  })
  existingId = existing.id
})

after(async () => {
  await hub.close()
})

test('adding someone with the same name and date of birth asks "Is this the same person?"', async () => {
  const page = await signedInPage(hub, clinician)
  await page.goto('/people/new')
  const form = await new PersonFormPage(page).verifyOnPage()
  const details = {
    crn: 'T111222',
    givenName: 'alex',
    familyName: 'Example',
    dateOfBirth: { day: '23', month: '4', year: '1990' },
  }
  await form.fill(details)
  await form.submit()
  const question = await new PossibleDuplicatePage(page).verifyOnPage()
  assert.equal(await question.matchLink('Alex Example').getAttribute('href'), `/people/${existingId}`)
  assert.match((await page.locator('main table').textContent()) ?? '', /X654321/)

  await question.changeDetails()
  await form.verifyOnPage()
  assert.equal(await form.field('Given name').inputValue(), 'alex', 'keeps what was typed')
  await form.submit()
  await question.verifyOnPage()
  await question.addAnyway()
  await new PersonPage(page, 'alex Example').verifyOnPage()
})
