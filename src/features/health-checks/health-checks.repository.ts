import type { Kysely, Selectable, Transaction } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import type { Observations } from './health-checks.rules.ts'
import type { HealthCheckObservationTable, HealthCheckResponseTable, HealthCheckStatus, WarningFlagStatus, WarningFlagTable } from './health-checks.tables.ts'

type Db = Kysely<DB> | Transaction<DB>

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

const num = (value: string | number | null): number | null => (value === null ? null : Number(value))

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

