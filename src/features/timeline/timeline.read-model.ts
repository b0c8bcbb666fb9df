/**
 * The timeline's reads of other features' tables: consent decisions, GP registration statuses and screening events,
 * each a history of rows the owning feature appends. Clinical roles only (the service checks before calling).
 */
import type { Executor } from '../../platform/db/executor.ts'

export interface ConsentEvent {
  topic: string
  organisationName: string | null
  decision: string
  decidedOn: string
  recordedAt: Date
}

export interface GpRegistrationEvent {
  status: string
  practiceName: string | null
  statusDate: string
  recordedAt: Date
}

export interface ScreeningTimelineEvent {
  id: string
  programme: string
  state: string
  eventDate: string
  recordedAt: Date
  enteredInError: boolean
}

const dateOf = (value: string | Date): string =>
  typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10)

export async function consentEventsOf(executor: Executor, personId: string): Promise<ConsentEvent[]> {
  const rows = await executor
    .selectFrom('consent_decision')
    .leftJoin('organisation', 'organisation.id', 'consent_decision.organisation_id')
    .select([
      'consent_decision.topic',
      'organisation.name as organisation_name',
      'consent_decision.decision',
      'consent_decision.decided_on',
      'consent_decision.recorded_at',
    ])
    .where('consent_decision.person_id', '=', personId)
    .orderBy('consent_decision.id')
    .execute()
  return rows.map((r) => ({
    topic: r.topic,
    organisationName: r.organisation_name,
    decision: r.decision,
    decidedOn: dateOf(r.decided_on),
    recordedAt: new Date(r.recorded_at),
  }))
}

export async function gpRegistrationEventsOf(executor: Executor, personId: string): Promise<GpRegistrationEvent[]> {
  const rows = await executor
    .selectFrom('gp_registration')
    .select(['status', 'practice_name', 'status_date', 'recorded_at'])
    .where('person_id', '=', personId)
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    status: r.status,
    practiceName: r.practice_name,
    statusDate: dateOf(r.status_date),
    recordedAt: new Date(r.recorded_at),
  }))
}

export async function screeningEventsOf(executor: Executor, personId: string): Promise<ScreeningTimelineEvent[]> {
  const rows = await executor
    .selectFrom('screening_event')
    .select(['id', 'programme', 'state', 'event_date', 'recorded_at', 'entered_in_error_at'])
    .where('person_id', '=', personId)
    .orderBy('recorded_at')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    programme: r.programme,
    state: r.state,
    eventDate: dateOf(r.event_date),
    recordedAt: new Date(r.recorded_at),
    enteredInError: r.entered_in_error_at !== null,
  }))
}
