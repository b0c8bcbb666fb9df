import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { givenSite, givenStaff, type GivenStaff } from '../test/support/builders.ts'
import { startHub, type Hub } from './support/hub.ts'
import { SignInPage } from './pages/sign-in-page.ts'
import { AccountPage } from './pages/account-page.ts'
import { ForbiddenPage, NotFoundPage } from './pages/error-pages.ts'
import { SIGN_IN_FAILED } from '../src/features/staff/index.ts'

let hub: Hub
let analyst: GivenStaff
let clinician: GivenStaff

before(async () => {
  hub = await startHub()
  const site = await givenSite(hub.database.db)
  // Analysts land on their account page, so these journeys depend on no other feature's pages.
  analyst = await givenStaff(hub.database.db, 'analyst', { name: 'Ada Analyst', sites: [site] })
  clinician = await givenStaff(hub.database.db, 'clinician', { sites: [site] })
})

after(async () => {
  await hub.close()
})

test('a wrong password shows the error summary, which takes the user to the email field; then signing in, the account page and signing out work', async () => {
  const page = await hub.newPage()

  // Signed out, a page sends the user to sign in and back again afterwards.
  await page.goto('/account')
  const signIn = await new SignInPage(page).verifyOnPage()
  assert.match(new URL(page.url()).search, /returnTo=%2Faccount/)

  await signIn.signIn(analyst.email, 'not the password')
  await signIn.verifyOnPage()
  assert.match(await signIn.title(), /^Error: Sign in/)
  assert.deepEqual(await signIn.errorSummaryLinks(), [{ text: SIGN_IN_FAILED, href: '#email' }])
  assert.equal(await signIn.email.inputValue(), analyst.email, 'keeps the email address typed')
  assert.equal(await signIn.password.inputValue(), '', 'never sends the password back')
  // GOV.UK Frontend moves focus to the summary so screen readers announce it; its link moves focus to the field.
  assert.equal(
    await signIn.errorSummary.evaluate((summary) => summary === document.activeElement),
    true,
    'error summary has focus',
  )
  await signIn.errorSummary.getByRole('link', { name: SIGN_IN_FAILED }).click()
  assert.equal(await signIn.email.evaluate((input) => input === document.activeElement), true, 'email field has focus')
  assert.equal(
    await page
      .locator('#email-error')
      .textContent()
      .then((t) => t?.replace(/\s+/g, ' ').trim()),
    `Error: ${SIGN_IN_FAILED}`,
  )

  await signIn.signIn(analyst.email, analyst.password)
  assert.equal(new URL(page.url()).pathname, '/account')
  const account = await new AccountPage(page).verifyOnPage()
  assert.equal(await account.summaryValue('Name'), 'Ada Analyst')
  assert.equal(await account.summaryValue('Email address'), analyst.email)
  assert.equal(await account.summaryValue('Role'), 'Analyst')

  await account.signOut()
  const signedOut = await new SignInPage(page).verifyOnPage()
  assert.match((await signedOut.notificationBanner.textContent()) ?? '', /You have signed out/)
  await page.goto('/account')
  await new SignInPage(page).verifyOnPage()
})

test('a blank form shows an error for each field, linked to it', async () => {
  const page = await hub.newPage()
  const signIn = await SignInPage.open(page)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await signIn.verifyOnPage()
  assert.deepEqual(await signIn.errorSummaryLinks(), [
    { text: 'Enter your email address', href: '#email' },
    { text: 'Enter your password', href: '#password' },
  ])
  await signIn.errorSummary.getByRole('link', { name: 'Enter your password' }).click()
  assert.equal(
    await signIn.password.evaluate((input) => input === document.activeElement),
    true,
    'password field has focus',
  )
})

test('an unknown address shows the GOV.UK "Page not found" page', async () => {
  const page = await hub.newPage()
  const response = await page.goto('/no-such-page')
  assert.equal(response?.status(), 404)
  await new NotFoundPage(page).verifyOnPage()
})

test('a clinician opening the staff administration pages is told they do not have permission', async () => {
  const page = await hub.newPage()
  const signIn = await SignInPage.open(page)
  await signIn.signIn(clinician.email, clinician.password)
  const response = await page.goto('/admin/users')
  assert.equal(response?.status(), 403)
  await new ForbiddenPage(page).verifyOnPage()
  assert.equal(
    await new ForbiddenPage(page).navigationLink('Staff users').count(),
    0,
    'no link to pages the role cannot use',
  )
})
