import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Transaction as PgliteTransaction } from '@electric-sql/pglite'
import type { Kysely } from 'kysely'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import type { DB, StaffRole } from '../../platform/db/schema.ts'

export async function upsertOrganisations(
  db: Kysely<DB>,
  organisations: readonly { code: string; name: string }[],
): Promise<Map<string, string>> {
  await db
    .insertInto('organisation')
    .values(organisations.map((o) => ({ code: o.code, name: o.name })))
    .onConflict((oc) => oc.column('code').doNothing())
    .execute()
  const rows = await db
    .selectFrom('organisation')
    .select(['id', 'code'])
    .where(
      'code',
      'in',
      organisations.map((o) => o.code),
    )
    .execute()
  return new Map(rows.map((r) => [r.code, r.id]))
}

export interface DemoStaffInsert {
  email: string
  displayName: string
  role: StaffRole
  organisationId: string | null
  passwordHash: string
}

/**
 * Demo accounts are created, or reset to the demo password and unlocked if they exist, so the printed password
 * always works. An existing account that is not a demo account is left exactly as it is.
 */
export async function upsertDemoStaff(db: Kysely<DB>, staff: readonly DemoStaffInsert[]): Promise<Map<string, string>> {
  await db
    .insertInto('staff_user')
    .values(
      staff.map((s) => ({
        email: s.email,
        display_name: s.displayName,
        role: s.role,
        organisation_id: s.organisationId,
        password_hash: s.passwordHash,
        is_demo: true,
      })),
    )
    .onConflict((oc) =>
      oc
        .column('email')
        .doUpdateSet((eb) => ({
          password_hash: eb.ref('excluded.password_hash'),
          status: 'active',
          failed_sign_ins: 0,
          locked_until: null,
        }))
        .where('staff_user.is_demo', '=', true),
    )
    .execute()
  const rows = await db
    .selectFrom('staff_user')
    .select(['id', 'email'])
    .where('is_demo', '=', true)
    .where(
      'email',
      'in',
      staff.map((s) => s.email),
    )
    .execute()
  return new Map(rows.map((r) => [r.email, r.id]))
}

export async function insertSiteMemberships(
  db: Kysely<DB>,
  memberships: readonly { staffUserId: string; siteId: string }[],
): Promise<void> {
  if (memberships.length === 0) return
  await db
    .insertInto('staff_site')
    .values(memberships.map((m) => ({ staff_user_id: m.staffUserId, site_id: m.siteId })))
    .onConflict((oc) => oc.columns(['staff_user_id', 'site_id']).doNothing())
    .execute()
}

export async function countPeople(db: Kysely<DB>): Promise<number> {
  const row = await db
    .selectFrom('person')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return row.n
}

export async function countSites(db: Kysely<DB>): Promise<number> {
  const row = await db
    .selectFrom('site')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return row.n
}

export async function listDemoStaff(
  db: Kysely<DB>,
  emails: readonly string[],
): Promise<{ email: string; role: StaffRole }[]> {
  if (emails.length === 0) return []
  return db
    .selectFrom('staff_user')
    .select(['email', 'role'])
    .where('is_demo', '=', true)
    .where('email', 'in', emails)
    .execute()
}

export async function countDemoStaff(db: Kysely<DB>): Promise<number> {
  const row = await db
    .selectFrom('staff_user')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('is_demo', '=', true)
    .executeTakeFirstOrThrow()
  return row.n
}

/** Table and column names come from the generators' constants, never from input. */
function copySql(table: string, columns: readonly string[], source: 'STDIN' | "'/dev/blob'"): string {
  if (![table, ...columns].every((name) => /^[a-z_][a-z0-9_]*$/.test(name))) throw new Error('Bad identifier in COPY')
  return `COPY ${table} (${columns.join(', ')}) FROM ${source} WITH (FORMAT csv)`
}

/** COPY on a PostgreSQL server connection (inside the caller's transaction). */
export async function copyIntoPostgres(
  client: pg.PoolClient,
  table: string,
  columns: readonly string[],
  csv: string,
): Promise<void> {
  await pipeline(Readable.from([csv]), client.query(copyFrom(copySql(table, columns, 'STDIN'))))
}

/** COPY into embedded PGlite, which reads the data from a blob it exposes as /dev/blob. */
export async function copyIntoPglite(
  tx: PgliteTransaction,
  table: string,
  columns: readonly string[],
  csv: string,
): Promise<void> {
  await tx.query(copySql(table, columns, "'/dev/blob'"), [], { blob: new Blob([csv]) })
}
