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

/** 0019: a grant of access asked for by one person, for another to approve or refuse. */
export interface StaffAccessRequestTable {
  id: Generated<string>
  /** Insertion order: an account's newest request is the one with the highest. */
  seq: Generated<number>
  staff_user_id: string
  kind: AccessRequestKind
  /** The role when the change was asked for; null for a new account. */
  from_role: StaffRole | null
  role: StaffRole
  status: Generated<AccessRequestStatus>
  requested_by: string
  requested_at: Timestamp
  decided_by: string | null
  decided_at: Timestamp | null
  refusal_reason: string | null
}

/** The sites an access request asks for; `grants` marks those it adds. */
export interface StaffAccessRequestSiteTable {
  request_id: string
  site_id: string
  grants: boolean
}

/** 0023: `password-reset` asks for a new one-time password, shown to whoever approves it. */
export type AccessRequestKind = 'new-account' | 'change' | 'password-reset'
export type AccessRequestStatus = 'pending' | 'approved' | 'refused' | 'cancelled'

export type StaffUserRow = Selectable<StaffUserTable>

declare module '../../platform/db/schema.ts' {
  interface DB {
    staff_user: StaffUserTable
    staff_site: StaffSiteTable
    session: SessionTable
    api_token: ApiTokenTable
    staff_access_request: StaffAccessRequestTable
    staff_access_request_site: StaffAccessRequestSiteTable
  }
}
