/** PostgreSQL only: a second connection commits while the snapshot is open. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { inReadSnapshot } from './read-only.ts'
import { fileDatabase, resetDatabase } from '../../../test/support/database.ts'

test('every query of a read snapshot sees the same data, whatever commits meanwhile', async () => {
  const database = await fileDatabase()
  assert.equal(database.kind, 'postgres', 'this test needs TEST_DATABASE_URL (a PostgreSQL server)')
  await resetDatabase(database)
  const { db } = database
  await db.insertInto('site').values({ code: 'before', name: 'Before', region: 'Test' }).execute()
  const seen = await inReadSnapshot(db, async (snapshot) => {
    const first = await snapshot.selectFrom('site').select('code').execute()
    // Committed on another connection of the pool while the snapshot is open (the pool itself: the root handle
    // refuses to be used inside a transaction).
    await database.pool?.query("insert into site (code, name, region) values ('during', 'During', 'Test')")
    const second = await snapshot.selectFrom('site').select('code').execute()
    return { first: first.map((s) => s.code), second: second.map((s) => s.code) }
  })
  assert.deepEqual(seen, { first: ['before'], second: ['before'] })
  const after = await db.selectFrom('site').select('code').orderBy('code').execute()
  assert.deepEqual(
    after.map((s) => s.code),
    ['before', 'during'],
  )
})
