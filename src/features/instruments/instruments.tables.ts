import type { Generated } from 'kysely'
import type { Timestamp } from '../../platform/db/schema.ts'

export interface InstrumentPermissionTable {
  id: Generated<string>
  instrument_code: string
  reference: string
  granted_by: string
  granted_at: Timestamp
  revoked_by: string | null
  revoked_at: Timestamp | null
}

declare module '../../platform/db/schema.ts' {
  interface DB {
    instrument_permission: InstrumentPermissionTable
  }
}
