/**
 * Every migration of the service: the platform's and each feature's (from src/features.ts), in the order of their
 * numbers.
 */
import type { Kysely } from 'kysely'
import type { DB } from './platform/db/schema.ts'
import { migrateToLatest, orderMigrations, platformMigrations, type Migration } from './platform/db/migrate.ts'
import { features } from './features.ts'

export const migrations: readonly Migration[] = orderMigrations(
  platformMigrations,
  ...features.map((feature) => feature.migrations),
)

/** Applies every migration not yet applied; returns the names applied. */
export function migrate(db: Kysely<DB>): Promise<string[]> {
  return migrateToLatest(db, migrations)
}
