import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { sql, type Kysely } from 'kysely'
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
import { referralsToChase } from './referrals.read-model.ts'
import type { StaffRole } from '../../platform/http/roles.ts'

interface Problem {
  status: number
  detail: string
  code?: string
  allowed?: string[]
  existingReferralId?: string
  errors?: { field: string; message: string }[]
}
interface Referral {
  id: string
  consentWithdrawn: boolean
  personId?: string
  status?: string
  statusLabel?: string
  sentOn?: string | null
  chaseOn?: string | null
  overdue?: boolean
  firstAppointmentOn?: string | null
  firstAttendedOn?: string | null
  daysToFirstTreatment?: number | null
  closedOn?: string | null
  version?: number
  partnerConsent?: string
  person?: { givenName: string; crn?: string; nhsNumber: string | null }
  allowedTransitions?: string[]
  events?: { from: string | null; to: string; occurredOn: string; reason: string | null; actorName: string | null }[]
}
interface List {
  referrals: Referral[]
  total: number
}

type Call = (
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<LightMyRequestResponse>

function caller(app: FastifyInstance, token: string): Call {
  return (method, url, body, headers = {}) =>
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

async function callAs(app: FastifyInstance, db: Kysely<DB>, user: { email: string }): Promise<Call> {
  const { token } = await givenApiToken(db, user)
  return caller(app, token)
}

/** A clinician at a site, a person there with a confirmed mental-health need, and a talking-therapies service. */
async function setup(t: TestContext) {
  const { app, database, clock } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db)
  const clinician = await givenStaff(db, 'clinician', { sites: [site], name: 'Casey Clinician' })
  const person = await givenPerson(db, site, { given_name: 'Sam', family_name: 'Taylor', nhs_number: '9434765919' })
  const need = await givenNeed(db, person, clinician)
  const service = await givenService(db, site, { kind: 'talking-therapies', name: 'Talking Therapies East' })
  const organisation = await givenOrganisation(db, { name: 'Open Door Housing' })
  const partnerService = await givenService(db, site, {
    kind: 'housing',
    name: 'Open Door Housing Support',
    organisation_id: organisation.id,
  })
  const call = await callAs(app, db, clinician)
  return { app, db, clock, site, clinician, person, need, service, organisation, partnerService, call }
}

const addDay = (iso: string, days: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

/** buildTestApp's clock: 20 November 2026. A change's date is required, so each request names it. */
const TODAY = '2026-11-20'

const create = (needId: string, serviceId: string, extra: Record<string, unknown> = {}) => ({
  needId,
  serviceId,
  reason: 'Low mood for two months; would like talking therapy',
  ...extra,
})

async function referralEvents(db: Kysely<DB>, action: string) {
  return db
    .selectFrom('audit_event')
    .selectAll()
    .where('entity_type', '=', 'referral')
    .where('action', '=', action)
    .orderBy('id')
    .execute()
}

test('makes a draft from a confirmed need: 201 with Location and ETag, a creation event and an audit row', async (t) => {
  const { db, call, person, need, service, clinician } = await setup(t)
  const response = await call('POST', `/api/v1/people/${person.id}/referrals`, create(need.id, service.id))
  assert.equal(response.statusCode, 201, response.body)
  const body = json<Referral>(response)
  assert.equal(response.headers.location, `/api/v1/referrals/${body.id}`)
  assert.equal(response.headers.etag, 'W/"1"')
  assert.equal(body.status, 'draft')
  assert.equal(body.statusLabel, 'Draft')
  assert.equal(body.sentOn, null)
  assert.equal(body.chaseOn, '2026-11-27')
  assert.deepEqual(body.allowedTransitions, ['sent', 'withdrawn'])
  assert.deepEqual(
    body.events?.map((e) => [e.from, e.to, e.occurredOn, e.actorName]),
    [[null, 'draft', '2026-11-20', 'Casey Clinician']],
  )
  const row = await db.selectFrom('referral').selectAll().executeTakeFirstOrThrow()
  assert.equal(row.created_by, clinician.id)
  assert.equal(row.need_identified_on, '2026-11-01')
  assert.equal(row.organisation_id, null)
  const [created] = await referralEvents(db, 'create')
  assert.equal(created?.person_id, person.id)
  assert.equal(created.entity_id, body.id)
  const got = await call('GET', `/api/v1/referrals/${body.id}`)
  assert.equal(got.statusCode, 200)
  assert.equal(got.headers.etag, 'W/"1"')
  assert.equal((await referralEvents(db, 'view')).at(-1)?.person_id, person.id)
  const list = json<List>(await call('GET', `/api/v1/people/${person.id}/referrals`))
  assert.deepEqual(
    list.referrals.map((r) => r.id),
    [body.id],
  )
  assert.equal((await referralEvents(db, 'list')).at(-1)?.person_id, person.id)
})

test('sends at once: sent date today, routine chase in 10 days, urgent in 3', async (t) => {
  const { db, call, person, need, service, site } = await setup(t)
  const routine = json<Referral>(
    await call('POST', `/api/v1/people/${person.id}/referrals`, create(need.id, service.id, { send: true })),
  )
  assert.equal(routine.status, 'sent')
  assert.equal(routine.sentOn, '2026-11-20')
  assert.equal(routine.chaseOn, '2026-11-30')
  assert.deepEqual(
    routine.events?.map((e) => e.to),
    ['sent', 'draft'],
  )
  const other = await givenService(db, site, { kind: 'community-mental-health', name: 'CMHT' })
  const urgent = json<Referral>(
    await call(
      'POST',
      `/api/v1/people/${person.id}/referrals`,
      create(need.id, other.id, { send: true, urgency: 'urgent' }),
    ),
  )
  assert.equal(urgent.chaseOn, '2026-11-23')
})

test('refuses a need that is not a confirmed need of this person, naming needId', async (t) => {
  const { db, call, person, service, site, clinician } = await setup(t)
  const proposed = await givenNeed(db, person, clinician, { status: 'proposed', category: 'alcohol' })
  const dismissed = await givenNeed(db, person, clinician, { status: 'dismissed', category: 'drugs' })
  const someoneElse = await givenPerson(db, site)
  const theirs = await givenNeed(db, someoneElse, clinician)
  for (const needId of [proposed.id, dismissed.id, theirs.id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
    const response = await call('POST', `/api/v1/people/${person.id}/referrals`, create(needId, service.id))
    assert.equal(response.statusCode, 422, needId)
    assert.deepEqual(
      json<Problem>(response).errors?.map((e) => e.field),
      ['needId'],
    )
  }
  assert.equal((await db.selectFrom('referral').select('id').execute()).length, 0)
})

test('refuses an unknown, inactive or other site’s service, naming serviceId', async (t) => {
  const { db, call, person, need, site } = await setup(t)
  const inactive = await givenService(db, site, { kind: 'talking-therapies', active: false })
  const otherSite = await givenSite(db)
  const elsewhere = await givenService(db, otherSite, { kind: 'talking-therapies' })
  const cases: [string, RegExp][] = [
    ['00000000-0000-4000-8000-000000000000', /directory/],
    [inactive.id, /no longer active/],
    [elsewhere.id, /this person’s site/],
  ]
  for (const [serviceId, message] of cases) {
    const response = await call('POST', `/api/v1/people/${person.id}/referrals`, create(need.id, serviceId))
    assert.equal(response.statusCode, 422)
    const problem = json<Problem>(response)
    assert.equal(problem.errors?.[0]?.field, 'serviceId')
    assert.match(problem.errors[0].message, message)
  }
  const blank = await call('POST', `/api/v1/people/${person.id}/referrals`, { ...create(need.id, 'x'), reason: ' ' })
  assert.equal(blank.statusCode, 400)
  assert.deepEqual(
    json<Problem>(blank).errors?.map((e) => e.field),
    ['reason'],
  )
  assert.equal((await db.selectFrom('referral').select('id').execute()).length, 0)
})

test('a partner referral may be saved as a draft without consent but not sent until the person agrees', async (t) => {
  const { db, call, person, need, partnerService, organisation, clinician } = await setup(t)
  const url = `/api/v1/people/${person.id}/referrals`
  const refused = await call('POST', url, create(need.id, partnerService.id, { send: true }))
  assert.equal(refused.statusCode, 422)
  const problem = json<Problem>(refused)
  assert.equal(problem.code, 'partner-consent-required')
  assert.match(problem.detail, /Open Door Housing/)
  assert.equal((await db.selectFrom('referral').select('id').execute()).length, 0)
  const draft = json<Referral>(await call('POST', url, create(need.id, partnerService.id)))
  assert.equal(draft.partnerConsent, 'not-given')
  const row = await db.selectFrom('referral').select('organisation_id').executeTakeFirstOrThrow()
  assert.equal(row.organisation_id, organisation.id)
  const send = await call('POST', `/api/v1/referrals/${draft.id}/transitions`, { to: 'sent', at: TODAY })
  assert.equal(send.statusCode, 422)
  assert.deepEqual(
    json<Problem>(send).errors?.map((e) => e.field),
    ['to'],
  )
  await givenConsent(db, person, clinician, { topic: 'share-with-partner', organisationId: organisation.id })
  const sent = await call('POST', `/api/v1/referrals/${draft.id}/transitions`, { to: 'sent', at: TODAY })
  assert.equal(sent.statusCode, 200, sent.body)
  assert.equal(json<Referral>(sent).partnerConsent, 'given')
})

test('refuses a second open referral for the same need and service with 409 naming the existing one', async (t) => {
  const { db, call, person, need, service } = await setup(t)
  const url = `/api/v1/people/${person.id}/referrals`
  const first = json<Referral>(await call('POST', url, create(need.id, service.id, { send: true })))
  const second = await call('POST', url, create(need.id, service.id, { reason: 'Again' }))
  assert.equal(second.statusCode, 409)
  const problem = json<Problem>(second)
  assert.equal(problem.code, 'open-referral-exists')
  assert.equal(problem.existingReferralId, first.id)
  assert.match(problem.detail, /already an open referral for this need to Talking Therapies East \(sent/)
  // Once the first is closed, a new one may be made.
  await call('POST', `/api/v1/referrals/${first.id}/transitions`, { to: 'rejected', reason: 'Out of area', at: TODAY })
  assert.equal((await call('POST', url, create(need.id, service.id))).statusCode, 201)
  assert.equal((await db.selectFrom('referral').select('id').execute()).length, 2)
})

test('a retried create with the same Idempotency-Key makes one referral; the key with another body is 422', async (t) => {
  const { db, call, person, need, service } = await setup(t)
  const url = `/api/v1/people/${person.id}/referrals`
  const key = { 'idempotency-key': 'retry-me-0001' }
  const [one, two] = await Promise.all([
    call('POST', url, create(need.id, service.id), key),
    call('POST', url, create(need.id, service.id), key),
  ])
  assert.equal(one.statusCode, 201, one.body)
  assert.equal(two.statusCode, 201, two.body)
  assert.equal(one.headers.location, two.headers.location)
  const again = await call('POST', url, create(need.id, service.id), key)
  assert.equal(again.statusCode, 201)
  assert.equal(again.headers.location, one.headers.location)
  assert.equal((await db.selectFrom('referral').select('id').execute()).length, 1)
  assert.equal((await db.selectFrom('referral_event').select('id').execute()).length, 1)
  assert.equal((await referralEvents(db, 'create')).length, 1)
  const reused = await call('POST', url, create(need.id, service.id, { reason: 'Different' }), key)
  assert.equal(reused.statusCode, 422)
  assert.deepEqual(
    json<Problem>(reused).errors?.map((e) => e.field),
    ['Idempotency-Key'],
  )
})

test('carries a referral through booking and attendance, recording dates, chase dates and days to first treatment', async (t) => {
  const { db, call, clock, person, need, service } = await setup(t)
  const made = json<Referral>(
    await call('POST', `/api/v1/people/${person.id}/referrals`, create(need.id, service.id, { send: true })),
  )
  const url = `/api/v1/referrals/${made.id}/transitions`
  const accepted = await call('POST', url, { to: 'accepted', at: TODAY }, { 'if-match': 'W/"1"' })
  assert.equal(accepted.statusCode, 200, accepted.body)
  assert.equal(accepted.headers.etag, 'W/"2"')
  assert.equal(json<Referral>(accepted).chaseOn, '2026-12-04')
  const noDate = await call('POST', url, { to: 'first-appointment-booked', at: TODAY })
  assert.equal(noDate.statusCode, 400)
  assert.deepEqual(
    json<Problem>(noDate).errors?.map((e) => e.field),
    ['appointmentOn'],
  )
  // Booked today for a week ahead: the appointment may be in the future, the booking may not.
  const booked = json<Referral>(
    await call('POST', url, { to: 'first-appointment-booked', at: TODAY, appointmentOn: '2026-11-27', version: 2 }),
  )
  assert.equal(booked.firstAppointmentOn, '2026-11-27')
  assert.equal(booked.chaseOn, '2026-11-28')
  // The appointment day comes; the person does not arrive, and another is booked for 1 December.
  clock.set('2026-11-27T15:00:00Z')
  const dna = json<Referral>(
    await call('POST', url, { to: 'did-not-attend', reason: 'Did not arrive', at: '2026-11-27' }),
  )
  assert.equal(dna.chaseOn, '2026-11-30')
  await call('POST', url, { to: 'first-appointment-booked', at: '2026-11-27', appointmentOn: '2026-12-01' })
  clock.set('2026-12-01T15:00:00Z')
  const attended = await call('POST', url, { to: 'first-appointment-attended', at: '2026-12-01' })
  assert.equal(attended.statusCode, 200, attended.body)
  const body = json<Referral>(attended)
  assert.equal(body.firstAttendedOn, '2026-12-01')
  // From the need (1 November) to the day they attended (1 December).
  assert.equal(body.daysToFirstTreatment, 30)
  assert.equal(body.chaseOn, '2026-12-29')
  const completed = json<Referral>(await call('POST', url, { to: 'completed', at: '2026-12-01' }))
  assert.equal(completed.closedOn, '2026-12-01')
  assert.equal(completed.chaseOn, null)
  assert.deepEqual(completed.allowedTransitions, [])
  assert.deepEqual(
    completed.events?.map((e) => e.to),
    [
      'completed',
      'first-appointment-attended',
      'first-appointment-booked',
      'did-not-attend',
      'first-appointment-booked',
      'accepted',
      'sent',
      'draft',
    ],
  )
  const row = await db.selectFrom('referral').selectAll().executeTakeFirstOrThrow()
  assert.equal(row.days_to_first_treatment, 30)
  assert.equal(row.version, 7)
  assert.equal((await referralEvents(db, 'update')).length, 6)
})

/**
 * A referral to the partner, sent on 10 November; the partner's caseworker accepted it on the 12th and on the 18th
 * booked the first appointment for 1 December. The clock is then 3 December.
 */
async function bookedWithPartner(t: TestContext) {
  const s = await setup(t)
  const { app, db, person, need, partnerService, organisation, clinician, clock } = s
  await givenConsent(db, person, clinician, { topic: 'share-with-partner', organisationId: organisation.id })
  const referral = await givenReferral(db, {
    person,
    need,
    service: partnerService,
    createdBy: clinician,
    createdOn: '2026-11-09',
    sentOn: '2026-11-10',
  })
  const partner = await callAs(app, db, await givenStaff(db, 'partner', { organisationId: organisation.id }))
  const url = `/api/v1/referrals/${referral.id}/transitions`
  assert.equal((await partner('POST', url, { to: 'accepted', at: '2026-11-12' })).statusCode, 200)
  const booked = await partner('POST', url, {
    to: 'first-appointment-booked',
    at: '2026-11-18',
    appointmentOn: '2026-12-01',
  })
  assert.equal(booked.statusCode, 200, booked.body)
  clock.set('2026-12-03T11:00:00Z')
  /** What a refused change must leave as it was. */
  const state = async () => ({
    row: await db
      .selectFrom('referral')
      .select(['status', 'version', 'first_appointment_on', 'first_attended_on', 'days_to_first_treatment', 'chase_on'])
      .where('id', '=', referral.id)
      .executeTakeFirstOrThrow(),
    events: (await db.selectFrom('referral_event').select('id').where('referral_id', '=', referral.id).execute())
      .length,
    audited: (await referralEvents(db, 'update')).length,
  })
  return { ...s, referral, partner, url, state }
}

test('a partner recording "first appointment attended" before the booked appointment date is refused: 422 naming at, nothing saved', async (t) => {
  const { partner, url, state } = await bookedWithPartner(t)
  const before = await state()
  assert.equal(before.row.status, 'first-appointment-booked')
  // After the last change (booked on 18 November) but before the appointment itself (1 December).
  for (const at of ['2026-11-25', '2026-11-18', '2026-11-30']) {
    const response = await partner('POST', url, { to: 'first-appointment-attended', at })
    assert.equal(response.statusCode, 422, `${at}: ${response.body}`)
    assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8')
    const problem = json<Problem>(response)
    assert.equal(problem.code, 'date-before-appointment')
    assert.deepEqual(problem.errors, [
      {
        field: 'at',
        message: 'The date they attended must be on or after the booked appointment date, 1 December 2026',
      },
    ])
  }
  const missed = await partner('POST', url, { to: 'did-not-attend', at: '2026-11-30', reason: 'Did not come' })
  assert.equal(missed.statusCode, 422, missed.body)
  assert.deepEqual(json<Problem>(missed).errors, [
    {
      field: 'at',
      message: 'The date they did not attend must be on or after the booked appointment date, 1 December 2026',
    },
  ])
  assert.deepEqual(await state(), before, 'nothing saved')
})

test('a blank or missing date is refused with 400 naming at, never taken as today, and nothing is saved', async (t) => {
  const { partner, call, url, state } = await bookedWithPartner(t)
  const before = await state()
  for (const [who, caller] of [
    ['partner', partner],
    ['clinician', call],
  ] as const) {
    for (const body of [{ to: 'first-appointment-attended' }, { to: 'first-appointment-attended', at: null }]) {
      const response = await caller('POST', url, body)
      assert.equal(response.statusCode, 400, `${who} ${JSON.stringify(body)}: ${response.body}`)
      assert.deepEqual(json<Problem>(response).errors, [{ field: 'at', message: 'Enter the date it happened' }])
    }
  }
  // Every mistake at once: the reason and the date.
  const both = await partner('POST', url, { to: 'did-not-attend' })
  assert.equal(both.statusCode, 400)
  assert.deepEqual(
    json<Problem>(both).errors?.map((e) => e.field),
    ['reason', 'at'],
  )
  assert.deepEqual(await state(), before, 'nothing saved')
})

test('an attended date in the future is refused; on or after the appointment it is kept and days count from the need', async (t) => {
  const { app, db, site, person, clinician, partner, url, state } = await bookedWithPartner(t)
  const before = await state()
  const future = await partner('POST', url, { to: 'first-appointment-attended', at: '2026-12-04' })
  assert.equal(future.statusCode, 400)
  assert.deepEqual(json<Problem>(future).errors, [
    { field: 'at', message: 'The date it happened must be today or in the past' },
  ])
  assert.deepEqual(await state(), before, 'nothing saved')
  const attended = await partner('POST', url, { to: 'first-appointment-attended', at: '2026-12-02' })
  assert.equal(attended.statusCode, 200, attended.body)
  const body = json<Referral>(attended)
  assert.equal(body.firstAppointmentOn, '2026-12-01')
  assert.equal(body.firstAttendedOn, '2026-12-02')
  // From the need, identified 1 November, to 2 December: not from sending (10th) or booking (18th), nor to today (3rd).
  assert.equal(body.daysToFirstTreatment, 31)
  assert.equal(body.events?.[0]?.occurredOn, '2026-12-02')
  const row = (await state()).row
  assert.deepEqual([row.first_attended_on, row.days_to_first_treatment], ['2026-12-02', 31])
  // The probation summary says when they went, the attended date.
  await givenConsent(db, person, clinician, { topic: 'share-summary-with-probation' })
  const practitioner = await callAs(app, db, await givenStaff(db, 'probation_practitioner', { sites: [site] }))
  const summary = json<{ referrals: { firstAppointmentKept: string; firstAttendedOn: string | null }[] }>(
    await practitioner('GET', `/api/v1/people/${person.id}/summary`),
  )
  assert.deepEqual(
    summary.referrals.map((r) => [r.firstAppointmentKept, r.firstAttendedOn]),
    [['yes', '2026-12-02']],
  )
})

test('each stage is on or after the one before: the day before is 422 naming at and saying which date, the same day is taken', async (t) => {
  const { db, call, person, need, service, clinician } = await setup(t)
  const referral = await givenReferral(db, {
    person,
    need,
    service,
    createdBy: clinician,
    status: 'draft',
    createdOn: '2026-11-02',
  })
  const url = `/api/v1/referrals/${referral.id}/transitions`
  const steps: { to: string; at: string; appointmentOn?: string; says: string }[] = [
    { to: 'sent', at: '2026-11-03', says: 'on or after 2 November 2026, when the referral was made' },
    { to: 'accepted', at: '2026-11-05', says: 'on or after 3 November 2026, when the referral was sent' },
    {
      to: 'first-appointment-booked',
      at: '2026-11-06',
      appointmentOn: '2026-11-09',
      says: 'on or after 5 November 2026, when the service accepted the referral',
    },
    {
      to: 'first-appointment-attended',
      at: '2026-11-09',
      says: 'The date they attended must be on or after the booked appointment date, 9 November 2026',
    },
    {
      to: 'engaged',
      at: '2026-11-12',
      says: 'on or after 9 November 2026, when the person attended their first appointment',
    },
    {
      to: 'completed',
      at: '2026-11-16',
      says: 'on or after 12 November 2026, when the person began engaging with the service',
    },
  ]
  let previousOn = '2026-11-02'
  for (const step of steps) {
    const body = { to: step.to, appointmentOn: step.appointmentOn ?? null }
    const early = await call('POST', url, {
      ...body,
      at: step.to === 'first-appointment-attended' ? '2026-11-08' : addDay(previousOn, -1),
    })
    assert.equal(early.statusCode, 422, `${step.to}: ${early.body}`)
    const problem = json<Problem>(early)
    assert.deepEqual(
      problem.errors?.map((e) => e.field),
      ['at'],
    )
    const message = problem.errors[0]?.message ?? ''
    assert.ok(message.includes(step.says), `${step.to}: ${message}`)
    const taken = await call('POST', url, { ...body, at: step.at })
    assert.equal(taken.statusCode, 200, `${step.to}: ${taken.body}`)
    previousOn = step.at
  }
  // A first appointment before the day it was booked is refused too, saying the booking date.
  const other = await givenReferral(db, {
    person,
    need: await givenNeed(db, person, clinician, { category: 'trauma' }),
    service,
    createdBy: clinician,
    status: 'accepted',
  })
  const early = await call('POST', `/api/v1/referrals/${other.id}/transitions`, {
    to: 'first-appointment-booked',
    at: '2026-11-18',
    appointmentOn: '2026-11-17',
  })
  assert.equal(early.statusCode, 422, early.body)
  assert.deepEqual(json<Problem>(early).errors, [
    {
      field: 'appointmentOn',
      message: 'The date of the first appointment must be on or after 18 November 2026, the date it was booked',
    },
  ])
  const row = await db.selectFrom('referral').selectAll().where('id', '=', referral.id).executeTakeFirstOrThrow()
  assert.deepEqual(
    [
      row.status,
      row.sent_on,
      row.first_appointment_on,
      row.first_attended_on,
      row.days_to_first_treatment,
      row.closed_on,
    ],
    ['completed', '2026-11-03', '2026-11-09', '2026-11-09', 8, '2026-11-16'],
  )
})

test('a transition not allowed from the current state is 409 naming the allowed ones', async (t) => {
  const { call, person, need, service } = await setup(t)
  const made = json<Referral>(await call('POST', `/api/v1/people/${person.id}/referrals`, create(need.id, service.id)))
  const response = await call('POST', `/api/v1/referrals/${made.id}/transitions`, { to: 'completed', at: TODAY })
  assert.equal(response.statusCode, 409)
  assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8')
  const problem = json<Problem>(response)
  assert.deepEqual(problem.allowed, ['sent', 'withdrawn'])
  assert.match(problem.detail, /draft: you can record “sent” or “withdrawn”/)
  assert.deepEqual(
    problem.errors?.map((e) => e.field),
    ['to'],
  )
  const unknown = await call('POST', `/api/v1/referrals/${made.id}/transitions`, { to: 'finished', at: TODAY })
  assert.equal(unknown.statusCode, 400)
  assert.deepEqual(
    json<Problem>(unknown).errors?.map((e) => e.field),
    ['to'],
  )
})

test('a reason is required to withdraw, reject, decline or record did-not-attend: 400 naming reason', async (t) => {
  const { call, person, need, service } = await setup(t)
  const made = json<Referral>(await call('POST', `/api/v1/people/${person.id}/referrals`, create(need.id, service.id)))
  const url = `/api/v1/referrals/${made.id}/transitions`
  for (const body of [{ to: 'withdrawn' }, { to: 'withdrawn', reason: '   ' }, { to: 'withdrawn', reason: null }]) {
    const response = await call('POST', url, { ...body, at: TODAY })
    assert.equal(response.statusCode, 400)
    assert.deepEqual(
      json<Problem>(response).errors?.map((e) => e.field),
      ['reason'],
    )
  }
  const response = await call('POST', url, { to: 'withdrawn', reason: 'Made in error', at: TODAY })
  assert.equal(response.statusCode, 200, response.body)
  const withdrawn = json<Referral>(response)
  assert.equal(withdrawn.events?.[0]?.reason, 'Made in error')
})

test('dates: a future date is 400, one before the last change 422, and a past date within range is kept', async (t) => {
  const { db, call, person, need, service, clinician } = await setup(t)
  const referral = await givenReferral(db, { person, need, service, createdBy: clinician, sentOn: '2026-11-10' })
  const url = `/api/v1/referrals/${referral.id}/transitions`
  const future = await call('POST', url, { to: 'accepted', at: '2026-11-21' })
  assert.equal(future.statusCode, 400)
  assert.deepEqual(
    json<Problem>(future).errors?.map((e) => e.field),
    ['at'],
  )
  const before = await call('POST', url, { to: 'accepted', at: '2026-11-09' })
  assert.equal(before.statusCode, 422)
  assert.deepEqual(
    json<Problem>(before).errors?.map((e) => e.field),
    ['at'],
  )
  assert.match(json<Problem>(before).detail, /10 November 2026/)
  const ok = json<Referral>(await call('POST', url, { to: 'accepted', at: '2026-11-12' }))
  assert.equal(ok.events?.[0]?.occurredOn, '2026-11-12')
  assert.equal(ok.chaseOn, '2026-11-26')
})

test('of two transitions at once one applies and the other is refused with 409; a stale If-Match is 409', async (t) => {
  const { db, call, person, need, service, clinician } = await setup(t)
  const referral = await givenReferral(db, { person, need, service, createdBy: clinician })
  const url = `/api/v1/referrals/${referral.id}/transitions`
  const responses = await Promise.all([
    call('POST', url, { to: 'accepted', at: TODAY }, { 'if-match': 'W/"1"' }),
    call('POST', url, { to: 'rejected', reason: 'Full', at: TODAY }, { 'if-match': 'W/"1"' }),
  ])
  assert.deepEqual(responses.map((r) => r.statusCode).sort(), [200, 409])
  const loser = responses.find((r) => r.statusCode === 409)
  assert.match(json<Problem>(loser ?? responses[0]).detail, /Someone else updated this referral/)
  const events = await db
    .selectFrom('referral_event')
    .select('to_status')
    .where('referral_id', '=', referral.id)
    .execute()
  assert.equal(events.length, 3)
  const row = await db.selectFrom('referral').select(['version']).executeTakeFirstOrThrow()
  assert.equal(row.version, 2)
  const stale = await call('POST', url, { to: 'declined', reason: 'Changed mind', at: TODAY }, { 'if-match': 'W/"1"' })
  assert.equal(stale.statusCode, 409)
})

test('PATCH sets the chase date with If-Match (428 without); overdue referrals are listed as overdue', async (t) => {
  const { db, call, person, need, service, clinician, site } = await setup(t)
  const referral = await givenReferral(db, { person, need, service, createdBy: clinician, chaseOn: '2026-11-25' })
  const url = `/api/v1/referrals/${referral.id}`
  assert.equal((await call('PATCH', url, { chaseOn: '2026-11-18' })).statusCode, 428)
  const patched = await call('PATCH', url, { chaseOn: '2026-11-18' }, { 'if-match': 'W/"1"' })
  assert.equal(patched.statusCode, 200, patched.body)
  assert.equal(json<Referral>(patched).overdue, true)
  assert.equal((await call('PATCH', url, { chaseOn: '2026-11-30' }, { 'if-match': 'W/"1"' })).statusCode, 409)
  const overdue = json<List>(await call('GET', `/api/v1/referrals?site=${site.code}&overdue=true`))
  assert.deepEqual(
    overdue.referrals.map((r) => r.id),
    [referral.id],
  )
  const [updated] = await referralEvents(db, 'update')
  assert.deepEqual(updated?.details, { channel: 'api', changed: ['chaseOn'], previous: '2026-11-25' })
})

test('a chase date before the UK day the referral was made is 422 naming chaseOn, also just after midnight BST', async (t) => {
  const { db, call, person, need, service, clinician } = await setup(t)
  const referral = await givenReferral(db, { person, need, service, createdBy: clinician })
  // 23:30 UTC on 15 June is 00:30 on 16 June in the UK: the referral was made on the 16th.
  await sql`update referral set created_at = '2026-06-15T23:30:00Z' where id = ${referral.id}`.execute(db)
  const url = `/api/v1/referrals/${referral.id}`
  const before = await call('PATCH', url, { chaseOn: '2026-06-15' }, { 'if-match': 'W/"1"' })
  assert.equal(before.statusCode, 422, before.body)
  assert.deepEqual(
    json<Problem>(before).errors?.map((e) => e.field),
    ['chaseOn'],
  )
  assert.equal((await call('PATCH', url, { chaseOn: '2026-06-16' }, { 'if-match': 'W/"1"' })).statusCode, 200)
})

test('referralsToChase lists open referrals at the site due by a date, earliest first, urgent first on a day', async (t) => {
  const { db, person, need, service, clinician, site } = await setup(t)
  const other = await givenService(db, site, { kind: 'community-mental-health', name: 'CMHT' })
  const third = await givenService(db, site, { kind: 'voluntary-sector', name: 'Mind' })
  const fourth = await givenService(db, site, { kind: 'other', name: 'Later' })
  const later = await givenReferral(db, { person, need, service, createdBy: clinician, chaseOn: '2026-11-25' })
  const routine = await givenReferral(db, { person, need, service: other, createdBy: clinician, chaseOn: '2026-11-19' })
  const urgentNeed = await givenNeed(db, person, clinician, { category: 'trauma' })
  const urgent = await givenReferral(db, {
    person,
    need: urgentNeed,
    service: other,
    createdBy: clinician,
    chaseOn: '2026-11-19',
    status: 'did-not-attend',
    urgency: 'urgent',
  })
  // Every final state of the lifecycle is left out, even with a chase date.
  for (const [i, status] of (['rejected', 'completed', 'declined', 'withdrawn'] as const).entries()) {
    const closedNeed = await givenNeed(db, person, clinician, {
      category: (['alcohol', 'drugs', 'smoking', 'screening'] as const)[i],
    })
    await givenReferral(db, {
      person,
      need: closedNeed,
      service: third,
      createdBy: clinician,
      status,
      chaseOn: '2026-11-18',
    })
  }
  await givenReferral(db, { person, need, service: fourth, createdBy: clinician, chaseOn: '2026-11-26' })
  const result = await referralsToChase(db, { siteId: site.id, chaseBy: '2026-11-25', limit: 10, offset: 0 })
  assert.equal(result.total, 3)
  assert.deepEqual(
    result.items.map((i) => [i.id, i.chaseOn, i.urgency, i.person.givenName, i.serviceName]),
    [
      [urgent.id, '2026-11-19', 'urgent', 'Sam', 'CMHT'],
      [routine.id, '2026-11-19', 'routine', 'Sam', 'CMHT'],
      [later.id, '2026-11-25', 'routine', 'Sam', 'Talking Therapies East'],
    ],
  )
  const beyond = await referralsToChase(db, { siteId: site.id, chaseBy: '2026-11-25', limit: 10, offset: 10 })
  assert.deepEqual([beyond.total, beyond.items.length], [3, 0], 'the total stays the whole count past the last page')
  const someoneElse = await givenStaff(db, 'clinician', { sites: [site] })
  const mine = await referralsToChase(db, {
    siteId: site.id,
    chaseBy: '2026-11-25',
    createdBy: someoneElse.id,
    limit: 10,
    offset: 0,
  })
  assert.equal(mine.total, 0)
})

for (const role of ['probation_practitioner', 'analyst', 'auditor', 'admin'] as StaffRole[]) {
  test(`refuses a ${role} with 403 on every referral route`, async (t) => {
    const { app, db, person, need, service, clinician, site } = await setup(t)
    const referral = await givenReferral(db, { person, need, service, createdBy: clinician })
    const call = await callAs(app, db, await givenStaff(db, role, { sites: [site] }))
    const requests: [Parameters<Call>[0], string, unknown?][] = [
      ['GET', `/api/v1/people/${person.id}/referrals`],
      ['POST', `/api/v1/people/${person.id}/referrals`, create(need.id, service.id)],
      ['GET', '/api/v1/referrals'],
      ['GET', `/api/v1/referrals/${referral.id}`],
      ['POST', `/api/v1/referrals/${referral.id}/transitions`, { to: 'accepted' }],
      ['PATCH', `/api/v1/referrals/${referral.id}`, { chaseOn: '2026-11-30' }],
    ]
    for (const [method, url, body] of requests) {
      const response = await call(method, url, body, { 'if-match': 'W/"1"' })
      assert.equal(response.statusCode, 403, `${method} ${url}`)
    }
    assert.equal((await db.selectFrom('referral').select('id').execute()).length, 1)
  })
}

test('refuses a clinician of another site with 403, and their list leaves the referral out', async (t) => {
  const { app, db, person, need, service, clinician } = await setup(t)
  const referral = await givenReferral(db, { person, need, service, createdBy: clinician })
  const otherSite = await givenSite(db)
  const call = await callAs(app, db, await givenStaff(db, 'clinician', { sites: [otherSite] }))
  assert.equal((await call('GET', `/api/v1/people/${person.id}/referrals`)).statusCode, 403)
  assert.equal(
    (await call('POST', `/api/v1/people/${person.id}/referrals`, create(need.id, service.id))).statusCode,
    403,
  )
  assert.equal((await call('GET', `/api/v1/referrals/${referral.id}`)).statusCode, 403)
  assert.equal((await call('POST', `/api/v1/referrals/${referral.id}/transitions`, { to: 'accepted' })).statusCode, 403)
  const list = json<List>(await call('GET', '/api/v1/referrals'))
  assert.equal(list.total, 0)
  assert.equal((await call('GET', `/api/v1/referrals?site=${otherSite.code}x`)).statusCode, 403)
  assert.equal((await call('GET', '/api/v1/referrals/00000000-0000-4000-8000-000000000000')).statusCode, 404)
})

test('partners see and update only referrals sent to their organisation, never another’s or a draft', async (t) => {
  const { app, db, person, need, partnerService, organisation, clinician, site } = await setup(t)
  await givenConsent(db, person, clinician, { topic: 'share-with-partner', organisationId: organisation.id })
  const sent = await givenReferral(db, { person, need, service: partnerService, createdBy: clinician })
  const otherNeed = await givenNeed(db, person, clinician, { category: 'trauma' })
  const draft = await givenReferral(db, {
    person,
    need: otherNeed,
    service: partnerService,
    createdBy: clinician,
    status: 'draft',
  })
  const orgB = await givenOrganisation(db)
  const serviceB = await givenService(db, site, { kind: 'voluntary-sector', organisation_id: orgB.id })
  await givenConsent(db, person, clinician, { topic: 'share-with-partner', organisationId: orgB.id })
  const theirs = await givenReferral(db, { person, need, service: serviceB, createdBy: clinician })
  const partnerA = await callAs(app, db, await givenStaff(db, 'partner', { organisationId: organisation.id }))
  const partnerB = await callAs(app, db, await givenStaff(db, 'partner', { organisationId: orgB.id }))

  const seen = await partnerA('GET', `/api/v1/referrals/${sent.id}`)
  assert.equal(seen.statusCode, 200)
  const body = json<Referral>(seen)
  assert.equal(body.person?.givenName, 'Sam')
  assert.equal(body.person.nhsNumber, '9434765919')
  assert.equal(body.person.crn, undefined, 'no CRN for partners')
  assert.deepEqual(body.allowedTransitions, ['accepted', 'rejected', 'declined'])
  assert.equal((await partnerA('GET', `/api/v1/referrals/${draft.id}`)).statusCode, 404)
  assert.equal((await partnerB('GET', `/api/v1/referrals/${sent.id}`)).statusCode, 404)
  assert.equal((await partnerB('POST', `/api/v1/referrals/${sent.id}/transitions`, { to: 'accepted' })).statusCode, 404)
  const listA = json<List>(await partnerA('GET', '/api/v1/referrals'))
  assert.deepEqual(
    listA.referrals.map((r) => r.id),
    [sent.id],
  )
  const listB = json<List>(await partnerB('GET', '/api/v1/referrals'))
  assert.deepEqual(
    listB.referrals.map((r) => r.id),
    [theirs.id],
  )
  assert.equal((await partnerA('GET', `/api/v1/people/${person.id}/referrals`)).statusCode, 403)
  assert.equal((await partnerA('GET', `/api/v1/people/${person.id}`)).statusCode, 403)
  const withdraw = await partnerA('POST', `/api/v1/referrals/${sent.id}/transitions`, { to: 'withdrawn', reason: 'x' })
  assert.equal(withdraw.statusCode, 403)
  assert.equal(
    (await partnerA('PATCH', `/api/v1/referrals/${sent.id}`, { chaseOn: '2026-12-01' }, { 'if-match': 'W/"1"' }))
      .statusCode,
    403,
  )
  const accepted = await partnerA('POST', `/api/v1/referrals/${sent.id}/transitions`, { to: 'accepted', at: TODAY })
  assert.equal(accepted.statusCode, 200, accepted.body)
  const row = await db.selectFrom('referral').select('status').where('id', '=', theirs.id).executeTakeFirstOrThrow()
  assert.equal(row.status, 'sent')
})

test('when the person withdraws consent the partner at once sees only that the referral exists', async (t) => {
  const { app, db, person, need, partnerService, organisation, clinician } = await setup(t)
  await givenConsent(db, person, clinician, { topic: 'share-with-partner', organisationId: organisation.id })
  const referral = await givenReferral(db, { person, need, service: partnerService, createdBy: clinician })
  const partner = await callAs(app, db, await givenStaff(db, 'partner', { organisationId: organisation.id }))
  assert.equal(json<Referral>(await partner('GET', `/api/v1/referrals/${referral.id}`)).consentWithdrawn, false)
  await givenConsent(db, person, clinician, {
    topic: 'share-with-partner',
    organisationId: organisation.id,
    decision: 'withdrawn',
    recordedAt: new Date('2026-11-20T09:30:00Z'),
  })
  const after = await partner('GET', `/api/v1/referrals/${referral.id}`)
  assert.equal(after.statusCode, 200)
  assert.deepEqual(json(after), { id: referral.id, consentWithdrawn: true })
  assert.equal(after.headers.etag, undefined)
  const list = json<List>(await partner('GET', '/api/v1/referrals'))
  assert.deepEqual(list.referrals, [{ id: referral.id, consentWithdrawn: true }])
  const transition = await partner('POST', `/api/v1/referrals/${referral.id}/transitions`, { to: 'accepted' })
  assert.equal(transition.statusCode, 403)
  assert.match(json<Problem>(transition).detail, /withdrawn their consent/)
  const hub = json<Referral>(await (await callAs(app, db, clinician))('GET', `/api/v1/referrals/${referral.id}`))
  assert.equal(hub.partnerConsent, 'withdrawn')
  assert.equal(hub.status, 'sent')
})

test('documents the referral routes, the Idempotency-Key header and the 409 in OpenAPI', async (t) => {
  const { app } = await setup(t)
  const spec = json<{
    paths: Record<string, Record<string, { description?: string; parameters?: { name: string; in: string }[] }>>
  }>(await app.inject({ method: 'GET', url: '/api/docs' }))
  const post = spec.paths['/api/v1/people/{id}/referrals']?.['post']
  assert.ok(post?.parameters?.some((p) => p.in === 'header' && p.name === 'idempotency-key'))
  assert.match(spec.paths['/api/v1/referrals/{id}/transitions']?.['post']?.description ?? '', /409/)
  assert.ok(spec.paths['/api/v1/referrals/{id}']?.['patch'])
  assert.ok(spec.paths['/api/v1/referrals']?.['get'])
})
