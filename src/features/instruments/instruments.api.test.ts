import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { buildTestApp, json } from '../../../test/support/test-app.ts'
import { givenApiToken, givenSite, givenStaff } from '../../../test/support/builders.ts'
import type { StaffRole } from '../../platform/http/roles.ts'

interface Problem {
  status: number
  title: string
  detail: string
  code?: string
  errors?: { field: string; message: string }[]
}

interface ScoreBody {
  score: number | null
  partialScore: number | null
  band: { code: string; label: string } | null
  complete: boolean
  missingItems: string[]
  preferNotToSay: string[]
  flags: { code: string; itemCode: string; message: string }[]
  positive: boolean | null
  offerFull?: string
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'
type Call = (method: Method, url: string, body?: unknown) => Promise<LightMyRequestResponse>

function caller(app: FastifyInstance, token: string | undefined): Call {
  return (method, url, body) =>
    app.inject({
      method,
      url,
      headers: {
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    })
}

async function setup(t: TestContext) {
  const { app, database } = await buildTestApp(t)
  const site = await givenSite(database.db)
  const as = async (role: StaffRole) => {
    const user = await givenStaff(database.db, role, role === 'admin' || role === 'partner' ? {} : { sites: [site] })
    const { token } = await givenApiToken(database.db, user)
    return Object.assign(caller(app, token), { userId: user.id })
  }
  return { app, db: database.db, as, anonymous: caller(app, undefined) }
}

const phq9Answers = (item9: string) => ({
  answers: {
    'phq9-1': 'nearly-every-day',
    'phq9-2': 'nearly-every-day',
    'phq9-3': 'more-than-half-the-days',
    'phq9-4': 'several-days',
    'phq9-5': 'not-at-all',
    'phq9-6': 'not-at-all',
    'phq9-7': 'not-at-all',
    'phq9-8': 'not-at-all',
    'phq9-9': item9,
  },
})

test('a clinician lists the instruments with version, licence and whether each is enabled', async (t) => {
  const { as } = await setup(t)
  const clinician = await as('clinician')
  const response = await clinician('GET', '/api/v1/instruments')
  assert.equal(response.statusCode, 200)
  const body = json<{
    instruments: { code: string; version: string; enabled: boolean; licence: { category: string } }[]
  }>(response)
  assert.equal(body.instruments.length, 11)
  const byCode = new Map(body.instruments.map((i) => [i.code, i]))
  assert.equal(byCode.get('phq-9')?.enabled, true)
  assert.equal(byCode.get('phq-9')?.version, '1.1.0')
  assert.equal(byCode.get('dast-10')?.enabled, false)
  assert.equal(byCode.get('asrs-a')?.licence.category, 'permission-required')
})

test('a clinician reads a full definition with items and options in the published order', async (t) => {
  const { as } = await setup(t)
  const clinician = await as('hub_manager')
  const response = await clinician('GET', '/api/v1/instruments/phq-9')
  assert.equal(response.statusCode, 200)
  const body = json<{
    enabled: boolean
    definition: { items: { code: string; options: { code: string; score: number | null }[] }[]; bands: unknown[] }
  }>(response)
  assert.equal(body.enabled, true)
  assert.equal(body.definition.items[0]!.code, 'phq9-1')
  assert.deepEqual(
    body.definition.items[0]!.options.map((o) => o.code),
    ['not-at-all', 'several-days', 'more-than-half-the-days', 'nearly-every-day', 'prefer-not-to-say'],
  )
  assert.equal(body.definition.bands.length, 5)

  const dast = json<{
    definition: { scoring: { method: string; countWhen?: { items: string[]; options: string[] }[] } }
  }>(await clinician('GET', '/api/v1/instruments/dast-10'))
  assert.equal(dast.definition.scoring.method, 'count')
  assert.deepEqual(dast.definition.scoring.countWhen?.[1], { items: ['dast10-3'], options: ['no'] })
})

test('scoring a complete PHQ-9 returns score, band and the item 9 flag, and stores nothing', async (t) => {
  const { as, db } = await setup(t)
  const clinician = await as('clinician')
  const before = await db
    .selectFrom('audit_event')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow()
  const response = await clinician('POST', '/api/v1/instruments/phq-9/score', phq9Answers('several-days'))
  assert.equal(response.statusCode, 200)
  const body = json<ScoreBody>(response)
  assert.equal(body.complete, true)
  assert.equal(body.score, 10)
  assert.deepEqual(body.band, { code: 'moderate', label: 'Moderate' })
  assert.equal(body.positive, true)
  assert.deepEqual(
    body.flags.map((f) => f.itemCode),
    ['phq9-9'],
  )
  const after = await db
    .selectFrom('audit_event')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow()
  assert.equal(Number(after.n), Number(before.n))
})

test('scoring with a declined item is incomplete: score and band null, the item named', async (t) => {
  const { as } = await setup(t)
  const clinician = await as('clinician')
  const response = await clinician('POST', '/api/v1/instruments/phq-9/score', phq9Answers('prefer-not-to-say'))
  assert.equal(response.statusCode, 200)
  const body = json<ScoreBody>(response)
  assert.deepEqual([body.complete, body.score, body.band, body.partialScore], [false, null, null, 9])
  assert.deepEqual(body.missingItems, ['phq9-9'])
  assert.deepEqual(body.preferNotToSay, ['phq9-9'])
})

test('a positive PHQ-2 offers the PHQ-9', async (t) => {
  const { as } = await setup(t)
  const clinician = await as('clinician')
  const response = await clinician('POST', '/api/v1/instruments/phq-2/score', {
    answers: { 'phq2-1': 'more-than-half-the-days', 'phq2-2': 'several-days' },
  })
  const body = json<ScoreBody>(response)
  assert.deepEqual([body.score, body.positive, body.offerFull], [3, true, 'phq-9'])
})

test('unknown item and option codes are a 400 naming each under answers', async (t) => {
  const { as } = await setup(t)
  const clinician = await as('clinician')
  const response = await clinician('POST', '/api/v1/instruments/phq-9/score', {
    answers: { 'phq9-10': 'not-at-all', 'phq9-1': 'sometimes' },
  })
  assert.equal(response.statusCode, 400)
  assert.match(response.headers['content-type'] ?? '', /application\/problem\+json/)
  const problem = json<Problem>(response)
  assert.deepEqual(
    problem.errors?.map((e) => e.field),
    ['answers.phq9-10', 'answers.phq9-1'],
  )
})

test('a body without answers, or with a non-text answer, is a 400', async (t) => {
  const { as } = await setup(t)
  const clinician = await as('clinician')
  const missing = await clinician('POST', '/api/v1/instruments/phq-9/score', {})
  assert.equal(missing.statusCode, 400)
  assert.deepEqual(
    json<Problem>(missing).errors?.map((e) => e.field),
    ['answers'],
  )
  const wrongType = await clinician('POST', '/api/v1/instruments/phq-9/score', { answers: { 'phq9-1': 3 } })
  assert.equal(wrongType.statusCode, 400)
})

test('an unknown instrument is a 404', async (t) => {
  const { as } = await setup(t)
  const clinician = await as('clinician')
  assert.equal((await clinician('GET', '/api/v1/instruments/phq-10')).statusCode, 404)
  const scored = await clinician('POST', '/api/v1/instruments/phq-10/score', { answers: {} })
  assert.equal(scored.statusCode, 404)
  assert.match(String(scored.headers['content-type']), /problem\+json/)
})

test('an instrument needing permission is refused (409) until an administrator records it, and again once revoked', async (t) => {
  const { as, db } = await setup(t)
  const clinician = await as('clinician')
  const admin = await as('admin')
  const answers = { answers: { 'asrs-1': 'often' } }

  const refused = await clinician('POST', '/api/v1/instruments/asrs-a/score', answers)
  assert.equal(refused.statusCode, 409)
  assert.equal(json<Problem>(refused).code, 'instrument-permission-required')
  assert.match(json<Problem>(refused).detail, /administrator records permission/)

  const granted = await admin('PUT', '/api/v1/instruments/asrs-a/permission', {
    reference: 'Harvard letter 2026-11-01',
  })
  assert.equal(granted.statusCode, 200)
  const grant = json<{ enabled: boolean; permission: { reference: string; grantedBy: string } }>(granted)
  assert.deepEqual(
    [grant.enabled, grant.permission.reference, grant.permission.grantedBy],
    [true, 'Harvard letter 2026-11-01', admin.userId],
  )

  const allowed = await clinician('POST', '/api/v1/instruments/asrs-a/score', answers)
  assert.equal(allowed.statusCode, 200)
  assert.equal(json<ScoreBody>(allowed).complete, false)
  const listed = json<{ instruments: { code: string; enabled: boolean; permission: { reference: string } | null }[] }>(
    await admin('GET', '/api/v1/instruments'),
  ).instruments.find((i) => i.code === 'asrs-a')
  assert.deepEqual([listed?.enabled, listed?.permission?.reference], [true, 'Harvard letter 2026-11-01'])

  const revoked = await admin('DELETE', '/api/v1/instruments/asrs-a/permission')
  assert.equal(revoked.statusCode, 204)
  assert.equal((await clinician('POST', '/api/v1/instruments/asrs-a/score', answers)).statusCode, 409)
  assert.equal((await admin('DELETE', '/api/v1/instruments/asrs-a/permission')).statusCode, 404)

  const events = await db
    .selectFrom('audit_event')
    .select(['action', 'entity_type', 'entity_id', 'actor_id', 'details'])
    .where('entity_type', '=', 'instrument_permission')
    .orderBy('id')
    .execute()
  assert.deepEqual(
    events.map((e) => [e.action, e.entity_id, e.actor_id, e.details['change']]),
    [
      ['update', 'asrs-a', admin.userId, 'granted'],
      ['update', 'asrs-a', admin.userId, 'revoked'],
    ],
  )
  const rows = await db.selectFrom('instrument_permission').selectAll().execute()
  assert.equal(rows.length, 1)
  assert.notEqual(rows[0]?.revoked_at, null)
})

test('recording permission again replaces the one in force and keeps the history', async (t) => {
  const { as, db } = await setup(t)
  const admin = await as('admin')
  assert.equal((await admin('PUT', '/api/v1/instruments/dast-10/permission', { reference: 'first' })).statusCode, 200)
  assert.equal((await admin('PUT', '/api/v1/instruments/dast-10/permission', { reference: 'second' })).statusCode, 200)
  const rows = await db
    .selectFrom('instrument_permission')
    .select(['reference', 'revoked_at'])
    .orderBy('reference')
    .execute()
  assert.deepEqual(
    rows.map((r) => [r.reference, r.revoked_at === null]),
    [
      ['first', false],
      ['second', true],
    ],
  )
})

test('permission for a freely licensed instrument is refused (409); a blank reference is a 400', async (t) => {
  const { as } = await setup(t)
  const admin = await as('admin')
  const free = await admin('PUT', '/api/v1/instruments/phq-9/permission', { reference: 'not needed' })
  assert.equal(free.statusCode, 409)
  const blank = await admin('PUT', '/api/v1/instruments/dast-10/permission', { reference: '' })
  assert.equal(blank.statusCode, 400)
  assert.deepEqual(
    json<Problem>(blank).errors?.map((e) => e.field),
    ['reference'],
  )
  const spaces = await admin('PUT', '/api/v1/instruments/dast-10/permission', { reference: '   ' })
  assert.equal(spaces.statusCode, 400)
  assert.equal((await admin('PUT', '/api/v1/instruments/nope/permission', { reference: 'x' })).statusCode, 404)
})

for (const role of ['probation_practitioner', 'analyst', 'partner', 'auditor', 'admin'] as const) {
  test(`role ${role} may not score answers or read a definition (403)`, async (t) => {
    const { as } = await setup(t)
    const user = await as(role)
    const scored = await user('POST', '/api/v1/instruments/phq-9/score', phq9Answers('not-at-all'))
    assert.equal(scored.statusCode, 403)
    assert.equal((await user('GET', '/api/v1/instruments/phq-9')).statusCode, 403)
  })
}

for (const role of ['probation_practitioner', 'analyst', 'partner', 'auditor'] as const) {
  test(`role ${role} may not list the instruments (403)`, async (t) => {
    const { as } = await setup(t)
    const user = await as(role)
    assert.equal((await user('GET', '/api/v1/instruments')).statusCode, 403)
  })
}

for (const role of ['clinician', 'hub_manager', 'probation_practitioner', 'analyst'] as const) {
  test(`role ${role} may not record or revoke a licence permission (403)`, async (t) => {
    const { as, db } = await setup(t)
    const user = await as(role)
    const put = await user('PUT', '/api/v1/instruments/dast-10/permission', { reference: 'mine' })
    assert.equal(put.statusCode, 403)
    assert.equal((await user('DELETE', '/api/v1/instruments/dast-10/permission')).statusCode, 403)
    assert.equal((await db.selectFrom('instrument_permission').selectAll().execute()).length, 0)
  })
}

test('without a token every instrument route is a 401', async (t) => {
  const { anonymous } = await setup(t)
  assert.equal((await anonymous('GET', '/api/v1/instruments')).statusCode, 401)
  assert.equal((await anonymous('GET', '/api/v1/instruments/phq-9')).statusCode, 401)
  assert.equal((await anonymous('POST', '/api/v1/instruments/phq-9/score', phq9Answers('not-at-all'))).statusCode, 401)
  assert.equal((await anonymous('PUT', '/api/v1/instruments/dast-10/permission', { reference: 'x' })).statusCode, 401)
  assert.equal((await anonymous('DELETE', '/api/v1/instruments/dast-10/permission')).statusCode, 401)
})

test('the OpenAPI document describes the instrument routes', async (t) => {
  const { as } = await setup(t)
  const clinician = await as('clinician')
  const doc = json<{ paths: Record<string, Record<string, unknown>> }>(await clinician('GET', '/api/docs'))
  const score = doc.paths['/api/v1/instruments/{code}/score']
  const permission = doc.paths['/api/v1/instruments/{code}/permission']
  assert.ok(score?.['post'] !== undefined)
  assert.ok(permission?.['put'] !== undefined && permission['delete'] !== undefined)
})
