import { test } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { RootHandleInTransactionError } from './database.ts'
import { fileDatabase, resetDatabase } from '../../../test/support/database.ts'

test('a query on the root handle inside a transaction fails at once, naming the call, and the transaction rolls back', async () => {
  const database = await fileDatabase()
  await resetDatabase(database)
  const { db } = database
  async function findSiteThroughRootHandle() {
    return db.selectFrom('site').select('id').execute()
  }
  await assert.rejects(
    db.transaction().execute(async (tx) => {
      await tx.insertInto('site').values({ code: 'rolled-back', name: 'Rolled back', region: 'Test' }).execute()
      await findSiteThroughRootHandle()
    }),
    (error: unknown) => {
      assert.ok(error instanceof RootHandleInTransactionError)
      assert.match(error.message, /use the transaction handle/)
      assert.match(error.stack ?? '', /findSiteThroughRootHandle/)
      return true
    },
  )
  // Nothing of the failed transaction is kept, and the database still answers.
  assert.deepEqual(await db.selectFrom('site').select('code').execute(), [])
})

test('the transaction handle, the root handle after the transaction, and concurrent transactions all work', async () => {
  const database = await fileDatabase()
  await resetDatabase(database)
  const { db } = database
  let later: Promise<unknown> | undefined
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('site').values({ code: 'kept', name: 'Kept', region: 'Test' }).execute()
    // Work started inside a transaction but run after it ends may use the root handle.
    later = new Promise((resolve) => setTimeout(resolve, 0)).then(() => db.selectFrom('site').select('code').execute())
  })
  assert.deepEqual(await later, [{ code: 'kept' }])
  const counts = await Promise.all(
    [1, 2, 3].map(() =>
      db
        .transaction()
        .execute(async (tx) => (await sql<{ n: number }>`select count(*)::int as n from site`.execute(tx)).rows[0]?.n),
    ),
  )
  assert.deepEqual(counts, [1, 1, 1])
  await assert.rejects(
    db
      .transaction()
      .setIsolationLevel('serializable')
      .execute(async () => db.selectFrom('site').select('id').execute()),
    RootHandleInTransactionError,
  )
})
