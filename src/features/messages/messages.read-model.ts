/**
 * What messages read of other features' tables: the appointment a message is about (appointments), as it is at
 * send time, and the follow-up work already on a worklist. Read here only, never written.
 */
import type { Executor } from '../../platform/db/executor.ts'

export interface MessageAppointment {
  id: string
  personId: string
  siteId: string
  startsAt: Date
  status: 'booked' | 'cancelled' | 'completed'
  outcome: string | null
  clinicianId: string
  /** Set when it was cancelled to be moved: the new appointment has reminders of its own. */
  cancelledReason: string | null
}

export async function findAppointment(executor: Executor, id: string): Promise<MessageAppointment | undefined> {
  const row = await executor
    .selectFrom('appointment')
    .select([
      'id',
      'person_id as personId',
      'site_id as siteId',
      'starts_at as startsAt',
      'status',
      'outcome',
      'clinician_id as clinicianId',
      'cancelled_reason as cancelledReason',
    ])
    .where('id', '=', id)
    .executeTakeFirst()
  return row === undefined ? undefined : { ...row, startsAt: new Date(row.startsAt) }
}

/** The person's booked appointments still to come, soonest first (for reminders when contact details arrive later). */
export async function upcomingBooked(
  executor: Executor,
  personId: string,
  now: Date,
  limit = 100,
): Promise<Pick<MessageAppointment, 'id' | 'personId' | 'siteId' | 'startsAt'>[]> {
  const rows = await executor
    .selectFrom('appointment')
    .select(['id', 'person_id as personId', 'site_id as siteId', 'starts_at as startsAt'])
    .where('person_id', '=', personId)
    .where('status', '=', 'booked')
    .where('starts_at', '>', now)
    .orderBy('starts_at')
    .limit(limit)
    .execute()
  return rows.map((row) => ({ ...row, startsAt: new Date(row.startsAt) }))
}

/** The clinician of the person's latest appointment, for a reply that cannot be tied to a message. */
export async function latestClinicianOf(executor: Executor, personId: string): Promise<string | undefined> {
  const row = await executor
    .selectFrom('appointment')
    .select('clinician_id')
    .where('person_id', '=', personId)
    .orderBy('starts_at', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row?.clinician_id
}

/** Missed-appointment rate of a site's appointments in a period, with and without a delivered reminder. */
export async function missedRates(
  executor: Executor,
  siteId: string,
  from: Date,
  to: Date,
): Promise<{ reminded: { due: number; missed: number }; notReminded: { due: number; missed: number } }> {
  const rows = await executor
    .selectFrom('appointment')
    .select((eb) => [
      eb
        .exists(
          eb
            .selectFrom('message')
            .select('message.id')
            .whereRef('message.appointment_id', '=', 'appointment.id')
            .where('message.purpose', '=', 'reminder')
            .where('message.status', '=', 'delivered'),
        )
        .as('reminded'),
      eb.fn.countAll<string>().as('due'),
      eb.fn.countAll<string>().filterWhere('appointment.outcome', 'in', ['AFTA', 'UAAB']).as('missed'),
    ])
    .where('appointment.site_id', '=', siteId)
    .where('appointment.starts_at', '>=', from)
    .where('appointment.starts_at', '<', to)
    .where('appointment.status', '=', 'completed')
    .groupBy('reminded')
    .execute()
  const result = { reminded: { due: 0, missed: 0 }, notReminded: { due: 0, missed: 0 } }
  for (const row of rows) {
    const into = row.reminded ? result.reminded : result.notReminded
    into.due += Number(row.due)
    into.missed += Number(row.missed)
  }
  return result
}
