/**
 * Test databases. Each test file (one process under `node --test`) gets one migrated database, and every test
 * starts from it emptied (`resetDatabase`): migrating or cloning a database per test cost most of the suite's time.
 * With TEST_DATABASE_URL set the database is a schema of its own on that PostgreSQL server, dropped when the file
 * ends; otherwise an in-memory PGlite copied from a migrated template.
 */
import { randomBytes } from 'node:crypto'
import { after } from 'node:test'
import { PGlite } from '@electric-sql/pglite'
import { sql, type Kysely } from 'kysely'
import {
  connectPostgres,
  createPglite,
  pgliteParsers,
  wrapPglite,
  type Database,
} from '../../src/platform/db/database.ts'
import type { DB } from '../../src/platform/db/schema.ts'
import { migrate } from '../../src/migrations.ts'

let template: Promise<File | Blob> | undefined

/** A migrated PGlite data directory, made once per test process and copied for each database (faster than migrating). */
async function migratedPgliteDump(): Promise<File | Blob> {
  template ??= (async () => {
    const pglite = await createPglite()
    const database = wrapPglite(pglite)
    await migrate(database.db)
    const dump = await pglite.dumpDataDir('none')
    await database.close()
    return dump
  })()
  return template
}

export function testDatabaseUrl(): string | undefined {
  const url = process.env['TEST_DATABASE_URL']
  return url === undefined || url === '' ? undefined : url
}

/**
 * A fresh, migrated, empty database of its own, for a test that needs one (a second database), or with `empty` one
 * not even migrated (a migration test).
 * Most tests use `fileDatabase()` through `buildTestApp` instead.
 */
export async function createTestDatabase(options: { max?: number; empty?: boolean } = {}): Promise<Database> {
  const url = testDatabaseUrl()
  if (url !== undefined) {
    const schema = `test_${randomBytes(8).toString('hex')}`
    const admin = connectPostgres(url, { max: 1 })
    await sql`create schema ${sql.id(schema)}`.execute(admin.db)
    const database = connectPostgres(url, { searchPath: schema, max: options.max ?? 4 })
    if (options.empty !== true) await migrate(database.db)
    let closed = false
    return {
      ...database,
      close: async () => {
        if (closed) return
        closed = true
        await database.close()
        await sql`drop schema ${sql.id(schema)} cascade`.execute(admin.db)
        await admin.close()
      },
    }
  }
  if (options.empty === true) return wrapPglite(await createPglite())
  const pglite = await PGlite.create({ loadDataDir: await migratedPgliteDump(), parsers: pgliteParsers })
  return wrapPglite(pglite)
}

let shared: Promise<Database> | undefined

/**
 * The test file's database: made on first use, closed when the file's tests have all run. Tests share it one after
 * another (node:test runs a file's tests in sequence), each starting from `resetDatabase`.
 */
export function fileDatabase(): Promise<Database> {
  shared ??= createTestDatabase({ max: 6 })
  return shared
}

// Registered when this module is first imported, at the top level of a test file, so it runs once after all the
// file's tests (a hook registered inside a running test would run after that test only).
after(async () => {
  if (shared === undefined) return
  const database = await shared
  shared = undefined
  await database.close()
})

/** The migrator's own record: kept by a reset. */
const KEEP = new Set(['hub_migration'])
const tablesOf = new WeakMap<Kysely<DB>, Promise<string[]>>()

/**
 * Empties every table of the service in one statement, as if the database had just been migrated. Append-only
 * tables refuse TRUNCATE by trigger; `session_replication_role = replica` switches user triggers off for this
 * transaction only (the test roles are superusers, as PGlite always is).
 */
export async function resetDatabase(database: Database): Promise<void> {
  const { db } = database
  let tables = tablesOf.get(db)
  if (tables === undefined) {
    tables = sql<{ tablename: string }>`
      select tablename from pg_tables where schemaname = current_schema() order by tablename
    `
      .execute(db)
      .then((result) => result.rows.map((row) => row.tablename).filter((name) => !KEEP.has(name)))
    tablesOf.set(db, tables)
  }
  const names = await tables
  if (names.length === 0) return
  await db.transaction().execute(async (tx) => {
    await sql`set local session_replication_role = replica`.execute(tx)
    await sql`truncate table ${sql.join(names.map((name) => sql.id(name)))} restart identity cascade`.execute(tx)
  })
}
