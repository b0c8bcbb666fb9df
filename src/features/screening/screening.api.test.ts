import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import { buildTestApp, json } from '../../../test/support/test-app.ts'
import {
  givenApiToken,
  givenHealthCheck,
  givenPerson,
  givenScreeningEvent,
  givenSite,
  givenStaff,
} from '../../../test/support/builders.ts'
import type { StaffRole } from '../../platform/http/roles.ts'
import type { SmokingStatus } from '../health-checks/index.ts'

interface Problem {
  status: number
  errors?: { field: string; message: string }[]
}
interface Programme {
  programme: string
  eligible: boolean | string
  status: string
  nextDue: string | null
  reason: string
}
interface Assessment {
  personId: string
  asOf: string
  programmes: Programme[]
}
interface Event {
  id: string
  personId: string
  programme: string
  state: string
  date: string
  result: string | null
  selfSample: boolean | null
  note: string | null
  recordedBy: string
  enteredInError: { at: string; by: string; reason: string } | null
}

type PersonFields = Parameters<typeof givenPerson>[2]

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

/** The app's clock is 20 November 2026, 10:00 UTC: today in the UK is 2026-11-20. */
async function setup(t: TestContext, person: PersonFields = {}, role: StaffRole = 'clinician') {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db)
  const user = await givenStaff(db, role, { sites: [site] })
  const subject = await givenPerson(db, site, { date_of_birth: '1970-01-15', sex: '1', ...person })
  const { token } = await givenApiToken(db, user)
  const call = caller(app, token)
  const urls = {
    screening: `/api/v1/people/${subject.id}/screening`,
    events: `/api/v1/people/${subject.id}/screening/events`,
    correct: (id: string) => `/api/v1/screening-events/${id}/entered-in-error`,
  }
  const assess = async (asOf?: string) => {
    const response = await call('GET', asOf === undefined ? urls.screening : `${urls.screening}?asOf=${asOf}`)
    assert.equal(response.statusCode, 200, response.body)
    return json<Assessment>(response)
  }
  const programme = async (code: string, asOf?: string) => {
    const found = (await assess(asOf)).programmes.find((p) => p.programme === code)
    assert.ok(found, `no ${code} in the response`)
    return found
  }
  const record = async (body: Record<string, unknown>) => {
    const response = await call('POST', urls.events, body)
    assert.equal(response.statusCode, 201, response.body)
    return json<Event>(response)
  }
  return { app, db, site, user, person: subject, call, urls, assess, programme, record }
}

/** A health check with an observation recording the smoking status, at the given time. */
async function givenSmoking(
  db: Kysely<DB>,
  person: { id: string; site_id: string },
  clinician: { id: string },
  status: SmokingStatus | null,
  recordedAt: string,
) {
  const check = await givenHealthCheck(db, { person, clinician, startedAt: new Date(recordedAt) })
  await db
    .insertInto('health_check_observation')
    .values({
      check_id: check.id,
      blood_pressure_status: 'not-measured',
      height_status: 'not-measured',
      weight_status: 'not-measured',
      smoking_status: status,
      recorded_at: new Date(recordedAt),
      recorded_by: clinician.id,
    })
    .execute()
}

const fieldsOf = (body: string) => (JSON.parse(body) as Problem).errors?.map((e) => e.field) ?? []

test('GET gives every programme with the exact codes, as of today in the UK by default, and audits the read', async (t) => {
  const { db, person, assess } = await setup(t)
  const result = await assess()
  assert.equal(result.personId, person.id)
  assert.equal(result.asOf, '2026-11-20')
  assert.deepEqual(
    result.programmes.map((p) => p.programme),
    ['cervical', 'breast', 'bowel', 'aaa', 'lung', 'prostate-informed-choice'],
  )
  for (const p of result.programmes) {
    assert.deepEqual(Object.keys(p).sort(), ['eligible', 'nextDue', 'programme', 'reason', 'status'])
  }
  const bowel = result.programmes[2]
  assert.deepEqual([bowel?.eligible, bowel?.status, bowel?.nextDue], [true, 'due', '2020-01-15'])
  const audit = await db
    .selectFrom('audit_event')
    .select(['action', 'entity_type', 'entity_id', 'person_id', 'details'])
    .where('person_id', '=', person.id)
    .execute()
  assert.deepEqual(
    audit.map((a) => [a.action, a.entity_type, a.entity_id, (a.details as { asOf?: string }).asOf]),
    [['view', 'screening', person.id, '2026-11-20']],
  )
})

test('bowel through each recorded state; asOf in the past ignores later events', async (t) => {
  const { programme, record } = await setup(t)
  await record({ programme: 'bowel', state: 'invited', date: '2026-01-10' })
  assert.equal((await programme('bowel')).status, 'invited')
  await record({ programme: 'bowel', state: 'booked', date: '2026-02-01' })
  assert.equal((await programme('bowel')).status, 'booked')
  await record({ programme: 'bowel', state: 'attended', date: '2026-02-10' })
  const attended = await programme('bowel')
  assert.deepEqual([attended.status, attended.nextDue], ['attended', null])
  await record({ programme: 'bowel', state: 'result-recorded', date: '2026-02-10', result: 'normal' })
  const normal = await programme('bowel')
  assert.deepEqual([normal.eligible, normal.status, normal.nextDue], [true, 'result-recorded', '2028-02-10'])
  assert.match(normal.reason, /Last kit done 10 February 2026 with a normal result/)
  // As known on earlier dates.
  assert.equal((await programme('bowel', '2026-02-05')).status, 'booked')
  assert.equal((await programme('bowel', '2026-01-20')).status, 'invited')
  const before = await programme('bowel', '2026-01-09')
  assert.deepEqual([before.status, before.nextDue], ['due', '2020-01-15'])
  // Two years on, due again.
  assert.equal((await programme('bowel', '2028-02-10')).status, 'due')
})

test('cervical, breast, AAA and lung each take their recorded events and results', async (t) => {
  const { app, db, site, user } = await setup(t)
  const { token } = await givenApiToken(db, user)
  const call = caller(app, token)
  const personWith = async (fields: PersonFields) => {
    const p = await givenPerson(db, site, fields)
    const post = async (body: Record<string, unknown>) => {
      const response = await call('POST', `/api/v1/people/${p.id}/screening/events`, body)
      assert.equal(response.statusCode, 201, response.body)
      return json<Event>(response)
    }
    const get = async (code: string, asOf = '2026-11-20') => {
      const response = await call('GET', `/api/v1/people/${p.id}/screening?asOf=${asOf}`)
      assert.equal(response.statusCode, 200, response.body)
      const found = json<Assessment>(response).programmes.find((x) => x.programme === code)
      assert.ok(found)
      return found
    }
    return { p, post, get }
  }

  const woman = await personWith({
    date_of_birth: '1990-04-23',
    sex: '2',
    stated_gender: '2',
    gender_same_as_birth: 'yes',
  })
  const smear = await woman.post({
    programme: 'cervical',
    state: 'result-recorded',
    date: '2025-08-01',
    result: 'hpv-negative',
  })
  assert.equal(smear.selfSample, false)
  const cervical = await woman.get('cervical')
  assert.deepEqual([cervical.eligible, cervical.status, cervical.nextDue], [true, 'result-recorded', '2030-08-01'])
  // A self-sample never moves anyone to 5 years.
  await woman.post({
    programme: 'cervical',
    state: 'result-recorded',
    date: '2026-09-01',
    result: 'hpv-negative',
    selfSample: true,
  })
  assert.equal((await woman.get('cervical')).nextDue, '2029-09-01')

  const older = await personWith({ date_of_birth: '1970-06-01', sex: '2' })
  await older.post({ programme: 'breast', state: 'invited', date: '2026-02-01' })
  assert.equal((await older.get('breast')).status, 'invited')
  await older.post({ programme: 'breast', state: 'declined', date: '2026-03-01', note: 'Will think about it' })
  const declined = await older.get('breast')
  assert.deepEqual([declined.eligible, declined.status], [true, 'declined'])
  assert.match(declined.reason, /Declined on 1 March 2026/)

  const man = await personWith({ date_of_birth: '1961-03-10', sex: '1', gender_same_as_birth: 'yes' })
  assert.equal((await man.get('aaa')).status, 'due')
  await man.post({ programme: 'aaa', state: 'booked', date: '2026-05-01' })
  assert.equal((await man.get('aaa')).status, 'booked')
  await man.post({ programme: 'aaa', state: 'result-recorded', date: '2026-06-01', result: 'normal' })
  const aaa = await man.get('aaa')
  assert.deepEqual([aaa.eligible, aaa.status, aaa.nextDue], [false, 'result-recorded', null])

  const smoker = await personWith({ date_of_birth: '1965-02-01', sex: '1' })
  await givenSmoking(db, smoker.p, user, 'current', '2026-10-01T10:00:00Z')
  await smoker.post({ programme: 'lung', state: 'result-recorded', date: '2025-06-01', result: 'high-risk-scanned' })
  const lung = await smoker.get('lung')
  assert.deepEqual([lung.eligible, lung.status, lung.nextDue], [true, 'result-recorded', '2027-06-01'])
  assert.match(lung.reason, /Recorded as a current smoker/)
})

/** Every programme's boundary ages, through the API: the day before and the day the rule changes. */
const boundaries: {
  name: string
  person: PersonFields
  smoking?: SmokingStatus
  programme: string
  asOf: string
  eligible: boolean | string
  status: string
}[] = [
  {
    name: 'cervical, day before 24½',
    person: { date_of_birth: '2002-05-20', sex: '2' },
    programme: 'cervical',
    asOf: '2026-11-19',
    eligible: false,
    status: 'not-eligible',
  },
  {
    name: 'cervical, at 24½',
    person: { date_of_birth: '2002-05-20', sex: '2' },
    programme: 'cervical',
    asOf: '2026-11-20',
    eligible: true,
    status: 'due',
  },
  {
    name: 'cervical, day before 65',
    person: { date_of_birth: '1961-11-20', sex: '2' },
    programme: 'cervical',
    asOf: '2026-11-19',
    eligible: true,
    status: 'due',
  },
  {
    name: 'cervical, at 65',
    person: { date_of_birth: '1961-11-20', sex: '2' },
    programme: 'cervical',
    asOf: '2026-11-20',
    eligible: false,
    status: 'not-eligible',
  },
  {
    name: 'breast, day before 50',
    person: { date_of_birth: '1976-11-20', sex: '2' },
    programme: 'breast',
    asOf: '2026-11-19',
    eligible: false,
    status: 'not-eligible',
  },
  {
    name: 'breast, at 50',
    person: { date_of_birth: '1976-11-20', sex: '2' },
    programme: 'breast',
    asOf: '2026-11-20',
    eligible: true,
    status: 'due',
  },
  {
    name: 'breast, day before 71',
    person: { date_of_birth: '1955-11-20', sex: '2' },
    programme: 'breast',
    asOf: '2026-11-19',
    eligible: true,
    status: 'due',
  },
  {
    name: 'breast, at 71',
    person: { date_of_birth: '1955-11-20', sex: '2' },
    programme: 'breast',
    asOf: '2026-11-20',
    eligible: 'self-referral',
    status: 'not-eligible',
  },
  {
    name: 'bowel, day before 50',
    person: { date_of_birth: '1976-11-20', sex: '1' },
    programme: 'bowel',
    asOf: '2026-11-19',
    eligible: false,
    status: 'not-eligible',
  },
  {
    name: 'bowel, at 50',
    person: { date_of_birth: '1976-11-20', sex: '1' },
    programme: 'bowel',
    asOf: '2026-11-20',
    eligible: true,
    status: 'due',
  },
  {
    name: 'bowel, day before 75',
    person: { date_of_birth: '1951-11-20', sex: '1' },
    programme: 'bowel',
    asOf: '2026-11-19',
    eligible: true,
    status: 'due',
  },
  {
    name: 'bowel, at 75',
    person: { date_of_birth: '1951-11-20', sex: '1' },
    programme: 'bowel',
    asOf: '2026-11-20',
    eligible: 'self-referral',
    status: 'not-eligible',
  },
  {
    name: 'AAA, 31 December before the year of 65',
    person: { date_of_birth: '1961-07-01', sex: '1' },
    programme: 'aaa',
    asOf: '2025-12-31',
    eligible: false,
    status: 'not-eligible',
  },
  {
    name: 'AAA, 1 January of the year of 65',
    person: { date_of_birth: '1961-07-01', sex: '1' },
    programme: 'aaa',
    asOf: '2026-01-01',
    eligible: true,
    status: 'due',
  },
  {
    name: 'AAA, 31 December of the year of 65',
    person: { date_of_birth: '1961-07-01', sex: '1' },
    programme: 'aaa',
    asOf: '2026-12-31',
    eligible: true,
    status: 'due',
  },
  {
    name: 'AAA, after the year of 65',
    person: { date_of_birth: '1961-07-01', sex: '1' },
    programme: 'aaa',
    asOf: '2027-01-01',
    eligible: 'self-referral',
    status: 'not-eligible',
  },
  {
    name: 'AAA, a woman in the year of 65',
    person: { date_of_birth: '1961-07-01', sex: '2' },
    programme: 'aaa',
    asOf: '2026-06-01',
    eligible: false,
    status: 'not-eligible',
  },
  {
    name: 'lung, day before 55',
    person: { date_of_birth: '1971-11-20', sex: '1' },
    smoking: 'ex',
    programme: 'lung',
    asOf: '2026-11-19',
    eligible: false,
    status: 'not-eligible',
  },
  {
    name: 'lung, at 55',
    person: { date_of_birth: '1971-11-20', sex: '1' },
    smoking: 'ex',
    programme: 'lung',
    asOf: '2026-11-20',
    eligible: true,
    status: 'due',
  },
  {
    name: 'lung, day before 75',
    person: { date_of_birth: '1951-11-20', sex: '2' },
    smoking: 'current',
    programme: 'lung',
    asOf: '2026-11-19',
    eligible: true,
    status: 'due',
  },
  {
    name: 'lung, at 75',
    person: { date_of_birth: '1951-11-20', sex: '2' },
    smoking: 'current',
    programme: 'lung',
    asOf: '2026-11-20',
    eligible: false,
    status: 'not-eligible',
  },
  {
    name: 'prostate, a man of 50',
    person: { date_of_birth: '1976-11-20', sex: '1' },
    programme: 'prostate-informed-choice',
    asOf: '2026-11-20',
    eligible: false,
    status: 'not-eligible',
  },
]

test('every programme’s boundary ages come through the API from the person’s record', async (t) => {
  const { app, db, site, user } = await setup(t)
  const { token } = await givenApiToken(db, user)
  const call = caller(app, token)
  for (const b of boundaries) {
    const p = await givenPerson(db, site, b.person)
    if (b.smoking !== undefined) await givenSmoking(db, p, user, b.smoking, '2020-01-01T10:00:00Z')
    const response = await call('GET', `/api/v1/people/${p.id}/screening?asOf=${b.asOf}`)
    assert.equal(response.statusCode, 200, `${b.name}: ${response.body}`)
    const found = json<Assessment>(response).programmes.find((x) => x.programme === b.programme)
    assert.deepEqual([found?.eligible, found?.status], [b.eligible, b.status], b.name)
  }
})

test('prostate is never due and never called screening in the API', async (t) => {
  const { programme } = await setup(t, { date_of_birth: '1960-01-01', sex: '1' })
  const prostate = await programme('prostate-informed-choice')
  assert.deepEqual([prostate.eligible, prostate.status, prostate.nextDue], [false, 'not-eligible', null])
  assert.doesNotMatch(prostate.reason, /screen|due/i)
  assert.match(prostate.reason, /PSA/)
})

test('smoking history comes from the most recent health check observation that records it, as known on asOf', async (t) => {
  const { db, user, person, programme } = await setup(t, { date_of_birth: '1966-05-01', sex: '1' })
  const lungAt = async (asOf?: string) => {
    const lung = await programme('lung', asOf)
    return lung.eligible
  }
  assert.equal(await lungAt(), 'check-with-clinician', 'no observation: not known')
  await givenSmoking(db, person, user, 'prefer-not-to-say', '2026-01-10T10:00:00Z')
  assert.equal(await lungAt(), 'check-with-clinician', 'prefer not to say: not known')
  await givenSmoking(db, person, user, 'never', '2026-03-10T10:00:00Z')
  assert.equal(await lungAt(), false, 'never smoked')
  await givenSmoking(db, person, user, 'ex', '2026-06-10T10:00:00Z')
  // An observation with no smoking status does not hide the one before it.
  await givenSmoking(db, person, user, null, '2026-08-10T10:00:00Z')
  assert.equal(await lungAt(), true, 'the latest, ex-smoker')
  assert.equal(await lungAt('2026-06-09'), false, 'before the ex-smoker observation it was never')
  // Recorded at 23:30 UTC on 9 July in summer is 10 July in the UK.
  await givenSmoking(db, person, user, 'never', '2026-07-09T23:30:00Z')
  assert.equal(await lungAt('2026-07-09'), true)
  assert.equal(await lungAt('2026-07-10'), false)
})

test('sex, stated gender and gender-as-at-birth from the person record reach the rules', async (t) => {
  const { programme: femaleAsRecorded } = await setup(t, {
    date_of_birth: '1980-01-01',
    sex: '2',
    stated_gender: '2',
    gender_same_as_birth: 'yes',
  })
  assert.equal((await femaleAsRecorded('cervical')).eligible, true)
  const { programme: transMan } = await setup(t, {
    date_of_birth: '1980-01-01',
    sex: '2',
    stated_gender: '1',
    gender_same_as_birth: 'no',
  })
  const cervical = await transMan('cervical')
  assert.deepEqual([cervical.eligible, cervical.status], ['check-with-clinician', 'due'])
  assert.match(cervical.reason, /^Check with a clinician/)
  const { programme: noSex } = await setup(t, { date_of_birth: '1961-05-01', sex: null })
  assert.equal((await noSex('aaa', '2026-06-01')).eligible, 'check-with-clinician')
})

test('an event marked entered in error stays in the list but no longer counts', async (t) => {
  const { db, user, person, call, urls, programme, record } = await setup(t)
  const kit = await record({ programme: 'bowel', state: 'result-recorded', date: '2026-03-01', result: 'normal' })
  assert.equal((await programme('bowel')).status, 'result-recorded')
  const blank = await call('POST', urls.correct(kit.id), { reason: '  ' })
  assert.equal(blank.statusCode, 400)
  assert.deepEqual(fieldsOf(blank.body), ['reason'])
  const missing = await call('POST', urls.correct(kit.id), {})
  assert.equal(missing.statusCode, 400)
  assert.deepEqual(fieldsOf(missing.body), ['reason'])
  const corrected = await call('POST', urls.correct(kit.id), { reason: 'Recorded for the wrong person' })
  assert.equal(corrected.statusCode, 200, corrected.body)
  const body = json<Event>(corrected)
  assert.equal(body.enteredInError?.reason, 'Recorded for the wrong person')
  assert.equal(body.enteredInError.by, user.id)
  assert.equal((await programme('bowel')).status, 'due')
  const again = await call('POST', urls.correct(kit.id), { reason: 'Again' })
  assert.equal(again.statusCode, 409)
  const listed = json<{ personId: string; events: Event[] }>(await call('GET', urls.events))
  assert.equal(listed.personId, person.id)
  assert.deepEqual(
    listed.events.map((e) => [e.id, e.enteredInError?.reason ?? null]),
    [[kit.id, 'Recorded for the wrong person']],
  )
  // Written straight to the table: also ignored.
  await givenScreeningEvent(db, person, user, {
    programme: 'bowel',
    state: 'declined',
    date: '2026-04-01',
    enteredInError: { reason: 'Wrong programme' },
  })
  assert.equal((await programme('bowel')).status, 'due')
  const audit = await db
    .selectFrom('audit_event')
    .select(['action', 'entity_type', 'entity_id', 'details'])
    .where('person_id', '=', person.id)
    .where('action', '!=', 'view')
    .orderBy('id')
    .execute()
  assert.deepEqual(
    audit.map((a) => [a.action, a.entity_type, a.entity_id, (a.details as { change?: string }).change ?? null]),
    [
      ['create', 'screening_event', kit.id, null],
      ['update', 'screening_event', kit.id, 'entered-in-error'],
    ],
  )
  const listRead = await db
    .selectFrom('audit_event')
    .select('details')
    .where('person_id', '=', person.id)
    .where('action', '=', 'view')
    .execute()
  assert.ok(
    listRead.some((a) => (a.details as { purpose?: string }).purpose === 'events'),
    'the list read is audited',
  )
})

test('POST records the event as sent, with who recorded it, and audits it in the same transaction', async (t) => {
  const { db, user, person, record } = await setup(t)
  const event = await record({
    programme: 'lung',
    state: 'invited',
    date: '2026-11-20',
    note: '  Letter seen at appointment ',
  })
  assert.deepEqual(
    [event.personId, event.programme, event.state, event.date, event.result, event.selfSample, event.note],
    [person.id, 'lung', 'invited', '2026-11-20', null, null, 'Letter seen at appointment'],
  )
  assert.equal(event.recordedBy, user.id)
  const row = await db.selectFrom('screening_event').selectAll().executeTakeFirstOrThrow()
  assert.equal(row.recorded_by, user.id)
  const audit = await db
    .selectFrom('audit_event')
    .select(['action', 'entity_id', 'person_id', 'details'])
    .where('entity_type', '=', 'screening_event')
    .execute()
  assert.deepEqual(
    audit.map((a) => [a.action, a.entity_id, a.person_id, (a.details as { programme?: string }).programme]),
    [['create', event.id, person.id, 'lung']],
  )
})

test('bad input is refused with 400 naming the field, and nothing is saved', async (t) => {
  const { db, call, urls } = await setup(t, { date_of_birth: '1970-01-15' })
  const cases: [Record<string, unknown>, string[]][] = [
    [{ programme: 'kidney', state: 'invited', date: '2026-11-01' }, ['programme']],
    [{ programme: 'prostate-informed-choice', state: 'invited', date: '2026-11-01' }, ['programme']],
    [{ programme: 'bowel', state: 'lost', date: '2026-11-01' }, ['state']],
    [{ programme: 'bowel', state: 'result-recorded', date: '2026-11-01', result: 'fine' }, ['result']],
    [{ programme: 'bowel', state: 'result-recorded', date: '2026-11-01', result: 'low-risk' }, ['result']],
    [{ programme: 'cervical', state: 'result-recorded', date: '2026-11-01', result: 'normal' }, ['result']],
    [{ programme: 'bowel', state: 'result-recorded', date: '2026-11-01' }, ['result']],
    [{ programme: 'bowel', state: 'invited', date: '2026-11-01', result: 'normal' }, ['result']],
    [{ programme: 'bowel', state: 'invited', date: '2026-11-01', selfSample: true }, ['selfSample']],
    [{ programme: 'bowel', state: 'invited', date: '2026-11-21' }, ['date']],
    [{ programme: 'bowel', state: 'invited', date: '2026-02-30' }, ['date']],
    [{ programme: 'bowel', state: 'invited', date: '1/11/2026' }, ['date']],
    [{ programme: 'bowel', state: 'invited', date: '1970-01-14' }, ['date']],
    [{ programme: 'bowel', state: 'invited' }, ['date']],
    [{ programme: '', state: '', date: '' }, ['programme', 'state']],
    [{ programme: 'bowel', state: 'invited', date: '2026-11-01', extra: 1 }, ['extra']],
    [{ programme: 'bowel', state: 'invited', date: '2026-11-01', note: 'x'.repeat(2001) }, ['note']],
  ]
  for (const [body, fields] of cases) {
    const response = await call('POST', urls.events, body)
    assert.equal(response.statusCode, 400, `${JSON.stringify(body).slice(0, 100)}: ${response.body}`)
    assert.match(String(response.headers['content-type']), /application\/problem\+json/)
    assert.deepEqual(fieldsOf(response.body), fields, JSON.stringify(body).slice(0, 100))
  }
  const saved = await db.selectFrom('screening_event').select('id').execute()
  assert.equal(saved.length, 0)
})

test('a malformed, impossible or pre-birth asOf is refused with 400 naming asOf', async (t) => {
  const { call, urls } = await setup(t, { date_of_birth: '1970-01-15' })
  for (const asOf of ['20261120', '2026-13-01', '2026-02-30', 'today', '1970-01-14']) {
    const response = await call('GET', `${urls.screening}?asOf=${asOf}`)
    assert.equal(response.statusCode, 400, `${asOf}: ${response.body}`)
    assert.deepEqual(fieldsOf(response.body), ['asOf'], asOf)
  }
  assert.equal((await call('GET', `${urls.screening}?asOf=1970-01-15`)).statusCode, 200)
})

test('an Idempotency-Key makes a retry record nothing; the same key with another body is refused', async (t) => {
  const { db, call, urls } = await setup(t)
  const body = { programme: 'bowel', state: 'invited', date: '2026-11-01' }
  const first = await call('POST', urls.events, body, { 'idempotency-key': 'key-1' })
  const second = await call('POST', urls.events, body, { 'idempotency-key': 'key-1' })
  assert.equal(first.statusCode, 201)
  assert.equal(second.statusCode, 201)
  assert.equal(json<Event>(first).id, json<Event>(second).id)
  assert.equal((await db.selectFrom('screening_event').select('id').execute()).length, 1)
  const other = await call('POST', urls.events, { ...body, state: 'booked' }, { 'idempotency-key': 'key-1' })
  assert.equal(other.statusCode, 422)
  assert.deepEqual(fieldsOf(other.body), ['Idempotency-Key'])
  const another = await call('POST', urls.events, body, { 'idempotency-key': 'key-2' })
  assert.equal(another.statusCode, 201)
  assert.equal((await db.selectFrom('screening_event').select('id').execute()).length, 2)
})

for (const role of ['probation_practitioner', 'partner', 'analyst', 'auditor', 'admin'] as const) {
  test(`the ${role} role is refused every screening route (403)`, async (t) => {
    const { app, db, site, person, urls } = await setup(t)
    const clinician = await givenStaff(db, 'clinician', { sites: [site] })
    const event = await givenScreeningEvent(db, person, clinician)
    const other = await givenStaff(db, role, { sites: [site] })
    const call = caller(app, (await givenApiToken(db, other)).token)
    assert.equal((await call('GET', urls.screening)).statusCode, 403)
    assert.equal((await call('GET', urls.events)).statusCode, 403)
    const body = { programme: 'bowel', state: 'invited', date: '2026-11-01' }
    assert.equal((await call('POST', urls.events, body)).statusCode, 403)
    assert.equal((await call('POST', urls.correct(event.id), { reason: 'x' })).statusCode, 403)
    assert.equal((await db.selectFrom('screening_event').select('id').execute()).length, 1)
  })
}

test('another site’s person and their events are refused (403); unknown ids are 404; no token is 401', async (t) => {
  const { app, db, user, call } = await setup(t)
  const elsewhere = await givenSite(db)
  const stranger = await givenPerson(db, elsewhere)
  const theirClinician = await givenStaff(db, 'clinician', { sites: [elsewhere] })
  const event = await givenScreeningEvent(db, stranger, theirClinician)
  assert.equal((await call('GET', `/api/v1/people/${stranger.id}/screening`)).statusCode, 403)
  assert.equal((await call('GET', `/api/v1/people/${stranger.id}/screening/events`)).statusCode, 403)
  const body = { programme: 'bowel', state: 'invited', date: '2026-11-01' }
  assert.equal((await call('POST', `/api/v1/people/${stranger.id}/screening/events`, body)).statusCode, 403)
  assert.equal(
    (await call('POST', `/api/v1/screening-events/${event.id}/entered-in-error`, { reason: 'x' })).statusCode,
    403,
  )
  const row = await db.selectFrom('screening_event').selectAll().executeTakeFirstOrThrow()
  assert.equal(row.entered_in_error_at, null)
  assert.equal((await call('GET', '/api/v1/people/7d1c3b5e-0000-4000-8000-000000000000/screening')).statusCode, 404)
  assert.equal((await call('GET', '/api/v1/people/not-a-uuid/screening')).statusCode, 404)
  assert.equal(
    (await call('POST', '/api/v1/screening-events/not-a-uuid/entered-in-error', { reason: 'x' })).statusCode,
    404,
  )
  const anonymous = await app.inject({ method: 'GET', url: `/api/v1/people/${stranger.id}/screening` })
  assert.equal(anonymous.statusCode, 401)
  assert.ok(user)
})

test('a hub manager may use the API; a session-cookie write without the CSRF token is refused', async (t) => {
  const { app, db, site, person, urls } = await setup(t)
  const manager = await givenStaff(db, 'hub_manager', { sites: [site] })
  const call = caller(app, (await givenApiToken(db, manager)).token)
  assert.equal((await call('GET', urls.screening)).statusCode, 200)
  const session = await signIn(app, manager.email, manager.password)
  const payload = JSON.stringify({ programme: 'bowel', state: 'invited', date: '2026-11-01' })
  const headers = { 'content-type': 'application/json', cookie: session.cookie }
  const withoutToken = await app.inject({ method: 'POST', url: urls.events, payload, headers })
  assert.equal(withoutToken.statusCode, 403)
  assert.equal((await db.selectFrom('screening_event').select('id').execute()).length, 0)
  const withToken = await app.inject({
    method: 'POST',
    url: urls.events,
    payload,
    headers: { ...headers, 'x-csrf-token': session.csrfToken },
  })
  assert.equal(withToken.statusCode, 201, withToken.body)
  assert.equal(json<Event>(withToken).personId, person.id)
})

/** Signs in as a browser would, returning the session's cookies and its CSRF token. */
async function signIn(app: FastifyInstance, email: string, password: string) {
  const cookies = new Map<string, string>()
  const remember = (response: { cookies: { name: string; value: string }[] }) => {
    for (const c of response.cookies) cookies.set(c.name, c.value)
  }
  const cookie = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  const tokenOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''
  const form = await app.inject({ method: 'GET', url: '/sign-in' })
  remember(form)
  const signedIn = await app.inject({
    method: 'POST',
    url: '/sign-in',
    payload: new URLSearchParams({ email, password, _csrf: tokenOf(form.body) }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie() },
  })
  assert.equal(signedIn.statusCode, 302)
  remember(signedIn)
  const account = await app.inject({ method: 'GET', url: '/account', headers: { cookie: cookie() } })
  remember(account)
  return { cookie: cookie(), csrfToken: tokenOf(account.body) }
}

test('the OpenAPI document lists the screening routes', async (t) => {
  const { app } = await setup(t)
  const response = await app.inject({ method: 'GET', url: '/api/docs' })
  assert.equal(response.statusCode, 200)
  const paths = Object.keys((JSON.parse(response.body) as { paths: Record<string, unknown> }).paths)
  for (const path of [
    '/api/v1/people/{id}/screening',
    '/api/v1/people/{id}/screening/events',
    '/api/v1/screening-events/{id}/entered-in-error',
  ]) {
    assert.ok(paths.includes(path), path)
  }
})
