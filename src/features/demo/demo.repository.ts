import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Transaction as PgliteTransaction } from '@electric-sql/pglite'
import type { Kysely } from 'kysely'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import type { DB } from '../../platform/db/schema.ts'
import type { StaffRole } from '../../platform/http/roles.ts'
import type { ServiceKind } from '../services/index.ts'

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
 * Demo accounts are created, or reset to the demo password and unlocked if they exist and are active, so the printed
 * password works. A demo account an administrator has disabled stays exactly as it is: disabling is a recorded
 * decision (audited as a user update) that a seed run, which has no actor to audit, must never silently undo. An
 * existing account that is not a demo account is left exactly as it is too.
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
        .where((eb) => eb.and([eb('staff_user.is_demo', '=', true), eb('staff_user.status', '=', 'active')])),
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

/** Demo accounts (of the given addresses) that an administrator has disabled: a seed run leaves them disabled. */
export async function listDisabledDemoStaff(db: Kysely<DB>, emails: readonly string[]): Promise<string[]> {
  if (emails.length === 0) return []
  const rows = await db
    .selectFrom('staff_user')
    .select('email')
    .where('is_demo', '=', true)
    .where('status', '=', 'disabled')
    .where('email', 'in', emails)
    .orderBy('email')
    .execute()
  return rows.map((r) => r.email)
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

/** People at each site (by site id): the demo's hub teams place new people after them. */
export async function countPeopleBySite(db: Kysely<DB>): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('person')
    .select(['site_id', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('site_id')
    .execute()
  return new Map(rows.map((r) => [r.site_id, r.n]))
}

/** Every account in the demo's email domain (demo or not), so the hub teams reuse or avoid them. */
export async function listStaffInDomain(
  db: Kysely<DB>,
  domain: string,
): Promise<{ id: string; email: string; role: string; isDemo: boolean }[]> {
  const rows = await db
    .selectFrom('staff_user')
    .select(['id', 'email', 'role', 'is_demo'])
    .where('email', 'like', `%@${domain}`)
    .execute()
  return rows.map((r) => ({ id: r.id, email: r.email, role: r.role, isDemo: r.is_demo }))
}

export async function findOrganisationIds(db: Kysely<DB>, codes: readonly string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map()
  const rows = await db.selectFrom('organisation').select(['id', 'code']).where('code', 'in', codes).execute()
  return new Map(rows.map((r) => [r.code, r.id]))
}

/** Runs one SQL text on a connection already in a transaction (a pg client, or a PGlite transaction). */
export type RunSql = (text: string) => Promise<{ rows: unknown[] }>

interface ForeignKey {
  tbl: string
  name: string
  def: string
}

/**
 * For a large load: drops the foreign keys of the given tables and returns a function that adds them back exactly as
 * they were (definitions read from the catalogue). Adding a foreign key checks every row in one set-based pass, far
 * quicker than a trigger per row, and it runs before the caller commits: a row that breaks a constraint fails the
 * load, and as DDL is transactional a failure anywhere leaves the constraints as they were. The tables are locked
 * until commit, so this is only for bulk demo loads.
 */
export async function suspendForeignKeys(run: RunSql, tables: readonly string[]): Promise<() => Promise<void>> {
  if (!tables.every((name) => /^[a-z_][a-z0-9_]*$/.test(name))) throw new Error('Bad identifier')
  const list = tables.map((name) => `'${name}'::regclass`).join(', ')
  const { rows } = await run(
    `select conrelid::regclass::text as tbl, quote_ident(conname) as name, pg_get_constraintdef(oid) as def
     from pg_constraint where contype = 'f' and conrelid in (${list}) order by conrelid::regclass::text, conname`,
  )
  const keys = rows as ForeignKey[]
  for (const key of keys) await run(`alter table ${key.tbl} drop constraint ${key.name}`)
  return async () => {
    for (const key of keys) await run(`alter table ${key.tbl} add constraint ${key.name} ${key.def}`)
  }
}

/** Active directory entries of the given sites, by site id, in a stable order. */
export async function listActiveServices(
  db: Kysely<DB>,
  siteIds: readonly string[],
): Promise<Map<string, { id: string; kind: ServiceKind; organisationId: string | null }[]>> {
  const bySite = new Map<string, { id: string; kind: ServiceKind; organisationId: string | null }[]>()
  if (siteIds.length === 0) return bySite
  const rows = await db
    .selectFrom('service')
    .select(['id', 'site_id', 'kind', 'organisation_id'])
    .where('site_id', 'in', siteIds)
    .where('active', '=', true)
    .orderBy('site_id')
    .orderBy('kind')
    .orderBy('name')
    .orderBy('id')
    .execute()
  for (const row of rows) {
    const list = bySite.get(row.site_id) ?? []
    list.push({ id: row.id, kind: row.kind, organisationId: row.organisation_id })
    bySite.set(row.site_id, list)
  }
  return bySite
}

/** Instruments whose licence permission is in force (the rest that need one stay disabled). */
export async function listPermittedInstruments(db: Kysely<DB>): Promise<string[]> {
  const rows = await db
    .selectFrom('instrument_permission')
    .select('instrument_code')
    .where('revoked_at', 'is', null)
    .orderBy('instrument_code')
    .execute()
  return rows.map((r) => r.instrument_code)
}

/** Active partner demo accounts with an organisation, by organisation id. */
export async function findCaseworkers(db: Kysely<DB>, emails: readonly string[]): Promise<Map<string, string>> {
  if (emails.length === 0) return new Map()
  const rows = await db
    .selectFrom('staff_user')
    .select(['id', 'organisation_id'])
    .where('is_demo', '=', true)
    .where('status', '=', 'active')
    .where('role', '=', 'partner')
    .where('email', 'in', emails)
    .orderBy('email')
    .execute()
  const byOrganisation = new Map<string, string>()
  for (const row of rows) if (row.organisation_id !== null) byOrganisation.set(row.organisation_id, row.id)
  return byOrganisation
}
