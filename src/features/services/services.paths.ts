/** Every link to the service directory's pages and API is built here, so URLs change in one place. */
import type { ServiceKind } from './services.messages.ts'

export interface DirectoryLinkQuery {
  site?: string | undefined
  kind?: ServiceKind | undefined
  inactive?: boolean | undefined
}

function directory(query: DirectoryLinkQuery = {}): string {
  const params = new URLSearchParams()
  if (query.site !== undefined && query.site !== '') params.set('site', query.site)
  if (query.kind !== undefined) params.set('kind', query.kind)
  if (query.inactive === true) params.set('inactive', 'yes')
  const search = params.toString()
  return search === '' ? '/services' : `/services?${search}`
}

export const servicePaths = {
  directory,
  newService: (siteCode?: string) =>
    siteCode === undefined || siteCode === '' ? '/services/new' : `/services/new?site=${encodeURIComponent(siteCode)}`,
  service: (id: string) => `/services/${encodeURIComponent(id)}`,
  editService: (id: string) => `/services/${encodeURIComponent(id)}/edit`,
  api: {
    services: (query: { site?: string; kind?: string } = {}) => {
      const params = new URLSearchParams()
      if (query.site !== undefined) params.set('site', query.site)
      if (query.kind !== undefined) params.set('kind', query.kind)
      const search = params.toString()
      return search === '' ? '/api/v1/services' : `/api/v1/services?${search}`
    },
  },
} as const

/** Route patterns for Fastify, kept beside the link builders they mirror. */
export const serviceRoutes = {
  directory: '/services',
  newService: '/services/new',
  service: '/services/:id',
  editService: '/services/:id/edit',
  apiServices: '/api/v1/services',
} as const
