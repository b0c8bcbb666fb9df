import { test } from 'node:test'
import assert from 'node:assert/strict'
import { emptyFileDatabase } from '../../../test/support/database.ts'
import { createOnce, purgeIdempotencyKeys } from './idempotency.ts'
import { givenStaff } from '../../../test/support/builders.ts'

test('creates once per key: a repeat, even a concurrent one, returns the first id without creating again', async () => {
  const database = await emptyFileDatabase()
  const user = await givenStaff(database.db, 'clinician')
  let created = 0
  const submit = () =>
    database.db.transaction().execute((tx) =>
      createOnce(
        tx,
        { staffUserId: user.id, scope: 'thing.create', key: 'k1', request: { a: 1, b: [2] } },
        async () => {
          created++
          return `thing-${created}`
        },
      ),
    )
  const results = await Promise.all([submit(), submit(), submit()])
  assert.equal(created, 1)
  assert.deepEqual(new Set(results.map((r) => r.id)), new Set(['thing-1']))
  assert.equal(results.filter((r) => !r.replayed).length, 1)
})

test('refuses a key reused for a different request', async () => {
  const database = await emptyFileDatabase()
  const user = await givenStaff(database.db, 'clinician')
  const submit = (request: unknown) =>
    database.db
      .transaction()
      .execute((tx) =>
        createOnce(tx, { staffUserId: user.id, scope: 'thing.create', key: 'k1', request }, async () => 'thing'),
      )
  await submit({ a: 1 })
  await assert.rejects(submit({ a: 2 }), /already used for a different request/)
})

test('keeps nothing when the creating transaction rolls back, so a retry can create', async () => {
  const database = await emptyFileDatabase()
  const user = await givenStaff(database.db, 'clinician')
  await assert.rejects(
    database.db.transaction().execute(async (tx) => {
      await createOnce(tx, { staffUserId: user.id, scope: 's', key: 'k', request: {} }, async () => 'first')
      throw new Error('later step failed')
    }),
  )
  const retry = await database.db
    .transaction()
    .execute((tx) => createOnce(tx, { staffUserId: user.id, scope: 's', key: 'k', request: {} }, async () => 'second'))
  assert.deepEqual(retry, { replayed: false, id: 'second' })
})

test('purges keys older than the window, after which the same key creates again', async () => {
  const database = await emptyFileDatabase()
  const user = await givenStaff(database.db, 'clinician')
  const submit = (id: string) =>
    database.db
      .transaction()
      .execute((tx) => createOnce(tx, { staffUserId: user.id, scope: 's', key: 'k', request: {} }, async () => id))
  await submit('first')
  await database.db.transaction().execute((tx) => purgeIdempotencyKeys(tx, new Date('2000-01-01T00:00:00Z')))
  assert.deepEqual(await submit('second'), { replayed: true, id: 'first' })
  await database.db.transaction().execute((tx) => purgeIdempotencyKeys(tx, new Date(Date.now() + 60_000)))
  assert.deepEqual(await submit('third'), { replayed: false, id: 'third' })
})
