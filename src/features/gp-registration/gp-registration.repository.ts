import type { GpRegistrationStatus } from './gp-registration.messages.ts'
import type { Executor } from '../../platform/db/executor.ts'

export type { GpRegistrationRecord } from './gp-registration.read-model.ts'
import type { PersonRecord } from '../people/index.ts'

export interface NewGpRegistration {
  status: GpRegistrationStatus
  serviceId: string | null
  practiceName: string | null
  practiceOdsCode: string | null
  statusDate: string
  reason: string | null
  helpGiven: string | null
}

/** The person, as the people feature gives them. */
export type GpPerson = PersonRecord

/** The raw newest row (as written, not as shown), for "has anything changed?". */
export async function findLatestRow(db: Executor, personId: string) {
  return db
    .selectFrom('gp_registration')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('recorded_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
}

export async function insert(
  db: Executor,
  personId: string,
  record: NewGpRegistration,
  recordedBy: string,
  recordedAt: Date,
): Promise<number> {
  const row = await db
    .insertInto('gp_registration')
    .values({
      person_id: personId,
      status: record.status,
      service_id: record.serviceId,
      practice_name: record.practiceName,
      practice_ods_code: record.practiceOdsCode,
      status_date: record.statusDate,
      reason: record.reason,
      help_given: record.helpGiven,
      recorded_by: recordedBy,
      recorded_at: recordedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}
