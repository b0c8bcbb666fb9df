import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { givenPerson, givenSite, givenStaff, type GivenStaff } from '../test/support/builders.ts'
import { startHub, type Hub } from './support/hub.ts'
import { signedInPage } from './support/sign-in.ts'
import { AuditLogPage, FindPersonForm, WhoHasViewedPage } from './pages/audit-pages.ts'
import { PersonPage } from './pages/people-pages.ts'

/** Issue 9, item 11: an auditor finds the person they are looking into; a clinician sees who has viewed a record. */

let hub: Hub
let clinician: GivenStaff
let auditor: GivenStaff
let personId: string

before(async () => {
  hub = await startHub()
  const north = await givenSite(hub.database.db, { name: 'Redcar test hub' })
  const south = await givenSite(hub.database.db, { name: 'Truro test hub' })
  clinician = await givenStaff(hub.database.db, 'clinician', { sites: [north], name: 'Nina Nurse' })
  auditor = await givenStaff(hub.database.db, 'auditor', { name: 'Ari Auditor' })
  const person = await givenPerson(hub.database.db, north, {
    crn: 'X246810',
    given_name: 'Jo',
    family_name: 'Bloggs',
    date_of_birth: '1985-02-01',
  })
  personId = person.id
  await givenPerson(hub.database.db, south, {
    crn: 'X135791',
    given_name: 'Sam',
    family_name: 'Bloggs',
    date_of_birth: '1985-02-01',
  })
})

after(async () => {
  await hub.close()
})

test('a clinician opens a person’s record, then "Who has viewed this record"', async () => {
  const page = await signedInPage(hub, clinician)
  await page.goto(`/people/${personId}`)
  await new PersonPage(page, 'Jo Bloggs').verifyOnPage()
  await page.getByRole('link', { name: 'Who has viewed this record' }).click()
  const views = await new WhoHasViewedPage(page).verifyOnPage()
  const rows = await views.rows()
  assert.equal(rows.length, 1)
  assert.match(rows[0] ?? '', /\| Nina Nurse Hub clinician \| Viewed personal details$/)
})

test('an auditor finds a person by CRN and sees their name and CRN on the events, and chooses between two by name', async () => {
  const page = await signedInPage(hub, auditor)
  const log = await AuditLogPage.open(page)
  const find = new FindPersonForm(page)

  await find.search({ nhsNumber: '943 476 5918' })
  await log.verifyOnPage()
  assert.deepEqual(await log.errorSummaryLinks(), [
    { text: 'Enter a valid NHS number, like 943 476 5919', href: '#nhsNumber' },
  ])

  await page.locator('#nhsNumber').fill('')
  await find.search({ crn: 'x246810' })
  await log.verifyOnPage()
  assert.equal(await find.chosenPerson(), 'Events about Jo Bloggs')
  const events = await log.events()
  assert.ok(events.length > 0, 'the clinician’s views of Jo’s record are listed')
  assert.ok(
    events.every((cells) => /^Jo Bloggs\s*X246810$/.test(cells[4] ?? '')),
    `every row names the person: ${JSON.stringify(events)}`,
  )
  assert.ok(events.some((cells) => cells[1]?.startsWith('Nina Nurse')))

  await AuditLogPage.open(page)
  await find.search({ familyName: 'bloggs', dateOfBirth: { day: '1', month: '2', year: '1985' } })
  await log.verifyOnPage()
  assert.deepEqual(await find.matches(), [
    'Jo Bloggs | X246810 | 1 February 1985 | Redcar test hub',
    'Sam Bloggs | X135791 | 1 February 1985 | Truro test hub',
  ])
  await find.choose('Sam Bloggs')
  await log.verifyOnPage()
  assert.equal(await find.chosenPerson(), 'Events about Sam Bloggs')
})
