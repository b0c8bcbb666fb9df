import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { PreconditionFailedError, ValidationError } from '../../platform/http/errors.ts'
import { gpRegistrationRoutes } from './gp-registration.paths.ts'
import {
  GpRegistrationParamsSchema,
  GpRegistrationPutHeadersSchema,
  GpRegistrationPutSchema,
  GpRegistrationSchema,
  ProblemSchema,
  type GpRegistrationPut,
  type GpRegistrationResource,
} from './gp-registration.schemas.ts'
import {
  gpRegistrationReaderRoles,
  gpRegistrationRecorderRoles,
  type GpRegistrationRecord,
  type GpRegistrationService,
  type GpRegistrationState,
} from './gp-registration.service.ts'
import { checkRegistration, type GpRegistrationInput } from './gp-registration.validation.ts'
import { actorOf } from '../../platform/http/auth.ts'
import { etagFromIfMatch } from '../../platform/http/preconditions.ts'
import { dateRangeError, isRealDate } from '../../platform/forms/forms.ts'
import { STATUS_DATE_RANGE } from './gp-registration.forms.ts'
import { messages } from './gp-registration.messages.ts'

function toRecord(r: GpRegistrationRecord) {
  return {
    status: r.status,
    statusDate: r.statusDate,
    practice:
      r.practiceName === null ? null : { serviceId: r.serviceId, name: r.practiceName, odsCode: r.practiceOdsCode },
    reason: r.reason,
    helpGiven: r.helpGiven,
    recordedAt: r.recordedAt.toISOString(),
    recordedBy: r.recordedBy,
  }
}

export function toResource(state: GpRegistrationState): GpRegistrationResource {
  return {
    personId: state.person.id,
    current: state.current === undefined ? null : toRecord(state.current),
    inProgressSince: state.inProgressSince ?? null,
    history: state.history.map(toRecord),
    etag: state.etag,
  }
}

const str = (value: string | null | undefined) => (value ?? '').trim()

export function checkPut(body: GpRegistrationPut, today: string): GpRegistrationInput {
  const statusDate = str(body.statusDate)
  const result = checkRegistration(
    {
      status: str(body.status),
      statusDate,
      serviceId: str(body.serviceId),
      practiceName: str(body.practiceName),
      practiceOdsCode: str(body.practiceOdsCode),
      reason: str(body.reason),
      helpGiven: str(body.helpGiven),
    },
    today,
  )
  const early = isRealDate(statusDate) ? dateRangeError(statusDate, STATUS_DATE_RANGE, messages.dateLabel) : undefined
  const errors = [
    ...(result.ok ? [] : result.errors),
    ...(early === undefined ? [] : [{ field: 'statusDate', message: early }]),
  ]
  if (!result.ok || errors.length > 0) throw new ValidationError(errors)
  return result.value
}

const problemResponses = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema }

export function registerGpRegistrationApi(app: FastifyInstance, deps: { gpRegistration: GpRegistrationService }): void {
  const { gpRegistration } = deps
  const api = app.withTypeProvider<TypeBoxTypeProvider>()

  api.get(
    gpRegistrationRoutes.apiRegistration,
    {
      config: { access: gpRegistrationReaderRoles },
      schema: {
        tags: ['gp-registration'],
        summary: 'A person’s GP registration status and history (the ETag header is needed for PUT)',
        params: GpRegistrationParamsSchema,
        response: { 200: GpRegistrationSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const state = await gpRegistration.viewRegistration(request.params.id, actorOf(request), 'api')
      return reply.header('etag', state.etag).send(toResource(state))
    },
  )

  api.put(
    gpRegistrationRoutes.apiRegistration,
    {
      config: { access: gpRegistrationRecorderRoles },
      schema: {
        tags: ['gp-registration'],
        summary: 'Record a new GP registration status (requires If-Match with the ETag from GET)',
        description:
          'Adds the status to the history and makes it current, unless it is the same as the current one in every ' +
          'field (then nothing is recorded). A stale ETag is refused with 412, a missing one with 428. ' +
          'Clinicians and hub managers only.',
        params: GpRegistrationParamsSchema,
        headers: GpRegistrationPutHeadersSchema,
        body: GpRegistrationPutSchema,
        response: {
          200: GpRegistrationSchema,
          ...problemResponses,
          412: ProblemSchema,
          422: ProblemSchema,
          428: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const expected = etagFromIfMatch(request.headers['if-match'], 'GET of this person’s GP registration')
      const input = checkPut(request.body, gpRegistration.today())
      const result = await gpRegistration.recordStatus(request.params.id, expected, input, actorOf(request), 'api')
      if (!result.ok) {
        throw new PreconditionFailedError(
          'This person’s GP registration was changed since your ETag was issued. GET it again, then send your update.',
        )
      }
      return reply.header('etag', result.state.etag).send(toResource(result.state))
    },
  )
}
