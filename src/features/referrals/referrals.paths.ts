/** Every link to the referral pages and API is built here, so URLs change in one place. */

const person = (id: string) => `/people/${encodeURIComponent(id)}`
const referral = (id: string) => `/referrals/${encodeURIComponent(id)}`

function withQuery(base: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value))
  }
  const text = params.toString()
  return text === '' ? base : `${base}?${text}`
}

export const referralPaths = {
  person,
  consent: (personId: string) => `${person(personId)}/consent`,
  healthChecks: (personId: string) => `${person(personId)}/health-checks`,
  personReferrals: (personId: string) => `${person(personId)}/referrals`,
  newReferral: (personId: string, needId?: string) => withQuery(`${person(personId)}/referrals/new`, { needId }),
  referral,
  transition: (id: string) => `${referral(id)}/progress`,
  chase: (id: string) => `${referral(id)}/chase-date`,
  print: (id: string) => `${referral(id)}/print`,
  list: (query: { site?: string; status?: string; overdue?: string; page?: number } = {}) =>
    withQuery('/referrals', query),
  api: {
    personReferrals: (personId: string) => `/api/v1/people/${encodeURIComponent(personId)}/referrals`,
    referral: (id: string) => `/api/v1/referrals/${encodeURIComponent(id)}`,
    transitions: (id: string) => `/api/v1/referrals/${encodeURIComponent(id)}/transitions`,
  },
} as const

/** Route patterns for Fastify, kept beside the link builders they mirror. */
export const referralRoutes = {
  personReferrals: '/people/:id/referrals',
  newReferral: '/people/:id/referrals/new',
  list: '/referrals',
  referral: '/referrals/:id',
  transition: '/referrals/:id/progress',
  chase: '/referrals/:id/chase-date',
  print: '/referrals/:id/print',
  apiPersonReferrals: '/api/v1/people/:id/referrals',
  apiList: '/api/v1/referrals',
  apiReferral: '/api/v1/referrals/:id',
  apiTransitions: '/api/v1/referrals/:id/transitions',
} as const
