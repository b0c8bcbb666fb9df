import type { FastifyInstance } from 'fastify'
import type { FeatureDeps } from '../index.ts'
import { registerStaffApi } from './staff.api.ts'
import { registerStaffPages } from './staff.pages.ts'
import { createStaffService } from './staff.service.ts'

export async function registerStaff(app: FastifyInstance, deps: FeatureDeps): Promise<void> {
  const staff = createStaffService({
    db: deps.database.db,
    clock: deps.clock,
    audit: deps.audit,
    auth: deps.auth,
    passwordCost: deps.passwordCost,
  })
  registerStaffPages(app, { staff, sites: deps.sites, flashCookie: deps.cookieNames.flash })
  registerStaffApi(app, { staff, sites: deps.sites })
}
