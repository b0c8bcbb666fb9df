import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { actorOf } from '../../platform/http/auth.ts'
import { PreconditionFailedError, ValidationError, type FieldError } from '../../platform/http/errors.ts'
import { versionFromIfMatch } from '../../platform/http/preconditions.ts'
import { isTreatmentRequirementKind, kindText, messages, statusText } from './treatment-requirements.messages.ts'
import { treatmentRequirementPaths, treatmentRequirementRoutes } from './treatment-requirements.paths.ts'
import {
  IfMatchHeadersSchema,
  OptionalIfMatchHeadersSchema,
  PatchSchema,
  PersonParamsSchema,
  ProblemSchema,
  ProposeSchema,
  RequirementDetailSchema,
  RequirementListSchema,
  RequirementParamsSchema,
  TransitionBodySchema,
  TreatmentProblemSchema,
  type Propose,
  type RequirementDetailResource,
  type RequirementSummaryResource,
  type TransitionBody,
} from './treatment-requirements.schemas.ts'
import {
  referralLinkerRoles,
  requirementRoles,
  type ProposalInput,
  type ReferralView,
  type RequirementDetail,
  type RequirementView,
  type TransitionInput,
  type TreatmentRequirementsService,
} from './treatment-requirements.service.ts'
import { isTreatmentRequirementStatus } from './treatment-requirements.transitions.ts'

function toReferral(r: ReferralView) {
  return {
    id: r.id,
    serviceName: r.serviceName,
    status: r.status,
    statusText: r.statusText,
    needCategory: r.needCategory,
    sentOn: r.sentOn,
    suggested: r.suggested,
  }
}

export function toSummary(view: RequirementView): RequirementSummaryResource {
  const r = view.requirement
  return {
    id: r.id,
    personId: r.personId,
    kind: r.kind,
    kindName: kindText[r.kind].name,
    status: r.status,
    statusText: statusText[r.status].text,
    statusOn: r.statusOn,
    proposedOn: r.proposedOn,
    assessedOn: r.assessedOn,
    madeOn: r.madeOn,
    startedOn: r.startedOn,
    endedOn: r.endedOn,
    note: r.note,
    referralLinked: view.referralLinked,
    referral: view.referral === undefined ? null : toReferral(view.referral),
    version: r.version,
    etag: view.etag,
    createdAt: r.createdAt.toISOString(),
    createdBy: r.createdBy,
  }
}

export function toDetail(detail: RequirementDetail): RequirementDetailResource {
  return {
    ...toSummary(detail),
    events: detail.events.map((e) => ({
      kind: e.kind,
      from: e.fromStatus,
      to: e.toStatus,
      occurredOn: e.occurredOn,
      reason: e.reason,
      reasonHidden: e.reasonHidden,
      referralId: e.referral?.id ?? null,
      actorId: e.actorId,
      actorName: e.actorName,
      recordedAt: e.recordedAt.toISOString(),
    })),
    allowedTransitions: detail.allowed.map((t) => ({
      to: t.to,
      label: t.label,
      reasonRequired: t.reasonRequired,
      needsReferral: t.needsReferral,
    })),
    suggestedReferrals: detail.referralOptions.map(toReferral),
  }
}

const trimmed = (value: string | undefined) => {
  const t = (value ?? '').trim()
  return t === '' ? null : t
}

/**
 * Shape checks at the edge. A blank or missing date is never taken as today (issue 9 item 10): it is named here with
 * the other field errors, so they come at once, and otherwise refused by the service after its access and lifecycle
 * checks (so a request whose only fault is the date still learns first that it is forbidden or not allowed).
 */
export function checkProposal(body: Propose): ProposalInput {
  const errors: FieldError[] = []
  const kind = body.kind.trim()
  if (kind === '') errors.push({ field: 'kind', message: messages.kindBlank })
  else if (!isTreatmentRequirementKind(kind)) errors.push({ field: 'kind', message: messages.kindUnknown })
  const note = trimmed(body.note)
  if (note !== null && note.length > 2000) errors.push({ field: 'note', message: messages.noteTooLong })
  const proposedOn = trimmed(body.proposedOn) ?? ''
  if (errors.length > 0 && proposedOn === '') errors.push({ field: 'proposedOn', message: messages.proposedOnBlank })
  if (errors.length > 0 || !isTreatmentRequirementKind(kind)) throw new ValidationError(errors)
  return { kind, proposedOn, note }
}

export function checkTransitionBody(body: TransitionBody): TransitionInput {
  const to = body.to.trim()
  const at = trimmed(body.at) ?? ''
  if (!isTreatmentRequirementStatus(to)) {
    throw new ValidationError([
      { field: 'to', message: to === '' ? messages.toBlank : messages.toUnknown },
      ...(at === '' ? [{ field: 'at', message: messages.atBlank }] : []),
    ])
  }
  return { to, at, reason: trimmed(body.reason), referralId: trimmed(body.referralId) ?? undefined }
}

const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema }
const stale = () =>
  new PreconditionFailedError(
    'This treatment requirement was changed since your ETag was issued. GET it again, then make your change.',
  )
const LAST_READ = 'GET of this treatment requirement, like W/"1"'

export function registerTreatmentRequirementsApi(
  app: FastifyInstance,
  deps: { requirements: TreatmentRequirementsService },
): void {
  const { requirements } = deps
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const tags = ['treatment-requirements']

  api.get(
    treatmentRequirementRoutes.apiPersonRequirements,
    {
      config: { access: requirementRoles },
      schema: {
        tags,
        summary: 'A person’s treatment requirements (MHTR, DRR, ATR), newest first',
        description:
          'Clinicians, hub managers and probation practitioners at the person’s site. Probation practitioners see ' +
          'a linked referral’s service and status only while the person agrees to share a health summary with ' +
          'probation, and never its need.',
        params: PersonParamsSchema,
        response: { 200: RequirementListSchema, ...problems },
      },
    },
    async (request) => {
      const { person, requirements: list } = await requirements.listForPerson(
        request.params.id,
        actorOf(request),
        'api',
      )
      return { personId: person.id, requirements: list.map(toSummary) }
    },
  )

  api.post(
    treatmentRequirementRoutes.apiPersonRequirements,
    {
      config: { access: requirementRoles },
      schema: {
        tags,
        summary: 'Propose a treatment requirement',
        description:
          'Starts as proposed. Refused with 409 (code open-requirement-exists, existingId) when the person already ' +
          'has an open one of the kind (proposed, assessed-suitable, made or started), and with 400 when the person ' +
          'was under 18 on proposedOn (a community sentence treatment requirement is for adults).',
        params: PersonParamsSchema,
        body: ProposeSchema,
        response: { 201: RequirementDetailSchema, ...problems, 409: TreatmentProblemSchema },
      },
    },
    async (request, reply) => {
      const input = checkProposal(request.body)
      const detail = await requirements.propose(request.params.id, input, actorOf(request), 'api')
      return reply
        .code(201)
        .header('location', treatmentRequirementPaths.api.requirement(detail.requirement.id))
        .header('etag', detail.etag)
        .send(toDetail(detail))
    },
  )

  api.get(
    treatmentRequirementRoutes.apiRequirement,
    {
      config: { access: requirementRoles },
      schema: {
        tags,
        summary: 'A treatment requirement with its changelog and the changes you may make (ETag for PATCH)',
        params: RequirementParamsSchema,
        response: { 200: RequirementDetailSchema, ...problems },
      },
    },
    async (request, reply) => {
      const detail = await requirements.viewRequirement(request.params.id, actorOf(request), 'api')
      return reply.header('etag', detail.etag).send(toDetail(detail))
    },
  )

  api.post(
    treatmentRequirementRoutes.apiTransitions,
    {
      config: { access: requirementRoles },
      schema: {
        tags,
        summary: 'Change a treatment requirement’s status',
        description:
          'Allowed: proposed → assessed-suitable | assessed-unsuitable; assessed-suitable → made | ' +
          'assessed-unsuitable; assessed-unsuitable → assessed-suitable; made → started; started → completed | ' +
          'breached; breached → started (the court allowed it to continue). Assessments are recorded by clinicians ' +
          'and hub managers; made, started, completed and breached by probation practitioners (otherwise 403). A ' +
          'change the lifecycle does not allow is 409 naming the allowed ones (allowedTransitions). started needs a ' +
          'linked treatment referral (422, field referralId). Dates: not in the future, not before the last change.',
        params: RequirementParamsSchema,
        headers: OptionalIfMatchHeadersSchema,
        body: TransitionBodySchema,
        response: {
          200: RequirementDetailSchema,
          ...problems,
          409: TreatmentProblemSchema,
          412: ProblemSchema,
          422: ProblemSchema,
          428: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const header = request.headers['if-match']
      const expected = header === undefined ? undefined : versionFromIfMatch(header, LAST_READ)
      const input = checkTransitionBody(request.body)
      const result = await requirements.transition(request.params.id, input, expected, actorOf(request), 'api')
      if (!result.ok) throw stale()
      return reply.header('etag', result.detail.etag).send(toDetail(result.detail))
    },
  )

  api.patch(
    treatmentRequirementRoutes.apiRequirement,
    {
      config: { access: referralLinkerRoles },
      // The validator would coerce an empty string to null (unlink): refuse it as a mistake before it can.
      preValidation: async (request) => {
        const body = request.body as Record<string, unknown> | undefined
        const value = body?.['referralId']
        if (typeof value === 'string' && value.trim() === '') {
          throw new ValidationError([{ field: 'referralId', message: messages.referralInvalid }])
        }
      },
      schema: {
        tags,
        summary: 'Link or unlink the treatment referral (requires If-Match)',
        description:
          'Clinicians and hub managers. The referral must be the same person’s (otherwise 422, field referralId); ' +
          'a requirement that has started keeps its referral. A stale ETag is 412, a missing one 428.',
        params: RequirementParamsSchema,
        headers: IfMatchHeadersSchema,
        body: PatchSchema,
        response: {
          200: RequirementDetailSchema,
          ...problems,
          412: ProblemSchema,
          422: ProblemSchema,
          428: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const expected = versionFromIfMatch(request.headers['if-match'], LAST_READ)
      const referralId = request.body.referralId === null ? null : request.body.referralId.trim()
      const result = await requirements.linkReferral(request.params.id, referralId, expected, actorOf(request), 'api')
      if (!result.ok) throw stale()
      return reply.header('etag', result.detail.etag).send(toDetail(result.detail))
    },
  )
}
