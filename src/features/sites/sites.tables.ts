import type { Generated, Selectable } from 'kysely'
import type { CreatedAt } from '../../platform/db/schema.ts'

export interface SiteTable {
  id: Generated<string>
  code: string
  name: string
  region: Generated<string>
  address_line1: string | null
  address_line2: string | null
  town: string | null
  postcode: string | null
  phone: string | null
  created_at: CreatedAt
}

export interface OrganisationTable {
  id: Generated<string>
  code: string
  name: string
  created_at: CreatedAt
}

export type SiteRow = Selectable<SiteTable>

declare module '../../platform/db/schema.ts' {
  interface DB {
    site: SiteTable
    organisation: OrganisationTable
  }
}
