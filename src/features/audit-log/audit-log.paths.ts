import { personPath } from '../../platform/person-paths.ts'

/** Every audit-log URL, built in one place. */
export const auditPaths = {
  list: '/audit',
  verify: '/audit/verify',
  /** The list with a query string (filters, and `before` for older events). */
  older: (query: string) => (query === '' ? '/audit' : `/audit?${query}`),
  /** "Who has viewed this record", under the person (the person page links to the same address). */
  recordViews: (personId: string, page = 1) =>
    page > 1 ? `${personPath(personId, 'views')}?page=${String(page)}` : personPath(personId, 'views'),
} as const

export const auditRoutes = {
  recordViews: '/people/:id/views',
} as const
