/**
 * Reads for reports and other views that read across features: one read-only transaction, so every query sees
 * the same snapshot (REPEATABLE READ on PostgreSQL; PGlite has one connection, so one snapshot already) and a write
 * fails twice over: at compile time (the handle is Kysely's ReadonlyTransaction, with no insert, update or delete)
 * and in the database (`read only` refuses any write, even through raw SQL). A report read model takes this handle;
 * pointing reports at a read replica later changes only which database is passed in.
 */
import { sql, type Kysely } from 'kysely'
import type { ReadonlyTransaction } from 'kysely/readonly'
import type { DB } from './schema.ts'

export type ReadSnapshot = ReadonlyTransaction<DB>

export async function inReadSnapshot<T>(db: Kysely<DB>, read: (snapshot: ReadSnapshot) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (tx) => {
    // The first statement of the transaction, before any query takes the snapshot. PGlite's Kysely driver ignores
    // Kysely's transaction settings, so they are set in SQL, which both databases accept.
    await sql`set transaction isolation level repeatable read, read only`.execute(tx)
    return read(tx as unknown as ReadSnapshot)
  })
}
