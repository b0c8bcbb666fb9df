import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  mayView,
  needsApproval,
  newAccountRequest,
  planAccessChange,
  whyCannotDecide,
  type AccountAccess,
} from './access-requests.rules.ts'

const access = (role: AccountAccess['role'], siteIds: string[] = [], organisationId: string | null = null) => ({
  role,
  siteIds,
  organisationId,
})

test('clinical roles and the administrator role need approval; the others do not', () => {
  assert.deepEqual(
    (['clinician', 'probation_practitioner', 'hub_manager', 'admin', 'partner', 'analyst', 'auditor'] as const).map(
      needsApproval,
    ),
    [true, true, true, true, false, false, false],
  )
})

test('a new clinical account asks for every site; a new administrator grants no site; others need nothing', () => {
  assert.deepEqual(newAccountRequest(access('clinician', ['b', 'a', 'a'])), {
    role: 'clinician',
    siteIds: ['a', 'b'],
    grantsSiteIds: ['a', 'b'],
  })
  assert.deepEqual(newAccountRequest(access('admin', ['a'])), { role: 'admin', siteIds: ['a'], grantsSiteIds: [] })
  assert.equal(newAccountRequest(access('analyst', ['a'])), undefined)
})

test('adding a site waits, removing one is immediate, in the same change', () => {
  assert.deepEqual(planAccessChange(access('clinician', ['a', 'b']), access('clinician', ['a', 'c'])), {
    now: access('clinician', ['a']),
    request: { role: 'clinician', siteIds: ['a', 'c'], grantsSiteIds: ['c'] },
  })
  assert.deepEqual(planAccessChange(access('clinician', ['a', 'b']), access('clinician', ['b'])), {
    now: access('clinician', ['b']),
    request: undefined,
  })
})

test('a new clinical role waits and grants every site; the current role and organisation stay until then', () => {
  assert.deepEqual(planAccessChange(access('partner', [], 'org'), access('clinician', ['a'])), {
    now: access('partner', [], 'org'),
    request: { role: 'clinician', siteIds: ['a'], grantsSiteIds: ['a'] },
  })
  assert.deepEqual(planAccessChange(access('clinician', ['a', 'b']), access('hub_manager', ['a'])), {
    now: access('clinician', ['a']),
    request: { role: 'hub_manager', siteIds: ['a'], grantsSiteIds: ['a'] },
  })
})

test('moving to a role that needs no approval is immediate, sites and all; an administrator’s sites are too', () => {
  assert.deepEqual(planAccessChange(access('hub_manager', ['a']), access('analyst', ['a', 'b'])), {
    now: access('analyst', ['a', 'b']),
    request: undefined,
  })
  assert.deepEqual(planAccessChange(access('admin', []), access('admin', ['a'])), {
    now: access('admin', ['a']),
    request: undefined,
  })
  assert.deepEqual(planAccessChange(access('analyst', ['a']), access('admin', ['a'])).request, {
    role: 'admin',
    siteIds: ['a'],
    grantsSiteIds: [],
  })
})

test('who may decide: never the asker or the account; hub managers only within their sites and not for admin', () => {
  const request = {
    staffUserId: 'subject',
    requestedBy: 'asker',
    role: 'clinician' as const,
    grantsSiteIds: ['a', 'b'],
  }
  const admin = { userId: 'other-admin', role: 'admin' as const, siteIds: [] }
  const managerOfBoth = { userId: 'm1', role: 'hub_manager' as const, siteIds: ['a', 'b', 'c'] }
  const managerOfOne = { userId: 'm2', role: 'hub_manager' as const, siteIds: ['a'] }
  assert.equal(whyCannotDecide(admin, request), undefined)
  assert.equal(whyCannotDecide(managerOfBoth, request), undefined)
  assert.equal(whyCannotDecide(managerOfOne, request), 'other-sites')
  assert.equal(whyCannotDecide({ ...admin, userId: 'asker' }, request), 'own-request')
  assert.equal(whyCannotDecide({ ...managerOfBoth, userId: 'subject' }, request), 'own-account')
  assert.equal(whyCannotDecide({ userId: 'c', role: 'clinician', siteIds: ['a', 'b'] }, request), 'role')
  assert.equal(whyCannotDecide(managerOfBoth, { ...request, role: 'admin', grantsSiteIds: [] }), 'admins-only')
  assert.equal(mayView(managerOfOne, request), false)
  assert.equal(mayView(managerOfBoth, request), true)
  assert.equal(mayView(admin, { ...request, role: 'admin' }), true)
})
