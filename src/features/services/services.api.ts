import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { ValidationError } from '../../platform/http/errors.ts'
import { isServiceKind, messages } from './services.messages.ts'
import { serviceRoutes } from './services.paths.ts'
import {
  ProblemSchema,
  ServiceCreateHeadersSchema,
  ServiceCreateSchema,
  ServiceListQuerySchema,
  ServiceListSchema,
  ServiceSchema,
  type ServiceCreate,
  type ServiceResource,
} from './services.schemas.ts'
import {
  directoryKeeperRoles,
  directoryReaderRoles,
  type DirectoryService,
  type ServicesService,
} from './services.service.ts'
import { validateService, type ServiceInput } from './services.validation.ts'
import { actorOf } from '../../platform/http/auth.ts'

export function toResource(service: DirectoryService): ServiceResource {
  return {
    id: service.id,
    siteCode: service.siteCode,
    kind: service.kind,
    name: service.name,
    odsCode: service.odsCode,
    organisationCode: service.organisationCode,
    address: service.address,
    phone: service.phone,
    email: service.email,
    website: service.website,
    referralMethod: service.referralMethod,
    notes: service.notes,
    active: service.active,
    version: service.version,
    updatedAt: service.updatedAt.toISOString(),
  }
}

const str = (value: string | null | undefined) => (value ?? '').trim()

function checkCreate(body: ServiceCreate): ServiceInput {
  const result = validateService({
    siteCode: str(body.siteCode),
    kind: str(body.kind),
    name: str(body.name),
    odsCode: str(body.odsCode),
    organisationCode: str(body.organisationCode),
    address: str(body.address),
    phone: str(body.phone),
    email: str(body.email),
    website: str(body.website),
    referralMethod: str(body.referralMethod),
    notes: str(body.notes),
    active: true,
  })
  if (!result.ok) throw new ValidationError(result.errors)
  return result.value
}

const problemResponses = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema }

export function registerServicesApi(app: FastifyInstance, deps: { services: ServicesService }): void {
  const { services } = deps
  const api = app.withTypeProvider<TypeBoxTypeProvider>()

  api.get(
    serviceRoutes.apiServices,
    {
      config: { access: directoryReaderRoles },
      schema: {
        tags: ['services'],
        summary: 'A site’s service directory, optionally one kind',
        querystring: ServiceListQuerySchema,
        response: { 200: ServiceListSchema, ...problemResponses },
      },
    },
    async (request) => {
      const kind = request.query.kind?.trim()
      if (kind !== undefined && !isServiceKind(kind)) {
        throw new ValidationError([{ field: 'kind', message: messages.kindUnknown }])
      }
      const { site, services: entries } = await services.listDirectory(
        { siteCode: request.query.site, kind, includeInactive: request.query.includeInactive === true },
        actorOf(request),
      )
      return { siteCode: site.code, items: entries.map(toResource) }
    },
  )

  api.post(
    serviceRoutes.apiServices,
    {
      config: { access: directoryKeeperRoles },
      schema: {
        tags: ['services'],
        summary: 'Add an entry to a site’s service directory (hub managers, for their sites)',
        headers: ServiceCreateHeadersSchema,
        body: ServiceCreateSchema,
        response: { 201: ServiceSchema, 200: ServiceSchema, ...problemResponses, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      const input = checkCreate(request.body)
      const key = request.headers['idempotency-key']
      const { service, replayed } = await services.createService(input, actorOf(request), 'api', key)
      return reply.code(replayed ? 200 : 201).send(toResource(service))
    },
  )
}
