/**
 * Every feature of the service, in the order their routes are registered. Each is an encapsulated Fastify plugin
 * given the same options (`FeatureOptions`) and reading only the parts its own options type names; its migrations
 * join the schema from here. A new feature is one line in this list (and its service one line in services.ts).
 */
import type { Feature, WebOptions } from './platform/feature.ts'
import type { Services } from './services.ts'
import { appointmentsFeature } from './features/appointments/index.ts'
import { auditLogFeature } from './features/audit-log/index.ts'
import { carePlanFeature } from './features/care-plan/index.ts'
import { consentFeature } from './features/consent/index.ts'
import { custodyFeature } from './features/custody/index.ts'
import { gpRegistrationFeature } from './features/gp-registration/index.ts'
import { checkLinks, checkSummaryRenderer, healthChecksFeature } from './features/health-checks/index.ts'
import { infoFeature } from './features/info/index.ts'
import { instrumentsFeature } from './features/instruments/index.ts'
import { needsFeature, type CheckLinks, type CheckSummaryRenderer } from './features/needs/index.ts'
import { peopleFeature } from './features/people/index.ts'
import { referralsFeature } from './features/referrals/index.ts'
import { reportsFeature } from './features/reports/index.ts'
import { screeningFeature } from './features/screening/index.ts'
import { servicesFeature } from './features/services/index.ts'
import { sitesFeature } from './features/sites/index.ts'
import { staffFeature } from './features/staff/index.ts'
import { summaryFeature } from './features/summary/index.ts'
import { timelineFeature } from './features/timeline/index.ts'
import { treatmentRequirementsFeature } from './features/treatment-requirements/index.ts'
import { worklistFeature } from './features/worklist/index.ts'
import { messagesFeature } from './features/messages/index.ts'

/** What every feature's plugin is given. */
export interface FeatureOptions {
  services: Services
  web: WebOptions
  /** Pages one feature serves for another: the needs feature re-renders a health check summary with errors. */
  checks: { links: CheckLinks; summary: CheckSummaryRenderer }
}

export const features: readonly Feature<FeatureOptions>[] = [
  sitesFeature,
  staffFeature,
  peopleFeature,
  auditLogFeature,
  consentFeature,
  servicesFeature,
  gpRegistrationFeature,
  instrumentsFeature,
  appointmentsFeature,
  healthChecksFeature,
  needsFeature,
  timelineFeature,
  infoFeature,
  summaryFeature,
  screeningFeature,
  worklistFeature,
  treatmentRequirementsFeature,
  referralsFeature,
  messagesFeature,
  carePlanFeature,
  custodyFeature,
  reportsFeature,
]

/** The cross-feature page contributions, from the services they render with. */
export function featurePages(services: Services, now: () => Date): FeatureOptions['checks'] {
  return { links: checkLinks, summary: checkSummaryRenderer({ healthChecks: services.healthChecks, now }) }
}
