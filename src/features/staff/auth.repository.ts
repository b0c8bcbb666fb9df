import { sql, type ExpressionBuilder } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import type { Executor } from '../../platform/db/executor.ts'
import type { StaffRole } from '../../platform/http/roles.ts'

export interface StaffIdentity {
  id: string
  email: string
  displayName: string
  role: StaffRole
  organisationId: string | null
  status: 'active' | 'disabled'
  passwordHash: string | null
  failedSignIns: number
  lockedUntil: Date | null
  mustChangePassword: boolean
}

export async function findStaffByEmail(db: Executor, email: string): Promise<StaffIdentity | undefined> {
  const row = await db.selectFrom('staff_user').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst()
  return row === undefined ? undefined : toIdentity(row)
}

export async function findStaffById(db: Executor, id: string): Promise<StaffIdentity | undefined> {
  const row = await db.selectFrom('staff_user').selectAll().where('id', '=', id).executeTakeFirst()
  return row === undefined ? undefined : toIdentity(row)
}

function toIdentity(row: {
  id: string
  email: string
  display_name: string
  role: StaffRole
  organisation_id: string | null
  status: 'active' | 'disabled'
  password_hash: string | null
  failed_sign_ins: number
  locked_until: Date | null
  must_change_password: boolean
}): StaffIdentity {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    organisationId: row.organisation_id,
    status: row.status,
    passwordHash: row.password_hash,
    failedSignIns: row.failed_sign_ins,
    lockedUntil: row.locked_until,
    mustChangePassword: row.must_change_password,
  }
}

/** A signed-in request's whole identity: the session or token row, the user and their sites. */
export interface RequestIdentity {
  staffUserId: string
  email: string
  displayName: string
  role: StaffRole
  organisationId: string | null
  status: 'active' | 'disabled'
  mustChangePassword: boolean
  siteIds: string[]
}

/** The user and their sites, as one select list: joined by the two lookups below. */
function identityColumns(eb: ExpressionBuilder<DB, 'staff_user'>) {
  return [
    'staff_user.id as staffUserId',
    'staff_user.email',
    'staff_user.display_name as displayName',
    'staff_user.role',
    'staff_user.organisation_id as organisationId',
    'staff_user.status',
    'staff_user.must_change_password as mustChangePassword',
    // json, not an array: both databases' drivers read it as a JS array of strings.
    eb
      .selectFrom('staff_site')
      .select(sql<string[]>`coalesce(json_agg(staff_site.site_id order by staff_site.site_id), '[]'::json)`.as('ids'))
      .whereRef('staff_site.staff_user_id', '=', 'staff_user.id')
      .as('siteIds'),
  ] as const
}

/**
 * The session and who holds it, in one query (a signed-in page asks this on every request): the session's times
 * and the user's identity and sites.
 */
export async function findSessionIdentity(db: Executor, idHash: string) {
  const row = await db
    .selectFrom('session')
    .innerJoin('staff_user', 'staff_user.id', 'session.staff_user_id')
    .select(['session.last_seen_at', 'session.expires_at'])
    .select(identityColumns)
    .where('session.id_hash', '=', idHash)
    .executeTakeFirst()
  return row === undefined ? undefined : { ...row, siteIds: row.siteIds ?? [] }
}

/** An unrevoked API token and who holds it, in one query. */
export async function findTokenIdentity(db: Executor, tokenHash: string) {
  const row = await db
    .selectFrom('api_token')
    .innerJoin('staff_user', 'staff_user.id', 'api_token.staff_user_id')
    .select(['api_token.id as tokenId', 'api_token.last_used_at'])
    .select(identityColumns)
    .where('api_token.token_hash', '=', tokenHash)
    .where('api_token.revoked_at', 'is', null)
    .executeTakeFirst()
  return row === undefined ? undefined : { ...row, siteIds: row.siteIds ?? [] }
}

export async function listSiteIds(db: Executor, staffUserId: string): Promise<string[]> {
  const rows = await db.selectFrom('staff_site').select('site_id').where('staff_user_id', '=', staffUserId).execute()
  return rows.map((r) => r.site_id)
}

/**
 * Counts a failed sign-in in one statement, so concurrent attempts cannot each read the old count and slip past the
 * lockout: the row is locked by the update and every expression sees its latest version. A lock that has expired
 * starts the count again. Returns when the account is locked until (null if it is not).
 */
export async function registerFailedSignIn(
  db: Executor,
  id: string,
  now: Date,
  maxFailures: number,
  lockUntil: Date,
): Promise<Date | null> {
  const expired = sql<boolean>`(locked_until is not null and locked_until <= ${now})`
  const failures = sql<number>`(case when ${expired} then 1 else failed_sign_ins + 1 end)`
  const row = await db
    .updateTable('staff_user')
    .set({
      failed_sign_ins: failures,
      locked_until: sql<Date | null>`case when ${failures} >= ${maxFailures} then ${lockUntil}::timestamptz
        when ${expired} then null else locked_until end`,
    })
    .where('id', '=', id)
    .returning('locked_until')
    .executeTakeFirst()
  return row?.locked_until ?? null
}

export async function recordSuccessfulSignIn(db: Executor, id: string, at: Date): Promise<void> {
  await db
    .updateTable('staff_user')
    .set({ failed_sign_ins: 0, locked_until: null, last_sign_in_at: at })
    .where('id', '=', id)
    .execute()
}

export async function insertSession(
  db: Executor,
  session: { idHash: string; staffUserId: string; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('session')
    .values({
      id_hash: session.idHash,
      staff_user_id: session.staffUserId,
      created_at: session.createdAt,
      last_seen_at: session.createdAt,
      expires_at: session.expiresAt,
    })
    .execute()
}

export async function findSession(db: Executor, idHash: string) {
  return db.selectFrom('session').selectAll().where('id_hash', '=', idHash).executeTakeFirst()
}

export async function touchSession(db: Executor, idHash: string, at: Date): Promise<void> {
  await db.updateTable('session').set({ last_seen_at: at }).where('id_hash', '=', idHash).execute()
}

export async function deleteSession(db: Executor, idHash: string): Promise<void> {
  await db.deleteFrom('session').where('id_hash', '=', idHash).execute()
}

export async function deleteSessionsForUser(db: Executor, staffUserId: string): Promise<void> {
  await db.deleteFrom('session').where('staff_user_id', '=', staffUserId).execute()
}

/** The owner's own new password: clears the "must change" mark. */
export async function setOwnPassword(db: Executor, id: string, passwordHash: string, at: Date): Promise<void> {
  await db
    .updateTable('staff_user')
    .set((eb) => ({
      password_hash: passwordHash,
      must_change_password: false,
      password_changed_at: at,
      updated_at: at,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .execute()
}

/** Ends every session of the user but one (the one that just changed the password). */
export async function deleteOtherSessions(db: Executor, staffUserId: string, keepIdHash: string): Promise<void> {
  await db.deleteFrom('session').where('staff_user_id', '=', staffUserId).where('id_hash', '<>', keepIdHash).execute()
}

export async function deleteExpiredSessions(db: Executor, now: Date, idleCutoff: Date): Promise<number> {
  const result = await db
    .deleteFrom('session')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleCutoff)]))
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

export async function insertApiToken(db: Executor, token: { staffUserId: string; tokenHash: string; label: string }) {
  return db
    .insertInto('api_token')
    .values({ staff_user_id: token.staffUserId, token_hash: token.tokenHash, label: token.label })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow()
}

export async function findActiveApiToken(db: Executor, tokenHash: string) {
  return db
    .selectFrom('api_token')
    .select(['id', 'staff_user_id', 'last_used_at'])
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
}

export async function markApiTokenUsed(db: Executor, id: string, at: Date): Promise<void> {
  await db.updateTable('api_token').set({ last_used_at: at }).where('id', '=', id).execute()
}

export async function listApiTokens(db: Executor, staffUserId: string) {
  return db
    .selectFrom('api_token')
    .select(['id', 'label', 'created_at', 'last_used_at', 'revoked_at'])
    .where('staff_user_id', '=', staffUserId)
    .orderBy('created_at', 'desc')
    .execute()
}

export async function revokeApiToken(db: Executor, id: string, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('api_token')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

export async function revokeAllApiTokens(db: Executor, staffUserId: string, at: Date): Promise<string[]> {
  const rows = await db
    .updateTable('api_token')
    .set({ revoked_at: at })
    .where('staff_user_id', '=', staffUserId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

export async function findApiToken(db: Executor, id: string) {
  return db.selectFrom('api_token').selectAll().where('id', '=', id).executeTakeFirst()
}
