import type { Kysely, Transaction } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import type { DB } from '../../platform/db/schema.ts'
import { isRealDate, isUuid } from '../../platform/forms/forms.ts'
import { assertSiteAccess, clinicalRoles, hasRole, personRecordRoles, type Principal, type Channel, principalWithRole } from '../../platform/http/auth.ts'
import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationError, type FieldError } from '../../platform/http/errors.ts'
import { formatDate } from '../../platform/views/format.ts'
import type { ActorContext, AuditService } from '../../platform/audit/audit.service.ts'
import { type ConsentService } from '../consent/index.ts'
import { kindText, matchingNeed, messages, NOTE_MAX, referralStatusText } from './treatment-requirements.messages.ts'
import * as read from './treatment-requirements.read-model.ts'
import * as repo from './treatment-requirements.repository.ts'
import {
  allowedTransitions,
  checkTransition,
  isOpen,
  openStatuses,
  type Transition,
} from './treatment-requirements.transitions.ts'
import { ukToday } from '../../platform/time/uk-time.ts'
import type { StaffRole } from '../../platform/http/roles.ts'
import type { TreatmentRequirementKind, TreatmentRequirementStatus } from './treatment-requirements.tables.ts'
import type { PersonRecords } from '../people/index.ts'
import { fullName } from '../../platform/views/person-header.ts'

export type { RequirementPerson, TreatmentRequirement } from './treatment-requirements.repository.ts'

/** Who may see a person's treatment requirements and propose one: the health team and probation practitioners. */
export const requirementRoles = personRecordRoles
/** Who may link a treatment referral: it means choosing among the person's referrals, which are clinical detail. */
export const referralLinkerRoles = clinicalRoles

/** The consent a probation practitioner needs to see the linked referral's service and status. */
export const PROBATION_SHARING_TOPIC = 'share-summary-with-probation'


/** A referral as this viewer may see it. `needCategory` is null for probation practitioners (clinical detail). */
export interface ReferralView {
  id: string
  serviceName: string
  status: repo.PersonReferral['status']
  statusText: string
  needCategory: repo.PersonReferral['needCategory'] | null
  sentOn: string | null
  /** Its need matches the requirement's kind (mhtr: mental health, drr: drugs, atr: alcohol). */
  suggested: boolean
}

/** A changelog entry as this viewer may see it. */
export interface EventView {
  id: number
  kind: repo.RequirementEvent['kind']
  fromStatus: TreatmentRequirementStatus | null
  toStatus: TreatmentRequirementStatus
  occurredOn: string
  /** Null when none was given or when it is hidden from this viewer. */
  reason: string | null
  /** An assessment's reason is clinical detail: probation practitioners see that one was recorded, not what it says. */
  reasonHidden: boolean
  /** The referral linked, when this viewer may see it. */
  referral: { id: string; serviceName: string } | null
  actorId: string
  actorName: string | null
  recordedAt: Date
}

/** A requirement as this viewer may see it. */
export interface RequirementView {
  requirement: repo.TreatmentRequirement
  referralLinked: boolean
  /** The linked referral, or undefined when none is linked or this viewer may not see it. */
  referral: ReferralView | undefined
  /** Linked, but hidden from a probation practitioner because the person has not agreed to share with probation. */
  referralHidden: boolean
  etag: string
}

export interface RequirementDetail extends RequirementView {
  person: repo.RequirementPerson
  events: EventView[]
  /** The changes this viewer's role may make now. */
  allowed: Transition[]
  canLinkReferral: boolean
  /** For those who may link: the person's referrals, suggested ones first. Empty for everyone else. */
  referralOptions: ReferralView[]
}

export interface ProposalInput {
  kind: TreatmentRequirementKind
  /** YYYY-MM-DD. Required: blank ('') is refused, never taken as today. */
  proposedOn: string
  note: string | null
}

export interface TransitionInput {
  to: TreatmentRequirementStatus
  /** YYYY-MM-DD. Required: blank ('') is refused, never taken as today. */
  at: string
  reason: string | null
  /** Link this referral in the same change (health team only). */
  referralId: string | undefined
}

export type WriteResult = { ok: true; detail: RequirementDetail } | { ok: false; reason: 'stale' }

/** A requirement's ETag is its version. */
export const etagFor = (version: number): string => `W/"${version}"`

/** The date someone born on `dateOfBirth` turns 18; 29 February birthdays fall on 1 March in other years. */
export function eighteenthBirthday(dateOfBirth: string): string {
  const [year = '0', month = '01', day = '01'] = dateOfBirth.split('-')
  const candidate = `${String(Number(year) + 18).padStart(4, '0')}-${month}-${day}`
  return isRealDate(candidate) ? candidate : `${String(Number(year) + 18).padStart(4, '0')}-03-01`
}

function principalOf(actor: ActorContext): Principal {
  return principalWithRole(actor, requirementRoles)
}

function isClinical(role: StaffRole): boolean {
  return (clinicalRoles as readonly StaffRole[]).includes(role)
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505'
}

function duplicateError(kind: TreatmentRequirementKind, existingId: string | undefined): ConflictError {
  return new ConflictError(messages.duplicate(kind), {
    code: 'open-requirement-exists',
    errors: [{ field: 'kind', message: messages.duplicate(kind) }],
    ...(existingId === undefined ? {} : { existingId }),
  })
}

export type TreatmentRequirementsService = ReturnType<typeof createTreatmentRequirementsService>

export function createTreatmentRequirementsService(deps: {
  db: Kysely<DB>
  clock: Clock
  audit: AuditService
  /** Consulted inside each read's transaction, so a withdrawal applies at once. */
  consent: Pick<ConsentService, 'allows'>
  people: PersonRecords
}) {
  const { db, clock, audit, consent, people } = deps


  /** Loads a person the actor may see, inside the transaction. Unknown ids are 404, other sites 403. */
  async function loadPerson(tx: Transaction<DB>, id: string, principal: Principal): Promise<repo.RequirementPerson> {
    return people.loadRecord(tx, id, principal)
  }

  /** Loads a requirement (locked when writing) and its person, checking the site. */
  async function loadRequirement(
    tx: Transaction<DB>,
    id: string,
    principal: Principal,
    forUpdate: boolean,
  ): Promise<{ requirement: repo.TreatmentRequirement; person: repo.RequirementPerson }> {
    let requirement: repo.TreatmentRequirement | undefined
    if (isUuid(id)) requirement = forUpdate ? await repo.findByIdForUpdate(tx, id) : await repo.findById(tx, id)
    if (requirement === undefined) throw new NotFoundError('No treatment requirement has that id')
    assertSiteAccess(principal, requirement.siteId)
    const person = await loadPerson(tx, requirement.personId, principal)
    return { requirement, person }
  }

  /** Whether this viewer sees the linked referral's service and status. */
  async function seesReferrals(tx: Transaction<DB>, principal: Principal, personId: string): Promise<boolean> {
    if (isClinical(principal.role)) return true
    return consent.allows(tx, personId, PROBATION_SHARING_TOPIC)
  }

  function referralView(
    referral: repo.PersonReferral,
    kind: TreatmentRequirementKind,
    principal: Principal,
  ): ReferralView {
    return {
      id: referral.id,
      serviceName: referral.serviceName,
      status: referral.status,
      statusText: referralStatusText[referral.status],
      needCategory: isClinical(principal.role) ? referral.needCategory : null,
      sentOn: referral.sentOn,
      suggested: referral.needCategory === matchingNeed[kind],
    }
  }

  function viewOf(
    requirement: repo.TreatmentRequirement,
    referrals: ReadonlyMap<string, repo.PersonReferral>,
    principal: Principal,
    shown: boolean,
  ): RequirementView {
    const linked = requirement.referralId === null ? undefined : referrals.get(requirement.referralId)
    return {
      requirement,
      referralLinked: requirement.referralId !== null,
      referral: linked !== undefined && shown ? referralView(linked, requirement.kind, principal) : undefined,
      referralHidden: requirement.referralId !== null && !shown,
      etag: etagFor(requirement.version),
    }
  }

  async function readDetail(
    tx: Transaction<DB>,
    requirement: repo.TreatmentRequirement,
    person: repo.RequirementPerson,
    principal: Principal,
  ): Promise<RequirementDetail> {
    const shown = await seesReferrals(tx, principal, person.id)
    const clinical = isClinical(principal.role)
    // The person's referrals are read only for those who may choose among them; others need just the linked one.
    const all = clinical ? await read.listReferralsForPerson(tx, person.id) : []
    const eventsRaw = await repo.listEvents(tx, requirement.id)
    const ids = [
      ...new Set(
        [requirement.referralId, ...eventsRaw.map((e) => e.referralId)].filter((id): id is string => id !== null),
      ),
    ]
    const known = new Map([...all, ...(await read.findReferrals(tx, ids))].map((r) => [r.id, r]))
    const events: EventView[] = eventsRaw.map((e) => {
      const assessment = e.toStatus === 'assessed-suitable' || e.toStatus === 'assessed-unsuitable'
      const hidden = !clinical && e.kind === 'transition' && assessment && e.reason !== null
      const linked = e.referralId === null ? undefined : known.get(e.referralId)
      return {
        id: e.id,
        kind: e.kind,
        fromStatus: e.fromStatus,
        toStatus: e.toStatus,
        occurredOn: e.occurredOn,
        reason: hidden ? null : e.reason,
        reasonHidden: hidden,
        referral: linked !== undefined && shown ? { id: linked.id, serviceName: linked.serviceName } : null,
        actorId: e.actorId,
        actorName: e.actorName,
        recordedAt: e.recordedAt,
      }
    })
    const options = all.map((r) => referralView(r, requirement.kind, principal))
    return {
      ...viewOf(requirement, known, principal, shown),
      person,
      events,
      allowed: allowedTransitions(requirement.status, principal.role),
      canLinkReferral: clinical,
      referralOptions: [...options.filter((o) => o.suggested), ...options.filter((o) => !o.suggested)],
    }
  }

  async function auditRequirement(
    tx: Transaction<DB>,
    actor: ActorContext,
    action: 'view' | 'create' | 'update',
    requirement: repo.TreatmentRequirement,
    details: Record<string, unknown>,
  ): Promise<void> {
    await audit.record(tx, actor, {
      action,
      entityType: 'treatment_requirement',
      entityId: requirement.id,
      personId: requirement.personId,
      siteId: requirement.siteId,
      details,
    })
  }

  /** A person's treatment requirements, newest first, as the viewer may see them; audited as a list. */
  async function listForPerson(
    personId: string,
    actor: ActorContext,
    channel: Channel,
  ): Promise<{ person: repo.RequirementPerson; requirements: RequirementView[] }> {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx) => {
      const person = await loadPerson(tx, personId, principal)
      const requirements = await repo.listForPerson(tx, person.id)
      const shown = await seesReferrals(tx, principal, person.id)
      const ids = requirements.map((r) => r.referralId).filter((id): id is string => id !== null)
      const referrals = new Map((shown ? await read.findReferrals(tx, ids) : []).map((r) => [r.id, r]))
      await audit.record(tx, actor, {
        action: 'list',
        entityType: 'treatment_requirement',
        entityId: person.id,
        personId: person.id,
        siteId: person.siteId,
        details: { channel, count: requirements.length },
      })
      return { person, requirements: requirements.map((r) => viewOf(r, referrals, principal, shown)) }
    })
  }

  /** The person, for the "propose" form; audited as a view of their record. */
  async function viewForProposal(personId: string, actor: ActorContext): Promise<repo.RequirementPerson> {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx) => {
      const person = await loadPerson(tx, personId, principal)
      await audit.record(tx, actor, {
        action: 'view',
        entityType: 'treatment_requirement',
        entityId: person.id,
        personId: person.id,
        siteId: person.siteId,
        details: { channel: 'page', purpose: 'propose-form' },
      })
      return person
    })
  }

  /** One requirement with its changelog and what this viewer may do; audited as a view. */
  async function viewRequirement(
    id: string,
    actor: ActorContext,
    channel: Channel,
    purpose: 'view' | 'update-form' = 'view',
  ): Promise<RequirementDetail> {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx) => {
      const { requirement, person } = await loadRequirement(tx, id, principal, false)
      const detail = await readDetail(tx, requirement, person, principal)
      await auditRequirement(tx, actor, 'view', requirement, { channel, purpose })
      return detail
    })
  }

  /**
   * A change's date (H-607): given (a blank one is an error, never today), a real date, not in the future (UK) and
   * not before `previous`, the date the current status took effect, so each stage follows the one before.
   */
  function dateErrors(date: string, field: string, previous: string): FieldError[] {
    if (date === '') return [{ field, message: messages.atBlank }]
    if (!isRealDate(date)) return [{ field, message: messages.atInvalid }]
    if (date > ukToday(clock)) return [{ field, message: messages.atFuture }]
    if (date < previous) return [{ field, message: messages.atBeforePrevious(formatDate(previous)) }]
    return []
  }

  /**
   * Proposes a requirement (either team may). Refused when the person already has an open one of the kind (409),
   * or was under 18 on the date (a CSTR is for adults, domain reference §8).
   */
  async function propose(
    personId: string,
    input: ProposalInput,
    actor: ActorContext,
    channel: Channel,
  ): Promise<RequirementDetail> {
    const principal = principalOf(actor)
    if (input.note !== null && input.note.length > NOTE_MAX) {
      throw new ValidationError([{ field: 'note', message: messages.noteTooLong }])
    }
    try {
      return await db.transaction().execute(async (tx) => {
        const person = await loadPerson(tx, personId, principal)
        const proposedOn = input.proposedOn
        const errors: FieldError[] = []
        if (proposedOn === '') errors.push({ field: 'proposedOn', message: messages.proposedOnBlank })
        else if (!isRealDate(proposedOn)) errors.push({ field: 'proposedOn', message: messages.proposedOnInvalid })
        else if (proposedOn > ukToday(clock)) errors.push({ field: 'proposedOn', message: messages.proposedOnFuture })
        else if (proposedOn < eighteenthBirthday(person.dateOfBirth)) {
          errors.push({
            field: 'proposedOn',
            message:
              proposedOn < person.dateOfBirth
                ? messages.proposedBeforeBirth
                : messages.underEighteen(fullName(person)),
          })
        }
        if (errors.length > 0) throw new ValidationError(errors)
        await people.lockRecord(tx, person.id, 'write')
        const open = await repo.findOpenOfKind(tx, person.id, input.kind, openStatuses)
        if (open !== undefined) throw duplicateError(input.kind, open.id)
        const now = clock.now()
        const requirement = await repo.insert(
          tx,
          {
            personId: person.id,
            siteId: person.siteId,
            kind: input.kind,
            proposedOn,
            note: input.note,
            createdBy: principal.userId,
          },
          now,
        )
        await repo.insertEvent(tx, {
          requirementId: requirement.id,
          kind: 'proposed',
          fromStatus: null,
          toStatus: 'proposed',
          referralId: null,
          occurredOn: proposedOn,
          reason: input.note,
          actorId: principal.userId,
          recordedAt: now,
        })
        await auditRequirement(tx, actor, 'create', requirement, { channel, kind: input.kind })
        return readDetail(tx, requirement, person, principal)
      })
    } catch (error) {
      // Two proposals racing past the check above: the unique index refuses the second.
      if (isUniqueViolation(error)) throw duplicateError(input.kind, undefined)
      throw error
    }
  }

  /** The referral to link: it must be the person's own (an unknown id is refused the same way, revealing nothing). */
  async function resolveReferral(
    tx: Transaction<DB>,
    referralId: string,
    person: repo.RequirementPerson,
  ): Promise<repo.PersonReferral> {
    const referral = isUuid(referralId) ? await read.findReferral(tx, referralId) : undefined
    if (referral?.personId !== person.id) {
      throw new DomainError('referral-not-this-person', [
        { field: 'referralId', message: messages.referralNotThisPerson },
      ])
    }
    return referral
  }

  function assertVersion(requirement: repo.TreatmentRequirement, expected: number | undefined): boolean {
    return expected === undefined || requirement.version === expected
  }

  /**
   * Moves a requirement to `input.to` if the lifecycle allows it and the actor's role records it. Refusals: 409
   * (not a change the lifecycle allows; names the allowed ones), 403 (another role records it), 400 (date or
   * reason), 422 (the referral: another person's, or none linked before treatment starts), 409 (reopening while
   * another of the kind is open). With `expectedVersion`, a change made since is refused as stale.
   */
  async function transition(
    id: string,
    input: TransitionInput,
    expectedVersion: number | undefined,
    actor: ActorContext,
    channel: Channel,
  ): Promise<WriteResult> {
    const principal = principalOf(actor)
    if (input.referralId !== undefined && !hasRole(principal, referralLinkerRoles)) {
      throw new ForbiddenError(messages.referralByHealthTeam)
    }
    let kind: TreatmentRequirementKind | undefined
    try {
      return await db.transaction().execute(async (tx): Promise<WriteResult> => {
        const { requirement, person } = await loadRequirement(tx, id, principal, true)
        kind = requirement.kind
        if (!assertVersion(requirement, expectedVersion)) return { ok: false, reason: 'stale' }
        const from = requirement.status
        const check = checkTransition(from, input.to, principal.role)
        if (!check.ok && check.reason === 'not-allowed') {
          const mine = allowedTransitions(from, principal.role)
          throw new ConflictError(
            messages.notAllowed(
              from,
              check.allowed.map((t) => `${t.to} (${t.label.toLowerCase()}, by ${t.recordedBy})`),
            ),
            { code: 'transition-not-allowed', currentStatus: from, allowedTransitions: mine.map((t) => t.to) },
          )
        }
        if (!check.ok) throw new ForbiddenError(messages.wrongRole(check.transition.label, check.transition.recordedBy))
        const rule = check.transition
        const at = input.at
        const errors: FieldError[] = dateErrors(at, 'at', requirement.statusOn)
        if (rule.reasonRequired && (input.reason ?? '') === '') {
          errors.push({ field: 'reason', message: messages.reasonBlank(rule.reasonLabel) })
        }
        if (input.reason !== null && input.reason.length > NOTE_MAX) {
          errors.push({ field: 'reason', message: messages.reasonTooLong })
        }
        if (errors.length > 0) throw new ValidationError(errors)

        const now = clock.now()
        let current = requirement
        if (input.referralId !== undefined && input.referralId !== requirement.referralId) {
          const referral = await resolveReferral(tx, input.referralId, person)
          current = await repo.update(tx, requirement.id, { referralId: referral.id }, now)
          await repo.insertEvent(tx, {
            requirementId: requirement.id,
            kind: 'referral-linked',
            fromStatus: from,
            toStatus: from,
            referralId: referral.id,
            occurredOn: ukToday(clock),
            reason: null,
            actorId: principal.userId,
            recordedAt: now,
          })
        }
        if (rule.needsReferral && current.referralId === null) {
          throw new DomainError('referral-needed', [{ field: 'referralId', message: messages.referralNeeded }])
        }
        if (isOpen(input.to) && !isOpen(from)) {
          const other = await repo.findOpenOfKind(tx, person.id, requirement.kind, openStatuses, requirement.id)
          if (other !== undefined) {
            throw new ConflictError(messages.reopenWhileOpen(requirement.kind), {
              code: 'open-requirement-exists',
              existingId: other.id,
            })
          }
        }
        const change: repo.RequirementChange = { status: input.to, statusOn: at }
        if (input.to === 'assessed-suitable' || input.to === 'assessed-unsuitable') change.assessedOn = at
        if (input.to === 'made') {
          change.madeOn = at
          // The court's note on the order, when given, becomes the requirement's court/order note.
          if (input.reason !== null) change.note = input.reason
        }
        if (input.to === 'started' && current.startedOn === null) change.startedOn = at
        if (input.to === 'completed') change.endedOn = at
        const updated = await repo.update(tx, requirement.id, change, now)
        await repo.insertEvent(tx, {
          requirementId: requirement.id,
          kind: 'transition',
          fromStatus: from,
          toStatus: input.to,
          referralId: null,
          occurredOn: at,
          reason: input.reason,
          actorId: principal.userId,
          recordedAt: now,
        })
        await auditRequirement(tx, actor, 'update', updated, {
          channel,
          from,
          to: input.to,
          ...(current.referralId === requirement.referralId ? {} : { referralId: current.referralId }),
        })
        return { ok: true, detail: await readDetail(tx, updated, person, principal) }
      })
    } catch (error) {
      if (isUniqueViolation(error) && kind !== undefined) {
        throw new ConflictError(messages.reopenWhileOpen(kind), { code: 'open-requirement-exists' })
      }
      throw error
    }
  }

  /**
   * Links (or, with null, unlinks) the treatment referral, if the requirement is still at `expectedVersion`. Health
   * team only. A referral of another person is refused; a requirement that has started keeps a referral.
   */
  async function linkReferral(
    id: string,
    referralId: string | null,
    expectedVersion: number,
    actor: ActorContext,
    channel: Channel,
  ): Promise<WriteResult & { changed?: boolean }> {
    const principal = principalOf(actor)
    if (!hasRole(principal, referralLinkerRoles)) throw new ForbiddenError(messages.referralByHealthTeam)
    return db.transaction().execute(async (tx) => {
      const { requirement, person } = await loadRequirement(tx, id, principal, true)
      if (!assertVersion(requirement, expectedVersion)) return { ok: false as const, reason: 'stale' as const }
      if (referralId === requirement.referralId) {
        const detail = await readDetail(tx, requirement, person, principal)
        await auditRequirement(tx, actor, 'view', requirement, { channel, purpose: 'update-no-change' })
        return { ok: true as const, detail, changed: false }
      }
      if (referralId === null) {
        if (
          requirement.status === 'started' ||
          requirement.status === 'completed' ||
          requirement.status === 'breached'
        ) {
          throw new DomainError('referral-required', [
            { field: 'referralId', message: messages.referralRequiredWhileStarted },
          ])
        }
      } else {
        await resolveReferral(tx, referralId, person)
      }
      const now = clock.now()
      const updated = await repo.update(tx, requirement.id, { referralId }, now)
      await repo.insertEvent(tx, {
        requirementId: requirement.id,
        kind: referralId === null ? 'referral-unlinked' : 'referral-linked',
        fromStatus: requirement.status,
        toStatus: requirement.status,
        referralId,
        occurredOn: ukToday(clock),
        reason: null,
        actorId: principal.userId,
        recordedAt: now,
      })
      await auditRequirement(tx, actor, 'update', updated, {
        channel,
        referralId,
        previousReferralId: requirement.referralId,
      })
      return { ok: true as const, detail: await readDetail(tx, updated, person, principal), changed: true }
    })
  }

  return { today: () => ukToday(clock), listForPerson, viewForProposal, viewRequirement, propose, transition, linkReferral }
}

/** "MHTR" and its full name, for headings. */
export function requirementTitle(kind: TreatmentRequirementKind): string {
  return `${kindText[kind].name} (${kindText[kind].short})`
}
