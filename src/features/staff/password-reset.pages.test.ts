import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { Kysely } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import { buildTestApp, Browser, json, page, signedInBrowser } from '../../../test/support/test-app.ts'
import { givenApiToken, givenSite, givenStaff, TEST_PASSWORD } from '../../../test/support/builders.ts'
import { runCli } from '../../cli.ts'
import { TEST_PASSWORD_COST, verifyPassword } from './passwords.ts'

/** What an administrator would type, or hope to be shown, to take the account over. */
const CHOSEN = 'an administrator chose this one'

async function setUp(t: TestContext) {
  const testApp = await buildTestApp(t)
  const db = testApp.database.db
  const north = await givenSite(db, { name: 'North hub' })
  const south = await givenSite(db, { name: 'South hub' })
  const admin = await givenStaff(db, 'admin', { name: 'Ada Admin' })
  const clinician = await givenStaff(db, 'clinician', { sites: [north], name: 'Cara Clinician' })
  const adminBrowser = await signedInBrowser(testApp.app, admin.email, admin.password)
  return { ...testApp, db, north, south, admin, clinician, adminBrowser }
}

async function passwordHashOf(db: Kysely<DB>, id: string) {
  const row = await db
    .selectFrom('staff_user')
    .select(['password_hash', 'must_change_password'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  return row
}

async function requestsFor(db: Kysely<DB>, staffUserId: string) {
  return db
    .selectFrom('staff_access_request')
    .select(['id', 'kind', 'status', 'requested_by', 'decided_by', 'role'])
    .where('staff_user_id', '=', staffUserId)
    .orderBy('seq')
    .execute()
}

async function auditOf(db: Kysely<DB>, entityType: string) {
  return db
    .selectFrom('audit_event')
    .select(['action', 'entity_id', 'actor_id', 'details'])
    .where('entity_type', '=', entityType)
    .where('action', 'not in', ['view', 'list', 'sign-in', 'sign-in-failed', 'sign-out'])
    .orderBy('id')
    .execute()
}

/** The administrator asks for a reset on the page; returns the request's id. */
async function askForReset(s: Awaited<ReturnType<typeof setUp>>, userId = s.clinician.id): Promise<string> {
  await s.adminBrowser.get(`/admin/users/${userId}/password`)
  const response = await s.adminBrowser.post(`/admin/users/${userId}/password`, { version: '1' })
  assert.equal(response.statusCode, 302, response.body)
  const pending = (await requestsFor(s.db, userId)).filter((r) => r.status === 'pending')
  assert.equal(pending.length, 1)
  return pending[0]?.id ?? ''
}

async function approve(browser: Browser, requestId: string) {
  await browser.get(`/access-requests/${requestId}`)
  return browser.post(`/access-requests/${requestId}`, { decision: 'approve' })
}

test('an administrator resetting a clinician’s password on the page is shown no password and cannot sign in as them', async (t) => {
  const s = await setUp(t)
  const before = await passwordHashOf(s.db, s.clinician.id)
  const form = page((await s.adminBrowser.get(`/admin/users/${s.clinician.id}/password`)).body)
  assert.equal(form.h1(), 'Reset their password')
  assert.equal(form.has('input[name="password"]'), false, 'the administrator cannot choose the password')

  // Even a password typed into the form as the old page allowed is never set.
  const response = await s.adminBrowser.post(`/admin/users/${s.clinician.id}/password`, {
    version: '1',
    password: CHOSEN,
  })
  assert.equal(response.statusCode, 302)
  assert.equal(response.headers.location, `/admin/users/${s.clinician.id}`)
  const userPage = await s.adminBrowser.get(`/admin/users/${s.clinician.id}`)
  assert.equal(page(userPage.body).has('#generated-password'), false)
  assert.match(page(userPage.body).text('.govuk-notification-banner'), /waiting for approval/)
  assert.match(page(userPage.body).text('main'), /Until then the account keeps its password/)

  assert.deepEqual(await passwordHashOf(s.db, s.clinician.id), before, 'nothing changes until it is approved')
  await assert.rejects(new Browser(s.app).signIn(s.clinician.email, CHOSEN), /failed with 401/)
  await new Browser(s.app).signIn(s.clinician.email, TEST_PASSWORD)

  const requests = await requestsFor(s.db, s.clinician.id)
  assert.deepEqual(
    requests.map((r) => [r.kind, r.status, r.requested_by, r.role]),
    [['password-reset', 'pending', s.admin.id, 'clinician']],
  )
  const events = await auditOf(s.db, 'staff_access_request')
  assert.deepEqual(
    events.map((e) => [e.action, e.actor_id, (e.details as { kind: string }).kind]),
    [['create', s.admin.id, 'password-reset']],
  )
  assert.equal((await auditOf(s.db, 'staff_user')).length, 0, 'the account was not changed')
})

test('an administrator resetting a password through the API gets a pending request and no password', async (t) => {
  const s = await setUp(t)
  const before = await passwordHashOf(s.db, s.clinician.id)
  const { token } = await givenApiToken(s.db, s.admin)
  const response = await s.app.inject({
    method: 'POST',
    url: `/api/v1/staff/${s.clinician.id}/password-reset`,
    headers: { authorization: `Bearer ${token}` },
  })
  assert.equal(response.statusCode, 202, response.body)
  const body = json<{ accessRequest: Record<string, unknown> }>(response)
  assert.equal(body.accessRequest['kind'], 'password-reset')
  assert.equal(body.accessRequest['status'], 'pending')
  assert.equal(body.accessRequest['canDecide'], false)
  assert.doesNotMatch(response.body, /password"\s*:/i, 'no password in the answer')
  assert.deepEqual(await passwordHashOf(s.db, s.clinician.id), before)
  await assert.rejects(new Browser(s.app).signIn(s.clinician.email, CHOSEN), /failed with 401/)

  // A second request while one waits is refused, naming the field; an unknown id is 404; other roles 403.
  const again = await s.app.inject({
    method: 'POST',
    url: `/api/v1/staff/${s.clinician.id}/password-reset`,
    headers: { authorization: `Bearer ${token}` },
  })
  assert.equal(again.statusCode, 422)
  assert.equal(json<{ errors: { field: string }[] }>(again).errors[0]?.field, 'password')
  const unknown = await s.app.inject({
    method: 'POST',
    url: '/api/v1/staff/6f1c2b7e-1d3a-4c5b-9e8f-0a1b2c3d4e5f/password-reset',
    headers: { authorization: `Bearer ${token}` },
  })
  assert.equal(unknown.statusCode, 404)
  const manager = await givenStaff(s.db, 'hub_manager', { sites: [s.north] })
  const managerToken = await givenApiToken(s.db, manager)
  const forbidden = await s.app.inject({
    method: 'POST',
    url: `/api/v1/staff/${s.clinician.id}/password-reset`,
    headers: { authorization: `Bearer ${managerToken.token}` },
  })
  assert.equal(forbidden.statusCode, 403)
  assert.equal((await requestsFor(s.db, s.clinician.id)).length, 1)
})

test('the reset happens only when a second administrator approves it: they alone are shown the one-time password, the clinician’s sessions and tokens end, and they must choose their own', async (t) => {
  const s = await setUp(t)
  const theirBrowser = await signedInBrowser(s.app, s.clinician.email, s.clinician.password)
  const { token } = await givenApiToken(s.db, s.clinician)
  const callApi = () =>
    s.app.inject({ method: 'GET', url: '/api/v1/sites', headers: { authorization: `Bearer ${token}` } })
  const requestId = await askForReset(s)
  assert.equal((await theirBrowser.get('/account')).statusCode, 200, 'still signed in while it waits')
  assert.equal((await callApi()).statusCode, 200)

  const second = await givenStaff(s.db, 'admin', { name: 'Second Admin' })
  const secondBrowser = await signedInBrowser(s.app, second.email, second.password)
  const list = page((await secondBrowser.get('/access-requests')).body)
  assert.match(list.text('#access-requests'), /Cara Clinician/)
  assert.match(list.text('#access-requests'), /Password reset/)
  const shown = await approve(secondBrowser, requestId)
  assert.equal(shown.statusCode, 200)
  const shownPage = page(shown.body)
  assert.equal(shownPage.h1(), 'Password reset approved')
  const oneTimePassword = shownPage.text('#generated-password')
  assert.ok(oneTimePassword.length >= 20)

  assert.equal((await theirBrowser.get('/account')).statusCode, 302, 'their session ended')
  assert.equal((await callApi()).statusCode, 401, 'their API token no longer works')
  await assert.rejects(new Browser(s.app).signIn(s.clinician.email, TEST_PASSWORD), /failed with 401/)
  const row = await passwordHashOf(s.db, s.clinician.id)
  assert.equal(row.must_change_password, true)
  assert.ok(await verifyPassword(oneTimePassword, row.password_hash ?? ''))

  // The owner signs in with it and can do nothing until they choose their own.
  const owner = new Browser(s.app)
  await owner.signIn(s.clinician.email, oneTimePassword)
  const next = await owner.get('/worklist')
  assert.equal(next.statusCode, 302)
  assert.equal(next.headers.location, '/account/password')

  // The administrator who asked never sees it: not on the account, the request or the list.
  for (const url of [`/admin/users/${s.clinician.id}`, `/access-requests/${requestId}`, '/access-requests']) {
    assert.doesNotMatch((await s.adminBrowser.get(url)).body, new RegExp(oneTimePassword), url)
  }
  const again = await secondBrowser.get(`/access-requests/${requestId}`)
  assert.doesNotMatch(again.body, new RegExp(oneTimePassword), 'shown once only')

  const decided = await requestsFor(s.db, s.clinician.id)
  assert.deepEqual(
    decided.map((r) => [r.kind, r.status, r.decided_by]),
    [['password-reset', 'approved', second.id]],
  )
  const userEvents = await auditOf(s.db, 'staff_user')
  assert.deepEqual(
    userEvents.map((e) => [e.action, e.actor_id, e.details]),
    [['user-update', second.id, { changed: ['password'], by: 'password-reset', accessRequestId: requestId }]],
  )
  const requestEvents = await auditOf(s.db, 'staff_access_request')
  assert.deepEqual(
    requestEvents.map((e) => [e.action, e.actor_id]),
    [
      ['create', s.admin.id],
      ['update', second.id],
    ],
  )
  assert.equal((await auditOf(s.db, 'api_token')).filter((e) => e.action === 'token-revoke').length, 1)
  assert.doesNotMatch(JSON.stringify([...userEvents, ...requestEvents]), new RegExp(oneTimePassword))
})

test('the administrator who asked for a reset cannot approve it', async (t) => {
  const s = await setUp(t)
  const before = await passwordHashOf(s.db, s.clinician.id)
  const requestId = await askForReset(s)
  const view = page((await s.adminBrowser.get(`/access-requests/${requestId}`)).body)
  assert.equal(view.has('#approve'), false)
  assert.match(view.text('main'), /someone else must approve or refuse it/)
  const response = await s.adminBrowser.post(`/access-requests/${requestId}`, { decision: 'approve' })
  assert.equal(response.statusCode, 403)
  assert.deepEqual(await passwordHashOf(s.db, s.clinician.id), before)
  assert.equal((await requestsFor(s.db, s.clinician.id))[0]?.status, 'pending')
})

test('a hub manager of another site cannot see or approve the reset; a hub manager of the clinician’s site can', async (t) => {
  const s = await setUp(t)
  const before = await passwordHashOf(s.db, s.clinician.id)
  const requestId = await askForReset(s)
  const southManager = await givenStaff(s.db, 'hub_manager', { sites: [s.south] })
  const southBrowser = await signedInBrowser(s.app, southManager.email, southManager.password)
  assert.doesNotMatch((await southBrowser.get('/access-requests')).body, /Cara Clinician/)
  assert.equal((await southBrowser.get(`/access-requests/${requestId}`)).statusCode, 403)
  const refused = await southBrowser.post(`/access-requests/${requestId}`, { decision: 'approve' })
  assert.equal(refused.statusCode, 403)
  assert.deepEqual(await passwordHashOf(s.db, s.clinician.id), before)

  const northManager = await givenStaff(s.db, 'hub_manager', { sites: [s.north] })
  const northBrowser = await signedInBrowser(s.app, northManager.email, northManager.password)
  const shown = await approve(northBrowser, requestId)
  assert.equal(shown.statusCode, 200)
  const oneTimePassword = page(shown.body).text('#generated-password')
  await new Browser(s.app).signIn(s.clinician.email, oneTimePassword)
})

test('only another administrator can approve the reset of an administrator or of a non-clinical account', async (t) => {
  const s = await setUp(t)
  const otherAdmin = await givenStaff(s.db, 'admin', { name: 'Other Admin' })
  const auditor = await givenStaff(s.db, 'auditor', { sites: [s.north], name: 'Audrey Auditor' })
  const manager = await givenStaff(s.db, 'hub_manager', { sites: [s.north] })
  const managerBrowser = await signedInBrowser(s.app, manager.email, manager.password)
  for (const target of [otherAdmin, auditor]) {
    const requestId = await askForReset(s, target.id)
    assert.equal((await managerBrowser.get(`/access-requests/${requestId}`)).statusCode, 403)
    const refused = await managerBrowser.post(`/access-requests/${requestId}`, { decision: 'approve' })
    assert.equal(refused.statusCode, 403)
    // The administrator being reset cannot approve a reset of their own account either.
    if (target === otherAdmin) {
      const own = await signedInBrowser(s.app, otherAdmin.email, otherAdmin.password)
      const view = page((await own.get(`/access-requests/${requestId}`)).body)
      assert.match(view.text('main'), /about your own account/)
      assert.equal((await own.post(`/access-requests/${requestId}`, { decision: 'approve' })).statusCode, 403)
    }
    assert.equal((await passwordHashOf(s.db, target.id)).must_change_password, false)
  }
})

test('refuses the reset forms posted without their CSRF token, changing nothing', async (t) => {
  const s = await setUp(t)
  const before = await passwordHashOf(s.db, s.clinician.id)
  await s.adminBrowser.get(`/admin/users/${s.clinician.id}/password`)
  const ask = await s.adminBrowser.post(`/admin/users/${s.clinician.id}/password`, { version: '1' }, { csrf: false })
  assert.equal(ask.statusCode, 403)
  assert.equal((await requestsFor(s.db, s.clinician.id)).length, 0)
  const api = await s.adminBrowser.post(`/api/v1/staff/${s.clinician.id}/password-reset`, {}, { csrf: false })
  assert.equal(api.statusCode, 403, 'a session-cookie API call needs the token too')
  assert.equal((await requestsFor(s.db, s.clinician.id)).length, 0)

  const requestId = await askForReset(s)
  const second = await givenStaff(s.db, 'admin')
  const secondBrowser = await signedInBrowser(s.app, second.email, second.password)
  await secondBrowser.get(`/access-requests/${requestId}`)
  const decide = await secondBrowser.post(`/access-requests/${requestId}`, { decision: 'approve' }, { csrf: false })
  assert.equal(decide.statusCode, 403)
  assert.deepEqual(await passwordHashOf(s.db, s.clinician.id), before)
  assert.equal((await requestsFor(s.db, s.clinician.id))[0]?.status, 'pending')
})

test('refusing a reset leaves the password as it was, with the reason recorded', async (t) => {
  const s = await setUp(t)
  const before = await passwordHashOf(s.db, s.clinician.id)
  const requestId = await askForReset(s)
  const second = await givenStaff(s.db, 'admin')
  const secondBrowser = await signedInBrowser(s.app, second.email, second.password)
  await secondBrowser.get(`/access-requests/${requestId}`)
  const blank = await secondBrowser.post(`/access-requests/${requestId}`, { decision: 'refuse', reason: ' ' })
  assert.equal(blank.statusCode, 400)
  assert.deepEqual(page(blank.body).errorSummary(), [{ text: 'Enter why you are refusing the request', href: '#reason' }])
  const refused = await secondBrowser.post(`/access-requests/${requestId}`, {
    decision: 'refuse',
    reason: 'They did not ask for one',
  })
  assert.equal(refused.statusCode, 302)
  assert.deepEqual(await passwordHashOf(s.db, s.clinician.id), before)
  await new Browser(s.app).signIn(s.clinician.email, TEST_PASSWORD)
})

test('an administrator cannot reset their own password here, nor ask for one while another request waits', async (t) => {
  const s = await setUp(t)
  const own = page((await s.adminBrowser.get(`/admin/users/${s.admin.id}/password`)).body)
  assert.equal(own.has('form[action$="/password"]'), false)
  assert.ok(own.has('a[href="/account/password"]'))
  const posted = await s.adminBrowser.post(`/admin/users/${s.admin.id}/password`, { version: '1' })
  assert.equal(posted.statusCode, 400)
  assert.deepEqual(page(posted.body).errorSummary(), [
    { text: 'You cannot reset your own password here: change it from Your account', href: '#password' },
  ])
  assert.equal((await requestsFor(s.db, s.admin.id)).length, 0)

  await askForReset(s)
  await s.adminBrowser.get(`/admin/users/${s.clinician.id}/password`)
  const second = await s.adminBrowser.post(`/admin/users/${s.clinician.id}/password`, { version: '1' })
  assert.equal(second.statusCode, 400)
  assert.match(page(second.body).errorSummary()[0]?.text ?? '', /already has a request waiting for approval/)
  const stale = await s.adminBrowser.post(`/admin/users/${s.clinician.id}/password`, { version: '0' })
  assert.equal(stale.statusCode, 409)
  assert.equal((await requestsFor(s.db, s.clinician.id)).length, 1)
})

test('the operator’s `hub users reset-password` prints a one-time password, ends sessions and tokens, and is audited', async (t) => {
  const s = await setUp(t)
  const theirBrowser = await signedInBrowser(s.app, s.clinician.email, s.clinician.password)
  const { token } = await givenApiToken(s.db, s.clinician)
  const requestId = await askForReset(s)
  let stdout = ''
  const code = await runCli(['users', 'reset-password', '--email', s.clinician.email], {
    env: { APP_ENV: 'test' },
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: () => true },
    database: s.database,
    passwordCost: TEST_PASSWORD_COST,
  })
  assert.equal(code, 0)
  const oneTimePassword = stdout.trimEnd().split('\n').at(-1) ?? ''
  assert.ok(oneTimePassword.length >= 20)
  assert.equal((await theirBrowser.get('/account')).statusCode, 302)
  const api = await s.app.inject({ method: 'GET', url: '/api/v1/sites', headers: { authorization: `Bearer ${token}` } })
  assert.equal(api.statusCode, 401)
  assert.equal((await passwordHashOf(s.db, s.clinician.id)).must_change_password, true)
  const owner = new Browser(s.app)
  await owner.signIn(s.clinician.email, oneTimePassword)
  assert.equal((await owner.get('/worklist')).headers.location, '/account/password')
  assert.deepEqual(
    (await requestsFor(s.db, s.clinician.id)).map((r) => [r.id, r.status]),
    [[requestId, 'cancelled']],
  )
  const events = await auditOf(s.db, 'staff_user')
  assert.deepEqual(
    events.map((e) => [e.action, e.actor_id, e.details]),
    [['user-update', null, { changed: ['password'], by: 'command-line' }]],
  )
})
