/**
 * Custody episodes: a person's time in prison and their release, with the RECONNECT window worked out from it. Who
 * may read: anyone who may see the person's record (the details are probation's own, not health data). Who may
 * record: clinicians, hub managers and probation practitioners. Every read and write is audited; every write keeps
 * the episode as it stood.
 */
import type { Kysely, Transaction } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import type { DB } from '../../platform/db/schema.ts'
import type { Executor } from '../../platform/db/executor.ts'
import type { ActorContext, AuditService } from '../../platform/audit/audit.service.ts'
import { isUuid } from '../../platform/forms/forms.ts'
import { hasRole, personRecordRoles, principalOf, type Channel, type Principal } from '../../platform/http/auth.ts'
import { DomainError, ForbiddenError, NotFoundError } from '../../platform/http/errors.ts'
import type { StaffRole } from '../../platform/http/roles.ts'
import { ukToday } from '../../platform/time/uk-time.ts'
import type { PersonRecord, PersonRecords } from '../people/index.ts'
import { messages, referralRefusal as refusalFor } from './custody.messages.ts'
import * as repo from './custody.repository.ts'
import * as plans from './release-plan.repository.ts'
import { checkEpisode, type EpisodeDraft } from './custody.validation.ts'
import { releaseWindow, type ReleaseWindow } from './custody.window.ts'

export type { Episode, HistoryEntry } from './custody.repository.ts'
export type { EpisodeDraft } from './custody.validation.ts'

export const custodyReaderRoles = personRecordRoles
export const custodyRecorderRoles = [
  'clinician',
  'hub_manager',
  'probation_practitioner',
] as const satisfies readonly StaffRole[]

export interface EpisodeView extends repo.Episode {
  window: ReleaseWindow
  etag: string
}

export interface CustodyState {
  person: PersonRecord
  episodes: EpisodeView[]
  /** The episode with no release recorded yet, if any: only one may be open at a time. */
  openEpisode: EpisodeView | undefined
  canRecord: boolean
  today: string
}

export interface EpisodeState {
  person: PersonRecord
  episode: EpisodeView
  history: repo.HistoryEntry[]
  canRecord: boolean
  today: string
}

export type UpdateResult = { ok: true; state: EpisodeState; changed: boolean } | { ok: false; state: EpisodeState }

export const episodeEtag = (version: number) => `W/"${version}"`

/** An episode as a draft, so a change to some of its fields is checked by the same rules as a new one. */
export function draftOf(episode: repo.Episode): EpisodeDraft {
  return {
    prisonName: episode.prisonName,
    prisonCode: episode.prisonCode,
    prisonNumber: episode.prisonNumber,
    expectedReleaseDate: episode.expectedReleaseDate,
    actualReleaseDate: episode.actualReleaseDate,
    releaseType: episode.releaseType,
    releaseAddress: episode.releaseAddress,
    noFixedAbode: episode.noFixedAbode,
    recalledOn: episode.recalledOn,
  }
}

const fields: readonly (keyof EpisodeDraft)[] = [
  'prisonName',
  'prisonCode',
  'prisonNumber',
  'expectedReleaseDate',
  'actualReleaseDate',
  'releaseType',
  'releaseAddress',
  'noFixedAbode',
  'recalledOn',
]

export type CustodyService = ReturnType<typeof createCustodyService>

export function createCustodyService(deps: {
  db: Kysely<DB>
  clock: Clock
  audit: AuditService
  people: PersonRecords
}) {
  const { db, clock, audit, people } = deps
  const today = () => ukToday(clock)

  function assertRecorder(principal: Principal): void {
    if (!hasRole(principal, custodyRecorderRoles)) throw new ForbiddenError(messages.notRecorder)
  }

  const withWindow = (episode: repo.Episode, on: string): EpisodeView => ({
    ...episode,
    window: releaseWindow(episode, on),
    etag: episodeEtag(episode.version),
  })

  async function audited(
    tx: Transaction<DB>,
    actor: ActorContext,
    action: 'view' | 'create' | 'update',
    person: PersonRecord,
    episodeId: string | null,
    details: Record<string, unknown>,
  ) {
    await audit.record(tx, actor, {
      action,
      entityType: 'custody_episode',
      entityId: episodeId,
      personId: person.id,
      siteId: person.siteId,
      details,
    })
  }

  async function readState(tx: Transaction<DB>, person: PersonRecord, principal: Principal): Promise<CustodyState> {
    const on = today()
    const episodes = (await repo.listForPerson(tx, person.id)).map((e) => withWindow(e, on))
    return {
      person,
      episodes,
      openEpisode: episodes.find((e) => e.actualReleaseDate === null),
      canRecord: hasRole(principal, custodyRecorderRoles),
      today: on,
    }
  }

  /** The episode and the person it belongs to, if the principal may see them: unknown is 404, another site 403. */
  async function loadEpisode(tx: Transaction<DB>, id: string, principal: Principal, lock = false) {
    const found = isUuid(id) ? await repo.find(tx, id) : undefined
    if (found === undefined) throw new NotFoundError(messages.notFound)
    const person = await people.loadRecord(tx, found.personId, principal)
    if (!lock) return { person, episode: found }
    await people.lockRecord(tx, person.id, 'write')
    const locked = await repo.find(tx, id, { lock: true })
    if (locked === undefined) throw new NotFoundError(messages.notFound)
    return { person, episode: locked }
  }

  async function episodeState(
    tx: Transaction<DB>,
    person: PersonRecord,
    episode: repo.Episode,
    principal: Principal,
  ): Promise<EpisodeState> {
    const on = today()
    return {
      person,
      episode: withWindow(episode, on),
      history: await repo.listHistory(tx, episode.id),
      canRecord: hasRole(principal, custodyRecorderRoles),
      today: on,
    }
  }

  /** Refuses a second episode with no release while one is open. */
  async function assertNoOtherOpen(tx: Transaction<DB>, personId: string, exceptId: string | undefined) {
    const open = (await repo.listForPerson(tx, personId)).find((e) => e.actualReleaseDate === null && e.id !== exceptId)
    if (open !== undefined) {
      throw new DomainError('open-episode', [
        { field: 'actualReleaseDate', message: messages.openEpisode(open.prisonName) },
      ])
    }
  }

  /** A person's episodes with their windows; audited as a read of their record. */
  async function listEpisodes(personId: string, actor: ActorContext, channel: Channel): Promise<CustodyState> {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx) => {
      const person = await people.loadRecord(tx, personId, principal)
      const state = await readState(tx, person, principal)
      await audited(tx, actor, 'view', person, null, { channel, purpose: 'list', episodes: state.episodes.length })
      return state
    })
  }

  /** The person, for the "add an episode" form. */
  async function personForForm(personId: string, actor: ActorContext): Promise<CustodyState> {
    const principal = principalOf(actor)
    assertRecorder(principal)
    return db.transaction().execute(async (tx) => {
      const person = await people.loadRecord(tx, personId, principal)
      const state = await readState(tx, person, principal)
      await audited(tx, actor, 'view', person, null, { channel: 'page', purpose: 'add-form' })
      return state
    })
  }

  /** One episode with its window and every earlier version. */
  async function viewEpisode(
    episodeId: string,
    actor: ActorContext,
    channel: Channel,
    purpose: 'view' | 'edit-form' = 'view',
  ): Promise<EpisodeState> {
    const principal = principalOf(actor)
    if (purpose === 'edit-form') assertRecorder(principal)
    return db.transaction().execute(async (tx) => {
      const { person, episode } = await loadEpisode(tx, episodeId, principal)
      await audited(tx, actor, 'view', person, episode.id, { channel, purpose })
      return episodeState(tx, person, episode, principal)
    })
  }

  async function addEpisode(
    personId: string,
    draft: EpisodeDraft,
    actor: ActorContext,
    channel: Channel,
  ): Promise<EpisodeState> {
    const principal = principalOf(actor)
    assertRecorder(principal)
    const input = checkEpisode(draft, today())
    return db.transaction().execute(async (tx) => {
      const person = await people.loadRecord(tx, personId, principal)
      await people.lockRecord(tx, person.id, 'write')
      if (input.actualReleaseDate === null) await assertNoOtherOpen(tx, person.id, undefined)
      const now = clock.now()
      const episode = await repo.insert(tx, person.id, input, principal.userId, now)
      await repo.addHistory(tx, episode, principal.userId, now)
      // Every episode has its release plan from the start, so nothing to be in place on the day is forgotten.
      await plans.createPlan(tx, episode, principal.userId, now)
      await audited(tx, actor, 'create', person, episode.id, {
        channel,
        released: input.actualReleaseDate !== null,
        releaseType: input.releaseType,
      })
      return episodeState(tx, person, episode, principal)
    })
  }

  /**
   * Changes an episode if it is still at `expectedVersion`. `change` turns the episode as saved into the draft to
   * check (a whole form, or a merge patch); the same values as saved write nothing, so a retry adds no version.
   */
  async function updateEpisode(
    episodeId: string,
    expectedVersion: number,
    change: (current: repo.Episode) => EpisodeDraft,
    actor: ActorContext,
    channel: Channel,
  ): Promise<UpdateResult> {
    const principal = principalOf(actor)
    assertRecorder(principal)
    return db.transaction().execute(async (tx): Promise<UpdateResult> => {
      const { person, episode } = await loadEpisode(tx, episodeId, principal, true)
      if (episode.version !== expectedVersion) {
        await audited(tx, actor, 'view', person, episode.id, { channel, purpose: 'update-conflict' })
        return { ok: false, state: await episodeState(tx, person, episode, principal) }
      }
      const input = checkEpisode(change(episode), today())
      const before = draftOf(episode)
      const changed = fields.filter((f) => before[f] !== input[f])
      if (changed.length === 0) {
        await audited(tx, actor, 'view', person, episode.id, { channel, purpose: 'update-no-change' })
        return { ok: true, changed: false, state: await episodeState(tx, person, episode, principal) }
      }
      if (input.actualReleaseDate === null) await assertNoOtherOpen(tx, person.id, episode.id)
      const now = clock.now()
      const updated = await repo.update(tx, episode.id, episode.version, input, principal.userId, now)
      if (updated === undefined) throw new Error('The custody episode changed while locked')
      await repo.addHistory(tx, updated, principal.userId, now)
      await audited(tx, actor, 'update', person, episode.id, { channel, fields: changed, version: updated.version })
      return { ok: true, changed: true, state: await episodeState(tx, person, updated, principal) }
    })
  }

  /**
   * Why a care after custody (RECONNECT) referral for the person cannot be made on `on`, in words for the user, or
   * undefined when it can: their latest episode's window decides (hazard log H-1001).
   */
  async function referralRefusal(executor: Executor, personId: string, on: string): Promise<string | undefined> {
    const [latest] = await repo.listForPerson(executor, personId)
    return refusalFor(latest === undefined ? undefined : releaseWindow(latest, on), latest?.recalledOn ?? null)
  }

  return { today, listEpisodes, personForForm, viewEpisode, addEpisode, updateEpisode, referralRefusal }
}
