import type { Generated } from 'kysely'
import type { CalendarDate, CreatedAt, Json, Timestamp, UpdatedAt } from '../../platform/db/schema.ts'

/** How a person leaves custody (the release types probation records). */
export const releaseTypes = [
  'licence',
  'end-of-sentence',
  'home-detention-curfew',
  'post-sentence-supervision',
  'remand',
] as const
export type ReleaseType = (typeof releaseTypes)[number]

export interface CustodyEpisodeTable {
  id: Generated<string>
  person_id: string
  /** The person's site, kept by triggers (migration 0030): set on insert, moved with the person. */
  site_id: Generated<string>
  prison_name: string
  /** The prison's three-letter code, e.g. LEI. */
  prison_code: string
  prison_number: string
  expected_release_date: CalendarDate | null
  actual_release_date: CalendarDate | null
  release_type: ReleaseType | null
  release_address: string | null
  no_fixed_abode: Generated<boolean>
  /** The day the person was recalled to custody: the episode's time in the community ended then. */
  recalled_on: CalendarDate | null
  version: Generated<number>
  created_by: string
  created_at: CreatedAt
  updated_by: string
  updated_at: UpdatedAt
}

export interface CustodyEpisodeHistoryTable {
  id: Generated<number>
  episode_id: string
  version: number
  /** The episode as it stood after this change. */
  snapshot: Json<Record<string, unknown>>
  actor_id: string
  recorded_at: Timestamp
}

declare module '../../platform/db/schema.ts' {
  interface DB {
    custody_episode: CustodyEpisodeTable
    custody_episode_history: CustodyEpisodeHistoryTable
  }
}
