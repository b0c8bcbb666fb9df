import type { Generated, Selectable } from 'kysely'
import type { Timestamp, CreatedAt, UpdatedAt } from '../../platform/db/schema.ts'
import type { StaffRole } from '../../platform/http/roles.ts'

export interface StaffUserTable {
  id: Generated<string>
  email: string
  display_name: string
  role: StaffRole
  organisation_id: string | null
  password_hash: string | null
  status: Generated<'active' | 'disabled'>
  is_demo: Generated<boolean>
  failed_sign_ins: Generated<number>
  locked_until: Timestamp | null
  last_sign_in_at: Timestamp | null
  /** 0015: set when an administrator sets the password; cleared when the owner chooses their own. */
  must_change_password: Generated<boolean>
  password_changed_at: Timestamp | null
  version: Generated<number>
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface StaffSiteTable {
  staff_user_id: string
  site_id: string
}

export interface SessionTable {
  id_hash: string
  staff_user_id: string
  created_at: Timestamp
  last_seen_at: Timestamp
  expires_at: Timestamp
}

export interface ApiTokenTable {
  id: Generated<string>
  staff_user_id: string
  token_hash: string
  label: Generated<string>
  created_at: CreatedAt
  last_used_at: Timestamp | null
  revoked_at: Timestamp | null
}

export type StaffUserRow = Selectable<StaffUserTable>

declare module '../../platform/db/schema.ts' {
  interface DB {
    staff_user: StaffUserTable
    staff_site: StaffSiteTable
    session: SessionTable
    api_token: ApiTokenTable
  }
}
