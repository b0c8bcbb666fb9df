import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { givenSite, givenStaff, type GivenStaff } from '../test/support/builders.ts'
import { startHub, type Hub } from './support/hub.ts'
import { signedInPage } from './support/sign-in.ts'
import {
  AccessRequestPage,
  AccessRequestsPage,
  NewStaffUserPage,
  StaffUserAddedPage,
  StaffUserPage,
  StaffUsersPage,
} from './pages/staff-pages.ts'
import { AuditLogPage } from './pages/audit-pages.ts'
import { SignInPage } from './pages/sign-in-page.ts'
import { ChangePasswordPage } from './pages/change-password-page.ts'

let hub: Hub
let admin: GivenStaff
let auditor: GivenStaff
let manager: GivenStaff

before(async () => {
  hub = await startHub()
  const site = await givenSite(hub.database.db, { name: 'Middlesbrough test hub' })
  manager = await givenStaff(hub.database.db, 'hub_manager', { name: 'Hana Manager', sites: [site] })
  admin = await givenStaff(hub.database.db, 'admin', { name: 'Ash Administrator' })
  auditor = await givenStaff(hub.database.db, 'auditor', { name: 'Ari Auditor' })
})

after(async () => {
  await hub.close()
})

test('an administrator adds a hub clinician, the site’s hub manager approves, and the clinician signs in with the password shown once and must choose their own', async () => {
  const page = await signedInPage(hub, admin)
  assert.equal(new URL(page.url()).pathname, '/admin/users')
  const users = await new StaffUsersPage(page).verifyOnPage()

  await users.addUser()
  const form = await new NewStaffUserPage(page).verifyOnPage()
  await form.fill({
    email: 'sam.nurse@example.nhs.uk',
    fullName: 'Sam Nurse',
    role: 'Hub clinician',
    sites: ['Middlesbrough test hub'],
  })
  await form.submit()
  const added = await new StaffUserAddedPage(page).verifyOnPage()
  const password = await added.generatedPassword()
  assert.ok(password.length >= 12, 'a strong password is generated')

  await page.getByRole('link', { name: 'Go to Sam Nurse’s account' }).click()
  await new StaffUserPage(page, 'Sam Nurse').verifyOnPage()
  const list = await StaffUsersPage.open(page)
  assert.ok((await list.emails()).includes('sam.nurse@example.nhs.uk'))

  // Clinical access needs a second person: the hub manager of the site approves it.
  const managerPage = await signedInPage(hub, manager)
  const requests = await AccessRequestsPage.open(managerPage)
  await requests.openRequestFor('Sam Nurse')
  await new AccessRequestPage(managerPage, 'Sam Nurse').approve()
  await new AccessRequestsPage(managerPage).verifyOnPage()

  const newUserPage = await hub.newPage()
  const signIn = await SignInPage.open(newUserPage)
  await signIn.signIn('sam.nurse@example.nhs.uk', password)
  const change = await new ChangePasswordPage(newUserPage).verifyOnPage()
  await newUserPage.goto('/caseload')
  await change.verifyOnPage()
  await change.change(password, 'short', 'short')
  await change.verifyOnPage()
  assert.deepEqual(
    (await change.errorSummaryLinks()).map((l) => l.href),
    ['#newPassword'],
    'the error summary links to the field to fix',
  )
  await change.change(password, 'four unrelated words together')
  assert.equal(new URL(newUserPage.url()).pathname, '/worklist')
})

test('an auditor opens the audit log and sees who signed in', async () => {
  const page = await signedInPage(hub, auditor)
  assert.equal(new URL(page.url()).pathname, '/audit')
  const log = await new AuditLogPage(page).verifyOnPage()
  await log.filterByActor(auditor.email)
  await log.verifyOnPage()
  const events = await log.events()
  assert.ok(events.length > 0, 'the auditor’s own sign-in is in the log')
  assert.ok(
    events.every((cells) => cells[1]?.startsWith('Ari Auditor')),
    'only events by the chosen staff user',
  )
})
