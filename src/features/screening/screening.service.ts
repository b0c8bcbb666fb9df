import type { Kysely, Transaction } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import { createOnceIfKeyed } from '../../platform/db/idempotency.ts'
import type { DB } from '../../platform/db/schema.ts'
import { isRealDate, isUuid } from '../../platform/forms/forms.ts'
import { clinicalRoles, type Principal, type Channel, principalWithRole } from '../../platform/http/auth.ts'
import { ConflictError, NotFoundError, ValidationError } from '../../platform/http/errors.ts'
import type { ActorContext, AuditService } from '../../platform/audit/audit.service.ts'
import {
  assessScreening,
  type ProgrammeAssessment,
  type ScreeningEvent,
  type ScreeningInput,
  type SmokingHistory,
} from './screening.eligibility.ts'
import { messages } from './screening.messages.ts'
import * as read from './screening.read-model.ts'
import * as repo from './screening.repository.ts'
import type { ScreeningEventInput } from './screening.validation.ts'
import { ukToday } from '../../platform/time/uk-time.ts'
import type { SmokingStatus } from '../health-checks/index.ts'
import type { PersonRecords } from '../people/index.ts'

export type { ScreeningEventRecord, ScreeningPerson } from './screening.repository.ts'

/**
 * Who may see or record screening: the health team only. Screening history and eligibility are health
 * information, so probation practitioners, partners, analysts, auditors and administrators are refused.
 */
export const screeningRoles = clinicalRoles


// ---------------------------------------------------------------------------------------------------------------
// From stored records to the eligibility module's input (pure, shared with the worklist).

const sexCodes = ['1', '2', '9'] as const
const genderCodes = ['1', '2', '9', 'X'] as const
const sameAsBirthCodes = ['yes', 'no', 'prefer-not-to-say'] as const

function oneOf<T extends string>(codes: readonly T[], value: string | null): T | null {
  return value !== null && (codes as readonly string[]).includes(value) ? (value as T) : null
}

/** Smoking history for the lung health check: "prefer not to say" and nothing recorded are both unknown. */
export function smokingHistory(status: SmokingStatus | undefined): SmokingHistory {
  return status === 'current' || status === 'ex' || status === 'never' ? status : 'unknown'
}

/** A stored event as the module takes it. Codes were checked on the way in and by the table's constraints. */
export function toModuleEvent(record: repo.ScreeningEventRecord): ScreeningEvent {
  const base = { state: record.state, date: record.date }
  switch (record.programme) {
    case 'cervical':
      return {
        ...base,
        programme: 'cervical',
        result: record.result as Extract<ScreeningEvent, { programme: 'cervical' }>['result'],
        selfSample: record.selfSample === true,
      }
    case 'breast':
    case 'bowel':
    case 'aaa':
      return {
        ...base,
        programme: record.programme,
        result: record.result as Extract<ScreeningEvent, { programme: 'breast' }>['result'],
      }
    case 'lung':
      return {
        ...base,
        programme: 'lung',
        result: record.result as Extract<ScreeningEvent, { programme: 'lung' }>['result'],
      }
  }
}

export function screeningInput(
  person: read.ScreeningFacts,
  smoking: SmokingStatus | undefined,
  events: readonly repo.ScreeningEventRecord[],
): ScreeningInput {
  return {
    dateOfBirth: person.dateOfBirth,
    sex: oneOf(sexCodes, person.sex),
    statedGender: oneOf(genderCodes, person.statedGender),
    genderSameAsBirth: oneOf(sameAsBirthCodes, person.genderSameAsBirth),
    smoking: smokingHistory(smoking),
    events: events.filter((e) => e.enteredInError === null).map(toModuleEvent),
  }
}

/** An asOf from a query: absent means today (UK); anything but a real YYYY-MM-DD date is refused naming asOf. */
export function parseAsOf(value: string | undefined, today: string): string {
  if (value === undefined || value === '') return today
  if (!isRealDate(value)) throw new ValidationError([{ field: 'asOf', message: messages.asOfFormat }])
  return value
}

// ---------------------------------------------------------------------------------------------------------------

export interface ScreeningAssessment {
  person: repo.ScreeningPerson
  asOf: string
  programmes: ProgrammeAssessment[]
}

function principalOf(actor: ActorContext): Principal {
  return principalWithRole(actor, screeningRoles, messages.notClinical)
}

export type ScreeningService = ReturnType<typeof createScreeningService>

export function createScreeningService(deps: { db: Kysely<DB>; clock: Clock; audit: AuditService; people: PersonRecords }) {
  const { db, clock, audit, people } = deps


  /** Loads a person the actor may see, inside the transaction. Unknown ids are 404, other sites 403. */
  async function loadVisible(tx: Transaction<DB>, id: string, principal: Principal): Promise<repo.ScreeningPerson> {
    return people.loadRecord(tx, id, principal)
  }

  async function assessIn(tx: Transaction<DB>, person: repo.ScreeningPerson, asOf: string) {
    if (asOf < person.dateOfBirth) throw new ValidationError([{ field: 'asOf', message: messages.asOfBeforeBirth }])
    const events = (await repo.eventsForAssessment(tx, [person.id])).get(person.id) ?? []
    const smoking = (await read.smokingStatuses(tx, [person.id], asOf)).get(person.id)
    return assessScreening(screeningInput(person, smoking, events), asOf)
  }

  async function auditView(
    tx: Transaction<DB>,
    actor: ActorContext,
    person: repo.ScreeningPerson,
    details: Record<string, unknown>,
  ) {
    await audit.record(tx, actor, {
      action: 'view',
      entityType: 'screening',
      entityId: person.id,
      personId: person.id,
      siteId: person.siteId,
      details,
    })
  }

  /** Eligibility and status per programme as of `asOf` (YYYY-MM-DD); audited as a read of the person's record. */
  async function assess(
    personId: string,
    asOf: string,
    actor: ActorContext,
    channel: Channel = 'api',
  ): Promise<ScreeningAssessment> {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx) => {
      const person = await loadVisible(tx, personId, principal)
      const programmes = await assessIn(tx, person, asOf)
      await auditView(tx, actor, person, { channel, purpose: 'assessment', asOf })
      return { person, asOf, programmes }
    })
  }

  /** The screening page: today's assessment and every event recorded (entered in error too). */
  async function viewScreening(
    personId: string,
    actor: ActorContext,
  ): Promise<ScreeningAssessment & { events: repo.ScreeningEventRecord[] }> {
    const principal = principalOf(actor)
    const asOf = ukToday(clock)
    return db.transaction().execute(async (tx) => {
      const person = await loadVisible(tx, personId, principal)
      const programmes = await assessIn(tx, person, asOf)
      const events = await repo.listEvents(tx, person.id)
      await auditView(tx, actor, person, { channel: 'page', purpose: 'view', asOf })
      return { person, asOf, programmes, events }
    })
  }

  async function listEvents(
    personId: string,
    actor: ActorContext,
    channel: Channel,
  ): Promise<{ person: repo.ScreeningPerson; events: repo.ScreeningEventRecord[] }> {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx) => {
      const person = await loadVisible(tx, personId, principal)
      const events = await repo.listEvents(tx, person.id)
      await auditView(tx, actor, person, { channel, purpose: 'events' })
      return { person, events }
    })
  }

  /**
   * Records an event. With an idempotency key (the form's one-time id or the API's Idempotency-Key) a repeat
   * records nothing and answers with the event the first one recorded.
   */
  async function recordEvent(
    personId: string,
    input: ScreeningEventInput,
    actor: ActorContext,
    channel: Channel,
    idempotencyKey?: string,
  ): Promise<{ event: repo.ScreeningEventRecord; replayed: boolean }> {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx) => {
      const person = await loadVisible(tx, personId, principal)
      const create = async (): Promise<string> => {
        if (input.date < person.dateOfBirth) {
          throw new ValidationError([{ field: 'date', message: messages.dateBeforeBirth }])
        }
        const id = await repo.insert(tx, person.id, input, principal.userId, clock.now())
        await audit.record(tx, actor, {
          action: 'create',
          entityType: 'screening_event',
          entityId: id,
          personId: person.id,
          siteId: person.siteId,
          details: { channel, programme: input.programme, state: input.state },
        })
        return id
      }
      const outcome = await createOnceIfKeyed(
        tx,
        idempotencyKey,
        { staffUserId: principal.userId, scope: 'screening-event.create', request: { personId: person.id, ...input } },
        create,
      )
      const event = await repo.findEvent(tx, outcome.id)
      if (event === undefined) throw new Error('A screening event just recorded could not be read back')
      if (outcome.replayed) {
        await audit.record(tx, actor, {
          action: 'view',
          entityType: 'screening_event',
          entityId: event.id,
          personId: person.id,
          siteId: person.siteId,
          details: { channel, purpose: 'create-replay' },
        })
      }
      return { event, replayed: outcome.replayed }
    })
  }

  /** Loads an event the actor may see; with `personId`, it must be that person's (so page URLs cannot be mixed). */
  async function loadEvent(tx: Transaction<DB>, eventId: string, principal: Principal, personId?: string) {
    const event = isUuid(eventId) ? await repo.findEvent(tx, eventId) : undefined
    if (event === undefined || (personId !== undefined && event.personId !== personId)) {
      throw new NotFoundError('No screening event has that id')
    }
    const person = await loadVisible(tx, event.personId, principal)
    return { event, person }
  }

  /** One event, for the "mark as entered in error" page; audited as a read. */
  async function viewEvent(
    personId: string,
    eventId: string,
    actor: ActorContext,
  ): Promise<{ person: repo.ScreeningPerson; event: repo.ScreeningEventRecord }> {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx) => {
      const { event, person } = await loadEvent(tx, eventId, principal, personId)
      await audit.record(tx, actor, {
        action: 'view',
        entityType: 'screening_event',
        entityId: event.id,
        personId: person.id,
        siteId: person.siteId,
        details: { channel: 'page', purpose: 'entered-in-error-form' },
      })
      return { person, event }
    })
  }

  /**
   * Marks an event entered in error, with the reason: it stays in the history but no longer counts. Only once:
   * a second correction is a conflict (409), so two people correcting at once cannot overwrite each other's reason.
   */
  async function markEnteredInError(
    eventId: string,
    reason: string,
    actor: ActorContext,
    channel: Channel,
    personId?: string,
  ): Promise<{ person: repo.ScreeningPerson; event: repo.ScreeningEventRecord }> {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx) => {
      const { person } = await loadEvent(tx, eventId, principal, personId)
      await repo.lockEvent(tx, eventId)
      const changed = await repo.markEnteredInError(tx, eventId, principal.userId, clock.now(), reason)
      if (!changed) throw new ConflictError(messages.alreadyEnteredInError)
      await audit.record(tx, actor, {
        action: 'update',
        entityType: 'screening_event',
        entityId: eventId,
        personId: person.id,
        siteId: person.siteId,
        details: { channel, change: 'entered-in-error' },
      })
      const event = await repo.findEvent(tx, eventId)
      if (event === undefined) throw new Error('A screening event just corrected could not be read back')
      return { person, event }
    })
  }

  return { today: () => ukToday(clock), assess, viewScreening, listEvents, recordEvent, viewEvent, markEnteredInError }
}
