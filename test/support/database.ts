/**
 * Test databases. Each test file (one process under `node --test`) gets one migrated database, and every test
 * starts from it emptied (`resetDatabase`): migrating or cloning a database per test cost most of the suite's time.
 * With TEST_DATABASE_URL set the database is a schema of its own on that PostgreSQL server, dropped when the file
 * ends; otherwise an in-memory PGlite copied from a migrated template.
 */
import { randomBytes } from 'node:crypto'
import { openAsBlob } from 'node:fs'
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
import { makeMigratedPgliteDump, PGLITE_TEMPLATE_ENV } from './pglite-template.ts'

let template: Promise<File | Blob> | undefined

/** A migrated PGlite data directory, made once per test run (or process) and copied for each database. */
async function migratedPgliteDump(): Promise<File | Blob> {
  template ??= (async () => {
    const file = process.env[PGLITE_TEMPLATE_ENV]
    if (file !== undefined && file !== '') return openAsBlob(file)
    return makeMigratedPgliteDump()
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

/**
 * The file's database emptied, for a test that works on a database without the file's app: much cheaper than a new
 * one (`createTestDatabase`). The file closes it; the test must not.
 */
export async function emptyFileDatabase(): Promise<Database> {
  const database = await fileDatabase()
  await resetDatabase(database)
  return database
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

/** The service's tables and sequences (identity and serial columns), read once per database. */
interface Layout {
  tables: string[]
  sequences: string[]
}

const layoutOf = new WeakMap<Kysely<DB>, Promise<Layout>>()

async function readLayout(db: Kysely<DB>): Promise<Layout> {
  const tables = await sql<{ tablename: string }>`
    select tablename from pg_tables where schemaname = current_schema() order by tablename
  `.execute(db)
  const sequences = await sql<{ sequencename: string }>`
    select sequencename from pg_sequences where schemaname = current_schema() order by sequencename
  `.execute(db)
  return {
    tables: tables.rows.map((row) => row.tablename).filter((name) => !KEEP.has(name)),
    sequences: sequences.rows.map((row) => row.sequencename),
  }
}

/**
 * Empties every table of the service, as if the database had just been migrated: rows deleted, and every sequence
 * used since started again from 1 (what TRUNCATE ... RESTART IDENTITY did, at a fraction of its cost: a test leaves
 * rows in a few tables, so only those are emptied, and a DELETE of a few rows makes no new files as TRUNCATE does).
 * `session_replication_role = replica` switches off, for this transaction only, the triggers that keep tables
 * append-only and the foreign keys, so the order does not matter (the test roles are superusers, as PGlite always is).
 */
export async function resetDatabase(database: Database): Promise<void> {
  const { db } = database
  let layout = layoutOf.get(db)
  if (layout === undefined) {
    layout = readLayout(db)
    layoutOf.set(db, layout)
  }
  const { tables, sequences } = await layout
  if (tables.length === 0 && sequences.length === 0) return
  await db.transaction().execute(async (tx) => {
    // Tables holding a row and sequences that have given a value (a rolled-back insert uses one up too).
    const used = await sql<{ name: string; kind: 'table' | 'sequence' }>`${sql.join(
      [
        ...tables.map(
          (name) => sql`select ${name}::text as name, 'table' as kind where exists (select from ${sql.id(name)})`,
        ),
        ...sequences.map(
          (name) => sql`select ${name}::text as name, 'sequence' as kind where (select is_called from ${sql.id(name)})`,
        ),
      ],
      sql` union all `,
    )}`.execute(tx)
    if (used.rows.length === 0) return
    await sql`set local session_replication_role = replica`.execute(tx)
    for (const { name, kind } of used.rows) {
      if (kind === 'table') await sql`delete from ${sql.id(name)}`.execute(tx)
      else await sql`select setval(${sql.lit(name)}::regclass, 1, false)`.execute(tx)
    }
  })
}
