import type { Kysely, Transaction } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import { createOnceIfKeyed } from '../../platform/db/idempotency.ts'
import type { DB } from '../../platform/db/schema.ts'
import { assertSiteAccess, clinicalRoles, type Principal, type Channel, principalWithRole } from '../../platform/http/auth.ts'
import { ConflictError, DomainError, NotFoundError, ValidationError, type FieldError } from '../../platform/http/errors.ts'
import type { ActorContext, AuditService } from '../../platform/audit/audit.service.ts'
import type { InstrumentDefinition, ScoreResult } from '../instruments/instruments.schemas.ts'
import { AnswerCodeError, score, type Answers } from '../instruments/instruments.scoring.ts'
import type { InstrumentsService } from '../instruments/instruments.service.ts'
import * as repo from './health-checks.repository.ts'
import { blockedByOpenReferral, checkObservations, endOfUkDay, NEED_REASON_MAX, needCategoryLabels, needTransition, proposeNeeds, type NeedProposer, type Observations, type ObservationsInput, type ResultForRules } from './health-checks.rules.ts'
import { isRealDate, isUuid } from '../../platform/forms/forms.ts'
import { ukDateOf } from '../../platform/time/uk-time.ts'
import { needCategories, type NeedCategory, type NeedStatus } from '../needs/needs.tables.ts'

export type {
  HealthCheck,
  Need,
  NeedEvent,
  OpenReferral,
  PersonSummary,
  ReferralEvent,
  StoredResult,
  WarningFlag,
} from './health-checks.repository.ts'

/** A need with its decisions (oldest first) and the referrals still open on it. */
export interface NeedDetail {
  need: repo.Need
  history: repo.NeedEvent[]
  openReferrals: repo.OpenReferral[]
}

/** A need a clinician records directly. `identifiedOn` is a UK calendar date, YYYY-MM-DD. */
export interface NeedInput {
  category: NeedCategory
  why: string
  identifiedOn: string
}

export const clinicalTimelineKinds = ['health-checks', 'warning-flags', 'needs', 'referrals'] as const
export type ClinicalTimelineKind = (typeof clinicalTimelineKinds)[number]

export interface ClinicalTimeline {
  person: repo.PersonSummary
  checks: repo.HealthCheck[]
  flags: repo.WarningFlag[]
  needs: repo.Need[]
  needEvents: Map<string, repo.NeedEvent[]>
  referralEvents: repo.ReferralEvent[]
}

const reasonMessages: Readonly<Record<NeedStatus, string>> = {
  dismissed: 'Enter why this need is being dismissed',
  confirmed: 'Enter why this need is now being confirmed',
  proposed: 'Enter why this need is being reopened',
}


export interface CheckDetail {
  check: repo.HealthCheck
  person: repo.PersonSummary
  results: repo.StoredResult[]
  observations: (Observations & { recordedAt: Date }) | null
  flags: repo.WarningFlag[]
  needs: repo.Need[]
}

export type SectionStatus = 'not-started' | 'in-progress' | 'completed' | 'cannot-start'

export interface Section {
  definition: InstrumentDefinition
  enabled: boolean
  /** A full instrument is shown once its brief screen was positive (or it was started anyway). */
  kind: 'brief' | 'full'
  status: SectionStatus
  result: repo.StoredResult | undefined
}

/** An appointment as the check needs it, read through the appointments service. */
export interface AppointmentRef {
  id: string
  personId: string
  startsAt: Date
  status: string
}

export interface AppointmentLookup {
  find(id: string, actor: ActorContext): Promise<AppointmentRef | undefined>
}

export type SaveResult =
  | { ok: true; detail: CheckDetail; result: ScoreResult; offered: string | null; flagsRaised: number }
  | { ok: false; reason: 'stale'; detail: CheckDetail }

export interface CreateRequest {
  appointmentId?: string | undefined
  responses: Record<string, Answers>
  observations?: ObservationsInput | undefined
  complete?: boolean | undefined
}

function principalOf(actor: ActorContext): Principal {
  // Answers, scores, flags and needs are clinical detail: clinical roles only, whatever the route says.
  return principalWithRole(actor, clinicalRoles)
}

/** Every needed item answered, "prefer not to say" included: the section is done, even if the result is not. */
export function sectionDone(result: repo.StoredResult): boolean {
  return result.missingItems.every((item) => result.preferNotToSay.includes(item))
}

export type HealthChecksService = ReturnType<typeof createHealthChecksService>

export function createHealthChecksService(deps: {
  db: Kysely<DB>
  clock: Clock
  audit: AuditService
  instruments: InstrumentsService
  appointments: AppointmentLookup
  /** Later features (GP registration, screening) add proposers here. */
  needProposers?: readonly NeedProposer[]
}) {
  const { db, clock, audit, instruments, appointments } = deps
  const needProposers = deps.needProposers ?? []
  const now = () => new Date(clock.now().getTime())

  async function instrumentStates(): Promise<Map<string, { definition: InstrumentDefinition; enabled: boolean }>> {
    const list = await instruments.listInstruments()
    return new Map(list.map((s) => [s.definition.code, { definition: s.definition, enabled: s.enabled }]))
  }

  async function loadPerson(tx: Transaction<DB>, id: string, principal: Principal): Promise<repo.PersonSummary> {
    const person = isUuid(id) ? await repo.findPerson(tx, id) : undefined
    if (person === undefined) throw new NotFoundError('No person has that id')
    assertSiteAccess(principal, person.siteId)
    return person
  }

  async function loadCheck(tx: Transaction<DB>, id: string, principal: Principal): Promise<repo.HealthCheck> {
    const check = isUuid(id) ? await repo.findCheck(tx, id) : undefined
    if (check === undefined) throw new NotFoundError('No health check has that id')
    assertSiteAccess(principal, check.siteId)
    return check
  }

  async function detailOf(tx: Transaction<DB>, check: repo.HealthCheck): Promise<CheckDetail> {
    const person = await repo.findPerson(tx, check.personId)
    if (person === undefined) throw new Error('A health check’s person could not be read')
    const [results, observations, flags, needs] = await Promise.all([
      repo.listResults(tx, [check.id]),
      repo.listObservations(tx, [check.id]),
      repo.listFlags(tx, { checkIds: [check.id] }),
      repo.listNeeds(tx, { checkIds: [check.id] }),
    ])
    return {
      check,
      person,
      results: results.get(check.id) ?? [],
      observations: observations.get(check.id) ?? null,
      flags,
      needs,
    }
  }

  async function reload(tx: Transaction<DB>, id: string): Promise<CheckDetail> {
    const check = await repo.findCheck(tx, id)
    if (check === undefined) throw new Error('A health check just written could not be read back')
    return detailOf(tx, check)
  }

  /** Scores answers with the instruments module; unknown codes become a ValidationError naming each. */
  function scoreOrThrow(definition: InstrumentDefinition, answers: Answers, prefix: string): ScoreResult {
    try {
      return score(definition, answers)
    } catch (error) {
      if (error instanceof AnswerCodeError) {
        throw new ValidationError(error.problems.map((p) => ({ field: `${prefix}.${p.item}`, message: p.message })))
      }
      throw error
    }
  }

  function toStored(result: ScoreResult, answers: Answers): Omit<repo.StoredResult, 'savedAt'> {
    return {
      instrumentCode: result.instrument,
      instrumentVersion: result.version,
      answers: { ...answers },
      applicable: result.applicable,
      complete: result.complete,
      score: result.score,
      partialScore: result.partialScore,
      band: result.band,
      positive: result.positive,
      missingItems: [...result.missingItems],
      preferNotToSay: [...result.preferNotToSay],
    }
  }

  /** Raises a flag for each warning sign in the result the moment it is saved (H-302); audited per flag. */
  async function raiseFlags(
    tx: Transaction<DB>,
    check: repo.HealthCheck,
    result: ScoreResult,
    actor: ActorContext,
    channel: Channel,
  ): Promise<number> {
    let raised = 0
    for (const flag of result.flags) {
      const at = now()
      const id = await repo.insertFlagOnce(tx, {
        personId: check.personId,
        siteId: check.siteId,
        checkId: check.id,
        instrumentCode: result.instrument,
        itemCode: flag.itemCode,
        code: flag.code,
        message: flag.message,
        raisedAt: at,
        respondBy: endOfUkDay(at),
      })
      if (id === undefined) continue
      raised += 1
      await audit.record(tx, actor, {
        action: 'create',
        entityType: 'warning_flag',
        entityId: id,
        personId: check.personId,
        siteId: check.siteId,
        details: { channel, checkId: check.id, instrument: result.instrument, sign: flag.code },
      })
    }
    return raised
  }

  /**
   * Stores one instrument's answers and result, raises its flags, and when a brief screen is positive pre-fills the
   * full instrument's shared items (`sameAs`) without overwriting anything already answered there.
   */
  async function applySection(
    tx: Transaction<DB>,
    check: repo.HealthCheck,
    states: Awaited<ReturnType<typeof instrumentStates>>,
    code: string,
    answers: Answers,
    actor: ActorContext,
    channel: Channel,
    prefix: string,
  ): Promise<{ result: ScoreResult; offered: string | null; flagsRaised: number }> {
    const principal = principalOf(actor)
    const state = states.get(code)
    if (state === undefined) throw new ValidationError([{ field: prefix, message: `${code} is not an instrument` }])
    if (!state.enabled) {
      throw new ConflictError(
        `${state.definition.title} cannot be used until an administrator records permission from the licence holder.`,
        { code: 'instrument-permission-required', field: prefix },
      )
    }
    const result = scoreOrThrow(state.definition, answers, prefix)
    await repo.upsertResult(tx, check.id, toStored(result, answers), principal.userId, now())
    let flagsRaised = await raiseFlags(tx, check, result, actor, channel)

    let offered: string | null = null
    const fullCode = result.offerFull
    const full = fullCode === undefined ? undefined : states.get(fullCode)
    if (fullCode !== undefined && full?.enabled === true) {
      offered = fullCode
      const existing = (await repo.listResults(tx, [check.id]))
        .get(check.id)
        ?.find((r) => r.instrumentCode === fullCode)
      const fullAnswers: Record<string, string> = { ...(existing?.answers ?? {}) }
      let changed = existing === undefined
      for (const item of state.definition.items) {
        const answer = answers[item.code]
        if (item.sameAs?.instrument !== fullCode || answer === undefined) continue
        if (fullAnswers[item.sameAs.item] === undefined) {
          fullAnswers[item.sameAs.item] = answer
          changed = true
        }
      }
      if (changed) {
        const fullResult = scoreOrThrow(full.definition, fullAnswers, `responses.${fullCode}`)
        await repo.upsertResult(tx, check.id, toStored(fullResult, fullAnswers), principal.userId, now())
        flagsRaised += await raiseFlags(tx, check, fullResult, actor, channel)
      }
    }
    return { result, offered, flagsRaised }
  }

  function assertOpen(check: repo.HealthCheck): void {
    if (check.status === 'completed') {
      throw new ConflictError('This health check has been completed and can no longer be changed.', {
        code: 'check-completed',
      })
    }
  }

  async function auditCheck(
    tx: Transaction<DB>,
    actor: ActorContext,
    check: { id: string; personId: string; siteId: string },
    action: 'view' | 'create' | 'update',
    details: Record<string, unknown>,
  ): Promise<void> {
    await audit.record(tx, actor, {
      action,
      entityType: 'health_check',
      entityId: check.id,
      personId: check.personId,
      siteId: check.siteId,
      details,
    })
  }

  // ---- Reads ----

  async function listChecks(
    personId: string,
    actor: ActorContext,
    channel: Channel,
  ): Promise<{ person: repo.PersonSummary; checks: CheckDetail[] }> {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx) => {
      const person = await loadPerson(tx, personId, principal)
      const checks = await repo.listChecksForPerson(tx, person.id)
      const ids = checks.map((c) => c.id)
      const [results, observations, flags, needs] = await Promise.all([
        repo.listResults(tx, ids),
        repo.listObservations(tx, ids),
        repo.listFlags(tx, { checkIds: ids }),
        repo.listNeeds(tx, { checkIds: ids }),
      ])
      await audit.record(tx, actor, {
        action: 'list',
        entityType: 'health_check',
        personId: person.id,
        siteId: person.siteId,
        details: { channel, resultCount: checks.length, checkIds: ids },
      })
      return {
        person,
        checks: checks.map((check) => ({
          check,
          person,
          results: results.get(check.id) ?? [],
          observations: observations.get(check.id) ?? null,
          flags: flags.filter((f) => f.checkId === check.id),
          needs: needs.filter((n) => n.checkId === check.id),
        })),
      }
    })
  }

  async function viewCheck(id: string, actor: ActorContext, channel: Channel, purpose = 'view'): Promise<CheckDetail> {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx) => {
      const check = await loadCheck(tx, id, principal)
      await auditCheck(tx, actor, check, 'view', { channel, purpose })
      return detailOf(tx, check)
    })
  }

  /** The person's heading for the start page, read (and audited) as a view of the person. */
  async function personForStart(
    personId: string,
    actor: ActorContext,
    purpose = 'start-health-check',
  ): Promise<repo.PersonSummary> {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx) => {
      const person = await loadPerson(tx, personId, principal)
      await audit.record(tx, actor, {
        action: 'view',
        entityType: 'person',
        entityId: person.id,
        personId: person.id,
        siteId: person.siteId,
        details: { channel: 'page', purpose },
      })
      return person
    })
  }

  /** The task list: brief screens in library order, each full instrument after its brief once offered or started. */
  async function sections(detail: CheckDetail): Promise<Section[]> {
    const states = await instrumentStates()
    const fullCodes = new Set(
      [...states.values()].map((s) => s.definition.offerWhenPositive).filter((c): c is string => c !== null),
    )
    const results = new Map(detail.results.map((r) => [r.instrumentCode, r]))
    const out: Section[] = []
    for (const { definition, enabled } of states.values()) {
      const kind = fullCodes.has(definition.code) ? 'full' : 'brief'
      const result = results.get(definition.code)
      if (kind === 'full' && result === undefined) continue
      const status: SectionStatus =
        result === undefined
          ? enabled
            ? 'not-started'
            : 'cannot-start'
          : sectionDone(result)
            ? 'completed'
            : 'in-progress'
      out.push({ definition, enabled, kind, status, result })
    }
    return out
  }

  async function viewFlag(
    id: string,
    actor: ActorContext,
    channel: Channel,
  ): Promise<{ flag: repo.WarningFlag; person: repo.PersonSummary }> {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx) => {
      const flag = isUuid(id) ? await repo.findFlag(tx, id) : undefined
      if (flag === undefined) throw new NotFoundError('No warning flag has that id')
      assertSiteAccess(principal, flag.siteId)
      const person = await repo.findPerson(tx, flag.personId)
      if (person === undefined) throw new Error('A flag’s person could not be read')
      await audit.record(tx, actor, {
        action: 'view',
        entityType: 'warning_flag',
        entityId: flag.id,
        personId: flag.personId,
        siteId: flag.siteId,
        details: { channel },
      })
      return { flag, person }
    })
  }

  /**
   * Checks, flags, needs (with their decisions) and referral events for a person's timeline (clinical roles only),
   * each kind read only when asked for and audited as one list.
   */
  async function clinicalTimeline(
    personId: string,
    actor: ActorContext,
    include: Readonly<Record<ClinicalTimelineKind, boolean>> = {
      'health-checks': true,
      'warning-flags': true,
      needs: true,
      referrals: true,
    },
  ): Promise<ClinicalTimeline> {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx) => {
      const person = await loadPerson(tx, personId, principal)
      const out: ClinicalTimeline = {
        person,
        checks: [],
        flags: [],
        needs: [],
        needEvents: new Map(),
        referralEvents: [],
      }
      const read: string[] = []
      if (include['health-checks']) {
        out.checks = await repo.listChecksForPerson(tx, person.id)
        read.push('health_check')
      }
      if (include['warning-flags']) {
        out.flags = await repo.listFlags(tx, { personId: person.id })
        read.push('warning_flag')
      }
      if (include.needs) {
        out.needs = await repo.listNeeds(tx, { personId: person.id })
        out.needEvents = await repo.listNeedEvents(
          tx,
          out.needs.map((n) => n.id),
        )
        read.push('need')
      }
      if (include.referrals) {
        out.referralEvents = await repo.listReferralEventsForPerson(tx, person.id)
        read.push('referral')
      }
      for (const entityType of read) {
        await audit.record(tx, actor, {
          action: 'list',
          entityType,
          personId: person.id,
          siteId: person.siteId,
          details: { channel: 'page', purpose: 'timeline' },
        })
      }
      return out
    })
  }

  // ---- Writes ----

  async function checkAppointment(personId: string, appointmentId: string | undefined, actor: ActorContext) {
    if (appointmentId === undefined) return null
    const wrong = new DomainError('appointment-not-for-person', [
      { field: 'appointmentId', message: 'Choose one of this person’s appointments, or none' },
    ])
    if (!isUuid(appointmentId)) throw wrong
    let appointment: AppointmentRef | undefined
    try {
      appointment = await appointments.find(appointmentId, actor)
    } catch (error) {
      if (error instanceof NotFoundError) throw wrong
      throw error
    }
    if (appointment?.personId !== personId) throw wrong
    return appointment.id
  }

  async function insertNewCheck(
    tx: Transaction<DB>,
    person: repo.PersonSummary,
    appointmentId: string | null,
    actor: ActorContext,
    channel: Channel,
  ): Promise<string> {
    const principal = principalOf(actor)
    const id = await repo.insertCheck(tx, {
      personId: person.id,
      siteId: person.siteId,
      appointmentId,
      clinicianId: principal.userId,
      now: now(),
    })
    await auditCheck(tx, actor, { id, personId: person.id, siteId: person.siteId }, 'create', {
      channel,
      appointmentId,
    })
    return id
  }

  /** Starts a check. With a key (a form's one-time id or Idempotency-Key) a repeat starts nothing new. */
  async function startCheck(
    personId: string,
    options: { appointmentId?: string | undefined },
    actor: ActorContext,
    channel: Channel,
    idempotencyKey?: string,
  ): Promise<{ check: repo.HealthCheck; replayed: boolean }> {
    const principal = principalOf(actor)
    const appointmentId = await checkAppointment(personId, options.appointmentId, actor)
    return db.transaction().execute(async (tx) => {
      const person = await loadPerson(tx, personId, principal)
      const create = () => insertNewCheck(tx, person, appointmentId, actor, channel)
      const outcome = await createOnceIfKeyed(
        tx,
        idempotencyKey,
        { staffUserId: principal.userId, scope: 'health-check.start', request: { personId, appointmentId, channel } },
        create,
      )
      const check = await repo.findCheck(tx, outcome.id)
      if (check === undefined) throw new Error('A health check just started could not be read back')
      return { check, replayed: outcome.replayed }
    })
  }

  /**
   * Saves one section, part-way or whole, if nobody has saved the check since `expectedVersion`. Answers are stored
   * as given even when incomplete: nothing typed is lost.
   */
  async function saveSection(
    checkId: string,
    instrumentCode: string,
    answers: Answers,
    expectedVersion: number,
    actor: ActorContext,
    channel: Channel,
  ): Promise<SaveResult> {
    const principal = principalOf(actor)
    const states = await instrumentStates()
    return db.transaction().execute(async (tx): Promise<SaveResult> => {
      const check = await loadCheck(tx, checkId, principal)
      assertOpen(check)
      if (check.version !== expectedVersion) {
        await auditCheck(tx, actor, check, 'view', { channel, purpose: 'save-conflict' })
        return { ok: false, reason: 'stale', detail: await detailOf(tx, check) }
      }
      // The version is taken before anything is written: a save that loses the race writes no answers or flags.
      if (!(await repo.bumpVersion(tx, check.id, check.version, now()))) {
        await auditCheck(tx, actor, check, 'view', { channel, purpose: 'save-conflict' })
        return { ok: false, reason: 'stale', detail: await reload(tx, check.id) }
      }
      const applied = await applySection(tx, check, states, instrumentCode, answers, actor, channel, 'answers')
      await auditCheck(tx, actor, check, 'update', {
        channel,
        section: instrumentCode,
        complete: applied.result.complete,
        offered: applied.offered,
        flagsRaised: applied.flagsRaised,
      })
      return { ok: true, detail: await reload(tx, check.id), ...applied }
    })
  }

  async function recordObservations(
    checkId: string,
    input: ObservationsInput,
    expectedVersion: number,
    actor: ActorContext,
    channel: Channel,
  ): Promise<{ ok: true; detail: CheckDetail } | { ok: false; reason: 'stale'; detail: CheckDetail }> {
    const principal = principalOf(actor)
    const checked = checkObservations(input)
    if (!checked.ok) throw new DomainError('observations-invalid', checked.errors)
    return db.transaction().execute(async (tx) => {
      const check = await loadCheck(tx, checkId, principal)
      assertOpen(check)
      if (check.version !== expectedVersion || !(await repo.bumpVersion(tx, check.id, check.version, now()))) {
        await auditCheck(tx, actor, check, 'view', { channel, purpose: 'save-conflict' })
        return { ok: false as const, reason: 'stale' as const, detail: await reload(tx, check.id) }
      }
      await repo.upsertObservations(tx, check.id, checked.value, principal.userId, now())
      await auditCheck(tx, actor, check, 'update', { channel, section: 'observations' })
      return { ok: true as const, detail: await reload(tx, check.id) }
    })
  }

  /** Proposes needs from the stored results (H-303 to H-309) and marks the check completed. */
  async function completeInTx(
    tx: Transaction<DB>,
    check: repo.HealthCheck,
    actor: ActorContext,
    channel: Channel,
  ): Promise<boolean> {
    const principal = principalOf(actor)
    const at = now()
    // Completed first, holding the check's row: a completion that loses a race proposes no needs and writes no
    // (append-only) need history, and the needs are proposed from results no concurrent save can change.
    if (!(await repo.bumpVersion(tx, check.id, check.version, at, true))) return false
    const detail = await detailOf(tx, check)
    const forRules: ResultForRules[] = detail.results.map((r) => ({
      instrumentCode: r.instrumentCode,
      answers: r.answers,
      complete: r.complete,
      score: r.score,
      bandCode: r.band?.code ?? null,
      positive: r.positive,
    }))
    const observations = detail.observations
    const flagged = [...new Set(detail.flags.map((f) => f.instrumentCode))]
    const proposals = proposeNeeds(forRules, observations, flagged)
    for (const proposer of needProposers) {
      proposals.push(...(await proposer({ personId: check.personId, results: forRules, observations })))
    }
    for (const proposal of proposals) {
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
    await auditCheck(tx, actor, check, 'update', { channel, change: 'completed', needsProposed: proposals.length })
    return true
  }

  async function completeCheck(
    checkId: string,
    expectedVersion: number,
    actor: ActorContext,
    channel: Channel,
  ): Promise<{ ok: true; detail: CheckDetail } | { ok: false; reason: 'stale'; detail: CheckDetail }> {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx) => {
      const check = await loadCheck(tx, checkId, principal)
      assertOpen(check)
      if (check.version !== expectedVersion || !(await completeInTx(tx, check, actor, channel))) {
        await auditCheck(tx, actor, check, 'view', { channel, purpose: 'complete-conflict' })
        return { ok: false as const, reason: 'stale' as const, detail: await reload(tx, check.id) }
      }
      return { ok: true as const, detail: await reload(tx, check.id) }
    })
  }

  async function needHistory(tx: Transaction<DB>, need: repo.Need): Promise<NeedDetail> {
    const [events, openReferrals] = await Promise.all([
      repo.listNeedEvents(tx, [need.id]),
      repo.openReferralsForNeed(tx, need.id),
    ])
    return { need, history: events.get(need.id) ?? [], openReferrals }
  }

  async function loadNeed(tx: Transaction<DB>, id: string, principal: Principal, lock = false): Promise<repo.Need> {
    if (!isUuid(id)) throw new NotFoundError('No need has that id')
    // A decision holds the need's row: a referral being made on it (its foreign key takes a share lock) commits
    // first and is then seen by the open-referral check, instead of slipping in beside a dismissal (H-314).
    if (lock) await repo.lockNeed(tx, id)
    const need = await repo.findNeed(tx, id)
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
        const open = await repo.openReferralsForNeed(tx, need.id)
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
      const updated = await repo.findNeed(tx, need.id)
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
    const today = ukDateOf(clock.now())
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
      const person = await loadPerson(tx, personId, principal)
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
      const need = await repo.findNeed(tx, outcome.id)
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
  ): Promise<{ person: repo.PersonSummary; needs: NeedDetail[] }> {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx) => {
      const person = await loadPerson(tx, personId, principal)
      const needs = await repo.listNeeds(tx, { personId: person.id })
      const events = await repo.listNeedEvents(
        tx,
        needs.map((n) => n.id),
      )
      const details: NeedDetail[] = []
      for (const need of needs) {
        details.push({
          need,
          history: events.get(need.id) ?? [],
          openReferrals: need.status === 'proposed' ? [] : await repo.openReferralsForNeed(tx, need.id),
        })
      }
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
  ): Promise<NeedDetail & { person: repo.PersonSummary }> {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx) => {
      const need = await loadNeed(tx, needId, principal)
      const person = await repo.findPerson(tx, need.personId)
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

  /** A person's warning flags, newest first, with any responses; audited as one list. */
  async function listFlagsForPerson(
    personId: string,
    actor: ActorContext,
    channel: Channel,
  ): Promise<{ person: repo.PersonSummary; flags: repo.WarningFlag[] }> {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx) => {
      const person = await loadPerson(tx, personId, principal)
      const flags = await repo.listFlags(tx, { personId: person.id })
      await audit.record(tx, actor, {
        action: 'list',
        entityType: 'warning_flag',
        personId: person.id,
        siteId: person.siteId,
        details: { channel, resultCount: flags.length },
      })
      return { person, flags }
    })
  }

  /** Records the clinician's documented response to a flag (H-302). */
  async function respondToFlag(
    flagId: string,
    responseText: string,
    actor: ActorContext,
    channel: Channel,
  ): Promise<repo.WarningFlag> {
    const principal = principalOf(actor)
    const text = responseText.trim()
    const errors: FieldError[] = []
    if (text === '') errors.push({ field: 'response', message: 'Enter your response to this warning sign' })
    else if (text.length > 5000)
      errors.push({ field: 'response', message: 'Response must be 5000 characters or fewer' })
    if (errors.length > 0) throw new ValidationError(errors)
    return db.transaction().execute(async (tx) => {
      const flag = isUuid(flagId) ? await repo.findFlag(tx, flagId) : undefined
      if (flag === undefined) throw new NotFoundError('No warning flag has that id')
      assertSiteAccess(principal, flag.siteId)
      if (!(await repo.respondToFlag(tx, flag.id, text, principal.userId, now()))) {
        throw new ConflictError('A response to this warning sign has already been recorded.', { code: 'responded' })
      }
      await audit.record(tx, actor, {
        action: 'update',
        entityType: 'warning_flag',
        entityId: flag.id,
        personId: flag.personId,
        siteId: flag.siteId,
        details: { channel, change: 'responded', late: now() >= flag.respondBy },
      })
      const updated = await repo.findFlag(tx, flag.id)
      if (updated === undefined) throw new Error('A flag just responded to could not be read back')
      return updated
    })
  }

  /**
   * The API's one-call check: starts it, saves every instrument, records observations and (if asked) completes it,
   * all in one transaction. Every unknown instrument, item or option code is named before anything is written.
   */
  async function createCheck(
    personId: string,
    request: CreateRequest,
    actor: ActorContext,
    idempotencyKey?: string,
  ): Promise<{ detail: CheckDetail; replayed: boolean }> {
    const principal = principalOf(actor)
    const states = await instrumentStates()
    const errors: FieldError[] = []
    for (const [code, answers] of Object.entries(request.responses)) {
      const state = states.get(code)
      if (state === undefined) {
        errors.push({ field: `responses.${code}`, message: `${code} is not an instrument` })
        continue
      }
      try {
        score(state.definition, answers)
      } catch (error) {
        if (!(error instanceof AnswerCodeError)) throw error
        for (const p of error.problems) errors.push({ field: `responses.${code}.${p.item}`, message: p.message })
      }
    }
    if (request.observations !== undefined) {
      const checked = checkObservations(request.observations)
      if (!checked.ok) errors.push(...checked.errors.map((e) => ({ ...e, field: `observations.${e.field}` })))
    }
    if (errors.length > 0) throw new ValidationError(errors)
    const appointmentId = await checkAppointment(personId, request.appointmentId, actor)
    return db.transaction().execute(async (tx) => {
      const person = await loadPerson(tx, personId, principal)
      const create = async (): Promise<string> => {
        const id = await insertNewCheck(tx, person, appointmentId, actor, 'api')
        const check = await repo.findCheck(tx, id)
        if (check === undefined) throw new Error('A health check just started could not be read back')
        for (const [code, answers] of Object.entries(request.responses)) {
          await applySection(tx, check, states, code, answers, actor, 'api', `responses.${code}`)
        }
        if (request.observations !== undefined) {
          const checked = checkObservations(request.observations)
          if (checked.ok) await repo.upsertObservations(tx, id, checked.value, principal.userId, now())
        }
        if (request.complete === true) await completeInTx(tx, check, actor, 'api')
        return id
      }
      const outcome = await createOnceIfKeyed(
        tx,
        idempotencyKey,
        { staffUserId: principal.userId, scope: 'health-check.start', request },
        create,
      )
      const detail = await reload(tx, outcome.id)
      if (outcome.replayed) {
        assertSiteAccess(principal, detail.check.siteId)
        await auditCheck(tx, actor, detail.check, 'view', { channel: 'api', purpose: 'create-replay' })
      }
      return { detail, replayed: outcome.replayed }
    })
  }

  return {
    today: () => ukDateOf(clock.now()),
    instrumentStates,
    listChecks,
    viewCheck,
    personForStart,
    sections,
    viewFlag,
    clinicalTimeline,
    startCheck,
    saveSection,
    recordObservations,
    completeCheck,
    decideNeed,
    respondToFlag,
    createCheck,
    recordNeed,
    listNeedsForPerson,
    viewNeed,
    listFlagsForPerson,
  }
}
