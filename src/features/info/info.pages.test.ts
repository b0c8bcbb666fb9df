import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Browser, buildTestApp, page } from '../../../test/support/test-app.ts'
import { givenPerson, givenSite, givenStaff } from '../../../test/support/builders.ts'

test('an analyst signing in lands on the reporting page, which says what the role may do and links what exists', async (t) => {
  const { app, database } = await buildTestApp(t)
  const site = await givenSite(database.db)
  const analyst = await givenStaff(database.db, 'analyst', { sites: [site] })
  const browser = new Browser(app)
  const signedIn = await browser.signIn(analyst.email, analyst.password)
  assert.equal(signedIn.headers.location, '/reporting')
  const home = await browser.get('/')
  assert.equal(home.headers.location, '/reporting', 'the service name links home to the same page')
  const response = await browser.get('/reporting')
  assert.equal(response.statusCode, 200)
  const shown = page(response.body)
  assert.equal(shown.h1(), 'Reporting')
  const main = shown.text('main').replace(/\s+/g, ' ')
  assert.match(main, /figures about the service as a whole: totals across hubs, never a person’s record/)
  assert.match(shown.text('#reporting-coming'), /Reporting is coming/)
  const links = shown
    .$('#available a')
    .map((_, a) => shown.$(a).attr('href') ?? '')
    .get()
  assert.deepEqual(links, ['/account', '/account/password', '/privacy', '/accessibility'])
  for (const href of links) assert.equal((await browser.get(href)).statusCode, 200, href)
  // What it says the role cannot see, it cannot.
  const person = await givenPerson(database.db, site)
  assert.equal((await browser.get(`/people/${person.id}`)).statusCode, 403)
})

test('the reporting page is for analysts only: other roles 403, signed out to sign in', async (t) => {
  const { app, database } = await buildTestApp(t)
  const site = await givenSite(database.db)
  for (const role of ['clinician', 'probation_practitioner', 'hub_manager', 'partner', 'admin', 'auditor'] as const) {
    const user = await givenStaff(database.db, role, { sites: [site] })
    const browser = new Browser(app)
    const signedIn = await browser.signIn(user.email, user.password)
    assert.notEqual(signedIn.headers.location, '/reporting', role)
    assert.equal((await browser.get('/reporting')).statusCode, 403, role)
  }
  const anonymous = await new Browser(app).get('/reporting')
  assert.equal(anonymous.statusCode, 302)
  assert.match(String(anonymous.headers.location), /^\/sign-in/)
})
