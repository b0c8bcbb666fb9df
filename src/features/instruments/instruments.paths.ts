/** Every page URL of the instruments feature, built in one place (the API's are in instruments.api.ts). */
export const instrumentPaths = {
  list: '/admin/instruments',
  permission: (code: string) => `/admin/instruments/${code}/permission`,
  revoke: (code: string) => `/admin/instruments/${code}/revoke`,
} as const
