import type { Executor } from '../../platform/db/executor.ts'
import { countOf } from '../../platform/db/paging.ts'
import type { StaffRole } from '../../platform/http/roles.ts'
import type { StaffUserRow } from './staff.tables.ts'
import type { Organisation as SitesOrganisation } from '../sites/index.ts'

export interface StaffUser {
  id: string
  email: string
  displayName: string
  role: StaffRole
  organisationId: string | null
  status: 'active' | 'disabled'
  isDemo: boolean
  failedSignIns: number
  lockedUntil: Date | null
  lastSignInAt: Date | null
  hasPassword: boolean
  siteIds: string[]
  version: number
  createdAt: Date
  updatedAt: Date
}

export interface StaffListQuery {
  search?: string
  role?: StaffRole
  siteId?: string
  status?: 'active' | 'disabled' | 'locked'
  now: Date
  limit: number
  /** Rows to skip first, for a numbered page of the list. */
  offset?: number
}

function toStaffUser(row: StaffUserRow, siteIds: string[]): StaffUser {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    organisationId: row.organisation_id,
    status: row.status,
    isDemo: row.is_demo,
    failedSignIns: row.failed_sign_ins,
    lockedUntil: row.locked_until,
    lastSignInAt: row.last_sign_in_at,
    hasPassword: row.password_hash !== null,
    siteIds,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

async function siteIdsFor(db: Executor, userIds: readonly string[]): Promise<Map<string, string[]>> {
  const bySite = new Map<string, string[]>()
  if (userIds.length === 0) return bySite
  const rows = await db
    .selectFrom('staff_site')
    .select(['staff_user_id', 'site_id'])
    .where('staff_user_id', 'in', userIds)
    .execute()
  for (const row of rows) {
    const ids = bySite.get(row.staff_user_id) ?? []
    ids.push(row.site_id)
    bySite.set(row.staff_user_id, ids)
  }
  return bySite
}

/** `%` and `_` typed in a search box are literal characters, not wildcards. */
function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

function filteredStaff(db: Executor, query: Omit<StaffListQuery, 'limit' | 'offset'>) {
  let select = db.selectFrom('staff_user').selectAll('staff_user')
  if (query.search !== undefined && query.search !== '') {
    const pattern = likePattern(query.search)
    select = select.where((eb) => eb.or([eb('display_name', 'ilike', pattern), eb('email', 'ilike', pattern)]))
  }
  if (query.role !== undefined) select = select.where('role', '=', query.role)
  if (query.siteId !== undefined) {
    const siteId = query.siteId
    select = select.where((eb) =>
      eb.exists(
        eb
          .selectFrom('staff_site')
          .select('staff_site.site_id')
          .whereRef('staff_site.staff_user_id', '=', 'staff_user.id')
          .where('staff_site.site_id', '=', siteId),
      ),
    )
  }
  if (query.status === 'active' || query.status === 'disabled') select = select.where('status', '=', query.status)
  if (query.status === 'locked') select = select.where('locked_until', '>', query.now)
  return select
}

/** How many users match the filter, for the pager. */
export function countStaff(db: Executor, query: Omit<StaffListQuery, 'limit' | 'offset'>): Promise<number> {
  return countOf(filteredStaff(db, query)).then(Number)
}

export async function listStaff(db: Executor, query: StaffListQuery): Promise<StaffUser[]> {
  const rows = await filteredStaff(db, query)
    .orderBy('display_name')
    .orderBy('email')
    .orderBy('id')
    .limit(query.limit)
    .offset(query.offset ?? 0)
    .execute()
  const sites = await siteIdsFor(
    db,
    rows.map((r) => r.id),
  )
  return rows.map((r) => toStaffUser(r, sites.get(r.id) ?? []))
}

export async function findStaffById(db: Executor, id: string): Promise<StaffUser | undefined> {
  const row = await db.selectFrom('staff_user').selectAll().where('id', '=', id).executeTakeFirst()
  if (row === undefined) return undefined
  const sites = await siteIdsFor(db, [row.id])
  return toStaffUser(row, sites.get(row.id) ?? [])
}

/** The user, with their row locked until the transaction ends: decisions on their access wait for each other. */
export async function lockStaffById(db: Executor, id: string): Promise<StaffUser | undefined> {
  const row = await db.selectFrom('staff_user').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
  if (row === undefined) return undefined
  const sites = await siteIdsFor(db, [row.id])
  return toStaffUser(row, sites.get(row.id) ?? [])
}

export async function findStaffByEmail(db: Executor, email: string): Promise<StaffUser | undefined> {
  const row = await db.selectFrom('staff_user').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst()
  if (row === undefined) return undefined
  const sites = await siteIdsFor(db, [row.id])
  return toStaffUser(row, sites.get(row.id) ?? [])
}

export async function insertStaff(
  db: Executor,
  user: {
    email: string
    displayName: string
    role: StaffRole
    organisationId: string | null
    passwordHash: string
    now: Date
    /** Disabled: a new account that waits for its access to be approved. */
    status?: 'active' | 'disabled'
  },
): Promise<string> {
  const row = await db
    .insertInto('staff_user')
    .values({
      email: user.email,
      display_name: user.displayName,
      role: user.role,
      organisation_id: user.organisationId,
      password_hash: user.passwordHash,
      status: user.status ?? 'active',
      // Whoever set it knows it: the owner chooses their own at first sign-in.
      must_change_password: true,
      created_at: user.now,
      updated_at: user.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export interface StaffChanges {
  display_name?: string
  role?: StaffRole
  organisation_id?: string | null
  status?: 'active' | 'disabled'
  password_hash?: string
  must_change_password?: boolean
  failed_sign_ins?: number
  locked_until?: Date | null
}

/** Optimistic concurrency: changes only the version read; false when someone else changed the row first. */
export async function updateStaff(
  db: Executor,
  id: string,
  expectedVersion: number,
  changes: StaffChanges,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('staff_user')
    .set((eb) => ({ ...changes, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function replaceSites(db: Executor, staffUserId: string, siteIds: readonly string[]): Promise<void> {
  await db.deleteFrom('staff_site').where('staff_user_id', '=', staffUserId).execute()
  if (siteIds.length === 0) return
  await db
    .insertInto('staff_site')
    .values(siteIds.map((siteId) => ({ staff_user_id: staffUserId, site_id: siteId })))
    .execute()
}

/** A partner organisation, as the sites feature gives it. */
export type Organisation = SitesOrganisation

export async function countExistingSites(db: Executor, siteIds: readonly string[]): Promise<number> {
  if (siteIds.length === 0) return 0
  const row = await db
    .selectFrom('site')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('id', 'in', siteIds)
    .executeTakeFirstOrThrow()
  return row.n
}
