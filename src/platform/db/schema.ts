/**
 * The database's types. `DB` names every table: the platform's own here, and each feature's in its
 * `<feature>.tables.ts`, which adds them to `DB` by declaration merging (`declare module`), so the platform never
 * imports a feature and a feature's tables, vocabularies and migrations live in its own folder.
 */
import type { ColumnType, Generated } from 'kysely'

/** A timestamptz: written as a Date, read as a Date. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>

/** A calendar date, kept as an ISO string (YYYY-MM-DD) end to end. */
export type CalendarDate = string

export type CreatedAt = ColumnType<Date, Date | string | undefined, never>

export type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>

export interface IdempotencyKeyTable {
  staff_user_id: string
  scope: string
  key: string
  request_hash: string
  resource_id: string
  created_at: CreatedAt
}

export interface MigrationTable {
  name: string
  applied_at: Generated<Date>
}

/** numeric columns: written as numbers, read back as strings by the drivers. */
export type Numeric = ColumnType<string | number, number | string, number | string>

/** jsonb written as JSON text, read back parsed. */
export type Json<T> = ColumnType<T, string, string>

export interface RateLimitBucketTable {
  key: string
  hits: number
  resets_at: Timestamp
}

export interface DB {
  idempotency_key: IdempotencyKeyTable
  hub_migration: MigrationTable
  rate_limit_bucket: RateLimitBucketTable
}
