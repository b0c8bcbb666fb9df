/**
 * Screening's read model: the facts eligibility needs that other features keep. It reads, and never writes, the
 * health-checks feature's observations (smoking status, for lung screening) and the appointments feature's booked
 * appointments (who is due and coming in), with the person's details for eligibility.
 */
import { sql } from 'kysely'
import type { Executor } from '../../platform/db/executor.ts'
import type { SmokingStatus } from '../health-checks/index.ts'
import type { PersonRecord } from '../people/index.ts'
import { chunks } from './screening.repository.ts'

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
