import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { buildTestApp, json } from '../../../test/support/test-app.ts'
import { givenApiToken, givenAppointment, givenPerson, givenSite, givenStaff } from '../../../test/support/builders.ts'
import type { StaffRole } from '../../platform/http/roles.ts'

interface Problem {
  status: number
  detail: string
  code?: string
  errors?: { field: string; message: string }[]
}
interface Resource {
  id: string
  status: string
  outcome: string | null
  absenceReason: string | null
  version: number
  startsAt: string
  rescheduledFrom: string | null
}

function caller(app: FastifyInstance, token: string) {
  return (method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown, headers: Record<string, string> = {}) =>
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
  const { app, database, clock } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db, { name: 'Cambridge Health Hub' })
  const user = await givenStaff(db, role, { sites: [site], name: 'Casey User' })
  const clinician = await givenStaff(db, 'clinician', { sites: [site], name: 'Jo Nurse' })
  const practitioner = await givenStaff(db, 'probation_practitioner', { sites: [site], name: 'Pat Officer' })
  const person = await givenPerson(db, site, { given_name: 'Alex', family_name: 'Smith' })
  const { token } = await givenApiToken(db, user)
  const booking = (extra: Record<string, unknown> = {}) => ({
    kind: 'joint',
    startsAt: '2026-12-03T10:00:00Z',
    durationMinutes: 45,
    clinicianId: clinician.id,
    practitionerId: practitioner.id,
    location: 'Room 2',
    ...extra,
  })
  return { app, db, clock, site, user, clinician, practitioner, person, call: caller(app, token), booking }
}

test('books a joint appointment: 201 with Location and ETag, readable and listed, every step audited', async (t) => {
  const { db, person, call, booking } = await setup(t)
  const created = await call('POST', `/api/v1/people/${person.id}/appointments`, booking())
  assert.equal(created.statusCode, 201, created.body)
  const body = json<Resource>(created)
  assert.equal(created.headers.location, `/api/v1/appointments/${body.id}`)
  assert.equal(created.headers.etag, 'W/"1"')
  assert.equal(body.status, 'booked')
  assert.equal(body.startsAt, '2026-12-03T10:00:00.000Z')
  const read = await call('GET', `/api/v1/appointments/${body.id}`)
  assert.equal(read.statusCode, 200)
  assert.equal(read.headers.etag, 'W/"1"')
  const list = await call('GET', `/api/v1/people/${person.id}/appointments`)
  assert.deepEqual(
    json<{ appointments: Resource[] }>(list).appointments.map((a) => a.id),
    [body.id],
  )
  const events = await db
    .selectFrom('audit_event')
    .select(['action', 'entity_id', 'person_id'])
    .where('entity_type', '=', 'appointment')
    .orderBy('id')
    .execute()
  assert.deepEqual(
    events.map((e) => [e.action, e.person_id]),
    [
      ['create', person.id],
      ['view', person.id],
      ['list', person.id],
    ],
  )
})

test('records each outcome code once the appointment has started', async (t) => {
  const { clock, person, call, booking } = await setup(t)
  const codes = ['ATTC', 'AFTC', 'ATSH', 'ATSS', 'AFTA', 'UAAB', 'AA']
  const ids: string[] = []
  for (const [i, _code] of codes.entries()) {
    const response = await call(
      'POST',
      `/api/v1/people/${person.id}/appointments`,
      booking({ startsAt: `2026-12-${String(i + 1).padStart(2, '0')}T10:00:00Z` }),
    )
    assert.equal(response.statusCode, 201, response.body)
    ids.push(json<Resource>(response).id)
  }
  clock.set('2026-12-20T10:00:00Z')
  for (const [i, code] of codes.entries()) {
    const body =
      code === 'AA' ? { outcome: code, absenceReason: 'AAME', notes: 'Hospital appointment' } : { outcome: code }
    const response = await call('PATCH', `/api/v1/appointments/${ids[i]!}`, body, { 'if-match': 'W/"1"' })
    assert.equal(response.statusCode, 200, `${code}: ${response.body}`)
    const saved = json<Resource>(response)
    assert.equal(saved.outcome, code)
    assert.equal(saved.absenceReason, code === 'AA' ? 'AAME' : null)
    assert.equal(saved.status, 'completed')
    assert.equal(response.headers.etag, 'W/"2"')
  }
})

test('refuses RSOF and RSSR as outcomes (400 naming outcome): only rescheduling sets them', async (t) => {
  const { db, clock, person, call, booking } = await setup(t)
  const created = json<Resource>(await call('POST', `/api/v1/people/${person.id}/appointments`, booking()))
  for (const when of ['2026-11-21T10:00:00Z', '2026-12-03T11:00:00Z']) {
    clock.set(when)
    for (const outcome of ['RSOF', 'RSSR']) {
      const response = await call('PATCH', `/api/v1/appointments/${created.id}`, { outcome }, { 'if-match': 'W/"1"' })
      assert.equal(response.statusCode, 400, `${outcome} at ${when}: ${response.body}`)
      const errors = json<Problem>(response).errors ?? []
      assert.deepEqual(
        errors.map((e) => e.field),
        ['outcome'],
      )
      assert.match(errors[0]!.message, /reschedule/i)
    }
  }
  const saved = await db.selectFrom('appointment').selectAll().executeTakeFirstOrThrow()
  assert.equal(saved.status, 'booked')
  assert.equal(saved.version, 1)
  assert.equal((await db.selectFrom('follow_up').select('id').execute()).length, 0)
})

test('refuses acceptable absence without a reason, and a reason with another outcome, naming the field', async (t) => {
  const { clock, person, clinician, call } = await setup(t)
  const created = await call('POST', `/api/v1/people/${person.id}/appointments`, {
    kind: 'clinic',
    startsAt: '2026-12-03T10:00:00Z',
    durationMinutes: 30,
    clinicianId: clinician.id,
  })
  const id = json<Resource>(created).id
  clock.set('2026-12-03T11:00:00Z')
  const without = await call('PATCH', `/api/v1/appointments/${id}`, { outcome: 'AA' }, { 'if-match': 'W/"1"' })
  assert.equal(without.statusCode, 400)
  assert.deepEqual(json<Problem>(without).errors, [
    { field: 'absenceReason', message: 'Select the reason the absence was acceptable' },
  ])
  const wrong = await call(
    'PATCH',
    `/api/v1/appointments/${id}`,
    { outcome: 'ATTC', absenceReason: 'AAME' },
    { 'if-match': 'W/"1"' },
  )
  assert.equal(wrong.statusCode, 400)
  assert.equal(json<Problem>(wrong).errors?.[0]?.field, 'absenceReason')
  const unknown = await call('PATCH', `/api/v1/appointments/${id}`, { outcome: 'XXXX' }, { 'if-match': 'W/"1"' })
  assert.equal(unknown.statusCode, 400)
  assert.equal(json<Problem>(unknown).errors?.[0]?.field, 'outcome')
})

test('a missed appointment creates one follow-up for the clinician and one for the practitioner', async (t) => {
  const { db, clock, person, clinician, practitioner, call, booking } = await setup(t)
  const missed = json<Resource>(await call('POST', `/api/v1/people/${person.id}/appointments`, booking()))
  const attended = json<Resource>(
    await call('POST', `/api/v1/people/${person.id}/appointments`, booking({ startsAt: '2026-12-04T10:00:00Z' })),
  )
  clock.set('2026-12-04T12:00:00Z')
  assert.equal(
    (await call('PATCH', `/api/v1/appointments/${missed.id}`, { outcome: 'UAAB' }, { 'if-match': 'W/"1"' })).statusCode,
    200,
  )
  assert.equal(
    (await call('PATCH', `/api/v1/appointments/${attended.id}`, { outcome: 'ATTC' }, { 'if-match': 'W/"1"' }))
      .statusCode,
    200,
  )
  const items = await db.selectFrom('follow_up').selectAll().orderBy('assigned_to').execute()
  assert.deepEqual(items.map((i) => i.assigned_to).sort(), [clinician.id, practitioner.id].sort())
  for (const item of items) {
    assert.equal(item.appointment_id, missed.id)
    assert.equal(item.person_id, person.id)
    assert.equal(item.kind, 'missed-appointment')
    assert.equal(item.status, 'open')
    assert.equal(item.due_date, '2026-12-07')
    assert.match(item.reason, /Unacceptable absence on 3 December 2026/)
  }
  const audited = await db.selectFrom('audit_event').select('id').where('entity_type', '=', 'follow_up').execute()
  assert.equal(audited.length, 2)
})

test('refuses a double booking of the person, the clinician or the practitioner, naming the clash', async (t) => {
  const { db, site, person, clinician, call, booking } = await setup(t)
  const first = await call('POST', `/api/v1/people/${person.id}/appointments`, booking())
  assert.equal(first.statusCode, 201)
  const samePerson = await call(
    'POST',
    `/api/v1/people/${person.id}/appointments`,
    booking({
      kind: 'clinic',
      startsAt: '2026-12-03T10:30:00Z',
      clinicianId: (await givenStaff(db, 'clinician', { sites: [site] })).id,
    }),
  )
  assert.equal(samePerson.statusCode, 409)
  assert.equal(
    json<Problem>(samePerson).detail,
    'Alex Smith already has an appointment from 10am to 10:45am on 3 December 2026 at Cambridge Health Hub',
  )
  assert.equal(json<Problem>(samePerson).code, 'appointment-clash')

  const other = await givenPerson(db, site, { given_name: 'Sam', family_name: 'Jones' })
  const sameClinician = await call(
    'POST',
    `/api/v1/people/${other.id}/appointments`,
    booking({ kind: 'clinic', startsAt: '2026-12-03T09:30:00Z', clinicianId: clinician.id }),
  )
  assert.equal(sameClinician.statusCode, 409)
  assert.match(json<Problem>(sameClinician).detail, /^Jo Nurse already has an appointment from 10am to 10:45am/)

  const samepractitioner = await call(
    'POST',
    `/api/v1/people/${other.id}/appointments`,
    booking({
      startsAt: '2026-12-03T10:44:00Z',
      clinicianId: (await givenStaff(db, 'clinician', { sites: [site] })).id,
    }),
  )
  assert.equal(samepractitioner.statusCode, 409)
  assert.match(json<Problem>(samepractitioner).detail, /^Pat Officer already has an appointment/)

  const before = await call(
    'POST',
    `/api/v1/people/${person.id}/appointments`,
    booking({ startsAt: '2026-12-03T09:15:00Z' }),
  )
  const after = await call(
    'POST',
    `/api/v1/people/${person.id}/appointments`,
    booking({ startsAt: '2026-12-03T10:45:00Z' }),
  )
  assert.equal(before.statusCode, 201, 'an appointment ending as the other starts is allowed')
  assert.equal(after.statusCode, 201, 'an appointment starting as the other ends is allowed')
})

test('a cancelled appointment no longer blocks its time', async (t) => {
  const { person, call, booking } = await setup(t)
  const first = json<Resource>(await call('POST', `/api/v1/people/${person.id}/appointments`, booking()))
  const cancel = await call(
    'PATCH',
    `/api/v1/appointments/${first.id}`,
    { status: 'cancelled', reason: 'Clinician off sick' },
    { 'if-match': 'W/"1"' },
  )
  assert.equal(cancel.statusCode, 200)
  assert.equal(json<Resource>(cancel).status, 'cancelled')
  assert.equal((await call('POST', `/api/v1/people/${person.id}/appointments`, booking())).statusCode, 201)
  const again = await call(
    'PATCH',
    `/api/v1/appointments/${first.id}`,
    { status: 'cancelled', reason: 'Again' },
    { 'if-match': 'W/"2"' },
  )
  assert.equal(again.statusCode, 409)
  const noReason = await call(
    'PATCH',
    `/api/v1/appointments/${first.id}`,
    { status: 'cancelled' },
    { 'if-match': 'W/"2"' },
  )
  assert.equal(noReason.statusCode, 400)
  assert.equal(json<Problem>(noReason).errors?.[0]?.field, 'reason')
})

test('two concurrent bookings of the same time create only one appointment', async (t) => {
  const { db, site, person, call, booking } = await setup(t)
  const otherClinician = await givenStaff(db, 'clinician', { sites: [site] })
  const responses = await Promise.all([
    call('POST', `/api/v1/people/${person.id}/appointments`, booking()),
    call(
      'POST',
      `/api/v1/people/${person.id}/appointments`,
      booking({ kind: 'clinic', clinicianId: otherClinician.id }),
    ),
  ])
  assert.deepEqual(responses.map((r) => r.statusCode).sort(), [201, 409])
  const rows = await db.selectFrom('appointment').select('id').execute()
  assert.equal(rows.length, 1)
})

test('an Idempotency-Key retry books nothing new and answers with the first booking', async (t) => {
  const { db, person, call, booking } = await setup(t)
  const first = await call('POST', `/api/v1/people/${person.id}/appointments`, booking(), { 'idempotency-key': 'k-1' })
  const second = await call('POST', `/api/v1/people/${person.id}/appointments`, booking(), { 'idempotency-key': 'k-1' })
  assert.equal(first.statusCode, 201)
  assert.equal(second.statusCode, 201)
  assert.equal(second.headers.location, first.headers.location)
  assert.equal((await db.selectFrom('appointment').select('id').execute()).length, 1)
})

test('refuses a booking in the past and an outcome before the start, naming the field', async (t) => {
  const { person, call, booking } = await setup(t)
  const past = await call(
    'POST',
    `/api/v1/people/${person.id}/appointments`,
    booking({ startsAt: '2026-11-20T09:00:00Z' }),
  )
  assert.equal(past.statusCode, 400)
  assert.deepEqual(json<Problem>(past).errors, [
    { field: 'startsAt', message: 'The appointment must start in the future' },
  ])
  const created = json<Resource>(await call('POST', `/api/v1/people/${person.id}/appointments`, booking()))
  const early = await call('PATCH', `/api/v1/appointments/${created.id}`, { outcome: 'ATTC' }, { 'if-match': 'W/"1"' })
  assert.equal(early.statusCode, 400)
  assert.equal(json<Problem>(early).errors?.[0]?.field, 'outcome')
})

test('names invalid fields in a booking', async (t) => {
  const { person, call } = await setup(t)
  const response = await call('POST', `/api/v1/people/${person.id}/appointments`, {
    kind: 'joint',
    startsAt: 'tomorrow',
    durationMinutes: 2,
    clinicianId: 'nobody',
  })
  assert.equal(response.statusCode, 400)
  assert.deepEqual(
    json<Problem>(response).errors?.map((e) => e.field),
    ['startsAt', 'durationMinutes', 'clinicianId', 'practitionerId'],
  )
  const extra = await call('POST', `/api/v1/people/${person.id}/appointments`, { surprise: true })
  assert.equal(extra.statusCode, 400)
})

test('refuses a startsAt whose date does not exist instead of rolling it over (400 naming startsAt)', async (t) => {
  const { db, person, call, booking } = await setup(t)
  for (const startsAt of ['2027-02-30T10:00:00Z', '2027-02-29T10:00:00+00:00', '2026-12-32T10:00:00Z']) {
    const response = await call('POST', `/api/v1/people/${person.id}/appointments`, booking({ startsAt }))
    assert.equal(response.statusCode, 400, `${startsAt}: ${response.body}`)
    assert.deepEqual(
      json<Problem>(response).errors?.map((e) => e.field),
      ['startsAt'],
    )
  }
  assert.equal((await db.selectFrom('appointment').select('id').execute()).length, 0)
  const leapDay = await call(
    'POST',
    `/api/v1/people/${person.id}/appointments`,
    booking({ startsAt: '2028-02-29T10:00:00Z' }),
  )
  assert.equal(leapDay.statusCode, 201, leapDay.body)
})

test('a PATCH needs If-Match (428) and refuses a stale version (412)', async (t) => {
  const { clock, person, call, booking } = await setup(t)
  const created = json<Resource>(await call('POST', `/api/v1/people/${person.id}/appointments`, booking()))
  clock.set('2026-12-03T11:00:00Z')
  const missing = await call('PATCH', `/api/v1/appointments/${created.id}`, { outcome: 'ATTC' })
  assert.equal(missing.statusCode, 428)
  const stale = await call('PATCH', `/api/v1/appointments/${created.id}`, { outcome: 'ATTC' }, { 'if-match': 'W/"7"' })
  assert.equal(stale.statusCode, 412)
})

test('refuses another site’s person and appointment (403) and unknown ids (404)', async (t) => {
  const { db, clinician, call } = await setup(t)
  const elsewhere = await givenSite(db)
  const stranger = await givenPerson(db, elsewhere)
  const theirClinician = await givenStaff(db, 'clinician', { sites: [elsewhere] })
  const theirs = await givenAppointment(db, { person: stranger, clinician: theirClinician })
  const book = await call('POST', `/api/v1/people/${stranger.id}/appointments`, {
    kind: 'clinic',
    startsAt: '2026-12-03T10:00:00Z',
    durationMinutes: 30,
    clinicianId: clinician.id,
  })
  assert.equal(book.statusCode, 403)
  assert.equal((await call('GET', `/api/v1/people/${stranger.id}/appointments`)).statusCode, 403)
  assert.equal((await call('GET', `/api/v1/appointments/${theirs.id}`)).statusCode, 403)
  assert.equal(
    (
      await call(
        'PATCH',
        `/api/v1/appointments/${theirs.id}`,
        { status: 'cancelled', reason: 'x' },
        { 'if-match': 'W/"1"' },
      )
    ).statusCode,
    403,
  )
  assert.equal((await call('GET', '/api/v1/appointments/00000000-0000-0000-0000-000000000000')).statusCode, 404)
})

for (const role of ['analyst', 'admin', 'partner'] as const) {
  test(`refuses the ${role} role (403)`, async (t) => {
    const { person, call, booking } = await setup(t, role)
    assert.equal((await call('POST', `/api/v1/people/${person.id}/appointments`, booking())).statusCode, 403)
    assert.equal((await call('GET', `/api/v1/people/${person.id}/appointments`)).statusCode, 403)
  })
}
