import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import { json } from '../../../test/support/test-app.ts'
import { givenApiToken, givenConsent, givenSite, givenStaff } from '../../../test/support/builders.ts'
import { EXPECTED, PLANTED, summaryScenario } from '../../../test/support/summary-fixtures.ts'
import type { SummaryResource } from './summary.schemas.ts'
import type { StaffRole } from '../../platform/http/roles.ts'

const url = (personId: string) => `/api/v1/people/${personId}/summary`

async function getAs(app: FastifyInstance, db: Kysely<DB>, user: { email: string }, personId: string) {
  const { token } = await givenApiToken(db, user)
  return app.inject({ method: 'GET', url: url(personId), headers: { authorization: `Bearer ${token}` } })
}

async function summaryEvents(db: Kysely<DB>, personId: string) {
  return db
    .selectFrom('audit_event')
    .select(['action', 'details'])
    .where('entity_type', '=', 'health-summary')
    .where('person_id', '=', personId)
    .orderBy('id')
    .execute()
}

test('GET gives a practitioner the summary in plain words while the person agrees, and audits it', async (t) => {
  const { app, db, person, practitioner, clinician } = await summaryScenario(t)
  await givenConsent(db, person, clinician, { decision: 'given' })
  const response = await getAs(app, db, practitioner, person.id)
  assert.equal(response.statusCode, 200)
  const body = json<SummaryResource>(response)
  assert.deepEqual(body, {
    personId: person.id,
    sharedWithProbation: true,
    needs: [
      { category: 'mental-health', label: 'Mental health support', identifiedOn: '2026-09-01' },
      { category: 'alcohol', label: 'Alcohol support', identifiedOn: '2026-09-03' },
    ],
    referrals: [
      {
        serviceName: EXPECTED.dnaService,
        serviceKind: 'stop-smoking',
        serviceKindLabel: 'Stop smoking service',
        status: 'did-not-attend',
        statusLabel: 'Did not go to the first appointment',
        sentOn: '2026-09-08',
        firstAppointmentKept: 'no',
        firstAttendedOn: null,
      },
      {
        serviceName: EXPECTED.referralService,
        serviceKind: 'talking-therapies',
        serviceKindLabel: 'NHS Talking Therapies',
        status: 'first-appointment-attended',
        statusLabel: 'Went to the first appointment',
        sentOn: '2026-09-02',
        firstAppointmentKept: 'yes',
        firstAttendedOn: '2026-10-07',
      },
    ],
    appointments: {
      since: '2026-05-20',
      kept: 3,
      missed: 2,
      acceptableAbsences: 1,
      next: { date: '2026-12-03', kind: 'joint', kindLabel: 'Joint appointment with probation and the health team' },
    },
    gpRegistration: { status: 'registered', text: `Registered with ${EXPECTED.practice}` },
  })
  for (const planted of [PLANTED.bandLabel, PLANTED.needReason, PLANTED.referralReason, PLANTED.outcomeNote]) {
    assert.ok(!response.body.includes(planted), `the response must not contain "${planted}"`)
  }
  assert.doesNotMatch(response.body, /score|band|phq|flag|reason|notes/i)
  const events = await summaryEvents(db, person.id)
  assert.equal(events.length, 1)
  const [event] = events
  assert.ok(event !== undefined)
  assert.equal(event.action, 'view')
  assert.deepEqual(event.details, { channel: 'api', shared: true, viewer: 'probation' })
})

for (const decision of [undefined, 'refused', 'withdrawn'] as const) {
  test(`GET is 403 consent-required for a practitioner when consent is ${decision ?? 'never asked'}, with no summary`, async (t) => {
    const { app, db, person, practitioner, clinician } = await summaryScenario(t)
    if (decision === 'withdrawn') {
      await givenConsent(db, person, clinician, { decision: 'given', recordedAt: new Date('2026-11-19T09:00:00Z') })
    }
    if (decision !== undefined) await givenConsent(db, person, clinician, { decision })
    const response = await getAs(app, db, practitioner, person.id)
    assert.equal(response.statusCode, 403)
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/)
    const body = json(response)
    assert.equal(body['type'], 'https://probation-health-hub.service.gov.uk/problems/consent-required')
    assert.equal(body['title'], 'Consent required')
    assert.equal(body['status'], 403)
    assert.match(String(body['detail']), /has not agreed to share a health summary with probation/)
    assert.deepEqual(Object.keys(body).sort(), ['detail', 'status', 'title', 'type'])
    for (const shown of [...EXPECTED.needs, EXPECTED.referralService, EXPECTED.practice]) {
      assert.ok(!response.body.includes(shown))
    }
    const events = await summaryEvents(db, person.id)
    assert.equal(events.length, 1, 'the refused view is audited')
    assert.deepEqual(events[0]?.details, { channel: 'api', shared: false, viewer: 'probation' })
  })
}

test('GET gives a clinician the summary with sharedWithProbation false when the person has not agreed', async (t) => {
  const { app, db, person, clinician } = await summaryScenario(t)
  const response = await getAs(app, db, clinician, person.id)
  assert.equal(response.statusCode, 200)
  const body = json<SummaryResource>(response)
  assert.equal(body.sharedWithProbation, false)
  assert.deepEqual(
    body.needs.map((n) => n.label),
    EXPECTED.needs,
  )
  assert.deepEqual((await summaryEvents(db, person.id))[0]?.details, {
    channel: 'api',
    shared: false,
    viewer: 'health-team',
  })
})

for (const role of ['partner', 'analyst', 'auditor', 'admin'] satisfies StaffRole[]) {
  test(`GET is 403 for ${role}s`, async (t) => {
    const { app, db, site, person, clinician } = await summaryScenario(t)
    await givenConsent(db, person, clinician, { decision: 'given' })
    const user = await givenStaff(db, role, { sites: role === 'partner' ? [] : [site] })
    const response = await getAs(app, db, user, person.id)
    assert.equal(response.statusCode, 403)
    assert.equal(json(response)['title'], 'Forbidden')
    assert.equal((await summaryEvents(db, person.id)).length, 0)
  })
}

test('GET is 403 for a practitioner at another site, 404 for an unknown person, 401 without a token', async (t) => {
  const { app, db, person, practitioner, clinician } = await summaryScenario(t)
  await givenConsent(db, person, clinician, { decision: 'given' })
  const elsewhere = await givenSite(db)
  const stranger = await givenStaff(db, 'probation_practitioner', { sites: [elsewhere] })
  const other = await getAs(app, db, stranger, person.id)
  assert.equal(other.statusCode, 403)
  assert.equal(json(other)['title'], 'Forbidden')
  assert.equal((await getAs(app, db, practitioner, randomUUID())).statusCode, 404)
  assert.equal((await app.inject({ method: 'GET', url: url(person.id) })).statusCode, 401)
  assert.equal((await summaryEvents(db, person.id)).length, 0)
})

test('GET is 403 for a clinician or hub manager at another site: the preview is site-bound too', async (t) => {
  const { app, db, person, clinician } = await summaryScenario(t)
  await givenConsent(db, person, clinician, { decision: 'given' })
  const elsewhere = await givenSite(db)
  for (const role of ['clinician', 'hub_manager'] satisfies StaffRole[]) {
    const stranger = await givenStaff(db, role, { sites: [elsewhere] })
    const response = await getAs(app, db, stranger, person.id)
    assert.equal(response.statusCode, 403, role)
    assert.ok(!response.body.includes(EXPECTED.needs[0] ?? 'Mental health support'), role)
  }
  assert.equal((await summaryEvents(db, person.id)).length, 0)
})

test('the summary API is described in the OpenAPI document', async (t) => {
  const { app } = await summaryScenario(t)
  const response = await app.inject({ method: 'GET', url: '/api/docs' })
  assert.equal(response.statusCode, 200)
  const doc = json<{ paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }>(response)
  const operation = doc.paths['/api/v1/people/{id}/summary']?.['get']
  assert.ok(operation !== undefined, 'GET /api/v1/people/{id}/summary is documented')
  assert.ok('200' in operation.responses && '403' in operation.responses)
})
