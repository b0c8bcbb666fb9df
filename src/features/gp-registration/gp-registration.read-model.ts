/**
 * The GP registration history as shown: a directory practice by its entry's current name and ODS code (the services
 * feature's `service` table, read here only, never written), with the recorder's name.
 */
import type { Executor } from '../../platform/db/executor.ts'
import type { GpRegistrationStatus } from './gp-registration.messages.ts'

/** One recorded status: a row of the history. */
export interface GpRegistrationRecord {
  id: number
  personId: string
  status: GpRegistrationStatus
  /** The directory entry, when the practice is listed. */
  serviceId: string | null
  /** The practice as shown: the directory entry's name and code, or what was typed when it is not listed. */
  practiceName: string | null
  practiceOdsCode: string | null
  statusDate: string
  reason: string | null
  helpGiven: string | null
  recordedBy: string
  recordedByName: string | null
  recordedAt: Date
}

function selectRecords(db: Executor) {
  return db
    .selectFrom('gp_registration')
    .leftJoin('service', 'service.id', 'gp_registration.service_id')
    .leftJoin('staff_user', 'staff_user.id', 'gp_registration.recorded_by')
    .selectAll('gp_registration')
    .select(['service.name as service_name', 'service.ods_code as service_ods_code'])
    .select('staff_user.display_name as recorded_by_name')
}

type RecordRow = Awaited<ReturnType<ReturnType<typeof selectRecords>['executeTakeFirstOrThrow']>>

/** The one mapping from a row to the domain type. A directory practice is shown by its entry's current name. */
function toRecord(row: RecordRow): GpRegistrationRecord {
  return {
    id: row.id,
    personId: row.person_id,
    status: row.status,
    serviceId: row.service_id,
    practiceName: row.service_id === null ? row.practice_name : row.service_name,
    practiceOdsCode: row.service_id === null ? row.practice_ods_code : row.service_ods_code,
    statusDate: row.status_date,
    reason: row.reason,
    helpGiven: row.help_given,
    recordedBy: row.recorded_by,
    recordedByName: row.recorded_by_name,
    recordedAt: row.recorded_at,
  }
}

/** Every status recorded for the person, newest first; the first is the current one. */
export async function listHistory(db: Executor, personId: string): Promise<GpRegistrationRecord[]> {
  const rows = await selectRecords(db)
    .where('gp_registration.person_id', '=', personId)
    .orderBy('gp_registration.recorded_at', 'desc')
    .orderBy('gp_registration.id', 'desc')
    .execute()
  return rows.map(toRecord)
}

