import { test } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { createTestDatabase } from '../../../test/support/database.ts'
import { migrateToLatest, migrations } from './migrate.ts'
import { givenPerson, givenSite, givenStaff } from '../../../test/support/builders.ts'

test('migrations are numbered in order with unique names, and a second run applies nothing', async (t) => {
  const names = migrations.map((m) => m.name)
  assert.deepEqual(names, [...names].sort())
  assert.equal(new Set(names).size, names.length)
  names.forEach((name, index) => {
    assert.match(name, new RegExp(`^${String(index + 1).padStart(4, '0')}-`))
  })
  const database = await createTestDatabase()
  t.after(() => database.close())
  assert.deepEqual(await migrateToLatest(database.db), [])
})

test('an appointment without an outcome cannot carry an absence reason', async (t) => {
  const database = await createTestDatabase()
  t.after(() => database.close())
  const site = await givenSite(database.db)
  const clinician = await givenStaff(database.db, 'clinician', { sites: [site] })
  const person = await givenPerson(database.db, site)
  await assert.rejects(
    sql`insert into appointment
          (person_id, site_id, kind, starts_at, duration_minutes, ends_at, clinician_id, status, absence_reason, created_by)
        values (${person.id}, ${site.id}, 'clinic', now() + interval '1 day', 30, now() + interval '1 day 30 minutes',
          ${clinician.id}, 'booked', 'AAME', ${clinician.id})`.execute(database.db),
    /appointment_absence_reason_only_with_aa/,
  )
})
