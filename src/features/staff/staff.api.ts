import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Access } from '../../platform/http/auth.ts'
import type { SitesService } from '../sites/index.ts'
import { staffRoles } from './staff.messages.ts'
import type { StaffService } from './staff.service.ts'

const RoleSchema = Type.Enum(staffRoles, { description: 'The staff role' })

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

export function registerStaffApi(app: FastifyInstance, deps: { staff: StaffService; sites: SitesService }): void {
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
      const [users, sites, organisations] = await Promise.all([
        deps.staff.listUsers({
          ...(q === undefined || q.trim() === '' ? {} : { search: q.trim() }),
          ...(role === undefined ? {} : { role }),
          ...(status === undefined ? {} : { status }),
        }),
        deps.sites.listAll(),
        deps.staff.listOrganisations(),
      ])
      const siteCode = new Map(sites.map((s) => [s.id, s.code]))
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
        })),
      }
    },
  )
}
