import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fixedClock } from '../../../test/support/clock.ts'
import type { Database } from '../../platform/db/database.ts'
import { emptyFileDatabase } from '../../../test/support/database.ts'
import { TEST_PASSWORD_COST } from '../staff/index.ts'
import { demoSites } from './demo.data.ts'
import { seedDemo } from './demo.service.ts'
import { serviceKinds } from '../services/index.ts'

async function freshDatabase(): Promise<Database> {
  const database = await emptyFileDatabase()
  return database
}

const seed = (database: Database) =>
  seedDemo(
    {
      database,
      clock: fixedClock('2026-11-20T10:00:00Z'),
      log: () => undefined,
      progress: false,
      passwordCost: TEST_PASSWORD_COST,
    },
    { people: 0 },
  )

test('seeding adds a clearly synthetic directory for each demo site, every kind, once', async () => {
  const database = await freshDatabase()
  await seed(database)
  const rows = await database.db
    .selectFrom('service')
    .innerJoin('site', 'site.id', 'service.site_id')
    .select([
      'site.code',
      'service.kind',
      'service.name',
      'service.ods_code',
      'service.phone',
      'service.organisation_id',
    ])
    .execute()
  for (const site of demoSites) {
    const here = rows.filter((r) => r.code === site.code)
    assert.deepEqual(new Set(here.map((r) => r.kind)), new Set(serviceKinds.filter((k) => k !== 'other')), site.code)
    assert.ok(here.filter((r) => r.kind === 'gp-practice').length >= 3, `${site.code} has GP practices to choose from`)
  }
  assert.ok(rows.every((r) => r.name.endsWith('(demo)')))
  // ODS-like codes in a fake pattern: never the one letter and five digits of real GP practice codes.
  for (const r of rows.filter((row) => row.kind === 'gp-practice')) {
    assert.match(r.ods_code ?? '', /^ZZ[A-Z]{2}\d{2}$/)
  }
  assert.ok(rows.every((r) => r.phone?.startsWith('01632 960')))
  assert.ok(
    rows.some((r) => r.organisation_id !== null),
    'partner services are linked to the demo organisations',
  )
  const count = rows.length
  await seed(database)
  const again = await database.db.selectFrom('service').select('id').execute()
  assert.equal(again.length, count, 'seeding again duplicates nothing')
})
