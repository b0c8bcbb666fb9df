import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { actorOf } from '../../platform/http/auth.ts'
import { ForbiddenError, PreconditionFailedError } from '../../platform/http/errors.ts'
import { messages } from './care-plan.messages.ts'
import { versionFromIfMatch } from '../../platform/http/preconditions.ts'
import { carePlanPaths, carePlanRoutes } from './care-plan.paths.ts'
import {
  ActionBodySchema,
  ActionParamsSchema,
  AgreementBodySchema,
  CarePlanSchema,
  GoalBodySchema,
  GoalParamsSchema,
  IfMatchHeadersSchema,
  PersonParamsSchema,
  PrintChoicesBodySchema,
  ProblemSchema,
  ReviewBodySchema,
  type ActionBody,
  type CarePlanResource,
} from './care-plan.schemas.ts'
import {
  carePlanReaderRoles,
  carePlanWriterRoles,
  type ActionInput,
  type CarePlanService,
  type PlanView,
} from './care-plan.service.ts'

export function toResource(view: PlanView): CarePlanResource {
  const plan = view.plan
  return {
    personId: view.person.id,
    planId: plan?.id ?? null,
    version: plan?.version ?? 0,
    etag: view.etag,
    printChoices: plan?.print ?? {
      appointments: false,
      referrals: false,
      gpRegistration: false,
      screening: false,
      phoneNumbers: false,
    },
    goals: view.goals.map((g) => ({
      id: g.id,
      inOwnWords: g.inOwnWords,
      includeInPrint: g.includeInPrint,
      latestOutcome: g.latestOutcome,
      actions: g.actions.map((a) => ({
        id: a.id,
        goalId: a.goalId,
        description: a.description,
        owner: a.owner,
        ownerName: a.ownerName,
        dueOn: a.dueOn,
        status: a.status,
        link: a.link,
        version: a.version,
        etag: a.etag,
        createdAt: a.createdAt.toISOString(),
        updatedAt: a.updatedAt.toISOString(),
      })),
      version: g.version,
      etag: g.etag,
      createdAt: g.createdAt.toISOString(),
      updatedAt: g.updatedAt.toISOString(),
    })),
    reviews: view.reviews.map((r) => ({ ...r, recordedAt: r.recordedAt.toISOString() })),
    agreement:
      view.agreement === null ? null : { ...view.agreement, recordedAt: view.agreement.recordedAt.toISOString() },
    agreements: view.agreements.map((a) => ({ ...a, recordedAt: a.recordedAt.toISOString() })),
    history: view.history.map((h) => ({
      entity: h.entity,
      entityId: h.entityId,
      version: h.version,
      snapshot: h.snapshot,
      actorId: h.actorId,
      actorName: h.actorName,
      recordedAt: h.recordedAt.toISOString(),
    })),
  }
}

function actionInput(body: ActionBody): ActionInput {
  return {
    description: body.description,
    owner: body.owner,
    ownerName: body.ownerName ?? null,
    dueOn: body.dueOn === undefined || body.dueOn === null || body.dueOn.trim() === '' ? null : body.dueOn.trim(),
    status: body.status ?? 'to-do',
    link: body.link ?? null,
  }
}

const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema }
const writeProblems = { ...problems, 412: ProblemSchema, 428: ProblemSchema }
const stale = (what: string) =>
  new PreconditionFailedError(
    `This ${what} was changed since your ETag was issued. GET the care plan again, then make your change.`,
  )

export function registerCarePlanApi(app: FastifyInstance, deps: { carePlan: CarePlanService }): void {
  const { carePlan } = deps
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const tags = ['care-plan']
  const writers = { access: carePlanWriterRoles }

  api.get(
    carePlanRoutes.apiPlan,
    {
      config: { access: carePlanReaderRoles },
      schema: {
        tags,
        summary: 'A person’s care plan: goals, actions, reviews, agreement and history',
        description:
          'Clinicians and hub managers at the person’s site; probation practitioners only while the person agrees to ' +
          'share a health summary with probation (otherwise 403), and without the records actions are linked to. ' +
          'The ETag is the print choices’ version (for PUT print-choices); each goal and action carries its own.',
        params: PersonParamsSchema,
        response: { 200: CarePlanSchema, ...problems },
      },
    },
    async (request, reply) => {
      const view = await carePlan.viewPlan(request.params.id, actorOf(request), 'api')
      if (view.withheld) throw new ForbiddenError(messages.notShared)
      return reply.header('etag', view.etag).send(toResource(view))
    },
  )

  api.post(
    carePlanRoutes.apiGoals,
    {
      config: writers,
      schema: {
        tags,
        summary: 'Add a goal in the person’s own words (makes the plan on the first goal)',
        params: PersonParamsSchema,
        body: GoalBodySchema,
        response: { 201: CarePlanSchema, ...problems },
      },
    },
    async (request, reply) => {
      const { goal, view } = await carePlan.addGoal(request.params.id, request.body, actorOf(request), 'api')
      return reply
        .code(201)
        .header('location', carePlanPaths.api.goal(view.person.id, goal.id))
        .header('etag', `W/"${goal.version}"`)
        .send(toResource(view))
    },
  )

  api.put(
    carePlanRoutes.apiGoal,
    {
      config: writers,
      schema: {
        tags,
        summary: 'Change a goal’s words (requires If-Match: the goal’s etag); the earlier words are kept in history',
        params: GoalParamsSchema,
        headers: IfMatchHeadersSchema,
        body: GoalBodySchema,
        response: { 200: CarePlanSchema, ...writeProblems },
      },
    },
    async (request) => {
      const expected = versionFromIfMatch(
        request.headers['if-match'],
        'GET of the care plan (the goal’s etag), like W/"1"',
      )
      const { id, goalId } = request.params
      const result = await carePlan.updateGoal(id, goalId, request.body, expected, actorOf(request), 'api')
      if (!result.ok) throw stale('goal')
      return toResource(result.view)
    },
  )

  api.post(
    carePlanRoutes.apiActions,
    {
      config: writers,
      schema: {
        tags,
        summary: 'Add an action towards a goal: who does what by when',
        description:
          'link names one of the person’s own needs, referrals, GP registration statuses or screening events ' +
          '(otherwise 400 naming link).',
        params: GoalParamsSchema,
        body: ActionBodySchema,
        response: { 201: CarePlanSchema, ...problems },
      },
    },
    async (request, reply) => {
      const { id, goalId } = request.params
      const { action, view } = await carePlan.addAction(id, goalId, actionInput(request.body), actorOf(request), 'api')
      return reply
        .code(201)
        .header('location', carePlanPaths.api.action(view.person.id, action.id))
        .header('etag', `W/"${action.version}"`)
        .send(toResource(view))
    },
  )

  api.put(
    carePlanRoutes.apiAction,
    {
      config: writers,
      schema: {
        tags,
        summary: 'Change an action, its status included (requires If-Match: the action’s etag)',
        params: ActionParamsSchema,
        headers: IfMatchHeadersSchema,
        body: ActionBodySchema,
        response: { 200: CarePlanSchema, ...writeProblems },
      },
    },
    async (request) => {
      const expected = versionFromIfMatch(
        request.headers['if-match'],
        'GET of the care plan (the action’s etag), like W/"1"',
      )
      const { id, actionId } = request.params
      const result = await carePlan.updateAction(
        id,
        actionId,
        actionInput(request.body),
        expected,
        actorOf(request),
        'api',
      )
      if (!result.ok) throw stale('action')
      return toResource(result.view)
    },
  )

  api.post(
    carePlanRoutes.apiReviews,
    {
      config: writers,
      schema: {
        tags,
        summary: 'Record a review: the date, the appointment (optional), notes and an outcome per goal',
        params: PersonParamsSchema,
        body: ReviewBodySchema,
        response: { 201: CarePlanSchema, ...problems },
      },
    },
    async (request, reply) => {
      const body = request.body
      const view = await carePlan.recordReview(
        request.params.id,
        {
          reviewedOn: body.reviewedOn.trim(),
          appointmentId: body.appointmentId ?? null,
          notes: body.notes ?? null,
          outcomes: body.outcomes,
        },
        actorOf(request),
        'api',
      )
      return reply.code(201).send(toResource(view))
    },
  )

  api.post(
    carePlanRoutes.apiAgreements,
    {
      config: writers,
      schema: {
        tags,
        summary: 'Record whether the person agreed to the plan (a later answer is added; earlier ones are kept)',
        params: PersonParamsSchema,
        body: AgreementBodySchema,
        response: { 201: CarePlanSchema, ...problems },
      },
    },
    async (request, reply) => {
      const body = request.body
      const view = await carePlan.recordAgreement(
        request.params.id,
        { decision: body.decision, comments: body.comments ?? null, decidedOn: body.decidedOn.trim() },
        actorOf(request),
        'api',
      )
      return reply.code(201).send(toResource(view))
    },
  )

  api.put(
    carePlanRoutes.apiPrintChoices,
    {
      config: writers,
      schema: {
        tags,
        summary: 'Choose what the printed plan shows (requires If-Match: the care plan’s ETag, W/"0" before it exists)',
        params: PersonParamsSchema,
        headers: IfMatchHeadersSchema,
        body: PrintChoicesBodySchema,
        response: { 200: CarePlanSchema, ...writeProblems },
      },
    },
    async (request, reply) => {
      const expected = versionFromIfMatch(request.headers['if-match'], 'GET of the care plan, like W/"1"')
      const result = await carePlan.setPrintChoices(request.params.id, request.body, expected, actorOf(request), 'api')
      if (!result.ok) throw stale('care plan')
      return reply.header('etag', result.view.etag).send(toResource(result.view))
    },
  )
}
