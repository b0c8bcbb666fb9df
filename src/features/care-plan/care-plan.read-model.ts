/**
 * What the care plan reads of other features' records, in one place: the person's own needs, referrals, GP
 * registration statuses, screening events and appointments, to check that a link or a review's appointment is the
 * person's, and to name them for the health team.
 */
import type { Executor } from '../../platform/db/executor.ts'
import type { LinkKind } from './care-plan.tables.ts'

export interface LinkOption {
  kind: LinkKind
  id: string
  /** Raw parts the view models turn into words: a category, a service, a status, a date. */
  parts: { what: string; status: string; date: string | null }
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The person's records an action may be linked to (not dismissed needs, not drafts). */
export async function linkOptions(db: Executor, personId: string): Promise<LinkOption[]> {
  const needs = await db
    .selectFrom('need')
    .select(['id', 'category', 'status', 'identified_on'])
    .where('person_id', '=', personId)
    .where('status', '<>', 'dismissed')
    .orderBy('identified_on', 'desc')
    .execute()
  const referrals = await db
    .selectFrom('referral as r')
    .innerJoin('service as s', 's.id', 'r.service_id')
    .select(['r.id', 's.name', 'r.status', 'r.sent_on'])
    .where('r.person_id', '=', personId)
    .orderBy('r.created_at', 'desc')
    .execute()
  const gp = await db
    .selectFrom('gp_registration')
    .select(['id', 'status', 'status_date'])
    .where('person_id', '=', personId)
    .orderBy('id', 'desc')
    .execute()
  const screening = await db
    .selectFrom('screening_event')
    .select(['id', 'programme', 'state', 'event_date'])
    .where('person_id', '=', personId)
    .orderBy('event_date', 'desc')
    .execute()
  return [
    ...needs.map((n) => ({
      kind: 'need' as const,
      id: n.id,
      parts: { what: n.category, status: n.status, date: n.identified_on },
    })),
    ...referrals.map((r) => ({
      kind: 'referral' as const,
      id: r.id,
      parts: { what: r.name, status: r.status, date: r.sent_on },
    })),
    ...gp.map((g) => ({
      kind: 'gp-registration' as const,
      id: String(g.id),
      parts: { what: 'GP registration', status: g.status, date: g.status_date },
    })),
    ...screening.map((s) => ({
      kind: 'screening' as const,
      id: s.id,
      parts: { what: s.programme, status: s.state, date: s.event_date },
    })),
  ]
}

/** Whether the record of that kind and id is the person's (an unknown id is simply not theirs). */
export async function linkBelongsTo(db: Executor, personId: string, kind: LinkKind, id: string): Promise<boolean> {
  switch (kind) {
    case 'need':
      return (
        uuid.test(id) &&
        (await db
          .selectFrom('need')
          .select('id')
          .where('id', '=', id)
          .where('person_id', '=', personId)
          .executeTakeFirst()) !== undefined
      )
    case 'referral':
      return (
        uuid.test(id) &&
        (await db
          .selectFrom('referral')
          .select('id')
          .where('id', '=', id)
          .where('person_id', '=', personId)
          .executeTakeFirst()) !== undefined
      )
    case 'gp-registration':
      return (
        /^\d{1,15}$/.test(id) &&
        (await db
          .selectFrom('gp_registration')
          .select('id')
          .where('id', '=', Number(id))
          .where('person_id', '=', personId)
          .executeTakeFirst()) !== undefined
      )
    case 'screening':
      return (
        uuid.test(id) &&
        (await db
          .selectFrom('screening_event')
          .select('id')
          .where('id', '=', id)
          .where('person_id', '=', personId)
          .executeTakeFirst()) !== undefined
      )
  }
}

export interface AppointmentOption {
  id: string
  startsAt: Date
  status: string
}

/** The person's appointments a review may be recorded at: any that has started, newest first (the last 20). */
export async function reviewAppointments(db: Executor, personId: string, now: Date): Promise<AppointmentOption[]> {
  const rows = await db
    .selectFrom('appointment')
    .select(['id', 'starts_at', 'status'])
    .where('person_id', '=', personId)
    .where('status', '<>', 'cancelled')
    .where('starts_at', '<=', now)
    .orderBy('starts_at', 'desc')
    .limit(20)
    .execute()
  return rows.map((r) => ({ id: r.id, startsAt: r.starts_at, status: r.status }))
}

export async function appointmentBelongsTo(db: Executor, personId: string, id: string): Promise<boolean> {
  if (!uuid.test(id)) return false
  const row = await db
    .selectFrom('appointment')
    .select('id')
    .where('id', '=', id)
    .where('person_id', '=', personId)
    .executeTakeFirst()
  return row !== undefined
}
