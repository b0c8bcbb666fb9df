/**
 * One migrated PGlite database for a whole test run. `npm test` makes it before its passes, writes the dump to a
 * file and names the file in HUB_TEST_PGLITE_TEMPLATE, so that each test process loads it instead of making and
 * migrating a database of its own (seconds per browser test file). Made from the same checkout in the same run, it
 * cannot be out of date; a test file run on its own migrates its own.
 */
import { writeFileSync } from 'node:fs'
import { createPglite, wrapPglite } from '../../src/platform/db/database.ts'
import { migrate } from '../../src/migrations.ts'

export const PGLITE_TEMPLATE_ENV = 'HUB_TEST_PGLITE_TEMPLATE'

/** A new PGlite, migrated, dumped as a data directory archive. */
export async function makeMigratedPgliteDump(): Promise<File | Blob> {
  const pglite = await createPglite()
  const database = wrapPglite(pglite)
  await migrate(database.db)
  const dump = await pglite.dumpDataDir('none')
  await database.close()
  return dump
}

/** Writes a migrated dump to `file`, for HUB_TEST_PGLITE_TEMPLATE. */
export async function writeMigratedPgliteDump(file: string): Promise<void> {
  const dump = await makeMigratedPgliteDump()
  writeFileSync(file, new Uint8Array(await dump.arrayBuffer()))
}
