import type { Kysely, Transaction } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import type { DB } from '../../platform/db/schema.ts'
import { hasRole, personRecordRoles, type Principal, principalOf, type Channel } from '../../platform/http/auth.ts'
import { DomainError, ForbiddenError } from '../../platform/http/errors.ts'
import type { ActorContext, AuditService } from '../../platform/audit/audit.service.ts'
import type { DirectoryService, ServicesService } from '../services/index.ts'
import { messages } from './gp-registration.messages.ts'
import * as read from './gp-registration.read-model.ts'
import * as repo from './gp-registration.repository.ts'
import type { GpRegistrationInput } from './gp-registration.validation.ts'
import { ukToday } from '../../platform/time/uk-time.ts'
import type { StaffRole } from '../../platform/http/roles.ts'
import type { PersonRecords } from '../people/index.ts'

export type { GpPerson, GpRegistrationRecord } from './gp-registration.repository.ts'

/** Who may record a status: the health team. */
export const gpRegistrationRecorderRoles = ['clinician', 'hub_manager'] as const satisfies readonly StaffRole[]
/**
 * Who may read it. Probation practitioners too: whether someone has a GP is part of the health picture they need
 * to support them, and it holds no answers or scores.
 */
export const gpRegistrationReaderRoles = personRecordRoles


export interface GpRegistrationState {
  person: repo.GpPerson
  /** The latest status recorded, or undefined before any. */
  current: repo.GpRegistrationRecord | undefined
  /** When the current run of "in progress" began (its earliest date), while registration is in progress. */
  inProgressSince: string | undefined
  history: repo.GpRegistrationRecord[]
  etag: string
}

export type RecordResult =
  | { ok: true; state: GpRegistrationState; recorded: boolean }
  | { ok: false; reason: 'stale'; state: GpRegistrationState }

/** The ETag of a person's GP registration: the newest row's time and id (rows are append-only), or 0 before any. */
export function gpRegistrationEtag(latest: { recorded_at: Date; id: number } | undefined): string {
  return latest === undefined ? 'W/"0"' : `W/"${latest.recorded_at.getTime()}-${latest.id}"`
}

/** The earliest date of the newest unbroken run of in-progress statuses, if the current status is in progress. */
export function inProgressSince(history: readonly repo.GpRegistrationRecord[]): string | undefined {
  let since: string | undefined
  for (const record of history) {
    if (record.status !== 'in-progress') break
    if (since === undefined || record.statusDate < since) since = record.statusDate
  }
  return since
}

function assertRecorder(principal: Principal): void {
  if (!hasRole(principal, gpRegistrationRecorderRoles)) throw new ForbiddenError(messages.notRecorder)
}


export type GpRegistrationService = ReturnType<typeof createGpRegistrationService>

export function createGpRegistrationService(deps: {
  db: Kysely<DB>
  clock: Clock
  audit: AuditService
  services: ServicesService
  people: PersonRecords
}) {
  const { db, clock, audit, services, people } = deps


  /** Loads a person the actor may see, inside the transaction. Unknown ids are 404, other sites 403. */
  async function loadVisible(tx: Transaction<DB>, id: string, principal: Principal): Promise<repo.GpPerson> {
    return people.loadRecord(tx, id, principal)
  }

  async function readState(tx: Transaction<DB>, person: repo.GpPerson): Promise<GpRegistrationState> {
    const history = await read.listHistory(tx, person.id)
    const latest = await repo.findLatestRow(tx, person.id)
    return {
      person,
      current: history[0],
      inProgressSince: inProgressSince(history),
      history,
      etag: gpRegistrationEtag(latest),
    }
  }

  /** A person's GP registration now and its history; audited as a read of their record. */
  async function viewRegistration(
    personId: string,
    actor: ActorContext,
    channel: Channel,
    purpose: 'view' | 'update-form' = 'view',
  ): Promise<GpRegistrationState & { practices: DirectoryService[] }> {
    const principal = principalOf(actor)
    if (purpose === 'update-form') assertRecorder(principal)
    return db.transaction().execute(async (tx) => {
      const person = await loadVisible(tx, personId, principal)
      const state = await readState(tx, person)
      const practices = purpose === 'update-form' ? await services.gpPracticesAt(tx, person.siteId) : []
      await audit.record(tx, actor, {
        action: 'view',
        entityType: 'gp_registration',
        entityId: person.id,
        personId: person.id,
        siteId: person.siteId,
        details: { channel, purpose },
      })
      return { ...state, practices }
    })
  }

  /**
   * The row to write. A directory practice must be a GP practice in the person's site's directory, available,
   * unless it is the practice already recorded (so a later status can still name a practice since withdrawn).
   */
  async function resolvePractice(
    tx: Transaction<DB>,
    person: repo.GpPerson,
    input: GpRegistrationInput,
    currentServiceId: string | null,
  ): Promise<repo.NewGpRegistration> {
    const base = {
      status: input.status,
      statusDate: input.statusDate,
      reason: input.reason,
      helpGiven: input.helpGiven,
    }
    const practice = input.practice
    switch (practice.kind) {
      case 'none':
        return { ...base, serviceId: null, practiceName: null, practiceOdsCode: null }
      case 'not-listed':
        return { ...base, serviceId: null, practiceName: practice.name, practiceOdsCode: practice.odsCode }
      case 'directory': {
        const entry = await services.findService(tx, practice.serviceId)
        const usable =
          entry !== undefined &&
          entry.kind === 'gp-practice' &&
          entry.siteId === person.siteId &&
          (entry.active || entry.id === currentServiceId)
        if (!usable) {
          throw new DomainError('unknown-practice', [{ field: 'serviceId', message: messages.practiceUnknown }])
        }
        return { ...base, serviceId: entry.id, practiceName: null, practiceOdsCode: null }
      }
    }
  }

  /**
   * Records a new status if the person's registration is still as it was at `expectedEtag`. The same status as
   * the current one (every field alike) records nothing, so a retried request adds no row. The person's row is
   * locked first, so two staff recording at once are checked one after the other.
   */
  async function recordStatus(
    personId: string,
    expectedEtag: string,
    input: GpRegistrationInput,
    actor: ActorContext,
    channel: Channel,
  ): Promise<RecordResult> {
    const principal = principalOf(actor)
    assertRecorder(principal)
    return db.transaction().execute(async (tx): Promise<RecordResult> => {
      const person = await loadVisible(tx, personId, principal)
      await people.lockRecord(tx, person.id, 'write')
      const latest = await repo.findLatestRow(tx, person.id)
      if (gpRegistrationEtag(latest) !== expectedEtag) {
        const state = await readState(tx, person)
        await audit.record(tx, actor, {
          action: 'view',
          entityType: 'gp_registration',
          entityId: person.id,
          personId: person.id,
          siteId: person.siteId,
          details: { channel, purpose: 'update-conflict' },
        })
        return { ok: false, reason: 'stale', state }
      }
      const row = await resolvePractice(tx, person, input, latest?.service_id ?? null)
      const unchanged =
        latest !== undefined &&
        latest.status === row.status &&
        latest.service_id === row.serviceId &&
        latest.practice_name === row.practiceName &&
        latest.practice_ods_code === row.practiceOdsCode &&
        latest.status_date === row.statusDate &&
        latest.reason === row.reason &&
        latest.help_given === row.helpGiven
      if (unchanged) {
        const state = await readState(tx, person)
        await audit.record(tx, actor, {
          action: 'view',
          entityType: 'gp_registration',
          entityId: person.id,
          personId: person.id,
          siteId: person.siteId,
          details: { channel, purpose: 'update-no-change' },
        })
        return { ok: true, state, recorded: false }
      }
      // Never earlier than the newest row, so "latest" stays the last written even if clocks differ.
      const now = clock.now()
      const recordedAt = latest !== undefined && latest.recorded_at > now ? latest.recorded_at : now
      const id = await repo.insert(tx, person.id, row, principal.userId, recordedAt)
      await audit.record(tx, actor, {
        action: latest === undefined ? 'create' : 'update',
        entityType: 'gp_registration',
        entityId: person.id,
        personId: person.id,
        siteId: person.siteId,
        details: {
          channel,
          recordId: id,
          status: row.status,
          previousStatus: latest?.status ?? null,
          practice: input.practice.kind,
        },
      })
      return { ok: true, state: await readState(tx, person), recorded: true }
    })
  }

  return { today: () => ukToday(clock), viewRegistration, recordStatus }
}
