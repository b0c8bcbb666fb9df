import type { Kysely, Transaction } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import { createOnceIfKeyed } from '../../platform/db/idempotency.ts'
import type { DB } from '../../platform/db/schema.ts'
import { isUuid } from '../../platform/forms/forms.ts'
import {
  assertSiteAccess,
  clinicalRoles,
  hasRole,
  type Principal,
  principalOf,
  type Channel,
} from '../../platform/http/auth.ts'
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../platform/http/errors.ts'
import type { ActorContext, AuditService } from '../../platform/audit/audit.service.ts'
import type { ConsentService, CurrentConsent } from '../consent/index.ts'
import type { Site, SitesService } from '../sites/index.ts'
import {
  allowedTransitions,
  applyTransition,
  defaultChaseOn,
  isFinal,
  statusText,
  type Recorder,
  type ReferralStatus,
  type ReferralUrgency,
  type TransitionProblem,
} from './referrals.lifecycle.ts'
import { messages, suggestedKinds } from './referrals.messages.ts'
import * as read from './referrals.read-model.ts'
import * as repo from './referrals.repository.ts'
import { ukDateOf, ukToday } from '../../platform/time/uk-time.ts'
import type { Executor } from '../../platform/db/executor.ts'
import type { StaffRole } from '../../platform/http/roles.ts'
import type { PersonRecords } from '../people/index.ts'
import type { NeedsService } from '../needs/index.ts'
import type { ServicesService } from '../services/index.ts'

export type { ConfirmedNeed, DirectoryEntry, ReferralEvent, ReferralPerson } from './referrals.repository.ts'
export type { Referral } from './referrals.read-model.ts'
import { referralsToChase, type ReferralsToChaseQuery } from './referrals.read-model.ts'

export type { ReferralToChase, ReferralsToChaseQuery } from './referrals.read-model.ts'
/** The referrals' words and final states, for other features (the worklist) to show them the same way. */
export { finalStatuses as finalReferralStatuses, statusText as referralStatusText } from './referrals.lifecycle.ts'
export { needLabels } from './referrals.messages.ts'

/** Who makes, sends and withdraws referrals, and records any change: the hub's clinical staff. */
export const referralHubRoles = clinicalRoles
/** Who may open a referral: the hub's clinical staff, and partner caseworkers for referrals sent to them. */
export const referralReaderRoles = [...clinicalRoles, 'partner'] as const satisfies readonly StaffRole[]

/**
 * Whether the person's consent allows sharing with the receiving organisation:
 * not-needed (no partner organisation), given, not-given (never agreed or refused), withdrawn.
 */
export type PartnerConsent = 'not-needed' | 'given' | 'not-given' | 'withdrawn'

export interface ReferralView {
  referral: read.Referral
  person: repo.ReferralPerson
  events: repo.ReferralEvent[]
  recorder: Recorder
  /** What this user may record from the current state (none when the partner's access is withheld). */
  allowed: ReferralStatus[]
  consent: PartnerConsent
  /** A partner whose access the person's consent no longer allows sees only that the referral exists. */
  withheld: boolean
  etag: string
}

export interface CreateInput {
  needId: string
  serviceId: string
  reason: string
  urgency: ReferralUrgency
  send: boolean
}

export interface TransitionInput {
  to: ReferralStatus
  /** The date it happened (UK calendar date); null when left blank, which is refused, never taken as today (H-409). */
  at: string | null
  reason: string | null
  appointmentOn: string | null
  /** The version the user saw; without it, the version read in the transaction. */
  expectedVersion: number | null
}

export interface ListQuery {
  siteCode?: string
  status?: ReferralStatus
  overdue: boolean
  page: number
  pageSize: number
}

export interface ListItem {
  referral: read.Referral
  withheld: boolean
}

export interface ListResult {
  scope: 'partner' | 'hub'
  site: Site | undefined
  sites: Site[]
  total: number
  items: ListItem[]
}

export interface NewReferralContext {
  person: repo.ReferralPerson
  needs: repo.ConfirmedNeed[]
  services: (repo.DirectoryEntry & { consent: PartnerConsent })[]
}

export function referralEtag(version: number): string {
  return `W/"${version}"`
}

/**
 * Why the referral letter may not be printed, if it may not: the person has withdrawn consent to share with the
 * receiving organisation (withdrawn, or refused after the referral was sent to it). A draft that was never shared
 * may still be printed, with its warning (H-411).
 */
export function letterRefusal(
  view: Pick<ReferralView, 'consent' | 'referral'>,
): 'partner-consent-withdrawn' | undefined {
  if (view.consent === 'withdrawn') return 'partner-consent-withdrawn'
  if (view.consent === 'not-given' && view.referral.sentOn !== null) return 'partner-consent-withdrawn'
  return undefined
}

function recorderOf(principal: Principal): Recorder {
  if (hasRole(principal, referralHubRoles)) return 'hub'
  if (principal.role === 'partner' && principal.organisationId !== null) return 'partner'
  throw new ForbiddenError(messages.notRecorder)
}

function assertHub(principal: Principal): void {
  if (!hasRole(principal, referralHubRoles)) throw new ForbiddenError(messages.notRecorder)
}

/** Whether the decisions in force allow sharing with the organisation (see PartnerConsent). */
function consentFor(current: readonly CurrentConsent[], organisationId: string | null): PartnerConsent {
  if (organisationId === null) return 'not-needed'
  const decision = current.find((c) => c.topic === 'share-with-partner' && c.organisationId === organisationId)
  if (decision === undefined) return 'not-given'
  if (decision.decision === 'given') return 'given'
  return decision.decision === 'withdrawn' ? 'withdrawn' : 'not-given'
}

/** Services for the need's category first (in the mapping's order), then the rest of the directory by name. */
export function orderServices<T extends { kind: repo.DirectoryEntry['kind']; name: string }>(
  services: readonly T[],
  category: repo.ConfirmedNeed['category'] | undefined,
): { suggested: T[]; others: T[] } {
  const kinds = category === undefined ? [] : suggestedKinds[category]
  const suggested = services
    .filter((s) => kinds.includes(s.kind))
    .sort((a, b) => kinds.indexOf(a.kind) - kinds.indexOf(b.kind) || a.name.localeCompare(b.name))
  const others = services.filter((s) => !kinds.includes(s.kind))
  return { suggested, others }
}

/**
 * A lifecycle problem as the API names it (`to`, `reason`, `at`, `appointmentOn`). `reached` is the status of the
 * latest change, so a date before it is told which stage it must follow.
 */
function problemError(
  problem: TransitionProblem,
  from: ReferralStatus,
  to: ReferralStatus,
  reached: ReferralStatus | undefined,
): Error {
  switch (problem.kind) {
    case 'not-allowed':
      return new ConflictError(messages.notAllowed(from, problem.allowed), {
        code: 'transition-not-allowed',
        currentStatus: from,
        allowed: problem.allowed,
        errors: [{ field: 'to', message: messages.notAllowed(from, problem.allowed) }],
      })
    case 'not-permitted':
      return new ForbiddenError(
        `Only the hub can record “${statusText[to].label.toLowerCase()}”. ${messages.notAllowed(from, problem.allowed)}.`,
      )
    case 'reason-required':
      return new ValidationError([{ field: 'reason', message: messages.reasonRequired(to) }])
    case 'at-required':
      return new ValidationError([{ field: 'at', message: messages.atBlank }])
    case 'at-in-future':
      return new ValidationError([{ field: 'at', message: messages.atFuture }])
    case 'appointment-required':
      return new ValidationError([{ field: 'appointmentOn', message: messages.appointmentBlank }])
    case 'appointment-before-at':
      return new DomainError('appointment-before-booking', [
        { field: 'appointmentOn', message: messages.appointmentBeforeAt(problem.bookedOn) },
      ])
    case 'at-before-appointment':
      return new DomainError('date-before-appointment', [
        {
          field: 'at',
          message: messages.atBeforeAppointment(
            to === 'did-not-attend' ? 'did-not-attend' : 'first-appointment-attended',
            problem.appointmentOn,
          ),
        },
      ])
    case 'at-before-previous':
      return new DomainError('date-before-last-change', [
        { field: 'at', message: messages.atBeforePrevious(problem.previous, reached) },
      ])
    case 'at-before-need':
      return new DomainError('date-before-need', [
        { field: 'at', message: messages.atBeforeNeed(problem.needIdentifiedOn) },
      ])
  }
}

export type ReferralsService = ReturnType<typeof createReferralsService>

export function createReferralsService(deps: {
  db: Kysely<DB>
  clock: Clock
  audit: AuditService
  consent: ConsentService
  sites: SitesService
  people: PersonRecords
  needs: Pick<NeedsService, 'confirmedNeedsOf' | 'needForReferral'>
  directory: Pick<ServicesService, 'activeServicesAt' | 'findService'>
  /**
   * Why a care after custody (RECONNECT) referral cannot be made for the person on a day, or undefined when it can
   * (the custody feature's window). Without it, such referrals are refused.
   */
  careAfterCustodyRefusal?: (executor: Executor, personId: string, on: string) => Promise<string | undefined>
}) {
  const { db, clock, audit, consent, sites, people, needs: needsOf, directory: directoryOf } = deps

  /** Refuses a care after custody referral outside the person's RECONNECT window, with the reason. */
  async function assertCustodyWindow(executor: Executor, personId: string, kind: string, field: string) {
    if (kind !== 'care-after-custody') return
    // Under the person's share lock, so a recall or release being recorded is seen (the custody service writes under
    // the person's write lock).
    await people.lockRecord(executor, personId, 'share')
    const on = ukToday(clock)
    const refusal =
      deps.careAfterCustodyRefusal === undefined
        ? messages.careAfterCustodyUnavailable
        : await deps.careAfterCustodyRefusal(executor, personId, on)
    if (refusal !== undefined) throw new DomainError('outside-care-after-custody-window', [{ field, message: refusal }])
  }

  async function partnerConsent(
    executor: Executor,
    personId: string,
    organisationId: string | null,
  ): Promise<PartnerConsent> {
    if (organisationId === null) return 'not-needed'
    return consentFor(await consent.currentConsent(executor, personId), organisationId)
  }

  /** A person a hub user may refer. Unknown ids are 404, other sites 403. */
  async function loadPerson(tx: Transaction<DB>, id: string, principal: Principal): Promise<repo.ReferralPerson> {
    assertHub(principal)
    return people.loadRecord(tx, id, principal)
  }

  /**
   * A referral this user may open. A partner asking for another organisation's referral (or a draft, which was
   * never sent to them) is told it does not exist, revealing nothing.
   */
  async function loadReferral(
    tx: Transaction<DB>,
    id: string,
    principal: Principal,
  ): Promise<{ referral: read.Referral; recorder: Recorder }> {
    const recorder = recorderOf(principal)
    const referral = isUuid(id) ? await read.findById(tx, id) : undefined
    if (referral === undefined) throw new NotFoundError('No referral has that id')
    if (recorder === 'hub') assertSiteAccess(principal, referral.siteId)
    else if (referral.organisationId !== principal.organisationId || referral.sentOn === null) {
      throw new NotFoundError('No referral has that id')
    }
    return { referral, recorder }
  }

  async function readView(tx: Transaction<DB>, referral: read.Referral, recorder: Recorder): Promise<ReferralView> {
    const person = await people.findRecord(tx, referral.personId)
    if (person === undefined) throw new Error('A referral’s person could not be read')
    const consentState = await partnerConsent(tx, referral.personId, referral.organisationId)
    // The person's consent decides at once: without it the partner sees only that the referral exists.
    const withheld = recorder === 'partner' && consentState !== 'given'
    return {
      referral,
      person,
      events: withheld ? [] : await repo.listEvents(tx, referral.id),
      recorder,
      allowed: withheld ? [] : allowedTransitions(referral.status, recorder),
      consent: consentState,
      withheld,
      etag: referralEtag(referral.version),
    }
  }

  async function auditReferral(
    tx: Transaction<DB>,
    actor: ActorContext,
    action: 'view' | 'create' | 'update' | 'export',
    referral: read.Referral,
    details: Record<string, unknown>,
  ): Promise<void> {
    await audit.record(tx, actor, {
      action,
      entityType: 'referral',
      entityId: referral.id,
      personId: referral.personId,
      siteId: referral.siteId,
      details,
    })
  }

  /** A person's referrals (hub staff); audited as a list of their referrals. */
  async function personReferrals(
    personId: string,
    actor: ActorContext,
    channel: Channel,
  ): Promise<{ person: repo.ReferralPerson; referrals: read.Referral[]; hasConfirmedNeeds: boolean }> {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx) => {
      const person = await loadPerson(tx, personId, principal)
      const referrals = await read.listForPerson(tx, person.id)
      const needs = await needsOf.confirmedNeedsOf(tx, person.id)
      await audit.record(tx, actor, {
        action: 'list',
        entityType: 'referral',
        personId: person.id,
        siteId: person.siteId,
        details: { channel, count: referrals.length },
      })
      return { person, referrals, hasConfirmedNeeds: needs.length > 0 }
    })
  }

  /** What the "Make a referral" form offers: the person's confirmed needs and the site's active services. */
  async function newReferralContext(personId: string, actor: ActorContext): Promise<NewReferralContext> {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx) => {
      const person = await loadPerson(tx, personId, principal)
      const needs = await needsOf.confirmedNeedsOf(tx, person.id)
      const directory = await directoryOf.activeServicesAt(tx, person.siteId)
      // The person's decisions are read once for the whole directory, not once a service.
      const current = await consent.currentConsent(tx, person.id)
      const services = directory.map((service) => ({
        ...service,
        consent: consentFor(current, service.organisationId),
      }))
      await audit.record(tx, actor, {
        action: 'view',
        entityType: 'referral',
        personId: person.id,
        siteId: person.siteId,
        details: { channel: 'page', purpose: 'new-referral-form' },
      })
      return { person, needs, services }
    })
  }

  function conflictForOpen(existing: read.Referral): ConflictError {
    return new ConflictError(
      messages.duplicate(existing.serviceName, existing.status, existing.createdAt.toISOString()),
      {
        code: 'open-referral-exists',
        existingReferralId: existing.id,
        errors: [
          {
            field: 'serviceId',
            message: messages.duplicate(existing.serviceName, existing.status, existing.createdAt.toISOString()),
          },
        ],
      },
    )
  }

  /**
   * Makes a referral from a confirmed need of the person to an active service in their site's directory, as a draft
   * or sent at once. With an idempotency key (a form's one-time submission id, or the API's Idempotency-Key) a
   * repeat of the same submission makes nothing and answers with the referral the first one made.
   */
  async function createReferral(
    personId: string,
    input: CreateInput,
    actor: ActorContext,
    channel: Channel,
    idempotencyKey?: string,
  ): Promise<{ view: ReferralView; replayed: boolean }> {
    const principal = principalOf(actor)
    try {
      return await db.transaction().execute(async (tx) => {
        const person = await loadPerson(tx, personId, principal)
        const create = async (): Promise<string> => {
          const need = await needsOf.needForReferral(tx, input.needId)
          if (need?.personId !== person.id) {
            throw new DomainError('unknown-need', [{ field: 'needId', message: messages.needNotConfirmed }])
          }
          if (need.status !== 'confirmed') {
            throw new DomainError('need-not-confirmed', [{ field: 'needId', message: messages.needNotConfirmed }])
          }
          const service = await directoryOf.findService(tx, input.serviceId)
          if (service === undefined) {
            throw new DomainError('unknown-service', [{ field: 'serviceId', message: messages.serviceUnknown }])
          }
          if (service.siteId !== person.siteId) {
            throw new DomainError('service-other-site', [{ field: 'serviceId', message: messages.serviceOtherSite }])
          }
          if (!service.active) {
            throw new DomainError('service-inactive', [{ field: 'serviceId', message: messages.serviceInactive }])
          }
          await assertCustodyWindow(tx, person.id, service.kind, 'serviceId')
          if (input.send && service.organisationId !== null) await people.lockRecord(tx, person.id, 'share')
          if (
            input.send &&
            service.organisationId !== null &&
            !(await consent.allows(tx, person.id, 'share-with-partner', service.organisationId))
          ) {
            throw new DomainError('partner-consent-required', [
              { field: 'serviceId', message: messages.consentNeededToSend(service.organisationName ?? service.name) },
            ])
          }
          const existing = await read.findOpen(tx, need.id, service.id)
          if (existing !== undefined) throw conflictForOpen(existing)
          const on = ukToday(clock)
          const status = input.send ? 'sent' : 'draft'
          const now = clock.now()
          const id = await repo.insert(tx, {
            personId: person.id,
            siteId: person.siteId,
            needId: need.id,
            serviceId: service.id,
            organisationId: service.organisationId,
            status,
            urgency: input.urgency,
            reason: input.reason,
            needIdentifiedOn: need.identifiedOn,
            sentOn: input.send ? on : null,
            chaseOn: defaultChaseOn(status, on, input.urgency, null),
            createdBy: principal.userId,
            now,
          })
          await repo.insertEvent(tx, {
            referralId: id,
            fromStatus: null,
            toStatus: 'draft',
            occurredOn: on,
            reason: null,
            actorId: principal.userId,
            recordedAt: now,
          })
          if (input.send) {
            await repo.insertEvent(tx, {
              referralId: id,
              fromStatus: 'draft',
              toStatus: 'sent',
              occurredOn: on,
              reason: null,
              actorId: principal.userId,
              recordedAt: now,
            })
          }
          await audit.record(tx, actor, {
            action: 'create',
            entityType: 'referral',
            entityId: id,
            personId: person.id,
            siteId: person.siteId,
            details: { channel, status, serviceId: service.id, needId: need.id },
          })
          return id
        }
        const outcome = await createOnceIfKeyed(
          tx,
          idempotencyKey,
          { staffUserId: principal.userId, scope: 'referral.create', request: { personId: person.id, ...input } },
          create,
        )
        const referral = await read.findById(tx, outcome.id)
        if (referral === undefined) throw new Error('A referral just made could not be read back')
        if (outcome.replayed) {
          // The repeat is answered with the record: a read like any other, so audited as one.
          assertSiteAccess(principal, referral.siteId)
          await auditReferral(tx, actor, 'view', referral, { channel, purpose: 'create-replay' })
        }
        return { view: await readView(tx, referral, 'hub'), replayed: outcome.replayed }
      })
    } catch (error) {
      // Two different submissions raced past the check: the unique index let one in; name it.
      const e = error as { code?: unknown; constraint?: unknown; message?: unknown }
      if (e.code === '23505' && `${String(e.constraint)} ${String(e.message)}`.includes('referral_open_need_service')) {
        const existing = await read.findOpen(db, input.needId, input.serviceId)
        if (existing !== undefined) throw conflictForOpen(existing)
      }
      throw error
    }
  }

  /** A referral with its changelog and what this user may record; audited as a view (or an export when printed). */
  async function viewReferral(
    id: string,
    actor: ActorContext,
    channel: Channel,
    purpose: 'view' | 'print' = 'view',
  ): Promise<ReferralView> {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx) => {
      const { referral, recorder } = await loadReferral(tx, id, principal)
      const view = await readView(tx, referral, recorder)
      // A letter refused is audited as the attempt it was: a view naming the refusal, never an export.
      const refused = purpose === 'print' ? letterRefusal(view) : undefined
      const printing = purpose === 'print' && !view.withheld && refused === undefined
      await auditReferral(tx, actor, printing ? 'export' : 'view', referral, {
        channel,
        ...(printing ? { format: 'print' } : {}),
        ...(refused === undefined ? {} : { purpose: 'print', refused }),
        ...(view.withheld ? { withheld: 'partner-consent' } : {}),
      })
      return view
    })
  }

  function staleError(current: read.Referral): ConflictError {
    return new ConflictError(messages.stale(current.status), {
      code: 'stale',
      currentStatus: current.status,
      currentVersion: current.version,
    })
  }

  /**
   * Records a change of status if the referral is still as the user saw it: the UPDATE is guarded by status and
   * version, so of two concurrent changes one applies and the other is refused with 409.
   */
  async function recordTransition(id: string, input: TransitionInput, actor: ActorContext, channel: Channel) {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx): Promise<ReferralView> => {
      const { referral, recorder } = await loadReferral(tx, id, principal)
      // Consent is read under the person's share lock, so a withdrawal in progress is honoured (see the repository).
      if (recorder === 'partner' || (input.to === 'sent' && referral.organisationId !== null)) {
        await people.lockRecord(tx, referral.personId, 'share')
      }
      if (
        recorder === 'partner' &&
        (await partnerConsent(tx, referral.personId, referral.organisationId)) !== 'given'
      ) {
        throw new ForbiddenError(messages.partnerConsentWithdrawn)
      }
      if (input.expectedVersion !== null && input.expectedVersion !== referral.version) throw staleError(referral)
      const today = ukToday(clock)
      const latest = await repo.latestEvent(tx, referral.id)
      const previousOn = latest?.occurredOn ?? ukDateOf(referral.createdAt)
      const result = applyTransition(
        referral,
        { to: input.to, at: input.at, reason: input.reason, appointmentOn: input.appointmentOn },
        { recorder, today, previousOn },
      )
      if (!result.ok) throw problemError(result.problem, referral.status, input.to, latest?.toStatus)
      const at = result.on
      if (input.to === 'sent') await assertCustodyWindow(tx, referral.personId, referral.serviceKind, 'to')
      if (
        input.to === 'sent' &&
        referral.organisationId !== null &&
        !(await consent.allows(tx, referral.personId, 'share-with-partner', referral.organisationId))
      ) {
        throw new DomainError('partner-consent-required', [
          { field: 'to', message: messages.consentNeededToSend(referral.organisationName ?? referral.serviceName) },
        ])
      }
      const now = clock.now()
      const version = await repo.updateGuarded(
        tx,
        referral.id,
        { status: referral.status, version: referral.version },
        { ...result.next, chaseOn: result.chaseOn },
        now,
      )
      if (version === undefined) {
        const latest = (await read.findById(tx, referral.id)) ?? referral
        throw staleError(latest)
      }
      await repo.insertEvent(tx, {
        referralId: referral.id,
        fromStatus: referral.status,
        toStatus: input.to,
        occurredOn: at,
        reason: input.reason,
        actorId: principal.userId,
        recordedAt: now,
      })
      const updated = await read.findById(tx, referral.id)
      if (updated === undefined) throw new Error('A referral just updated could not be read back')
      await auditReferral(tx, actor, 'update', updated, {
        channel,
        from: referral.status,
        to: input.to,
        occurredOn: at,
      })
      return readView(tx, updated, recorder)
    })
  }

  /** A hub user sets a different chase date on an open referral. */
  async function setChaseDate(
    id: string,
    chaseOn: string,
    expectedVersion: number,
    actor: ActorContext,
    channel: Channel,
  ): Promise<ReferralView> {
    const principal = principalOf(actor)
    assertHub(principal)
    return db.transaction().execute(async (tx) => {
      const { referral, recorder } = await loadReferral(tx, id, principal)
      if (expectedVersion !== referral.version) throw staleError(referral)
      if (isFinal(referral.status)) {
        throw new DomainError('referral-closed', [{ field: 'chaseOn', message: messages.chaseFinal }])
      }
      if (chaseOn < ukDateOf(referral.createdAt)) {
        throw new DomainError('chase-before-created', [{ field: 'chaseOn', message: messages.chaseBeforeCreated }])
      }
      const version = await repo.updateChaseOn(tx, referral.id, referral.version, chaseOn, clock.now())
      if (version === undefined) throw staleError((await read.findById(tx, referral.id)) ?? referral)
      const updated = await read.findById(tx, referral.id)
      if (updated === undefined) throw new Error('A referral just updated could not be read back')
      await auditReferral(tx, actor, 'update', updated, {
        channel,
        changed: ['chaseOn'],
        previous: referral.chaseOn,
      })
      return readView(tx, updated, recorder)
    })
  }

  /**
   * Referrals in the user's scope: a partner's organisation (only those sent), or a hub user's site (by code; their
   * first site when none is named). Audited as a list, with no personal data in the details.
   */
  async function listReferrals(query: ListQuery, actor: ActorContext, channel: Channel): Promise<ListResult> {
    const principal = principalOf(actor)
    const recorder = recorderOf(principal)
    const mySites = recorder === 'hub' ? await sites.listByIds(principal.siteIds) : []
    let site: Site | undefined
    if (recorder === 'hub') {
      site = query.siteCode === undefined ? mySites[0] : mySites.find((s) => s.code === query.siteCode)
      // Another site's code (or one that does not exist) is refused the same way, revealing nothing.
      if (query.siteCode !== undefined && site === undefined) {
        throw new ForbiddenError('You do not have access to this site.')
      }
    }
    const scope: read.Scope =
      recorder === 'partner' ? { organisationId: principal.organisationId ?? '' } : { siteIds: site ? [site.id] : [] }
    return db.transaction().execute(async (tx) => {
      const { total, referrals } = await read.listScoped(tx, scope, {
        status: query.status,
        overdue: query.overdue,
        today: ukToday(clock),
        limit: query.pageSize,
        offset: (query.page - 1) * query.pageSize,
      })
      // A partner's page shows each referral only while the person's consent allows: read for the page at once.
      const consents =
        recorder === 'partner'
          ? await consent.currentConsentForPeople(
              tx,
              referrals.map((r) => r.personId),
            )
          : new Map<string, CurrentConsent[]>()
      const items: ListItem[] = referrals.map((referral) => ({
        referral,
        withheld:
          recorder === 'partner' &&
          consentFor(consents.get(referral.personId) ?? [], referral.organisationId) !== 'given',
      }))
      await audit.record(tx, actor, {
        action: 'list',
        entityType: 'referral',
        siteId: site?.id ?? null,
        details: {
          channel,
          scope: recorder,
          status: query.status ?? null,
          overdue: query.overdue,
          page: query.page,
          count: items.length,
          personIds: items.filter((i) => !i.withheld).map((i) => i.referral.personId),
        },
      })
      return { scope: recorder, site, sites: mySites, total, items }
    })
  }

  // ---- For other features, inside their own transaction (not audited here: the caller audits its read) ----

  /** The referrals still open on each need, by need id (a need with one cannot be dismissed or reopened). */
  async function openReferralsOnNeeds(
    executor: Executor,
    needIds: readonly string[],
  ): Promise<Map<string, read.OpenReferral[]>> {
    return read.openReferralsForNeeds(executor, needIds)
  }

  /** Every status change of a person's referrals, oldest first (their timeline). */
  async function eventsForPerson(executor: Executor, personId: string): Promise<read.PersonReferralEvent[]> {
    return read.listReferralEventsForPerson(executor, personId)
  }

  /** The open referrals at a site due to be chased (the worklist), inside its transaction. */
  async function toChase(executor: Executor, query: ReferralsToChaseQuery) {
    return referralsToChase(executor, query)
  }

  return {
    today: () => ukToday(clock),
    openReferralsOnNeeds,
    toChase,
    eventsForPerson,
    personReferrals,
    newReferralContext,
    createReferral,
    viewReferral,
    recordTransition,
    setChaseDate,
    listReferrals,
  }
}
