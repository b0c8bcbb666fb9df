import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { KyselyPlugin } from 'kysely'
import { fixedClock } from '../../../test/support/clock.ts'
import { fileDatabase, resetDatabase } from '../../../test/support/database.ts'
import { givenApiToken, givenSite, givenStaff } from '../../../test/support/builders.ts'
import { createAuditService } from '../../platform/audit/audit.service.ts'
import { createAuthService } from './auth.service.ts'
import { TEST_PASSWORD_COST } from './passwords.ts'

/** Counts the statements sent to the database. */
function queryCounter() {
  const counter = { count: 0 }
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      counter.count++
      return args.node
    },
    transformResult: async (args) => args.result,
  }
  return { counter, plugin }
}

async function setUp() {
  const database = await fileDatabase()
  await resetDatabase(database)
  const clock = fixedClock('2026-11-20T10:00:00Z')
  const { counter, plugin } = queryCounter()
  const db = database.db.withPlugin(plugin)
  const audit = createAuditService({ db, clock })
  const auth = createAuthService({
    db,
    clock,
    audit,
    sessionSecret: 'resolve-test-secret-that-is-long-enough-0123',
    passwordCost: TEST_PASSWORD_COST,
  })
  const north = await givenSite(database.db, { code: 'north' })
  const south = await givenSite(database.db, { code: 'south' })
  const user = await givenStaff(database.db, 'clinician', { sites: [north, south] })
  const signedIn = await auth.signIn(user.email, user.password, { principal: undefined, requestId: 'sign-in' })
  assert.ok(signedIn.ok)
  return { database, clock, counter, auth, user, token: signedIn.sessionToken, north, south }
}

test('a signed-in request reads its session, user and sites in one query', async () => {
  const { counter, auth, token, north, south } = await setUp()
  counter.count = 0
  const principal = await auth.resolveSession(token)
  assert.equal(counter.count, 1)
  assert.ok(principal)
  assert.equal(principal.role, 'clinician')
  assert.deepEqual([...principal.siteIds].sort(), [north.id, south.id].sort())
})

test('an API token is resolved with its user and sites in one query (after its first use of the minute)', async () => {
  const { database, counter, auth, user, north, south } = await setUp()
  const { token } = await givenApiToken(database.db, user)
  await auth.resolveBearer(token)
  counter.count = 0
  const principal = await auth.resolveBearer(token)
  assert.equal(counter.count, 1)
  assert.ok(principal)
  assert.deepEqual([...principal.siteIds].sort(), [north.id, south.id].sort())
})

test('a user with no sites resolves with none', async () => {
  const { database, auth } = await setUp()
  const analyst = await givenStaff(database.db, 'analyst')
  const signedIn = await auth.signIn(analyst.email, analyst.password, { principal: undefined, requestId: 's' })
  assert.ok(signedIn.ok)
  assert.deepEqual((await auth.resolveSession(signedIn.sessionToken))?.siteIds, [])
})

test('a change to the user holds from the very next request: sites, role, disabling, sign-out', async () => {
  const { database, auth, user, token, north } = await setUp()
  const { db } = database
  await db.deleteFrom('staff_site').where('staff_user_id', '=', user.id).where('site_id', '!=', north.id).execute()
  assert.deepEqual((await auth.resolveSession(token))?.siteIds, [north.id])

  await db.updateTable('staff_user').set({ role: 'hub_manager' }).where('id', '=', user.id).execute()
  assert.equal((await auth.resolveSession(token))?.role, 'hub_manager')

  await db.updateTable('staff_user').set({ status: 'disabled' }).where('id', '=', user.id).execute()
  assert.equal(await auth.resolveSession(token), undefined)
  // The disabled user's session is gone, so enabling the account again does not bring it back.
  await db.updateTable('staff_user').set({ status: 'active' }).where('id', '=', user.id).execute()
  assert.equal(await auth.resolveSession(token), undefined)

  const again = await auth.signIn(user.email, user.password, { principal: undefined, requestId: 'again' })
  assert.ok(again.ok)
  assert.notEqual(await auth.resolveSession(again.sessionToken), undefined)
  await auth.signOut(again.sessionToken, { principal: undefined, requestId: 'out' })
  assert.equal(await auth.resolveSession(again.sessionToken), undefined)
})

test('a password change ends the user’s other sessions at once', async () => {
  const { auth, user, token } = await setUp()
  const other = await auth.signIn(user.email, user.password, { principal: undefined, requestId: 'other' })
  assert.ok(other.ok)
  const principal = await auth.resolveSession(token)
  assert.ok(principal)
  const next = 'a brand new passphrase for the hub'
  const changed = await auth.changeOwnPassword(
    { current: user.password, next, confirm: next, sessionToken: token },
    { principal, requestId: 'change' },
  )
  assert.ok(changed.ok, JSON.stringify(changed))
  assert.equal(await auth.resolveSession(other.sessionToken), undefined)
  assert.notEqual(await auth.resolveSession(token), undefined)
})
