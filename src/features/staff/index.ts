/**
 * Staff accounts and access: signing in and out, sessions, API tokens, choosing a password, and the administrators'
 * pages for staff users, and access requests. Owns the staff tables (staff_user, staff_site, session, api_token,
 * staff_access_request, staff_access_request_site).
 */
import type { FastifyPluginAsync } from 'fastify'
import type { Feature, WebOptions } from '../../platform/feature.ts'
import type { SitesService } from '../sites/index.ts'
import { registerAuthPages } from './auth.pages.ts'
import type { AuthService } from './auth.service.ts'
import * as passwordChange from './migrations/0015-password-change.ts'
import * as accessRequests from './migrations/0019-staff-access-requests.ts'
import * as passwordResets from './migrations/0023-staff-password-reset-requests.ts'
import { registerAccessRequestPages } from './access-requests.pages.ts'
import { registerStaffApi } from './staff.api.ts'
import { registerStaffPages } from './staff.pages.ts'
import type { StaffService } from './staff.service.ts'

export { createAuthService, type AuthService } from './auth.service.ts'
export { createStaffService, roleLabel, type StaffService } from './staff.service.ts'
export { SIGN_IN_FAILED } from './auth.pages.ts'
export {
  PRODUCTION_PASSWORD_COST,
  TEST_PASSWORD_COST,
  hashPassword,
  verifyPassword,
  type PasswordCost,
} from './passwords.ts'
export type { StaffUserRow, StaffUserTable } from './staff.tables.ts'

export interface StaffPluginOptions {
  services: { auth: AuthService; staff: StaffService; sites: SitesService }
  web: WebOptions
}

/**
 * Sign-in, sign-out and Your account; the Staff users pages under /admin/users; Access requests (a second person
 * approves clinical and administrator access, and password resets) under /access-requests; JSON at /api/v1/staff.
 */
const plugin: FastifyPluginAsync<StaffPluginOptions> = async (app, { services, web }) => {
  registerAuthPages(app, { auth: services.auth, cookies: web.cookies })
  registerStaffPages(app, { staff: services.staff, sites: services.sites, flashCookie: web.flashCookie })
  registerAccessRequestPages(app, { staff: services.staff, sites: services.sites, flashCookie: web.flashCookie })
  registerStaffApi(app, { staff: services.staff, sites: services.sites })
}

export const staffFeature: Feature<StaffPluginOptions> = {
  name: 'staff',
  migrations: [passwordChange, accessRequests, passwordResets],
  plugin,
}
