import { test } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { fixedClock } from '../../../test/support/clock.ts'
import { emptyFileDatabase } from '../../../test/support/database.ts'
import { createAuditService } from './audit.service.ts'
import type { Database } from '../db/database.ts'

/** The stored events, newest first. */
async function storedEvents(db: Database['db']) {
  return db.selectFrom('audit_event').select(['id', 'request_id as requestId']).orderBy('id', 'desc').execute()
}

async function setUp() {
  const database = await emptyFileDatabase()
  const audit = createAuditService({ db: database.db, clock: fixedClock('2026-11-20T10:00:00Z') })
  return { database, audit }
}

test("records events in the caller's transaction, so a rolled-back change leaves no audit event", async () => {
  const { database, audit } = await setUp()
  await database.db
    .transaction()
    .execute((tx) =>
      audit.record(tx, { principal: undefined, requestId: 'r1' }, { action: 'view', entityType: 'person' }),
    )
  await assert.rejects(
    database.db.transaction().execute(async (tx) => {
      await audit.record(tx, { principal: undefined, requestId: 'r2' }, { action: 'update', entityType: 'person' })
      throw new Error('the change failed')
    }),
    /the change failed/,
  )
  const events = await storedEvents(database.db)
  assert.deepEqual(
    events.map((e) => e.requestId),
    ['r1'],
  )
})

test('verifies an intact chain and names the first event that was tampered with', async () => {
  const { database, audit } = await setUp()
  for (let i = 0; i < 5; i++)
    await audit.recordAlone(
      { principal: undefined, requestId: `r${i}` },
      { action: 'view', entityType: 'person', details: { n: i } },
    )
  assert.deepEqual(await audit.verify(2), { ok: true, checked: 5 })

  const third = (await storedEvents(database.db)).find((e) => e.requestId === 'r2')
  assert.ok(third)
  await sql`alter table audit_event disable trigger audit_event_no_update`.execute(database.db)
  await sql`update audit_event set details = '{"n": 99}' where id = ${third.id}`.execute(database.db)
  await sql`alter table audit_event enable trigger audit_event_no_update`.execute(database.db)
  const result = await audit.verify(2)
  assert.equal(result.ok, false)
  assert.equal(result.brokenAt, third.id)
})

test('the database refuses to update or delete audit events', async () => {
  const { database, audit } = await setUp()
  await audit.recordAlone({ principal: undefined, requestId: 'r1' }, { action: 'view', entityType: 'person' })
  await assert.rejects(sql`update audit_event set action = 'list'`.execute(database.db), /append-only/)
  await assert.rejects(sql`delete from audit_event`.execute(database.db), /append-only/)
  await assert.rejects(sql`truncate audit_event`.execute(database.db), /append-only/)
})

test('keeps one linear chain when many requests record at once', async () => {
  const { audit } = await setUp()
  await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      audit.recordAlone({ principal: undefined, requestId: `c${i}` }, { action: 'view', entityType: 'person' }),
    ),
  )
  assert.deepEqual(await audit.verify(), { ok: true, checked: 20 })
})
