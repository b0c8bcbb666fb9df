import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type, type Static } from 'typebox'
import { clinicalRoles } from '../../platform/http/auth.ts'
import type { InstrumentPermission } from './instruments.repository.ts'
import {
  InstrumentListSchema,
  InstrumentParamsSchema,
  InstrumentResourceSchema,
  PermissionRequestSchema,
  PermissionResourceSchema,
  ProblemSchema,
  ScoreRequestSchema,
  ScoreResultSchema,
  type InstrumentSummarySchema,
} from './instruments.schemas.ts'
import type { InstrumentSummary, InstrumentsService } from './instruments.service.ts'

export const instrumentRoutes = {
  list: '/api/v1/instruments',
  instrument: '/api/v1/instruments/:code',
  score: '/api/v1/instruments/:code/score',
  permission: '/api/v1/instruments/:code/permission',
} as const

function permissionResource(permission: InstrumentPermission) {
  return {
    reference: permission.reference,
    grantedBy: permission.grantedBy,
    grantedAt: permission.grantedAt.toISOString(),
  }
}

function summaryResource(summary: InstrumentSummary): Static<typeof InstrumentSummarySchema> {
  const { definition } = summary
  return {
    code: definition.code,
    title: definition.title,
    version: definition.version,
    licence: definition.licence,
    enabled: summary.enabled,
    permission: summary.permission === null ? null : permissionResource(summary.permission),
  }
}

const problems = { 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema }

export function registerInstrumentsApi(app: FastifyInstance, deps: { instruments: InstrumentsService }): void {
  const { instruments } = deps
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const readers = [...clinicalRoles, 'admin'] as const

  api.get(
    instrumentRoutes.list,
    {
      config: { access: readers },
      schema: {
        tags: ['instruments'],
        summary: 'The screening instruments, with version, licence and whether each may be used',
        response: { 200: InstrumentListSchema, 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async () => ({ instruments: (await instruments.listInstruments()).map(summaryResource) }),
  )

  api.get(
    instrumentRoutes.instrument,
    {
      config: { access: clinicalRoles },
      schema: {
        tags: ['instruments'],
        summary: 'One instrument’s full definition: items and options in the published order, scoring, bands, licence',
        params: InstrumentParamsSchema,
        response: { 200: InstrumentResourceSchema, ...problems },
      },
    },
    async (request) => {
      const summary = await instruments.getInstrument(request.params.code)
      return { enabled: summary.enabled, definition: summary.definition }
    },
  )

  api.post(
    instrumentRoutes.score,
    {
      config: { access: clinicalRoles },
      schema: {
        tags: ['instruments'],
        summary: 'Score answers to an instrument (nothing is stored)',
        description:
          'Skipped or "prefer-not-to-say" items make the result incomplete: `score` and `band` are then null and ' +
          '`missingItems` names the items. Warning-sign flags (PHQ-9 item 9 above 0) are returned even when ' +
          'incomplete; they call for same-day clinician review and are never a risk level. Unknown item or option ' +
          'codes are a 400 naming each as `answers.<item code>`. An instrument whose licence permission is not ' +
          'recorded is a 409.',
        params: InstrumentParamsSchema,
        body: ScoreRequestSchema,
        response: { 200: ScoreResultSchema, 400: ProblemSchema, ...problems, 409: ProblemSchema },
      },
    },
    async (request) => instruments.scoreAnswers(request.params.code, request.body.answers),
  )

  api.put(
    instrumentRoutes.permission,
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['instruments'],
        summary: 'Record the licence holder’s permission to use an instrument (administrators)',
        params: InstrumentParamsSchema,
        body: PermissionRequestSchema,
        response: { 200: PermissionResourceSchema, 400: ProblemSchema, ...problems, 409: ProblemSchema },
      },
    },
    async (request) => {
      const permission = await instruments.recordPermission(request.params.code, request.body.reference, {
        principal: request.principal,
        requestId: request.id,
      })
      return { instrumentCode: permission.instrumentCode, enabled: true, permission: permissionResource(permission) }
    },
  )

  api.delete(
    instrumentRoutes.permission,
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['instruments'],
        summary: 'Revoke the recorded permission; the instrument is disabled again (administrators)',
        params: InstrumentParamsSchema,
        response: { 204: Type.Null(), ...problems },
      },
    },
    async (request, reply) => {
      await instruments.revokePermission(request.params.code, { principal: request.principal, requestId: request.id })
      return reply.code(204).send(null)
    },
  )
}
