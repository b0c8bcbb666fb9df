import type { Generated } from 'kysely'
import type { CreatedAt, UpdatedAt } from '../../platform/db/schema.ts'

export const serviceKinds = [
  'gp-practice',
  'talking-therapies',
  'community-mental-health',
  'drug-alcohol',
  'stop-smoking',
  'screening',
  'sexual-health',
  'dentistry',
  'community-pharmacy',
  'liaison-diversion',
  'housing',
  'voluntary-sector',
  'care-after-custody',
  'other',
] as const

export type ServiceKind = (typeof serviceKinds)[number]

export interface ServiceTable {
  id: Generated<string>
  site_id: string
  kind: ServiceKind
  name: string
  ods_code: string | null
  organisation_id: string | null
  address: string | null
  phone: string | null
  email: string | null
  website: string | null
  referral_method: string | null
  notes: string | null
  active: Generated<boolean>
  version: Generated<number>
  created_at: CreatedAt
  updated_at: UpdatedAt
}

declare module '../../platform/db/schema.ts' {
  interface DB {
    service: ServiceTable
  }
}
