import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'

export interface InstrumentPermission {
  instrumentCode: string
  reference: string
  grantedBy: string
  /** The granting staff user's name as it is now (staff_user is a reference table). */
  grantedByName: string
  grantedAt: Date
}

type Db = Kysely<DB> | Transaction<DB>

function toPermission(row: {
  instrument_code: string
  reference: string
  granted_by: string
  granted_by_name: string
  granted_at: Date
}): InstrumentPermission {
  return {
    instrumentCode: row.instrument_code,
    reference: row.reference,
    grantedBy: row.granted_by,
    grantedByName: row.granted_by_name,
    grantedAt: row.granted_at,
  }
}

function inForce(db: Db) {
  return db
    .selectFrom('instrument_permission as p')
    .innerJoin('staff_user as s', 's.id', 'p.granted_by')
    .select(['p.instrument_code', 'p.reference', 'p.granted_by', 'p.granted_at', 's.display_name as granted_by_name'])
    .where('p.revoked_at', 'is', null)
}

export function createInstrumentsRepository() {
  async function listInForce(db: Db): Promise<InstrumentPermission[]> {
    const rows = await inForce(db).execute()
    return rows.map(toPermission)
  }

  async function findInForce(db: Db, code: string): Promise<InstrumentPermission | undefined> {
    const row = await inForce(db).where('p.instrument_code', '=', code).executeTakeFirst()
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
