import { test } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { fixedClock } from './clock.ts'
import { fileDatabase, resetDatabase } from './database.ts'
import { givenConsent, givenPerson, givenSite, givenStaff } from './builders.ts'
import { createAuditService } from '../../src/platform/audit/audit.service.ts'

type Db = Awaited<ReturnType<typeof fileDatabase>>['db']

/** The tables (but the migrator's) that hold any row. */
async function tablesWithRows(db: Db): Promise<string[]> {
  const tables = await sql<{ tablename: string }>`
    select tablename from pg_tables where schemaname = current_schema() and tablename <> 'hub_migration'
    order by tablename
  `.execute(db)
  const used: string[] = []
  for (const { tablename } of tables.rows) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(tablename)}`.execute(db)
    if ((rows[0]?.n ?? 0) > 0) used.push(tablename)
  }
  return used
}

/** The first id a new consent decision would get (an identity column), read without using one up. */
async function nextConsentId(db: Db, sequenceName: string): Promise<string> {
  const { rows } = await sql<{ next: string }>`
    select case when is_called then (last_value + 1)::text else last_value::text end as next
    from ${sql.id(sequenceName)}
  `.execute(db)
  return rows[0]?.next ?? 'none'
}

test('a reset empties every table, append-only ones too, and starts identity columns again from 1', async () => {
  const database = await fileDatabase()
  await resetDatabase(database)
  const { db } = database
  const { rows } = await sql<{ name: string }>`select pg_get_serial_sequence('consent_decision', 'id') as name`.execute(
    db,
  )
  const sequenceName = (rows[0]?.name ?? '').split('.').at(-1) ?? ''
  assert.notEqual(sequenceName, '', 'consent_decision.id is an identity column')
  assert.equal(await nextConsentId(db, sequenceName), '1')

  const site = await givenSite(db)
  const clinician = await givenStaff(db, 'clinician', { sites: [site] })
  const person = await givenPerson(db, site)
  await givenConsent(db, person, clinician, { topic: 'contact-by-sms', decision: 'given' })
  await givenConsent(db, person, clinician, { topic: 'contact-by-email', decision: 'given' })
  const audit = createAuditService({ db, clock: fixedClock('2026-11-20T10:00:00Z') })
  await db
    .transaction()
    .execute((tx) =>
      audit.record(tx, { principal: undefined, requestId: 'r1' }, { action: 'view', entityType: 'person' }),
    )
  const used = await tablesWithRows(db)
  for (const table of ['site', 'person', 'consent_decision', 'audit_event']) {
    assert.ok(used.includes(table), `${table} has rows before the reset`)
  }
  assert.equal(await nextConsentId(db, sequenceName), '3')
  // The audit log refuses deletes (a trigger keeps it append-only); the reset empties it all the same.
  await assert.rejects(sql`delete from audit_event`.execute(db))

  await resetDatabase(database)

  assert.deepEqual(await tablesWithRows(db), [], 'every table is empty')
  assert.equal(await nextConsentId(db, sequenceName), '1', 'identity columns start again from 1')
  // The triggers that keep tables append-only are back on once the reset's transaction ends.
  await db
    .transaction()
    .execute((tx) =>
      audit.record(tx, { principal: undefined, requestId: 'r2' }, { action: 'view', entityType: 'person' }),
    )
  await assert.rejects(sql`delete from audit_event`.execute(db))
  const again = await givenPerson(db, await givenSite(db))
  await givenConsent(db, again, await givenStaff(db, 'clinician'), { topic: 'contact-by-sms', decision: 'given' })
  const ids = await db.selectFrom('consent_decision').select('id').execute()
  assert.deepEqual(
    ids.map((row) => String(row.id)),
    ['1'],
  )

  // A rolled-back insert uses up a value and leaves its table empty: the sequence starts again all the same.
  await resetDatabase(database)
  const person2 = await givenPerson(db, await givenSite(db))
  const staff2 = await givenStaff(db, 'clinician')
  await assert.rejects(
    db.transaction().execute(async (tx) => {
      await givenConsent(tx, person2, staff2, { topic: 'contact-by-sms', decision: 'given' })
      throw new Error('rolled back')
    }),
    /rolled back/,
  )
  assert.equal((await db.selectFrom('consent_decision').select('id').execute()).length, 0)
  assert.equal(await nextConsentId(db, sequenceName), '2')
  await resetDatabase(database)
  assert.equal(await nextConsentId(db, sequenceName), '1')
})
