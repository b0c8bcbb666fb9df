/**
 * The worklist's read model: one indexed query per section bounded by `limit` (the total comes with the rows as a
 * window count). It reads, and never writes, other features' tables: warning_flag and health_check (health-checks),
 * need (needs), follow_up and appointment (appointments), gp_registration (gp-registration), and person names.
 * Marking a follow-up done is the appointments feature's write (`closeFollowUp`).
 */
import type { SelectQueryBuilder } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import type { Executor } from '../../platform/db/executor.ts'
import { paged, countOf, type Page, type Paged } from '../../platform/db/paging.ts'
import type { NeedCategory } from '../needs/index.ts'

export type { Page }
/** A worklist section: a page of its items and how many there are in all. */
export type Section<T> = Paged<T>

export interface PersonRef {
  id: string
  givenName: string
  familyName: string
  crn: string
}

export interface FlagItem {
  id: string
  person: PersonRef
  checkId: string
  message: string
  raisedAt: Date
  respondBy: Date
}

export interface NeedItem {
  id: string
  person: PersonRef
  checkId: string | null
  category: NeedCategory
  proposedBecause: string
  identifiedOn: string
}

export interface FollowUpItem {
  id: string
  person: PersonRef
  appointmentId: string | null
  kind: string
  reason: string
  dueDate: string
  assignedTo: { id: string; name: string }
}

export interface GpRegistrationItem {
  person: PersonRef
  /** The date of the latest status (in progress). */
  statusDate: string
  helpGiven: string | null
}

function personOf(row: { person_id: string; given_name: string; family_name: string; crn: string }): PersonRef {
  return { id: row.person_id, givenName: row.given_name, familyName: row.family_name, crn: row.crn }
}

/** Warning flags awaiting a response at the site (warning_flag_site_awaiting_idx), soonest deadline first. */
export async function listFlagsAwaitingResponse(
  db: Executor,
  filter: { siteId: string; clinicianId?: string },
  page: Page,
): Promise<Section<FlagItem>> {
  let query = db
    .selectFrom('warning_flag')
    .innerJoin('person', 'person.id', 'warning_flag.person_id')
    .innerJoin('health_check', 'health_check.id', 'warning_flag.check_id')
    .where('warning_flag.site_id', '=', filter.siteId)
    .where('warning_flag.status', '=', 'awaiting-response')
  if (filter.clinicianId !== undefined) query = query.where('health_check.clinician_id', '=', filter.clinicianId)
  const rows = await query
    .select([
      'warning_flag.id',
      'warning_flag.person_id',
      'warning_flag.check_id',
      'warning_flag.message',
      'warning_flag.raised_at',
      'warning_flag.respond_by',
      'person.given_name',
      'person.family_name',
      'person.crn',
    ])
    .select((eb) => eb.fn.countAll<number>().over().as('total'))
    .orderBy('warning_flag.respond_by')
    .orderBy('warning_flag.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
  return paged(
    rows,
    page,
    () => countOf(query.select('warning_flag.id')),
    (r) => ({
      id: r.id,
      person: personOf(r),
      checkId: r.check_id,
      message: r.message,
      raisedAt: r.raised_at,
      respondBy: r.respond_by,
    }),
  )
}

/** Proposed needs at the site awaiting a clinician's decision, oldest first. */
export async function listProposedNeeds(
  db: Executor,
  filter: { siteId: string; clinicianId?: string },
  page: Page,
): Promise<Section<NeedItem>> {
  let query = db
    .selectFrom('need')
    .innerJoin('person', 'person.id', 'need.person_id')
    .leftJoin('health_check', 'health_check.id', 'need.check_id')
    .where('need.site_id', '=', filter.siteId)
    .where('need.status', '=', 'proposed')
  if (filter.clinicianId !== undefined) query = query.where('health_check.clinician_id', '=', filter.clinicianId)
  const rows = await query
    .select([
      'need.id',
      'need.person_id',
      'need.check_id',
      'need.category',
      'need.proposed_because',
      'need.identified_on',
      'person.given_name',
      'person.family_name',
      'person.crn',
    ])
    .select((eb) => eb.fn.countAll<number>().over().as('total'))
    .orderBy('need.identified_on')
    .orderBy('need.created_at')
    .orderBy('need.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
  return paged(
    rows,
    page,
    () => countOf(query.select('need.id')),
    (r) => ({
      id: r.id,
      person: personOf(r),
      checkId: r.check_id,
      category: r.category,
      proposedBecause: r.proposed_because,
      identifiedOn: r.identified_on,
    }),
  )
}

/**
 * Open follow-ups at the site, earliest due first: one person's (follow_up_assigned_open_idx) or the whole site's
 * (follow_up_site_open_idx).
 */
export async function listOpenFollowUps(
  db: Executor,
  filter: { siteId: string; assignedTo?: string },
  page: Page,
): Promise<Section<FollowUpItem>> {
  let query = db
    .selectFrom('follow_up')
    .innerJoin('person', 'person.id', 'follow_up.person_id')
    .innerJoin('staff_user', 'staff_user.id', 'follow_up.assigned_to')
    .where('follow_up.site_id', '=', filter.siteId)
    .where('follow_up.status', '=', 'open')
  if (filter.assignedTo !== undefined) query = query.where('follow_up.assigned_to', '=', filter.assignedTo)
  const rows = await query
    .select([
      'follow_up.id',
      'follow_up.person_id',
      'follow_up.appointment_id',
      'follow_up.kind',
      'follow_up.reason',
      'follow_up.due_date',
      'follow_up.assigned_to',
      'staff_user.display_name',
      'person.given_name',
      'person.family_name',
      'person.crn',
    ])
    .select((eb) => eb.fn.countAll<number>().over().as('total'))
    .orderBy('follow_up.due_date')
    .orderBy('follow_up.created_at')
    .orderBy('follow_up.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
  return paged(
    rows,
    page,
    () => countOf(query.select('follow_up.id')),
    (r) => ({
      id: r.id,
      person: personOf(r),
      appointmentId: r.appointment_id,
      kind: r.kind,
      reason: r.reason,
      dueDate: r.due_date,
      assignedTo: { id: r.assigned_to, name: r.display_name },
    }),
  )
}

/**
 * People at the site whose latest GP registration status is in progress, longest in progress first.
 * "Mine": the person's probation practitioner, or whoever recorded the latest status.
 */
export async function listGpRegistrationsInProgress(
  db: Executor,
  filter: { siteId: string; staffId?: string },
  page: Page,
): Promise<Section<GpRegistrationItem>> {
  // Starts from the current in-progress rows (gp_registration_current_in_progress_idx, 0020): a row is current
  // until a later one is recorded for the person (by recorded time then id, kept by a trigger), so this is each
  // person's latest status without looking at their history.
  let query = db
    .selectFrom('gp_registration as latest')
    .innerJoin('person', 'person.id', 'latest.person_id')
    .where('latest.status', '=', 'in-progress')
    .where('latest.superseded', '=', false)
    .where('person.site_id', '=', filter.siteId)
  const staffId = filter.staffId
  if (staffId !== undefined) {
    // Each half from its own index (the recorder's, and the practitioner's people), so "mine" never reads the
    // whole site's in-progress rows.
    query = query.where('latest.id', 'in', (eb) =>
      eb
        .selectFrom('gp_registration as mine')
        .select('mine.id')
        .where('mine.recorded_by', '=', staffId)
        .where('mine.status', '=', 'in-progress')
        .where('mine.superseded', '=', false)
        .unionAll(
          eb
            .selectFrom('gp_registration as theirs')
            .innerJoin('person as practitioners', 'practitioners.id', 'theirs.person_id')
            .select('theirs.id')
            .where('practitioners.probation_practitioner_id', '=', staffId)
            .where('theirs.status', '=', 'in-progress')
            .where('theirs.superseded', '=', false),
        ),
    )
  }
  const rows = await query
    .select([
      'person.id as person_id',
      'person.given_name',
      'person.family_name',
      'person.crn',
      'latest.status_date',
      'latest.help_given',
    ])
    .select((eb) => eb.fn.countAll<number>().over().as('total'))
    .orderBy('latest.status_date')
    .orderBy('person.family_name')
    .orderBy('person.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
  return paged(
    rows,
    page,
    () => countOf(query.select('person.id')),
    (r) => ({ person: personOf(r), statusDate: r.status_date, helpGiven: r.help_given }),
  )
}

export interface FollowUp {
  id: string
  person: PersonRef
  siteId: string
  appointmentId: string | null
  kind: string
  reason: string
  dueDate: string
  assignedTo: { id: string; name: string }
  status: 'open' | 'done'
  doneAt: Date | null
  doneBy: { id: string; name: string } | null
  note: string | null
}

export async function findFollowUp(db: Executor, id: string): Promise<FollowUp | undefined> {
  const row = await db
    .selectFrom('follow_up')
    .innerJoin('person', 'person.id', 'follow_up.person_id')
    .innerJoin('staff_user as assignee', 'assignee.id', 'follow_up.assigned_to')
    .leftJoin('staff_user as doer', 'doer.id', 'follow_up.done_by')
    .select([
      'follow_up.id',
      'follow_up.person_id',
      'follow_up.site_id',
      'follow_up.appointment_id',
      'follow_up.kind',
      'follow_up.reason',
      'follow_up.due_date',
      'follow_up.assigned_to',
      'follow_up.status',
      'follow_up.done_at',
      'follow_up.done_by',
      'follow_up.note',
      'assignee.display_name as assignee_name',
      'doer.display_name as doer_name',
      'person.given_name',
      'person.family_name',
      'person.crn',
    ])
    .where('follow_up.id', '=', id)
    .executeTakeFirst()
  if (row === undefined) return undefined
  return {
    id: row.id,
    person: personOf(row),
    siteId: row.site_id,
    appointmentId: row.appointment_id,
    kind: row.kind,
    reason: row.reason,
    dueDate: row.due_date,
    assignedTo: { id: row.assigned_to, name: row.assignee_name },
    status: row.status,
    doneAt: row.done_at,
    doneBy: row.done_by === null ? null : { id: row.done_by, name: row.doer_name ?? 'a former member of staff' },
    note: row.note,
  }
}

/**
 * The site of the staff member's appointment nearest to `now` among their sites: the next one within `ahead`, or
 * else the latest before now. Where they work today, for a user who belongs to several sites. Two index probes.
 */
export async function siteOfNearestAppointment(
  db: Executor,
  staffId: string,
  siteIds: readonly string[],
  now: Date,
  ahead: Date,
): Promise<string | undefined> {
  if (siteIds.length === 0) return undefined
  const mineAt = (query: SelectQueryBuilder<DB, 'appointment', object>) =>
    query
      .where((eb) => eb.or([eb('clinician_id', '=', staffId), eb('practitioner_id', '=', staffId)]))
      .where('site_id', 'in', [...siteIds])
      .where('status', '<>', 'cancelled')
  const next = await mineAt(db.selectFrom('appointment'))
    .select('site_id')
    .where('starts_at', '>=', now)
    .where('starts_at', '<', ahead)
    .orderBy('starts_at')
    .limit(1)
    .executeTakeFirst()
  if (next !== undefined) return next.site_id
  const last = await mineAt(db.selectFrom('appointment'))
    .select('site_id')
    .where('starts_at', '<', now)
    .orderBy('starts_at', 'desc')
    .limit(1)
    .executeTakeFirst()
  return last?.site_id
}
