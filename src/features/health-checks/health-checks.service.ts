import type { Kysely, Transaction } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import { createOnceIfKeyed } from '../../platform/db/idempotency.ts'
import type { DB } from '../../platform/db/schema.ts'
import { assertSiteAccess, clinicalRoles, type Principal, type Channel, principalWithRole } from '../../platform/http/auth.ts'
import { ConflictError, DomainError, NotFoundError, ValidationError, type FieldError } from '../../platform/http/errors.ts'
import type { ActorContext, AuditService } from '../../platform/audit/audit.service.ts'
import type { InstrumentDefinition, ScoreResult } from '../instruments/index.ts'
import { AnswerCodeError, score, type Answers } from '../instruments/index.ts'
import type { InstrumentsService } from '../instruments/index.ts'
import * as repo from './health-checks.repository.ts'
import {
  checkObservations,
  endOfUkDay,
  OBSERVATIONS_FLAG_SOURCE,
  observationWarningSigns,
  proposeNeeds,
  type NeedProposer,
  type Observations,
  type ObservationsInput,
  type ResultForRules,
} from './health-checks.rules.ts'
import { isUuid } from '../../platform/forms/forms.ts'
import { ukDateOf } from '../../platform/time/uk-time.ts'
import type { PersonRecord, PersonRecords } from '../people/index.ts'
import type { Need, NeedsService } from '../needs/index.ts'
import type { Executor } from '../../platform/db/executor.ts'

export type { HealthCheck, StoredResult, WarningFlag } from './health-checks.repository.ts'

export interface CheckDetail {
  check: repo.HealthCheck
  person: PersonRecord
  results: repo.StoredResult[]
  observations: (Observations & { recordedAt: Date }) | null
  flags: repo.WarningFlag[]
  needs: Need[]
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
  people: PersonRecords
  needs: Pick<NeedsService, 'proposeFromCheck' | 'needsOfChecks'>
  /** Later features (GP registration, screening) add proposers here. */
  needProposers?: readonly NeedProposer[]
}) {
  const { db, clock, audit, instruments, appointments, people, needs } = deps
  const needProposers = deps.needProposers ?? []
  const now = () => new Date(clock.now().getTime())

  async function instrumentStates(): Promise<Map<string, { definition: InstrumentDefinition; enabled: boolean }>> {
    const list = await instruments.listInstruments()
    return new Map(list.map((s) => [s.definition.code, { definition: s.definition, enabled: s.enabled }]))
  }

  async function loadPerson(tx: Transaction<DB>, id: string, principal: Principal): Promise<PersonRecord> {
    return people.loadRecord(tx, id, principal)
  }

  async function loadCheck(tx: Transaction<DB>, id: string, principal: Principal): Promise<repo.HealthCheck> {
    const check = isUuid(id) ? await repo.findCheck(tx, id) : undefined
    if (check === undefined) throw new NotFoundError('No health check has that id')
    assertSiteAccess(principal, check.siteId)
    return check
  }

  async function detailOf(tx: Transaction<DB>, check: repo.HealthCheck): Promise<CheckDetail> {
    const person = await people.findRecord(tx, check.personId)
    if (person === undefined) throw new Error('A health check’s person could not be read')
    const [results, observations, flags, proposed] = await Promise.all([
      repo.listResults(tx, [check.id]),
      repo.listObservations(tx, [check.id]),
      repo.listFlags(tx, { checkIds: [check.id] }),
      needs.needsOfChecks(tx, [check.id]),
    ])
    return {
      check,
      person,
      results: results.get(check.id) ?? [],
      observations: observations.get(check.id) ?? null,
      flags,
      needs: proposed,
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

  /**
   * Raises a flag for each warning sign the moment what holds it is saved (H-302), once per check and sign, with its
   * response due by the next UK midnight; audited per flag. `source` is the instrument, or `observations`.
   */
  async function insertFlags(
    tx: Transaction<DB>,
    check: repo.HealthCheck,
    source: string,
    signs: readonly { itemCode: string; code: string; message: string }[],
    actor: ActorContext,
    channel: Channel,
  ): Promise<number> {
    let raised = 0
    for (const flag of signs) {
      const at = now()
      const id = await repo.insertFlagOnce(tx, {
        personId: check.personId,
        siteId: check.siteId,
        checkId: check.id,
        instrumentCode: source,
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
        details: { channel, checkId: check.id, instrument: source, sign: flag.code },
      })
    }
    return raised
  }

  /** The instrument result's warning signs (PHQ-9 question 9 above 0). */
  async function raiseFlags(
    tx: Transaction<DB>,
    check: repo.HealthCheck,
    result: ScoreResult,
    actor: ActorContext,
    channel: Channel,
  ): Promise<number> {
    return insertFlags(tx, check, result.instrument, result.flags, actor, channel)
  }

  /** Stores the observations and raises their warning signs (H-326: 180/120 or higher) in the same transaction. */
  async function storeObservations(
    tx: Transaction<DB>,
    check: repo.HealthCheck,
    observations: Observations,
    actor: ActorContext,
    channel: Channel,
  ): Promise<number> {
    const principal = principalOf(actor)
    await repo.upsertObservations(tx, check.id, observations, principal.userId, now())
    return insertFlags(tx, check, OBSERVATIONS_FLAG_SOURCE, observationWarningSigns(observations), actor, channel)
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
  ): Promise<{ person: PersonRecord; checks: CheckDetail[] }> {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx) => {
      const person = await loadPerson(tx, personId, principal)
      const checks = await repo.listChecksForPerson(tx, person.id)
      const ids = checks.map((c) => c.id)
      const [results, observations, flags, proposed] = await Promise.all([
        repo.listResults(tx, ids),
        repo.listObservations(tx, ids),
        repo.listFlags(tx, { checkIds: ids }),
        needs.needsOfChecks(tx, ids),
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
          needs: proposed.filter((n) => n.checkId === check.id),
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
  ): Promise<PersonRecord> {
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
  ): Promise<{ flag: repo.WarningFlag; person: PersonRecord }> {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx) => {
      const flag = isUuid(id) ? await repo.findFlag(tx, id) : undefined
      if (flag === undefined) throw new NotFoundError('No warning flag has that id')
      assertSiteAccess(principal, flag.siteId)
      const person = await people.findRecord(tx, flag.personId)
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
    person: PersonRecord,
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
  ): Promise<
    { ok: true; detail: CheckDetail; flagsRaised: number } | { ok: false; reason: 'stale'; detail: CheckDetail }
  > {
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
      const flagsRaised = await storeObservations(tx, check, checked.value, actor, channel)
      await auditCheck(tx, actor, check, 'update', { channel, section: 'observations', flagsRaised })
      return { ok: true as const, detail: await reload(tx, check.id), flagsRaised }
    })
  }

  /** Proposes needs from the stored results (H-303 to H-309) and marks the check completed. */
  async function completeInTx(
    tx: Transaction<DB>,
    check: repo.HealthCheck,
    actor: ActorContext,
    channel: Channel,
  ): Promise<boolean> {
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
    await needs.proposeFromCheck(tx, check, proposals, actor, channel)
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

  /** A person's warning flags, newest first, with any responses; audited as one list. */
  async function listFlagsForPerson(
    personId: string,
    actor: ActorContext,
    channel: Channel,
  ): Promise<{ person: PersonRecord; flags: repo.WarningFlag[] }> {
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
          if (checked.ok) await storeObservations(tx, check, checked.value, actor, 'api')
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

  // ---- For other features, inside their own transaction (not audited here: the caller audits its read) ----

  /** A person's health checks, newest first (the timeline). */
  async function checksOfPerson(executor: Executor, personId: string): Promise<repo.HealthCheck[]> {
    return repo.listChecksForPerson(executor, personId)
  }

  /** A person's warning flags, newest first, with any responses (the timeline). */
  async function flagsOfPerson(executor: Executor, personId: string): Promise<repo.WarningFlag[]> {
    return repo.listFlags(executor, { personId })
  }

  return {
    today: () => ukDateOf(clock.now()),
    checksOfPerson,
    flagsOfPerson,
    instrumentStates,
    listChecks,
    viewCheck,
    personForStart,
    sections,
    viewFlag,
    startCheck,
    saveSection,
    recordObservations,
    completeCheck,
    respondToFlag,
    createCheck,
    listFlagsForPerson,
  }
}
