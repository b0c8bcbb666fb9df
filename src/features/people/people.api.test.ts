import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import { buildTestApp, json } from '../../../test/support/test-app.ts'
import { givenApiToken, givenPerson, givenSite, givenStaff } from '../../../test/support/builders.ts'
import type { StaffRole } from '../../platform/http/roles.ts'

interface Problem {
  status: number
  title: string
  detail: string
  errors?: { field: string; message: string }[]
}

async function setup(t: TestContext, role: StaffRole = 'clinician', config: { appEnv?: 'production' } = {}) {
  const { app, database } = await buildTestApp(t, { config })
  const site = await givenSite(database.db, { name: 'Cambridge' })
  const user = await givenStaff(database.db, role, { sites: [site] })
  const { token } = await givenApiToken(database.db, user)
  return { app, db: database.db, site, user, call: caller(app, token) }
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

const newPerson = (siteCode: string, extra: Record<string, unknown> = {}) => ({
  crn: 'x123456',
  nhsNumber: '943 476 5919',
  givenName: 'Sam',
  familyName: 'Taylor',
  dateOfBirth: '1990-04-23',
  sex: '2',
  address: { line1: '1 High Street', town: 'Cambridge', postcode: 'cb2 1tn' },
  siteCode,
  ...extra,
})

test('creates a person (201 with Location and ETag), reads it back and patches it with If-Match', async (t) => {
  const { db, site, call } = await setup(t)
  const created = await call('POST', '/api/v1/people', newPerson(site.code))
  assert.equal(created.statusCode, 201)
  const body = json<{
    id: string
    crn: string
    nhsNumber: string
    version: number
    address: { postcode: string }
    siteCode: string
  }>(created)
  assert.equal(created.headers.location, `/api/v1/people/${body.id}`)
  assert.equal(created.headers.etag, 'W/"1"')
  assert.equal(body.crn, 'X123456')
  assert.equal(body.nhsNumber, '9434765919')
  assert.equal(body.address.postcode, 'CB2 1TN')
  assert.equal(body.siteCode, site.code)

  const read = await call('GET', `/api/v1/people/${body.id}`)
  assert.equal(read.statusCode, 200)
  assert.equal(read.headers.etag, 'W/"1"')
  assert.equal(json(read)['givenName'], 'Sam')

  const patched = await call(
    'PATCH',
    `/api/v1/people/${body.id}`,
    { familyName: 'Taylor-Jones', preferredName: 'Sammy', nhsNumber: null },
    { 'if-match': 'W/"1"', 'content-type': 'application/merge-patch+json' },
  )
  assert.equal(patched.statusCode, 200)
  assert.equal(patched.headers.etag, 'W/"2"')
  const after = json(patched)
  assert.equal(after['familyName'], 'Taylor-Jones')
  assert.equal(after['preferredName'], 'Sammy')
  assert.equal(after['nhsNumber'], null)
  assert.equal(after['givenName'], 'Sam')
  assert.deepEqual(after['address'], { line1: '1 High Street', line2: null, town: 'Cambridge', postcode: 'CB2 1TN' })

  const actions = await db
    .selectFrom('audit_event')
    .select(['action', 'details', 'person_id'])
    .where('entity_type', '=', 'person')
    .orderBy('id')
    .execute()
  assert.deepEqual(
    actions.map((a) => a.action),
    ['create', 'view', 'update'],
  )
  assert.deepEqual((actions[2]?.details as { changedFields: string[] }).changedFields.sort(), [
    'familyName',
    'nhsNumber',
    'preferredName',
  ])
  assert.ok(actions.every((a) => a.person_id === body.id))
})

test('refuses a PATCH without If-Match with 428', async (t) => {
  const { db, site, call } = await setup(t)
  const person = await givenPerson(db, site)
  const response = await call('PATCH', `/api/v1/people/${person.id}`, { familyName: 'New' })
  assert.equal(response.statusCode, 428)
  assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8')
})

test('refuses a PATCH with a stale If-Match with 412 and overwrites nothing', async (t) => {
  const { db, site, call } = await setup(t)
  const person = await givenPerson(db, site, { family_name: 'Original' })
  await db.updateTable('person').set({ family_name: 'Theirs', version: 2 }).where('id', '=', person.id).execute()
  const response = await call('PATCH', `/api/v1/people/${person.id}`, { familyName: 'Mine' }, { 'if-match': 'W/"1"' })
  assert.equal(response.statusCode, 412)
  const saved = await db
    .selectFrom('person')
    .select(['family_name', 'version'])
    .where('id', '=', person.id)
    .executeTakeFirstOrThrow()
  assert.deepEqual(saved, { family_name: 'Theirs', version: 2 })
})

test('answers an invalid NHS number with 400 naming nhsNumber in GOV.UK wording', async (t) => {
  const { db, site, call } = await setup(t)
  const response = await call(
    'POST',
    '/api/v1/people',
    newPerson(site.code, { nhsNumber: '9434765918', dateOfBirth: '1990-02-31' }),
  )
  assert.equal(response.statusCode, 400)
  assert.deepEqual(json<Problem>(response).errors, [
    { field: 'nhsNumber', message: 'Enter a valid NHS number, like 943 476 5919' },
    { field: 'dateOfBirth', message: 'Date of birth must be a real date' },
  ])
  const person = await givenPerson(db, site)
  const patch = await call(
    'PATCH',
    `/api/v1/people/${person.id}`,
    { nhsNumber: '3200000015', address: { postcode: 'nope' } },
    { 'if-match': 'W/"1"' },
  )
  assert.equal(patch.statusCode, 400)
  assert.deepEqual(
    json<Problem>(patch).errors?.map((e) => e.field),
    ['nhsNumber', 'address.line1', 'address.town', 'address.postcode'],
  )
})

test('test-range NHS numbers (999) are refused in production and accepted elsewhere', async (t) => {
  const production = await setup(t, 'clinician', { appEnv: 'production' })
  const refused = await production.call(
    'POST',
    '/api/v1/people',
    newPerson(production.site.code, { nhsNumber: '999 000 0018' }),
  )
  assert.equal(refused.statusCode, 400)
  assert.deepEqual(json<Problem>(refused).errors, [
    {
      field: 'nhsNumber',
      message: 'This is a test NHS number, never issued to a person – enter the person’s NHS number',
    },
  ])
  const test = await setup(t)
  const accepted = await test.call('POST', '/api/v1/people', newPerson(test.site.code, { nhsNumber: '999 000 0018' }))
  assert.equal(accepted.statusCode, 201)
})

test('answers unknown properties with 400 naming them', async (t) => {
  const { site, call } = await setup(t)
  const response = await call('POST', '/api/v1/people', newPerson(site.code, { favouriteColour: 'blue' }))
  assert.equal(response.statusCode, 400)
  const problem = json<Problem>(response)
  assert.ok(problem.errors?.some((e) => e.field === 'favouriteColour' && /not a recognised field/.test(e.message)))
})

test('refuses clearing a required field with the same wording as the form', async (t) => {
  const { db, site, call } = await setup(t)
  const person = await givenPerson(db, site)
  const response = await call('PATCH', `/api/v1/people/${person.id}`, { crn: null }, { 'if-match': 'W/"1"' })
  assert.equal(response.statusCode, 400)
  assert.deepEqual(json<Problem>(response).errors, [{ field: 'crn', message: 'Enter a CRN' }])
})

test('answers a date of birth out of range or with a two-digit year with 400 in GOV.UK wording', async (t) => {
  const { site, call } = await setup(t)
  const old = await call('POST', '/api/v1/people', newPerson(site.code, { dateOfBirth: '1900-06-01' }))
  assert.equal(old.statusCode, 400)
  assert.equal(json<Problem>(old).errors?.[0]?.field, 'dateOfBirth')
  assert.match(json<Problem>(old).errors?.[0]?.message ?? '', /must be 16 to 120 years old/)
  const young = await call('POST', '/api/v1/people', newPerson(site.code, { dateOfBirth: '2020-01-01' }))
  assert.match(json<Problem>(young).errors?.[0]?.message ?? '', /must be 16 to 120 years old/)
  const short = await call('POST', '/api/v1/people', newPerson(site.code, { dateOfBirth: '90-04-23' }))
  assert.equal(short.statusCode, 400)
  assert.deepEqual(json<Problem>(short).errors, [{ field: 'dateOfBirth', message: 'Year must include 4 numbers' }])
})

test('answers 409 with the matching ids when someone at the site has the same name and date of birth', async (t) => {
  const { db, site, call } = await setup(t)
  const existing = await givenPerson(db, site, { given_name: 'sam', family_name: 'Taylor', date_of_birth: '1990-04-23' })
  const response = await call('POST', '/api/v1/people', newPerson(site.code, { nhsNumber: null }))
  assert.equal(response.statusCode, 409)
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/)
  const problem = json<Problem & { code: string; matches: { id: string; crn: string }[] }>(response)
  assert.equal(problem.code, 'possible-duplicate')
  assert.deepEqual(problem.matches, [{ id: existing.id, crn: existing.crn }])
  assert.equal((await db.selectFrom('person').select('id').execute()).length, 1)
  const confirmed = await call(
    'POST',
    '/api/v1/people',
    newPerson(site.code, { nhsNumber: null, confirmedNotDuplicate: true }),
  )
  assert.equal(confirmed.statusCode, 201)
  assert.equal((await db.selectFrom('person').select('id').execute()).length, 2)
})

test('refuses a duplicate CRN naming the crn field', async (t) => {
  const { db, site, call } = await setup(t)
  await givenPerson(db, site, { crn: 'X123456' })
  const response = await call('POST', '/api/v1/people', newPerson(site.code, { nhsNumber: null }))
  assert.equal(response.statusCode, 422)
  assert.deepEqual(
    json<Problem>(response).errors?.map((e) => e.field),
    ['crn'],
  )
})

test('refuses another site’s person and caseload with 403, and creating there', async (t) => {
  const { db, call } = await setup(t)
  const other = await givenSite(db)
  const stranger = await givenPerson(db, other)
  assert.equal((await call('GET', `/api/v1/people/${stranger.id}`)).statusCode, 403)
  assert.equal(
    (await call('PATCH', `/api/v1/people/${stranger.id}`, { familyName: 'X' }, { 'if-match': 'W/"1"' })).statusCode,
    403,
  )
  assert.equal((await call('GET', `/api/v1/people?site=${other.code}`)).statusCode, 403)
  assert.equal((await call('POST', '/api/v1/people', newPerson(other.code))).statusCode, 403)
})

for (const role of ['analyst', 'admin'] as const) {
  test(`refuses the people API to the ${role} role`, async (t) => {
    const { db, site, call } = await setup(t, role)
    const person = await givenPerson(db, site)
    assert.equal((await call('GET', '/api/v1/people')).statusCode, 403)
    assert.equal((await call('GET', `/api/v1/people/${person.id}`)).statusCode, 403)
    assert.equal((await call('POST', '/api/v1/people', newPerson(site.code))).statusCode, 403)
  })
}

test('lists people across the user’s sites with search and audits the listing', async (t) => {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const a = await givenSite(db)
  const b = await givenSite(db)
  const elsewhere = await givenSite(db)
  const user = await givenStaff(db, 'hub_manager', { sites: [a, b] })
  const { token } = await givenApiToken(db, user)
  const call = caller(app, token)
  await givenPerson(db, a, { family_name: 'Lovelace' })
  await givenPerson(db, b, { family_name: 'Lovell' })
  await givenPerson(db, elsewhere, { family_name: 'Lovejoy' })
  const all = await call('GET', '/api/v1/people?q=lov')
  assert.equal(all.statusCode, 200)
  const body = json<{ people: { familyName: string }[]; total: number; page: number; pageSize: number }>(all)
  assert.deepEqual(
    body.people.map((p) => p.familyName),
    ['Lovelace', 'Lovell'],
  )
  assert.equal(body.total, 2)
  const one = json<{ people: unknown[] }>(await call('GET', `/api/v1/people?site=${b.code}&pageSize=10`))
  assert.equal(one.people.length, 1)
  const lists = await db.selectFrom('audit_event').selectAll().where('action', '=', 'list').execute()
  assert.equal(lists.length, 2)
  assert.ok(lists.every((e) => !JSON.stringify(e.details).includes('lov')))
})

test('documents the people API in OpenAPI', async (t) => {
  const { app } = await buildTestApp(t)
  const spec = json<{ paths: Record<string, Record<string, { requestBody?: unknown }>> }>(
    await app.inject({ method: 'GET', url: '/api/docs' }),
  )
  assert.ok(spec.paths['/api/v1/people']?.['post']?.requestBody)
  assert.ok(spec.paths['/api/v1/people/{id}']?.['patch'])
  const post = JSON.stringify(spec.paths['/api/v1/people'])
  assert.match(post, /confirmedNotDuplicate/)
  assert.match(post, /"409"/)
})

async function personEvents(db: Kysely<DB>, action: string) {
  return db
    .selectFrom('audit_event')
    .selectAll()
    .where('action', '=', action)
    .where('entity_type', '=', 'person')
    .orderBy('id')
    .execute()
}

test('audits a PATCH that changes nothing as a view, since it returns the whole record', async (t) => {
  const { db, site, call } = await setup(t)
  const person = await givenPerson(db, site, { family_name: 'Same' })
  const response = await call('PATCH', `/api/v1/people/${person.id}`, { familyName: 'Same' }, { 'if-match': 'W/"1"' })
  assert.equal(response.statusCode, 200)
  assert.equal(json(response)['familyName'], 'Same')
  assert.equal(response.headers.etag, 'W/"1"')
  assert.equal((await personEvents(db, 'update')).length, 0)
  const views = await personEvents(db, 'view')
  assert.equal(views.length, 1)
  assert.equal(views[0]?.person_id, person.id)
  assert.deepEqual(views[0].details, { channel: 'api', purpose: 'update-no-change' })
})

for (const ifMatch of ['*', 'W/"*"', '"abc"', 'W/"1", W/"2"', '1']) {
  test(`refuses a PATCH with If-Match: ${ifMatch} with 428 and overwrites nothing`, async (t) => {
    const { db, site, call } = await setup(t)
    const person = await givenPerson(db, site, { family_name: 'Original' })
    const response = await call('PATCH', `/api/v1/people/${person.id}`, { familyName: 'Mine' }, { 'if-match': ifMatch })
    assert.equal(response.statusCode, 428)
    assert.match(json<Problem>(response).detail, /ETag from your last GET/)
    const saved = await db.selectFrom('person').select('family_name').where('id', '=', person.id).executeTakeFirst()
    assert.equal(saved?.family_name, 'Original')
  })
}

test('accepts If-Match as a strong ETag "n" as well as W/"n"', async (t) => {
  const { db, site, call } = await setup(t)
  const person = await givenPerson(db, site)
  const response = await call('PATCH', `/api/v1/people/${person.id}`, { familyName: 'New' }, { 'if-match': '"1"' })
  assert.equal(response.statusCode, 200)
  assert.equal(response.headers.etag, 'W/"2"')
})

test('records the ids of the people a listing returned in its audit event', async (t) => {
  const { db, site, call } = await setup(t)
  const a = await givenPerson(db, site, { family_name: 'Adams' })
  const b = await givenPerson(db, site, { family_name: 'Brown' })
  await givenPerson(db, site, { family_name: 'Clark' })
  const response = await call('GET', '/api/v1/people?pageSize=2')
  assert.equal(response.statusCode, 200)
  const [list] = await personEvents(db, 'list')
  assert.deepEqual(list?.details['personIds'], [a.id, b.id])
})

test('refuses paging beyond the first 10,000 people with 400 naming page', async (t) => {
  const { db, site, call } = await setup(t)
  await givenPerson(db, site)
  assert.equal((await call('GET', '/api/v1/people?page=100&pageSize=100')).statusCode, 200)
  assert.equal((await call('GET', '/api/v1/people?page=400')).statusCode, 200)
  for (const query of ['page=101&pageSize=100', 'page=401', 'page=10000&pageSize=2']) {
    const response = await call('GET', `/api/v1/people?${query}`)
    assert.equal(response.statusCode, 400, query)
    assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8')
    assert.deepEqual(
      json<Problem>(response).errors?.map((e) => e.field),
      ['page'],
    )
  }
  assert.equal((await personEvents(db, 'list')).length, 2)
})

test('adds one person when a create is retried with the same Idempotency-Key, answering both alike', async (t) => {
  const { db, site, call } = await setup(t)
  const key = { 'idempotency-key': 'a1b2c3d4-create-sam' }
  const first = await call('POST', '/api/v1/people', newPerson(site.code), key)
  const again = await call('POST', '/api/v1/people', newPerson(site.code), key)
  assert.equal(first.statusCode, 201)
  assert.equal(again.statusCode, 201)
  assert.equal(again.headers.location, first.headers.location)
  assert.equal(again.headers.etag, first.headers.etag)
  assert.deepEqual(json(again), json(first))
  const people = await db.selectFrom('person').select('id').execute()
  assert.equal(people.length, 1)
  assert.equal((await personEvents(db, 'create')).length, 1)
  const [replay] = await personEvents(db, 'view')
  assert.deepEqual(replay?.details, { channel: 'api', purpose: 'create-replay' })
})

test('refuses an Idempotency-Key reused with a different body with 422, adding nobody', async (t) => {
  const { db, site, call } = await setup(t)
  const key = { 'idempotency-key': 'reused-key' }
  assert.equal((await call('POST', '/api/v1/people', newPerson(site.code), key)).statusCode, 201)
  const other = newPerson(site.code, { crn: 'Y654321', nhsNumber: null, givenName: 'Robin' })
  const response = await call('POST', '/api/v1/people', other, key)
  assert.equal(response.statusCode, 422)
  assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8')
  assert.deepEqual(
    json<Problem>(response).errors?.map((e) => e.field),
    ['Idempotency-Key'],
  )
  assert.equal((await db.selectFrom('person').select('id').execute()).length, 1)
  // Without a key, a repeat is a new request as before: the CRN is already taken.
  const unkeyed = await call('POST', '/api/v1/people', newPerson(site.code))
  assert.equal(unkeyed.statusCode, 422)
  assert.deepEqual(
    json<Problem>(unkeyed).errors?.map((e) => e.field),
    ['crn', 'nhsNumber'],
  )
})

test('documents the Idempotency-Key header and the If-Match rules in OpenAPI', async (t) => {
  const { app } = await buildTestApp(t)
  const spec = json<{
    paths: Record<string, Record<string, { description?: string; parameters?: { name: string; in: string }[] }>>
  }>(await app.inject({ method: 'GET', url: '/api/docs' }))
  const post = spec.paths['/api/v1/people']?.['post']
  assert.ok(post?.parameters?.some((p) => p.in === 'header' && p.name === 'idempotency-key'))
  assert.match(post?.description ?? '', /201/)
})

test('refuses a phone number that is not a mobile and an email address Notify would refuse, naming the fields', async (t) => {
  const { db, site, call } = await setup(t)
  const response = await call(
    'POST',
    '/api/v1/people',
    newPerson(site.code, { phone: '01632 960 001', email: 'sam@example' }),
  )
  assert.equal(response.statusCode, 400)
  assert.match(String(response.headers['content-type']), /application\/problem\+json/)
  assert.deepEqual(json<Problem>(response).errors, [
    {
      field: 'phone',
      message:
        'This is not a UK mobile number. Enter a mobile number, like 07700 900 982, so reminders can be sent by text message',
    },
    { field: 'email', message: 'Enter an email address in the correct format, like name@example.com' },
  ])
  const tooShort = await call('POST', '/api/v1/people', newPerson(site.code, { phone: '07700 9001' }))
  assert.deepEqual(json<Problem>(tooShort).errors, [{ field: 'phone', message: 'Mobile number is too short' }])
  const letters = await call('POST', '/api/v1/people', newPerson(site.code, { phone: '0770O 900 982' }))
  assert.deepEqual(
    json<Problem>(letters).errors?.map((e) => e.field),
    ['phone'],
  )
  assert.equal((await db.selectFrom('person').select('id').execute()).length, 0)

  const person = await givenPerson(db, site)
  const patch = await call(
    'PATCH',
    `/api/v1/people/${person.id}`,
    { phone: '+44 20 7946 0404' },
    { 'if-match': 'W/"1"' },
  )
  assert.equal(patch.statusCode, 400)
  assert.deepEqual(
    json<Problem>(patch).errors?.map((e) => e.field),
    ['phone'],
  )
})

test('stores the phone number normalised and the email address trimmed; empty stays null', async (t) => {
  const { site, call } = await setup(t)
  const created = await call(
    'POST',
    '/api/v1/people',
    newPerson(site.code, { phone: '+44 (0)7700-900 982', email: '  perm-fail@simulator.notify ' }),
  )
  assert.equal(created.statusCode, 201)
  const body = json<{ id: string; phone: string | null; email: string | null }>(created)
  assert.equal(body.phone, '07700900982')
  assert.equal(body.email, 'perm-fail@simulator.notify')

  const patched = await call(
    'PATCH',
    `/api/v1/people/${body.id}`,
    { phone: '+33 6 12 34 56 78', email: 'temp-fail@simulator.notify' },
    { 'if-match': 'W/"1"' },
  )
  assert.equal(patched.statusCode, 200)
  assert.equal(json(patched)['phone'], '+33612345678')
  assert.equal(json(patched)['email'], 'temp-fail@simulator.notify')

  const cleared = await call('PATCH', `/api/v1/people/${body.id}`, { phone: '', email: null }, { 'if-match': 'W/"2"' })
  assert.equal(cleared.statusCode, 200)
  assert.equal(json(cleared)['phone'], null)
  assert.equal(json(cleared)['email'], null)

  const blank = await call(
    'POST',
    '/api/v1/people',
    newPerson(site.code, { crn: 'X654321', nhsNumber: null, givenName: 'Alex', phone: '  ', email: '' }),
  )
  assert.equal(blank.statusCode, 201)
  assert.equal(json(blank)['phone'], null)
  assert.equal(json(blank)['email'], null)
})

test('a PATCH that leaves out the phone and email changes a record saved with an old landline and bad address', async (t) => {
  const { db, site, call } = await setup(t)
  const person = await givenPerson(db, site, { phone: '01632 960 001', email: 'sam at example' })
  const patched = await call('PATCH', `/api/v1/people/${person.id}`, { familyName: 'Taylor' }, { 'if-match': 'W/"1"' })
  assert.equal(patched.statusCode, 200)
  assert.equal(json(patched)['familyName'], 'Taylor')
  assert.equal(json(patched)['phone'], '01632 960 001', 'left as it was')
  assert.equal(json(patched)['email'], 'sam at example', 'left as it was')

  // Sending the saved value back unchanged is leaving it alone; changing it is checked.
  const same = await call('PATCH', `/api/v1/people/${person.id}`, { phone: '01632 960 001' }, { 'if-match': 'W/"2"' })
  assert.equal(same.statusCode, 200)
  const changed = await call(
    'PATCH',
    `/api/v1/people/${person.id}`,
    { phone: '01632 960 002' },
    { 'if-match': 'W/"2"' },
  )
  assert.equal(changed.statusCode, 400)
  assert.deepEqual(
    json<Problem>(changed).errors?.map((e) => e.field),
    ['phone'],
  )
})
