import type { Kysely, Selectable, Transaction } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import type { Observations } from './health-checks.rules.ts'
import type { HealthCheckObservationTable, HealthCheckResponseTable, HealthCheckStatus, WarningFlagStatus, WarningFlagTable } from './health-checks.tables.ts'
import type { NeedCategory, NeedStatus, NeedTable } from '../needs/needs.tables.ts'
import type { ReferralStatus } from '../referrals/referrals.tables.ts'

type Db = Kysely<DB> | Transaction<DB>

export interface PersonSummary {
  id: string
  siteId: string
  givenName: string
  familyName: string
  crn: string
}

export interface HealthCheck {
  id: string
  personId: string
  siteId: string
  appointmentId: string | null
  clinicianId: string
  clinicianName: string
  status: HealthCheckStatus
  startedAt: Date
  completedAt: Date | null
  version: number
  updatedAt: Date
}

export interface StoredResult {
  instrumentCode: string
  instrumentVersion: string
  answers: Record<string, string>
  applicable: boolean
  complete: boolean
  score: number | null
  partialScore: number | null
  band: { code: string; label: string } | null
  positive: boolean | null
  missingItems: string[]
  preferNotToSay: string[]
  savedAt: Date
}

export interface WarningFlag {
  id: string
  personId: string
  siteId: string
  checkId: string
  instrumentCode: string
  itemCode: string
  code: string
  message: string
  raisedAt: Date
  respondBy: Date
  status: WarningFlagStatus
  responseText: string | null
  respondedBy: string | null
  respondedByName: string | null
  respondedAt: Date | null
}

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

const num = (value: string | number | null): number | null => (value === null ? null : Number(value))

export async function findPerson(db: Db, id: string): Promise<PersonSummary | undefined> {
  const row = await db
    .selectFrom('person')
    .select(['id', 'site_id', 'given_name', 'family_name', 'crn'])
    .where('id', '=', id)
    .executeTakeFirst()
  return row === undefined
    ? undefined
    : { id: row.id, siteId: row.site_id, givenName: row.given_name, familyName: row.family_name, crn: row.crn }
}

function checkQuery(db: Db) {
  return db
    .selectFrom('health_check')
    .innerJoin('staff_user', 'staff_user.id', 'health_check.clinician_id')
    .selectAll('health_check')
    .select('staff_user.display_name as clinician_name')
}

type CheckRow = Awaited<ReturnType<ReturnType<typeof checkQuery>['executeTakeFirstOrThrow']>>

function toCheck(row: CheckRow): HealthCheck {
  return {
    id: row.id,
    personId: row.person_id,
    siteId: row.site_id,
    appointmentId: row.appointment_id,
    clinicianId: row.clinician_id,
    clinicianName: row.clinician_name,
    status: row.status,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    version: row.version,
    updatedAt: row.updated_at,
  }
}

export async function findCheck(db: Db, id: string): Promise<HealthCheck | undefined> {
  const row = await checkQuery(db).where('health_check.id', '=', id).executeTakeFirst()
  return row === undefined ? undefined : toCheck(row)
}

export async function listChecksForPerson(db: Db, personId: string): Promise<HealthCheck[]> {
  const rows = await checkQuery(db)
    .where('health_check.person_id', '=', personId)
    .orderBy('health_check.started_at', 'desc')
    .orderBy('health_check.id')
    .execute()
  return rows.map(toCheck)
}

export async function insertCheck(
  tx: Transaction<DB>,
  values: { personId: string; siteId: string; appointmentId: string | null; clinicianId: string; now: Date },
): Promise<string> {
  const row = await tx
    .insertInto('health_check')
    .values({
      person_id: values.personId,
      site_id: values.siteId,
      appointment_id: values.appointmentId,
      clinician_id: values.clinicianId,
      started_at: values.now,
      updated_at: values.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Moves the check on one version if it is still at `expected`; returns whether it was. */
export async function bumpVersion(
  tx: Transaction<DB>,
  id: string,
  expected: number,
  now: Date,
  complete = false,
): Promise<boolean> {
  const result = await tx
    .updateTable('health_check')
    .set((eb) => ({
      version: eb('version', '+', 1),
      updated_at: now,
      ...(complete ? { status: 'completed' as const, completed_at: now } : {}),
    }))
    .where('id', '=', id)
    .where('version', '=', expected)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

function toResult(row: Selectable<HealthCheckResponseTable>): StoredResult {
  return {
    instrumentCode: row.instrument_code,
    instrumentVersion: row.instrument_version,
    answers: row.answers,
    applicable: row.applicable,
    complete: row.complete,
    score: row.score,
    partialScore: row.partial_score,
    band: row.band_code === null ? null : { code: row.band_code, label: row.band_label ?? row.band_code },
    positive: row.positive,
    missingItems: row.missing_items,
    preferNotToSay: row.prefer_not_to_say,
    savedAt: row.saved_at,
  }
}

export async function listResults(db: Db, checkIds: readonly string[]): Promise<Map<string, StoredResult[]>> {
  const byCheck = new Map<string, StoredResult[]>()
  if (checkIds.length === 0) return byCheck
  const rows = await db.selectFrom('health_check_response').selectAll().where('check_id', 'in', checkIds).execute()
  for (const row of rows) {
    const list = byCheck.get(row.check_id) ?? []
    list.push(toResult(row))
    byCheck.set(row.check_id, list)
  }
  return byCheck
}

export async function upsertResult(
  tx: Transaction<DB>,
  checkId: string,
  result: Omit<StoredResult, 'savedAt'>,
  by: string,
  now: Date,
): Promise<void> {
  const values = {
    instrument_version: result.instrumentVersion,
    answers: JSON.stringify(result.answers),
    applicable: result.applicable,
    complete: result.complete,
    score: result.score,
    partial_score: result.partialScore,
    band_code: result.band?.code ?? null,
    band_label: result.band?.label ?? null,
    positive: result.positive,
    missing_items: JSON.stringify(result.missingItems),
    prefer_not_to_say: JSON.stringify(result.preferNotToSay),
    saved_at: now,
    saved_by: by,
  }
  await tx
    .insertInto('health_check_response')
    .values({ check_id: checkId, instrument_code: result.instrumentCode, ...values })
    .onConflict((oc) => oc.columns(['check_id', 'instrument_code']).doUpdateSet(values))
    .execute()
}

function toObservations(row: Selectable<HealthCheckObservationTable>): Observations & { recordedAt: Date } {
  return {
    bloodPressureStatus: row.blood_pressure_status,
    systolic: row.systolic,
    diastolic: row.diastolic,
    heightStatus: row.height_status,
    heightCm: num(row.height_cm),
    weightStatus: row.weight_status,
    weightKg: num(row.weight_kg),
    bmi: num(row.bmi),
    smokingStatus: row.smoking_status,
    recordedAt: row.recorded_at,
  }
}

export async function listObservations(
  db: Db,
  checkIds: readonly string[],
): Promise<Map<string, Observations & { recordedAt: Date }>> {
  if (checkIds.length === 0) return new Map()
  const rows = await db.selectFrom('health_check_observation').selectAll().where('check_id', 'in', checkIds).execute()
  return new Map(rows.map((row) => [row.check_id, toObservations(row)]))
}

export async function upsertObservations(
  tx: Transaction<DB>,
  checkId: string,
  observations: Observations,
  by: string,
  now: Date,
): Promise<void> {
  const values = {
    blood_pressure_status: observations.bloodPressureStatus,
    systolic: observations.systolic,
    diastolic: observations.diastolic,
    height_status: observations.heightStatus,
    height_cm: observations.heightCm,
    weight_status: observations.weightStatus,
    weight_kg: observations.weightKg,
    bmi: observations.bmi,
    smoking_status: observations.smokingStatus,
    recorded_at: now,
    recorded_by: by,
  }
  await tx
    .insertInto('health_check_observation')
    .values({ check_id: checkId, ...values })
    .onConflict((oc) => oc.column('check_id').doUpdateSet(values))
    .execute()
}

function flagQuery(db: Db) {
  return db
    .selectFrom('warning_flag')
    .leftJoin('staff_user', 'staff_user.id', 'warning_flag.responded_by')
    .selectAll('warning_flag')
    .select('staff_user.display_name as responder_name')
}

function toFlag(row: Selectable<WarningFlagTable> & { responder_name: string | null }): WarningFlag {
  return {
    id: row.id,
    personId: row.person_id,
    siteId: row.site_id,
    checkId: row.check_id,
    instrumentCode: row.instrument_code,
    itemCode: row.item_code,
    code: row.code,
    message: row.message,
    raisedAt: row.raised_at,
    respondBy: row.respond_by,
    status: row.status,
    responseText: row.response_text,
    respondedBy: row.responded_by,
    respondedByName: row.responder_name,
    respondedAt: row.responded_at,
  }
}

export async function findFlag(db: Db, id: string): Promise<WarningFlag | undefined> {
  const row = await flagQuery(db).where('warning_flag.id', '=', id).executeTakeFirst()
  return row === undefined ? undefined : toFlag(row)
}

export async function listFlags(
  db: Db,
  where: { checkIds?: readonly string[]; personId?: string },
): Promise<WarningFlag[]> {
  let query = flagQuery(db)
  if (where.checkIds !== undefined) {
    if (where.checkIds.length === 0) return []
    query = query.where('warning_flag.check_id', 'in', where.checkIds)
  }
  if (where.personId !== undefined) query = query.where('warning_flag.person_id', '=', where.personId)
  const rows = await query.orderBy('warning_flag.raised_at', 'desc').orderBy('warning_flag.id').execute()
  return rows.map(toFlag)
}

/** Raises the flag unless this check already has it for the same sign; returns the new flag's id, if any. */
export async function insertFlagOnce(
  tx: Transaction<DB>,
  flag: Omit<WarningFlag, 'id' | 'status' | 'responseText' | 'respondedBy' | 'respondedByName' | 'respondedAt'>,
): Promise<string | undefined> {
  const row = await tx
    .insertInto('warning_flag')
    .values({
      person_id: flag.personId,
      site_id: flag.siteId,
      check_id: flag.checkId,
      instrument_code: flag.instrumentCode,
      item_code: flag.itemCode,
      code: flag.code,
      message: flag.message,
      raised_at: flag.raisedAt,
      respond_by: flag.respondBy,
    })
    .onConflict((oc) => oc.columns(['check_id', 'instrument_code', 'item_code', 'code']).doNothing())
    .returning('id')
    .executeTakeFirst()
  return row?.id
}

export async function respondToFlag(
  tx: Transaction<DB>,
  id: string,
  text: string,
  by: string,
  now: Date,
): Promise<boolean> {
  const result = await tx
    .updateTable('warning_flag')
    .set({ status: 'responded', response_text: text, responded_by: by, responded_at: now })
    .where('id', '=', id)
    .where('status', '=', 'awaiting-response')
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

function needQuery(db: Db) {
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

export async function findNeed(db: Db, id: string): Promise<Need | undefined> {
  const row = await needQuery(db).where('need.id', '=', id).executeTakeFirst()
  return row === undefined ? undefined : toNeed(row)
}

/** Holds the need's row until the transaction ends (FOR UPDATE also waits for, and blocks, referrals made on it). */
export async function lockNeed(tx: Transaction<DB>, id: string): Promise<void> {
  await tx.selectFrom('need').select('id').where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function listNeeds(db: Db, where: { checkIds?: readonly string[]; personId?: string }): Promise<Need[]> {
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

export async function insertNeedOnce(
  tx: Transaction<DB>,
  need: { personId: string; siteId: string; checkId: string; category: NeedCategory; because: string; on: string },
): Promise<string | undefined> {
  const row = await tx
    .insertInto('need')
    .values({
      person_id: need.personId,
      site_id: need.siteId,
      check_id: need.checkId,
      category: need.category,
      proposed_because: need.because.slice(0, 1000),
      identified_on: need.on,
    })
    .onConflict((oc) => oc.columns(['check_id', 'category']).where('check_id', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst()
  return row?.id
}

/** A need a clinician records directly (not found by a check): confirmed at once, by them. */
export async function insertDirectNeed(
  tx: Transaction<DB>,
  need: { personId: string; siteId: string; category: NeedCategory; why: string; on: string; by: string; at: Date },
): Promise<string> {
  const row = await tx
    .insertInto('need')
    .values({
      person_id: need.personId,
      site_id: need.siteId,
      check_id: null,
      category: need.category,
      status: 'confirmed',
      proposed_because: need.why,
      decided_by: need.by,
      decided_at: need.at,
      recorded_by: need.by,
      identified_on: need.on,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/**
 * Moves a need from `from` to `to` if it is still there at `version` (a concurrent decision leaves it unchanged);
 * returns whether it moved. Back to proposed clears who decided and when, as a proposal is undecided.
 */
export async function decideNeed(
  tx: Transaction<DB>,
  id: string,
  decision: { from: NeedStatus; to: NeedStatus; version: number; reason: string | null; by: string; at: Date },
): Promise<boolean> {
  const undecided = decision.to === 'proposed'
  const result = await tx
    .updateTable('need')
    .set((eb) => ({
      status: decision.to,
      reason: decision.reason,
      decided_by: undecided ? null : decision.by,
      decided_at: undecided ? null : decision.at,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .where('status', '=', decision.from)
    .where('version', '=', decision.version)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
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

export async function insertNeedEvent(
  tx: Transaction<DB>,
  event: { needId: string; from: NeedStatus | null; to: NeedStatus; reason: string | null; by: string; at: Date },
): Promise<void> {
  await tx
    .insertInto('need_event')
    .values({
      need_id: event.needId,
      from_status: event.from,
      to_status: event.to,
      reason: event.reason,
      actor_id: event.by,
      recorded_at: event.at,
    })
    .execute()
}

/** Each need's decisions, oldest first. */
export async function listNeedEvents(db: Db, needIds: readonly string[]): Promise<Map<string, NeedEvent[]>> {
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

// ---- Referrals, as the needs and the timeline read them (table owned by the referrals feature, migration 0011) ----

/** Statuses after which a referral is closed: anything else still stands on the need. */
export const closedReferralStatuses = ['rejected', 'completed', 'declined', 'withdrawn'] as const

export interface OpenReferral {
  id: string
  status: ReferralStatus
  serviceName: string
}

export async function openReferralsForNeed(db: Db, needId: string): Promise<OpenReferral[]> {
  const rows = await db
    .selectFrom('referral')
    .innerJoin('service', 'service.id', 'referral.service_id')
    .select(['referral.id', 'referral.status', 'service.name as service_name'])
    .where('referral.need_id', '=', needId)
    .where('referral.status', 'not in', closedReferralStatuses)
    .orderBy('referral.created_at')
    .orderBy('referral.id')
    .execute()
  return rows.map((r) => ({ id: r.id, status: r.status, serviceName: r.service_name }))
}

export interface ReferralEvent {
  id: number
  referralId: string
  serviceName: string
  fromStatus: ReferralStatus | null
  toStatus: ReferralStatus
  occurredOn: string
  recordedAt: Date
}

export async function listReferralEventsForPerson(db: Db, personId: string): Promise<ReferralEvent[]> {
  const rows = await db
    .selectFrom('referral_event')
    .innerJoin('referral', 'referral.id', 'referral_event.referral_id')
    .innerJoin('service', 'service.id', 'referral.service_id')
    .select([
      'referral_event.id',
      'referral_event.referral_id',
      'referral_event.from_status',
      'referral_event.to_status',
      'referral_event.occurred_on',
      'referral_event.recorded_at',
      'service.name as service_name',
    ])
    .where('referral.person_id', '=', personId)
    .orderBy('referral_event.id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    referralId: r.referral_id,
    serviceName: r.service_name,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    occurredOn: r.occurred_on,
    recordedAt: r.recorded_at,
  }))
}
