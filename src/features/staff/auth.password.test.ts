/**
 * A password an administrator set is known to them, so its owner must choose their own before doing anything else;
 * anyone may change their own password from their account.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp, json, page, signedInBrowser, Browser } from '../../../test/support/test-app.ts'
import { givenApiToken, givenSite, givenStaff } from '../../../test/support/builders.ts'

const NEW_PASSWORD = 'four unrelated words together'

async function setup(t: TestContext) {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db)
  const clinician = await givenStaff(db, 'clinician', { sites: [site] })
  return { app, db, site, clinician }
}

async function mustChange(s: Awaited<ReturnType<typeof setup>>) {
  await s.db.updateTable('staff_user').set({ must_change_password: true }).where('id', '=', s.clinician.id).execute()
}

test('an approved password reset makes its owner choose a new one at their next sign-in', async (t) => {
  const s = await setup(t)
  const admin = await givenStaff(s.db, 'admin')
  const adminBrowser = await signedInBrowser(s.app, admin.email, admin.password)
  await adminBrowser.get(`/admin/users/${s.clinician.id}/password`)
  const asked = await adminBrowser.post(`/admin/users/${s.clinician.id}/password`, { version: '1' })
  assert.equal(asked.statusCode, 302, 'the reset is asked for, and waits for a second person')
  const request = await s.db
    .selectFrom('staff_access_request')
    .select('id')
    .where('staff_user_id', '=', s.clinician.id)
    .executeTakeFirstOrThrow()
  const approver = await givenStaff(s.db, 'admin')
  const approverBrowser = await signedInBrowser(s.app, approver.email, approver.password)
  await approverBrowser.get(`/access-requests/${request.id}`)
  const approved = await approverBrowser.post(`/access-requests/${request.id}`, { decision: 'approve' })
  assert.equal(approved.statusCode, 200, 'the one-time password is shown to the approver')
  const row = await s.db
    .selectFrom('staff_user')
    .select('must_change_password')
    .where('id', '=', s.clinician.id)
    .executeTakeFirstOrThrow()
  assert.equal(row.must_change_password, true)
})

test('until the password is changed, every page sends the user to change it and the API refuses', async (t) => {
  const s = await setup(t)
  await mustChange(s)
  const browser = new Browser(s.app)
  await browser.signIn(s.clinician.email, s.clinician.password)
  for (const url of ['/caseload', '/account', '/diary/mine', '/services']) {
    const response = await browser.get(url)
    assert.equal(response.statusCode, 302, url)
    assert.equal(response.headers.location, '/account/password', url)
  }
  const form = await browser.get('/account/password')
  assert.equal(form.statusCode, 200)
  assert.equal(page(form.body).h1(), 'Change your password')
  assert.match(page(form.body).text('.govuk-inset-text'), /An administrator set your current password/)

  const { token } = await givenApiToken(s.db, s.clinician)
  const api = await s.app.inject({
    method: 'GET',
    url: '/api/v1/people',
    headers: { authorization: `Bearer ${token}` },
  })
  assert.equal(api.statusCode, 403)
  assert.match(json<{ detail: string }>(api).detail, /choose a new one first/)

  const signOut = await browser.post('/sign-out', {})
  assert.equal(signOut.headers.location, '/sign-in', 'signing out is still allowed')
})

test('bad input is named field by field and changes nothing', async (t) => {
  const s = await setup(t)
  await mustChange(s)
  const browser = new Browser(s.app)
  await browser.signIn(s.clinician.email, s.clinician.password)
  await browser.get('/account/password')
  const cases: [Record<string, string>, { text: string; href: string }[]][] = [
    [
      { currentPassword: '', newPassword: '', confirmPassword: '' },
      [
        { text: 'Enter your current password', href: '#currentPassword' },
        { text: 'Enter a new password', href: '#newPassword' },
      ],
    ],
    [
      { currentPassword: s.clinician.password, newPassword: 'short', confirmPassword: 'short' },
      [{ text: 'Password must be 12 characters or more', href: '#newPassword' }],
    ],
    [
      {
        currentPassword: s.clinician.password,
        newPassword: s.clinician.password,
        confirmPassword: s.clinician.password,
      },
      [{ text: 'Your new password must be different from your current one', href: '#newPassword' }],
    ],
    [
      { currentPassword: s.clinician.password, newPassword: NEW_PASSWORD, confirmPassword: 'something else entirely' },
      [{ text: 'The passwords do not match – type your new password again', href: '#confirmPassword' }],
    ],
    [
      { currentPassword: 'not my password at all', newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
      [{ text: 'Your current password is not correct', href: '#currentPassword' }],
    ],
  ]
  for (const [form, expected] of cases) {
    const response = await browser.post('/account/password', form)
    assert.equal(response.statusCode, 400)
    const shown = page(response.body)
    assert.deepEqual(shown.errorSummary(), expected)
    assert.match(shown.title(), /^Error: Change your password/)
    assert.doesNotMatch(response.body, new RegExp(s.clinician.password), 'passwords are never echoed back')
  }
  const row = await s.db
    .selectFrom('staff_user')
    .select(['must_change_password', 'password_changed_at'])
    .where('id', '=', s.clinician.id)
    .executeTakeFirstOrThrow()
  assert.deepEqual(row, { must_change_password: true, password_changed_at: null })
})

test('a new password clears the requirement, ends other sessions, is audited, and the old one stops working', async (t) => {
  const s = await setup(t)
  await mustChange(s)
  const elsewhere = new Browser(s.app)
  await elsewhere.signIn(s.clinician.email, s.clinician.password)
  const browser = new Browser(s.app)
  await browser.signIn(s.clinician.email, s.clinician.password)
  await browser.get('/account/password')
  const changed = await browser.post('/account/password', {
    currentPassword: s.clinician.password,
    newPassword: NEW_PASSWORD,
    confirmPassword: NEW_PASSWORD,
  })
  assert.equal(changed.statusCode, 302)
  assert.equal(changed.headers.location, '/worklist')
  assert.equal((await browser.get('/caseload')).statusCode, 200, 'this session carries on')
  assert.equal((await elsewhere.get('/caseload')).statusCode, 302, 'the other session was ended')
  assert.match(String((await elsewhere.get('/caseload')).headers.location), /^\/sign-in/)

  const audit = await s.db
    .selectFrom('audit_event')
    .select(['action', 'details'])
    .where('entity_id', '=', s.clinician.id)
    .where('action', '=', 'user-update')
    .execute()
  assert.deepEqual(audit, [
    { action: 'user-update', details: { changed: ['password'], by: 'self', wasRequired: true } },
  ])

  const withOld = new Browser(s.app)
  await withOld.get('/sign-in')
  assert.equal(
    (await withOld.post('/sign-in', { email: s.clinician.email, password: s.clinician.password })).statusCode,
    401,
  )
  const withNew = new Browser(s.app)
  await withNew.signIn(s.clinician.email, NEW_PASSWORD)
  assert.equal((await withNew.get('/caseload')).statusCode, 200)
})

test('anyone signed in may change their own password from their account; the form needs its CSRF token', async (t) => {
  const s = await setup(t)
  const browser = await signedInBrowser(s.app, s.clinician.email, s.clinician.password)
  const account = await browser.get('/account')
  assert.ok(page(account.body).has('a[href="/account/password"]'))
  await browser.get('/account/password')
  const forged = await browser.post(
    '/account/password',
    { currentPassword: s.clinician.password, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
    { csrf: false },
  )
  assert.equal(forged.statusCode, 403)
  const changed = await browser.post('/account/password', {
    currentPassword: s.clinician.password,
    newPassword: NEW_PASSWORD,
    confirmPassword: NEW_PASSWORD,
  })
  assert.equal(changed.headers.location, '/account')
  assert.equal(
    (await s.app.inject({ method: 'GET', url: '/account/password' })).statusCode,
    302,
    'signed out: sign in first',
  )
})
