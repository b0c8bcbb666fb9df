import type { Kysely, Transaction } from 'kysely'
import type { AuditService } from '../../platform/audit/audit.service.ts'
import type { Clock } from '../../platform/clock.ts'
import type { Executor } from '../../platform/db/executor.ts'
import { createOnceIfKeyed } from '../../platform/db/idempotency.ts'
import type { DB } from '../../platform/db/schema.ts'
import { isRealDate, isUuid } from '../../platform/forms/forms.ts'
import {
  assertSiteAccess,
  clinicalRoles,
  principalWithRole,
  type ActorContext,
  type Channel,
  type Principal,
} from '../../platform/http/auth.ts'
import { ConflictError, NotFoundError, ValidationError, type FieldError } from '../../platform/http/errors.ts'
import { ukDateOf, ukToday } from '../../platform/time/uk-time.ts'
import type { PersonRecord, PersonRecords } from '../people/index.ts'
import * as read from './needs.read-model.ts'
import * as repo from './needs.repository.ts'
import { blockedByOpenReferral, NEED_REASON_MAX, needCategoryLabels, needTransition } from './needs.rules.ts'
import { needCategories, type NeedCategory, type NeedStatus } from './needs.tables.ts'

export type { Need, NeedEvent, NeedForReferral } from './needs.read-model.ts'

/** A referral still open on a need, as the referrals feature reports it. */
export interface OpenReferral {
  id: string
  status: string
  serviceName: string
}

/**
 * Where the needs feature learns which referrals are open on needs, by need id, in one query for a whole list (the
 * referrals feature, wired at the root).
 */
export type OpenReferralsOnNeed = (executor: Executor, needIds: readonly string[]) => Promise<Map<string, OpenReferral[]>>

/** A need with its decisions (oldest first) and the referrals still open on it. */
export interface NeedDetail {
  need: read.Need
  history: read.NeedEvent[]
  openReferrals: OpenReferral[]
}

/** A need a clinician records directly. `identifiedOn` is a UK calendar date, YYYY-MM-DD. */
export interface NeedInput {
  category: NeedCategory
  why: string
  identifiedOn: string
}

/** A need a health check's rules propose (H-303 to H-309). */
export interface ProposedNeed {
  category: NeedCategory
  because: string
}

const reasonMessages: Readonly<Record<NeedStatus, string>> = {
  dismissed: 'Enter why this need is being dismissed',
  confirmed: 'Enter why this need is now being confirmed',
  proposed: 'Enter why this need is being reopened',
}

/** Needs are clinical detail: clinical roles only, whatever the route says. */
function principalOf(actor: ActorContext): Principal {
  return principalWithRole(actor, clinicalRoles)
}

export type NeedsService = ReturnType<typeof createNeedsService>

export function createNeedsService(deps: {
  db: Kysely<DB>
  clock: Clock
  audit: AuditService
  people: PersonRecords
  openReferralsOn: OpenReferralsOnNeed
}) {
  const { db, clock, audit, people, openReferralsOn } = deps
  const now = () => new Date(clock.now().getTime())

  async function needHistory(executor: Executor, need: read.Need): Promise<NeedDetail> {
    const [events, openReferrals] = await Promise.all([
      read.listNeedEvents(executor, [need.id]),
      openReferralsOn(executor, [need.id]),
    ])
    return { need, history: events.get(need.id) ?? [], openReferrals: openReferrals.get(need.id) ?? [] }
  }

  async function loadNeed(tx: Transaction<DB>, id: string, principal: Principal, lock = false): Promise<read.Need> {
    if (!isUuid(id)) throw new NotFoundError('No need has that id')
    // A decision holds the need's row: a referral being made on it (its foreign key takes a share lock) commits
    // first and is then seen by the open-referral check, instead of slipping in beside a dismissal (H-314).
    if (lock) await repo.lockNeed(tx, id)
    const need = await read.findNeed(tx, id)
    if (need === undefined) throw new NotFoundError('No need has that id')
    assertSiteAccess(principal, need.siteId)
    return need
  }

  /**
   * A clinician's decision on a need: confirm or dismiss a proposal, or change their mind later (H-303, H-313).
   * Every decision but confirming a proposal needs a reason; dismissing or reopening is refused while a referral
   * for the need is open (H-314); a decision made against an older version of the need is refused (H-315).
   */
  async function decideNeed(
    needId: string,
    input: { decision: NeedStatus; reason: string; expectedVersion?: number | undefined },
    actor: ActorContext,
    channel: Channel,
  ): Promise<NeedDetail> {
    const principal = principalOf(actor)
    const reason = input.reason.trim()
    if (reason.length > NEED_REASON_MAX) {
      throw new ValidationError([
        { field: 'reason', message: `Reason must be ${String(NEED_REASON_MAX)} characters or fewer` },
      ])
    }
    return db.transaction().execute(async (tx) => {
      const need = await loadNeed(tx, needId, principal, true)
      const label = needCategoryLabels[need.category]
      if (input.expectedVersion !== undefined && input.expectedVersion !== need.version) {
        throw new ConflictError(
          `Someone else changed the ${label} need after you opened it: it is now ${need.status}. Check its ` +
            'history, then decide again.',
          { code: 'stale-version', currentStatus: need.status, currentVersion: need.version },
        )
      }
      const to = input.decision
      const transition = needTransition(need.status, to)
      if (!transition.allowed) {
        throw new ConflictError(`The ${label} need is already ${need.status}.`, {
          code: 'no-change',
          field: 'decision',
        })
      }
      if (blockedByOpenReferral(to)) {
        const open = (await openReferralsOn(tx, [need.id])).get(need.id) ?? []
        if (open.length > 0) {
          const names = [...new Set(open.map((r) => r.serviceName))].join(' and ')
          const verb = to === 'dismissed' ? 'dismiss' : 'reopen'
          throw new ConflictError(
            `The ${label} need has an open referral to ${names}. Withdraw the referral first, then ${verb} the need.`,
            { code: 'open-referral', field: 'decision' },
          )
        }
      }
      if (transition.reasonRequired && reason === '') {
        throw new ValidationError([{ field: 'reason', message: reasonMessages[to] }])
      }
      const at = now()
      const moved = await repo.decideNeed(tx, need.id, {
        from: need.status,
        to,
        version: need.version,
        reason: reason === '' ? null : reason,
        by: principal.userId,
        at,
      })
      if (!moved) {
        throw new ConflictError(
          `Someone else decided on the ${label} need at the same moment. Check its history, then decide again.`,
          { code: 'need-changed' },
        )
      }
      await repo.insertNeedEvent(tx, {
        needId: need.id,
        from: need.status,
        to,
        reason: reason === '' ? null : reason,
        by: principal.userId,
        at,
      })
      await audit.record(tx, actor, {
        action: 'update',
        entityType: 'need',
        entityId: need.id,
        personId: need.personId,
        siteId: need.siteId,
        details: { channel, change: to, from: need.status },
      })
      const updated = await read.findNeed(tx, need.id)
      if (updated === undefined) throw new Error('A need just decided could not be read back')
      return needHistory(tx, updated)
    })
  }

  /** Checks a directly recorded need as the form and the API give it; every problem names its field. */
  function checkNeedInput(input: NeedInput): { ok: true; value: NeedInput } | { ok: false; errors: FieldError[] } {
    const errors: FieldError[] = []
    if (!(needCategories as readonly string[]).includes(input.category)) {
      errors.push({ field: 'category', message: 'Select the kind of need' })
    }
    const why = input.why.trim()
    if (why === '') errors.push({ field: 'why', message: 'Enter why this need was identified' })
    else if (why.length > NEED_REASON_MAX) {
      errors.push({ field: 'why', message: `Why must be ${String(NEED_REASON_MAX)} characters or fewer` })
    }
    const today = ukToday(clock)
    if (!isRealDate(input.identifiedOn)) {
      errors.push({ field: 'identifiedOn', message: 'The date the need was identified must be a real date' })
    } else if (input.identifiedOn > today) {
      errors.push({ field: 'identifiedOn', message: 'The date the need was identified must be today or in the past' })
    }
    return errors.length > 0 ? { ok: false, errors } : { ok: true, value: { ...input, why } }
  }

  /**
   * Records a need a check did not find (e.g. raised in conversation), confirmed at once by the clinician (H-316).
   * With a key (the form's one-time id or Idempotency-Key) a repeat records nothing new.
   */
  async function recordNeed(
    personId: string,
    input: NeedInput,
    actor: ActorContext,
    channel: Channel,
    idempotencyKey?: string,
  ): Promise<{ detail: NeedDetail; replayed: boolean }> {
    const principal = principalOf(actor)
    const checked = checkNeedInput(input)
    if (!checked.ok) throw new ValidationError(checked.errors)
    const value = checked.value
    return db.transaction().execute(async (tx) => {
      const person = await people.loadRecord(tx, personId, principal)
      const create = async (): Promise<string> => {
        const at = now()
        const id = await repo.insertDirectNeed(tx, {
          personId: person.id,
          siteId: person.siteId,
          category: value.category,
          why: value.why,
          on: value.identifiedOn,
          by: principal.userId,
          at,
        })
        await repo.insertNeedEvent(tx, {
          needId: id,
          from: null,
          to: 'confirmed',
          reason: null,
          by: principal.userId,
          at,
        })
        await audit.record(tx, actor, {
          action: 'create',
          entityType: 'need',
          entityId: id,
          personId: person.id,
          siteId: person.siteId,
          details: { channel, category: value.category, status: 'confirmed', source: 'direct' },
        })
        return id
      }
      const outcome = await createOnceIfKeyed(
        tx,
        idempotencyKey,
        { staffUserId: principal.userId, scope: 'need.record', request: { personId, value } },
        create,
      )
      const need = await read.findNeed(tx, outcome.id)
      if (need === undefined) throw new Error('A need just recorded could not be read back')
      if (outcome.replayed) {
        assertSiteAccess(principal, need.siteId)
        await audit.record(tx, actor, {
          action: 'view',
          entityType: 'need',
          entityId: need.id,
          personId: need.personId,
          siteId: need.siteId,
          details: { channel, purpose: 'record-replay' },
        })
      }
      return { detail: await needHistory(tx, need), replayed: outcome.replayed }
    })
  }

  /** A person's needs, newest first, each with its decisions and open referrals; audited as one list. */
  async function listNeedsForPerson(
    personId: string,
    actor: ActorContext,
    channel: Channel,
  ): Promise<{ person: PersonRecord; needs: NeedDetail[] }> {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx) => {
      const person = await people.loadRecord(tx, personId, principal)
      const needs = await read.listNeeds(tx, { personId: person.id })
      const events = await read.listNeedEvents(
        tx,
        needs.map((n) => n.id),
      )
      const open = await openReferralsOn(
        tx,
        needs.filter((n) => n.status !== 'proposed').map((n) => n.id),
      )
      const details: NeedDetail[] = needs.map((need) => ({
        need,
        history: events.get(need.id) ?? [],
        openReferrals: need.status === 'proposed' ? [] : (open.get(need.id) ?? []),
      }))
      await audit.record(tx, actor, {
        action: 'list',
        entityType: 'need',
        personId: person.id,
        siteId: person.siteId,
        details: { channel, resultCount: needs.length },
      })
      return { person, needs: details }
    })
  }

  async function viewNeed(
    needId: string,
    actor: ActorContext,
    channel: Channel,
  ): Promise<NeedDetail & { person: PersonRecord }> {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx) => {
      const need = await loadNeed(tx, needId, principal)
      const person = await people.findRecord(tx, need.personId)
      if (person === undefined) throw new Error('A need’s person could not be read')
      await audit.record(tx, actor, {
        action: 'view',
        entityType: 'need',
        entityId: need.id,
        personId: need.personId,
        siteId: need.siteId,
        details: { channel },
      })
      return { ...(await needHistory(tx, need)), person }
    })
  }

  /** The person's heading for the "add a need" page, read (and audited) as a view of the person. */
  async function personForNewNeed(personId: string, actor: ActorContext): Promise<PersonRecord> {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx) => {
      const person = await people.loadRecord(tx, personId, principal)
      await audit.record(tx, actor, {
        action: 'view',
        entityType: 'person',
        entityId: person.id,
        personId: person.id,
        siteId: person.siteId,
        details: { channel: 'page', purpose: 'record-need' },
      })
      return person
    })
  }

  // ---- For other features, inside their own transaction (not audited here: the caller audits its read) ----

  /**
   * Proposes the needs a completed health check's rules found, once per check and category, each with its first
   * history entry and audit event. A category the person already has open (proposed, or confirmed and not
   * dismissed) is not proposed again: the clinician decides on, or already works with, the need there is (H-303).
   */
  async function proposeFromCheck(
    tx: Transaction<DB>,
    check: { id: string; personId: string; siteId: string },
    proposals: readonly ProposedNeed[],
    actor: ActorContext,
    channel: Channel,
  ): Promise<void> {
    const principal = principalOf(actor)
    const at = now()
    await repo.lockPersonForProposals(tx, check.personId)
    const open = await repo.openCategoriesOf(tx, check.personId)
    for (const proposal of proposals) {
      if (open.has(proposal.category)) continue
      open.add(proposal.category)
      const id = await repo.insertNeedOnce(tx, {
        personId: check.personId,
        siteId: check.siteId,
        checkId: check.id,
        category: proposal.category,
        because: proposal.because,
        on: ukDateOf(at),
      })
      if (id === undefined) continue
      await repo.insertNeedEvent(tx, { needId: id, from: null, to: 'proposed', reason: null, by: principal.userId, at })
      await audit.record(tx, actor, {
        action: 'create',
        entityType: 'need',
        entityId: id,
        personId: check.personId,
        siteId: check.siteId,
        details: { channel, checkId: check.id, category: proposal.category, status: 'proposed' },
      })
    }
  }

  /** The needs the given health checks proposed. */
  async function needsOfChecks(executor: Executor, checkIds: readonly string[]): Promise<read.Need[]> {
    return read.listNeeds(executor, { checkIds })
  }

  /** A person's needs with each one's decisions, for their timeline. */
  async function needsWithHistory(
    executor: Executor,
    personId: string,
  ): Promise<{ needs: read.Need[]; events: Map<string, read.NeedEvent[]> }> {
    const needs = await read.listNeeds(executor, { personId })
    const events = await read.listNeedEvents(
      executor,
      needs.map((n) => n.id),
    )
    return { needs, events }
  }

  /** The person's confirmed needs, oldest identified first (what a referral can be made from). */
  async function confirmedNeedsOf(executor: Executor, personId: string): Promise<read.NeedForReferral[]> {
    return read.listConfirmedNeeds(executor, personId)
  }

  /** The need a referral is being made from, share-locked until the transaction ends (see the read model). */
  async function needForReferral(executor: Executor, needId: string): Promise<read.NeedForReferral | undefined> {
    return isUuid(needId) ? read.findNeedForReferral(executor, needId) : undefined
  }

  return {
    today: () => ukToday(clock),
    confirmedNeedsOf,
    needForReferral,
    decideNeed,
    recordNeed,
    listNeedsForPerson,
    viewNeed,
    personForNewNeed,
    proposeFromCheck,
    needsOfChecks,
    needsWithHistory,
  }
}
