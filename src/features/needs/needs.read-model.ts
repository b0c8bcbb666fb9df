/**
 * Needs as they are shown and decided on: with the time the proposing check started (the health-checks feature's
 * `health_check` table) and the names of the staff who decided and recorded them (`staff_user`). A read model:
 * those tables are read here only, and never written.
 */
import type { Selectable } from 'kysely'
import type { Executor } from '../../platform/db/executor.ts'
import type { NeedCategory, NeedStatus, NeedTable } from './needs.tables.ts'

export interface Need {
  id: string
  personId: string
  siteId: string
  /** The check that proposed it; null when a clinician recorded it directly. */
  checkId: string | null
  checkStartedAt: Date | null
  category: NeedCategory
  status: NeedStatus
  /** Why it was proposed, or (recorded directly) why the clinician recorded it. */
  proposedBecause: string
  /** The reason given with the latest decision, if any. */
  reason: string | null
  decidedBy: string | null
  decidedByName: string | null
  decidedAt: Date | null
  recordedBy: string | null
  recordedByName: string | null
  identifiedOn: string
  createdAt: Date
  version: number
}

function needQuery(db: Executor) {
  return db
    .selectFrom('need')
    .leftJoin('health_check', 'health_check.id', 'need.check_id')
    .leftJoin('staff_user as decider', 'decider.id', 'need.decided_by')
    .leftJoin('staff_user as recorder', 'recorder.id', 'need.recorded_by')
    .selectAll('need')
    .select([
      'health_check.started_at as check_started_at',
      'decider.display_name as decided_by_name',
      'recorder.display_name as recorded_by_name',
    ])
}

type NeedRow = Selectable<NeedTable> & {
  check_started_at: Date | null
  decided_by_name: string | null
  recorded_by_name: string | null
}

function toNeed(row: NeedRow): Need {
  return {
    id: row.id,
    personId: row.person_id,
    siteId: row.site_id,
    checkId: row.check_id,
    checkStartedAt: row.check_started_at,
    category: row.category,
    status: row.status,
    proposedBecause: row.proposed_because,
    reason: row.reason,
    decidedBy: row.decided_by,
    decidedByName: row.decided_by_name,
    decidedAt: row.decided_at,
    recordedBy: row.recorded_by,
    recordedByName: row.recorded_by_name,
    identifiedOn: row.identified_on,
    createdAt: row.created_at,
    version: row.version,
  }
}

export async function findNeed(db: Executor, id: string): Promise<Need | undefined> {
  const row = await needQuery(db).where('need.id', '=', id).executeTakeFirst()
  return row === undefined ? undefined : toNeed(row)
}

export async function listNeeds(db: Executor, where: { checkIds?: readonly string[]; personId?: string }): Promise<Need[]> {
  let query = needQuery(db)
  if (where.checkIds !== undefined) {
    if (where.checkIds.length === 0) return []
    query = query.where('need.check_id', 'in', where.checkIds)
  }
  if (where.personId !== undefined) query = query.where('need.person_id', '=', where.personId)
  const rows = await query
    .orderBy('need.identified_on', 'desc')
    .orderBy('need.created_at', 'desc')
    .orderBy('need.id')
    .execute()
  return rows.map(toNeed)
}

export interface NeedEvent {
  id: number
  needId: string
  fromStatus: NeedStatus | null
  toStatus: NeedStatus
  reason: string | null
  actorId: string
  actorName: string
  recordedAt: Date
}

/** Each need's decisions, oldest first. */
export async function listNeedEvents(db: Executor, needIds: readonly string[]): Promise<Map<string, NeedEvent[]>> {
  const byNeed = new Map<string, NeedEvent[]>()
  if (needIds.length === 0) return byNeed
  const rows = await db
    .selectFrom('need_event')
    .innerJoin('staff_user', 'staff_user.id', 'need_event.actor_id')
    .selectAll('need_event')
    .select('staff_user.display_name as actor_name')
    .where('need_event.need_id', 'in', needIds)
    .orderBy('need_event.id')
    .execute()
  for (const row of rows) {
    const list = byNeed.get(row.need_id) ?? []
    list.push({
      id: row.id,
      needId: row.need_id,
      fromStatus: row.from_status,
      toStatus: row.to_status,
      reason: row.reason,
      actorId: row.actor_id,
      actorName: row.actor_name,
      recordedAt: row.recorded_at,
    })
    byNeed.set(row.need_id, list)
  }
  return byNeed
}


/** A need as a referral is made from it: who, what, and whether it is still confirmed. */
export interface NeedForReferral {
  id: string
  personId: string
  category: NeedCategory
  identifiedOn: string
  proposedBecause: string
  status: NeedStatus
}

function selectForReferral(db: Executor) {
  return db
    .selectFrom('need')
    .select([
      'id',
      'person_id as personId',
      'category',
      'identified_on as identifiedOn',
      'proposed_because as proposedBecause',
      'status',
    ])
}

/** The person's confirmed needs, oldest identified first. */
export async function listConfirmedNeeds(db: Executor, personId: string): Promise<NeedForReferral[]> {
  return selectForReferral(db)
    .where('person_id', '=', personId)
    .where('status', '=', 'confirmed')
    .orderBy('identified_on')
    .orderBy('created_at')
    .execute()
}

/**
 * The need a referral is being made from, share-locked until the transaction ends: a decision on the need (which
 * locks it for update and refuses while a referral is open) waits for this referral, and this referral waits for a
 * decision already under way, so a referral never ends up open on a dismissed need.
 */
export async function findNeedForReferral(db: Executor, id: string): Promise<NeedForReferral | undefined> {
  return selectForReferral(db).where('id', '=', id).forShare().executeTakeFirst()
}
