import { sql, type Transaction } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import type { NeedCategory, NeedStatus } from './needs.tables.ts'

/** Holds the need's row until the transaction ends (FOR UPDATE also waits for, and blocks, referrals made on it). */
export async function lockNeed(tx: Transaction<DB>, id: string): Promise<void> {
  await tx.selectFrom('need').select('id').where('id', '=', id).forUpdate().executeTakeFirst()
}

/**
 * Holds the person's needs for proposing until the transaction ends: two checks completed at once for one person
 * each see the other's proposals, so neither proposes a category the other just did.
 */
export async function lockPersonForProposals(tx: Transaction<DB>, personId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`need-proposals:${personId}`}, 0))`.execute(tx)
}

/** The categories of the person's open needs: proposed and awaiting a decision, or confirmed (not dismissed). */
export async function openCategoriesOf(tx: Transaction<DB>, personId: string): Promise<Set<NeedCategory>> {
  const rows = await tx
    .selectFrom('need')
    .select('category')
    .distinct()
    .where('person_id', '=', personId)
    .where('status', 'in', ['proposed', 'confirmed'])
    .execute()
  return new Set(rows.map((r) => r.category))
}

export async function insertNeedOnce(
  tx: Transaction<DB>,
  need: { personId: string; siteId: string; checkId: string; category: NeedCategory; because: string; on: string },
): Promise<string | undefined> {
  const row = await tx
    .insertInto('need')
    .values({
      person_id: need.personId,
      site_id: need.siteId,
      check_id: need.checkId,
      category: need.category,
      proposed_because: need.because.slice(0, 1000),
      identified_on: need.on,
    })
    .onConflict((oc) => oc.columns(['check_id', 'category']).where('check_id', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst()
  return row?.id
}

/** A need a clinician records directly (not found by a check): confirmed at once, by them. */
export async function insertDirectNeed(
  tx: Transaction<DB>,
  need: { personId: string; siteId: string; category: NeedCategory; why: string; on: string; by: string; at: Date },
): Promise<string> {
  const row = await tx
    .insertInto('need')
    .values({
      person_id: need.personId,
      site_id: need.siteId,
      check_id: null,
      category: need.category,
      status: 'confirmed',
      proposed_because: need.why,
      decided_by: need.by,
      decided_at: need.at,
      recorded_by: need.by,
      identified_on: need.on,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/**
 * Moves a need from `from` to `to` if it is still there at `version` (a concurrent decision leaves it unchanged);
 * returns whether it moved. Back to proposed clears who decided and when, as a proposal is undecided.
 */
export async function decideNeed(
  tx: Transaction<DB>,
  id: string,
  decision: { from: NeedStatus; to: NeedStatus; version: number; reason: string | null; by: string; at: Date },
): Promise<boolean> {
  const undecided = decision.to === 'proposed'
  const result = await tx
    .updateTable('need')
    .set((eb) => ({
      status: decision.to,
      reason: decision.reason,
      decided_by: undecided ? null : decision.by,
      decided_at: undecided ? null : decision.at,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .where('status', '=', decision.from)
    .where('version', '=', decision.version)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

export async function insertNeedEvent(
  tx: Transaction<DB>,
  event: { needId: string; from: NeedStatus | null; to: NeedStatus; reason: string | null; by: string; at: Date },
): Promise<void> {
  await tx
    .insertInto('need_event')
    .values({
      need_id: event.needId,
      from_status: event.from,
      to_status: event.to,
      reason: event.reason,
      actor_id: event.by,
      recorded_at: event.at,
    })
    .execute()
}
