import type { Generated, Selectable } from 'kysely'
import type { CalendarDate, CreatedAt, UpdatedAt } from '../../platform/db/schema.ts'

export interface PersonTable {
  id: Generated<string>
  site_id: string
  crn: string
  nhs_number: string | null
  given_name: string
  family_name: string
  preferred_name: string | null
  date_of_birth: CalendarDate
  sex: string | null
  stated_gender: string | null
  gender_same_as_birth: string | null
  ethnic_category: string | null
  disability: string | null
  neurodivergence: string | null
  interpreter_needed: Generated<boolean>
  language: string | null
  reading_support: Generated<boolean>
  communication_notes: string | null
  phone: string | null
  email: string | null
  no_fixed_abode: Generated<boolean>
  address_line1: string | null
  address_line2: string | null
  town: string | null
  postcode: string | null
  supervision_type: string | null
  supervision_start: CalendarDate | null
  supervision_end: CalendarDate | null
  probation_practitioner_id: string | null
  prison_number: string | null
  release_date: CalendarDate | null
  version: Generated<number>
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export type PersonRow = Selectable<PersonTable>

declare module '../../platform/db/schema.ts' {
  interface DB {
    person: PersonTable
  }
}
