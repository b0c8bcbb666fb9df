/** Every link to the people pages and API is built here, so URLs change in one place. */
import { personPath } from '../../platform/person-paths.ts'

export const caseloadSorts = ['name', 'crn', 'dateOfBirth', 'releaseDate', 'recent'] as const
export type CaseloadSort = (typeof caseloadSorts)[number]
export type SortOrder = 'asc' | 'desc'

export interface CaseloadLinkQuery {
  site?: string | undefined
  q?: string | undefined
  supervisionType?: string | undefined
  custody?: boolean | undefined
  mine?: boolean | undefined
  sort?: CaseloadSort | undefined
  order?: SortOrder | undefined
  page?: number | undefined
}

function caseload(query: CaseloadLinkQuery = {}): string {
  const params = new URLSearchParams()
  if (query.site !== undefined && query.site !== '') params.set('site', query.site)
  if (query.q !== undefined && query.q !== '') params.set('q', query.q)
  if (query.supervisionType !== undefined && query.supervisionType !== '')
    params.set('supervisionType', query.supervisionType)
  if (query.custody === true) params.set('custody', 'yes')
  if (query.mine === true) params.set('mine', 'yes')
  if (query.sort !== undefined) params.set('sort', query.sort)
  if (query.order !== undefined) params.set('order', query.order)
  if (query.page !== undefined && query.page > 1) params.set('page', String(query.page))
  const search = params.toString()
  return search === '' ? '/caseload' : `/caseload?${search}`
}

export const peoplePaths = {
  caseload,
  newPerson: () => '/people/new',
  person: (id: string) => `/people/${encodeURIComponent(id)}`,
  editPerson: (id: string, field?: string) =>
    `/people/${encodeURIComponent(id)}/edit${field === undefined ? '' : `#${field}`}`,
  /**
   * The sections of a person's record other features serve under the person's URL, and the pages the overview links
   * to: built here from the record's address (platform/person-paths.ts), as the people feature imports none of them.
   */
  record: {
    healthChecks: (id: string) => personPath(id, 'health-checks'),
    needs: (id: string) => personPath(id, 'needs'),
    referrals: (id: string) => personPath(id, 'referrals'),
    appointments: (id: string) => personPath(id, 'appointments'),
    screening: (id: string) => personPath(id, 'screening'),
    gpRegistration: (id: string) => personPath(id, 'gp-registration'),
    treatmentRequirements: (id: string) => personPath(id, 'treatment-requirements'),
    carePlan: (id: string) => personPath(id, 'care-plan'),
    custody: (id: string) => personPath(id, 'custody'),
    consent: (id: string) => personPath(id, 'consent'),
    messages: (id: string) => personPath(id, 'messages'),
    timeline: (id: string) => personPath(id, 'timeline'),
    summary: (id: string) => personPath(id, 'summary'),
    views: (id: string) => personPath(id, 'views'),
    need: (needId: string) => `/needs/${encodeURIComponent(needId)}`,
    respondToFlag: (flagId: string) => `/warning-flags/${encodeURIComponent(flagId)}/respond`,
    appointment: (appointmentId: string) => `/appointments/${encodeURIComponent(appointmentId)}`,
  },
  api: {
    people: () => '/api/v1/people',
    person: (id: string) => `/api/v1/people/${encodeURIComponent(id)}`,
  },
} as const

/** Route patterns for Fastify, kept beside the link builders they mirror. */
export const peopleRoutes = {
  caseload: '/caseload',
  newPerson: '/people/new',
  person: '/people/:id',
  editPerson: '/people/:id/edit',
  apiPeople: '/api/v1/people',
  apiPerson: '/api/v1/people/:id',
} as const
