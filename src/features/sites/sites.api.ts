import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { requirePrincipal } from '../../platform/http/auth.ts'
import type { SitesService } from './sites.service.ts'

export const SiteSchema = Type.Object(
  {
    code: Type.String({ description: 'Stable site code, e.g. cambridge' }),
    name: Type.String(),
    region: Type.String(),
    member: Type.Boolean({ description: 'Whether the calling user belongs to this site' }),
  },
  { $id: 'Site' },
)

export function registerSitesApi(app: FastifyInstance, deps: { sites: SitesService }): void {
  app.get(
    '/api/v1/sites',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['sites'],
        summary: 'The pilot sites',
        response: { 200: Type.Object({ sites: Type.Array(SiteSchema) }) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request)
      const sites = await deps.sites.listAll()
      return {
        sites: sites.map((s) => ({ code: s.code, name: s.name, region: s.region, member: principal.siteIds.includes(s.id) })),
      }
    },
  )
}
