import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { actorOf, clinicalRoles } from '../../platform/http/auth.ts'
import { ConflictError, PreconditionFailedError, ValidationError } from '../../platform/http/errors.ts'
import { dateRangeError, isRealDate } from '../../platform/forms/forms.ts'
import { IDENTIFIED_ON_LABEL, identifiedOnRange } from './needs.forms.ts'
import { versionFromIfMatch } from '../../platform/http/preconditions.ts'
import { needPaths, needRoutes } from './needs.paths.ts'
import { needCategoryLabels } from './needs.rules.ts'
import {
  CreateNeedHeadersSchema,
  CreateNeedSchema,
  NeedDecisionHeadersSchema,
  NeedDecisionSchema,
  NeedDetailSchema,
  NeedListSchema,
  NeedParamsSchema,
  PersonParamsSchema,
  ProblemSchema,
  type NeedResource,
} from './needs.schemas.ts'
import type { NeedDetail, NeedsService } from './needs.service.ts'

export function toNeedResource({ need, history, openReferrals }: NeedDetail): NeedResource {
  return {
    id: need.id,
    personId: need.personId,
    category: need.category,
    categoryLabel: needCategoryLabels[need.category],
    status: need.status,
    source: need.checkId === null ? 'direct' : 'health-check',
    checkId: need.checkId,
    proposedBecause: need.proposedBecause,
    reason: need.reason,
    identifiedOn: need.identifiedOn,
    decidedAt: need.decidedAt?.toISOString() ?? null,
    decidedBy: need.decidedBy,
    version: need.version,
    openReferrals: openReferrals.map((r) => ({ id: r.id, status: r.status, service: r.serviceName })),
    history: history.map((e) => ({
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      reason: e.reason,
      actorId: e.actorId,
      actorName: e.actorName,
      recordedAt: e.recordedAt.toISOString(),
    })),
  }
}

const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema }

/** Needs in the JSON API: a person's needs, recording one directly, and decisions on them. Clinical roles only. */
export function registerNeedsApi(app: FastifyInstance, deps: { needs: NeedsService }): void {
  const { needs } = deps
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const config = { access: clinicalRoles }

  api.get(
    needRoutes.apiPersonNeeds,
    {
      config,
      schema: {
        tags: ['needs'],
        summary: 'A person’s needs, newest first, each with its status, decision history and open referrals',
        params: PersonParamsSchema,
        response: { 200: NeedListSchema, ...problems },
      },
    },
    async (request) => {
      const { needs: list } = await needs.listNeedsForPerson(request.params.id, actorOf(request), 'api')
      return { needs: list.map(toNeedResource) }
    },
  )

  api.post(
    needRoutes.apiPersonNeeds,
    {
      config,
      schema: {
        tags: ['needs'],
        summary: 'Record a need a check did not find (e.g. raised in conversation), confirmed at once by you',
        description:
          'The need is confirmed by the clinician recording it and its history starts with that decision. ' +
          'identifiedOn may not be in the future (UK calendar). Clinical roles only.',
        params: PersonParamsSchema,
        headers: CreateNeedHeadersSchema,
        body: CreateNeedSchema,
        response: { 201: NeedDetailSchema, ...problems, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { identifiedOn } = request.body
      const today = needs.today()
      // The service checks a real date that is not in the future; how far back one may go is a rule of this edge.
      if (isRealDate(identifiedOn) && identifiedOn <= today) {
        const early = dateRangeError(identifiedOn, identifiedOnRange(today), IDENTIFIED_ON_LABEL)
        if (early !== undefined) throw new ValidationError([{ field: 'identifiedOn', message: early }])
      }
      const { detail } = await needs.recordNeed(
        request.params.id,
        request.body,
        actorOf(request),
        'api',
        request.headers['idempotency-key'],
      )
      return reply
        .code(201)
        .header('location', needPaths.api.personNeeds(detail.need.personId))
        .header('etag', `W/"${String(detail.need.version)}"`)
        .send(toNeedResource(detail))
    },
  )

  api.post(
    needRoutes.apiNeedDecision,
    {
      config,
      schema: {
        tags: ['needs'],
        summary: 'Confirm, dismiss or reopen a need, or change an earlier decision',
        description:
          'A reason is required except when confirming a proposed need. 409 when the need already has that ' +
          'status, when a referral for it is still open (dismissing or reopening: withdraw the referral first), or ' +
          'when another decision was made at the same moment. With If-Match, 412 if the need changed since.',
        params: NeedParamsSchema,
        headers: NeedDecisionHeadersSchema,
        body: NeedDecisionSchema,
        response: { 200: NeedDetailSchema, ...problems, 409: ProblemSchema, 412: ProblemSchema, 428: ProblemSchema },
      },
    },
    async (request, reply) => {
      const ifMatch = request.headers['if-match']
      const expectedVersion =
        ifMatch === undefined ? undefined : versionFromIfMatch(ifMatch, 'GET of this person’s needs, like W/"2"')
      let detail: NeedDetail
      try {
        detail = await needs.decideNeed(
          request.params.id,
          { decision: request.body.decision, reason: request.body.reason ?? '', expectedVersion },
          actorOf(request),
          'api',
        )
      } catch (error) {
        if (error instanceof ConflictError && error.extra['code'] === 'stale-version') {
          throw new PreconditionFailedError(error.message)
        }
        throw error
      }
      return reply.header('etag', `W/"${String(detail.need.version)}"`).send(toNeedResource(detail))
    },
  )
}
