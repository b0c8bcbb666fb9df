import type { Generated } from 'kysely'
import type { Timestamp, CalendarDate } from '../../platform/db/schema.ts'

export interface ConsentDecisionTable {
  id: Generated<number>
  person_id: string
  topic: string
  organisation_id: string | null
  decision: string
  decided_on: CalendarDate
  recorded_by: string
  recorded_at: Timestamp
  method: string
  note: string | null
}

declare module '../../platform/db/schema.ts' {
  interface DB {
    consent_decision: ConsentDecisionTable
  }
}
