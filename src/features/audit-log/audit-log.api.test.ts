import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { buildTestApp, json } from '../../../test/support/test-app.ts'
import { givenApiToken, givenSite, givenStaff } from '../../../test/support/builders.ts'
import { createAuditService } from '../../platform/audit/audit.service.ts'

interface EventsBody {
  events: {
    id: number
    occurredAt: string
    actorId: string | null
    actorName: string | null
    action: string
    personId: string | null
    requestId: string | null
    details: Record<string, unknown>
  }[]
  nextBefore: number | null
}
interface Problem {
  status: number
  errors?: { field: string; message: string }[]
}

async function setUp(t: Parameters<typeof buildTestApp>[0]) {
  const testApp = await buildTestApp(t)
  const auditor = await givenStaff(testApp.database.db, 'auditor', { name: 'Aud Itor' })
  const { token } = await givenApiToken(testApp.database.db, auditor, { clock: testApp.clock })
  const audit = createAuditService({ db: testApp.database.db, clock: testApp.clock })
  const get = (url: string, bearer = token) =>
    testApp.app.inject({ url, headers: { authorization: `Bearer ${bearer}` } })
  return { ...testApp, auditor, token, audit, get }
}

test('returns events newest first with camelCase fields to an auditor token, and records the read', async (t) => {
  const { audit, get, auditor, database } = await setUp(t)
  const personId = randomUUID()
  await audit.recordAlone(
    { principal: undefined, requestId: 'r1' },
    { action: 'view', entityType: 'person', personId, details: { fields: ['crn'] } },
  )
  const response = await get('/api/v1/audit')
  assert.equal(response.statusCode, 200)
  const body = json<EventsBody>(response)
  assert.deepEqual(
    body.events.map((e) => e.action),
    ['view', 'token-create'],
  )
  const first = body.events[0]
  assert.equal(first?.personId, personId)
  assert.equal(first.requestId, 'r1')
  assert.equal(first.occurredAt, '2026-11-20T10:00:00.000Z')
  assert.deepEqual(first.details, { fields: ['crn'] })
  assert.equal(body.nextBefore, null)

  await get(`/api/v1/audit?personId=${personId}&action=view`)
  const reads = await database.db
    .selectFrom('audit_event')
    .select(['actor_id', 'details'])
    .where('entity_type', '=', 'audit_log')
    .orderBy('id')
    .execute()
  assert.deepEqual(reads, [
    { actor_id: auditor.id, details: { filters: [] } },
    { actor_id: auditor.id, details: { filters: ['personId', 'action'] } },
  ])
})

test('filters by person, actor, action and dates, and pages with nextBefore', async (t) => {
  const { audit, get, clock, database } = await setUp(t)
  const nurse = await givenStaff(database.db, 'clinician', { name: 'Nina Nurse' })
  const principal = {
    userId: nurse.id,
    email: nurse.email,
    displayName: 'Nina Nurse',
    role: nurse.role,
    siteIds: [],
    organisationId: null,
    via: 'session' as const,
  }
  const personId = randomUUID()
  clock.set('2026-03-10T12:00:00Z')
  await audit.recordAlone({ principal, requestId: 'march' }, { action: 'update', entityType: 'person', personId })
  clock.set('2026-04-10T12:00:00Z')
  await audit.recordAlone(
    { principal: undefined, requestId: 'april' },
    { action: 'view', entityType: 'person', personId },
  )
  for (let i = 0; i < 3; i++)
    await audit.recordAlone({ principal: undefined, requestId: `p${i}` }, { action: 'list', entityType: 'person' })

  const requestIds = async (query: string) => {
    const response = await get(`/api/v1/audit?${query}`)
    assert.equal(response.statusCode, 200, query)
    return json<EventsBody>(response).events.map((e) => e.requestId)
  }
  assert.deepEqual(await requestIds(`personId=${personId}`), ['april', 'march'])
  assert.deepEqual(await requestIds(`actorId=${nurse.id}`), ['march'])
  assert.deepEqual(await requestIds('action=update'), ['march'])
  assert.deepEqual(await requestIds('from=2026-03-01&to=2026-03-31'), ['march'])

  const first = json<EventsBody>(await get('/api/v1/audit?action=list&limit=2'))
  assert.deepEqual(
    first.events.map((e) => e.requestId),
    ['p2', 'p1'],
  )
  assert.equal(first.nextBefore, first.events[1]?.id)
  const second = json<EventsBody>(await get(`/api/v1/audit?action=list&limit=2&before=${String(first.nextBefore)}`))
  assert.deepEqual(
    second.events.map((e) => e.requestId),
    ['p0'],
  )
  assert.equal(second.nextBefore, null)
  const march = json<EventsBody>(await get(`/api/v1/audit?actorId=${nurse.id}`)).events[0]
  assert.equal(march?.actorName, 'Nina Nurse')
})

test('answers an invalid id or date with a 400 problem naming the field', async (t) => {
  const { get } = await setUp(t)
  for (const [query, field] of [
    ['personId=123', 'querystring.personId'],
    ['actorId=nope', 'querystring.actorId'],
    ['from=2026-02-30', 'querystring.from'],
    ['to=yesterday', 'querystring.to'],
    ['action=delete', 'querystring.action'],
    ['limit=0', 'querystring.limit'],
  ] as const) {
    const response = await get(`/api/v1/audit?${query}`)
    assert.equal(response.statusCode, 400, query)
    assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8')
    const problem = json<Problem>(response)
    assert.ok(
      problem.errors?.some((e) => e.field === field),
      `${query}: ${JSON.stringify(problem.errors)}`,
    )
  }
})

test('refuses tokens of other roles with 403 and a revoked or unknown token with 401', async (t) => {
  const { app, database, get, token } = await setUp(t)
  const site = await givenSite(database.db)
  for (const role of ['clinician', 'admin', 'analyst'] as const) {
    const user = await givenStaff(database.db, role, { sites: [site] })
    const other = await givenApiToken(database.db, user)
    const response = await get('/api/v1/audit', other.token)
    assert.equal(response.statusCode, 403, role)
    assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8')
  }
  await database.db.updateTable('api_token').set({ revoked_at: new Date() }).execute()
  assert.equal((await get('/api/v1/audit', token)).statusCode, 401)
  assert.equal((await app.inject({ url: '/api/v1/audit' })).statusCode, 401)
})

test('documents the audit API in OpenAPI', async (t) => {
  const { app } = await setUp(t)
  const spec = json<{ paths: Record<string, { get?: { parameters?: { name: string }[] } }> }>(
    await app.inject({ url: '/api/docs' }),
  )
  const parameters = spec.paths['/api/v1/audit']?.get?.parameters?.map((p) => p.name).sort()
  assert.deepEqual(parameters, ['action', 'actorId', 'before', 'from', 'limit', 'personId', 'to'])
})
