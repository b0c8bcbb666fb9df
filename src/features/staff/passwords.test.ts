/** NCSC password guidance: long passwords, and none of the most commonly used ones. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp, page, signedInBrowser } from '../../../test/support/test-app.ts'
import { givenSite, givenStaff } from '../../../test/support/builders.ts'
import { passwordProblem } from './passwords.ts'

const COMMON = 'Qwerty123456'
const COMMON_MESSAGE = 'Choose a password that is harder to guess: this one is on a list of common passwords'
const UNCOMMON = 'kettle orbit parsnip lantern'

test('refuses a password on the list of common passwords, whatever its case', () => {
  assert.equal(passwordProblem('qwerty123456'), COMMON_MESSAGE)
  assert.equal(passwordProblem(COMMON), COMMON_MESSAGE)
  assert.equal(passwordProblem('PASSWORD1234'), COMMON_MESSAGE)
  assert.equal(passwordProblem(UNCOMMON), undefined)
  assert.equal(passwordProblem('password'), 'Password must be 12 characters or more')
})

test('a password typed for a new user refuses a common one and accepts an uncommon one', async (t) => {
  const { app, database } = await buildTestApp(t)
  const admin = await givenStaff(database.db, 'admin')
  const browser = await signedInBrowser(app, admin.email, admin.password)
  await browser.get('/admin/users/new')
  const form = { email: 'new.analyst@example.nhs.uk', fullName: 'New Analyst', role: 'analyst' }
  const common = await browser.post('/admin/users/new', { ...form, password: COMMON })
  assert.equal(common.statusCode, 400)
  assert.deepEqual(page(common.body).errorSummary(), [{ text: COMMON_MESSAGE, href: '#password' }])
  const uncommon = await browser.post('/admin/users/new', { ...form, password: UNCOMMON })
  assert.equal(uncommon.statusCode, 302)
})

test('changing your own password refuses a common one and accepts an uncommon one', async (t) => {
  const { app, database } = await buildTestApp(t)
  const site = await givenSite(database.db)
  const clinician = await givenStaff(database.db, 'clinician', { sites: [site] })
  const browser = await signedInBrowser(app, clinician.email, clinician.password)
  await browser.get('/account/password')
  const common = await browser.post('/account/password', {
    currentPassword: clinician.password,
    newPassword: COMMON,
    confirmPassword: COMMON,
  })
  assert.equal(common.statusCode, 400)
  assert.deepEqual(page(common.body).errorSummary(), [{ text: COMMON_MESSAGE, href: '#newPassword' }])
  const uncommon = await browser.post('/account/password', {
    currentPassword: clinician.password,
    newPassword: UNCOMMON,
    confirmPassword: UNCOMMON,
  })
  assert.equal(uncommon.statusCode, 302)
})

test('adding a user with a typed password refuses a common one and accepts an uncommon one', async (t) => {
  const { app, database } = await buildTestApp(t)
  const admin = await givenStaff(database.db, 'admin')
  const browser = await signedInBrowser(app, admin.email, admin.password)
  await browser.get('/admin/users/new')
  const form = { email: 'ana.lyst@example.nhs.uk', fullName: 'Ana Lyst', role: 'analyst' }
  const common = await browser.post('/admin/users/new', { ...form, password: COMMON })
  assert.equal(common.statusCode, 400)
  assert.equal(page(common.body).inlineError('password'), COMMON_MESSAGE)
  const uncommon = await browser.post('/admin/users/new', { ...form, password: UNCOMMON })
  assert.equal(uncommon.statusCode, 302)
})
