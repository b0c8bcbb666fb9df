import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { buildTestApp, json } from '../../../test/support/test-app.ts'
import { givenApiToken, givenPerson, givenService, givenSite, givenStaff } from '../../../test/support/builders.ts'
import type { StaffRole } from '../../platform/http/roles.ts'

interface Problem {
  status: number
  code?: string
  errors?: { field: string; message: string }[]
}
interface GpRecord {
  status: string
  statusDate: string
  practice: { serviceId: string | null; name: string; odsCode: string | null } | null
  reason: string | null
  helpGiven: string | null
  recordedBy: string
}
interface GpRegistration {
  personId: string
  current: GpRecord | null
  inProgressSince: string | null
  history: GpRecord[]
  etag: string
}

async function setup(t: TestContext, role: StaffRole = 'clinician') {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db)
  const user = await givenStaff(db, role, { sites: [site] })
  const person = await givenPerson(db, site, { no_fixed_abode: true })
  const practice = await givenService(db, site, { name: 'Riverside Surgery (demo)', ods_code: 'Z90001' })
  const { token } = await givenApiToken(db, user)
  return {
    app,
    db,
    site,
    user,
    person,
    practice,
    call: caller(app, token),
    url: `/api/v1/people/${person.id}/gp-registration`,
  }
}

function caller(app: FastifyInstance, token: string) {
  return (method: 'GET' | 'PUT', url: string, body?: unknown, headers: Record<string, string> = {}) =>
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

test('GET gives the state and an ETag; PUT with If-Match records a status and keeps the history', async (t) => {
  const { db, user, person, practice, call, url } = await setup(t)
  const empty = await call('GET', url)
  assert.equal(empty.statusCode, 200)
  const first = json<GpRegistration>(empty)
  assert.deepEqual([first.personId, first.current, first.history, first.etag], [person.id, null, [], 'W/"0"'])
  assert.equal(empty.headers.etag, first.etag)
  const started = await call(
    'PUT',
    url,
    { status: 'in-progress', statusDate: '2026-11-06', helpGiven: 'Helped complete GMS1 form' },
    { 'if-match': first.etag },
  )
  assert.equal(started.statusCode, 200, started.body)
  const inProgress = json<GpRegistration>(started)
  assert.equal(inProgress.current?.status, 'in-progress')
  assert.equal(inProgress.inProgressSince, '2026-11-06')
  assert.equal(inProgress.current.recordedBy, user.id)
  assert.equal(started.headers.etag, inProgress.etag)
  assert.notEqual(inProgress.etag, first.etag)
  const registered = await call(
    'PUT',
    url,
    { status: 'registered', statusDate: '2026-11-19', serviceId: practice.id },
    { 'if-match': inProgress.etag },
  )
  assert.equal(registered.statusCode, 200, registered.body)
  const after = json<GpRegistration>(registered)
  assert.deepEqual(after.current?.practice, {
    serviceId: practice.id,
    name: 'Riverside Surgery (demo)',
    odsCode: 'Z90001',
  })
  assert.equal(after.inProgressSince, null)
  assert.deepEqual(
    after.history.map((h) => h.status),
    ['registered', 'in-progress'],
  )
  // The same again records nothing (a retry is harmless).
  const again = await call(
    'PUT',
    url,
    { status: 'registered', statusDate: '2026-11-19', serviceId: practice.id },
    { 'if-match': after.etag },
  )
  assert.equal(again.statusCode, 200)
  assert.equal(json<GpRegistration>(again).etag, after.etag)
  assert.equal((await db.selectFrom('gp_registration').select('id').execute()).length, 2)
  const events = await db
    .selectFrom('audit_event')
    .select(['action', 'person_id', 'details'])
    .where('entity_type', '=', 'gp_registration')
    .orderBy('id')
    .execute()
  assert.deepEqual(
    events.map((e) => e.action),
    ['view', 'create', 'update', 'view'],
  )
  assert.ok(events.every((e) => e.person_id === person.id))
  assert.deepEqual(
    events.map((e) => (e.details as { status?: string }).status ?? null),
    [null, 'in-progress', 'registered', null],
  )
})

test('PUT without If-Match (or with *) is 428; with a stale ETag is 412 and records nothing', async (t) => {
  const { db, call, url } = await setup(t)
  const body = { status: 'not-registered', statusDate: '2026-11-19' }
  const { etag } = json<GpRegistration>(await call('GET', url))
  assert.equal((await call('PUT', url, body)).statusCode, 428)
  assert.equal((await call('PUT', url, body, { 'if-match': '*' })).statusCode, 428)
  assert.equal((await call('PUT', url, body, { 'if-match': etag })).statusCode, 200)
  const stale = await call('PUT', url, { ...body, status: 'in-progress' }, { 'if-match': etag })
  assert.equal(stale.statusCode, 412)
  assert.equal(stale.headers['content-type'], 'application/problem+json; charset=utf-8')
  const rows = await db.selectFrom('gp_registration').select('status').execute()
  assert.deepEqual(rows, [{ status: 'not-registered' }])
})

test('the rules on practices and reasons are 400 problem+json naming each field', async (t) => {
  const { practice, call, url } = await setup(t)
  const { etag } = json<GpRegistration>(await call('GET', url))
  const put = (body: Record<string, unknown>) =>
    call('PUT', url, { statusDate: '2026-11-19', ...body }, { 'if-match': etag })
  const fields = async (body: Record<string, unknown>) => {
    const response = await put(body)
    assert.equal(response.statusCode, 400, response.body)
    return json<Problem>(response).errors?.map((e) => e.field)
  }
  assert.deepEqual(await fields({ status: 'registered' }), ['serviceId'])
  assert.deepEqual(await fields({ status: 'registered', practiceName: 'Hillside' }), ['practiceOdsCode'])
  assert.deepEqual(await fields({ status: 'refused', practiceName: 'Hillside' }), ['reason'])
  assert.deepEqual(await fields({ status: 'refused', reason: 'No fixed abode' }), ['serviceId'])
  assert.deepEqual(await fields({ status: 'not-registered', serviceId: practice.id }), ['serviceId'])
  assert.deepEqual(await fields({ status: 'registered', serviceId: practice.id, practiceName: 'Hillside' }), [
    'practiceName',
  ])
  // A status outside the vocabulary is refused by the schema, naming the field and the codes to send.
  const lost = await put({ status: 'lost', statusDate: '2026-02-30' })
  assert.equal(lost.statusCode, 400)
  assert.deepEqual(
    json<Problem>(lost).errors?.map((e) => e.field),
    ['status'],
  )
  assert.equal(
    json<Problem>(lost).errors?.[0]?.message,
    'status must be one of: "registered", "not-registered", "in-progress", "refused", "deregistered"',
  )
  assert.deepEqual(await fields({ status: 'not-registered', statusDate: '2026-02-30' }), ['statusDate'])
  assert.deepEqual(await fields({ status: 'not-registered', statusDate: '2026-11-21' }), ['statusDate'])
  assert.deepEqual(await fields({ status: 'registered', practiceName: 'Hillside', practiceOdsCode: 'A1' }), [
    'practiceOdsCode',
  ])
  const extra = await put({ status: 'not-registered', colour: 'blue' })
  assert.equal(extra.statusCode, 400)
  const unknown = await put({ status: 'registered', serviceId: '00000000-0000-4000-8000-000000000000' })
  assert.equal(unknown.statusCode, 422)
  assert.deepEqual(
    json<Problem>(unknown).errors?.map((e) => e.field),
    ['serviceId'],
  )
})

test('a person with no fixed abode is recorded as registered with a practice not in the directory', async (t) => {
  const { call, url } = await setup(t)
  const { etag } = json<GpRegistration>(await call('GET', url))
  const response = await call(
    'PUT',
    url,
    { status: 'registered', statusDate: '2026-11-19', practiceName: 'Hillside Practice', practiceOdsCode: 'z90002' },
    { 'if-match': etag },
  )
  assert.equal(response.statusCode, 200, response.body)
  assert.deepEqual(json<GpRegistration>(response).current?.practice, {
    serviceId: null,
    name: 'Hillside Practice',
    odsCode: 'Z90002',
  })
})

test('a probation practitioner may GET but not PUT (403)', async (t) => {
  const { call, url } = await setup(t, 'probation_practitioner')
  const get = await call('GET', url)
  assert.equal(get.statusCode, 200)
  const put = await call(
    'PUT',
    url,
    { status: 'not-registered', statusDate: '2026-11-19' },
    { 'if-match': json<GpRegistration>(get).etag },
  )
  assert.equal(put.statusCode, 403)
})

test('a hub manager may PUT', async (t) => {
  const { call, url } = await setup(t, 'hub_manager')
  const { etag } = json<GpRegistration>(await call('GET', url))
  const put = await call('PUT', url, { status: 'not-registered', statusDate: '2026-11-19' }, { 'if-match': etag })
  assert.equal(put.statusCode, 200)
})

for (const role of ['analyst', 'admin', 'auditor', 'partner'] as const) {
  test(`the ${role} role is refused the GP registration API (403)`, async (t) => {
    const { call, url } = await setup(t, role)
    assert.equal((await call('GET', url)).statusCode, 403)
    const put = await call('PUT', url, { status: 'not-registered', statusDate: '2026-11-19' }, { 'if-match': 'W/"0"' })
    assert.equal(put.statusCode, 403)
  })
}

test('another site’s person is 403; an unknown person is 404', async (t) => {
  const { db, call } = await setup(t)
  const elsewhere = await givenPerson(db, await givenSite(db))
  const url = `/api/v1/people/${elsewhere.id}/gp-registration`
  assert.equal((await call('GET', url)).statusCode, 403)
  const put = await call('PUT', url, { status: 'not-registered', statusDate: '2026-11-19' }, { 'if-match': 'W/"0"' })
  assert.equal(put.statusCode, 403)
  assert.equal(
    (await call('GET', '/api/v1/people/00000000-0000-4000-8000-000000000000/gp-registration')).statusCode,
    404,
  )
  assert.equal(await db.selectFrom('gp_registration').select('id').executeTakeFirst(), undefined)
})
