import type { Generated } from 'kysely'
import type { Timestamp, CalendarDate } from '../../platform/db/schema.ts'

/** Programmes that can be recorded: prostate is informed choice, never a screening event. */
export const screeningEventProgrammes = ['cervical', 'breast', 'bowel', 'aaa', 'lung'] as const

export type ScreeningEventProgramme = (typeof screeningEventProgrammes)[number]

export const screeningEventStates = ['invited', 'booked', 'attended', 'result-recorded', 'declined'] as const

export type ScreeningEventStateCode = (typeof screeningEventStates)[number]

export interface ScreeningEventTable {
  id: Generated<string>
  person_id: string
  programme: ScreeningEventProgramme
  state: ScreeningEventStateCode
  /** When it happened; for a result, the date of the test itself. */
  event_date: CalendarDate
  /** The eligibility module's result code for the programme; only (and always) with result-recorded. */
  result: string | null
  /** Cervical only (not null there). */
  self_sample: boolean | null
  note: string | null
  recorded_by: string
  recorded_at: Timestamp
  entered_in_error_at: Timestamp | null
  entered_in_error_by: string | null
  entered_in_error_reason: string | null
}

declare module '../../platform/db/schema.ts' {
  interface DB {
    screening_event: ScreeningEventTable
  }
}
