import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { actorOf, type Access } from '../../platform/http/auth.ts'
import type { SitesService } from '../sites/index.ts'
import { staffRoles } from './staff.messages.ts'
import type { AccessRequest, StaffService } from './staff.service.ts'

const RoleSchema = Type.Enum(staffRoles, { description: 'The staff role' })

const AccessRequestSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    staffUserId: Type.String({ format: 'uuid' }),
    kind: Type.Enum(['new-account', 'change', 'password-reset'], {
      description:
        'new-account: the account cannot sign in until approved; change: it keeps its access until then; password-reset: it keeps its password until then, and the approver is shown a one-time password',
    }),
    fromRole: Type.Union([RoleSchema, Type.Null()], { description: 'The role when asked; null for a new account' }),
    role: RoleSchema,
    siteCodes: Type.Array(Type.String(), { description: 'Every site the account will have once approved' }),
    grantsSiteCodes: Type.Array(Type.String(), {
      description: 'The sites the request adds: a hub manager must manage all of them to approve it',
    }),
    status: Type.Enum(['pending', 'approved', 'refused', 'cancelled']),
    requestedBy: Type.String({ format: 'uuid' }),
    requestedAt: Type.String({ format: 'date-time' }),
    canDecide: Type.Boolean({
      description: 'Whether the caller may approve or refuse it (never their own request or their own account)',
    }),
  },
  {
    $id: 'StaffAccessRequest',
    description:
      'Access that waits for a second person: a clinical role (clinician, probation practitioner, hub manager), a site for one, the administrator role, or a password reset. Decided on the Access requests pages.',
  },
)

export const StaffUserSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    email: Type.String(),
    fullName: Type.String(),
    role: RoleSchema,
    siteCodes: Type.Array(Type.String(), { description: 'Codes of the sites the user belongs to' }),
    organisationCode: Type.Union([Type.String(), Type.Null()], {
      description: 'The partner organisation, for partners',
    }),
    status: Type.Enum(['active', 'disabled']),
    locked: Type.Boolean({ description: 'Locked after too many failed sign-ins' }),
    lastSignInAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    accessRequest: Type.Union([AccessRequestSchema, Type.Null()], {
      description: 'Access asked for and waiting for approval; role and siteCodes above are the access in force',
    }),
  },
  { $id: 'StaffUser' },
)

const StaffQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Part of a name or email address' })),
    role: Type.Optional(RoleSchema),
    status: Type.Optional(Type.Enum(['active', 'disabled', 'locked'])),
  },
  { additionalProperties: false },
)

const adminOnly: Access = ['admin']
const deciders: Access = ['admin', 'hub_manager']

function accessRequestJson(request: AccessRequest, siteCode: ReadonlyMap<string, string>, canDecide: boolean) {
  const codes = (ids: readonly string[]) => ids.map((id) => siteCode.get(id) ?? id).sort()
  return {
    id: request.id,
    staffUserId: request.staffUserId,
    kind: request.kind,
    fromRole: request.fromRole,
    role: request.role,
    siteCodes: codes(request.siteIds),
    grantsSiteCodes: codes(request.grantsSiteIds),
    status: request.status,
    requestedBy: request.requestedBy,
    requestedAt: request.requestedAt.toISOString(),
    canDecide,
  }
}

export function registerStaffApi(app: FastifyInstance, deps: { staff: StaffService; sites: SitesService }): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/api/v1/staff/access-requests',
    {
      config: { access: deciders },
      schema: {
        tags: ['staff'],
        summary: 'Access requests waiting for approval (administrators: all; hub managers: those within their sites)',
        response: { 200: Type.Object({ accessRequests: Type.Array(AccessRequestSchema) }) },
      },
    },
    async (request) => {
      const [requests, sites] = await Promise.all([
        deps.staff.listAccessRequests(actorOf(request)),
        deps.sites.listAll(),
      ])
      const siteCode = new Map(sites.map((s) => [s.id, s.code]))
      return {
        accessRequests: requests.map((r) => accessRequestJson(r.request, siteCode, r.bar === undefined)),
      }
    },
  )

  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/api/v1/staff/:id/password-reset',
    {
      config: { access: adminOnly },
      schema: {
        tags: ['staff'],
        summary:
          'Ask for a reset of another staff user’s password (administrators only). Nothing changes until a second person approves it on the Access requests pages; only they are shown the new password, never the caller',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 202: Type.Object({ accessRequest: AccessRequestSchema }) },
      },
    },
    async (request, reply) => {
      const user = await deps.staff.getUser(request.params.id)
      const created = await deps.staff.requestPasswordReset(user.id, user.version, actorOf(request))
      const sites = await deps.sites.listAll()
      const siteCode = new Map(sites.map((s) => [s.id, s.code]))
      return reply.code(202).send({ accessRequest: accessRequestJson(created, siteCode, false) })
    },
  )

  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/api/v1/staff',
    {
      config: { access: adminOnly },
      schema: {
        tags: ['staff'],
        summary: 'Staff users (administrators only)',
        querystring: StaffQuery,
        response: { 200: Type.Object({ staff: Type.Array(StaffUserSchema) }) },
      },
    },
    async (request) => {
      const { q, role, status } = request.query
      const [users, sites, organisations, requests] = await Promise.all([
        deps.staff.listUsers({
          ...(q === undefined || q.trim() === '' ? {} : { search: q.trim() }),
          ...(role === undefined ? {} : { role }),
          ...(status === undefined ? {} : { status }),
        }),
        deps.sites.listAll(),
        deps.staff.listOrganisations(),
        deps.staff.listAccessRequests(actorOf(request)),
      ])
      const siteCode = new Map(sites.map((s) => [s.id, s.code]))
      const pending = new Map(
        requests.map((r) => [r.request.staffUserId, accessRequestJson(r.request, siteCode, r.bar === undefined)]),
      )
      const organisationCode = new Map(organisations.map((o) => [o.id, o.code]))
      return {
        staff: users.map((u) => ({
          id: u.id,
          email: u.email,
          fullName: u.displayName,
          role: u.role,
          siteCodes: u.siteIds.map((id) => siteCode.get(id) ?? id).sort(),
          organisationCode: u.organisationId === null ? null : (organisationCode.get(u.organisationId) ?? null),
          status: u.status,
          locked: deps.staff.isLocked(u),
          lastSignInAt: u.lastSignInAt?.toISOString() ?? null,
          accessRequest: pending.get(u.id) ?? null,
        })),
      }
    },
  )
}
