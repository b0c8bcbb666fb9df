import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { buildTestApp, json } from '../../../test/support/test-app.ts'
import {
  givenApiToken,
  givenNeed,
  givenOrganisation,
  givenPerson,
  givenReferral,
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
interface Consent {
  personId: string
  etag: string
  decisions: { topic: string; organisationCode?: string; decision: string; decidedOn: string; recordedBy: string }[]
}

async function setup(t: TestContext, role: StaffRole = 'clinician') {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db)
  const user = await givenStaff(db, role, { sites: [site] })
  const person = await givenPerson(db, site)
  const { token } = await givenApiToken(db, user)
  return { app, db, site, user, person, call: caller(app, token), url: `/api/v1/people/${person.id}/consent` }
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

const item = (overrides: Record<string, unknown> = {}) => ({
  topic: 'share-with-gp',
  decision: 'given',
  decidedOn: '2026-11-19',
  method: 'phone',
  ...overrides,
})

test('GET gives the state and an ETag; PUT with If-Match records only what differs, in one go', async (t) => {
  const { db, user, person, call, url } = await setup(t)
  await givenOrganisation(db, { code: 'housing-trust' })
  const empty = await call('GET', url)
  assert.equal(empty.statusCode, 200)
  const first = json<Consent>(empty)
  assert.deepEqual(first.decisions, [])
  assert.equal(empty.headers.etag, first.etag)
  const put = await call(
    'PUT',
    url,
    {
      decisions: [
        item(),
        item({ topic: 'share-with-partner', organisationCode: 'housing-trust', decision: 'refused' }),
        item({ topic: 'contact-by-sms', note: 'Prefers texts' }),
      ],
    },
    { 'if-match': first.etag },
  )
  assert.equal(put.statusCode, 200, put.body)
  const after = json<Consent>(put)
  assert.equal(after.personId, person.id)
  assert.notEqual(after.etag, first.etag)
  assert.equal(put.headers.etag, after.etag)
  assert.deepEqual(after.decisions.map((d) => [d.topic, d.organisationCode, d.decision]).sort(), [
    ['contact-by-sms', undefined, 'given'],
    ['share-with-gp', undefined, 'given'],
    ['share-with-partner', 'housing-trust', 'refused'],
  ])
  assert.ok(after.decisions.every((d) => d.recordedBy === user.id))
  // The same again changes nothing; a withdrawal of the GP consent is one more row.
  const again = await call(
    'PUT',
    url,
    { decisions: [item(), item({ topic: 'share-with-gp', decision: 'withdrawn' })].slice(1) },
    {
      'if-match': after.etag,
    },
  )
  assert.equal(again.statusCode, 200, again.body)
  const rows = await db.selectFrom('consent_decision').select(['topic', 'decision']).orderBy('id').execute()
  assert.equal(rows.length, 4)
  assert.deepEqual(rows.at(-1), { topic: 'share-with-gp', decision: 'withdrawn' })
  const unchanged = await call(
    'PUT',
    url,
    { decisions: [item({ decision: 'withdrawn' })] },
    { 'if-match': json<Consent>(again).etag },
  )
  assert.equal(unchanged.statusCode, 200)
  assert.equal(
    await db
      .selectFrom('consent_decision')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
      .then((r) => r.n),
    4,
  )
  const events = await db
    .selectFrom('audit_event')
    .select('action')
    .where('entity_type', '=', 'consent')
    .orderBy('id')
    .execute()
  assert.deepEqual(
    events.map((e) => e.action),
    ['view', 'update', 'update', 'view'],
  )
})

test('partner consent is withdrawn through the API like the others, audited, and the partner then gets only consentWithdrawn', async (t) => {
  const { app, db, site, user, person, call, url } = await setup(t)
  const organisation = await givenOrganisation(db, { code: 'housing-trust' })
  const partnerItem = (decision: string) =>
    item({ topic: 'share-with-partner', organisationCode: 'housing-trust', decision })
  const given = await call(
    'PUT',
    url,
    { decisions: [partnerItem('given')] },
    { 'if-match': json<Consent>(await call('GET', url)).etag },
  )
  assert.equal(given.statusCode, 200)
  const need = await givenNeed(db, person, user)
  const service = await givenService(db, site, {
    kind: 'housing',
    name: 'Housing Support',
    organisation_id: organisation.id,
  })
  const referral = await givenReferral(db, { person, need, service, createdBy: user })
  const partner = await givenStaff(db, 'partner', { organisationId: organisation.id })
  const asPartner = caller(app, (await givenApiToken(db, partner)).token)
  const before = json<{ consentWithdrawn: boolean; person?: unknown }>(
    await asPartner('GET', `/api/v1/referrals/${referral.id}`),
  )
  assert.equal(before.consentWithdrawn, false)
  assert.ok(before.person !== undefined)

  const withdrawn = await call(
    'PUT',
    url,
    { decisions: [partnerItem('withdrawn')] },
    { 'if-match': json<Consent>(given).etag },
  )
  assert.equal(withdrawn.statusCode, 200)
  assert.deepEqual(
    json<Consent>(withdrawn).decisions.map((d) => [d.topic, d.organisationCode, d.decision]),
    [['share-with-partner', 'housing-trust', 'withdrawn']],
  )
  const audit = await db
    .selectFrom('audit_event')
    .select(['action', 'person_id', 'details'])
    .where('entity_type', '=', 'consent')
    .where('action', '=', 'update')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  assert.equal(audit.person_id, person.id)
  assert.deepEqual(audit.details, {
    channel: 'api',
    recorded: [{ topic: 'share-with-partner', organisationId: organisation.id, decision: 'withdrawn' }],
  })
  const after = await asPartner('GET', `/api/v1/referrals/${referral.id}`)
  assert.equal(after.statusCode, 200)
  assert.deepEqual(json(after), { id: referral.id, consentWithdrawn: true })
  // Withdrawing again when nothing is given any more is 422 naming the field.
  const again = await call(
    'PUT',
    url,
    { decisions: [partnerItem('withdrawn'), item({ decision: 'withdrawn' })] },
    { 'if-match': json<Consent>(withdrawn).etag },
  )
  assert.equal(again.statusCode, 422)
  assert.deepEqual(
    json<Problem>(again).errors?.map((e) => e.field),
    ['decisions[1].decision'],
  )
})

test('PUT without If-Match is 428; with a stale ETag is 412 and records nothing', async (t) => {
  const { db, call, url } = await setup(t)
  const { etag } = json<Consent>(await call('GET', url))
  assert.equal((await call('PUT', url, { decisions: [item()] })).statusCode, 428)
  assert.equal((await call('PUT', url, { decisions: [item()] }, { 'if-match': '*' })).statusCode, 428)
  assert.equal((await call('PUT', url, { decisions: [item()] }, { 'if-match': etag })).statusCode, 200)
  const stale = await call('PUT', url, { decisions: [item({ topic: 'contact-by-email' })] }, { 'if-match': etag })
  assert.equal(stale.statusCode, 412)
  assert.equal(stale.headers['content-type'], 'application/problem+json; charset=utf-8')
  const rows = await db.selectFrom('consent_decision').select('topic').execute()
  assert.deepEqual(rows, [{ topic: 'share-with-gp' }])
})

test('a code outside the vocabulary is 400 problem+json naming the field and listing the codes to send', async (t) => {
  const { db, call, url } = await setup(t)
  const { etag } = json<Consent>(await call('GET', url))
  const bad = await call(
    'PUT',
    url,
    { decisions: [item({ topic: 'share-everything' }), item({ topic: 'contact-by-sms', method: 'carrier-pigeon' })] },
    { 'if-match': etag },
  )
  assert.equal(bad.statusCode, 400)
  assert.match(String(bad.headers['content-type']), /^application\/problem\+json/)
  assert.deepEqual(json<Problem>(bad).errors, [
    {
      field: 'decisions[0].topic',
      message:
        'decisions[0].topic must be one of: "share-summary-with-probation", "share-with-gp", "share-with-partner", ' +
        '"contact-by-sms", "contact-by-email", "evaluation-use"',
    },
    { field: 'decisions[1].method', message: 'decisions[1].method must be one of: "in-person", "phone", "written"' },
  ])
  const decision = await call('PUT', url, { decisions: [item({ decision: 'maybe' })] }, { 'if-match': etag })
  assert.deepEqual(
    json<Problem>(decision).errors?.[0]?.message,
    'decisions[0].decision must be one of: "given", "refused", "withdrawn"',
  )
  assert.equal(await db.selectFrom('consent_decision').select('id').executeTakeFirst(), undefined)
})

test('invalid fields are 400 problem+json naming each, like decisions[1].decidedOn', async (t) => {
  const { call, url } = await setup(t)
  const { etag } = json<Consent>(await call('GET', url))
  const bad = await call(
    'PUT',
    url,
    {
      decisions: [
        item(),
        item({ topic: 'contact-by-sms', decidedOn: '2026-02-30' }),
        item({ topic: 'contact-by-email', decidedOn: '2026-11-21' }),
        item({ topic: 'share-with-partner' }),
      ],
    },
    { 'if-match': etag },
  )
  assert.equal(bad.statusCode, 400)
  assert.deepEqual(
    json<Problem>(bad).errors?.map((e) => e.field),
    ['decisions[1].decidedOn', 'decisions[2].decidedOn', 'decisions[3].organisationCode'],
  )
  const missing = await call('PUT', url, { decisions: [{ decision: 'given' }] }, { 'if-match': etag })
  assert.equal(missing.statusCode, 400)
  assert.ok(json<Problem>(missing).errors?.some((e) => e.field === 'decisions[0].topic'))
})

test('withdrawn when nothing was given is 422 naming the field; an unknown partner is 422', async (t) => {
  const { db, call, url } = await setup(t)
  const { etag } = json<Consent>(await call('GET', url))
  const response = await call(
    'PUT',
    url,
    { decisions: [item(), item({ topic: 'evaluation-use', decision: 'withdrawn' })] },
    {
      'if-match': etag,
    },
  )
  assert.equal(response.statusCode, 422)
  assert.deepEqual(
    json<Problem>(response).errors?.map((e) => e.field),
    ['decisions[1].decision'],
  )
  const partner = await call(
    'PUT',
    url,
    { decisions: [item({ topic: 'share-with-partner', organisationCode: 'nobody' })] },
    { 'if-match': etag },
  )
  assert.equal(partner.statusCode, 422)
  assert.deepEqual(
    json<Problem>(partner).errors?.map((e) => e.field),
    ['decisions[0].organisationCode'],
  )
  assert.equal(await db.selectFrom('consent_decision').select('id').executeTakeFirst(), undefined, 'all or nothing')
})

test('a probation practitioner may GET but not PUT (403)', async (t) => {
  const { call, url } = await setup(t, 'probation_practitioner')
  const get = await call('GET', url)
  assert.equal(get.statusCode, 200)
  const put = await call('PUT', url, { decisions: [item()] }, { 'if-match': json<Consent>(get).etag })
  assert.equal(put.statusCode, 403)
})

for (const role of ['analyst', 'admin', 'auditor', 'partner'] as const) {
  test(`the ${role} role is refused the consent API (403)`, async (t) => {
    const { call, url } = await setup(t, role)
    assert.equal((await call('GET', url)).statusCode, 403)
    assert.equal((await call('PUT', url, { decisions: [item()] }, { 'if-match': 'W/"0"' })).statusCode, 403)
  })
}

test('another site’s person is 403; an unknown person is 404', async (t) => {
  const { db, call } = await setup(t)
  const elsewhere = await givenPerson(db, await givenSite(db))
  assert.equal((await call('GET', `/api/v1/people/${elsewhere.id}/consent`)).statusCode, 403)
  const put = await call(
    'PUT',
    `/api/v1/people/${elsewhere.id}/consent`,
    { decisions: [item()] },
    { 'if-match': 'W/"0"' },
  )
  assert.equal(put.statusCode, 403)
  assert.equal((await call('GET', '/api/v1/people/00000000-0000-4000-8000-000000000000/consent')).statusCode, 404)
})
