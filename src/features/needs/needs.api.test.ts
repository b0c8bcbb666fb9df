import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { buildTestApp, json, signedInBrowser } from '../../../test/support/test-app.ts'
import {
  givenApiToken,
  givenCheckNeed,
  givenHealthCheck,
  givenPerson,
  givenReferralRow,
  givenService,
  givenSite,
  givenStaff,
} from '../../../test/support/builders.ts'
import type { FlagResource } from '../health-checks/index.ts'
import type { NeedResource } from './needs.schemas.ts'
import type { StaffRole } from '../../platform/http/roles.ts'

interface Problem {
  status: number
  detail: string
  code?: string
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

/** The fields a problem names, each once (a union in the schema names its field once per branch). */
const fields = (response: Parameters<typeof json>[0]) => [
  ...new Set((json<Problem>(response).errors ?? []).map((e) => e.field)),
]

test('decisions through the API: each change with its reason, 400 without one, 409 when not possible', async (t) => {
  const { call, db, site, user, person } = await setup(t)
  const need = await givenCheckNeed(db, { person: { id: person.id, site_id: site.id }, clinician: user })
  const url = `/api/v1/needs/${need.id}/decision`

  const confirmed = await call('POST', url, { decision: 'confirmed' })
  assert.equal(confirmed.statusCode, 200, confirmed.body)
  assert.equal(confirmed.headers.etag, 'W/"2"')
  const body = json<NeedResource>(confirmed)
  assert.equal(body.status, 'confirmed')
  assert.equal(body.decidedBy, user.id)
  assert.deepEqual(
    body.history.map((h) => [h.fromStatus, h.toStatus]),
    [
      [null, 'proposed'],
      ['proposed', 'confirmed'],
    ],
  )

  const noReason = await call('POST', url, { decision: 'dismissed' })
  assert.equal(noReason.statusCode, 400)
  assert.match(String(noReason.headers['content-type']), /application\/problem\+json/)
  assert.deepEqual(fields(noReason), ['reason'])
  const blankReason = await call('POST', url, { decision: 'proposed', reason: '   ' })
  assert.equal(blankReason.statusCode, 400)
  assert.deepEqual(fields(blankReason), ['reason'])

  const same = await call('POST', url, { decision: 'confirmed', reason: 'Still' })
  assert.equal(same.statusCode, 409)
  assert.equal(json<Problem>(same).code, 'no-change')

  const dismissed = await call('POST', url, { decision: 'dismissed', reason: 'Seen by the GP already' })
  assert.equal(dismissed.statusCode, 200)
  const back = await call('POST', url, { decision: 'confirmed' })
  assert.equal(back.statusCode, 400, 'confirming a dismissed need needs a reason')
  assert.deepEqual(fields(back), ['reason'])
  const reopened = await call('POST', url, { decision: 'proposed', reason: 'Review next week' })
  assert.equal(reopened.statusCode, 200)
  assert.equal(json<NeedResource>(reopened).decidedAt, null)

  const badDecision = await call('POST', url, { decision: 'maybe' })
  assert.equal(badDecision.statusCode, 400)
  assert.deepEqual(fields(badDecision), ['decision'])
  const extra = await call('POST', url, { decision: 'confirmed', riskLevel: 'low' })
  assert.equal(extra.statusCode, 400)
  assert.deepEqual(fields(extra), ['riskLevel'])
  const tooLong = await call('POST', url, { decision: 'dismissed', reason: 'x'.repeat(1001) })
  assert.equal(tooLong.statusCode, 400)
  assert.deepEqual(fields(tooLong), ['reason'])

  assert.equal((await call('POST', '/api/v1/needs/not-a-uuid/decision', { decision: 'confirmed' })).statusCode, 404)
  assert.equal(
    (await call('POST', '/api/v1/needs/3f2b1c9e-0000-4000-8000-000000000000/decision', { decision: 'confirmed' }))
      .statusCode,
    404,
  )
})

test('If-Match refuses a decision on a need that changed since it was read (412)', async (t) => {
  const { call, db, site, user, person } = await setup(t)
  const need = await givenCheckNeed(db, { person: { id: person.id, site_id: site.id }, clinician: user })
  const url = `/api/v1/needs/${need.id}/decision`
  const first = await call('POST', url, { decision: 'confirmed' }, { 'if-match': 'W/"1"' })
  assert.equal(first.statusCode, 200)
  const stale = await call('POST', url, { decision: 'dismissed', reason: 'Not needed' }, { 'if-match': 'W/"1"' })
  assert.equal(stale.statusCode, 412)
  const row = await db.selectFrom('need').select('status').where('id', '=', need.id).executeTakeFirstOrThrow()
  assert.equal(row.status, 'confirmed')
})

test('an open referral blocks a dismissal with 409 naming the service', async (t) => {
  const { call, db, site, user, person } = await setup(t)
  const need = await givenCheckNeed(db, {
    person: { id: person.id, site_id: site.id },
    clinician: user,
    status: 'confirmed',
  })
  const service = await givenService(db, site, { kind: 'drug-alcohol', name: 'Change Grow Live Cambridge' })
  await givenReferralRow(db, { need, service, createdBy: user, status: 'first-appointment-booked' })
  const response = await call('POST', `/api/v1/needs/${need.id}/decision`, { decision: 'dismissed', reason: 'x' })
  assert.equal(response.statusCode, 409)
  const problem = json<Problem>(response)
  assert.equal(problem.code, 'open-referral')
  assert.match(problem.detail, /open referral to Change Grow Live Cambridge\. Withdraw the referral first/)
  const listed = json<{ needs: NeedResource[] }>(await call('GET', `/api/v1/people/${person.id}/needs`))
  assert.deepEqual(
    listed.needs[0]?.openReferrals.map((r) => [r.service, r.status]),
    [['Change Grow Live Cambridge', 'first-appointment-booked']],
  )
})

test('a need recorded directly: 201 confirmed with its history; bad input named; listed with the others', async (t) => {
  const { call, db, site, user, person } = await setup(t)
  await givenCheckNeed(db, { person: { id: person.id, site_id: site.id }, clinician: user, category: 'smoking' })
  const url = `/api/v1/people/${person.id}/needs`
  const created = await call('POST', url, {
    category: 'physical-health',
    why: 'Says their chest hurts when climbing stairs',
    identifiedOn: '2026-11-20',
  })
  assert.equal(created.statusCode, 201, created.body)
  const need = json<NeedResource>(created)
  assert.equal(need.status, 'confirmed')
  assert.equal(need.source, 'direct')
  assert.equal(need.checkId, null)
  assert.equal(need.decidedBy, user.id)
  assert.equal(need.categoryLabel, 'Physical health')
  assert.deepEqual(
    need.history.map((h) => [h.fromStatus, h.toStatus, h.actorId]),
    [[null, 'confirmed', user.id]],
  )

  const future = await call('POST', url, { category: 'alcohol', why: 'x', identifiedOn: '2026-11-21' })
  assert.equal(future.statusCode, 400)
  assert.deepEqual(fields(future), ['identifiedOn'])
  const unreal = await call('POST', url, { category: 'alcohol', why: 'x', identifiedOn: '2026-02-30' })
  assert.deepEqual(fields(unreal), ['identifiedOn'])
  const bad = await call('POST', url, { category: 'housing', why: '', identifiedOn: '20/11/2026' })
  assert.equal(bad.statusCode, 400)
  assert.ok(fields(bad).includes('category'), fields(bad).join())
  const blankWhy = await call('POST', url, { category: 'alcohol', why: '  ', identifiedOn: '2026-11-20' })
  assert.deepEqual(fields(blankWhy), ['why'])

  const listed = await call('GET', url)
  assert.equal(listed.statusCode, 200)
  const list = json<{ needs: NeedResource[] }>(listed)
  assert.deepEqual(list.needs.map((n) => [n.category, n.status, n.source]).sort(), [
    ['physical-health', 'confirmed', 'direct'],
    ['smoking', 'proposed', 'health-check'],
  ])
  assert.equal((await db.selectFrom('need').select('id').execute()).length, 2, 'refused requests saved nothing')
  const audits = await db.selectFrom('audit_event').select(['action']).where('entity_type', '=', 'need').execute()
  assert.ok(audits.some((a) => a.action === 'create'))
  assert.ok(audits.some((a) => a.action === 'list'))

  const key = { 'idempotency-key': 'need-1' }
  const body = { category: 'trauma', why: 'Talked about an assault', identifiedOn: '2026-11-19' }
  const once = await call('POST', url, body, key)
  const twice = await call('POST', url, body, key)
  assert.equal(once.statusCode, 201)
  assert.equal(json<NeedResource>(twice).id, json<NeedResource>(once).id)
})

test('warning flags: listed for the person; a response is recorded once only', async (t) => {
  const { call, db, site, user, person } = await setup(t)
  const check = await givenHealthCheck(db, { person: { id: person.id, site_id: site.id }, clinician: user, flag: true })
  assert.ok(check.flagId)
  const listed = await call('GET', `/api/v1/people/${person.id}/warning-flags`)
  assert.equal(listed.statusCode, 200)
  const flags = json<{ warningFlags: FlagResource[] }>(listed).warningFlags
  assert.deepEqual(
    flags.map((f) => [f.id, f.status, f.overdue]),
    [[check.flagId, 'awaiting-response', false]],
  )
  assert.doesNotMatch(listed.body, /risk ?level/i)

  const url = `/api/v1/warning-flags/${check.flagId}/response`
  const blank = await call('POST', url, { response: '' })
  assert.equal(blank.statusCode, 400)
  assert.deepEqual(fields(blank), ['response'])
  const spaces = await call('POST', url, { response: '   ' })
  assert.equal(spaces.statusCode, 400)
  assert.deepEqual(fields(spaces), ['response'])
  const tooLong = await call('POST', url, { response: 'x'.repeat(5001) })
  assert.equal(tooLong.statusCode, 400)

  const first = await call('POST', url, { response: 'Discussed; safety plan agreed; GP informed with consent.' })
  assert.equal(first.statusCode, 200, first.body)
  const flag = json<FlagResource>(first)
  assert.equal(flag.status, 'responded')
  assert.equal(flag.respondedBy, user.id)
  assert.equal(flag.responseText, 'Discussed; safety plan agreed; GP informed with consent.')
  const second = await call('POST', url, { response: 'Another' })
  assert.equal(second.statusCode, 409)
  const row = await db.selectFrom('warning_flag').selectAll().executeTakeFirstOrThrow()
  assert.equal(row.response_text, 'Discussed; safety plan agreed; GP informed with consent.', 'first response kept')
  assert.equal((await call('POST', '/api/v1/warning-flags/nope/response', { response: 'x' })).statusCode, 404)
})

test('other roles and other sites get 403; a session-cookie write without CSRF is refused', async (t) => {
  const { app, call, db, site, user, person } = await setup(t)
  const need = await givenCheckNeed(db, { person: { id: person.id, site_id: site.id }, clinician: user })
  const check = await givenHealthCheck(db, { person: { id: person.id, site_id: site.id }, clinician: user, flag: true })
  const flagId = check.flagId ?? ''
  const requests: [method: 'GET' | 'POST', url: string, body?: unknown][] = [
    ['GET', `/api/v1/people/${person.id}/needs`],
    ['POST', `/api/v1/people/${person.id}/needs`, { category: 'alcohol', why: 'x', identifiedOn: '2026-11-20' }],
    ['POST', `/api/v1/needs/${need.id}/decision`, { decision: 'confirmed' }],
    ['GET', `/api/v1/people/${person.id}/warning-flags`],
    ['POST', `/api/v1/warning-flags/${flagId}/response`, { response: 'x' }],
  ]
  for (const role of ['probation_practitioner', 'analyst', 'partner'] as const) {
    const other = await givenStaff(db, role, { sites: [site] })
    const as = caller(app, (await givenApiToken(db, other)).token)
    for (const [method, url, body] of requests) {
      assert.equal((await as(method, url, body)).statusCode, 403, `${role} ${method} ${url}`)
    }
  }
  const elsewhere = await givenSite(db)
  const stranger = await givenStaff(db, 'clinician', { sites: [elsewhere] })
  const as = caller(app, (await givenApiToken(db, stranger)).token)
  for (const [method, url, body] of requests) {
    assert.equal((await as(method, url, body)).statusCode, 403, `other site ${method} ${url}`)
  }

  const browser = await signedInBrowser(app, user.email, user.password)
  const cookieWrite = await browser.post(
    `/api/v1/needs/${need.id}/decision`,
    { decision: 'confirmed' },
    { csrf: false },
  )
  assert.equal(cookieWrite.statusCode, 403)
  const cookieResponse = await browser.post(
    `/api/v1/warning-flags/${flagId}/response`,
    { response: 'x' },
    { csrf: false },
  )
  assert.equal(cookieResponse.statusCode, 403)

  const unchanged = await db.selectFrom('need').select('status').where('id', '=', need.id).executeTakeFirstOrThrow()
  assert.equal(unchanged.status, 'proposed')
  const flag = await db.selectFrom('warning_flag').select('status').executeTakeFirstOrThrow()
  assert.equal(flag.status, 'awaiting-response')
  assert.equal((await call('GET', `/api/v1/people/${person.id}/needs`)).statusCode, 200, 'the clinician still can')
})
