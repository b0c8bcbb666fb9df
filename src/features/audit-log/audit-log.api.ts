import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { actorOf, type Access } from '../../platform/http/auth.ts'
import { ukDayEnd, ukDayStart } from './audit-log.forms.ts'
import { auditActions } from '../../platform/audit/audit.service.ts'
import type { AuditFilter } from './audit-log.read-model.ts'
import type { AuditLogService } from './audit-log.service.ts'
import { keysetPage } from '../../platform/db/paging.ts'

const Uuid = (description: string) => Type.String({ format: 'uuid', description })
const NullableString = (description: string) => Type.Union([Type.String(), Type.Null()], { description })

export const AuditEventSchema = Type.Object(
  {
    id: Type.Integer({ description: 'Position in the hash chain; larger is newer' }),
    occurredAt: Type.String({ format: 'date-time' }),
    actorId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
      description: 'The staff user; null for the command line and failed sign-ins',
    }),
    actorName: NullableString('The staff user’s name'),
    actorRole: NullableString('The staff user’s role when the event happened'),
    action: Type.String({ description: `One of ${auditActions.join(', ')}` }),
    entityType: Type.String(),
    entityId: NullableString('The id of the thing acted on'),
    personId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    siteId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    requestId: NullableString('The request (or `cli:<uuid>` command) that caused the event'),
    details: Type.Object(
      {},
      { additionalProperties: true, description: 'Ids, counts and field names; never personal data' },
    ),
  },
  { $id: 'AuditEvent' },
)

export const AuditQuerySchema = Type.Object(
  {
    personId: Type.Optional(Uuid('Only events about this person')),
    actorId: Type.Optional(Uuid('Only events by this staff user')),
    action: Type.Optional(Type.Enum(auditActions)),
    from: Type.Optional(Type.String({ format: 'date', description: 'First UK calendar day to include (YYYY-MM-DD)' })),
    to: Type.Optional(Type.String({ format: 'date', description: 'Last UK calendar day to include (YYYY-MM-DD)' })),
    before: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: 'Only events older than this id: pass `nextBefore` from the previous page',
      }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
)

const auditorsOnly: Access = ['auditor']

export function registerAuditApi(app: FastifyInstance, deps: { auditLog: AuditLogService }): void {
  const { auditLog } = deps
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/api/v1/audit',
    {
      config: { access: auditorsOnly },
      schema: {
        tags: ['audit'],
        summary: 'Audit events, newest first (auditors only)',
        description:
          'Keyset pagination: pass `nextBefore` as `before` to get the next, older page. Reading the log is itself audited.',
        querystring: AuditQuerySchema,
        response: {
          200: Type.Object({
            events: Type.Array(AuditEventSchema),
            nextBefore: Type.Union([Type.Integer(), Type.Null()], { description: 'null on the last page' }),
          }),
        },
      },
    },
    async (request) => {
      const query = request.query
      const limit = query.limit ?? 100
      const filter: AuditFilter = { limit: limit + 1 }
      if (query.personId !== undefined) filter.personId = query.personId.toLowerCase()
      if (query.actorId !== undefined) filter.actorId = query.actorId.toLowerCase()
      if (query.action !== undefined) filter.action = query.action
      if (query.from !== undefined) filter.from = ukDayStart(query.from)
      if (query.to !== undefined) filter.to = ukDayEnd(query.to)
      if (query.before !== undefined) filter.beforeId = query.before
      const used = (['personId', 'actorId', 'action', 'from', 'to'] as const).filter((key) => query[key] !== undefined)
      const { items: page, next } = keysetPage(
        await auditLog.listEvents(filter, actorOf(request), used),
        limit,
        (event) => event.id,
      )
      return {
        events: page.map((e) => ({
          id: e.id,
          occurredAt: e.occurredAt.toISOString(),
          actorId: e.actorId,
          actorName: e.actorName,
          actorRole: e.actorRole,
          action: e.action,
          entityType: e.entityType,
          entityId: e.entityId,
          personId: e.personId,
          siteId: e.siteId,
          requestId: e.requestId,
          details: e.details,
        })),
        nextBefore: next ?? null,
      }
    },
  )
}
