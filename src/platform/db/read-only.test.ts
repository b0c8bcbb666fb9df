import { test } from 'node:test'
import assert from 'node:assert/strict'
import { sql, type Kysely } from 'kysely'
import type { DB } from './schema.ts'
import { inReadSnapshot } from './read-only.ts'
import { fileDatabase, resetDatabase } from '../../../test/support/database.ts'

test('a read snapshot reads across tables and returns what the reader returns', async () => {
  const database = await fileDatabase()
  await resetDatabase(database)
  const { db } = database
  await db.insertInto('site').values({ code: 'north', name: 'North', region: 'Test' }).execute()
  const result = await inReadSnapshot(db, async (snapshot) => {
    const sites = await snapshot.selectFrom('site').select('code').execute()
    const staff = await snapshot
      .selectFrom('staff_user')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
    return { sites: sites.map((s) => s.code), staff: Number(staff.n) }
  })
  assert.deepEqual(result, { sites: ['north'], staff: 0 })
})

test('the database refuses a write inside a read snapshot, even through raw SQL, and nothing is written', async () => {
  // The types already refuse this (raw SQL cannot be run on a ReadonlyTransaction); the cast shows the database
  // refuses it too.
  const database = await fileDatabase()
  await resetDatabase(database)
  const { db } = database
  await assert.rejects(
    inReadSnapshot(db, async (snapshot) => {
      const untyped = snapshot as unknown as Kysely<DB>
      await sql`insert into site (code, name, region) values ('written', 'Written', 'Test')`.execute(untyped)
    }),
    /read-only transaction/,
  )
  assert.deepEqual(await db.selectFrom('site').select('code').execute(), [])
})

test('a read snapshot is read only and repeatable read', async () => {
  const database = await fileDatabase()
  await resetDatabase(database)
  const settings = await inReadSnapshot(database.db, async (snapshot) => {
    return snapshot
      .selectNoFrom([
        sql<string>`current_setting('transaction_read_only')`.as('readOnly'),
        sql<string>`current_setting('transaction_isolation')`.as('isolation'),
      ])
      .executeTakeFirst()
  })
  assert.deepEqual(settings, { readOnly: 'on', isolation: 'repeatable read' })
})
