import type { Executor } from '../../platform/db/executor.ts'
import { itemDefinitions } from './release-plan.rules.ts'
import {
  planItemKinds,
  type NaloxoneOutcome,
  type PlanItemKind,
  type PlanItemOwner,
  type PlanItemStatus,
} from './release-plan.tables.ts'

export interface PlanItem {
  id: string
  episodeId: string
  personId: string
  kind: PlanItemKind
  owner: PlanItemOwner
  organisationId: string | null
  status: PlanItemStatus
  notApplicableReason: string | null
  notes: string | null
  daysSupplied: number | null
  bridgingPrescription: boolean | null
  opioidSubstitution: boolean
  prescriberAppointmentOn: string | null
  naloxone: NaloxoneOutcome | null
  referralId: string | null
  version: number
  updatedAt: Date
}

/** What can be changed on an item. */
export type PlanItemChange = Pick<
  PlanItem,
  | 'owner'
  | 'organisationId'
  | 'status'
  | 'notApplicableReason'
  | 'notes'
  | 'daysSupplied'
  | 'bridgingPrescription'
  | 'opioidSubstitution'
  | 'prescriberAppointmentOn'
  | 'naloxone'
  | 'referralId'
>

const columns = [
  'id',
  'episode_id as episodeId',
  'person_id as personId',
  'kind',
  'owner',
  'organisation_id as organisationId',
  'status',
  'not_applicable_reason as notApplicableReason',
  'notes',
  'days_supplied as daysSupplied',
  'bridging_prescription as bridgingPrescription',
  'opioid_substitution as opioidSubstitution',
  'prescriber_appointment_on as prescriberAppointmentOn',
  'naloxone',
  'referral_id as referralId',
  'version',
  'updated_at as updatedAt',
] as const

const order = (kind: PlanItemKind) => planItemKinds.indexOf(kind)

/** Every item of the episode's plan, in checklist order. */
export async function itemsOf(db: Executor, episodeId: string): Promise<PlanItem[]> {
  const rows = await db.selectFrom('release_plan_item').select(columns).where('episode_id', '=', episodeId).execute()
  return rows.sort((a, b) => order(a.kind) - order(b.kind))
}

/** Items of several episodes at once (a worklist), by episode id. */
export async function itemsOfEpisodes(db: Executor, episodeIds: readonly string[]): Promise<Map<string, PlanItem[]>> {
  const byEpisode = new Map<string, PlanItem[]>()
  if (episodeIds.length === 0) return byEpisode
  const rows = await db
    .selectFrom('release_plan_item')
    .select(columns)
    .where('episode_id', 'in', [...new Set(episodeIds)])
    .execute()
  for (const row of rows.sort((a, b) => order(a.kind) - order(b.kind))) {
    const list = byEpisode.get(row.episodeId) ?? []
    list.push(row)
    byEpisode.set(row.episodeId, list)
  }
  return byEpisode
}

export async function find(db: Executor, id: string, options: { lock?: boolean } = {}): Promise<PlanItem | undefined> {
  let query = db.selectFrom('release_plan_item').select(columns).where('id', '=', id)
  if (options.lock === true) query = query.forUpdate()
  return query.executeTakeFirst()
}

/** A partner organisation's items on open plans of people who agreed to share with it: the partner's list. */
export async function itemsForOrganisation(db: Executor, organisationId: string): Promise<PlanItem[]> {
  return db
    .selectFrom('release_plan_item')
    .select(columns)
    .where('organisation_id', '=', organisationId)
    .orderBy('updated_at', 'desc')
    .limit(500)
    .execute()
}

/** The checklist for a new episode, every item to do with its usual owner; kept as each item's first version. */
export async function createPlan(
  db: Executor,
  episode: { id: string; personId: string },
  actorId: string,
  now: Date,
): Promise<void> {
  const rows = await db
    .insertInto('release_plan_item')
    .values(
      planItemKinds.map((kind) => ({
        episode_id: episode.id,
        person_id: episode.personId,
        kind,
        owner: itemDefinitions[kind].owner,
        updated_by: actorId,
        created_at: now,
        updated_at: now,
      })),
    )
    .returning(columns)
    .execute()
  for (const row of rows) await addHistory(db, row, actorId, now)
}

/** Writes the change if the item is still at `version`; undefined if it has moved on. */
export async function update(
  db: Executor,
  id: string,
  version: number,
  change: PlanItemChange,
  actorId: string,
  now: Date,
): Promise<PlanItem | undefined> {
  return db
    .updateTable('release_plan_item')
    .set({
      owner: change.owner,
      organisation_id: change.organisationId,
      status: change.status,
      not_applicable_reason: change.notApplicableReason,
      notes: change.notes,
      days_supplied: change.daysSupplied,
      bridging_prescription: change.bridgingPrescription,
      opioid_substitution: change.opioidSubstitution,
      prescriber_appointment_on: change.prescriberAppointmentOn,
      naloxone: change.naloxone,
      referral_id: change.referralId,
      version: version + 1,
      updated_by: actorId,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning(columns)
    .executeTakeFirst()
}

export async function addHistory(db: Executor, item: PlanItem, actorId: string, now: Date): Promise<void> {
  const { id, version, episodeId: _episode, personId: _person, updatedAt: _at, ...snapshot } = item
  await db
    .insertInto('release_plan_item_history')
    .values({ item_id: id, version, snapshot: JSON.stringify(snapshot), actor_id: actorId, recorded_at: now })
    .execute()
}

export async function historyOf(
  db: Executor,
  itemId: string,
): Promise<{ version: number; snapshot: Record<string, unknown>; actorName: string | null; recordedAt: Date }[]> {
  const rows = await db
    .selectFrom('release_plan_item_history as h')
    .leftJoin('staff_user as s', 's.id', 'h.actor_id')
    .select(['h.version', 'h.snapshot', 'h.recorded_at', 's.display_name'])
    .where('h.item_id', '=', itemId)
    .orderBy('h.version', 'desc')
    .execute()
  return rows.map((r) => ({
    version: r.version,
    snapshot: r.snapshot,
    actorName: r.display_name,
    recordedAt: r.recorded_at,
  }))
}
