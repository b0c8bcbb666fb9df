import type { ScreeningEventInput } from './screening.validation.ts'
import type { Executor } from '../../platform/db/executor.ts'
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
export function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}


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
