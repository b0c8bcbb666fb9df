/** The release plan pages: the health team works the plan, probation and partners see their part. */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp, page, signedInBrowser } from '../../../test/support/test-app.ts'
import { givenConsent, givenOrganisation, givenPerson, givenSite, givenStaff } from '../../../test/support/builders.ts'

async function setup(t: TestContext) {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db, { name: 'Leicester' })
  const clinician = await givenStaff(db, 'clinician', { sites: [site], name: 'Casey Clinician' })
  const person = await givenPerson(db, site, { given_name: 'Sam', family_name: 'Taylor' })
  const browser = await signedInBrowser(app, clinician.email, clinician.password)
  await browser.get(`/people/${person.id}/custody/new`)
  const added = await browser.post(`/people/${person.id}/custody/new`, {
    prisonName: 'HMP Leicester',
    prisonCode: 'LEI',
    prisonNumber: 'A1234BC',
    'expectedReleaseDate-day': '15',
    'expectedReleaseDate-month': '1',
    'expectedReleaseDate-year': '2027',
    releaseType: 'licence',
  })
  assert.equal(added.statusCode, 302, added.body)
  const episode = await db.selectFrom('custody_episode').select('id').executeTakeFirstOrThrow()
  const items = await db.selectFrom('release_plan_item').select(['id', 'kind']).execute()
  const itemId = (kind: string) => items.find((i) => i.kind === kind)?.id ?? ''
  const planUrl = `/custody-episodes/${episode.id}/release-plan`
  return { app, db, site, clinician, person, browser, planUrl, itemId }
}

test('the clinician sees the checklist, records medicines with an opioid substitution gap, and fixes it', async (t) => {
  const { browser, planUrl, itemId } = await setup(t)
  const plan = page((await browser.get(planUrl)).body)
  assert.equal(plan.h1(), 'Release plan')
  assert.match(plan.text('#release'), /Expected release on 15 January 2027 from HMP Leicester/)
  assert.match(plan.text('#plan-summary'), /9 of 9 items still to do/)
  assert.match(
    plan.text(`#item-${itemId('housing')} .govuk-summary-list`),
    /Status\s+To do\s+Progress\s+Housing: to do\s+Due\s+1 January 2027\s+Owner\s+Probation practitioner/,
  )
  const medicinesUrl = `/release-plan-items/${itemId('medicines')}`
  assert.ok(plan.has(`a[href="${medicinesUrl}"]`))

  const form = page((await browser.get(medicinesUrl)).body)
  assert.equal(form.h1(), 'Medicines on release')
  const version = String(form.$('input[name="version"]').val())
  const saved = await browser.post(medicinesUrl, {
    version,
    status: 'in-progress',
    owner: 'clinician',
    daysSupplied: '7',
    bridgingPrescription: 'no',
    opioidSubstitution: 'yes',
    notes: 'Methadone 60 mg daily',
  })
  assert.equal(saved.statusCode, 302, saved.body)
  const withGap = page((await browser.get(planUrl)).body)
  assert.match(
    withGap.text(`#item-${itemId('medicines')}`),
    /Gap in opioid substitution treatment: their supply runs out after 21 January 2027 and no community prescriber appointment is recorded/,
  )
  const again = page((await browser.get(medicinesUrl)).body)
  assert.match(again.text('#prescriberAppointmentOn-hint'), /No later than 22 January 2027/)
  const fixed = await browser.post(medicinesUrl, {
    version: String(again.$('input[name="version"]').val()),
    status: 'done',
    owner: 'clinician',
    daysSupplied: '7',
    bridgingPrescription: 'no',
    opioidSubstitution: 'yes',
    'prescriberAppointmentOn-day': '22',
    'prescriberAppointmentOn-month': '1',
    'prescriberAppointmentOn-year': '2027',
    notes: 'Methadone 60 mg daily',
  })
  assert.equal(fixed.statusCode, 302, fixed.body)
  const done = page((await browser.get(planUrl)).body)
  assert.equal(done.text(`#item-${itemId('medicines')} .govuk-warning-text`), '')
  assert.match(done.text('#plan-summary'), /8 of 9 items still to do/)
})

test('mistakes are shown in a GOV.UK error summary; a stale form is refused and what was typed kept', async (t) => {
  const { browser, itemId } = await setup(t)
  const url = `/release-plan-items/${itemId('housing')}`
  await browser.get(url)
  const reasonless = await browser.post(url, {
    version: '1',
    status: 'not-applicable',
    owner: 'probation-practitioner',
  })
  assert.equal(reasonless.statusCode, 400)
  assert.deepEqual(page(reasonless.body).errorSummary(), [
    { text: 'Enter why this item does not apply', href: '#notApplicableReason' },
  ])
  const medicines = `/release-plan-items/${itemId('medicines')}`
  await browser.get(medicines)
  const badDays = await browser.post(medicines, {
    version: '1',
    status: 'to-do',
    owner: 'clinician',
    daysSupplied: 'a week',
  })
  assert.equal(badDays.statusCode, 400)
  assert.deepEqual(
    page(badDays.body)
      .errorSummary()
      .map((e) => e.href),
    ['#daysSupplied'],
  )
  assert.equal(page(badDays.body).value('daysSupplied'), 'a week')
  await browser.post(url, { version: '1', status: 'done', owner: 'probation-practitioner' })
  const stale = await browser.post(url, {
    version: '1',
    status: 'in-progress',
    owner: 'probation-practitioner',
    notes: 'Mine',
  })
  assert.equal(stale.statusCode, 409)
  assert.match(page(stale.body).text('#stale'), /Someone else changed this item/)
  assert.equal(page(stale.body).value('notes'), 'Mine')
})

test('probation sees no health items without consent; a partner sees only its item; CSRF is required', async (t) => {
  const { app, db, site, clinician, person, browser, planUrl, itemId } = await setup(t)
  const practitioner = await givenStaff(db, 'probation_practitioner', { sites: [site] })
  const probation = await signedInBrowser(app, practitioner.email, practitioner.password)
  const seen = page((await probation.get(planUrl)).body)
  assert.match(seen.text('#health-withheld'), /has not agreed to share a health summary/)
  assert.equal(seen.has(`#item-${itemId('medicines')}`), false)
  assert.equal(seen.has(`#item-${itemId('gp-registration')}`), false)
  assert.ok(seen.has(`#item-${itemId('housing')}`))
  assert.equal((await probation.get(`/release-plan-items/${itemId('medicines')}`)).statusCode, 404)

  const organisation = await givenOrganisation(db, { code: 'brightpath', name: 'Brightpath Recovery Trust' })
  const gate = `/release-plan-items/${itemId('meet-at-gate')}`
  await browser.get(gate)
  const given = await browser.post(gate, {
    version: '1',
    status: 'to-do',
    owner: 'partner',
    organisationCode: 'brightpath',
  })
  assert.equal(given.statusCode, 302, given.body)
  await givenConsent(db, person, clinician, { topic: 'share-with-partner', organisationId: organisation.id })
  const caseworker = await givenStaff(db, 'partner', { organisationId: organisation.id })
  const partner = await signedInBrowser(app, caseworker.email, caseworker.password)
  const list = page((await partner.get('/release-plan-items')).body)
  assert.match(list.text('#partner-items'), /Sam Taylor/)
  assert.match(list.text('#partner-items'), /Meet at the gate: to do/)
  const form = page((await partner.get(gate)).body)
  assert.equal(form.has('input[name="owner"]'), false, 'a partner changes status and notes only')
  const noCsrf = await partner.post(gate, { version: '2', status: 'done' }, { csrf: false })
  assert.equal(noCsrf.statusCode, 403)
  const done = await partner.post(gate, { version: '2', status: 'done', notes: 'Met at 9am' })
  assert.equal(done.statusCode, 302, done.body)
  const row = await db
    .selectFrom('release_plan_item')
    .select(['status', 'notes'])
    .where('id', '=', itemId('meet-at-gate'))
    .executeTakeFirstOrThrow()
  assert.deepEqual(row, { status: 'done', notes: 'Met at 9am' })
  assert.equal((await partner.get(`/release-plan-items/${itemId('housing')}`)).statusCode, 404)
})
