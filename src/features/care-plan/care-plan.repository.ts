import type { Executor } from '../../platform/db/executor.ts'
import type {
  ActionOwner,
  ActionStatus,
  AgreementDecision,
  GoalOutcome,
  HistoryEntity,
  LinkKind,
  PrintSection,
} from './care-plan.tables.ts'

export type PrintChoices = Record<PrintSection, boolean>

export interface CarePlan {
  id: string
  personId: string
  siteId: string
  print: PrintChoices
  version: number
  createdAt: Date
  updatedAt: Date
}

export interface Goal {
  id: string
  planId: string
  inOwnWords: string
  includeInPrint: boolean
  version: number
  createdAt: Date
  updatedAt: Date
}

export interface Action {
  id: string
  planId: string
  goalId: string
  description: string
  owner: ActionOwner
  ownerName: string | null
  dueOn: string | null
  status: ActionStatus
  linkKind: LinkKind | null
  linkId: string | null
  version: number
  createdAt: Date
  updatedAt: Date
}

export interface Review {
  id: string
  reviewedOn: string
  appointmentId: string | null
  notes: string | null
  outcomes: { goalId: string; outcome: GoalOutcome }[]
  recordedBy: string
  recordedByName: string | null
  recordedAt: Date
}

export interface Agreement {
  id: string
  decision: AgreementDecision
  comments: string | null
  decidedOn: string
  recordedBy: string
  recordedByName: string | null
  recordedAt: Date
}

export interface HistoryEntry {
  id: number
  entity: HistoryEntity
  entityId: string
  version: number
  snapshot: Record<string, unknown>
  actorId: string
  actorName: string | null
  recordedAt: Date
}

type PlanRow = Awaited<ReturnType<ReturnType<typeof selectPlans>['executeTakeFirstOrThrow']>>

function selectPlans(db: Executor) {
  return db.selectFrom('care_plan').selectAll()
}

function toPlan(row: PlanRow): CarePlan {
  return {
    id: row.id,
    personId: row.person_id,
    siteId: row.site_id,
    print: {
      appointments: row.print_appointments,
      referrals: row.print_referrals,
      gpRegistration: row.print_gp_registration,
      screening: row.print_screening,
      phoneNumbers: row.print_phone_numbers,
    },
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

export async function findPlanForPerson(
  db: Executor,
  personId: string,
  forUpdate = false,
): Promise<CarePlan | undefined> {
  let query = selectPlans(db).where('person_id', '=', personId)
  if (forUpdate) query = query.forUpdate()
  const row = await query.executeTakeFirst()
  return row === undefined ? undefined : toPlan(row)
}

/** The person's plan, made on the first write (two first writes at once: the unique person_id keeps one). */
export async function ensurePlan(
  db: Executor,
  plan: { personId: string; siteId: string; createdBy: string },
  now: Date,
): Promise<{ plan: CarePlan; created: boolean }> {
  const inserted = await db
    .insertInto('care_plan')
    .values({
      person_id: plan.personId,
      site_id: plan.siteId,
      created_by: plan.createdBy,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('person_id').doNothing())
    .returning('id')
    .execute()
  const found = await findPlanForPerson(db, plan.personId, true)
  if (found === undefined) throw new Error('care plan vanished after insert')
  return { plan: found, created: inserted.length > 0 }
}

export async function updatePrintChoices(
  db: Executor,
  planId: string,
  print: PrintChoices,
  now: Date,
): Promise<CarePlan> {
  const row = await db
    .updateTable('care_plan')
    .set((eb) => ({
      print_appointments: print.appointments,
      print_referrals: print.referrals,
      print_gp_registration: print.gpRegistration,
      print_screening: print.screening,
      print_phone_numbers: print.phoneNumbers,
      version: eb('version', '+', 1),
      updated_at: now,
    }))
    .where('id', '=', planId)
    .returningAll()
    .executeTakeFirstOrThrow()
  return toPlan(row)
}

type GoalRow = Awaited<ReturnType<ReturnType<typeof selectGoals>['executeTakeFirstOrThrow']>>

function selectGoals(db: Executor) {
  return db.selectFrom('care_plan_goal').selectAll()
}

function toGoal(row: GoalRow): Goal {
  return {
    id: row.id,
    planId: row.plan_id,
    inOwnWords: row.in_own_words,
    includeInPrint: row.include_in_print,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

export async function listGoals(db: Executor, planId: string): Promise<Goal[]> {
  const rows = await selectGoals(db).where('plan_id', '=', planId).orderBy('created_at').orderBy('id').execute()
  return rows.map(toGoal)
}

export async function findGoal(
  db: Executor,
  planId: string,
  goalId: string,
  forUpdate = false,
): Promise<Goal | undefined> {
  let query = selectGoals(db).where('plan_id', '=', planId).where('id', '=', goalId)
  if (forUpdate) query = query.forUpdate()
  const row = await query.executeTakeFirst()
  return row === undefined ? undefined : toGoal(row)
}

export async function insertGoal(
  db: Executor,
  goal: { planId: string; personId: string; inOwnWords: string; createdBy: string },
  now: Date,
): Promise<Goal> {
  const row = await db
    .insertInto('care_plan_goal')
    .values({
      plan_id: goal.planId,
      person_id: goal.personId,
      in_own_words: goal.inOwnWords,
      created_by: goal.createdBy,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  return toGoal(row)
}

export async function updateGoal(
  db: Executor,
  goalId: string,
  change: { inOwnWords?: string; includeInPrint?: boolean },
  now: Date,
): Promise<Goal> {
  const row = await db
    .updateTable('care_plan_goal')
    .set((eb) => ({
      ...(change.inOwnWords === undefined ? {} : { in_own_words: change.inOwnWords }),
      ...(change.includeInPrint === undefined ? {} : { include_in_print: change.includeInPrint }),
      version: eb('version', '+', 1),
      updated_at: now,
    }))
    .where('id', '=', goalId)
    .returningAll()
    .executeTakeFirstOrThrow()
  return toGoal(row)
}

type ActionRow = Awaited<ReturnType<ReturnType<typeof selectActions>['executeTakeFirstOrThrow']>>

function selectActions(db: Executor) {
  return db.selectFrom('care_plan_action').selectAll()
}

function toAction(row: ActionRow): Action {
  return {
    id: row.id,
    planId: row.plan_id,
    goalId: row.goal_id,
    description: row.description,
    owner: row.owner,
    ownerName: row.owner_name,
    dueOn: row.due_on,
    status: row.status,
    linkKind: row.link_kind,
    linkId: row.link_id,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

export async function listActions(db: Executor, planId: string): Promise<Action[]> {
  const rows = await selectActions(db).where('plan_id', '=', planId).orderBy('created_at').orderBy('id').execute()
  return rows.map(toAction)
}

export async function findAction(
  db: Executor,
  planId: string,
  actionId: string,
  forUpdate = false,
): Promise<Action | undefined> {
  let query = selectActions(db).where('plan_id', '=', planId).where('id', '=', actionId)
  if (forUpdate) query = query.forUpdate()
  const row = await query.executeTakeFirst()
  return row === undefined ? undefined : toAction(row)
}

export interface ActionFields {
  description: string
  owner: ActionOwner
  ownerName: string | null
  dueOn: string | null
  status: ActionStatus
  linkKind: LinkKind | null
  linkId: string | null
}

export async function insertAction(
  db: Executor,
  action: ActionFields & { planId: string; goalId: string; personId: string; createdBy: string },
  now: Date,
): Promise<Action> {
  const row = await db
    .insertInto('care_plan_action')
    .values({
      plan_id: action.planId,
      goal_id: action.goalId,
      person_id: action.personId,
      description: action.description,
      owner: action.owner,
      owner_name: action.ownerName,
      due_on: action.dueOn,
      status: action.status,
      link_kind: action.linkKind,
      link_id: action.linkId,
      created_by: action.createdBy,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  return toAction(row)
}

export async function updateAction(db: Executor, actionId: string, fields: ActionFields, now: Date): Promise<Action> {
  const row = await db
    .updateTable('care_plan_action')
    .set((eb) => ({
      description: fields.description,
      owner: fields.owner,
      owner_name: fields.ownerName,
      due_on: fields.dueOn,
      status: fields.status,
      link_kind: fields.linkKind,
      link_id: fields.linkId,
      version: eb('version', '+', 1),
      updated_at: now,
    }))
    .where('id', '=', actionId)
    .returningAll()
    .executeTakeFirstOrThrow()
  return toAction(row)
}

export async function insertReview(
  db: Executor,
  review: {
    planId: string
    reviewedOn: string
    appointmentId: string | null
    notes: string | null
    outcomes: { goalId: string; outcome: GoalOutcome }[]
    recordedBy: string
  },
  now: Date,
): Promise<string> {
  const row = await db
    .insertInto('care_plan_review')
    .values({
      plan_id: review.planId,
      reviewed_on: review.reviewedOn,
      appointment_id: review.appointmentId,
      notes: review.notes,
      recorded_by: review.recordedBy,
      recorded_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  if (review.outcomes.length > 0) {
    await db
      .insertInto('care_plan_review_outcome')
      .values(review.outcomes.map((o) => ({ review_id: row.id, goal_id: o.goalId, outcome: o.outcome })))
      .execute()
  }
  return row.id
}

/** Reviews, newest first (by the date of the review, then when recorded). */
export async function listReviews(db: Executor, planId: string): Promise<Review[]> {
  const rows = await db
    .selectFrom('care_plan_review as r')
    .leftJoin('staff_user as s', 's.id', 'r.recorded_by')
    .select([
      'r.id',
      'r.reviewed_on',
      'r.appointment_id',
      'r.notes',
      'r.recorded_by',
      'r.recorded_at',
      's.display_name as recorded_by_name',
    ])
    .where('r.plan_id', '=', planId)
    .orderBy('r.reviewed_on', 'desc')
    .orderBy('r.recorded_at', 'desc')
    .execute()
  const ids = rows.map((r) => r.id)
  const outcomes =
    ids.length === 0
      ? []
      : await db.selectFrom('care_plan_review_outcome').selectAll().where('review_id', 'in', ids).execute()
  return rows.map((r) => ({
    id: r.id,
    reviewedOn: r.reviewed_on,
    appointmentId: r.appointment_id,
    notes: r.notes,
    outcomes: outcomes.filter((o) => o.review_id === r.id).map((o) => ({ goalId: o.goal_id, outcome: o.outcome })),
    recordedBy: r.recorded_by,
    recordedByName: r.recorded_by_name,
    recordedAt: r.recorded_at,
  }))
}

export async function insertAgreement(
  db: Executor,
  agreement: {
    planId: string
    decision: AgreementDecision
    comments: string | null
    decidedOn: string
    recordedBy: string
  },
  now: Date,
): Promise<string> {
  const row = await db
    .insertInto('care_plan_agreement')
    .values({
      plan_id: agreement.planId,
      decision: agreement.decision,
      comments: agreement.comments,
      decided_on: agreement.decidedOn,
      recorded_by: agreement.recordedBy,
      recorded_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Agreements, the current one first (the latest recorded). */
export async function listAgreements(db: Executor, planId: string): Promise<Agreement[]> {
  const rows = await db
    .selectFrom('care_plan_agreement as a')
    .leftJoin('staff_user as s', 's.id', 'a.recorded_by')
    .select(['a.id', 'a.decision', 'a.comments', 'a.decided_on', 'a.recorded_by', 'a.recorded_at', 's.display_name'])
    .where('a.plan_id', '=', planId)
    .orderBy('a.recorded_at', 'desc')
    .orderBy('a.id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    decision: r.decision,
    comments: r.comments,
    decidedOn: r.decided_on,
    recordedBy: r.recorded_by,
    recordedByName: r.display_name,
    recordedAt: r.recorded_at,
  }))
}

export async function insertHistory(
  db: Executor,
  entry: {
    planId: string
    entity: HistoryEntity
    entityId: string
    version: number
    snapshot: Record<string, unknown>
    actorId: string
  },
  now: Date,
): Promise<void> {
  await db
    .insertInto('care_plan_history')
    .values({
      plan_id: entry.planId,
      entity: entry.entity,
      entity_id: entry.entityId,
      version: entry.version,
      snapshot: JSON.stringify(entry.snapshot),
      actor_id: entry.actorId,
      recorded_at: now,
    })
    .execute()
}

/** Every change to the plan, oldest first. */
export async function listHistory(db: Executor, planId: string): Promise<HistoryEntry[]> {
  const rows = await db
    .selectFrom('care_plan_history as h')
    .leftJoin('staff_user as s', 's.id', 'h.actor_id')
    .select([
      'h.id',
      'h.entity',
      'h.entity_id',
      'h.version',
      'h.snapshot',
      'h.actor_id',
      'h.recorded_at',
      's.display_name',
    ])
    .where('h.plan_id', '=', planId)
    .orderBy('h.id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    entity: r.entity,
    entityId: r.entity_id,
    version: r.version,
    snapshot: typeof r.snapshot === 'string' ? (JSON.parse(r.snapshot) as Record<string, unknown>) : r.snapshot,
    actorId: r.actor_id,
    actorName: r.display_name,
    recordedAt: r.recorded_at,
  }))
}
