import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import { createTestDatabase } from '../test/support/database.ts'
import { givenPerson, givenSite, givenStaff } from '../test/support/builders.ts'
import { migrate, migrations } from './migrations.ts'
import { migrateToLatest, orderMigrations, RESERVED_MIGRATION_NUMBERS, type Migration } from './platform/db/migrate.ts'

/**
 * Every migration that has landed, with a digest of its statements. Databases record what they applied by name,
 * so a landed migration is never renamed, edited or dropped (moving its file to a feature's folder is fine): this
 * list only grows.
 */
const LANDED: readonly (readonly [string, string])[] = [
  ['0001-foundation', '0b78e3bdef5f91fe'],
  ['0002-people', 'b05e0d93bdad312a'],
  ['0003-idempotency', '0e507ad8b6b331f3'],
  ['0004-people-indexes', 'f3c12114d9e2d82c'],
  ['0005-instruments', '211af3f4f5672598'],
  ['0006-appointments', '59631dd5c0f87f39'],
  ['0007-consent', '77eb29db5d39a8fa'],
  ['0008-health-checks', '82e33afd539510c7'],
  ['0009-directory-and-gp', '93dfa7cf8e6b52c9'],
  ['0010-appointment-absence-reason', '7a532722d32fab8e'],
  ['0011-referrals', 'fbcfd39d5f4cfd94'],
  ['0012-screening', '2280bc7dea28aad3'],
  ['0013-need-history', '89fae426c744884a'],
  ['0014-treatment-requirements', 'c41ac12102315ed0'],
  ['0015-password-change', '5cb9b42ed6e4698d'],
  ['0016-worklist-indexes', '9e0562697a088c87'],
  ['0017-rate-limit', '7038906ca24e189f'],
  ['0018-audit-sealing', '2946e4ea8a0a6e29'],
  ['0019-staff-access-requests', 'a724b573eb6efee0'],
  ['0020-gp-registration-superseded', '219e305b79316b24'],
  ['0021-health-check-clinician-index', '9da599713022d18e'],
  ['0022-referral-creator-chase-index', '2cabc676a0184342'],
  ['0023-staff-password-reset-requests', '390b60b26e4a66ed'],
]

const digest = (m: Migration) => createHash('sha256').update(m.statements.join('\n;\n')).digest('hex').slice(0, 16)

test('every landed migration is still in the list, unchanged, in its place', () => {
  assert.deepEqual(
    migrations.slice(0, LANDED.length).map((m) => [m.name, digest(m)]),
    LANDED.map(([name, hash]) => [name, hash]),
  )
})

test('migrations are numbered in order with unique names, and a second run applies nothing', async (t) => {
  const names = migrations.map((m) => m.name)
  assert.deepEqual(names, [...names].sort())
  assert.equal(new Set(names).size, names.length)
  // Numbered from 1 without gaps, but for numbers reserved for changes not merged yet.
  let previous = 0
  for (const name of names) {
    const number = Number(name.slice(0, 4))
    for (let skipped = previous + 1; skipped < number; skipped += 1) {
      assert.ok(RESERVED_MIGRATION_NUMBERS.has(skipped), `migration ${String(skipped)} is missing`)
    }
    previous = number
  }
  const database = await createTestDatabase()
  t.after(() => database.close())
  assert.deepEqual(await migrate(database.db), [])
})

test('a database made before the per-feature layout upgrades cleanly, applying only what it lacks', async (t) => {
  // The database as the earlier layout left it part-way (migrated to 0010 under the same names), then upgraded.
  const database = await createTestDatabase({ empty: true })
  t.after(() => database.close())
  const upTo10 = migrations.slice(0, 10)
  assert.deepEqual(
    await migrateToLatest(database.db, upTo10),
    upTo10.map((m) => m.name),
  )
  assert.deepEqual(
    await migrate(database.db),
    migrations.slice(10).map((m) => m.name),
  )
  assert.deepEqual(await migrate(database.db), [])
  const applied = await database.db.selectFrom('hub_migration').select('name').orderBy('name').execute()
  assert.deepEqual(
    applied.map((r) => r.name),
    migrations.map((m) => m.name),
  )
})

test('refuses a list with a gap, a repeated number or a badly formed name', () => {
  const m = (name: string): Migration => ({ name, statements: [] })
  assert.deepEqual(
    orderMigrations([m('0002-b')], [m('0001-a')]).map((x) => x.name),
    ['0001-a', '0002-b'],
  )
  assert.throws(() => orderMigrations([m('0001-a'), m('0003-c')]), /Migration 0002 is missing or repeated/)
  assert.throws(() => orderMigrations([m('0001-a'), m('0001-b')]), /Migration 0002 is missing or repeated/)
  assert.throws(() => orderMigrations([m('0001-A_b')]), /must be named NNNN-words-with-hyphens/)
})

test('a reserved number may be missing, or present once, but the numbers around it still may not have gaps', () => {
  const m = (name: string): Migration => ({ name, statements: [] })
  const upTo = (last: number) => Array.from({ length: last }, (_, i) => m(`${String(i + 1).padStart(4, '0')}-x`))
  const without = upTo(26).filter((x) => !x.name.startsWith('0024') && !x.name.startsWith('0025'))
  assert.equal(orderMigrations(without).length, 24)
  assert.equal(orderMigrations(upTo(26)).length, 26)
  assert.throws(() => orderMigrations(without.filter((x) => !x.name.startsWith('0023'))), /Migration 0023 is missing/)
  assert.throws(() => orderMigrations([...upTo(26), m('0024-y')]), /missing or repeated/)
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
