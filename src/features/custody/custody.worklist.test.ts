/**
 * The worklist's custody sections on hand-built cases, through the worklist API. Today in the test app is
 * 20 November 2026.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { sql, type Kysely } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import { apiCaller, buildTestApp, json } from '../../../test/support/test-app.ts'
import {
  givenApiToken,
  givenAppointment,
  givenNeed,
  givenPerson,
  givenReferral,
  givenService,
  givenSite,
  givenStaff,
} from '../../../test/support/builders.ts'

interface Section {
  total: number
  items: { personName: string; due: string; overdue: boolean; details: string[]; href: string }[]
}
interface Body {
  sections: { releasesDue?: Section; releasedNotSeen?: Section; ostGaps?: Section; notEngaged?: Section }
}

async function attended(db: Kysely<DB>, appointmentId: string, by: string) {
  await db
    .updateTable('appointment')
    .set({
      status: 'completed',
      outcome: 'ATTC',
      outcome_recorded_at: new Date('2026-11-19T12:00:00Z'),
      outcome_recorded_by: by,
    })
    .where('id', '=', appointmentId)
    .execute()
}

async function setup(t: TestContext) {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db, { name: 'Leicester' })
  const clinician = await givenStaff(db, 'clinician', { sites: [site] })
  const call = apiCaller(app, (await givenApiToken(db, clinician)).token)
  const person = async (name: string, dates: Record<string, string>, at = site) => {
    const row = await givenPerson(db, at, { given_name: name, family_name: 'Example' })
    const staff =
      at === site
        ? call
        : apiCaller(app, (await givenApiToken(db, await givenStaff(db, 'clinician', { sites: [at] }))).token)
    const created = await staff('POST', `/api/v1/people/${row.id}/custody-episodes`, {
      prisonName: 'HMP Leicester',
      prisonCode: 'LEI',
      prisonNumber: 'A1234BC',
      ...dates,
    })
    assert.equal(created.statusCode, 201, created.body)
    return { ...row, episodeId: json<{ id: string }>(created).id }
  }
  const worklist = async (kinds: string) => {
    const response = await call('GET', `/api/v1/worklist?site=${site.code}&scope=site&kinds=${kinds}`)
    assert.equal(response.statusCode, 200, response.body)
    return json<Body>(response).sections
  }
  return { app, db, site, clinician, call, person, worklist }
}

test('releases in the next 14 days with items to do; a later release, a finished plan and another site are not listed', async (t) => {
  const { db, person, worklist } = await setup(t)
  await person('Ann', { expectedReleaseDate: '2026-12-04' })
  await person('Bea', { expectedReleaseDate: '2026-12-05' })
  await person('Zed', { expectedReleaseDate: '2026-11-15' })
  await person('Yan', { actualReleaseDate: '2026-11-15' })
  const done = await person('Cas', { expectedReleaseDate: '2026-11-25' })
  await db
    .updateTable('release_plan_item')
    .set({ status: 'not-applicable', not_applicable_reason: 'Not needed' })
    .where('episode_id', '=', done.episodeId)
    .execute()
  const elsewhere = await givenSite(db, { name: 'Elsewhere' })
  await person('Dee', { expectedReleaseDate: '2026-11-30' }, elsewhere)
  const { releasesDue } = await worklist('releases-due')
  assert.ok(releasesDue)
  // Yan was released 5 days ago: no longer a release to come (the other sections follow them).
  assert.deepEqual(
    releasesDue.items.map((i) => [i.personName, i.due, i.overdue]),
    [
      ['Zed Example', '2026-11-15', true],
      ['Ann Example', '2026-12-04', false],
    ],
  )
  assert.match(releasesDue.items[0]?.details[0] ?? '', /has passed: record the release/)
  const [, ann] = releasesDue.items
  assert.ok(ann)
  assert.match(ann.details.join(' '), /9 to do: GP registration before release; First GP appointment booked/)
})

test('released and not yet seen: an attended hub appointment since release takes them off; one before release does not', async (t) => {
  const { db, clinician, person, worklist } = await setup(t)
  await person('Eve', { actualReleaseDate: '2026-11-10' })
  const seen = await person('Fay', { actualReleaseDate: '2026-11-05' })
  const before = await person('Gil', { actualReleaseDate: '2026-11-12' })
  const after = await givenAppointment(db, { person: seen, clinician, startsAt: '2026-11-12T10:00:00Z' })
  await attended(db, after.id, clinician.id)
  const earlier = await givenAppointment(db, { person: before, clinician, startsAt: '2026-11-01T10:00:00Z' })
  await attended(db, earlier.id, clinician.id)
  await person('Hal', { actualReleaseDate: '2026-11-01', recalledOn: '2026-11-15' })
  const { releasedNotSeen } = await worklist('released-not-seen')
  assert.deepEqual(
    releasedNotSeen?.items.map((i) => i.personName),
    ['Eve Example', 'Gil Example'],
  )
})

test('released and not yet seen: the 6 months of support end on the same day 6 months after release', async (t) => {
  const { person, worklist } = await setup(t)
  await person('Ida', { actualReleaseDate: '2026-05-20' })
  await person('Jay', { actualReleaseDate: '2026-05-19' })
  const { releasedNotSeen } = await worklist('released-not-seen')
  assert.deepEqual(
    releasedNotSeen?.items.map((i) => i.personName),
    ['Ida Example'],
  )
  assert.equal(releasedNotSeen.total, 1)
})

test('released and not yet seen: every one of more than a thousand at a site is counted and can be paged to', async (t) => {
  const { db, site, clinician, call, person } = await setup(t)
  await sql`
    insert into person (given_name, family_name, date_of_birth, crn, site_id)
    select 'Many', 'Released', '1990-01-01', 'T8' || lpad(g::text, 5, '0'), ${site.id}
    from generate_series(1, 1100) g
  `.execute(db)
  await sql`
    insert into custody_episode (person_id, prison_name, prison_code, prison_number, actual_release_date,
      created_by, updated_by)
    select id, 'HMP Leicester', 'LEI', 'A1234BC', '2026-11-01', ${clinician.id}, ${clinician.id}
    from person where given_name = 'Many'
  `.execute(db)
  await person('Last', { actualReleaseDate: '2026-11-19' })
  const response = await call(
    'GET',
    `/api/v1/worklist?site=${site.code}&scope=site&kinds=released-not-seen&limit=50&offset=1090`,
  )
  assert.equal(response.statusCode, 200, response.body)
  const section = json<Body>(response).sections.releasedNotSeen
  assert.equal(section?.total, 1101)
  assert.equal(section.items.length, 11)
  assert.equal(section.items.at(-1)?.personName, 'Last Example')
})

test('opioid substitution gaps, listed by the day the supply runs out', async (t) => {
  const { call, person, worklist } = await setup(t)
  const ann = await person('Ann', { actualReleaseDate: '2026-11-18' })
  const bea = await person('Bea', { expectedReleaseDate: '2026-11-27' })
  const cas = await person('Cas', { expectedReleaseDate: '2026-11-27' })
  const medicines = async (episodeId: string, body: Record<string, unknown>) => {
    const plan = json<{ items: { id: string; kind: string; etag: string }[] }>(
      await call('GET', `/api/v1/custody-episodes/${episodeId}/release-plan`),
    )
    const item = plan.items.find((i) => i.kind === 'medicines')
    assert.ok(item)
    const response = await call('PATCH', `/api/v1/release-plan-items/${item.id}`, body, { 'if-match': item.etag })
    assert.equal(response.statusCode, 200, response.body)
  }
  await medicines(ann.episodeId, { opioidSubstitution: true, daysSupplied: 1 })
  await medicines(bea.episodeId, { opioidSubstitution: true, daysSupplied: 7, prescriberAppointmentOn: '2026-12-05' })
  await medicines(cas.episodeId, { opioidSubstitution: true, daysSupplied: 7, prescriberAppointmentOn: '2026-12-04' })
  const { ostGaps } = await worklist('ost-gaps')
  assert.deepEqual(
    ostGaps?.items.map((i) => [i.personName, i.due, i.overdue]),
    [
      ['Ann Example', '2026-11-18', true],
      ['Bea Example', '2026-12-03', false],
    ],
  )
})

test('an opioid substitution gap is listed however many covered supplies the site has', async (t) => {
  const { db, site, clinician, call, person, worklist } = await setup(t)
  // A thousand people released with a supply that lasts to their prescriber appointment: no gap among them.
  await sql`
    insert into person (given_name, family_name, date_of_birth, crn, site_id)
    select 'Covered', 'Supply', '1990-01-01', 'T9' || lpad(g::text, 5, '0'), ${site.id}
    from generate_series(1, 1000) g
  `.execute(db)
  await sql`
    insert into custody_episode (person_id, prison_name, prison_code, prison_number, actual_release_date,
      created_by, updated_by)
    select id, 'HMP Leicester', 'LEI', 'A1234BC', '2026-11-10', ${clinician.id}, ${clinician.id}
    from person where given_name = 'Covered'
  `.execute(db)
  await sql`
    insert into release_plan_item (episode_id, person_id, kind, owner, status, opioid_substitution, days_supplied,
      prescriber_appointment_on, updated_by)
    select e.id, e.person_id, 'medicines', 'clinician', 'done', true, 7, '2026-11-12', ${clinician.id}
    from custody_episode e
  `.execute(db)
  const gap = await person('Gap', { actualReleaseDate: '2026-11-18' })
  const plan = json<{ items: { id: string; kind: string; etag: string }[] }>(
    await call('GET', `/api/v1/custody-episodes/${gap.episodeId}/release-plan`),
  )
  const item = plan.items.find((i) => i.kind === 'medicines')
  assert.ok(item)
  const patched = await call(
    'PATCH',
    `/api/v1/release-plan-items/${item.id}`,
    { opioidSubstitution: true, daysSupplied: 1 },
    { 'if-match': item.etag },
  )
  assert.equal(patched.statusCode, 200, patched.body)
  const { ostGaps } = await worklist('ost-gaps')
  assert.equal(ostGaps?.total, 1)
  assert.deepEqual(
    ostGaps.items.map((i) => i.personName),
    ['Gap Example'],
  )
})

test('released with a treatment need and not engaged after 21 days; engaged, too recent or no need are not listed', async (t) => {
  const { db, site, clinician, person, worklist } = await setup(t)
  const service = await givenService(db, site, { kind: 'drug-alcohol', name: 'Turning Point' })
  const ivy = await person('Ivy', { actualReleaseDate: '2026-10-30' })
  await givenNeed(db, ivy, clinician, { category: 'drugs' })
  const jo = await person('Jo', { actualReleaseDate: '2026-10-20' })
  const need = await givenNeed(db, jo, clinician, { category: 'alcohol' })
  await givenReferral(db, { person: jo, need, service, createdBy: clinician, status: 'first-appointment-attended' })
  const kit = await person('Kit', { actualReleaseDate: '2026-10-31' })
  await givenNeed(db, kit, clinician, { category: 'drugs' })
  const max = await person('Max', { actualReleaseDate: '2026-10-25' })
  const maxNeed = await givenNeed(db, max, clinician, { category: 'drugs', identifiedOn: '2025-12-01' })
  // Treatment completed before this release does not count as engagement after it.
  await givenReferral(db, {
    person: max,
    need: maxNeed,
    service,
    createdBy: clinician,
    status: 'completed',
    createdOn: '2026-01-01',
    sentOn: '2026-01-05',
  })
  const lee = await person('Lee', { actualReleaseDate: '2026-10-20' })
  await givenNeed(db, lee, clinician, { category: 'mental-health' })
  const { notEngaged } = await worklist('not-engaged')
  assert.deepEqual(
    notEngaged?.items.map((i) => [i.personName, i.due]),
    [
      ['Max Example', '2026-11-15'],
      ['Ivy Example', '2026-11-20'],
    ],
  )
})
