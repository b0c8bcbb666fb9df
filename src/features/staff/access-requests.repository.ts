import type { Executor } from '../../platform/db/executor.ts'
import type { StaffRole } from '../../platform/http/roles.ts'
import type { AccessRequestKind, AccessRequestStatus } from './staff.tables.ts'

/** An access request with the names of the people in it (staff names are reference data, shown to deciders). */
export interface AccessRequest {
  id: string
  staffUserId: string
  staffName: string
  staffEmail: string
  kind: AccessRequestKind
  fromRole: StaffRole | null
  role: StaffRole
  /** Every site the account will have once approved. */
  siteIds: string[]
  /** The sites the request adds: a hub manager must manage all of them to approve it. */
  grantsSiteIds: string[]
  status: AccessRequestStatus
  requestedBy: string
  requestedByName: string
  requestedAt: Date
  decidedBy: string | null
  decidedByName: string | null
  decidedAt: Date | null
  refusalReason: string | null
}

function baseQuery(db: Executor) {
  return db
    .selectFrom('staff_access_request as r')
    .innerJoin('staff_user as subject', 'subject.id', 'r.staff_user_id')
    .innerJoin('staff_user as requester', 'requester.id', 'r.requested_by')
    .leftJoin('staff_user as decider', 'decider.id', 'r.decided_by')
    .select([
      'r.id',
      'r.staff_user_id',
      'r.kind',
      'r.from_role',
      'r.role',
      'r.status',
      'r.requested_by',
      'r.requested_at',
      'r.decided_by',
      'r.decided_at',
      'r.refusal_reason',
      'subject.display_name as staff_name',
      'subject.email as staff_email',
      'requester.display_name as requested_by_name',
      'decider.display_name as decided_by_name',
    ])
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>

async function withSites(db: Executor, rows: readonly Row[]): Promise<AccessRequest[]> {
  if (rows.length === 0) return []
  const sites = await db
    .selectFrom('staff_access_request_site')
    .select(['request_id', 'site_id', 'grants'])
    .where(
      'request_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('site_id')
    .execute()
  return rows.map((row) => {
    const mine = sites.filter((s) => s.request_id === row.id)
    return {
      id: row.id,
      staffUserId: row.staff_user_id,
      staffName: row.staff_name,
      staffEmail: row.staff_email,
      kind: row.kind,
      fromRole: row.from_role,
      role: row.role,
      siteIds: mine.map((s) => s.site_id),
      grantsSiteIds: mine.filter((s) => s.grants).map((s) => s.site_id),
      status: row.status,
      requestedBy: row.requested_by,
      requestedByName: row.requested_by_name,
      requestedAt: row.requested_at,
      decidedBy: row.decided_by,
      decidedByName: row.decided_by_name,
      decidedAt: row.decided_at,
      refusalReason: row.refusal_reason,
    }
  })
}

export async function findRequestById(db: Executor, id: string): Promise<AccessRequest | undefined> {
  const row = await baseQuery(db).where('r.id', '=', id).executeTakeFirst()
  return row === undefined ? undefined : (await withSites(db, [row]))[0]
}

export async function listPendingRequests(db: Executor): Promise<AccessRequest[]> {
  const rows = await baseQuery(db).where('r.status', '=', 'pending').orderBy('r.seq').execute()
  return withSites(db, rows)
}

/** The account's newest request, whatever became of it. */
export async function findLatestRequestFor(db: Executor, staffUserId: string): Promise<AccessRequest | undefined> {
  const row = await baseQuery(db).where('r.staff_user_id', '=', staffUserId).orderBy('r.seq', 'desc').executeTakeFirst()
  return row === undefined ? undefined : (await withSites(db, [row]))[0]
}

export async function countPendingRequests(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('staff_access_request')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow()
  return row.n
}

/**
 * Whether the account was made through a request for a new account and that was never approved: such an account
 * has never had the access its row names, and may not be enabled until it is approved.
 */
export async function isNeverApproved(db: Executor, staffUserId: string): Promise<boolean> {
  const row = await db
    .selectFrom('staff_access_request')
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      eb.fn.countAll<number>().filterWhere('status', '=', 'approved').as('approved'),
    ])
    .where('staff_user_id', '=', staffUserId)
    .where('kind', '=', 'new-account')
    .executeTakeFirstOrThrow()
  return row.n > 0 && row.approved === 0
}

export async function insertRequest(
  db: Executor,
  request: {
    staffUserId: string
    kind: AccessRequestKind
    fromRole: StaffRole | null
    role: StaffRole
    siteIds: readonly string[]
    grantsSiteIds: readonly string[]
    requestedBy: string
    requestedAt: Date
  },
): Promise<string> {
  const row = await db
    .insertInto('staff_access_request')
    .values({
      staff_user_id: request.staffUserId,
      kind: request.kind,
      from_role: request.fromRole,
      role: request.role,
      requested_by: request.requestedBy,
      requested_at: request.requestedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  if (request.siteIds.length > 0) {
    await db
      .insertInto('staff_access_request_site')
      .values(
        request.siteIds.map((siteId) => ({
          request_id: row.id,
          site_id: siteId,
          grants: request.grantsSiteIds.includes(siteId),
        })),
      )
      .execute()
  }
  return row.id
}

/** Cancels the account's pending request, if it has one; returns its id. */
export async function cancelPendingRequest(
  db: Executor,
  staffUserId: string,
  by: string | null,
  now: Date,
): Promise<string | undefined> {
  const row = await db
    .updateTable('staff_access_request')
    .set({ status: 'cancelled', decided_by: by, decided_at: now })
    .where('staff_user_id', '=', staffUserId)
    .where('status', '=', 'pending')
    .returning('id')
    .executeTakeFirst()
  return row?.id
}

/** Records a decision on a pending request; false when it was no longer pending. */
export async function decideRequest(
  db: Executor,
  id: string,
  decision: { status: 'approved' | 'refused'; decidedBy: string; decidedAt: Date; refusalReason: string | null },
): Promise<boolean> {
  const result = await db
    .updateTable('staff_access_request')
    .set({
      status: decision.status,
      decided_by: decision.decidedBy,
      decided_at: decision.decidedAt,
      refusal_reason: decision.refusalReason,
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** Cancels the account's pending password reset, if it has one (the operator reset it directly); returns its id. */
export async function cancelPendingReset(
  db: Executor,
  staffUserId: string,
  now: Date,
): Promise<string | undefined> {
  const row = await db
    .updateTable('staff_access_request')
    .set({ status: 'cancelled', decided_at: now })
    .where('staff_user_id', '=', staffUserId)
    .where('kind', '=', 'password-reset')
    .where('status', '=', 'pending')
    .returning('id')
    .executeTakeFirst()
  return row?.id
}
