import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import { buildTestApp, Browser, json, page, signedInBrowser } from '../../../test/support/test-app.ts'
import {
  givenApiToken,
  givenHealthCheck,
  givenPerson,
  givenSite,
  givenStaff,
  type GivenStaff,
} from '../../../test/support/builders.ts'

type Db = Kysely<DB>

async function anAdmin(t: Parameters<typeof buildTestApp>[0]) {
  const testApp = await buildTestApp(t)
  const admin = await givenStaff(testApp.database.db, 'admin', { name: 'Ada Admin' })
  const browser = await signedInBrowser(testApp.app, admin.email, admin.password)
  return { ...testApp, db: testApp.database.db, admin, browser }
}

async function as(app: FastifyInstance, user: GivenStaff) {
  return signedInBrowser(app, user.email, user.password)
}

async function staffRow(db: Db, id: string) {
  const row = await db.selectFrom('staff_user').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  const sites = await db.selectFrom('staff_site').select('site_id').where('staff_user_id', '=', id).execute()
  return { ...row, siteIds: sites.map((s) => s.site_id).sort() }
}

async function requestsFor(db: Db, staffUserId: string) {
  return db
    .selectFrom('staff_access_request')
    .selectAll()
    .where('staff_user_id', '=', staffUserId)
    .orderBy('seq')
    .execute()
}

async function pendingRequestId(db: Db, staffUserId: string): Promise<string> {
  const row = await db
    .selectFrom('staff_access_request')
    .select('id')
    .where('staff_user_id', '=', staffUserId)
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow()
  return row.id
}

async function events(db: Db) {
  return db
    .selectFrom('audit_event')
    .select(['action', 'entity_type', 'entity_id', 'actor_id', 'details'])
    .where('entity_type', 'in', ['staff_user', 'staff_access_request'])
    .where('action', 'not in', ['sign-in', 'sign-out', 'sign-in-failed'])
    .orderBy('id')
    .execute()
}

/** An admin adds a user on the pages; returns their id (and the generated password). */
async function addUser(browser: Browser, db: Db, user: { email: string; role: string; sites: string[] }) {
  await browser.get('/admin/users/new')
  const response = await browser.post('/admin/users/new', { fullName: 'New Person', ...user })
  assert.equal(response.statusCode, 200, response.body)
  const password = page(response.body).text('#generated-password')
  const row = await db.selectFrom('staff_user').select('id').where('email', '=', user.email).executeTakeFirstOrThrow()
  return { id: row.id, password, response }
}

/** An admin changes a user's role and sites on the edit page. */
async function editAccess(browser: Browser, db: Db, id: string, role: string, sites: string[]) {
  const current = await staffRow(db, id)
  await browser.get(`/admin/users/${id}/edit`)
  return browser.post(`/admin/users/${id}/edit`, {
    fullName: current.display_name,
    role,
    sites,
    version: String(current.version),
  })
}

async function decide(browser: Browser, id: string, form: Record<string, string>, options: { csrf?: boolean } = {}) {
  await browser.get(`/access-requests/${id}`)
  return browser.post(`/access-requests/${id}`, form, options)
}

test('the attack fails: a clinician an admin adds at every site cannot sign in, be enabled or be approved by that admin', async (t) => {
  const { app, db, browser, admin } = await anAdmin(t)
  const north = await givenSite(db, { name: 'North hub' })
  const south = await givenSite(db, { name: 'South hub' })

  const { id, password, response } = await addUser(browser, db, {
    email: 'sock.puppet@example.nhs.uk',
    role: 'clinician',
    sites: [north.id, south.id],
  })
  const shown = page(response.body)
  assert.equal(shown.$('.govuk-panel__title').text().trim(), 'Staff user added')
  assert.match(shown.text('#access-request'), /cannot sign in until their access .* is approved/)
  assert.match(shown.text('#access-request'), /A hub manager of North hub and South hub, or another administrator/)

  const row = await staffRow(db, id)
  assert.equal(row.status, 'disabled')
  await assert.rejects(new Browser(app).signIn('sock.puppet@example.nhs.uk', password), /failed with 401/)

  // The admin cannot switch it on, nor approve their own request.
  const view = page((await browser.get(`/admin/users/${id}`)).body)
  assert.match(view.text('#access-request'), /Waiting for approval/)
  assert.match(view.text('#access-request'), /Ada Admin asked .* for: Hub clinician at North hub and South hub/)
  assert.equal(view.has('button:contains("Enable account")'), false)
  assert.match(view.text('.govuk-summary-list'), /Waiting for approval/)
  const enable = await browser.post(`/admin/users/${id}/status`, { status: 'active', version: String(row.version) })
  assert.equal(enable.statusCode, 400)
  assert.match(page(enable.body).errorSummary()[0]?.text ?? '', /waiting for its access to be approved/)

  const requestId = await pendingRequestId(db, id)
  const own = page((await browser.get(`/access-requests/${requestId}`)).body)
  assert.equal(own.h1(), 'Access request for New Person')
  assert.equal(own.has('#approve'), false)
  assert.match(own.text('main'), /You asked for this access, so someone else must approve or refuse it/)
  const selfApproval = await browser.post(`/access-requests/${requestId}`, { decision: 'approve' })
  assert.equal(selfApproval.statusCode, 403)

  assert.equal((await staffRow(db, id)).status, 'disabled')
  assert.equal((await requestsFor(db, id))[0]?.status, 'pending')
  await assert.rejects(new Browser(app).signIn('sock.puppet@example.nhs.uk', password), /failed with 401/)

  // Audited: the account, and the request for its access.
  assert.deepEqual(
    (await events(db)).map((e) => [e.action, e.entity_type, e.actor_id]),
    [
      ['user-create', 'staff_user', admin.id],
      ['create', 'staff_access_request', admin.id],
    ],
  )
})

test('a second administrator approves a new clinician, who can then sign in and read health checks', async (t) => {
  const { app, db, browser, admin } = await anAdmin(t)
  const north = await givenSite(db, { name: 'North hub' })
  const author = await givenStaff(db, 'clinician', { sites: [north] })
  const person = await givenPerson(db, north)
  const check = await givenHealthCheck(db, { person, clinician: author, status: 'completed' })
  const { id, password } = await addUser(browser, db, {
    email: 'nia.nurse@example.nhs.uk',
    role: 'clinician',
    sites: [north.id],
  })
  const requestId = await pendingRequestId(db, id)

  const second = await givenStaff(db, 'admin', { name: 'Sam Second' })
  const secondBrowser = await as(app, second)
  const list = page((await secondBrowser.get('/access-requests')).body)
  assert.equal(list.h1(), 'Access requests')
  assert.equal(list.$('#access-requests tbody tr').length, 1)
  assert.match(list.text('#access-requests tbody'), /New Person\s+New account/)
  assert.match(list.text('#access-requests tbody'), /Hub clinician at North hub/)
  assert.match(list.text('#access-requests tbody'), /Ada Admin/)

  const detail = page((await secondBrowser.get(`/access-requests/${requestId}`)).body)
  assert.ok(detail.has('#approve'))
  assert.match(detail.text('.govuk-summary-list'), /Access now\s+None: a new account/)
  const approved = await secondBrowser.post(`/access-requests/${requestId}`, { decision: 'approve' })
  assert.equal(approved.statusCode, 302)
  assert.equal(approved.headers.location, '/access-requests')
  const after = page((await secondBrowser.get('/access-requests')).body)
  assert.match(after.text('.govuk-notification-banner'), /You approved the access asked for New Person/)
  assert.match(after.text('#access-requests'), /There are no access requests waiting for approval/)

  const row = await staffRow(db, id)
  assert.equal(row.status, 'active')
  assert.deepEqual(row.siteIds, [north.id])
  const audited = await events(db)
  const nurse = new Browser(app)
  await nurse.signIn('nia.nurse@example.nhs.uk', password)
  await nurse.get('/account/password')
  const changed = await nurse.post('/account/password', {
    currentPassword: password,
    newPassword: 'four unrelated words together',
    confirmPassword: 'four unrelated words together',
  })
  assert.equal(changed.statusCode, 302)
  assert.equal((await nurse.get(`/people/${person.id}/health-checks`)).statusCode, 200)
  assert.equal((await nurse.get(`/health-checks/${check.id}`)).statusCode, 200)

  const decided = await db
    .selectFrom('staff_access_request')
    .selectAll()
    .where('id', '=', requestId)
    .executeTakeFirstOrThrow()
  assert.equal(decided.status, 'approved')
  assert.equal(decided.decided_by, second.id)
  assert.equal(decided.requested_by, admin.id)
  assert.deepEqual(
    audited.map((e) => [e.action, e.entity_type, e.actor_id, e.details]),
    [
      ['user-create', 'staff_user', admin.id, { changed: ['email', 'fullName', 'role', 'password', 'sites'] }],
      [
        'create',
        'staff_access_request',
        admin.id,
        { staffUserId: id, kind: 'new-account', role: 'clinician', siteIds: [north.id], grantsSiteIds: [north.id] },
      ],
      ['update', 'staff_access_request', second.id, { staffUserId: id, changed: ['status'], status: 'approved' }],
    ],
  )
})

test('a hub manager of the site approves a site grant; a hub manager of another site cannot see or decide it', async (t) => {
  const { app, db, browser } = await anAdmin(t)
  const north = await givenSite(db, { name: 'North hub' })
  const south = await givenSite(db, { name: 'South hub' })
  const clinician = await givenStaff(db, 'clinician', { sites: [north], name: 'Cara Clinician' })
  const southPerson = await givenPerson(db, south)
  const southManager = await givenStaff(db, 'hub_manager', { sites: [south], name: 'Sol South' })
  const northManager = await givenStaff(db, 'hub_manager', { sites: [north], name: 'Nell North' })
  const theirBrowser = await as(app, clinician)

  const asked = await editAccess(browser, db, clinician.id, 'clinician', [north.id, south.id])
  assert.equal(asked.statusCode, 302)
  const shown = page((await browser.get(`/admin/users/${clinician.id}`)).body)
  assert.match(shown.text('.govuk-notification-banner'), /waiting for approval/)
  assert.match(shown.text('#access-request'), /A hub manager of South hub, or another administrator must approve it/)
  assert.match(shown.text('#access-request'), /Until then their access stays as shown above/)
  // Nothing changed yet: same access, same version, still signed in, still no South.
  const before = await staffRow(db, clinician.id)
  assert.deepEqual(before.siteIds, [north.id])
  assert.equal(before.version, 1)
  assert.equal((await theirBrowser.get(`/people/${southPerson.id}`)).statusCode, 403)
  const requestId = await pendingRequestId(db, clinician.id)

  // The North manager does not manage South: not listed, not shown, not decided.
  const northBrowser = await as(app, northManager)
  const northList = page((await northBrowser.get('/access-requests')).body)
  assert.match(northList.text('#access-requests'), /There are no access requests waiting for your approval/)
  assert.equal((await northBrowser.get(`/access-requests/${requestId}`)).statusCode, 403)
  const refusedByNorth = await northBrowser.post(`/access-requests/${requestId}`, { decision: 'approve' })
  assert.equal(refusedByNorth.statusCode, 403)
  assert.deepEqual((await staffRow(db, clinician.id)).siteIds, [north.id])

  const southBrowser = await as(app, southManager)
  assert.ok(page((await southBrowser.get('/account')).body).has('a#access-requests-link[href="/access-requests"]'))
  const southList = page((await southBrowser.get('/access-requests')).body)
  assert.equal(southList.$('#access-requests tbody tr').length, 1)
  assert.match(southList.text('#access-requests tbody'), /Cara Clinician/)
  const detail = page((await southBrowser.get(`/access-requests/${requestId}`)).body)
  assert.match(detail.text('.govuk-summary-list'), /Access now\s+Hub clinician at North hub/)
  assert.match(detail.text('.govuk-summary-list'), /Sites it adds\s+South hub/)
  const approved = await southBrowser.post(`/access-requests/${requestId}`, { decision: 'approve' })
  assert.equal(approved.statusCode, 302)

  const after = await staffRow(db, clinician.id)
  assert.deepEqual(after.siteIds, [north.id, south.id].sort())
  // Access changed, so their sessions ended; signed in again, they reach South's people.
  assert.equal((await theirBrowser.get('/account')).statusCode, 302)
  const again = await as(app, clinician)
  assert.equal((await again.get(`/people/${southPerson.id}`)).statusCode, 200)
  const decisionEvents = (await events(db)).filter((e) => e.actor_id === southManager.id)
  assert.deepEqual(
    decisionEvents.map((e) => [e.action, e.entity_type, e.details]),
    [
      ['user-update', 'staff_user', { changed: ['sites'] }],
      ['update', 'staff_access_request', { staffUserId: clinician.id, changed: ['status'], status: 'approved' }],
    ],
  )
})

test('a hub manager cannot approve a grant that also adds a site they do not manage, nor the administrator role', async (t) => {
  const { app, db, browser } = await anAdmin(t)
  const north = await givenSite(db)
  const south = await givenSite(db)
  const manager = await givenStaff(db, 'hub_manager', { sites: [north] })
  const practitioner = await givenStaff(db, 'probation_practitioner', { sites: [north] })
  const analyst = await givenStaff(db, 'analyst', { sites: [north] })
  await editAccess(browser, db, practitioner.id, 'probation_practitioner', [north.id, south.id])
  await editAccess(browser, db, analyst.id, 'admin', [north.id])
  const managerBrowser = await as(app, manager)
  for (const id of [await pendingRequestId(db, practitioner.id), await pendingRequestId(db, analyst.id)]) {
    assert.equal((await managerBrowser.get(`/access-requests/${id}`)).statusCode, 403)
    await managerBrowser.get('/access-requests')
    assert.equal((await managerBrowser.post(`/access-requests/${id}`, { decision: 'approve' })).statusCode, 403)
  }
  assert.equal((await staffRow(db, analyst.id)).role, 'analyst')
  assert.deepEqual((await staffRow(db, practitioner.id)).siteIds, [north.id])
})

test('the account a request is about cannot approve it, even as an administrator', async (t) => {
  const { app, db, browser } = await anAdmin(t)
  const north = await givenSite(db, { name: 'North hub' })
  const other = await givenStaff(db, 'admin', { name: 'Otto Other' })
  const asked = await editAccess(browser, db, other.id, 'hub_manager', [north.id])
  assert.equal(asked.statusCode, 302)
  assert.equal((await staffRow(db, other.id)).role, 'admin', 'keeps their current role until approved')
  const requestId = await pendingRequestId(db, other.id)
  const otherBrowser = await as(app, other)
  const detail = page((await otherBrowser.get(`/access-requests/${requestId}`)).body)
  assert.match(detail.text('main'), /This request is about your own account/)
  assert.equal((await otherBrowser.post(`/access-requests/${requestId}`, { decision: 'approve' })).statusCode, 403)
  assert.equal((await staffRow(db, other.id)).role, 'admin')
  assert.equal((await requestsFor(db, other.id))[0]?.status, 'pending')
})

test('the database itself refuses a decision by whoever asked or by the account owner', async (t) => {
  const { db } = await anAdmin(t)
  const site = await givenSite(db)
  const asker = await givenStaff(db, 'admin')
  const subject = await givenStaff(db, 'hub_manager', { sites: [site] })
  const request = await db
    .insertInto('staff_access_request')
    .values({
      staff_user_id: subject.id,
      kind: 'change',
      from_role: 'hub_manager',
      role: 'clinician',
      requested_by: asker.id,
      requested_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (const by of [asker.id, subject.id]) {
    await assert.rejects(
      db
        .updateTable('staff_access_request')
        .set({ status: 'approved', decided_by: by, decided_at: new Date() })
        .where('id', '=', request.id)
        .execute(),
      /check constraint/,
    )
  }
})

test('refusing needs a reason, leaves the access unchanged, and is shown and audited', async (t) => {
  const { app, db, browser } = await anAdmin(t)
  const north = await givenSite(db, { name: 'North hub' })
  const analyst = await givenStaff(db, 'analyst', { name: 'Ann Analyst' })
  await editAccess(browser, db, analyst.id, 'clinician', [north.id])
  const requestId = await pendingRequestId(db, analyst.id)
  const before = await staffRow(db, analyst.id)

  const manager = await givenStaff(db, 'hub_manager', { sites: [north], name: 'Hana Manager' })
  const managerBrowser = await as(app, manager)
  const blank = await decide(managerBrowser, requestId, { decision: 'refuse', reason: '   ' })
  assert.equal(blank.statusCode, 400)
  const html = page(blank.body)
  assert.match(html.title(), /^Error: /)
  assert.deepEqual(html.errorSummary(), [{ text: 'Enter why you are refusing the request', href: '#reason' }])
  const tooLong = await managerBrowser.post(`/access-requests/${requestId}`, {
    decision: 'refuse',
    reason: 'x'.repeat(1001),
  })
  assert.equal(page(tooLong.body).inlineError('reason'), 'Reason must be 1,000 characters or fewer')
  const noDecision = await managerBrowser.post(`/access-requests/${requestId}`, { decision: 'maybe' })
  assert.deepEqual(page(noDecision.body).errorSummary(), [
    { text: 'Select whether to approve or refuse the request', href: '#decision' },
  ])

  const refused = await managerBrowser.post(`/access-requests/${requestId}`, {
    decision: 'refuse',
    reason: 'Not a member of the North team',
  })
  assert.equal(refused.statusCode, 302)
  assert.deepEqual(await staffRow(db, analyst.id), before)
  const stored = (await requestsFor(db, analyst.id))[0]
  assert.equal(stored?.status, 'refused')
  assert.equal(stored.refusal_reason, 'Not a member of the North team')
  assert.equal(stored.decided_by, manager.id)

  const shown = page((await browser.get(`/admin/users/${analyst.id}`)).body)
  assert.match(shown.text('#access-request'), /Access refused/)
  assert.match(shown.text('#access-request'), /Hana Manager refused Hub clinician at North hub/)
  assert.match(shown.text('#access-request'), /Reason: Not a member of the North team/)

  // Decided once: a second decision is refused as already decided, changing nothing.
  const again = await managerBrowser.post(`/access-requests/${requestId}`, { decision: 'approve' })
  assert.equal(again.statusCode, 409)
  assert.match(page(again.body).errorSummary()[0]?.text ?? '', /already been decided/)
  assert.equal((await staffRow(db, analyst.id)).role, 'analyst')

  const audit = (await events(db)).filter((e) => e.actor_id === manager.id)
  assert.deepEqual(
    audit.map((e) => [e.action, e.entity_type, e.entity_id, e.details]),
    [
      [
        'update',
        'staff_access_request',
        requestId,
        { staffUserId: analyst.id, changed: ['status'], status: 'refused' },
      ],
    ],
  )
  assert.doesNotMatch(JSON.stringify(audit), /North team/, 'the reason stays in the request, not the audit details')
})

test('a refused new account stays unusable until asked for again and approved', async (t) => {
  const { app, db, browser } = await anAdmin(t)
  const north = await givenSite(db)
  const { id, password } = await addUser(browser, db, {
    email: 'refused@example.nhs.uk',
    role: 'hub_manager',
    sites: [north.id],
  })
  const second = await as(app, await givenStaff(db, 'admin'))
  await decide(second, await pendingRequestId(db, id), { decision: 'refuse', reason: 'Unknown person' })
  const row = await staffRow(db, id)
  assert.equal(row.status, 'disabled')
  const view = page((await browser.get(`/admin/users/${id}`)).body)
  assert.match(view.text('.govuk-summary-list'), /Access refused/)
  const enable = await browser.post(`/admin/users/${id}/status`, { status: 'active', version: String(row.version) })
  assert.equal(enable.statusCode, 400)
  assert.match(page(enable.body).errorSummary()[0]?.text ?? '', /access was refused, so it cannot be enabled/)

  // Saving the details again asks again; approval then lets them sign in.
  const saved = await editAccess(browser, db, id, 'hub_manager', [north.id])
  assert.equal(saved.statusCode, 302)
  assert.equal((await requestsFor(db, id)).map((r) => r.status).join(), 'refused,pending')
  await decide(second, await pendingRequestId(db, id), { decision: 'approve' })
  await new Browser(app).signIn('refused@example.nhs.uk', password)
})

test('narrowing takes effect at once and cancels a pending request; widening waits', async (t) => {
  const { app, db, browser, admin } = await anAdmin(t)
  const north = await givenSite(db)
  const south = await givenSite(db)
  const east = await givenSite(db)
  const clinician = await givenStaff(db, 'clinician', { sites: [north, south] })

  // Widening (East) waits; dropping South in the same change happens now.
  const theirBrowser = await as(app, clinician)
  await editAccess(browser, db, clinician.id, 'clinician', [north.id, east.id])
  let row = await staffRow(db, clinician.id)
  assert.deepEqual(row.siteIds, [north.id])
  assert.equal((await theirBrowser.get('/account')).statusCode, 302, 'narrowing ends their sessions')
  const firstRequest = await pendingRequestId(db, clinician.id)
  const request = (await requestsFor(db, clinician.id))[0]
  assert.equal(request?.kind, 'change')
  assert.equal(request.from_role, 'clinician')

  // Moving to a role that needs no approval is immediate, and the pending request is cancelled.
  await editAccess(browser, db, clinician.id, 'analyst', [])
  row = await staffRow(db, clinician.id)
  assert.equal(row.role, 'analyst')
  assert.deepEqual(row.siteIds, [])
  assert.deepEqual(
    (await requestsFor(db, clinician.id)).map((r) => r.status),
    ['cancelled'],
  )
  const second = await as(app, await givenStaff(db, 'admin'))
  const stale = await decide(second, firstRequest, { decision: 'approve' })
  assert.equal(stale.statusCode, 409)
  assert.equal((await staffRow(db, clinician.id)).role, 'analyst')

  // Disabling is immediate too.
  const version = String((await staffRow(db, clinician.id)).version)
  assert.equal(
    (await browser.post(`/admin/users/${clinician.id}/disable`, { version })).statusCode,
    302,
  )
  assert.equal((await staffRow(db, clinician.id)).status, 'disabled')

  const audit = (await events(db)).filter((e) => e.actor_id === admin.id)
  assert.deepEqual(
    audit.map((e) => [e.action, e.entity_type, e.details]),
    [
      ['user-update', 'staff_user', { changed: ['sites'] }],
      [
        'create',
        'staff_access_request',
        {
          staffUserId: clinician.id,
          kind: 'change',
          role: 'clinician',
          siteIds: [north.id, east.id].sort(),
          grantsSiteIds: [east.id],
        },
      ],
      ['user-update', 'staff_user', { changed: ['role', 'sites'] }],
      ['update', 'staff_access_request', { staffUserId: clinician.id, changed: ['status'], status: 'cancelled' }],
      ['user-update', 'staff_user', { changed: ['status'] }],
    ],
  )
})

test('a later change that asks for more replaces the pending request', async (t) => {
  const { app, db, browser } = await anAdmin(t)
  const north = await givenSite(db)
  const south = await givenSite(db)
  const practitioner = await givenStaff(db, 'probation_practitioner', { sites: [north] })
  await editAccess(browser, db, practitioner.id, 'probation_practitioner', [north.id, south.id])
  await editAccess(browser, db, practitioner.id, 'clinician', [north.id])
  const requests = await requestsFor(db, practitioner.id)
  assert.deepEqual(
    requests.map((r) => [r.status, r.role]),
    [
      ['cancelled', 'probation_practitioner'],
      ['pending', 'clinician'],
    ],
  )
  // A role change grants the role afresh at every site: the North manager can approve it.
  const manager = await as(app, await givenStaff(db, 'hub_manager', { sites: [north] }))
  assert.equal((await decide(manager, requests[1]?.id ?? '', { decision: 'approve' })).statusCode, 302)
  const row = await staffRow(db, practitioner.id)
  assert.equal(row.role, 'clinician')
  assert.deepEqual(row.siteIds, [north.id])
})

test('a stale edit that would only make a request is refused', async (t) => {
  const { db, browser } = await anAdmin(t)
  const north = await givenSite(db)
  const clinician = await givenStaff(db, 'clinician', { sites: [north] })
  await browser.get(`/admin/users/${clinician.id}/edit`)
  await browser.post(`/admin/users/${clinician.id}/edit`, {
    fullName: 'Renamed',
    role: 'clinician',
    sites: [north.id],
    version: '1',
  })
  const stale = await browser.post(`/admin/users/${clinician.id}/edit`, {
    fullName: 'Renamed',
    role: 'hub_manager',
    sites: [north.id],
    version: '1',
  })
  assert.equal(stale.statusCode, 409)
  assert.deepEqual(await requestsFor(db, clinician.id), [])
})

test('refuses the access request pages to other roles and without a CSRF token, changing nothing', async (t) => {
  const { app, db, browser } = await anAdmin(t)
  const north = await givenSite(db)
  const { id } = await addUser(browser, db, {
    email: 'csrf.target@example.nhs.uk',
    role: 'clinician',
    sites: [north.id],
  })
  const requestId = await pendingRequestId(db, id)
  for (const role of ['clinician', 'probation_practitioner', 'auditor', 'analyst', 'partner'] as const) {
    const user = await givenStaff(db, role, { sites: [north] })
    const theirs = await as(app, user)
    assert.equal((await theirs.get('/access-requests')).statusCode, 403, role)
    assert.equal((await theirs.get(`/access-requests/${requestId}`)).statusCode, 403, role)
    assert.equal((await theirs.post(`/access-requests/${requestId}`, { decision: 'approve' })).statusCode, 403, role)
  }
  const manager = await as(app, await givenStaff(db, 'hub_manager', { sites: [north] }))
  await manager.get(`/access-requests/${requestId}`)
  const noCsrf = await manager.post(`/access-requests/${requestId}`, { decision: 'approve' }, { csrf: false })
  assert.equal(noCsrf.statusCode, 403)
  const anonymous = await new Browser(app).get('/access-requests')
  assert.equal(anonymous.statusCode, 302)
  assert.match(anonymous.headers.location ?? '', /^\/sign-in\?returnTo=/)
  assert.equal((await requestsFor(db, id))[0]?.status, 'pending')
  assert.equal((await staffRow(db, id)).status, 'disabled')
  assert.equal((await browser.get('/access-requests/not-a-uuid')).statusCode, 404)
  assert.equal((await browser.get('/access-requests/00000000-0000-4000-8000-000000000000')).statusCode, 404)
})

test('the administrator role needs another administrator, and roles needing no approval are immediate', async (t) => {
  const { app, db, browser } = await anAdmin(t)
  const north = await givenSite(db)
  const { id, password } = await addUser(browser, db, { email: 'admin.two@example.nhs.uk', role: 'admin', sites: [] })
  assert.equal((await staffRow(db, id)).status, 'disabled')
  await assert.rejects(new Browser(app).signIn('admin.two@example.nhs.uk', password), /failed with 401/)
  const third = await as(app, await givenStaff(db, 'admin'))
  assert.equal((await decide(third, await pendingRequestId(db, id), { decision: 'approve' })).statusCode, 302)
  await new Browser(app).signIn('admin.two@example.nhs.uk', password)

  for (const role of ['analyst', 'auditor'] as const) {
    await browser.get('/admin/users/new')
    const response = await browser.post('/admin/users/new', {
      email: `${role}@example.nhs.uk`,
      fullName: role,
      role,
      sites: [north.id],
      password: 'a long enough passphrase',
    })
    assert.equal(response.statusCode, 302, role)
    await new Browser(app).signIn(`${role}@example.nhs.uk`, 'a long enough passphrase')
  }
  const immediate = await db.selectFrom('staff_access_request').select('id').execute()
  assert.equal(immediate.length, 1)
})

test('the API reports a pending change instead of applying it, and lists requests by who may decide them', async (t) => {
  const { app, db, browser } = await anAdmin(t)
  const north = await givenSite(db, { code: 'north' })
  const south = await givenSite(db, { code: 'south' })
  const clinician = await givenStaff(db, 'clinician', { sites: [north] })
  await editAccess(browser, db, clinician.id, 'clinician', [north.id, south.id])
  const requestId = await pendingRequestId(db, clinician.id)
  const call = async (user: GivenStaff, url: string) =>
    app.inject({ url, headers: { authorization: `Bearer ${(await givenApiToken(db, user)).token}` } })

  const admin = await givenStaff(db, 'admin')
  const staff = json<{ staff: { id: string; siteCodes: string[]; accessRequest: Record<string, unknown> | null }[] }>(
    await call(admin, '/api/v1/staff?role=clinician'),
  )
  const listed = staff.staff.find((s) => s.id === clinician.id)
  assert.deepEqual(listed?.siteCodes, ['north'], 'the access in force')
  assert.deepEqual(listed.accessRequest, {
    id: requestId,
    staffUserId: clinician.id,
    kind: 'change',
    fromRole: 'clinician',
    role: 'clinician',
    siteCodes: ['north', 'south'],
    grantsSiteCodes: ['south'],
    status: 'pending',
    requestedBy: (await requestsFor(db, clinician.id))[0]?.requested_by,
    requestedAt: '2026-11-20T10:00:00.000Z',
    canDecide: true,
  })

  const south1 = await givenStaff(db, 'hub_manager', { sites: [south] })
  const north1 = await givenStaff(db, 'hub_manager', { sites: [north] })
  const southSees = json<{ accessRequests: { id: string; canDecide: boolean }[] }>(
    await call(south1, '/api/v1/staff/access-requests'),
  )
  assert.deepEqual(
    southSees.accessRequests.map((r) => [r.id, r.canDecide]),
    [[requestId, true]],
  )
  const northSees = json<{ accessRequests: unknown[] }>(await call(north1, '/api/v1/staff/access-requests'))
  assert.deepEqual(northSees.accessRequests, [])
  assert.equal((await call(clinician, '/api/v1/staff/access-requests')).statusCode, 403)
})
