import { randomBytes } from 'node:crypto'
import { PGlite } from '@electric-sql/pglite'
import { sql } from 'kysely'
import { connectPostgres, createPglite, pgliteParsers, wrapPglite, type Database } from './database.ts'
import { migrateToLatest } from './migrate.ts'

let template: Promise<File | Blob> | undefined

/** A migrated PGlite data directory, made once per test process and copied for each test (much faster than migrating). */
async function migratedPgliteDump(): Promise<File | Blob> {
  template ??= (async () => {
    const pglite = await createPglite()
    const database = wrapPglite(pglite)
    await migrateToLatest(database.db)
    const dump = await pglite.dumpDataDir('none')
    await database.close()
    return dump
  })()
  return template
}

/**
 * A fresh, migrated, empty database for one test. With TEST_DATABASE_URL set it is a new schema on that PostgreSQL
 * server, dropped on close; otherwise an in-memory PGlite copied from a migrated template.
 */
export async function createTestDatabase(): Promise<Database> {
  const url = process.env['TEST_DATABASE_URL']
  if (url !== undefined && url !== '') {
    const schema = `test_${randomBytes(8).toString('hex')}`
    const admin = connectPostgres(url, { max: 1 })
    await sql`create schema ${sql.id(schema)}`.execute(admin.db)
    const database = connectPostgres(url, { searchPath: schema, max: 4 })
    await migrateToLatest(database.db)
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
  const pglite = await PGlite.create({ loadDataDir: await migratedPgliteDump(), parsers: pgliteParsers })
  return wrapPglite(pglite)
}
