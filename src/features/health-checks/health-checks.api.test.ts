import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { buildTestApp, json } from '../../../test/support/test-app.ts'
import { givenApiToken, givenAppointment, givenPerson, givenSite, givenStaff } from '../../../test/support/builders.ts'
import { loadInstrumentLibrary } from '../instruments/index.ts'
import { score } from '../instruments/index.ts'
import type { CheckResource } from './health-checks.schemas.ts'
import type { StaffRole } from '../../platform/http/roles.ts'

interface Problem {
  status: number
  errors?: { field: string; message: string }[]
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

async function setup(t: TestContext, role: StaffRole = 'clinician') {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db)
  const user = await givenStaff(db, role, { sites: [site] })
  const person = await givenPerson(db, site)
  const { token } = await givenApiToken(db, user)
  return { app, db, site, user, person, call: caller(app, token) }
}

const phq9Answers = {
  'phq9-1': 'nearly-every-day',
  'phq9-2': 'more-than-half-the-days',
  'phq9-3': 'several-days',
  'phq9-4': 'nearly-every-day',
  'phq9-5': 'not-at-all',
  'phq9-6': 'several-days',
  'phq9-7': 'more-than-half-the-days',
  'phq9-8': 'not-at-all',
  'phq9-9': 'several-days',
}

test('POST stores results equal to the scoring module’s, raises the flag and proposes needs', async (t) => {
  const { call, person, db, site, user } = await setup(t)
  const appointment = await givenAppointment(db, { person: { id: person.id, site_id: site.id }, clinician: user })
  const library = loadInstrumentLibrary()
  const auditC = { 'auditc-1': '4-or-more-times-a-week', 'auditc-2': '3-to-4', 'auditc-3': 'monthly' }
  const response = await call('POST', `/api/v1/people/${person.id}/health-checks`, {
    appointmentId: appointment.id,
    responses: { 'phq-9': phq9Answers, 'audit-c': auditC },
    observations: { systolic: 118, diastolic: 76, heightCm: 180, weightKg: 110.5, smokingStatus: 'current' },
    complete: true,
  })
  assert.equal(response.statusCode, 201, response.body)
  const body = json<CheckResource>(response)
  assert.equal(body.status, 'completed')
  assert.equal(body.appointmentId, appointment.id)
  for (const [code, answers] of [
    ['phq-9', phq9Answers],
    ['audit-c', auditC],
  ] as const) {
    const definition = library.find(code)
    assert.ok(definition)
    const expected = score(definition, answers)
    const got = body.results.find((r) => r.instrument === code)
    assert.ok(got, code)
    assert.equal(got.score, expected.score)
    assert.deepEqual(got.band, expected.band)
    assert.equal(got.positive, expected.positive)
    assert.equal(got.complete, expected.complete)
    assert.equal(got.version, definition.version)
  }
  assert.equal(body.observations?.bmi, 34.1)
  assert.deepEqual(
    body.flags.map((f) => [f.code, f.status]),
    [['phq9-item9', 'awaiting-response']],
  )
  assert.deepEqual(body.needs.map((n) => n.category).sort(), ['alcohol', 'mental-health', 'physical-health', 'smoking'])
  assert.ok(body.needs.every((n) => n.status === 'proposed'))
  assert.doesNotMatch(response.body, /risk ?level/i)

  const listed = await call('GET', `/api/v1/people/${person.id}/health-checks`)
  assert.equal(listed.statusCode, 200)
  const list = json<{ healthChecks: CheckResource[] }>(listed)
  assert.equal(list.healthChecks.length, 1)
  assert.deepEqual(list.healthChecks[0]?.results, body.results)

  const audits = await db.selectFrom('audit_event').select(['action', 'entity_type']).execute()
  assert.ok(audits.some((a) => a.action === 'create' && a.entity_type === 'health_check'))
  assert.ok(audits.some((a) => a.action === 'list' && a.entity_type === 'health_check'))
  assert.ok(audits.some((a) => a.action === 'create' && a.entity_type === 'warning_flag'))
})

test('unknown instrument, item and option codes are refused with 400 naming each, and nothing is stored', async (t) => {
  const { call, person, db } = await setup(t)
  const response = await call('POST', `/api/v1/people/${person.id}/health-checks`, {
    responses: {
      'phq-9': { 'phq9-10': 'not-at-all', 'phq9-1': 'sometimes' },
      'not-an-instrument': { x: 'y' },
    },
  })
  assert.equal(response.statusCode, 400)
  const fields = (json<Problem>(response).errors ?? []).map((e) => e.field).sort()
  assert.deepEqual(fields, ['responses.not-an-instrument', 'responses.phq-9.phq9-1', 'responses.phq-9.phq9-10'])
  assert.equal((await db.selectFrom('health_check').selectAll().execute()).length, 0)
})

test('a blood pressure of 190/125 raises a same-day warning flag and a need saying how high it was (H-326)', async (t) => {
  const { call, person, db, site } = await setup(t)
  const response = await call('POST', `/api/v1/people/${person.id}/health-checks`, {
    responses: {},
    observations: { systolic: 190, diastolic: 125 },
    complete: true,
  })
  assert.equal(response.statusCode, 201, response.body)
  const body = json<CheckResource>(response)
  assert.deepEqual(
    body.flags.map((f) => [f.instrument, f.itemCode, f.code, f.status, f.respondBy]),
    [['observations', 'blood-pressure', 'severe-hypertension', 'awaiting-response', '2026-11-21T00:00:00.000Z']],
  )
  assert.match(body.flags[0]?.message ?? '', /^Blood pressure 190\/125 mmHg is severely raised \(180\/120 or higher\)/)
  assert.deepEqual(
    body.needs.map((n) => [n.category, n.proposedBecause]),
    [
      [
        'physical-health',
        'Blood pressure 190/125 mmHg: severely raised (180/120 or higher), same-day clinician review',
      ],
    ],
  )
  assert.doesNotMatch(response.body, /risk ?(level|rating|score)/i)
  const flags = await call('GET', `/api/v1/people/${person.id}/warning-flags`)
  assert.equal(flags.statusCode, 200)
  assert.equal(
    json<{ warningFlags: { code: string; overdue: boolean }[] }>(flags).warningFlags[0]?.code,
    'severe-hypertension',
  )
  const audits = await db
    .selectFrom('audit_event')
    .select(['details'])
    .where('entity_type', '=', 'warning_flag')
    .where('action', '=', 'create')
    .execute()
  assert.equal(audits.length, 1)
  assert.deepEqual((audits[0]?.details as { sign?: string }).sign, 'severe-hypertension')

  // Another person (this one's physical-health need is already proposed, so it is not proposed again).
  const other = await givenPerson(db, site)
  const raised = await call('POST', `/api/v1/people/${other.id}/health-checks`, {
    responses: {},
    observations: { systolic: 179, diastolic: 119 },
    complete: true,
  })
  const raisedBody = json<CheckResource>(raised)
  assert.deepEqual(raisedBody.flags, [])
  assert.deepEqual(
    raisedBody.needs.map((n) => n.proposedBecause),
    ['Blood pressure 179/119 mmHg: raised (140/90 or higher)'],
  )
})

test('observation errors are all reported at once with every field named, and nothing is stored', async (t) => {
  const { call, person, db } = await setup(t)
  const response = await call('POST', `/api/v1/people/${person.id}/health-checks`, {
    responses: { 'phq-9': { 'phq9-1': 'sometimes' } },
    observations: { systolic: 70, diastolic: 80, heightCm: 20, weightKg: 1000 },
  })
  assert.equal(response.statusCode, 400)
  assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8')
  assert.deepEqual(
    (json<Problem>(response).errors ?? []).map((e) => `${e.field}: ${e.message}`),
    [
      'responses.phq-9.phq9-1: sometimes is not an answer option for phq9-1; choose one of not-at-all, several-days, more-than-half-the-days, nearly-every-day, prefer-not-to-say',
      'observations.systolic: The systolic blood pressure must be higher than the diastolic',
      'observations.heightCm: The height must be between 50 and 250 cm',
      'observations.weightKg: The weight must be between 20 and 400 kg',
    ],
  )
  assert.equal((await db.selectFrom('health_check').selectAll().execute()).length, 0)
})

test('a disabled instrument is refused with 409', async (t) => {
  const { call, person } = await setup(t)
  const response = await call('POST', `/api/v1/people/${person.id}/health-checks`, {
    responses: { 'dast-10': { 'dast10-1': 'yes' } },
  })
  assert.equal(response.statusCode, 409)
})

test('a retry with the same Idempotency-Key starts no second check', async (t) => {
  const { call, person, db } = await setup(t)
  const body = { responses: { 'phq-2': { 'phq2-1': 'not-at-all', 'phq2-2': 'not-at-all' } } }
  const headers = { 'idempotency-key': 'abc-123' }
  const first = await call('POST', `/api/v1/people/${person.id}/health-checks`, body, headers)
  const second = await call('POST', `/api/v1/people/${person.id}/health-checks`, body, headers)
  assert.equal(first.statusCode, 201)
  assert.equal(second.statusCode, 201)
  assert.equal(json<CheckResource>(first).id, json<CheckResource>(second).id)
  assert.equal((await db.selectFrom('health_check').selectAll().execute()).length, 1)
})

test('an appointment of another person is refused', async (t) => {
  const { call, person, db, site, user } = await setup(t)
  const other = await givenPerson(db, site)
  const appointment = await givenAppointment(db, { person: { id: other.id, site_id: site.id }, clinician: user })
  const response = await call('POST', `/api/v1/people/${person.id}/health-checks`, {
    appointmentId: appointment.id,
    responses: {},
  })
  assert.equal(response.statusCode, 422)
  assert.deepEqual(
    (json<Problem>(response).errors ?? []).map((e) => e.field),
    ['appointmentId'],
  )
})

test('probation practitioners and analysts get 403; another site’s clinician gets 403', async (t) => {
  const { app, db, site, person, call } = await setup(t)
  const created = await call('POST', `/api/v1/people/${person.id}/health-checks`, {
    responses: { 'phq-2': { 'phq2-1': 'not-at-all', 'phq2-2': 'not-at-all' } },
  })
  assert.equal(created.statusCode, 201)
  for (const role of ['probation_practitioner', 'analyst', 'admin'] as const) {
    const other = await givenStaff(db, role, { sites: [site] })
    const { token } = await givenApiToken(db, other)
    const as = caller(app, token)
    assert.equal((await as('GET', `/api/v1/people/${person.id}/health-checks`)).statusCode, 403, role)
    assert.equal(
      (await as('POST', `/api/v1/people/${person.id}/health-checks`, { responses: {} })).statusCode,
      403,
      role,
    )
  }
  const elsewhere = await givenSite(db)
  const stranger = await givenStaff(db, 'clinician', { sites: [elsewhere] })
  const { token } = await givenApiToken(db, stranger)
  assert.equal((await caller(app, token)('GET', `/api/v1/people/${person.id}/health-checks`)).statusCode, 403)
})
