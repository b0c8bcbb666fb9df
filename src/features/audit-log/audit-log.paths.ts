/** Every audit-log URL, built in one place. */
export const auditPaths = {
  list: '/audit',
  verify: '/audit/verify',
  /** The list with a query string (filters, and `before` for older events). */
  older: (query: string) => (query === '' ? '/audit' : `/audit?${query}`),
} as const
