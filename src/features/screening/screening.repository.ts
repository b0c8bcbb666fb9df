import { sql } from 'kysely'
import type { ScreeningEventInput } from './screening.validation.ts'
import type { Executor } from '../../platform/db/executor.ts'
import type { SmokingStatus } from '../health-checks/health-checks.tables.ts'
import type { ScreeningEventProgramme, ScreeningEventStateCode } from './screening.tables.ts'
import type { PersonRecord } from '../people/index.ts'

/** The person, as the people feature gives them. */
export type ScreeningPerson = PersonRecord

/** One recorded event, as shown and as given to the API. */
export interface ScreeningEventRecord {
  id: string
  personId: string
  programme: ScreeningEventProgramme
  state: ScreeningEventStateCode
  date: string
  result: string | null
  selfSample: boolean | null
  note: string | null
  recordedBy: string
  recordedByName: string | null
  recordedAt: Date
  enteredInError: { at: Date; by: string; byName: string | null; reason: string } | null
}

/** Chunks an id list so a large worklist never sends one enormous parameter list. */
function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

const personColumns = [
  'person.id as id',
  'person.site_id as siteId',
  'person.crn as crn',
  'person.given_name as givenName',
  'person.family_name as familyName',
  'person.date_of_birth as dateOfBirth',
  'person.sex as sex',
  'person.stated_gender as statedGender',
  'person.gender_same_as_birth as genderSameAsBirth',
] as const

function selectEvents(db: Executor) {
  return db
    .selectFrom('screening_event')
    .leftJoin('staff_user as recorder', 'recorder.id', 'screening_event.recorded_by')
    .leftJoin('staff_user as corrector', 'corrector.id', 'screening_event.entered_in_error_by')
    .selectAll('screening_event')
    .select(['recorder.display_name as recorded_by_name', 'corrector.display_name as entered_in_error_by_name'])
}

type EventRow = Awaited<ReturnType<ReturnType<typeof selectEvents>['executeTakeFirstOrThrow']>>

/** The one mapping from a row to the domain type. */
function toRecord(row: EventRow): ScreeningEventRecord {
  const at = row.entered_in_error_at
  const by = row.entered_in_error_by
  const reason = row.entered_in_error_reason
  return {
    id: row.id,
    personId: row.person_id,
    programme: row.programme,
    state: row.state,
    date: row.event_date,
    result: row.result,
    selfSample: row.self_sample,
    note: row.note,
    recordedBy: row.recorded_by,
    recordedByName: row.recorded_by_name,
    recordedAt: row.recorded_at,
    enteredInError:
      at !== null && by !== null && reason !== null ? { at, by, byName: row.entered_in_error_by_name, reason } : null,
  }
}

/** Every event recorded for the person (entered in error too), newest first by the date it happened. */
export async function listEvents(db: Executor, personId: string): Promise<ScreeningEventRecord[]> {
  const rows = await selectEvents(db)
    .where('screening_event.person_id', '=', personId)
    .orderBy('screening_event.event_date', 'desc')
    .orderBy('screening_event.recorded_at', 'desc')
    .orderBy('screening_event.id', 'desc')
    .execute()
  return rows.map(toRecord)
}

export async function findEvent(db: Executor, id: string): Promise<ScreeningEventRecord | undefined> {
  const row = await selectEvents(db).where('screening_event.id', '=', id).executeTakeFirst()
  return row === undefined ? undefined : toRecord(row)
}

/** The events that count (not entered in error) for each person, for assessment. */
export async function eventsForAssessment(
  db: Executor,
  personIds: readonly string[],
): Promise<Map<string, ScreeningEventRecord[]>> {
  const byPerson = new Map<string, ScreeningEventRecord[]>()
  for (const ids of chunks(personIds)) {
    if (ids.length === 0) continue
    const rows = await selectEvents(db)
      .where('screening_event.person_id', 'in', ids)
      .where('screening_event.entered_in_error_at', 'is', null)
      .orderBy('screening_event.event_date')
      .orderBy('screening_event.recorded_at')
      .execute()
    for (const row of rows) {
      const list = byPerson.get(row.person_id) ?? []
      list.push(toRecord(row))
      byPerson.set(row.person_id, list)
    }
  }
  return byPerson
}

/**
 * Each person's smoking status from their most recent health check observation that records one, as known on
 * `asOf` (observations recorded after that UK date are not yet known then).
 */
export async function smokingStatuses(
  db: Executor,
  personIds: readonly string[],
  asOf: string,
): Promise<Map<string, SmokingStatus>> {
  const byPerson = new Map<string, SmokingStatus>()
  for (const ids of chunks(personIds)) {
    if (ids.length === 0) continue
    const rows = await db
      .selectFrom('health_check_observation')
      .innerJoin('health_check', 'health_check.id', 'health_check_observation.check_id')
      .distinctOn('health_check.person_id')
      .select(['health_check.person_id as personId', 'health_check_observation.smoking_status as smokingStatus'])
      .where('health_check.person_id', 'in', ids)
      .where('health_check_observation.smoking_status', 'is not', null)
      .where(sql<string>`(health_check_observation.recorded_at at time zone 'Europe/London')::date`, '<=', asOf)
      .orderBy('health_check.person_id')
      .orderBy('health_check_observation.recorded_at', 'desc')
      .execute()
    for (const row of rows) if (row.smokingStatus !== null) byPerson.set(row.personId, row.smokingStatus)
  }
  return byPerson
}

export async function insert(
  db: Executor,
  personId: string,
  event: ScreeningEventInput,
  recordedBy: string,
  recordedAt: Date,
): Promise<string> {
  const row = await db
    .insertInto('screening_event')
    .values({
      person_id: personId,
      programme: event.programme,
      state: event.state,
      event_date: event.date,
      result: event.result,
      self_sample: event.selfSample,
      note: event.note,
      recorded_by: recordedBy,
      recorded_at: recordedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Marks an event entered in error unless it already is; false when it already was. */
export async function markEnteredInError(
  db: Executor,
  id: string,
  by: string,
  at: Date,
  reason: string,
): Promise<boolean> {
  const result = await db
    .updateTable('screening_event')
    .set({ entered_in_error_at: at, entered_in_error_by: by, entered_in_error_reason: reason })
    .where('id', '=', id)
    .where('entered_in_error_at', 'is', null)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

/** Locks the event's row so two corrections at once are checked one after the other. */
export async function lockEvent(db: Executor, id: string): Promise<void> {
  await db.selectFrom('screening_event').select('id').where('id', '=', id).forUpdate().executeTakeFirst()
}

/** The facts screening eligibility reads from a person record. */
export type ScreeningFacts = Pick<
  PersonRecord,
  'id' | 'siteId' | 'crn' | 'givenName' | 'familyName' | 'dateOfBirth' | 'sex' | 'statedGender' | 'genderSameAsBirth'
>

export interface AppointmentPerson extends ScreeningFacts {
  /** The person's first booked appointment in the window. */
  startsAt: Date
  /** The same instant as the database wrote it (to the microsecond), for reading on after this person. */
  startsAtKey: string
}

/** Where the previous batch of `peopleWithAppointments` ended, to read the next one after it. */
export interface AppointmentCursor {
  startsAtKey: string
  familyName: string
  givenName: string
  id: string
}

/**
 * People with a booked appointment at the site starting in [from, to), each with their first such appointment, in
 * the order (first appointment, family name, given name, id); with `staffId`, only appointments where that staff
 * member is the clinician or the practitioner. Read in batches: at most `limit` people after `after`, and with
 * `bornOnOrBefore` only people born on or before that date.
 */
export async function peopleWithAppointments(
  db: Executor,
  query: {
    siteId: string
    from: Date
    to: Date
    staffId?: string
    bornOnOrBefore?: string
    after?: AppointmentCursor
    limit: number
  },
): Promise<AppointmentPerson[]> {
  let appointments = db
    .selectFrom('appointment')
    .select(['appointment.person_id', (eb) => eb.fn.min('appointment.starts_at').as('starts_at')])
    .where('appointment.site_id', '=', query.siteId)
    .where('appointment.status', '=', 'booked')
    .where('appointment.starts_at', '>=', query.from)
    .where('appointment.starts_at', '<', query.to)
    .groupBy('appointment.person_id')
  const staffId = query.staffId
  if (staffId !== undefined) {
    appointments = appointments.where((eb) =>
      eb.or([eb('appointment.clinician_id', '=', staffId), eb('appointment.practitioner_id', '=', staffId)]),
    )
  }
  let people = db
    .selectFrom(appointments.as('first'))
    .innerJoin('person', 'person.id', 'first.person_id')
    .select(personColumns)
    .select('first.starts_at as startsAt')
    .select(sql<string>`first.starts_at::text`.as('startsAtKey'))
    .where('person.site_id', '=', query.siteId)
  if (query.bornOnOrBefore !== undefined) people = people.where('person.date_of_birth', '<=', query.bornOnOrBefore)
  const after = query.after
  if (after !== undefined) {
    people = people.where(
      sql<boolean>`(first.starts_at, person.family_name, person.given_name, person.id) > (${after.startsAtKey}::timestamptz, ${after.familyName}, ${after.givenName}, ${after.id})`,
    )
  }
  const rows = await people
    .orderBy('first.starts_at')
    .orderBy('person.family_name')
    .orderBy('person.given_name')
    .orderBy('person.id')
    .limit(query.limit)
    .execute()
  return rows.map((row) => ({ ...row, startsAt: new Date(row.startsAt) }))
}
