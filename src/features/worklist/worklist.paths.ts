/** Every link to the worklist pages and API is built here, so URLs change in one place. */
import type { WorklistKind, WorklistScope } from './worklist.messages.ts'

const id = (value: string) => encodeURIComponent(value)

export interface WorklistQuery {
  site?: string
  scope?: WorklistScope
  /** The kinds ticked in the filter; none (or every one) means all. */
  kinds?: readonly WorklistKind[]
  /** One section on its own, with pagination. */
  section?: WorklistKind
  page?: number
}

function worklist(query: WorklistQuery = {}): string {
  const params = new URLSearchParams()
  if (query.site !== undefined && query.site !== '') params.set('site', query.site)
  if (query.scope !== undefined) params.set('scope', query.scope)
  for (const kind of query.kinds ?? []) params.append('kinds', kind)
  if (query.section !== undefined) params.set('section', query.section)
  if (query.page !== undefined && query.page > 1) params.set('page', String(query.page))
  const search = params.toString()
  return search === '' ? '/worklist' : `/worklist?${search}`
}

export const worklistPaths = {
  worklist,
  followUpDone: (followUpId: string) => `/follow-ups/${id(followUpId)}/done`,
  /**
   * Where each item is acted on. These mirror the owning features' routes (health checks, appointments, referrals,
   * GP registration, screening); a feature may not import another's paths, so they are listed here once.
   */
  flag: (flagId: string) => `/warning-flags/${id(flagId)}/respond`,
  need: (needId: string) => `/needs/${id(needId)}`,
  appointment: (appointmentId: string) => `/appointments/${id(appointmentId)}`,
  referral: (referralId: string) => `/referrals/${id(referralId)}`,
  gpRegistration: (personId: string) => `/people/${id(personId)}/gp-registration`,
  screening: (personId: string) => `/people/${id(personId)}/screening`,
  person: (personId: string) => `/people/${id(personId)}`,
  api: {
    worklist: '/api/v1/worklist',
    followUpDone: (followUpId: string) => `/api/v1/follow-ups/${id(followUpId)}/done`,
  },
} as const

/** Route patterns for Fastify, kept beside the link builders they mirror. */
export const worklistRoutes = {
  worklist: '/worklist',
  followUpDone: '/follow-ups/:id/done',
  apiWorklist: '/api/v1/worklist',
  apiFollowUpDone: '/api/v1/follow-ups/:id/done',
} as const
