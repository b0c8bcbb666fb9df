import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp, Browser, page, signedInBrowser } from '../../../test/support/test-app.ts'
import { givenSite, givenStaff } from '../../../test/support/builders.ts'
import { MAX_FAILED_SIGN_INS, SESSION_IDLE_MS, SESSION_ABSOLUTE_MS } from './auth.service.ts'
import { SIGN_IN_FAILED } from './auth.pages.ts'

test('signs in with a correct email and password and lands on the home page for the role', async (t) => {
  const { app, database } = await buildTestApp(t)
  const site = await givenSite(database.db)
  const admin = await givenStaff(database.db, 'admin', { sites: [site] })
  const browser = new Browser(app)
  await browser.get('/sign-in')
  const response = await browser.post('/sign-in', { email: admin.email.toUpperCase(), password: admin.password })
  assert.equal(response.statusCode, 302)
  assert.equal(response.headers.location, '/admin/users')
  const account = await browser.get('/account')
  assert.equal(account.statusCode, 200)
  assert.equal(page(account.body).h1(), 'Your account')
})

test('re-renders with "Enter your email address" and "Enter your password" when both are blank', async (t) => {
  const { app } = await buildTestApp(t)
  const browser = new Browser(app)
  await browser.get('/sign-in')
  const response = await browser.post('/sign-in', { email: '', password: '' })
  assert.equal(response.statusCode, 400)
  const html = page(response.body)
  assert.deepEqual(html.errorSummary(), [
    { text: 'Enter your email address', href: '#email' },
    { text: 'Enter your password', href: '#password' },
  ])
  assert.match(html.title(), /^Error: /)
})

test('refuses a wrong password without saying whether the account exists, keeping the email typed', async (t) => {
  const { app, database } = await buildTestApp(t)
  const user = await givenStaff(database.db, 'clinician')
  const browser = new Browser(app)
  await browser.get('/sign-in')
  const wrong = await browser.post('/sign-in', { email: user.email, password: 'not the password' })
  const unknown = await browser.post('/sign-in', { email: 'nobody@example.nhs.uk', password: 'not the password' })
  assert.equal(wrong.statusCode, 401)
  assert.equal(unknown.statusCode, 401)
  assert.equal(page(wrong.body).errorSummary()[0]?.text, SIGN_IN_FAILED)
  assert.equal(page(unknown.body).errorSummary()[0]?.text, SIGN_IN_FAILED)
  assert.match(SIGN_IN_FAILED, /^Enter a correct email address and password\. After 5 wrong attempts/)
  assert.equal(page(wrong.body).value('email'), user.email)
})

test('locks the account after repeated failures, even against the right password, until the lock expires', async (t) => {
  const { app, database, clock } = await buildTestApp(t)
  const user = await givenStaff(database.db, 'clinician')
  const browser = new Browser(app)
  await browser.get('/sign-in')
  for (let i = 0; i < MAX_FAILED_SIGN_INS; i++) await browser.post('/sign-in', { email: user.email, password: 'wrong' })
  const locked = await browser.post('/sign-in', { email: user.email, password: user.password })
  assert.equal(locked.statusCode, 401, 'a locked account answers as any failed sign-in does')
  assert.equal(page(locked.body).errorSummary()[0]?.text, SIGN_IN_FAILED)
  const unknown = await browser.post('/sign-in', { email: 'nobody@example.nhs.uk', password: 'wrong' })
  assert.equal(page(unknown.body).errorSummary()[0]?.text, SIGN_IN_FAILED, 'nothing tells locked and unknown apart')
  clock.advance(16 * 60 * 1000)
  const after = await browser.post('/sign-in', { email: user.email, password: user.password })
  assert.equal(after.statusCode, 302)
})

test('refuses a form posted without its CSRF token', async (t) => {
  const { app, database } = await buildTestApp(t)
  const user = await givenStaff(database.db, 'clinician')
  const browser = new Browser(app)
  await browser.get('/sign-in')
  const response = await browser.post('/sign-in', { email: user.email, password: user.password }, { csrf: false })
  assert.equal(response.statusCode, 403)
  assert.equal(browser.hasCookie('hub_session'), false)
})

test('ends a session after 15 minutes idle and after 12 hours in all', async (t) => {
  const { app, database, clock } = await buildTestApp(t)
  const user = await givenStaff(database.db, 'admin')
  const browser = await signedInBrowser(app, user.email, user.password)
  clock.advance(SESSION_IDLE_MS - 60_000)
  assert.equal((await browser.get('/account')).statusCode, 200)
  clock.advance(SESSION_IDLE_MS)
  const idle = await browser.get('/account')
  assert.equal(idle.statusCode, 302)
  assert.equal(idle.headers.location, '/sign-in?returnTo=%2Faccount')

  const again = await signedInBrowser(app, user.email, user.password)
  for (let elapsed = 0; elapsed < SESSION_ABSOLUTE_MS; elapsed += 10 * 60_000) {
    clock.advance(10 * 60_000)
    await again.get('/account')
  }
  assert.equal((await again.get('/account')).statusCode, 302)
})

test('signs out, and the old session cookie no longer works', async (t) => {
  const { app, database } = await buildTestApp(t)
  const user = await givenStaff(database.db, 'admin')
  const browser = await signedInBrowser(app, user.email, user.password)
  const out = await browser.post('/sign-out', {})
  assert.equal(out.statusCode, 302)
  assert.equal(out.headers.location, '/sign-in')
  assert.equal((await browser.get('/account')).statusCode, 302)
})

test('sends an API request without a token a 401 problem', async (t) => {
  const { app } = await buildTestApp(t)
  const response = await app.inject({ method: 'GET', url: '/api/v1/sites' })
  assert.equal(response.statusCode, 401)
  assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8')
})

test('never redirects off the site after sign-in', async (t) => {
  const { app, database } = await buildTestApp(t)
  const user = await givenStaff(database.db, 'admin')
  const browser = new Browser(app)
  await browser.get('/sign-in?returnTo=//evil.example')
  const response = await browser.post('/sign-in', {
    email: user.email,
    password: user.password,
    returnTo: '//evil.example',
  })
  assert.equal(response.headers.location, '/admin/users')
})

test('locks the account when many wrong passwords arrive at once', async (t) => {
  const { app, database } = await buildTestApp(t)
  const user = await givenStaff(database.db, 'clinician')
  const browser = new Browser(app)
  await browser.get('/sign-in')
  await Promise.all(
    Array.from({ length: MAX_FAILED_SIGN_INS * 2 }, () =>
      browser.post('/sign-in', { email: user.email, password: 'wrong' }),
    ),
  )
  const row = await database.db
    .selectFrom('staff_user')
    .select(['locked_until'])
    .where('id', '=', user.id)
    .executeTakeFirstOrThrow()
  assert.ok(row.locked_until !== null)
  assert.equal((await browser.post('/sign-in', { email: user.email, password: user.password })).statusCode, 401)
})

test('refuses return addresses that a browser would read as another site', async () => {
  const { safeReturnTo } = await import('./auth.pages.ts')
  for (const bad of [
    '//evil.example',
    '/\t/evil.example',
    '/\\evil.example',
    '/\n/evil.example',
    'https://evil.example',
    'evil',
  ]) {
    assert.equal(safeReturnTo(bad), undefined, JSON.stringify(bad))
  }
  assert.equal(safeReturnTo('/people/abc?tab=1'), '/people/abc?tab=1')
})

test('limits sign-in attempts to 20 a minute from one address, counted across every app process', async (t) => {
  // Two apps on one database stand for two processes behind a load balancer: the count is in the database.
  const first = await buildTestApp(t)
  const second = await buildTestApp(t, { config: { port: 1 } })
  assert.notEqual(first.app, second.app)
  const user = await givenStaff(first.database.db, 'clinician')
  const browsers = [new Browser(first.app), new Browser(second.app)] as const
  for (const browser of browsers) await browser.get('/sign-in')
  const statuses: number[] = []
  for (let i = 0; i < 20; i++) {
    const response = await browsers[i % 2]!.post('/sign-in', { email: user.email, password: 'not the password' })
    statuses.push(response.statusCode)
  }
  assert.deepEqual(new Set(statuses), new Set([401]))
  const refused = await browsers[0].post('/sign-in', { email: user.email, password: user.password })
  assert.equal(refused.statusCode, 429)
  assert.equal(page(refused.body).h1(), 'Too many requests')
  assert.equal((await browsers[1].post('/sign-in', { email: user.email, password: user.password })).statusCode, 429)
})
