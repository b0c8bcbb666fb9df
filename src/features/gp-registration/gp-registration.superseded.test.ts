/**
 * The database keeps `superseded` on GP registration rows (migration 0020): only each person's latest row, by
 * recorded time then id, is current, whoever inserts and in whatever order, one row or many in a statement.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { emptyFileDatabase } from '../../../test/support/database.ts'
import { givenPerson, givenSite, givenStaff } from '../../../test/support/builders.ts'

async function setUp() {
  const database = await emptyFileDatabase()
  const site = await givenSite(database.db)
  const clinician = await givenStaff(database.db, 'clinician', { sites: [site] })
  const person = await givenPerson(database.db, site)
  const other = await givenPerson(database.db, site)
  const row = (personId: string, status: 'in-progress' | 'not-registered', recordedAt: string) => ({
    person_id: personId,
    status,
    status_date: recordedAt.slice(0, 10),
    recorded_by: clinician.id,
    recorded_at: new Date(recordedAt),
  })
  const current = async () =>
    (
      await database.db
        .selectFrom('gp_registration')
        .select(['person_id', 'status', 'recorded_at'])
        .where('superseded', '=', false)
        .orderBy('person_id')
        .execute()
    ).map((r) => ({ personId: r.person_id, status: r.status, at: new Date(r.recorded_at).toISOString() }))
  return { db: database.db, person, other, row, current }
}

test('a new row supersedes the person’s earlier rows, and only theirs', async () => {
  const { db, person, other, row, current } = await setUp()
  await db
    .insertInto('gp_registration')
    .values(row(person.id, 'not-registered', '2026-11-01T10:00:00Z'))
    .execute()
  await db
    .insertInto('gp_registration')
    .values(row(other.id, 'in-progress', '2026-11-02T10:00:00Z'))
    .execute()
  await db
    .insertInto('gp_registration')
    .values(row(person.id, 'in-progress', '2026-11-03T10:00:00Z'))
    .execute()
  assert.deepEqual(
    await current(),
    [
      { personId: person.id, status: 'in-progress', at: '2026-11-03T10:00:00.000Z' },
      { personId: other.id, status: 'in-progress', at: '2026-11-02T10:00:00.000Z' },
    ].sort((a, b) => a.personId.localeCompare(b.personId)),
  )
})

test('a row recorded as earlier than the latest is superseded on arrival; a bulk insert keeps one current row each', async () => {
  const { db, person, other, row, current } = await setUp()
  await db
    .insertInto('gp_registration')
    .values(row(person.id, 'in-progress', '2026-11-03T10:00:00Z'))
    .execute()
  await db
    .insertInto('gp_registration')
    .values(row(person.id, 'not-registered', '2026-11-01T10:00:00Z'))
    .execute()
  // One statement with a person's whole history, out of order.
  await db
    .insertInto('gp_registration')
    .values([
      row(other.id, 'in-progress', '2026-11-05T10:00:00Z'),
      row(other.id, 'not-registered', '2026-11-04T10:00:00Z'),
      row(other.id, 'in-progress', '2026-11-02T10:00:00Z'),
    ])
    .execute()
  assert.deepEqual(
    await current(),
    [
      { personId: person.id, status: 'in-progress', at: '2026-11-03T10:00:00.000Z' },
      { personId: other.id, status: 'in-progress', at: '2026-11-05T10:00:00.000Z' },
    ].sort((a, b) => a.personId.localeCompare(b.personId)),
  )
})
