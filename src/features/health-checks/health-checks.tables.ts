import type { Generated } from 'kysely'
import type { Timestamp, UpdatedAt, Numeric, Json } from '../../platform/db/schema.ts'

export const healthCheckStatuses = ['in-progress', 'completed'] as const

export type HealthCheckStatus = (typeof healthCheckStatuses)[number]

export const observationStatuses = ['measured', 'not-measured', 'prefer-not-to-say'] as const

export type ObservationStatus = (typeof observationStatuses)[number]

export const smokingStatuses = ['current', 'ex', 'never', 'prefer-not-to-say'] as const

export type SmokingStatus = (typeof smokingStatuses)[number]

export const warningFlagStatuses = ['awaiting-response', 'responded'] as const

export type WarningFlagStatus = (typeof warningFlagStatuses)[number]

export interface HealthCheckTable {
  id: Generated<string>
  person_id: string
  site_id: string
  appointment_id: string | null
  clinician_id: string
  status: Generated<HealthCheckStatus>
  started_at: Timestamp
  completed_at: Timestamp | null
  version: Generated<number>
  updated_at: UpdatedAt
}

export interface HealthCheckResponseTable {
  check_id: string
  instrument_code: string
  instrument_version: string
  answers: Json<Record<string, string>>
  applicable: boolean
  complete: boolean
  score: number | null
  partial_score: number | null
  band_code: string | null
  band_label: string | null
  positive: boolean | null
  missing_items: Json<string[]>
  prefer_not_to_say: Json<string[]>
  saved_at: Timestamp
  saved_by: string
}

export interface HealthCheckObservationTable {
  check_id: string
  blood_pressure_status: ObservationStatus
  systolic: number | null
  diastolic: number | null
  height_status: ObservationStatus
  height_cm: Numeric | null
  weight_status: ObservationStatus
  weight_kg: Numeric | null
  bmi: Numeric | null
  smoking_status: SmokingStatus | null
  recorded_at: Timestamp
  recorded_by: string
}

export interface WarningFlagTable {
  id: Generated<string>
  person_id: string
  site_id: string
  check_id: string
  instrument_code: string
  item_code: string
  code: string
  message: string
  raised_at: Timestamp
  respond_by: Timestamp
  status: Generated<WarningFlagStatus>
  response_text: string | null
  responded_by: string | null
  responded_at: Timestamp | null
}

declare module '../../platform/db/schema.ts' {
  interface DB {
    health_check: HealthCheckTable
    health_check_response: HealthCheckResponseTable
    health_check_observation: HealthCheckObservationTable
    warning_flag: WarningFlagTable
  }
}
