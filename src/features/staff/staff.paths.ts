/** Every staff-management URL, built in one place. */
export const staffPaths = {
  list: '/admin/users',
  create: '/admin/users/new',
  user: (id: string) => `/admin/users/${id}`,
  edit: (id: string) => `/admin/users/${id}/edit`,
  status: (id: string) => `/admin/users/${id}/status`,
  /** Disabling asks "Are you sure?" first: GET is the question, POST the answer. */
  disable: (id: string) => `/admin/users/${id}/disable`,
  unlock: (id: string) => `/admin/users/${id}/unlock`,
  password: (id: string) => `/admin/users/${id}/password`,
  /** Hub managers decide requests too, so these are not under /admin. */
  accessRequests: '/access-requests',
  accessRequest: (id: string) => `/access-requests/${id}`,
} as const
