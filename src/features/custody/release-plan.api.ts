import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { actorOf } from '../../platform/http/auth.ts'
import { PreconditionFailedError } from '../../platform/http/errors.ts'
import { ProblemSchema } from '../../platform/http/problem.ts'
import { versionFromIfMatch } from '../../platform/http/preconditions.ts'
import { custodyRoutes } from './custody.paths.ts'
import { EpisodeParamsSchema, IfMatchHeadersSchema } from './custody.schemas.ts'
import { plainProgress } from './release-plan.messages.ts'
import {
  ItemParamsSchema,
  ItemPatchSchema,
  ItemWithHistorySchema,
  PlanSchema,
  type ItemPatch,
  type ItemResource,
  type PlanResource,
} from './release-plan.schemas.ts'
import {
  releasePlanReaderRoles,
  type ItemDraft,
  type ItemView,
  type PlanItem,
  type PlanView,
  type ReleasePlanService,
} from './release-plan.service.ts'

export function itemResource(item: ItemView): ItemResource {
  return {
    id: item.id,
    episodeId: item.episodeId,
    personId: item.personId,
    kind: item.kind,
    title: item.title,
    progress: plainProgress({ kind: item.kind, state: item.state, referralStatus: item.referral?.status }),
    owner: item.owner,
    organisation: item.organisation,
    dueOn: item.state.dueOn,
    status: item.state.status,
    recordedStatus: item.status,
    doneBy: item.state.doneBy ?? null,
    outstanding: item.state.outstanding,
    overdue: item.state.overdue,
    notApplicableReason: item.notApplicableReason,
    notes: item.notes,
    daysSupplied: item.daysSupplied,
    bridgingPrescription: item.bridgingPrescription,
    opioidSubstitution: item.opioidSubstitution,
    prescriberAppointmentOn: item.prescriberAppointmentOn,
    prescriberDueOn: item.prescriberDueOn ?? null,
    ostGap: item.state.ostGap ?? null,
    naloxone: item.naloxone,
    referral:
      item.referral === undefined
        ? null
        : {
            id: item.referral.id,
            serviceName: item.referral.serviceName,
            status: item.referral.status,
            firstAppointmentOn: item.referral.firstAppointmentOn,
          },
    treatmentLate: item.state.treatmentLate,
    version: item.version,
    etag: item.etag,
  }
}

export function planResource(plan: PlanView): PlanResource {
  return {
    episodeId: plan.episode.id,
    personId: plan.person.id,
    releaseDate: plan.releaseDate,
    releaseExpected: plan.releaseExpected,
    viewer: plan.viewer,
    healthWithheld: plan.healthWithheld,
    items: plan.items.map(itemResource),
  }
}

/** The item as saved, as a draft, with the patch's fields over it. */
export function patchDraft(current: PlanItem, organisationCode: string | null, patch: ItemPatch): ItemDraft {
  const draft: ItemDraft = {
    owner: current.owner,
    organisationCode,
    status: current.status,
    notApplicableReason: current.notApplicableReason,
    notes: current.notes,
    daysSupplied: current.daysSupplied,
    bridgingPrescription: current.bridgingPrescription,
    opioidSubstitution: current.opioidSubstitution,
    prescriberAppointmentOn: current.prescriberAppointmentOn,
    naloxone: current.naloxone,
    referralId: current.referralId,
  }
  for (const key of Object.keys(patch) as (keyof ItemPatch)[]) {
    const value = patch[key]
    if (value === undefined) continue
    ;(draft as unknown as Record<string, unknown>)[key] = key === 'opioidSubstitution' ? value === true : value
  }
  // A status other than "does not apply" needs no reason: the one saved is cleared unless the patch gives one.
  if (patch.status !== undefined && patch.status !== 'not-applicable' && patch.notApplicableReason === undefined) {
    draft.notApplicableReason = null
  }
  return draft
}

const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema }

export function registerReleasePlanApi(app: FastifyInstance, deps: { releasePlans: ReleasePlanService }): void {
  const { releasePlans } = deps
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const tags = ['custody']
  const config = { access: releasePlanReaderRoles }

  api.get(
    custodyRoutes.apiReleasePlan,
    {
      config,
      schema: {
        tags,
        summary: 'A custody episode’s release plan: each item with its owner, due date, status and notes',
        description:
          'The health team sees every item. Probation practitioners see housing, identity documents and meeting at ' +
          'the gate, and the GP, drug and alcohol and mental health items as a status only while the person agrees ' +
          'to share a health summary with probation; never medicines or naloxone. A partner sees only the items ' +
          'given to its organisation, while the person agrees to share with it (otherwise 404).',
        params: EpisodeParamsSchema,
        response: { 200: PlanSchema, ...problems },
      },
    },
    async (request) => planResource(await releasePlans.viewPlan(request.params.episodeId, actorOf(request), 'api')),
  )

  api.get(
    custodyRoutes.apiReleasePlanItem,
    {
      config,
      schema: {
        tags,
        summary: 'One release plan item, with its history (the health team only)',
        params: ItemParamsSchema,
        response: { 200: ItemWithHistorySchema, ...problems },
      },
    },
    async (request, reply) => {
      const { item, history } = await releasePlans.viewItem(request.params.itemId, actorOf(request), 'api')
      return reply.header('etag', item.etag).send({
        item: itemResource(item),
        history: history.map((h) => ({ ...h, recordedAt: h.recordedAt.toISOString() })),
      })
    },
  )

  api.patch(
    custodyRoutes.apiReleasePlanItem,
    {
      config,
      schema: {
        tags,
        summary: 'Change a release plan item (JSON merge patch; requires If-Match)',
        description:
          'The health team may change anything; a probation practitioner the status and notes of items owned by ' +
          'probation; a partner the status and notes of its own items.',
        params: ItemParamsSchema,
        headers: IfMatchHeadersSchema,
        body: ItemPatchSchema,
        response: { 200: PlanSchema, 412: ProblemSchema, 428: ProblemSchema, ...problems },
      },
    },
    async (request, reply) => {
      const expected = versionFromIfMatch(request.headers['if-match'], 'GET of this release plan item, like W/"1"')
      const result = await releasePlans.updateItem(
        request.params.itemId,
        expected,
        (current, organisationCode) => patchDraft(current, organisationCode, request.body),
        actorOf(request),
        'api',
      )
      if (!result.ok) {
        throw new PreconditionFailedError(
          'This release plan item was changed since your ETag was issued. GET it again, then make your change.',
        )
      }
      return reply.header('etag', result.item.etag).send(planResource(result.plan))
    },
  )
}
