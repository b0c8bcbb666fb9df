import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { clinicalRoles } from '../../platform/http/auth.ts'
import type { ObservationsInput } from './health-checks.rules.ts'
import { healthCheckPaths, healthCheckRoutes } from './health-checks.paths.ts'
import {
  CheckListSchema,
  CheckSchema,
  CreateCheckSchema,
  CreateHeadersSchema,
  FlagDetailSchema,
  FlagListSchema,
  FlagParamsSchema,
  FlagResponseSchema,
  PersonParamsSchema,
  ProblemSchema,
  type CheckResource,
  type FlagResource,
  type ObservationsInputBody,
} from './health-checks.schemas.ts'
import type { CheckDetail, HealthChecksService, WarningFlag } from './health-checks.service.ts'
import { actorOf } from '../../platform/http/auth.ts'

export function toFlagResource(f: WarningFlag, now: Date): FlagResource {
  return {
    id: f.id,
    personId: f.personId,
    checkId: f.checkId,
    instrument: f.instrumentCode,
    itemCode: f.itemCode,
    code: f.code,
    message: f.message,
    raisedAt: f.raisedAt.toISOString(),
    respondBy: f.respondBy.toISOString(),
    status: f.status,
    overdue: f.status === 'awaiting-response' && now >= f.respondBy,
    respondedAt: f.respondedAt?.toISOString() ?? null,
    responseText: f.responseText,
    respondedBy: f.respondedBy,
  }
}

export function toResource(detail: CheckDetail): CheckResource {
  const { check } = detail
  return {
    id: check.id,
    personId: check.personId,
    appointmentId: check.appointmentId,
    clinicianId: check.clinicianId,
    status: check.status,
    startedAt: check.startedAt.toISOString(),
    completedAt: check.completedAt?.toISOString() ?? null,
    version: check.version,
    results: detail.results.map((r) => ({
      instrument: r.instrumentCode,
      version: r.instrumentVersion,
      answers: r.answers,
      applicable: r.applicable,
      complete: r.complete,
      score: r.score,
      partialScore: r.partialScore,
      band: r.band,
      positive: r.positive,
      missingItems: r.missingItems,
      preferNotToSay: r.preferNotToSay,
    })),
    observations:
      detail.observations === null
        ? null
        : {
            bloodPressureStatus: detail.observations.bloodPressureStatus,
            systolic: detail.observations.systolic,
            diastolic: detail.observations.diastolic,
            heightStatus: detail.observations.heightStatus,
            heightCm: detail.observations.heightCm,
            weightStatus: detail.observations.weightStatus,
            weightKg: detail.observations.weightKg,
            bmi: detail.observations.bmi,
            smokingStatus: detail.observations.smokingStatus,
          },
    flags: detail.flags.map((f) => ({
      id: f.id,
      instrument: f.instrumentCode,
      itemCode: f.itemCode,
      code: f.code,
      message: f.message,
      raisedAt: f.raisedAt.toISOString(),
      respondBy: f.respondBy.toISOString(),
      status: f.status,
      respondedAt: f.respondedAt?.toISOString() ?? null,
    })),
    needs: detail.needs.map((n) => ({
      id: n.id,
      category: n.category,
      status: n.status,
      proposedBecause: n.proposedBecause,
      reason: n.reason,
      identifiedOn: n.identifiedOn,
    })),
  }
}

/** Statuses default from whether a value was given. */
export function observationsFromBody(body: ObservationsInputBody): ObservationsInput {
  const status = (given: string | undefined, ...values: (number | null | undefined)[]) =>
    (given ?? (values.some((v) => v !== undefined && v !== null) ? 'measured' : 'not-measured')) as
      'measured' | 'not-measured' | 'prefer-not-to-say'
  return {
    bloodPressureStatus: status(body.bloodPressureStatus, body.systolic, body.diastolic),
    systolic: body.systolic ?? null,
    diastolic: body.diastolic ?? null,
    heightStatus: status(body.heightStatus, body.heightCm),
    heightCm: body.heightCm ?? null,
    weightStatus: status(body.weightStatus, body.weightKg),
    weightKg: body.weightKg ?? null,
    smokingStatus: body.smokingStatus ?? null,
  }
}

const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema }

export function registerHealthChecksApi(
  app: FastifyInstance,
  deps: { healthChecks: HealthChecksService; now: () => Date },
): void {
  const { healthChecks, now } = deps
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const config = { access: clinicalRoles }

  api.post(
    healthCheckRoutes.apiPersonChecks,
    {
      config,
      schema: {
        tags: ['health-checks'],
        summary: 'Record a health check: answers scored by the service, warning flags raised, needs proposed',
        description:
          'Scores, bands and positives are computed by the instruments scoring module and stored with the ' +
          'instrument version. A warning sign (PHQ-9 question 9 above 0, or a blood pressure of 180/120 or ' +
          'higher) raises a flag needing a ' +
          'clinician’s documented response the same day; no risk level is ever given (NICE NG225). With ' +
          'complete: true, needs are proposed for a clinician to confirm or dismiss. Clinical roles only.',
        params: PersonParamsSchema,
        headers: CreateHeadersSchema,
        body: CreateCheckSchema,
        response: { 201: CheckSchema, ...problems, 409: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      const body = request.body
      const { detail } = await healthChecks.createCheck(
        request.params.id,
        {
          appointmentId: body.appointmentId,
          responses: body.responses,
          observations: body.observations === undefined ? undefined : observationsFromBody(body.observations),
          complete: body.complete,
        },
        { principal: request.principal, requestId: request.id },
        request.headers['idempotency-key'],
      )
      return reply
        .code(201)
        .header('location', healthCheckPaths.api.personChecks(detail.person.id))
        .header('etag', `W/"${String(detail.check.version)}"`)
        .send(toResource(detail))
    },
  )

  api.get(
    healthCheckRoutes.apiPersonChecks,
    {
      config,
      schema: {
        tags: ['health-checks'],
        summary: 'A person’s health checks with their results, flags and needs, newest first (clinical roles only)',
        params: PersonParamsSchema,
        response: { 200: CheckListSchema, ...problems },
      },
    },
    async (request) => {
      const { checks } = await healthChecks.listChecks(
        request.params.id,
        { principal: request.principal, requestId: request.id },
        'api',
      )
      return { healthChecks: checks.map(toResource) }
    },
  )

  // ---- Warning flags ----

  api.get(
    healthCheckRoutes.apiPersonFlags,
    {
      config,
      schema: {
        tags: ['warning-flags'],
        summary: 'A person’s warning flags, newest first, with any documented responses (clinical roles only)',
        params: PersonParamsSchema,
        response: { 200: FlagListSchema, ...problems },
      },
    },
    async (request) => {
      const { flags } = await healthChecks.listFlagsForPerson(request.params.id, actorOf(request), 'api')
      const at = now()
      return { warningFlags: flags.map((f) => toFlagResource(f, at)) }
    },
  )

  api.post(
    healthCheckRoutes.apiFlagResponse,
    {
      config,
      schema: {
        tags: ['warning-flags'],
        summary: 'Record the clinician’s documented response to a warning flag (once only)',
        description:
          'The response is free text, 1 to 5000 characters: what was discussed and done. A flag takes one ' +
          'response: a second is refused with 409. Never give a risk level (NICE NG225).',
        params: FlagParamsSchema,
        body: FlagResponseSchema,
        response: { 200: FlagDetailSchema, ...problems, 409: ProblemSchema },
      },
    },
    async (request) => {
      const flag = await healthChecks.respondToFlag(request.params.id, request.body.response, actorOf(request), 'api')
      return toFlagResource(flag, now())
    },
  )
}
