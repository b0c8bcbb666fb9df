import type { Executor } from '../../platform/db/executor.ts'
import type { EpisodeInput } from './custody.validation.ts'
import type { ReleaseType } from './custody.tables.ts'

export interface Episode {
  id: string
  personId: string
  prisonName: string
  prisonCode: string
  prisonNumber: string
  expectedReleaseDate: string | null
  actualReleaseDate: string | null
  releaseType: ReleaseType | null
  releaseAddress: string | null
  noFixedAbode: boolean
  recalledOn: string | null
  version: number
  createdAt: Date
  updatedAt: Date
}

export interface HistoryEntry {
  version: number
  snapshot: Record<string, unknown>
  actorId: string
  actorName: string | null
  recordedAt: Date
}

const columns = [
  'id',
  'person_id',
  'prison_name',
  'prison_code',
  'prison_number',
  'expected_release_date',
  'actual_release_date',
  'release_type',
  'release_address',
  'no_fixed_abode',
  'recalled_on',
  'version',
  'created_at',
  'updated_at',
] as const

type Row = {
  id: string
  person_id: string
  prison_name: string
  prison_code: string
  prison_number: string
  expected_release_date: string | null
  actual_release_date: string | null
  release_type: ReleaseType | null
  release_address: string | null
  no_fixed_abode: boolean
  recalled_on: string | null
  version: number
  created_at: Date
  updated_at: Date
}

function toEpisode(row: Row): Episode {
  return {
    id: row.id,
    personId: row.person_id,
    prisonName: row.prison_name,
    prisonCode: row.prison_code,
    prisonNumber: row.prison_number,
    expectedReleaseDate: row.expected_release_date,
    actualReleaseDate: row.actual_release_date,
    releaseType: row.release_type,
    releaseAddress: row.release_address,
    noFixedAbode: row.no_fixed_abode,
    recalledOn: row.recalled_on,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** A person's episodes, the latest release first (the one still open, with no release yet, at the top). */
export async function listForPerson(db: Executor, personId: string): Promise<Episode[]> {
  const rows = await db
    .selectFrom('custody_episode')
    .select(columns)
    .where('person_id', '=', personId)
    .orderBy((eb) => eb.fn.coalesce('actual_release_date', 'expected_release_date'), 'desc')
    .orderBy('created_at', 'desc')
    .execute()
  return rows.map(toEpisode)
}

export async function find(db: Executor, id: string, options: { lock?: boolean } = {}): Promise<Episode | undefined> {
  let query = db.selectFrom('custody_episode').select(columns).where('id', '=', id)
  if (options.lock === true) query = query.forUpdate()
  const row = await query.executeTakeFirst()
  return row === undefined ? undefined : toEpisode(row)
}

const values = (input: EpisodeInput) => ({
  prison_name: input.prisonName,
  prison_code: input.prisonCode,
  prison_number: input.prisonNumber,
  expected_release_date: input.expectedReleaseDate,
  actual_release_date: input.actualReleaseDate,
  release_type: input.releaseType,
  release_address: input.releaseAddress,
  no_fixed_abode: input.noFixedAbode,
  recalled_on: input.recalledOn,
})

export async function insert(
  db: Executor,
  personId: string,
  input: EpisodeInput,
  actorId: string,
  now: Date,
): Promise<Episode> {
  const row = await db
    .insertInto('custody_episode')
    .values({
      person_id: personId,
      ...values(input),
      created_by: actorId,
      created_at: now,
      updated_by: actorId,
      updated_at: now,
    })
    .returning(columns)
    .executeTakeFirstOrThrow()
  return toEpisode(row)
}

/** Writes the change if the episode is still at `version`; undefined if it has moved on. */
export async function update(
  db: Executor,
  id: string,
  version: number,
  input: EpisodeInput,
  actorId: string,
  now: Date,
): Promise<Episode | undefined> {
  const row = await db
    .updateTable('custody_episode')
    .set({ ...values(input), version: version + 1, updated_by: actorId, updated_at: now })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning(columns)
    .executeTakeFirst()
  return row === undefined ? undefined : toEpisode(row)
}

/** The episode as it now stands, kept so no version is lost. */
export async function addHistory(db: Executor, episode: Episode, actorId: string, now: Date): Promise<void> {
  const { id, version, personId: _person, createdAt: _created, updatedAt: _updated, ...snapshot } = episode
  await db
    .insertInto('custody_episode_history')
    .values({
      episode_id: id,
      version,
      snapshot: JSON.stringify(snapshot),
      actor_id: actorId,
      recorded_at: now,
    })
    .execute()
}

/** Every version of an episode, the newest first. */
export async function listHistory(db: Executor, episodeId: string): Promise<HistoryEntry[]> {
  const rows = await db
    .selectFrom('custody_episode_history as h')
    .leftJoin('staff_user as s', 's.id', 'h.actor_id')
    .select(['h.version', 'h.snapshot', 'h.actor_id', 'h.recorded_at', 's.display_name'])
    .where('h.episode_id', '=', episodeId)
    .orderBy('h.version', 'desc')
    .execute()
  return rows.map((r) => ({
    version: r.version,
    snapshot: r.snapshot,
    actorId: r.actor_id,
    actorName: r.display_name,
    recordedAt: r.recorded_at,
  }))
}
