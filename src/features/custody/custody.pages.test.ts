import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp, page, signedInBrowser } from '../../../test/support/test-app.ts'
import { givenPerson, givenSite, givenStaff } from '../../../test/support/builders.ts'
import type { StaffRole } from '../../platform/http/roles.ts'

async function setup(t: TestContext, role: StaffRole = 'clinician') {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db, { name: 'Leicester' })
  const user = await givenStaff(db, role, { sites: [site], name: 'Casey Clinician' })
  const person = await givenPerson(db, site, { given_name: 'Sam', family_name: 'Taylor' })
  const browser = await signedInBrowser(app, user.email, user.password)
  const urls = { list: `/people/${person.id}/custody`, add: `/people/${person.id}/custody/new` }
  return { app, db, site, user, person, browser, urls }
}

// Today in the test app is 20 November 2026.
const form = (overrides: Record<string, string> = {}) => ({
  prisonName: 'HMP Leicester',
  prisonCode: 'LEI',
  prisonNumber: 'A1234BC',
  'expectedReleaseDate-day': '15',
  'expectedReleaseDate-month': '1',
  'expectedReleaseDate-year': '2027',
  'actualReleaseDate-day': '',
  'actualReleaseDate-month': '',
  'actualReleaseDate-year': '',
  releaseType: 'licence',
  releaseAddress: '',
  ...overrides,
})

test('a clinician adds an episode and sees the window on the record; the record links to it', async (t) => {
  const { db, person, browser, urls } = await setup(t)
  const record = page((await browser.get(`/people/${person.id}`)).body)
  assert.ok(record.has(`#record-navigation a[href="${urls.list}"]`), 'the record links to custody and release')
  const empty = page((await browser.get(urls.list)).body)
  assert.equal(empty.h1(), 'Custody and release')
  assert.match(empty.text('#no-episodes'), /No custody episode has been recorded for Sam/)
  assert.ok(empty.has(`a[href="${urls.add}"]`))

  const formPage = page((await browser.get(urls.add)).body)
  assert.equal(formPage.h1(), 'Add a custody episode')
  assert.ok(formPage.has('input[name="_csrf"]'))
  assert.equal(formPage.has('#recalledOn'), false, 'a recall is recorded on an episode, not a new one')
  const saved = await browser.post(urls.add, form())
  assert.equal(saved.statusCode, 302, saved.body)
  assert.equal(saved.headers.location, urls.list)

  const list = page((await browser.get(urls.list)).body)
  assert.match(list.text('.govuk-notification-banner'), /Custody episode added/)
  const [row] = await db.selectFrom('custody_episode').select(['id', 'prison_code']).execute()
  assert.ok(row)
  assert.match(list.text(`#window-${row.id}`), /Release coming up/)
  assert.match(list.text(`#window-${row.id}`), /Referral is open until Friday 12 February 2027/)
  assert.match(list.text(`#window-dates-${row.id}`), /Support can start from\s+23 October 2026/)
  assert.match(list.text(`#details-${row.id}`), /HMP Leicester \(LEI\)/)
  assert.match(list.text('#open-episode'), /has not been recorded yet/)
  assert.equal(list.has('#add-episode'), false, 'no second open episode is offered')
})

test('mistakes are shown in a GOV.UK error summary linked to each field, and what was typed is kept', async (t) => {
  const { db, browser, urls } = await setup(t)
  await browser.get(urls.add)
  const response = await browser.post(
    urls.add,
    form({
      prisonCode: 'Leicester',
      'expectedReleaseDate-day': '',
      'expectedReleaseDate-month': '',
      'expectedReleaseDate-year': '',
      'actualReleaseDate-day': '31',
      'actualReleaseDate-month': '2',
      'actualReleaseDate-year': '2026',
    }),
  )
  assert.equal(response.statusCode, 400)
  const shown = page(response.body)
  assert.match(shown.title(), /^Error: /)
  assert.deepEqual(shown.errorSummary(), [
    { text: 'The date they were released must be a real date', href: '#actualReleaseDate-day' },
  ])
  assert.equal(shown.value('prisonCode'), 'Leicester')

  const second = await browser.post(urls.add, form({ prisonCode: 'Leicester', prisonNumber: '' }))
  assert.equal(second.statusCode, 400)
  assert.deepEqual(
    page(second.body)
      .errorSummary()
      .map((e) => e.href),
    ['#prisonCode', '#prisonNumber'],
  )
  const third = await browser.post(
    urls.add,
    form({
      'expectedReleaseDate-day': '',
      'expectedReleaseDate-month': '',
      'expectedReleaseDate-year': '',
    }),
  )
  assert.deepEqual(page(third.body).errorSummary(), [
    { text: 'Enter the expected release date, or the date they were released', href: '#expectedReleaseDate-day' },
  ])
  assert.equal((await db.selectFrom('custody_episode').select('id').execute()).length, 0)
})

test('recording the release and a recall on the episode, with history; a stale form is refused, not lost', async (t) => {
  const { browser, urls, db } = await setup(t)
  await browser.get(urls.add)
  await browser.post(urls.add, form())
  const [row] = await db.selectFrom('custody_episode').select('id').execute()
  assert.ok(row)
  const edit = `/custody-episodes/${row.id}/edit`
  const editPage = page((await browser.get(edit)).body)
  assert.equal(editPage.h1(), 'Change the custody episode')
  assert.equal(String(editPage.$('input[name="version"]').val()), '1')
  const released = await browser.post(
    edit,
    form({
      version: '1',
      'actualReleaseDate-day': '10',
      'actualReleaseDate-month': '11',
      'actualReleaseDate-year': '2026',
      noFixedAbode: 'yes',
    }),
  )
  assert.equal(released.statusCode, 302, released.body)
  const detail = page((await browser.get(`/custody-episodes/${row.id}`)).body)
  assert.match(detail.text('#window'), /Released: referral open/)
  assert.match(detail.text('#details'), /No fixed abode/)
  assert.equal(detail.$('#history tbody tr').length, 2)

  const stale = await browser.post(edit, form({ version: '1', prisonName: 'HMP Leicester B wing' }))
  assert.equal(stale.statusCode, 409)
  const stalePage = page(stale.body)
  assert.match(stalePage.text('#stale'), /Someone else changed this custody episode/)
  assert.equal(stalePage.value('prisonName'), 'HMP Leicester B wing', 'what was typed is kept')
  assert.equal(String(stalePage.$('input[name="version"]').val()), '2')

  const recalled = await browser.post(
    edit,
    form({
      version: '2',
      'actualReleaseDate-day': '10',
      'actualReleaseDate-month': '11',
      'actualReleaseDate-year': '2026',
      noFixedAbode: 'yes',
      'recalledOn-day': '19',
      'recalledOn-month': '11',
      'recalledOn-year': '2026',
    }),
  )
  assert.equal(recalled.statusCode, 302, recalled.body)
  const after = page((await browser.get(`/custody-episodes/${row.id}`)).body)
  assert.match(after.text('#window'), /Recalled to custody/)
})

test('forbidden paths: missing CSRF, a partner, another site', async (t) => {
  const { app, db, browser, urls, person } = await setup(t)
  await browser.get(urls.add)
  const noCsrf = await browser.post(urls.add, form(), { csrf: false })
  assert.equal(noCsrf.statusCode, 403)
  assert.equal((await db.selectFrom('custody_episode').select('id').execute()).length, 0)

  const site = await db.selectFrom('person').select('site_id').where('id', '=', person.id).executeTakeFirstOrThrow()
  const partner = await givenStaff(db, 'partner', { sites: [{ id: site.site_id }] })
  const partnerBrowser = await signedInBrowser(app, partner.email, partner.password)
  assert.equal((await partnerBrowser.get(urls.list)).statusCode, 403)

  const elsewhere = await givenSite(db, { name: 'Elsewhere' })
  const other = await givenStaff(db, 'clinician', { sites: [elsewhere] })
  const otherBrowser = await signedInBrowser(app, other.email, other.password)
  assert.equal((await otherBrowser.get(urls.list)).statusCode, 403)
  assert.equal((await otherBrowser.get(urls.add)).statusCode, 403)
})
