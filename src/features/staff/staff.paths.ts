/** Every staff-management URL, built in one place. */
export const staffPaths = {
  list: '/admin/users',
  create: '/admin/users/new',
  user: (id: string) => `/admin/users/${id}`,
  edit: (id: string) => `/admin/users/${id}/edit`,
  status: (id: string) => `/admin/users/${id}/status`,
  unlock: (id: string) => `/admin/users/${id}/unlock`,
  password: (id: string) => `/admin/users/${id}/password`,
} as const
