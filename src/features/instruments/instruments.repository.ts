import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'

export interface InstrumentPermission {
  instrumentCode: string
  reference: string
  grantedBy: string
  grantedAt: Date
}

type Db = Kysely<DB> | Transaction<DB>

const columns = ['instrument_code', 'reference', 'granted_by', 'granted_at'] as const

function toPermission(row: {
  instrument_code: string
  reference: string
  granted_by: string
  granted_at: Date
}): InstrumentPermission {
  return {
    instrumentCode: row.instrument_code,
    reference: row.reference,
    grantedBy: row.granted_by,
    grantedAt: row.granted_at,
  }
}

export function createInstrumentsRepository() {
  async function listInForce(db: Db): Promise<InstrumentPermission[]> {
    const rows = await db.selectFrom('instrument_permission').select(columns).where('revoked_at', 'is', null).execute()
    return rows.map(toPermission)
  }

  async function findInForce(db: Db, code: string): Promise<InstrumentPermission | undefined> {
    const row = await db
      .selectFrom('instrument_permission')
      .select(columns)
      .where('instrument_code', '=', code)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    return row === undefined ? undefined : toPermission(row)
  }

  async function insert(tx: Transaction<DB>, permission: InstrumentPermission): Promise<void> {
    await tx
      .insertInto('instrument_permission')
      .values({
        instrument_code: permission.instrumentCode,
        reference: permission.reference,
        granted_by: permission.grantedBy,
        granted_at: permission.grantedAt,
      })
      .execute()
  }

  /** Ends the permission in force, if any; returns whether there was one. */
  async function revoke(tx: Transaction<DB>, code: string, by: string, at: Date): Promise<boolean> {
    const result = await tx
      .updateTable('instrument_permission')
      .set({ revoked_by: by, revoked_at: at })
      .where('instrument_code', '=', code)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    return result.numUpdatedRows > 0n
  }

  return { listInForce, findInForce, insert, revoke }
}
