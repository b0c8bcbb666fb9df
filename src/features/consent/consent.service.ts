import type { Kysely, Transaction } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import type { DB } from '../../platform/db/schema.ts'
import { hasRole, personRecordRoles, type Principal, principalOf, type Channel } from '../../platform/http/auth.ts'
import { DomainError, ForbiddenError, type FieldError } from '../../platform/http/errors.ts'
import type { ActorContext, AuditService } from '../../platform/audit/audit.service.ts'
import {
  messages,
  PARTNER_TOPIC,
  type ConsentDecisionCode,
  type ConsentMethod,
  type ConsentTopic,
} from './consent.messages.ts'
import * as repo from './consent.repository.ts'
import { formatDate } from '../../platform/views/format.ts'
import { ukToday } from '../../platform/time/uk-time.ts'
import type { Executor } from '../../platform/db/executor.ts'
import type { StaffRole } from '../../platform/http/roles.ts'
import type { ContactEvents, PersonRecords } from '../people/index.ts'
import type { SitesService } from '../sites/index.ts'

export type { ConsentDecision, ConsentPerson, Organisation } from './consent.repository.ts'

/** Who may record decisions. Probation practitioners may read the state (to know what they may see), not change it. */
export const consentRecorderRoles = ['clinician', 'hub_manager'] as const satisfies readonly StaffRole[]
/** Who may read a person's consent state. */
export const consentReaderRoles = personRecordRoles

/** The decision in force for a topic (per organisation for share-with-partner). */
export interface CurrentConsent {
  topic: ConsentTopic
  organisationId: string | null
  organisationCode: string | null
  decision: ConsentDecisionCode
  decidedOn: string
  recordedAt: Date
  recordedBy: string
  method: ConsentMethod
}

export interface ConsentState {
  person: repo.ConsentPerson
  current: repo.ConsentDecision[]
  history: repo.ConsentDecision[]
  etag: string
}

/** A decision as a page or API client gives it: partners named by organisation code. */
export interface DecisionInput {
  topic: ConsentTopic
  organisationCode: string | null
  decision: ConsentDecisionCode
  decidedOn: string
  method: ConsentMethod
  note: string | null
}

export type ApplyResult = { ok: true; state: ConsentState; recorded: number } | { ok: false; reason: 'stale' }

/** The ETag of a person's consent: the newest row's time and id (rows are append-only), or 0 before any. */
export function consentEtag(marker: { at: Date; id: number } | undefined): string {
  return marker === undefined ? 'W/"0"' : `W/"${marker.at.getTime()}-${marker.id}"`
}

export type ConsentService = ReturnType<typeof createConsentService>

function toCurrent(r: repo.ConsentDecision): CurrentConsent {
  return {
    topic: r.topic,
    organisationId: r.organisationId,
    organisationCode: r.organisationCode,
    decision: r.decision,
    decidedOn: r.decidedOn,
    recordedAt: r.recordedAt,
    recordedBy: r.recordedBy,
    method: r.method,
  }
}

/** Topics whose decision changes whether the person may be sent messages. */
const contactTopics: ReadonlySet<string> = new Set(['contact-by-sms', 'contact-by-email'])

export function createConsentService(deps: {
  db: Kysely<DB>
  clock: Clock
  audit: AuditService
  people: PersonRecords
  sites: SitesService
  /** Told, in the recording transaction, when agreement to be contacted by text or email is given. */
  events?: () => ContactEvents | undefined
}) {
  const { db, clock, audit, people, sites } = deps

  /**
   * The decisions in force for a person, for other features to consult inside their own transaction (pass it as
   * `executor`), so a withdrawal committed before that transaction's read is honoured. Neither audited nor
   * access-checked: the calling feature has loaded the person and audits its own read.
   */
  async function currentConsent(executor: Executor, personId: string): Promise<CurrentConsent[]> {
    return (await repo.listCurrent(executor, personId)).map(toCurrent)
  }

  /** `currentConsent` for several people in one query (a list page), by person id; absent means none recorded. */
  async function currentConsentForPeople(
    executor: Executor,
    personIds: readonly string[],
  ): Promise<Map<string, CurrentConsent[]>> {
    const byPerson = new Map<string, CurrentConsent[]>()
    for (const row of await repo.listCurrentForPeople(executor, [...new Set(personIds)])) {
      const list = byPerson.get(row.personId) ?? []
      list.push(toCurrent(row))
      byPerson.set(row.personId, list)
    }
    return byPerson
  }

  /**
   * Whether the person's latest decision on the topic is "given": refused, withdrawn or never asked all mean no.
   * share-with-partner needs the organisation; other topics take none. One indexed lookup.
   */
  async function allows(
    executor: Executor,
    personId: string,
    topic: ConsentTopic,
    organisationId?: string,
  ): Promise<boolean> {
    if ((topic === PARTNER_TOPIC) !== (organisationId !== undefined)) {
      throw new Error(`allows(): ${topic} ${topic === PARTNER_TOPIC ? 'needs' : 'takes no'} organisation id`)
    }
    return (await repo.findCurrent(executor, personId, topic, organisationId ?? null)) === 'given'
  }

  /** Loads a person the actor may see, inside the transaction. Unknown ids are 404, other sites 403. */
  async function loadVisible(tx: Transaction<DB>, id: string, principal: Principal): Promise<repo.ConsentPerson> {
    if (!hasRole(principal, consentReaderRoles)) throw new ForbiddenError('You do not have permission to do this.')
    return people.loadRecord(tx, id, principal)
  }

  function assertRecorder(principal: Principal): void {
    if (!hasRole(principal, consentRecorderRoles)) throw new ForbiddenError(messages.notRecorder)
  }

  async function readState(tx: Transaction<DB>, person: repo.ConsentPerson): Promise<ConsentState> {
    return {
      person,
      current: await repo.listCurrent(tx, person.id),
      history: await repo.listHistory(tx, person.id),
      etag: consentEtag(await repo.latestMarker(tx, person.id)),
    }
  }

  /** A person's consent now and its history; audited as a read of their consent. */
  async function viewConsent(
    personId: string,
    actor: ActorContext,
    channel: Channel,
    purpose: 'view' | 'record-form' = 'view',
  ): Promise<ConsentState> {
    const principal = principalOf(actor)
    if (purpose === 'record-form') assertRecorder(principal)
    return db.transaction().execute(async (tx) => {
      const person = await loadVisible(tx, personId, principal)
      const state = await readState(tx, person)
      await audit.record(tx, actor, {
        action: 'view',
        entityType: 'consent',
        entityId: person.id,
        personId: person.id,
        siteId: person.siteId,
        details: { channel, purpose },
      })
      return state
    })
  }

  /** Organisations a person may agree to share with (the partner select). No personal data. */
  async function organisations(): Promise<repo.Organisation[]> {
    return sites.listOrganisations()
  }

  /** The organisation id for a partner decision; errors name `field`. */
  async function resolveOrganisation(tx: Transaction<DB>, input: DecisionInput, field: string): Promise<string | null> {
    if (input.topic !== PARTNER_TOPIC) {
      if (input.organisationCode !== null) {
        throw new DomainError('organisation-not-for-topic', [{ field, message: messages.organisationNotForTopic }])
      }
      return null
    }
    if (input.organisationCode === null) {
      throw new DomainError('organisation-required', [{ field, message: messages.organisationBlank }])
    }
    const organisation = await sites.findOrganisationByCode(input.organisationCode, tx)
    if (organisation === undefined) {
      throw new DomainError('unknown-organisation', [{ field, message: messages.organisationUnknown }])
    }
    return organisation.id
  }

  /** Never earlier than the person's newest row, so "latest" stays the last written even if clocks differ. */
  async function recordingTime(tx: Transaction<DB>, personId: string): Promise<Date> {
    const now = clock.now()
    const last = await repo.latestMarker(tx, personId)
    return last !== undefined && last.at > now ? last.at : now
  }

  /**
   * Records one decision (the page). Withdrawal is refused unless the person's decision in force is "given".
   * The person's row is locked first, so two staff recording at once are checked one after the other.
   */
  async function recordDecision(
    personId: string,
    input: DecisionInput,
    actor: ActorContext,
    channel: Channel,
    fields: { organisation: string; decision: string; decidedOn: string } = {
      organisation: 'organisationCode',
      decision: 'decision',
      decidedOn: 'decidedOn-day',
    },
  ): Promise<{ person: repo.ConsentPerson; id: number }> {
    const principal = principalOf(actor)
    assertRecorder(principal)
    return db.transaction().execute(async (tx) => {
      const person = await loadVisible(tx, personId, principal)
      await people.lockRecord(tx, person.id, 'write')
      const organisationId = await resolveOrganisation(tx, input, fields.organisation)
      const inForce = await repo.findCurrentDecision(tx, person.id, input.topic, organisationId)
      const current = inForce?.decision
      if (input.decision === 'withdrawn' && current !== 'given') {
        throw new DomainError('withdraw-without-given', [
          { field: fields.decision, message: messages.withdrawWithoutGiven },
        ])
      }
      // A decision typed up late must not replace a later one (a withdrawal would be silently undone).
      if (inForce !== undefined && input.decidedOn < inForce.decidedOn) {
        throw new DomainError('decided-before-current', [
          { field: fields.decidedOn, message: messages.decidedBeforeCurrent(formatDate(inForce.decidedOn)) },
        ])
      }
      const id = await repo.insert(
        tx,
        person.id,
        { ...input, organisationId },
        principal.userId,
        await recordingTime(tx, person.id),
      )
      await audit.record(tx, actor, {
        action: 'create',
        entityType: 'consent',
        entityId: String(id),
        personId: person.id,
        siteId: person.siteId,
        details: { channel, topic: input.topic, organisationId, decision: input.decision, previous: current ?? null },
      })
      if (input.decision === 'given' && contactTopics.has(input.topic)) {
        await deps.events?.()?.contactChanged(tx, person.id, actor)
      }
      return { person, id }
    })
  }

  /**
   * Records, in one transaction, each decision that differs from the one in force (the API's PUT), if the
   * person's consent is still as it was at `expectedEtag`. Errors name `decisions[i].<field>`.
   */
  async function applyDecisions(
    personId: string,
    expectedEtag: string,
    inputs: readonly DecisionInput[],
    actor: ActorContext,
  ): Promise<ApplyResult> {
    const principal = principalOf(actor)
    assertRecorder(principal)
    return db.transaction().execute(async (tx): Promise<ApplyResult> => {
      const person = await loadVisible(tx, personId, principal)
      await people.lockRecord(tx, person.id, 'write')
      if (consentEtag(await repo.latestMarker(tx, person.id)) !== expectedEtag) return { ok: false, reason: 'stale' }
      const recordedAt = await recordingTime(tx, person.id)
      const recorded: { topic: ConsentTopic; organisationId: string | null; decision: ConsentDecisionCode }[] = []
      const errors: FieldError[] = []
      const changes: { input: DecisionInput; organisationId: string | null }[] = []
      for (const [index, input] of inputs.entries()) {
        const at = `decisions[${index}]`
        let organisationId: string | null
        try {
          organisationId = await resolveOrganisation(tx, input, `${at}.organisationCode`)
        } catch (error) {
          if (!(error instanceof DomainError)) throw error
          errors.push(...error.errors)
          continue
        }
        const inForce = await repo.findCurrentDecision(tx, person.id, input.topic, organisationId)
        const current = inForce?.decision
        if (current === input.decision) continue
        if (input.decision === 'withdrawn' && current !== 'given') {
          errors.push({ field: `${at}.decision`, message: messages.withdrawWithoutGiven })
          continue
        }
        if (inForce !== undefined && input.decidedOn < inForce.decidedOn) {
          errors.push({
            field: `${at}.decidedOn`,
            message: messages.decidedBeforeCurrent(formatDate(inForce.decidedOn)),
          })
          continue
        }
        changes.push({ input, organisationId })
      }
      const first = errors[0]
      if (first !== undefined) throw new DomainError('consent-rule-broken', errors, first.message)
      for (const { input, organisationId } of changes) {
        await repo.insert(tx, person.id, { ...input, organisationId }, principal.userId, recordedAt)
        recorded.push({ topic: input.topic, organisationId, decision: input.decision })
      }
      if (recorded.some((r) => r.decision === 'given' && contactTopics.has(r.topic))) {
        await deps.events?.()?.contactChanged(tx, person.id, actor)
      }
      const state = await readState(tx, person)
      await audit.record(tx, actor, {
        action: recorded.length === 0 ? 'view' : 'update',
        entityType: 'consent',
        entityId: person.id,
        personId: person.id,
        siteId: person.siteId,
        details: { channel: 'api', ...(recorded.length === 0 ? { purpose: 'update-no-change' } : { recorded }) },
      })
      return { ok: true, state, recorded: recorded.length }
    })
  }

  return {
    today: () => ukToday(clock),
    currentConsent,
    currentConsentForPeople,
    allows,
    viewConsent,
    organisations,
    recordDecision,
    applyDecisions,
  }
}
