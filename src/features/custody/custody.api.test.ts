import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { Kysely } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import { apiCaller, buildTestApp, json } from '../../../test/support/test-app.ts'
import { givenApiToken, givenPerson, givenSite, givenStaff } from '../../../test/support/builders.ts'
import type { StaffRole } from '../../platform/http/roles.ts'

interface Problem {
  status: number
  code?: string
  errors?: { field: string; message: string }[]
}
interface Episode {
  id: string
  personId: string
  prisonName: string
  prisonCode: string
  prisonNumber: string
  expectedReleaseDate: string | null
  actualReleaseDate: string | null
  releaseType: string | null
  releaseAddress: string | null
  noFixedAbode: boolean
  recalledOn: string | null
  window: {
    releaseDate: string
    expected: boolean
    supportFrom: string
    referralUntil: string
    supportUntil: string
    phase: string
    referralOpen: boolean
  }
  version: number
  etag: string
  history?: { version: number; snapshot: Record<string, unknown>; actorId: string }[]
}

async function setup(t: TestContext, role: StaffRole = 'clinician') {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db)
  const user = await givenStaff(db, role, { sites: [site] })
  const person = await givenPerson(db, site)
  const { token } = await givenApiToken(db, user)
  const as = async (other: StaffRole, sites = [site]) => {
    const staff = await givenStaff(db, other, { sites })
    return apiCaller(app, (await givenApiToken(db, staff)).token)
  }
  return {
    app,
    db,
    site,
    user,
    person,
    call: apiCaller(app, token),
    as,
    url: `/api/v1/people/${person.id}/custody-episodes`,
  }
}

// Today in the test app is 20 November 2026.
const episode = (overrides: Record<string, unknown> = {}) => ({
  prisonName: 'HMP Leicester',
  prisonCode: 'lei',
  prisonNumber: 'a1234bc',
  expectedReleaseDate: '2027-01-15',
  releaseType: 'licence',
  releaseAddress: '1 Station Road, Leicester',
  ...overrides,
})

async function custodyEvents(db: Kysely<DB>) {
  return db
    .selectFrom('audit_event')
    .select(['action', 'entity_id', 'person_id', 'details'])
    .where('entity_type', '=', 'custody_episode')
    .orderBy('id')
    .execute()
}

test('POST adds an episode with its window; GET lists it; PATCH records the release and keeps the history', async (t) => {
  const { db, user, person, call, url } = await setup(t)
  const empty = await call('GET', url)
  assert.equal(empty.statusCode, 200)
  assert.deepEqual(json(empty), { personId: person.id, episodes: [] })

  const created = await call('POST', url, episode())
  assert.equal(created.statusCode, 201, created.body)
  const added = json<Episode>(created)
  assert.equal(created.headers.location, `/api/v1/custody-episodes/${added.id}`)
  assert.equal(created.headers.etag, 'W/"1"')
  assert.deepEqual([added.prisonCode, added.prisonNumber, added.version], ['LEI', 'A1234BC', 1])
  assert.deepEqual(added.window, {
    releaseDate: '2027-01-15',
    expected: true,
    supportFrom: '2026-10-23',
    referralUntil: '2027-02-12',
    supportUntil: '2027-07-15',
    phase: 'before-release',
    referralOpen: true,
  })

  const listed = json<{ episodes: Episode[] }>(await call('GET', url))
  assert.deepEqual(
    listed.episodes.map((e) => e.id),
    [added.id],
  )

  const episodeUrl = `/api/v1/custody-episodes/${added.id}`
  const patched = await call(
    'PATCH',
    episodeUrl,
    { actualReleaseDate: '2026-11-18', releaseAddress: null, noFixedAbode: true },
    { 'if-match': 'W/"1"', 'content-type': 'application/merge-patch+json' },
  )
  assert.equal(patched.statusCode, 200, patched.body)
  const released = json<Episode>(patched)
  assert.equal(patched.headers.etag, 'W/"2"')
  assert.deepEqual(
    [released.actualReleaseDate, released.expectedReleaseDate, released.noFixedAbode, released.releaseAddress],
    ['2026-11-18', '2027-01-15', true, null],
  )
  assert.deepEqual(
    [released.window.releaseDate, released.window.expected, released.window.phase],
    ['2026-11-18', false, 'referral-open'],
  )
  assert.deepEqual(
    released.history?.map((h) => [h.version, h.snapshot['actualReleaseDate'], h.actorId]),
    [
      [2, '2026-11-18', user.id],
      [1, null, user.id],
    ],
  )

  const again = await call('GET', episodeUrl)
  assert.equal(again.headers.etag, 'W/"2"')
  assert.deepEqual(
    (await custodyEvents(db)).map((e) => [e.action, e.person_id, (e.details as { purpose?: string }).purpose ?? null]),
    [
      ['view', person.id, 'list'],
      ['create', person.id, null],
      ['view', person.id, 'list'],
      ['update', person.id, null],
      ['view', person.id, 'view'],
    ],
  )
})

test('a recall ends the community phase; a recall before the release is refused naming the field', async (t) => {
  const { call, url } = await setup(t)
  const added = json<Episode>(await call('POST', url, episode({ actualReleaseDate: '2026-11-01' })))
  const episodeUrl = `/api/v1/custody-episodes/${added.id}`
  const early = await call('PATCH', episodeUrl, { recalledOn: '2026-10-30' }, { 'if-match': 'W/"1"' })
  assert.equal(early.statusCode, 400)
  assert.equal(early.headers['content-type'], 'application/problem+json; charset=utf-8')
  assert.deepEqual(
    json<Problem>(early).errors?.map((e) => e.field),
    ['recalledOn'],
  )
  const recalled = await call('PATCH', episodeUrl, { recalledOn: '2026-11-19' }, { 'if-match': 'W/"1"' })
  assert.equal(recalled.statusCode, 200, recalled.body)
  assert.deepEqual(
    [json<Episode>(recalled).window.phase, json<Episode>(recalled).window.referralOpen],
    ['recalled', false],
  )
})

test('bad input gets 400 naming each field, and nothing is saved', async (t) => {
  const { db, call, url } = await setup(t)
  const bad = await call(
    'POST',
    url,
    episode({
      prisonName: ' ',
      prisonCode: 'LEIC',
      prisonNumber: '12345',
      expectedReleaseDate: null,
      actualReleaseDate: '2026-02-30',
      releaseType: 'parole',
      noFixedAbode: true,
    }),
  )
  assert.equal(bad.statusCode, 400)
  assert.deepEqual(
    json<Problem>(bad).errors?.map((e) => e.field),
    ['prisonName', 'prisonCode', 'prisonNumber', 'actualReleaseDate', 'releaseType', 'releaseAddress'],
  )
  const future = await call('POST', url, episode({ actualReleaseDate: '2026-11-21' }))
  assert.deepEqual(
    json<Problem>(future).errors?.map((e) => [e.field, e.message]),
    [['actualReleaseDate', 'The date they were released must be today or in the past']],
  )
  const noDates = await call('POST', url, episode({ expectedReleaseDate: null }))
  assert.deepEqual(
    json<Problem>(noDates).errors?.map((e) => e.field),
    ['expectedReleaseDate'],
  )
  const unknownField = await call('POST', url, { ...episode(), sentence: 'life' })
  assert.equal(unknownField.statusCode, 400)
  const count = await db
    .selectFrom('custody_episode')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .executeTakeFirstOrThrow()
  assert.equal(Number(count.n), 0)
})

test('a second episode with no release is refused while one is open (422); a released one is not', async (t) => {
  const { call, url } = await setup(t)
  assert.equal((await call('POST', url, episode())).statusCode, 201)
  const second = await call('POST', url, episode({ prisonName: 'HMP Nottingham', prisonCode: 'NMI' }))
  assert.equal(second.statusCode, 422)
  const problem = json<Problem>(second)
  assert.equal(problem.code, 'open-episode')
  assert.deepEqual(
    problem.errors?.map((e) => e.field),
    ['actualReleaseDate'],
  )
  const earlier = await call('POST', url, episode({ expectedReleaseDate: null, actualReleaseDate: '2025-03-01' }))
  assert.equal(earlier.statusCode, 201, earlier.body)
  const listed = json<{ episodes: Episode[] }>(await call('GET', url))
  assert.deepEqual(
    listed.episodes.map((e) => e.window.releaseDate),
    ['2027-01-15', '2025-03-01'],
  )
})

test('PATCH needs If-Match: none is 428, a stale one is 412 and changes nothing', async (t) => {
  const { call, url } = await setup(t)
  const added = json<Episode>(await call('POST', url, episode()))
  const episodeUrl = `/api/v1/custody-episodes/${added.id}`
  assert.equal((await call('PATCH', episodeUrl, { prisonName: 'HMP Leicester (B wing)' })).statusCode, 428)
  assert.equal((await call('PATCH', episodeUrl, { prisonName: 'X' }, { 'if-match': '*' })).statusCode, 428)
  assert.equal((await call('PATCH', episodeUrl, { prisonName: 'X' }, { 'if-match': 'W/"1"' })).statusCode, 200)
  const stale = await call('PATCH', episodeUrl, { prisonName: 'Y' }, { 'if-match': 'W/"1"' })
  assert.equal(stale.statusCode, 412)
  assert.equal(json<Episode>(await call('GET', episodeUrl)).prisonName, 'X')
  const same = await call('PATCH', episodeUrl, { prisonName: 'X' }, { 'if-match': 'W/"2"' })
  assert.equal(same.statusCode, 200)
  assert.equal(json<Episode>(same).version, 2, 'the same values write no new version')
})

test('forbidden paths: another site is 403, partners and analysts are 403, unknown ids are 404', async (t) => {
  const { db, call, url, as } = await setup(t)
  const added = json<Episode>(await call('POST', url, episode()))
  const episodeUrl = `/api/v1/custody-episodes/${added.id}`
  const elsewhere = await givenSite(db, { name: 'Elsewhere' })
  const otherSite = await as('clinician', [elsewhere])
  assert.equal((await otherSite('GET', url)).statusCode, 403)
  assert.equal((await otherSite('GET', episodeUrl)).statusCode, 403)
  assert.equal((await otherSite('PATCH', episodeUrl, { prisonName: 'X' }, { 'if-match': 'W/"1"' })).statusCode, 403)
  assert.equal((await otherSite('POST', url, episode({ actualReleaseDate: '2026-01-01' }))).statusCode, 403)
  for (const role of ['partner', 'analyst', 'auditor', 'admin'] as const) {
    const caller = await as(role)
    assert.equal((await caller('GET', url)).statusCode, 403, role)
    assert.equal((await caller('GET', episodeUrl)).statusCode, 403, role)
    assert.equal((await caller('POST', url, episode())).statusCode, 403, role)
  }
  assert.equal((await call('GET', '/api/v1/custody-episodes/not-a-uuid')).statusCode, 404)
  assert.equal((await call('GET', '/api/v1/custody-episodes/7d1f7c5e-0000-4000-8000-000000000000')).statusCode, 404)
  assert.equal(
    (await call('GET', '/api/v1/people/7d1f7c5e-0000-4000-8000-000000000000/custody-episodes')).statusCode,
    404,
  )
})

test('probation practitioners at the site can read and record episodes', async (t) => {
  const { call, url, as } = await setup(t)
  const added = json<Episode>(await call('POST', url, episode()))
  const practitioner = await as('probation_practitioner')
  assert.equal((await practitioner('GET', url)).statusCode, 200)
  const patched = await practitioner(
    'PATCH',
    `/api/v1/custody-episodes/${added.id}`,
    { expectedReleaseDate: '2027-01-22' },
    { 'if-match': 'W/"1"' },
  )
  assert.equal(patched.statusCode, 200, patched.body)
  assert.equal(json<Episode>(patched).window.supportFrom, '2026-10-30')
})
