import type { Executor } from '../../platform/db/executor.ts'
import type { TreatmentRequirementEventKind, TreatmentRequirementKind, TreatmentRequirementStatus } from './treatment-requirements.tables.ts'
import type { PersonRecord } from '../people/index.ts'

/** The person, as the people feature gives them. */
export type RequirementPerson = PersonRecord

export type { PersonReferral } from './treatment-requirements.read-model.ts'

export interface TreatmentRequirement {
  id: string
  personId: string
  siteId: string
  kind: TreatmentRequirementKind
  status: TreatmentRequirementStatus
  referralId: string | null
  proposedOn: string
  assessedOn: string | null
  madeOn: string | null
  startedOn: string | null
  endedOn: string | null
  statusOn: string
  note: string | null
  version: number
  createdBy: string
  createdAt: Date
  updatedAt: Date
}

export interface RequirementEvent {
  id: number
  kind: TreatmentRequirementEventKind
  fromStatus: TreatmentRequirementStatus | null
  toStatus: TreatmentRequirementStatus
  referralId: string | null
  occurredOn: string
  reason: string | null
  actorId: string
  actorName: string | null
  actorRole: string | null
  recordedAt: Date
}

type RequirementRow = Awaited<ReturnType<ReturnType<typeof selectRequirements>['executeTakeFirstOrThrow']>>

function selectRequirements(db: Executor) {
  return db.selectFrom('treatment_requirement').selectAll()
}

/** The one mapping from a row to the domain type. */
function toRequirement(row: RequirementRow): TreatmentRequirement {
  return {
    id: row.id,
    personId: row.person_id,
    siteId: row.site_id,
    kind: row.kind,
    status: row.status,
    referralId: row.referral_id,
    proposedOn: row.proposed_on,
    assessedOn: row.assessed_on,
    madeOn: row.made_on,
    startedOn: row.started_on,
    endedOn: row.ended_on,
    statusOn: row.status_on,
    note: row.note,
    version: row.version,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

export async function findById(db: Executor, id: string): Promise<TreatmentRequirement | undefined> {
  const row = await selectRequirements(db).where('id', '=', id).executeTakeFirst()
  return row === undefined ? undefined : toRequirement(row)
}

/** The requirement, locked for update until the transaction ends. */
export async function findByIdForUpdate(db: Executor, id: string): Promise<TreatmentRequirement | undefined> {
  const row = await selectRequirements(db).where('id', '=', id).forUpdate().executeTakeFirst()
  return row === undefined ? undefined : toRequirement(row)
}

/** A person's requirements, newest first. */
export async function listForPerson(db: Executor, personId: string): Promise<TreatmentRequirement[]> {
  const rows = await selectRequirements(db)
    .where('person_id', '=', personId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute()
  return rows.map(toRequirement)
}

/** The person's open requirement of a kind, other than `exceptId`, if any. */
export async function findOpenOfKind(
  db: Executor,
  personId: string,
  kind: TreatmentRequirementKind,
  openStatuses: readonly TreatmentRequirementStatus[],
  exceptId?: string,
): Promise<TreatmentRequirement | undefined> {
  let query = selectRequirements(db)
    .where('person_id', '=', personId)
    .where('kind', '=', kind)
    .where('status', 'in', openStatuses)
  if (exceptId !== undefined) query = query.where('id', '<>', exceptId)
  const row = await query.executeTakeFirst()
  return row === undefined ? undefined : toRequirement(row)
}

export interface NewRequirement {
  personId: string
  siteId: string
  kind: TreatmentRequirementKind
  proposedOn: string
  note: string | null
  createdBy: string
}

export async function insert(db: Executor, requirement: NewRequirement, now: Date): Promise<TreatmentRequirement> {
  const row = await db
    .insertInto('treatment_requirement')
    .values({
      person_id: requirement.personId,
      site_id: requirement.siteId,
      kind: requirement.kind,
      status: 'proposed',
      proposed_on: requirement.proposedOn,
      status_on: requirement.proposedOn,
      note: requirement.note,
      created_by: requirement.createdBy,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  return toRequirement(row)
}

export interface RequirementChange {
  status?: TreatmentRequirementStatus
  statusOn?: string
  assessedOn?: string
  madeOn?: string
  startedOn?: string
  endedOn?: string
  referralId?: string | null
  note?: string | null
}

/** Writes a change and bumps the version; the caller holds the row lock and has checked the version. */
export async function update(
  db: Executor,
  id: string,
  change: RequirementChange,
  now: Date,
): Promise<TreatmentRequirement> {
  const row = await db
    .updateTable('treatment_requirement')
    .set((eb) => ({
      ...(change.status === undefined ? {} : { status: change.status }),
      ...(change.statusOn === undefined ? {} : { status_on: change.statusOn }),
      ...(change.assessedOn === undefined ? {} : { assessed_on: change.assessedOn }),
      ...(change.madeOn === undefined ? {} : { made_on: change.madeOn }),
      ...(change.startedOn === undefined ? {} : { started_on: change.startedOn }),
      ...(change.endedOn === undefined ? {} : { ended_on: change.endedOn }),
      ...(change.referralId === undefined ? {} : { referral_id: change.referralId }),
      ...(change.note === undefined ? {} : { note: change.note }),
      version: eb('version', '+', 1),
      updated_at: now,
    }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
  return toRequirement(row)
}

export interface NewEvent {
  requirementId: string
  kind: TreatmentRequirementEventKind
  fromStatus: TreatmentRequirementStatus | null
  toStatus: TreatmentRequirementStatus
  referralId: string | null
  occurredOn: string
  reason: string | null
  actorId: string
  recordedAt: Date
}

export async function insertEvent(db: Executor, event: NewEvent): Promise<number> {
  const row = await db
    .insertInto('treatment_requirement_event')
    .values({
      requirement_id: event.requirementId,
      kind: event.kind,
      from_status: event.fromStatus,
      to_status: event.toStatus,
      referral_id: event.referralId,
      occurred_on: event.occurredOn,
      reason: event.reason,
      actor_id: event.actorId,
      recorded_at: event.recordedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** The changelog, oldest first. */
export async function listEvents(db: Executor, requirementId: string): Promise<RequirementEvent[]> {
  const rows = await db
    .selectFrom('treatment_requirement_event as e')
    .leftJoin('staff_user as s', 's.id', 'e.actor_id')
    .select([
      'e.id',
      'e.kind',
      'e.from_status',
      'e.to_status',
      'e.referral_id',
      'e.occurred_on',
      'e.reason',
      'e.actor_id',
      'e.recorded_at',
      's.display_name as actor_name',
      's.role as actor_role',
    ])
    .where('e.requirement_id', '=', requirementId)
    .orderBy('e.id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    referralId: r.referral_id,
    occurredOn: r.occurred_on,
    reason: r.reason,
    actorId: r.actor_id,
    actorName: r.actor_name,
    actorRole: r.actor_role,
    recordedAt: r.recorded_at,
  }))
}
