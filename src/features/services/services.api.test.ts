import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { buildTestApp, json } from '../../../test/support/test-app.ts'
import {
  givenApiToken,
  givenOrganisation,
  givenService,
  givenSite,
  givenStaff,
} from '../../../test/support/builders.ts'
import type { StaffRole } from '../../platform/http/roles.ts'

interface Problem {
  status: number
  code?: string
  errors?: { field: string; message: string }[]
}
interface Service {
  id: string
  siteCode: string
  kind: string
  name: string
  odsCode: string | null
  organisationCode: string | null
  active: boolean
  version: number
}

async function setup(t: TestContext, role: StaffRole = 'hub_manager') {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db)
  const user = await givenStaff(db, role, { sites: [site] })
  const { token } = await givenApiToken(db, user)
  return { app, db, site, user, call: caller(app, token) }
}

function caller(app: FastifyInstance, token: string) {
  return (method: 'GET' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    })
}

const entry = (siteCode: string, overrides: Record<string, unknown> = {}) => ({
  siteCode,
  kind: 'gp-practice',
  name: 'Riverside Surgery (test)',
  odsCode: 'z99001',
  ...overrides,
})

test('POST adds an entry (201) and audits it; GET lists the site’s entries, filtered by kind', async (t) => {
  const { db, site, call } = await setup(t)
  await givenOrganisation(db, { code: 'keystone-housing' })
  const created = await call('POST', '/api/v1/services', entry(site.code))
  assert.equal(created.statusCode, 201, created.body)
  const body = json<Service>(created)
  assert.equal(body.odsCode, 'Z99001')
  assert.equal(body.siteCode, site.code)
  assert.equal(body.active, true)
  const housing = await call(
    'POST',
    '/api/v1/services',
    entry(site.code, {
      kind: 'housing',
      name: 'Keystone Housing Advice',
      odsCode: null,
      organisationCode: 'keystone-housing',
    }),
  )
  assert.equal(housing.statusCode, 201, housing.body)
  assert.equal(json<Service>(housing).organisationCode, 'keystone-housing')
  const all = await call('GET', `/api/v1/services?site=${site.code}`)
  assert.equal(all.statusCode, 200)
  assert.deepEqual(
    json<{ items: Service[] }>(all).items.map((s) => s.kind),
    ['gp-practice', 'housing'],
  )
  const gps = await call('GET', `/api/v1/services?site=${site.code}&kind=gp-practice`)
  assert.deepEqual(
    json<{ items: Service[] }>(gps).items.map((s) => s.name),
    ['Riverside Surgery (test)'],
  )
  const events = await db
    .selectFrom('audit_event')
    .select(['action', 'entity_id'])
    .where('entity_type', '=', 'service')
    .orderBy('id')
    .execute()
  assert.deepEqual(
    events.map((e) => [e.action, e.entity_id]),
    [
      ['create', body.id],
      ['create', json<Service>(housing).id],
    ],
  )
})

test('a gp-practice without an ODS code is 400 naming odsCode; an unknown kind and organisation are refused', async (t) => {
  const { db, site, call } = await setup(t)
  const noOds = await call('POST', '/api/v1/services', entry(site.code, { odsCode: null }))
  assert.equal(noOds.statusCode, 400)
  assert.deepEqual(
    json<Problem>(noOds).errors?.map((e) => e.field),
    ['odsCode'],
  )
  const badKind = await call('POST', '/api/v1/services', entry(site.code, { kind: 'spa' }))
  assert.equal(badKind.statusCode, 400)
  assert.deepEqual(
    json<Problem>(badKind).errors?.map((e) => e.field),
    ['kind'],
  )
  const unknownOrg = await call('POST', '/api/v1/services', entry(site.code, { organisationCode: 'nobody' }))
  assert.equal(unknownOrg.statusCode, 422)
  assert.deepEqual(
    json<Problem>(unknownOrg).errors?.map((e) => e.field),
    ['organisationCode'],
  )
  const extra = await call('POST', '/api/v1/services', { ...entry(site.code), colour: 'blue' })
  assert.equal(extra.statusCode, 400)
  assert.equal((await call('GET', `/api/v1/services?site=${site.code}&kind=spa`)).statusCode, 400)
  assert.equal(await db.selectFrom('service').select('id').executeTakeFirst(), undefined)
})

test('a retried POST with the same Idempotency-Key creates one entry (201 then 200)', async (t) => {
  const { db, site, call } = await setup(t)
  const first = await call('POST', '/api/v1/services', entry(site.code), { 'idempotency-key': 'abc-123' })
  const again = await call('POST', '/api/v1/services', entry(site.code), { 'idempotency-key': 'abc-123' })
  assert.equal(first.statusCode, 201)
  assert.equal(again.statusCode, 200)
  assert.equal(json<Service>(again).id, json<Service>(first).id)
  assert.equal((await db.selectFrom('service').select('id').execute()).length, 1)
})

for (const role of ['clinician', 'probation_practitioner'] as const) {
  test(`a ${role} may GET the directory but POST is 403`, async (t) => {
    const { db, site, call } = await setup(t, role)
    await givenService(db, site)
    const list = await call('GET', `/api/v1/services?site=${site.code}`)
    assert.equal(list.statusCode, 200)
    assert.equal(json<{ items: Service[] }>(list).items.length, 1)
    assert.equal((await call('POST', '/api/v1/services', entry(site.code))).statusCode, 403)
  })
}

for (const role of ['analyst', 'admin', 'auditor', 'partner'] as const) {
  test(`the ${role} role is refused the services API (403)`, async (t) => {
    const { site, call } = await setup(t, role)
    assert.equal((await call('GET', `/api/v1/services?site=${site.code}`)).statusCode, 403)
    assert.equal((await call('POST', '/api/v1/services', entry(site.code))).statusCode, 403)
  })
}

test('another site’s directory is 403 to read and to add to', async (t) => {
  const { db, call } = await setup(t)
  const elsewhere = await givenSite(db)
  await givenService(db, elsewhere)
  assert.equal((await call('GET', `/api/v1/services?site=${elsewhere.code}`)).statusCode, 403)
  assert.equal((await call('POST', '/api/v1/services', entry(elsewhere.code))).statusCode, 403)
  assert.equal((await db.selectFrom('service').select('id').execute()).length, 1)
})
