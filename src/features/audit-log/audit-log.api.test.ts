import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { buildTestApp, json } from '../../../test/support/test-app.ts'
import {
  givenApiToken,
  givenHealthCheck,
  givenNeed,
  givenPerson,
  givenSite,
  givenStaff,
} from '../../../test/support/builders.ts'
import { createAuditService } from '../../platform/audit/audit.service.ts'

interface EventsBody {
  events: {
    id: number
    occurredAt: string
    actorId: string | null
    actorName: string | null
    staffName: string | null
    action: string
    personId: string | null
    personName: string | null
    crn: string | null
    requestId: string | null
    details: Record<string, unknown>
  }[]
  nextBefore: number | null
  people?: { id: string; givenName: string; familyName: string; crn: string; dateOfBirth: string; siteName: string }[]
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
  assert.deepEqual(parameters, [
    'action',
    'actorId',
    'before',
    'crn',
    'dateOfBirth',
    'familyName',
    'from',
    'limit',
    'nhsNumber',
    'personId',
    'to',
  ])
})

// ---------------------------------------------------------------------------------------------------------------
// Finding a person (issue 9, item 11)
// ---------------------------------------------------------------------------------------------------------------

async function withPeople(t: Parameters<typeof buildTestApp>[0]) {
  const testApp = await setUp(t)
  const { database, audit } = testApp
  const north = await givenSite(database.db, { name: 'North hub' })
  const south = await givenSite(database.db, { name: 'South hub' })
  const nurse = await givenStaff(database.db, 'clinician', { sites: [north, south], name: 'Nina Nurse' })
  const principal = {
    userId: nurse.id,
    email: nurse.email,
    displayName: 'Nina Nurse',
    role: nurse.role,
    siteIds: [north.id, south.id],
    organisationId: null,
    via: 'session' as const,
  }
  const jo = await givenPerson(database.db, north, {
    crn: 'X123456',
    nhs_number: '9434765919',
    given_name: 'Jo',
    family_name: 'Smith',
    date_of_birth: '1990-04-23',
  })
  const sam = await givenPerson(database.db, south, {
    given_name: 'Sam',
    family_name: 'Smith',
    date_of_birth: '1990-04-23',
  })
  const other = await givenPerson(database.db, north, { given_name: 'Ali', family_name: 'Other' })
  for (const [requestId, person] of [
    ['about-jo', jo],
    ['about-sam', sam],
    ['about-other', other],
  ] as const) {
    await audit.recordAlone(
      { principal, requestId },
      { action: 'view', entityType: 'person', personId: person.id, siteId: person.site_id },
    )
  }
  const searches = () =>
    database.db
      .selectFrom('audit_event')
      .select(['actor_id', 'person_id', 'details'])
      .where('entity_type', '=', 'person')
      .where('action', '=', 'list')
      .orderBy('id')
      .execute()
  return { ...testApp, nurse, jo, sam, other, north, south, searches }
}

test('finds a person by CRN, NHS number, or family name and date of birth, with names and CRNs on rows', async (t) => {
  const { get, jo, sam, searches, auditor } = await withPeople(t)

  const byCrn = await get('/api/v1/audit?crn=x123456')
  assert.equal(byCrn.statusCode, 200)
  const crnBody = json<EventsBody>(byCrn)
  assert.deepEqual(
    crnBody.events.map((e) => [e.requestId, e.personName, e.crn, e.staffName, e.actorName]),
    [['about-jo', 'Jo Smith', 'X123456', 'Nina Nurse', 'Nina Nurse']],
  )
  assert.deepEqual(crnBody.people, [
    {
      id: jo.id,
      givenName: 'Jo',
      familyName: 'Smith',
      crn: 'X123456',
      dateOfBirth: '1990-04-23',
      siteName: 'North hub',
    },
  ])

  const byNhs = json<EventsBody>(await get('/api/v1/audit?nhsNumber=943%20476%205919'))
  assert.deepEqual(
    byNhs.events.map((e) => e.requestId),
    ['about-jo'],
  )

  const byName = json<EventsBody>(await get('/api/v1/audit?familyName=SMITH&dateOfBirth=1990-04-23'))
  assert.deepEqual(
    byName.events.map((e) => [e.requestId, e.personName, e.crn]),
    [
      ['about-sam', 'Sam Smith', sam.crn],
      ['about-jo', 'Jo Smith', 'X123456'],
    ],
  )
  assert.deepEqual(
    byName.people?.map((p) => [p.givenName, p.siteName]),
    [
      ['Jo', 'North hub'],
      ['Sam', 'South hub'],
    ],
  )

  const nobody = json<EventsBody>(await get('/api/v1/audit?crn=Z999999'))
  assert.deepEqual(nobody.events, [])
  assert.deepEqual(nobody.people, [])

  // Every search is audited: its kind, the CRN when by CRN, and whom it found; never an NHS number, name or date.
  const recorded = await searches()
  assert.deepEqual(
    recorded.map((e) => [e.actor_id, e.person_id, e.details]),
    [
      [
        auditor.id,
        null,
        { channel: 'api', purpose: 'audit-search', search: 'crn', crn: 'X123456', resultCount: 1, personIds: [jo.id] },
      ],
      [
        auditor.id,
        null,
        { channel: 'api', purpose: 'audit-search', search: 'nhsNumber', resultCount: 1, personIds: [jo.id] },
      ],
      [
        auditor.id,
        null,
        {
          channel: 'api',
          purpose: 'audit-search',
          search: 'nameAndDateOfBirth',
          resultCount: 2,
          personIds: [jo.id, sam.id],
        },
      ],
      [
        auditor.id,
        null,
        { channel: 'api', purpose: 'audit-search', search: 'crn', crn: 'Z999999', resultCount: 0, personIds: [] },
      ],
    ],
  )
  assert.doesNotMatch(JSON.stringify(recorded), /9434765919|smith|1990/i)
})

test('keeps the person search within the other filters and pages', async (t) => {
  const { get, audit, jo, nurse } = await withPeople(t)
  for (let i = 0; i < 3; i++) {
    await audit.recordAlone(
      {
        principal: {
          userId: nurse.id,
          email: nurse.email,
          displayName: 'Nina Nurse',
          role: nurse.role,
          siteIds: [],
          organisationId: null,
          via: 'session',
        },
        requestId: `update-${String(i)}`,
      },
      { action: 'update', entityType: 'person', personId: jo.id },
    )
  }
  const first = json<EventsBody>(await get('/api/v1/audit?crn=X123456&action=update&limit=2'))
  assert.deepEqual(
    first.events.map((e) => e.requestId),
    ['update-2', 'update-1'],
  )
  const second = json<EventsBody>(
    await get(`/api/v1/audit?crn=X123456&action=update&limit=2&before=${String(first.nextBefore)}`),
  )
  assert.deepEqual(
    second.events.map((e) => e.requestId),
    ['update-0'],
  )
})

test('answers a bad person search with a 400 problem naming the field, and records no search', async (t) => {
  const { get, searches, jo } = await withPeople(t)
  for (const [query, field] of [
    ['crn=123456', 'querystring.crn'],
    ['crn=X1234567', 'querystring.crn'],
    ['nhsNumber=9434765918', 'querystring.nhsNumber'],
    ['nhsNumber=abcdefghij', 'querystring.nhsNumber'],
    ['nhsNumber=123', 'querystring.nhsNumber'],
    ['nhsNumber=1111111111', 'querystring.nhsNumber'],
    ['familyName=Smith', 'querystring.dateOfBirth'],
    ['dateOfBirth=1990-04-23', 'querystring.familyName'],
    ['familyName=Smith&dateOfBirth=1990-02-30', 'querystring.dateOfBirth'],
    [`familyName=${'S'.repeat(101)}&dateOfBirth=1990-04-23`, 'querystring.familyName'],
    ['familyName=&dateOfBirth=1990-04-23', 'querystring.familyName'],
    ['familyName=%20%20&dateOfBirth=1990-04-23', 'querystring.familyName'],
    ['crn=X123456&nhsNumber=9434765919', 'querystring.nhsNumber'],
    ['crn=X123456&familyName=Smith&dateOfBirth=1990-04-23', 'querystring.familyName'],
    [`crn=X123456&personId=${jo.id}`, 'querystring.personId'],
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
  assert.deepEqual(await searches(), [])
})

test('refuses the person search to every role but auditor', async (t) => {
  const { database, get, north, searches } = await withPeople(t)
  for (const role of ['clinician', 'hub_manager', 'probation_practitioner', 'partner', 'admin', 'analyst'] as const) {
    const user = await givenStaff(database.db, role, { sites: [north] })
    const { token } = await givenApiToken(database.db, user)
    const response = await get('/api/v1/audit?crn=X123456', token)
    assert.equal(response.statusCode, 403, role)
  }
  assert.deepEqual(await searches(), [])
})

test('gives an auditor identities and ids, never clinical content', async (t) => {
  const { app, database, get, jo, north } = await withPeople(t)
  const clinician = await givenStaff(database.db, 'clinician', { sites: [north] })
  const check = await givenHealthCheck(database.db, { person: jo, clinician, status: 'completed', flag: true })
  await givenNeed(database.db, jo, clinician, { proposedBecause: 'Disclosed heavy drinking, AUDIT-C 9' })
  const { token } = await givenApiToken(database.db, clinician)
  for (const url of [
    `/api/v1/people/${jo.id}/health-checks`,
    `/api/v1/people/${jo.id}/warning-flags`,
    `/api/v1/people/${jo.id}/needs`,
  ]) {
    const response = await app.inject({ url, headers: { authorization: `Bearer ${token}` } })
    assert.equal(response.statusCode, 200, url)
    assert.match(response.body, new RegExp(check.id.slice(0, 8) + '|heavy drinking|phq', 'i'), url)
  }
  const body = json<EventsBody>(await get('/api/v1/audit?crn=X123456'))
  assert.ok(body.events.length >= 4, JSON.stringify(body.events))
  assert.doesNotMatch(JSON.stringify(body), /heavy drinking|AUDIT-C|review today|phq/i)
})

test('asks for a CRN or NHS number when more than 20 people match a name and date of birth', async (t) => {
  const { database, get, north } = await withPeople(t)
  for (let i = 0; i < 21; i++) {
    await givenPerson(database.db, north, {
      given_name: `Twin${String(i)}`,
      family_name: 'Many',
      date_of_birth: '2000-01-01',
    })
  }
  const response = await get('/api/v1/audit?familyName=many&dateOfBirth=2000-01-01')
  assert.equal(response.statusCode, 422)
  assert.deepEqual(json<Problem>(response).errors, [
    { field: 'querystring.familyName', message: 'More than 20 people match: search by CRN or NHS number' },
  ])
})
