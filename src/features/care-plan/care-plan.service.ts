import type { Kysely, Transaction } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import type { DB } from '../../platform/db/schema.ts'
import { isRealDate, isUuid } from '../../platform/forms/forms.ts'
import type { ActorContext, AuditService } from '../../platform/audit/audit.service.ts'
import {
  clinicalRoles,
  hasRole,
  personRecordRoles,
  principalWithRole,
  type Channel,
  type Principal,
} from '../../platform/http/auth.ts'
import { ForbiddenError, NotFoundError, ValidationError, type FieldError } from '../../platform/http/errors.ts'
import { ukToday } from '../../platform/time/uk-time.ts'
import type { AppointmentsService } from '../appointments/index.ts'
import type { ConsentService } from '../consent/index.ts'
import type { GpRegistrationService } from '../gp-registration/index.ts'
import { needCategoryLabels, type NeedCategory } from '../needs/index.ts'
import type { PersonRecord, PersonRecords } from '../people/index.ts'
import { referralStatusText, type ReferralStatus, type ReferralsService } from '../referrals/index.ts'
import type { ScreeningService } from '../screening/index.ts'
import type { SitesService } from '../sites/index.ts'
import {
  ACTION_MAX,
  GOAL_MAX,
  gpPlainWords,
  messages,
  NOTES_MAX,
  OWNER_NAME_MAX,
  referralNextStep,
  screeningPlainName,
} from './care-plan.messages.ts'
import * as read from './care-plan.read-model.ts'
import * as repo from './care-plan.repository.ts'
import {
  actionOwners,
  actionStatuses,
  agreementDecisions,
  goalOutcomes,
  linkKinds,
  printSections,
  type ActionOwner,
  type ActionStatus,
  type AgreementDecision,
  type GoalOutcome,
  type LinkKind,
  type PrintSection,
} from './care-plan.tables.ts'

export type { Action, Agreement, CarePlan, Goal, HistoryEntry, PrintChoices, Review } from './care-plan.repository.ts'
export type { AppointmentOption, LinkOption } from './care-plan.read-model.ts'

/** Who may read a care plan: the health team, and probation practitioners while the person agrees to share. */
export const carePlanReaderRoles = personRecordRoles
/** Who may write one, and print it for the person: the health team only. */
export const carePlanWriterRoles = clinicalRoles
export const PROBATION_SHARING_TOPIC = 'share-summary-with-probation'

export interface ActionView extends repo.Action {
  /** The linked record; `id` and `label` are null for probation practitioners (clinical detail). */
  link: { kind: LinkKind; id: string | null; label: string | null } | null
  etag: string
}

export interface GoalView extends repo.Goal {
  actions: ActionView[]
  latestOutcome: { outcome: GoalOutcome; reviewedOn: string } | null
  etag: string
}

export interface PlanView {
  person: PersonRecord
  plan: repo.CarePlan | null
  goals: GoalView[]
  reviews: repo.Review[]
  agreements: repo.Agreement[]
  /** The current agreement: the latest recorded. */
  agreement: repo.Agreement | null
  history: repo.HistoryEntry[]
  canWrite: boolean
  /** A probation practitioner, and the person has not agreed to share with probation: nothing of the plan is read. */
  withheld: boolean
  /** The plan's ETag (its print choices' version; 0 before the plan exists). */
  etag: string
  /** For the health team's forms: the person's records an action may link to, and appointments for a review. */
  linkOptions: read.LinkOption[]
  appointmentOptions: read.AppointmentOption[]
}

export interface GoalInput {
  inOwnWords: string
}

export interface ActionInput {
  description: string
  owner: string
  ownerName: string | null
  /** YYYY-MM-DD or null. */
  dueOn: string | null
  status: string
  link: { kind: string; id: string } | null
}

export interface ReviewInput {
  reviewedOn: string
  appointmentId: string | null
  notes: string | null
  outcomes: { goalId: string; outcome: string }[]
}

export interface AgreementInput {
  decision: string
  comments: string | null
  decidedOn: string
}

export interface PrintChoicesInput {
  sections: Record<PrintSection, boolean>
  goalIds: string[]
}

export type WriteResult<T = PlanView> = { ok: true; view: T } | { ok: false; reason: 'stale' }

export const etagFor = (version: number): string => `W/"${version}"`

function emptyView(person: PersonRecord): PlanView {
  return {
    person,
    plan: null,
    goals: [],
    reviews: [],
    agreements: [],
    agreement: null,
    history: [],
    canWrite: false,
    withheld: false,
    etag: etagFor(0),
    linkOptions: [],
    appointmentOptions: [],
  }
}

/** The printed plan: only what was chosen, in plain words. A section left out is undefined. */
export interface PrintedPlan {
  person: PersonRecord
  /** The name the plan speaks to: the preferred name, else the given name. */
  addressedAs: string
  siteName: string
  goals: {
    inOwnWords: string
    actions: {
      description: string
      owner: ActionOwner
      ownerName: string | null
      dueOn: string | null
      status: ActionStatus
    }[]
  }[]
  agreement: repo.Agreement | null
  appointments: { startsAt: Date; endsAt: Date; place: string; withWhom: string }[] | undefined
  referrals: { service: string; now: string; next: string; phone: string | null }[] | undefined
  gpRegistration: string | undefined
  screening: string[] | undefined
  phoneNumbers: { who: string; phone: string | null }[] | undefined
  printedOn: string
}

const LINK_LABEL_KINDS = new Set<string>(linkKinds)

export function linkLabel(option: read.LinkOption): string {
  const { what, status, date } = option.parts
  const on = date === null ? '' : ` (${date})`
  switch (option.kind) {
    case 'need':
      return `${needCategoryLabels[what as NeedCategory]} need, ${status}${on}`
    case 'referral':
      return `Referral to ${what}: ${referralStatusText[status as ReferralStatus].label.toLowerCase()}${on}`
    case 'gp-registration':
      return `GP registration: ${status.replace(/-/g, ' ')}${on}`
    case 'screening':
      return `${screeningPlainName[what] ?? what} screening event: ${status.replace(/-/g, ' ')}${on}`
  }
}

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value)
}

export type CarePlanService = ReturnType<typeof createCarePlanService>

export function createCarePlanService(deps: {
  db: Kysely<DB>
  clock: Clock
  audit: AuditService
  /** Consulted inside each read's transaction, so a withdrawal applies at once. */
  consent: Pick<ConsentService, 'allows'>
  people: PersonRecords
  sites: Pick<SitesService, 'listByIds' | 'findContact'>
  /** The printed plan reads these through their own services (each audits its own read), never inside a transaction. */
  appointments: Pick<AppointmentsService, 'listForPerson'>
  referrals: Pick<ReferralsService, 'personReferrals'>
  gpRegistration: Pick<GpRegistrationService, 'viewRegistration'>
  screening: Pick<ScreeningService, 'assess'>
}) {
  const { db, clock, audit, consent, people } = deps

  /** Whether this viewer may read the plan's content: the health team always, probation with the person's consent. */
  async function mayRead(tx: Transaction<DB>, person: PersonRecord, principal: Principal): Promise<boolean> {
    return hasRole(principal, carePlanWriterRoles) || consent.allows(tx, person.id, PROBATION_SHARING_TOPIC)
  }

  async function readPlan(
    tx: Transaction<DB>,
    person: PersonRecord,
    principal: Principal,
    purpose: string,
  ): Promise<PlanView> {
    const clinical = hasRole(principal, carePlanWriterRoles)
    const plan = (await repo.findPlanForPerson(tx, person.id)) ?? null
    const goals = plan === null ? [] : await repo.listGoals(tx, plan.id)
    const actions = plan === null ? [] : await repo.listActions(tx, plan.id)
    const reviews = plan === null ? [] : await repo.listReviews(tx, plan.id)
    const agreements = plan === null ? [] : await repo.listAgreements(tx, plan.id)
    const rawHistory = plan === null ? [] : await repo.listHistory(tx, plan.id)
    // Which record an action links to is clinical detail: probation practitioners see only the kind.
    const history = clinical
      ? rawHistory
      : rawHistory.map((h) => ('linkId' in h.snapshot ? { ...h, snapshot: { ...h.snapshot, linkId: null } } : h))
    const options = clinical ? await read.linkOptions(tx, person.id) : []
    const labels = new Map(options.map((o) => [`${o.kind}:${o.id}`, linkLabel(o)]))
    const actionView = (a: repo.Action): ActionView => ({
      ...a,
      link:
        a.linkKind === null || a.linkId === null
          ? null
          : clinical
            ? { kind: a.linkKind, id: a.linkId, label: labels.get(`${a.linkKind}:${a.linkId}`) ?? null }
            : { kind: a.linkKind, id: null, label: null },
      etag: etagFor(a.version),
    })
    const goalViews = goals.map((g): GoalView => {
      // Reviews are newest first: the first that gave this goal an outcome is its latest.
      const latest = reviews.flatMap((r) =>
        r.outcomes.filter((o) => o.goalId === g.id).map((o) => ({ outcome: o.outcome, reviewedOn: r.reviewedOn })),
      )[0]
      return {
        ...g,
        actions: actions.filter((a) => a.goalId === g.id).map(actionView),
        latestOutcome: latest ?? null,
        etag: etagFor(g.version),
      }
    })
    return {
      person,
      plan,
      goals: goalViews,
      reviews,
      agreements,
      agreement: agreements[0] ?? null,
      history,
      canWrite: clinical,
      withheld: false,
      etag: etagFor(plan?.version ?? 0),
      linkOptions: purpose === 'action-form' ? options : [],
      appointmentOptions:
        purpose === 'review-form' && clinical ? await read.reviewAppointments(tx, person.id, clock.now()) : [],
    }
  }

  async function auditPlan(
    tx: Transaction<DB>,
    actor: ActorContext,
    action: 'view' | 'create' | 'update' | 'export',
    person: PersonRecord,
    details: Record<string, unknown>,
  ): Promise<void> {
    await audit.record(tx, actor, {
      action,
      entityType: 'care_plan',
      entityId: person.id,
      personId: person.id,
      siteId: person.siteId,
      details,
    })
  }

  /** The person's plan with its history, as this viewer may see it; audited as a view. */
  async function viewPlan(
    personId: string,
    actor: ActorContext,
    channel: Channel,
    purpose: 'view' | 'goal-form' | 'action-form' | 'review-form' | 'agreement-form' | 'print-choices-form' = 'view',
  ): Promise<PlanView> {
    const principal = principalWithRole(actor, carePlanReaderRoles)
    // A form is for those who may write; a practitioner is refused before anything is read.
    if (purpose !== 'view' && !hasRole(principal, carePlanWriterRoles)) throw new ForbiddenError(messages.writersOnly)
    return db.transaction().execute(async (tx): Promise<PlanView> => {
      const person = await people.loadRecord(tx, personId, principal)
      if (!(await mayRead(tx, person, principal))) {
        await auditPlan(tx, actor, 'view', person, { channel, purpose, withheld: 'no-probation-consent' })
        return { ...emptyView(person), withheld: true }
      }
      const view = await readPlan(tx, person, principal, purpose)
      await auditPlan(tx, actor, 'view', person, { channel, purpose })
      return view
    })
  }

  /** Opens a write: the writer's role, the person (site-checked, row locked) and their plan (made if need be). */
  async function write<T>(
    personId: string,
    actor: ActorContext,
    body: (
      tx: Transaction<DB>,
      ctx: { person: PersonRecord; plan: repo.CarePlan; principal: Principal; now: Date; versionBefore: number },
    ) => Promise<T>,
  ): Promise<T> {
    const principal = principalWithRole(actor, carePlanWriterRoles, messages.writersOnly)
    return db.transaction().execute(async (tx) => {
      const person = await people.loadRecord(tx, personId, principal)
      await people.lockRecord(tx, person.id, 'write')
      const now = clock.now()
      const { plan, created } = await repo.ensurePlan(
        tx,
        { personId: person.id, siteId: person.siteId, createdBy: principal.userId },
        now,
      )
      // Before its first write a person has no plan: its ETag was W/"0".
      return body(tx, { person, plan, principal, now, versionBefore: created ? 0 : plan.version })
    })
  }

  function goalErrors(input: GoalInput): FieldError[] {
    const text = input.inOwnWords.trim()
    if (text === '') return [{ field: 'inOwnWords', message: messages.goalBlank }]
    if (text.length > GOAL_MAX) return [{ field: 'inOwnWords', message: messages.goalTooLong }]
    return []
  }

  function goalSnapshot(goal: repo.Goal): Record<string, unknown> {
    return { inOwnWords: goal.inOwnWords, includeInPrint: goal.includeInPrint }
  }

  async function addGoal(
    personId: string,
    input: GoalInput,
    actor: ActorContext,
    channel: Channel,
  ): Promise<{ goal: repo.Goal; view: PlanView }> {
    const errors = goalErrors(input)
    if (errors.length > 0) throw new ValidationError(errors)
    return write(personId, actor, async (tx, { person, plan, principal, now }) => {
      const goal = await repo.insertGoal(
        tx,
        { planId: plan.id, personId: person.id, inOwnWords: input.inOwnWords.trim(), createdBy: principal.userId },
        now,
      )
      await repo.insertHistory(
        tx,
        {
          planId: plan.id,
          entity: 'goal',
          entityId: goal.id,
          version: goal.version,
          snapshot: goalSnapshot(goal),
          actorId: principal.userId,
        },
        now,
      )
      await auditPlan(tx, actor, 'create', person, { channel, entity: 'goal', goalId: goal.id })
      return { goal, view: await readPlan(tx, person, principal, 'view') }
    })
  }

  async function loadGoal(
    tx: Transaction<DB>,
    plan: repo.CarePlan,
    goalId: string,
    forUpdate: boolean,
  ): Promise<repo.Goal> {
    const goal = isUuid(goalId) ? await repo.findGoal(tx, plan.id, goalId, forUpdate) : undefined
    if (goal === undefined) throw new NotFoundError('This person’s care plan has no goal with that id')
    return goal
  }

  async function updateGoal(
    personId: string,
    goalId: string,
    input: GoalInput,
    expectedVersion: number | undefined,
    actor: ActorContext,
    channel: Channel,
  ): Promise<WriteResult> {
    const errors = goalErrors(input)
    return write(personId, actor, async (tx, { person, plan, principal, now }): Promise<WriteResult> => {
      const goal = await loadGoal(tx, plan, goalId, true)
      if (expectedVersion !== undefined && goal.version !== expectedVersion) return { ok: false, reason: 'stale' }
      if (errors.length > 0) throw new ValidationError(errors)
      const text = input.inOwnWords.trim()
      if (text !== goal.inOwnWords) {
        const updated = await repo.updateGoal(tx, goal.id, { inOwnWords: text }, now)
        await repo.insertHistory(
          tx,
          {
            planId: plan.id,
            entity: 'goal',
            entityId: goal.id,
            version: updated.version,
            snapshot: goalSnapshot(updated),
            actorId: principal.userId,
          },
          now,
        )
        await auditPlan(tx, actor, 'update', person, {
          channel,
          entity: 'goal',
          goalId: goal.id,
          fields: ['inOwnWords'],
        })
      }
      return { ok: true, view: await readPlan(tx, person, principal, 'view') }
    })
  }

  async function checkAction(
    tx: Transaction<DB>,
    person: PersonRecord,
    input: ActionInput,
  ): Promise<repo.ActionFields> {
    const errors: FieldError[] = []
    const description = input.description.trim()
    if (description === '') errors.push({ field: 'description', message: messages.descriptionBlank })
    else if (description.length > ACTION_MAX)
      errors.push({ field: 'description', message: messages.descriptionTooLong })
    const owner = input.owner.trim()
    if (owner === '') errors.push({ field: 'owner', message: messages.ownerBlank })
    else if (!isOneOf(actionOwners, owner)) errors.push({ field: 'owner', message: messages.ownerUnknown })
    const ownerName = input.ownerName?.trim() ?? ''
    if (ownerName.length > OWNER_NAME_MAX) errors.push({ field: 'ownerName', message: messages.ownerNameTooLong })
    if (input.dueOn !== null && !isRealDate(input.dueOn))
      errors.push({ field: 'dueOn', message: messages.dueOnInvalid })
    const status = input.status.trim()
    if (status === '') errors.push({ field: 'status', message: messages.statusBlank })
    else if (!isOneOf(actionStatuses, status)) errors.push({ field: 'status', message: messages.statusUnknown })
    let link: { kind: LinkKind; id: string } | null = null
    if (input.link !== null) {
      const kind = input.link.kind.trim()
      const id = input.link.id.trim()
      if (!LINK_LABEL_KINDS.has(kind) || id === '') errors.push({ field: 'link', message: messages.linkUnknown })
      else if (!(await read.linkBelongsTo(tx, person.id, kind as LinkKind, id))) {
        errors.push({ field: 'link', message: messages.linkNotThisPerson })
      } else link = { kind: kind as LinkKind, id }
    }
    if (errors.length > 0 || !isOneOf(actionOwners, owner) || !isOneOf(actionStatuses, status))
      throw new ValidationError(errors)
    return {
      description,
      owner,
      ownerName: ownerName === '' ? null : ownerName,
      dueOn: input.dueOn,
      status,
      linkKind: link?.kind ?? null,
      linkId: link?.id ?? null,
    }
  }

  function actionSnapshot(a: repo.Action): Record<string, unknown> {
    return {
      goalId: a.goalId,
      description: a.description,
      owner: a.owner,
      ownerName: a.ownerName,
      dueOn: a.dueOn,
      status: a.status,
      linkKind: a.linkKind,
      linkId: a.linkId,
    }
  }

  async function addAction(
    personId: string,
    goalId: string,
    input: ActionInput,
    actor: ActorContext,
    channel: Channel,
  ): Promise<{ action: repo.Action; view: PlanView }> {
    return write(personId, actor, async (tx, { person, plan, principal, now }) => {
      const goal = await loadGoal(tx, plan, goalId, false)
      const fields = await checkAction(tx, person, input)
      const action = await repo.insertAction(
        tx,
        { ...fields, planId: plan.id, goalId: goal.id, personId: person.id, createdBy: principal.userId },
        now,
      )
      await repo.insertHistory(
        tx,
        {
          planId: plan.id,
          entity: 'action',
          entityId: action.id,
          version: action.version,
          snapshot: actionSnapshot(action),
          actorId: principal.userId,
        },
        now,
      )
      await auditPlan(tx, actor, 'create', person, { channel, entity: 'action', goalId: goal.id, actionId: action.id })
      return { action, view: await readPlan(tx, person, principal, 'view') }
    })
  }

  async function loadAction(
    tx: Transaction<DB>,
    plan: repo.CarePlan,
    actionId: string,
    forUpdate: boolean,
  ): Promise<repo.Action> {
    const action = isUuid(actionId) ? await repo.findAction(tx, plan.id, actionId, forUpdate) : undefined
    if (action === undefined) throw new NotFoundError('This person’s care plan has no action with that id')
    return action
  }

  /** The action and its goal, for the edit form; audited as a view. */
  async function viewAction(
    personId: string,
    actionId: string,
    actor: ActorContext,
  ): Promise<{ view: PlanView; action: ActionView; goal: GoalView }> {
    const view = await viewPlan(personId, actor, 'page', 'action-form')
    for (const goal of view.goals) {
      const action = goal.actions.find((a) => a.id === actionId)
      if (action !== undefined) return { view, action, goal }
    }
    throw new NotFoundError('This person’s care plan has no action with that id')
  }

  async function updateAction(
    personId: string,
    actionId: string,
    input: ActionInput,
    expectedVersion: number | undefined,
    actor: ActorContext,
    channel: Channel,
  ): Promise<WriteResult> {
    return write(personId, actor, async (tx, { person, plan, principal, now }): Promise<WriteResult> => {
      const action = await loadAction(tx, plan, actionId, true)
      if (expectedVersion !== undefined && action.version !== expectedVersion) return { ok: false, reason: 'stale' }
      const fields = await checkAction(tx, person, input)
      const before = actionSnapshot(action)
      const changed = Object.keys(fields).filter((k) => before[k] !== fields[k as keyof repo.ActionFields])
      if (changed.length > 0) {
        const updated = await repo.updateAction(tx, action.id, fields, now)
        await repo.insertHistory(
          tx,
          {
            planId: plan.id,
            entity: 'action',
            entityId: action.id,
            version: updated.version,
            snapshot: actionSnapshot(updated),
            actorId: principal.userId,
          },
          now,
        )
        await auditPlan(tx, actor, 'update', person, {
          channel,
          entity: 'action',
          actionId: action.id,
          fields: changed,
        })
      }
      return { ok: true, view: await readPlan(tx, person, principal, 'view') }
    })
  }

  function pastDateErrors(value: string, field: string, blank: string, invalid: string, future: string): FieldError[] {
    if (value === '') return [{ field, message: blank }]
    if (!isRealDate(value)) return [{ field, message: invalid }]
    if (value > ukToday(clock)) return [{ field, message: future }]
    return []
  }

  async function recordReview(
    personId: string,
    input: ReviewInput,
    actor: ActorContext,
    channel: Channel,
  ): Promise<PlanView> {
    return write(personId, actor, async (tx, { person, plan, principal, now }) => {
      const goals = await repo.listGoals(tx, plan.id)
      if (goals.length === 0) throw new ValidationError([{ field: 'outcomes', message: messages.goalNeededFirst }])
      const errors = pastDateErrors(
        input.reviewedOn,
        'reviewedOn',
        messages.reviewedOnBlank,
        messages.reviewedOnInvalid,
        messages.reviewedOnFuture,
      )
      const appointmentId = input.appointmentId?.trim() ?? ''
      if (appointmentId !== '' && !(await read.appointmentBelongsTo(tx, person.id, appointmentId))) {
        errors.push({ field: 'appointmentId', message: messages.appointmentNotThisPerson })
      }
      const notes = input.notes?.trim() ?? ''
      if (notes.length > NOTES_MAX) errors.push({ field: 'notes', message: messages.notesTooLong })
      const known = new Set(goals.map((g) => g.id))
      const outcomes: { goalId: string; outcome: GoalOutcome }[] = []
      for (const o of input.outcomes) {
        if (!known.has(o.goalId)) errors.push({ field: 'outcomes', message: messages.outcomeGoalUnknown })
        else if (!isOneOf(goalOutcomes, o.outcome))
          errors.push({ field: `outcome-${o.goalId}`, message: messages.outcomeUnknown })
        else if (!outcomes.some((x) => x.goalId === o.goalId)) outcomes.push({ goalId: o.goalId, outcome: o.outcome })
      }
      if (errors.length === 0 && outcomes.length === 0 && notes === '')
        errors.push({ field: 'outcomes', message: messages.reviewEmpty })
      if (errors.length > 0) throw new ValidationError(errors)
      const reviewId = await repo.insertReview(
        tx,
        {
          planId: plan.id,
          reviewedOn: input.reviewedOn,
          appointmentId: appointmentId === '' ? null : appointmentId,
          notes: notes === '' ? null : notes,
          outcomes,
          recordedBy: principal.userId,
        },
        now,
      )
      await repo.insertHistory(
        tx,
        {
          planId: plan.id,
          entity: 'review',
          entityId: reviewId,
          version: 1,
          snapshot: {
            reviewedOn: input.reviewedOn,
            appointmentId: appointmentId === '' ? null : appointmentId,
            outcomes,
          },
          actorId: principal.userId,
        },
        now,
      )
      await auditPlan(tx, actor, 'create', person, { channel, entity: 'review', reviewId, outcomes: outcomes.length })
      return readPlan(tx, person, principal, 'view')
    })
  }

  async function recordAgreement(
    personId: string,
    input: AgreementInput,
    actor: ActorContext,
    channel: Channel,
  ): Promise<PlanView> {
    return write(personId, actor, async (tx, { person, plan, principal, now }) => {
      const errors: FieldError[] = []
      const decision = input.decision.trim()
      if (decision === '') errors.push({ field: 'decision', message: messages.decisionBlank })
      else if (!isOneOf(agreementDecisions, decision))
        errors.push({ field: 'decision', message: messages.decisionUnknown })
      const comments = input.comments?.trim() ?? ''
      if (comments.length > NOTES_MAX) errors.push({ field: 'comments', message: messages.commentsTooLong })
      else if (comments === '' && decision === 'agreed-in-part')
        errors.push({ field: 'comments', message: messages.commentsNeeded })
      errors.push(
        ...pastDateErrors(
          input.decidedOn,
          'decidedOn',
          messages.decidedOnBlank,
          messages.decidedOnInvalid,
          messages.decidedOnFuture,
        ),
      )
      if (errors.length === 0 && (await repo.listGoals(tx, plan.id)).length === 0) {
        errors.push({ field: 'decision', message: messages.goalNeededFirst })
      }
      if (errors.length > 0 || !isOneOf(agreementDecisions, decision)) throw new ValidationError(errors)
      const agreementId = await repo.insertAgreement(
        tx,
        {
          planId: plan.id,
          decision: decision satisfies AgreementDecision,
          comments: comments === '' ? null : comments,
          decidedOn: input.decidedOn,
          recordedBy: principal.userId,
        },
        now,
      )
      await repo.insertHistory(
        tx,
        {
          planId: plan.id,
          entity: 'agreement',
          entityId: agreementId,
          version: 1,
          snapshot: { decision, decidedOn: input.decidedOn },
          actorId: principal.userId,
        },
        now,
      )
      await auditPlan(tx, actor, 'create', person, { channel, entity: 'agreement', decision })
      return readPlan(tx, person, principal, 'view')
    })
  }

  /** The sections and goals to print, if the plan is still at `expectedVersion`; every change is kept in history. */
  async function setPrintChoices(
    personId: string,
    input: PrintChoicesInput,
    expectedVersion: number | undefined,
    actor: ActorContext,
    channel: Channel,
  ): Promise<WriteResult> {
    return write(personId, actor, async (tx, { person, plan, principal, now, versionBefore }): Promise<WriteResult> => {
      if (expectedVersion !== undefined && versionBefore !== expectedVersion) return { ok: false, reason: 'stale' }
      const goals = await repo.listGoals(tx, plan.id)
      const known = new Set(goals.map((g) => g.id))
      if (input.goalIds.some((id) => !known.has(id)))
        throw new ValidationError([{ field: 'goals', message: messages.goalIdsUnknown }])
      const chosen = new Set(input.goalIds)
      const changedGoals: string[] = []
      for (const goal of goals) {
        const include = chosen.has(goal.id)
        if (include === goal.includeInPrint) continue
        const locked = await loadGoal(tx, plan, goal.id, true)
        const updated = await repo.updateGoal(tx, locked.id, { includeInPrint: include }, now)
        await repo.insertHistory(
          tx,
          {
            planId: plan.id,
            entity: 'goal',
            entityId: goal.id,
            version: updated.version,
            snapshot: goalSnapshot(updated),
            actorId: principal.userId,
          },
          now,
        )
        changedGoals.push(goal.id)
      }
      const sections = Object.fromEntries(printSections.map((s) => [s, input.sections[s]])) as repo.PrintChoices
      const sectionsChanged = printSections.filter((s) => sections[s] !== plan.print[s])
      if (sectionsChanged.length > 0 || changedGoals.length > 0) {
        const updated = await repo.updatePrintChoices(tx, plan.id, sections, now)
        await repo.insertHistory(
          tx,
          {
            planId: plan.id,
            entity: 'print-choices',
            entityId: plan.id,
            version: updated.version,
            snapshot: { ...sections, goalIds: [...chosen] },
            actorId: principal.userId,
          },
          now,
        )
        await auditPlan(tx, actor, 'update', person, {
          channel,
          entity: 'print-choices',
          sections,
          goalsChanged: changedGoals.length,
        })
      }
      return { ok: true, view: await readPlan(tx, person, principal, 'view') }
    })
  }

  /**
   * "My health plan" for the person to keep: only the goals and sections chosen. Read and audited (as a view and as
   * an export: printing is a disclosure) in one transaction; then each chosen section is read through its own
   * service, outside that transaction, and audited there.
   */
  async function printedPlan(personId: string, actor: ActorContext): Promise<PrintedPlan> {
    const principal = principalWithRole(actor, carePlanWriterRoles, messages.writersOnly)
    const base = await db.transaction().execute(async (tx) => {
      const person = await people.loadRecord(tx, personId, principal)
      const plan = (await repo.findPlanForPerson(tx, person.id)) ?? null
      const goals = plan === null ? [] : (await repo.listGoals(tx, plan.id)).filter((g) => g.includeInPrint)
      const actions = plan === null ? [] : await repo.listActions(tx, plan.id)
      const agreement = plan === null ? null : ((await repo.listAgreements(tx, plan.id))[0] ?? null)
      const site = (await deps.sites.listByIds([person.siteId], tx))[0]
      const sitePhone = (await deps.sites.findContact(person.siteId, tx))?.phone ?? null
      const print: repo.PrintChoices = plan?.print ?? {
        appointments: false,
        referrals: false,
        gpRegistration: false,
        screening: false,
        phoneNumbers: false,
      }
      const sections = printSections.filter((s) => print[s])
      await auditPlan(tx, actor, 'view', person, { channel: 'page', purpose: 'print' })
      await auditPlan(tx, actor, 'export', person, {
        channel: 'page',
        purpose: 'print',
        goals: goals.map((g) => g.id),
        sections,
      })
      return { person, goals, actions, agreement, siteName: site?.name ?? 'the health hub', sitePhone, print }
    })
    const { person, print } = base
    const now = clock.now()
    const appointments = print.appointments
      ? (await deps.appointments.listForPerson(person.id, actor, 'page')).appointments
          .filter((a) => a.status === 'booked' && a.startsAt > now)
          .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
          .slice(0, 5)
          .map((a) => ({
            startsAt: a.startsAt,
            endsAt: a.endsAt,
            place: a.location ?? a.siteName,
            withWhom: a.kind === 'joint' ? 'your health worker and your probation practitioner' : 'your health worker',
          }))
      : undefined
    const referralList = print.referrals
      ? (await deps.referrals.personReferrals(person.id, actor, 'page')).referrals
      : []
    const inProgress = referralList.flatMap((r) => {
      const step = referralNextStep(r.status, r.serviceName, r.firstAppointmentOn)
      return step === undefined ? [] : [{ service: r.serviceName, ...step, phone: r.servicePhone }]
    })
    let gpRegistration: string | undefined
    if (print.gpRegistration) {
      const state = await deps.gpRegistration.viewRegistration(person.id, actor, 'page')
      gpRegistration = gpPlainWords(state.current?.status, state.current?.practiceName ?? null)
    }
    let screening: string[] | undefined
    if (print.screening) {
      const assessment = await deps.screening.assess(person.id, ukToday(clock), actor, 'page')
      screening = assessment.programmes.flatMap((p) => {
        const name = screeningPlainName[p.programme]
        if (name === undefined || p.eligible !== true) return []
        if (p.status === 'due') return [`${name} is due. Your health worker can help you book it.`]
        if (p.status === 'invited')
          return [`You have been invited for ${name.charAt(0).toLowerCase()}${name.slice(1)}. Please book it.`]
        return []
      })
    }
    const phoneNumbers = print.phoneNumbers
      ? [
          { who: base.siteName, phone: base.sitePhone },
          ...(print.referrals
            ? inProgress.filter((r) => r.phone !== null).map((r) => ({ who: r.service, phone: r.phone }))
            : []),
        ]
      : undefined
    return {
      person,
      addressedAs: person.preferredName ?? person.givenName,
      siteName: base.siteName,
      goals: base.goals.map((g) => ({
        inOwnWords: g.inOwnWords,
        actions: base.actions
          .filter((a) => a.goalId === g.id && a.status !== 'no-longer-needed')
          .map((a) => ({
            description: a.description,
            owner: a.owner,
            ownerName: a.ownerName,
            dueOn: a.dueOn,
            status: a.status,
          })),
      })),
      agreement: base.agreement,
      appointments,
      referrals: print.referrals
        ? inProgress.map(({ service, now: said, next, phone }) => ({ service, now: said, next, phone }))
        : undefined,
      gpRegistration,
      screening,
      phoneNumbers,
      printedOn: ukToday(clock),
    }
  }

  return {
    today: () => ukToday(clock),
    viewPlan,
    viewAction,
    addGoal,
    updateGoal,
    addAction,
    updateAction,
    recordReview,
    recordAgreement,
    setPrintChoices,
    printedPlan,
  }
}
