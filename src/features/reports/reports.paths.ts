/** Every link to the reports is built here, so URLs change in one place. */
export const reportsPaths = {
  continuity: (query: { site?: string; from?: string; to?: string } = {}) => {
    const params = new URLSearchParams()
    for (const [key, value] of Object.entries(query)) if (value !== '') params.set(key, value)
    const search = params.toString()
    return search === '' ? '/reports/continuity-of-care' : `/reports/continuity-of-care?${search}`
  },
  api: { continuity: () => '/api/v1/reports/continuity-of-care' },
} as const

export const reportsRoutes = {
  continuity: '/reports/continuity-of-care',
  apiContinuity: '/api/v1/reports/continuity-of-care',
} as const
