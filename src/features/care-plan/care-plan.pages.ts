import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { formErrorContext, isoToDateParts, type FormBody } from '../../platform/forms/forms.ts'
import { actorOf } from '../../platform/http/auth.ts'
import { AppError, NotFoundError, ValidationError, type FieldError } from '../../platform/http/errors.ts'
import { setFlash } from '../../platform/views/nunjucks.ts'
import { fullName } from '../../platform/views/person-header.ts'
import {
  parseActionForm,
  parseAgreementForm,
  parseGoalForm,
  parsePrintChoicesForm,
  parseReviewForm,
  type FormValues,
} from './care-plan.forms.ts'
import { ACTION_MAX, GOAL_MAX, messages, NOTES_MAX, OWNER_NAME_MAX } from './care-plan.messages.ts'
import { carePlanPaths, carePlanRoutes } from './care-plan.paths.ts'
import { carePlanReaderRoles, carePlanWriterRoles, type CarePlanService, type PlanView } from './care-plan.service.ts'
import {
  appointmentItems,
  decisionItems,
  linkItems,
  outcomeItems,
  ownerItems,
  planPageView,
  printChoiceItems,
  printView,
  statusItems,
} from './care-plan.view-models.ts'

export interface CarePlanPagesDeps {
  carePlan: CarePlanService
  flashCookie: string
}

const DATE_FIELDS = new Set(['dueOn', 'reviewedOn', 'decidedOn'])

/** A service refusal on a form, with date fields linked to their day box; undefined for what the error pages answer. */
function formErrors(error: unknown): FieldError[] | undefined {
  if (!(error instanceof ValidationError)) return undefined
  return error.errors.map((e) => ({ field: DATE_FIELDS.has(e.field) ? `${e.field}-day` : e.field, message: e.message }))
}

function statusOf(error: unknown): number {
  return error instanceof AppError ? error.status : 400
}

type Params = { id: string; goalId?: string; actionId?: string }

export function registerCarePlanPages(app: FastifyInstance, deps: CarePlanPagesDeps): void {
  const { carePlan, flashCookie } = deps
  const readers = { config: { access: carePlanReaderRoles } }
  const writers = { config: { access: carePlanWriterRoles } }
  const params = (request: FastifyRequest) => request.params as Params
  const todayParts = () => isoToDateParts(carePlan.today())

  app.get(carePlanRoutes.plan, readers, async (request, reply) => {
    const view = await carePlan.viewPlan(params(request).id, actorOf(request), 'page')
    const { person } = view
    return reply.view('care-plan/views/plan.njk', {
      pageTitle: `Care plan – ${fullName(person)}`,
      person,
      canWrite: view.canWrite,
      withheld: view.withheld,
      ...planPageView(view),
      newGoalHref: carePlanPaths.newGoal(person.id),
      reviewHref: carePlanPaths.newReview(person.id),
      agreementHref: carePlanPaths.agreement(person.id),
      printChoicesHref: carePlanPaths.printChoices(person.id),
      printHref: carePlanPaths.print(person.id),
      backHref: carePlanPaths.person(person.id),
    })
  })

  /** Runs a write and redirects to the plan with a banner, or re-renders the form with the refusal. */
  async function submit(
    reply: FastifyReply,
    personId: string,
    done: string,
    action: () => Promise<{ ok: boolean } | object>,
    rerender: (status: number, errors: FieldError[]) => Promise<unknown>,
  ) {
    try {
      const result = await action()
      if ('ok' in result && !result.ok) return await rerender(409, [{ field: 'stale', message: messages.stale }])
      setFlash(reply, flashCookie, done)
      return await reply.redirect(carePlanPaths.plan(personId))
    } catch (error) {
      const errors = formErrors(error)
      if (errors === undefined) throw error
      return rerender(statusOf(error), errors)
    }
  }

  // Goals ---------------------------------------------------------------------------------------------------------

  async function renderGoal(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    values?: FormValues,
    errors: readonly FieldError[] = [],
  ) {
    const { id, goalId } = params(request)
    const view = await carePlan.viewPlan(id, actorOf(request), 'page', 'goal-form')
    const goal = goalId === undefined ? undefined : view.goals.find((g) => g.id === goalId)
    if (goalId !== undefined && goal === undefined)
      throw new NotFoundError('This person’s care plan has no goal with that id')
    const { person } = view
    return reply.code(status).view('care-plan/views/goal.njk', {
      pageTitle: goal === undefined ? 'Add a goal' : 'Change the goal',
      person,
      goalMax: GOAL_MAX,
      version: goal?.version,
      action: goal === undefined ? carePlanPaths.newGoal(person.id) : carePlanPaths.goal(person.id, goal.id),
      backHref: carePlanPaths.plan(person.id),
      ...formErrorContext(errors, values ?? { inOwnWords: goal?.inOwnWords ?? '' }),
    })
  }

  app.get(carePlanRoutes.newGoal, writers, async (request, reply) => renderGoal(request, reply, 200))
  app.get(carePlanRoutes.goal, writers, async (request, reply) => renderGoal(request, reply, 200))

  app.post(carePlanRoutes.newGoal, writers, async (request, reply) => {
    const { id } = params(request)
    const form = parseGoalForm(request.body as FormBody | undefined)
    if (!form.ok) return renderGoal(request, reply, 400, form.values, form.errors)
    return submit(
      reply,
      id,
      'Goal added',
      () => carePlan.addGoal(id, form.value, actorOf(request), 'page'),
      (status, errors) => renderGoal(request, reply, status, form.values, errors),
    )
  })

  app.post(carePlanRoutes.goal, writers, async (request, reply) => {
    const { id, goalId = '' } = params(request)
    const form = parseGoalForm(request.body as FormBody | undefined)
    if (!form.ok) return renderGoal(request, reply, 400, form.values, form.errors)
    return submit(
      reply,
      id,
      'Goal changed',
      () => carePlan.updateGoal(id, goalId, form.value, form.version ?? -1, actorOf(request), 'page'),
      (status, errors) => renderGoal(request, reply, status, form.values, errors),
    )
  })

  // Actions -------------------------------------------------------------------------------------------------------

  async function renderAction(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    values?: FormValues,
    errors: readonly FieldError[] = [],
  ) {
    const { id, goalId, actionId } = params(request)
    let view: PlanView
    let goal: PlanView['goals'][number] | undefined
    let current: PlanView['goals'][number]['actions'][number] | undefined
    if (actionId !== undefined) {
      const found = await carePlan.viewAction(id, actionId, actorOf(request))
      view = found.view
      goal = found.goal
      current = found.action
    } else {
      view = await carePlan.viewPlan(id, actorOf(request), 'page', 'action-form')
      goal = view.goals.find((g) => g.id === goalId)
    }
    if (goal === undefined) throw new NotFoundError('This person’s care plan has no goal with that id')
    const { person } = view
    const shown: FormValues = values ?? {
      description: current?.description ?? '',
      owner: current?.owner ?? '',
      ownerName: current?.ownerName ?? '',
      dueOn: isoToDateParts(current?.dueOn),
      status: current?.status ?? 'to-do',
      link:
        current?.link === null || current?.link === undefined ? '' : `${current.link.kind}:${current.link.id ?? ''}`,
    }
    return reply.code(status).view('care-plan/views/action.njk', {
      pageTitle: current === undefined ? 'Add an action' : 'Change the action',
      person,
      goal,
      owners: ownerItems(shown['owner']),
      statuses: statusItems(shown['status']),
      links: linkItems(view.linkOptions, shown['link']),
      todayParts: todayParts(),
      actionMax: ACTION_MAX,
      ownerNameMax: OWNER_NAME_MAX,
      version: current?.version,
      action:
        current === undefined
          ? carePlanPaths.newAction(person.id, goal.id)
          : carePlanPaths.action(person.id, current.id),
      backHref: carePlanPaths.plan(person.id),
      ...formErrorContext(errors, shown),
    })
  }

  app.get(carePlanRoutes.newAction, writers, async (request, reply) => renderAction(request, reply, 200))
  app.get(carePlanRoutes.action, writers, async (request, reply) => renderAction(request, reply, 200))

  app.post(carePlanRoutes.newAction, writers, async (request, reply) => {
    const { id, goalId = '' } = params(request)
    const form = parseActionForm(request.body as FormBody | undefined)
    if (!form.ok) return renderAction(request, reply, 400, form.values, form.errors)
    return submit(
      reply,
      id,
      'Action added',
      () => carePlan.addAction(id, goalId, form.value, actorOf(request), 'page'),
      (status, errors) => renderAction(request, reply, status, form.values, errors),
    )
  })

  app.post(carePlanRoutes.action, writers, async (request, reply) => {
    const { id, actionId = '' } = params(request)
    const form = parseActionForm(request.body as FormBody | undefined)
    if (!form.ok) return renderAction(request, reply, 400, form.values, form.errors)
    return submit(
      reply,
      id,
      'Action changed',
      () => carePlan.updateAction(id, actionId, form.value, form.version ?? -1, actorOf(request), 'page'),
      (status, errors) => renderAction(request, reply, status, form.values, errors),
    )
  })

  // Reviews -------------------------------------------------------------------------------------------------------

  async function renderReview(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    values: FormValues = {},
    errors: readonly FieldError[] = [],
  ) {
    const view = await carePlan.viewPlan(params(request).id, actorOf(request), 'page', 'review-form')
    const { person } = view
    return reply.code(status).view('care-plan/views/review.njk', {
      pageTitle: 'Record a review',
      person,
      goals: view.goals.map((g) => ({
        id: g.id,
        inOwnWords: g.inOwnWords,
        items: outcomeItems(values[`outcome-${g.id}`]),
      })),
      appointments: appointmentItems(view.appointmentOptions, values['appointmentId']),
      todayParts: todayParts(),
      notesMax: NOTES_MAX,
      action: carePlanPaths.newReview(person.id),
      backHref: carePlanPaths.plan(person.id),
      ...formErrorContext(errors, values),
    })
  }

  app.get(carePlanRoutes.newReview, writers, async (request, reply) => renderReview(request, reply, 200))

  app.post(carePlanRoutes.newReview, writers, async (request, reply) => {
    const { id } = params(request)
    const body = request.body as FormBody | undefined
    // The outcome radios are named by goal: read which goals there are from the posted names.
    const goalIds = Object.keys(body ?? {})
      .filter((k) => k.startsWith('outcome-'))
      .map((k) => k.slice('outcome-'.length))
    const form = parseReviewForm(body, goalIds)
    if (!form.ok) return renderReview(request, reply, 400, form.values, form.errors)
    return submit(
      reply,
      id,
      'Review recorded',
      () => carePlan.recordReview(id, form.value, actorOf(request), 'page'),
      (status, errors) => renderReview(request, reply, status, form.values, errors),
    )
  })

  // Agreement -----------------------------------------------------------------------------------------------------

  async function renderAgreement(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    values: FormValues = {},
    errors: readonly FieldError[] = [],
  ) {
    const view = await carePlan.viewPlan(params(request).id, actorOf(request), 'page', 'agreement-form')
    const { person } = view
    return reply.code(status).view('care-plan/views/agreement.njk', {
      pageTitle: 'Record whether they agree to the plan',
      person,
      hasGoals: view.goals.length > 0,
      decisions: decisionItems(values['decision']),
      todayParts: todayParts(),
      notesMax: NOTES_MAX,
      action: carePlanPaths.agreement(person.id),
      backHref: carePlanPaths.plan(person.id),
      ...formErrorContext(errors, values),
    })
  }

  app.get(carePlanRoutes.agreement, writers, async (request, reply) => renderAgreement(request, reply, 200))

  app.post(carePlanRoutes.agreement, writers, async (request, reply) => {
    const { id } = params(request)
    const form = parseAgreementForm(request.body as FormBody | undefined)
    if (!form.ok) return renderAgreement(request, reply, 400, form.values, form.errors)
    return submit(
      reply,
      id,
      'Agreement recorded',
      () => carePlan.recordAgreement(id, form.value, actorOf(request), 'page'),
      (status, errors) => renderAgreement(request, reply, status, form.values, errors),
    )
  })

  // Printed plan --------------------------------------------------------------------------------------------------

  async function renderPrintChoices(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    values?: FormValues,
    errors: readonly FieldError[] = [],
  ) {
    const view = await carePlan.viewPlan(params(request).id, actorOf(request), 'page', 'print-choices-form')
    const { person } = view
    const items = printChoiceItems(
      view,
      values === undefined ? undefined : { sections: values['sections'], goals: values['goals'] },
    )
    return reply.code(status).view('care-plan/views/print-choices.njk', {
      pageTitle: 'Choose what goes in the printed plan',
      person,
      ...items,
      version: view.plan?.version ?? 0,
      action: carePlanPaths.printChoices(person.id),
      backHref: carePlanPaths.plan(person.id),
      ...formErrorContext(errors, values ?? {}),
    })
  }

  app.get(carePlanRoutes.printChoices, writers, async (request, reply) => renderPrintChoices(request, reply, 200))

  app.post(carePlanRoutes.printChoices, writers, async (request, reply) => {
    const { id } = params(request)
    const form = parsePrintChoicesForm(request.body as FormBody | undefined)
    if (!form.ok) return renderPrintChoices(request, reply, 400, form.values, form.errors)
    return submit(
      reply,
      id,
      'Choices for the printed plan saved',
      () => carePlan.setPrintChoices(id, form.value, form.version ?? -1, actorOf(request), 'page'),
      (status, errors) => renderPrintChoices(request, reply, status, form.values, errors),
    )
  })

  app.get(carePlanRoutes.print, writers, async (request, reply) => {
    const plan = await carePlan.printedPlan(params(request).id, actorOf(request))
    return reply.view('care-plan/views/print.njk', {
      pageTitle: `My health plan – ${plan.addressedAs}`,
      addressedAs: plan.addressedAs,
      person: plan.person,
      siteName: plan.siteName,
      agreement: plan.agreement,
      ...printView(plan),
      styleNonce: reply.cspNonce.style,
      backHref: carePlanPaths.plan(plan.person.id),
      choicesHref: carePlanPaths.printChoices(plan.person.id),
    })
  })
}
