import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import type { Transaction } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import { buildTestApp, json } from '../../../test/support/test-app.ts'
import {
  givenApiToken,
  givenConsent,
  givenNeed,
  givenOrganisation,
  givenPerson,
  givenReferral,
  givenService,
  givenSite,
  givenStaff,
} from '../../../test/support/builders.ts'
import { requirePostgres, whileHeldOpen } from '../../../test/support/concurrency.ts'

requirePostgres()

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

async function setup(t: TestContext) {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db)
  const clinician = await givenStaff(db, 'clinician', { sites: [site] })
  const person = await givenPerson(db, site)
  const need = await givenNeed(db, person, clinician)
  const organisation = await givenOrganisation(db, { name: 'Open Door Housing' })
  const partnerService = await givenService(db, site, {
    kind: 'housing',
    name: 'Open Door Housing Support',
    organisation_id: organisation.id,
  })
  await givenConsent(db, person, clinician, { topic: 'share-with-partner', organisationId: organisation.id })
  const hub = caller(app, (await givenApiToken(db, clinician)).token)
  return { app, db, site, clinician, person, need, organisation, partnerService, hub }
}

/** A withdrawal as the consent feature records one: the person's row locked, then the decision written. */
function withdrawal(person: { id: string }, organisationId: string, recordedBy: { id: string }) {
  return async (tx: Transaction<DB>) => {
    await tx.selectFrom('person').select('id').where('id', '=', person.id).forNoKeyUpdate().execute()
    await givenConsent(tx, person, recordedBy, {
      topic: 'share-with-partner',
      organisationId,
      decision: 'withdrawn',
      recordedAt: new Date('2026-11-20T09:30:00Z'),
    })
  }
}

test('sending a draft to a partner while consent is being withdrawn waits for the withdrawal and is refused', async (t) => {
  const { db, clinician, person, need, organisation, partnerService, hub } = await setup(t)
  const draft = await givenReferral(db, {
    person,
    need,
    service: partnerService,
    createdBy: clinician,
    status: 'draft',
  })
  const response = await whileHeldOpen(db, withdrawal(person, organisation.id, clinician), () =>
    hub('POST', `/api/v1/referrals/${draft.id}/transitions`, { to: 'sent', at: '2026-11-20' }),
  )
  assert.equal(response.statusCode, 422, response.body)
  assert.match(response.body, /has not agreed to share/)
  const row = await db
    .selectFrom('referral')
    .select(['status', 'sent_on'])
    .where('id', '=', draft.id)
    .executeTakeFirstOrThrow()
  assert.deepEqual(row, { status: 'draft', sent_on: null }, 'nothing is sent after the withdrawal')
})

test('making and sending a partner referral while consent is being withdrawn is refused and makes nothing', async (t) => {
  const { db, clinician, person, need, organisation, partnerService, hub } = await setup(t)
  const response = await whileHeldOpen(db, withdrawal(person, organisation.id, clinician), () =>
    hub('POST', `/api/v1/people/${person.id}/referrals`, {
      needId: need.id,
      serviceId: partnerService.id,
      reason: 'Housing support',
      send: true,
    }),
  )
  assert.equal(response.statusCode, 422, response.body)
  assert.deepEqual(
    json<{ errors: { field: string }[] }>(response).errors.map((e) => e.field),
    ['serviceId'],
  )
  assert.deepEqual(await db.selectFrom('referral').select('id').execute(), [])
})

test('a partner recording progress while consent is being withdrawn is refused and changes nothing', async (t) => {
  const { app, db, clinician, person, need, organisation, partnerService } = await setup(t)
  const sent = await givenReferral(db, { person, need, service: partnerService, createdBy: clinician })
  const partnerUser = await givenStaff(db, 'partner', { organisationId: organisation.id })
  const partner = caller(app, (await givenApiToken(db, partnerUser)).token)
  const response = await whileHeldOpen(db, withdrawal(person, organisation.id, clinician), () =>
    partner('POST', `/api/v1/referrals/${sent.id}/transitions`, { to: 'accepted', at: '2026-11-20' }),
  )
  assert.equal(response.statusCode, 403, response.body)
  const row = await db.selectFrom('referral').select('status').where('id', '=', sent.id).executeTakeFirstOrThrow()
  assert.equal(row.status, 'sent')
})

test('two creates of the same referral at once make one: the other is 409 naming it', async (t) => {
  const { db, need, person, partnerService, hub } = await setup(t)
  const body = { needId: need.id, serviceId: partnerService.id, reason: 'Housing support' }
  const url = `/api/v1/people/${person.id}/referrals`
  const responses = await Promise.all([hub('POST', url, body), hub('POST', url, body)])
  assert.deepEqual(responses.map((r) => r.statusCode).sort(), [201, 409])
  const made = responses.find((r) => r.statusCode === 201)
  const refused = responses.find((r) => r.statusCode === 409)
  assert.equal(
    json<{ existingReferralId: string }>(refused ?? responses[0]).existingReferralId,
    json<{ id: string }>(made ?? responses[0]).id,
  )
  assert.equal((await db.selectFrom('referral').select('id').execute()).length, 1)
})

test('a double submit with one Idempotency-Key at once makes one referral and answers both with it', async (t) => {
  const { db, need, person, partnerService, hub } = await setup(t)
  const body = { needId: need.id, serviceId: partnerService.id, reason: 'Housing support' }
  const url = `/api/v1/people/${person.id}/referrals`
  const key = { 'idempotency-key': 'double-click-1' }
  const responses = await Promise.all([hub('POST', url, body, key), hub('POST', url, body, key)])
  assert.deepEqual(
    responses.map((r) => r.statusCode),
    [201, 201],
  )
  const [first, second] = responses.map((r) => json<{ id: string }>(r).id)
  assert.equal(first, second)
  assert.equal((await db.selectFrom('referral').select('id').execute()).length, 1)
})
