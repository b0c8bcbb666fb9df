import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.ts'
import type { Clock } from '../platform/clock.ts'
import type { Database } from '../platform/db/database.ts'
import type { cookieNames } from '../platform/http/security.ts'
import type { AuditService } from '../platform/audit/audit.service.ts'
import type { AuthService } from './staff/auth.service.ts'
import type { PasswordCost } from './staff/passwords.ts'
import type { SitesService } from './sites/sites.service.ts'
import { registerAppointments } from './appointments/appointments.routes.ts'
import { registerAudit } from './audit-log/audit-log.routes.ts'
import { registerConsent } from './consent/consent.routes.ts'
import { registerReferrals } from './referrals/referrals.routes.ts'
import { registerGpRegistration } from './gp-registration/gp-registration.routes.ts'
import { registerInfoPages } from './info/info.pages.ts'
import { registerInstruments } from './instruments/instruments.routes.ts'
import { registerPeople } from './people/people.routes.ts'
import { registerServices } from './services/services.routes.ts'
import { registerStaff } from './staff/staff.routes.ts'
import { registerHealthChecks } from './health-checks/health-checks.routes.ts'
import { registerSummary } from './summary/summary.routes.ts'
import { registerScreening } from './screening/screening.routes.ts'
import { registerWorklist } from './worklist/worklist.routes.ts'
import { registerTreatmentRequirements } from './treatment-requirements/treatment-requirements.routes.ts'

/** What every feature may be given. Features take only the parts they use. */
export interface FeatureDeps {
  config: Config
  database: Database
  clock: Clock
  audit: AuditService
  auth: AuthService
  sites: SitesService
  cookieNames: ReturnType<typeof cookieNames>
  /** scrypt cost for passwords set by administrators (tests pass a lower one). */
  passwordCost: PasswordCost
}

/** Each feature registers its routes here, in one place, so the composition root stays short. */
export async function registerFeatures(app: FastifyInstance, deps: FeatureDeps): Promise<void> {
  await registerPeople(app, deps)
  await registerStaff(app, deps)
  await registerAudit(app, deps)
  await registerConsent(app, deps)
  await registerServices(app, deps)
  await registerGpRegistration(app, deps)
  registerInstruments(app, deps)
  registerAppointments(app, deps)
  registerHealthChecks(app, deps)
  registerInfoPages(app)
  registerSummary(app, deps)
  await registerScreening(app, deps)
  await registerWorklist(app, deps)
  await registerTreatmentRequirements(app, deps)
  await registerReferrals(app, deps)
}
