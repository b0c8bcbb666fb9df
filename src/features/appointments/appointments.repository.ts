import { sql, type SelectQueryBuilder, type Transaction } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import type { Executor } from '../../platform/db/executor.ts'
import type { StaffRole } from '../../platform/http/roles.ts'
import type { AbsenceReason, AppointmentKind, AppointmentOutcome, AppointmentStatus } from './appointments.tables.ts'
import type { PersonRecord } from '../people/index.ts'

/** A saved appointment, with the names the pages show beside the ids. */
export interface Appointment {
  id: string
  personId: string
  personGivenName: string
  personFamilyName: string
  personCrn: string
  siteId: string
  siteCode: string
  siteName: string
  kind: AppointmentKind
  startsAt: Date
  endsAt: Date
  durationMinutes: number
  location: string | null
  clinicianId: string
  clinicianName: string
  practitionerId: string | null
  practitionerName: string | null
  status: AppointmentStatus
  outcome: AppointmentOutcome | null
  absenceReason: AbsenceReason | null
  outcomeNotes: string | null
  outcomeRecordedAt: Date | null
  cancelledReason: string | null
  rescheduledFrom: string | null
  /** The kind of the appointment this one replaced, so a view can leave out a link it may not follow. */
  rescheduledFromKind: AppointmentKind | null
  rescheduledTo: string | null
  rescheduledToKind: AppointmentKind | null
  version: number
  createdAt: Date
  updatedAt: Date
}

/** The longest an appointment may last: the schema's check (duration_minutes between 5 and 480). */
export const MAX_DURATION_MINUTES = 480

export interface NewAppointment {
  personId: string
  siteId: string
  kind: AppointmentKind
  startsAt: Date
  durationMinutes: number
  location: string | null
  clinicianId: string
  practitionerId: string | null
  rescheduledFrom: string | null
  createdBy: string
}

function selectAppointments(db: Executor) {
  return db
    .selectFrom('appointment')
    .innerJoin('person', 'person.id', 'appointment.person_id')
    .innerJoin('site', 'site.id', 'appointment.site_id')
    .innerJoin('staff_user as clinician', 'clinician.id', 'appointment.clinician_id')
    .leftJoin('staff_user as practitioner', 'practitioner.id', 'appointment.practitioner_id')
    .leftJoin('appointment as next', 'next.rescheduled_from', 'appointment.id')
    .leftJoin('appointment as previous', 'previous.id', 'appointment.rescheduled_from')
    .selectAll('appointment')
    .select([
      'person.given_name as person_given_name',
      'person.family_name as person_family_name',
      'person.crn as person_crn',
      'site.code as site_code',
      'site.name as site_name',
      'clinician.display_name as clinician_name',
      'practitioner.display_name as practitioner_name',
      'next.id as next_id',
      'next.kind as next_kind',
      'previous.kind as previous_kind',
    ])
}

type Row = Awaited<ReturnType<ReturnType<typeof selectAppointments>['executeTakeFirstOrThrow']>>

const asDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value))

function toAppointment(row: Row): Appointment {
  return {
    id: row.id,
    personId: row.person_id,
    personGivenName: row.person_given_name,
    personFamilyName: row.person_family_name,
    personCrn: row.person_crn,
    siteId: row.site_id,
    siteCode: row.site_code,
    siteName: row.site_name,
    kind: row.kind,
    startsAt: asDate(row.starts_at),
    endsAt: asDate(row.ends_at),
    durationMinutes: row.duration_minutes,
    location: row.location,
    clinicianId: row.clinician_id,
    clinicianName: row.clinician_name,
    practitionerId: row.practitioner_id,
    practitionerName: row.practitioner_name,
    status: row.status,
    outcome: row.outcome,
    absenceReason: row.absence_reason,
    outcomeNotes: row.outcome_notes,
    outcomeRecordedAt: row.outcome_recorded_at === null ? null : asDate(row.outcome_recorded_at),
    cancelledReason: row.cancelled_reason,
    rescheduledFrom: row.rescheduled_from,
    rescheduledFromKind: row.previous_kind,
    rescheduledTo: row.next_id,
    rescheduledToKind: row.next_kind,
    version: row.version,
    createdAt: asDate(row.created_at),
    updatedAt: asDate(row.updated_at),
  }
}

export async function findById(db: Executor, id: string): Promise<Appointment | undefined> {
  const row = await selectAppointments(db).where('appointment.id', '=', id).executeTakeFirst()
  return row === undefined ? undefined : toAppointment(row)
}

export async function listForPerson(db: Executor, personId: string): Promise<Appointment[]> {
  const rows = await selectAppointments(db)
    .where('appointment.person_id', '=', personId)
    .orderBy('appointment.starts_at', 'desc')
    .orderBy('appointment.id')
    .limit(500)
    .execute()
  return rows.map(toAppointment)
}

/**
 * A site's appointments in [from, to), in time order: all of them, or one page with the whole count (a national
 * site's day holds thousands). The count reads appointment_site_starts_idx alone.
 */
export async function listForSite(
  db: Executor,
  siteId: string,
  from: Date,
  to: Date,
  page?: { limit: number; offset: number },
): Promise<{ total: number; appointments: Appointment[] }> {
  const inRange = <Q extends SelectQueryBuilder<DB, 'appointment', object>>(query: Q): Q =>
    query
      .where('appointment.site_id', '=', siteId)
      .where('appointment.starts_at', '>=', from)
      .where('appointment.starts_at', '<', to) as Q
  let query = inRange(selectAppointments(db)).orderBy('appointment.starts_at').orderBy('appointment.id')
  if (page !== undefined) query = query.limit(page.limit).offset(page.offset)
  const appointments = (await query.execute()).map(toAppointment)
  if (page === undefined || (page.offset === 0 && appointments.length < page.limit)) {
    return { total: (page?.offset ?? 0) + appointments.length, appointments }
  }
  const count = await inRange(db.selectFrom('appointment'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return { total: count.n, appointments }
}

export async function listForStaff(
  db: Executor,
  staffId: string,
  siteIds: readonly string[],
  from: Date,
  to: Date,
): Promise<Appointment[]> {
  if (siteIds.length === 0) return []
  const rows = await selectAppointments(db)
    .where((eb) =>
      eb.or([eb('appointment.clinician_id', '=', staffId), eb('appointment.practitioner_id', '=', staffId)]),
    )
    .where('appointment.site_id', 'in', [...siteIds])
    .where('appointment.starts_at', '>=', from)
    .where('appointment.starts_at', '<', to)
    .orderBy('appointment.starts_at')
    .orderBy('appointment.id')
    .execute()
  return rows.map(toAppointment)
}

/**
 * Booked appointments of any of these people or staff that overlap [from, to), earliest first. Nothing lasts longer
 * than MAX_DURATION_MINUTES, so only appointments starting within that long before `from` can overlap: the lower
 * bound keeps the (…, starts_at) index scans to nearby appointments instead of everyone's whole history.
 */
export async function findClashes(
  db: Executor,
  ids: { personId: string; staffIds: readonly string[] },
  from: Date,
  to: Date,
): Promise<Appointment[]> {
  const rows = await selectAppointments(db)
    .where('appointment.status', '=', 'booked')
    .where(
      'appointment.starts_at',
      '>',
      sql<Date>`${from}::timestamptz - ${sql.lit(`${MAX_DURATION_MINUTES} minutes`)}::interval`,
    )
    .where('appointment.starts_at', '<', to)
    .where('appointment.ends_at', '>', from)
    .where((eb) =>
      eb.or([
        eb('appointment.person_id', '=', ids.personId),
        eb('appointment.clinician_id', 'in', [...ids.staffIds]),
        eb('appointment.practitioner_id', 'in', [...ids.staffIds]),
      ]),
    )
    .orderBy('appointment.starts_at')
    .execute()
  return rows.map(toAppointment)
}

/**
 * Serialises bookings touching the same person or staff member until the transaction ends, so two concurrent
 * bookings cannot both pass the clash check. Locks are taken in a fixed order so two bookings cannot deadlock.
 */
export async function lockDiaries(tx: Transaction<DB>, ids: readonly string[]): Promise<void> {
  for (const id of [...new Set(ids)].sort()) {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`appointment-diary:${id}`}, 0))`.execute(tx)
  }
}

export async function insert(tx: Transaction<DB>, details: NewAppointment, now: Date): Promise<string> {
  const row = await tx
    .insertInto('appointment')
    .values({
      person_id: details.personId,
      site_id: details.siteId,
      kind: details.kind,
      starts_at: details.startsAt,
      duration_minutes: details.durationMinutes,
      ends_at: new Date(details.startsAt.getTime() + details.durationMinutes * 60_000),
      location: details.location,
      clinician_id: details.clinicianId,
      practitioner_id: details.practitionerId,
      rescheduled_from: details.rescheduledFrom,
      created_by: details.createdBy,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export type AppointmentChange =
  | {
      kind: 'outcome'
      outcome: AppointmentOutcome
      absenceReason: AbsenceReason | null
      notes: string | null
      by: string
    }
  | { kind: 'cancel'; reason: string; outcome: 'RSOF' | 'RSSR' | null; notes: string | null; by: string }

/** Applies a change if the appointment is still booked at the expected version; false when it was not. */
export async function changeIfVersion(
  tx: Transaction<DB>,
  id: string,
  version: number,
  change: AppointmentChange,
  now: Date,
): Promise<boolean> {
  const common = { version: sql<number>`version + 1`, updated_at: now }
  const values =
    change.kind === 'outcome'
      ? {
          ...common,
          status: 'completed' as const,
          outcome: change.outcome,
          absence_reason: change.absenceReason,
          outcome_notes: change.notes,
          outcome_recorded_at: now,
          outcome_recorded_by: change.by,
        }
      : {
          ...common,
          status: 'cancelled' as const,
          cancelled_reason: change.reason,
          cancelled_at: now,
          cancelled_by: change.by,
          outcome: change.outcome,
          outcome_notes: change.notes,
          outcome_recorded_at: change.outcome === null ? null : now,
          outcome_recorded_by: change.outcome === null ? null : change.by,
        }
  const result = await tx
    .updateTable('appointment')
    .set(values)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('status', '=', 'booked')
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

export interface StaffChoice {
  id: string
  displayName: string
  role: StaffRole
}

/** Active staff at a site in the given roles, for the booking form's selects. */
export async function listStaffAt(db: Executor, siteId: string, roles: readonly StaffRole[]): Promise<StaffChoice[]> {
  return db
    .selectFrom('staff_user')
    .innerJoin('staff_site', 'staff_site.staff_user_id', 'staff_user.id')
    .select(['staff_user.id as id', 'staff_user.display_name as displayName', 'staff_user.role as role'])
    .where('staff_user.role', 'in', [...roles])
    .where('staff_user.status', '=', 'active')
    .where('staff_site.site_id', '=', siteId)
    .orderBy('staff_user.display_name')
    .orderBy('staff_user.id')
    .execute()
}

export async function isStaffAt(
  db: Executor,
  staffId: string,
  siteId: string,
  roles: readonly StaffRole[],
): Promise<boolean> {
  const row = await db
    .selectFrom('staff_user')
    .innerJoin('staff_site', 'staff_site.staff_user_id', 'staff_user.id')
    .select('staff_user.id')
    .where('staff_user.id', '=', staffId)
    .where('staff_user.role', 'in', [...roles])
    .where('staff_user.status', '=', 'active')
    .where('staff_site.site_id', '=', siteId)
    .executeTakeFirst()
  return row !== undefined
}

/** The person, as the people feature gives them. */
export type PersonSummary = PersonRecord

export interface NewFollowUp {
  kind: string
  personId: string
  siteId: string
  appointmentId: string | null
  assignedTo: string
  reason: string
  dueDate: string
}

export async function insertFollowUp(tx: Transaction<DB>, item: NewFollowUp, now: Date): Promise<string> {
  const row = await tx
    .insertInto('follow_up')
    .values({
      kind: item.kind,
      person_id: item.personId,
      site_id: item.siteId,
      appointment_id: item.appointmentId,
      assigned_to: item.assignedTo,
      reason: item.reason,
      due_date: item.dueDate,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** As insertFollowUp, unless the same work (appointment, assignee, kind) is already there: then undefined. */
export async function insertFollowUpOnce(
  tx: Transaction<DB>,
  item: NewFollowUp,
  now: Date,
): Promise<string | undefined> {
  const row = await tx
    .insertInto('follow_up')
    .values({
      kind: item.kind,
      person_id: item.personId,
      site_id: item.siteId,
      appointment_id: item.appointmentId,
      assigned_to: item.assignedTo,
      reason: item.reason,
      due_date: item.dueDate,
      created_at: now,
    })
    .onConflict((oc) =>
      oc
        .columns(['appointment_id', 'assigned_to', 'kind'])
        .where('appointment_id', 'is not', null)
        .doNothing(),
    )
    .returning('id')
    .executeTakeFirst()
  return row?.id
}

/** Marks an open follow-up done; false when it was no longer open (someone else got there first). */
export async function markFollowUpDone(
  db: Executor,
  id: string,
  done: { by: string; at: Date; note: string },
): Promise<boolean> {
  const result = await db
    .updateTable('follow_up')
    .set({ status: 'done', done_at: done.at, done_by: done.by, note: done.note })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}
