/**
 * The composition root: every service of the service is built here, once, and handed to the features that need
 * it. No service builds another; a new feature's service is one more line below, taking what it needs by name.
 */
import type { Config } from './config.ts'
import type { Clock } from './platform/clock.ts'
import type { Database } from './platform/db/database.ts'
import { auditKeyFromSessionSecret, createAuditService } from './platform/audit/audit.service.ts'
import { createAppointmentsService } from './features/appointments/index.ts'
import { createAuditLogService } from './features/audit-log/index.ts'
import { createCarePlanService } from './features/care-plan/index.ts'
import { createConsentService } from './features/consent/index.ts'
import {
  continuityCohort,
  createCustodyService,
  createReleasePlanService,
  custodyWork,
} from './features/custody/index.ts'
import { createReportsService } from './features/reports/index.ts'
import { createGpRegistrationService } from './features/gp-registration/index.ts'
import { createHealthChecksService } from './features/health-checks/index.ts'
import { createInstrumentsService, loadInstrumentLibrary } from './features/instruments/index.ts'
import { createNeedsService } from './features/needs/index.ts'
import { createPeopleService } from './features/people/index.ts'
import { createReferralsService } from './features/referrals/index.ts'
import { createScreeningService, screeningDueForSite } from './features/screening/index.ts'
import { createServicesService } from './features/services/index.ts'
import { createSitesService } from './features/sites/index.ts'
import { createAuthService, createStaffService, type PasswordCost } from './features/staff/index.ts'
import { createSummaryService } from './features/summary/index.ts'
import { createTimelineService } from './features/timeline/index.ts'
import { createTreatmentRequirementsService } from './features/treatment-requirements/index.ts'
import { createWorklistService } from './features/worklist/index.ts'
import { createMessagesService, messageSendEnqueuer } from './features/messages/index.ts'
import { createNotifyClient } from './platform/integrations/notify.client.ts'
import type { JobRunner } from './platform/jobs/job-runner.ts'

export interface ServiceDeps {
  config: Config
  database: Database
  clock: Clock
  /** scrypt cost for passwords (tests pass a lower one). */
  passwordCost: PasswordCost
  /** The app's job runner, when this process runs jobs: messages add their send jobs to it. */
  jobs?: JobRunner
}

export type Services = ReturnType<typeof createServices>

export function createServices(deps: ServiceDeps) {
  const { config, clock, passwordCost } = deps
  const { db } = deps.database
  const base = { db, clock }

  const audit = createAuditService({
    ...base,
    checkpointKey: config.auditCheckpointKey ?? auditKeyFromSessionSecret(config.sessionSecret),
    ...(config.auditCheckpointFile === undefined ? {} : { checkpointFile: config.auditCheckpointFile }),
  })
  const sites = createSitesService({ db, audit })
  const auth = createAuthService({ ...base, audit, sessionSecret: config.sessionSecret, passwordCost })
  const staff = createStaffService({ ...base, audit, auth, sites, passwordCost })
  // A new phone number or email address, or agreement to be contacted, schedules reminders for appointments
  // already booked: the messages service (built below) is told in the same transaction.
  const people = createPeopleService({
    ...base,
    audit,
    sites,
    refuseTestNhsNumbers: config.appEnv === 'production',
    events: () => messages.contactEvents,
  })
  const consent = createConsentService({ ...base, audit, people, sites, events: () => messages.contactEvents })
  const custody = createCustodyService({ ...base, audit, people })
  const releasePlans = createReleasePlanService({ ...base, audit, people, consent })
  const instruments = createInstrumentsService({ ...base, audit, library: loadInstrumentLibrary() })
  const appointments = createAppointmentsService({ ...base, audit, consent, people, events: () => messages.events })
  const directory = createServicesService({ ...base, audit, sites })
  // Needs and referrals know of each other: a referral is made on a need, and a need with an open referral cannot
  // be dismissed. The needs service asks the referrals service when asked itself, by which time both exist.
  const needs = createNeedsService({
    ...base,
    audit,
    people,
    openReferralsOn: (executor, needIds) => referrals.openReferralsOnNeeds(executor, needIds),
  })
  // Care after custody referrals are checked against the person's release window, which the custody service keeps.
  const referrals = createReferralsService({
    ...base,
    audit,
    consent,
    sites,
    people,
    needs,
    directory,
    careAfterCustodyRefusal: (executor, personId, on) => custody.referralRefusal(executor, personId, on),
  })
  const healthChecks = createHealthChecksService({
    ...base,
    audit,
    instruments,
    people,
    needs,
    appointments: {
      // Read (and audited) through the appointments service: a check links only to the person's own appointment.
      find: async (id, actor) => {
        const appointment = await appointments.viewAppointment(id, actor, 'page', 'link-health-check')
        return {
          id: appointment.id,
          personId: appointment.personId,
          startsAt: appointment.startsAt,
          status: appointment.status,
        }
      },
    },
  })
  const gpRegistration = createGpRegistrationService({ ...base, audit, services: directory, people })
  const screening = createScreeningService({ ...base, audit, people })
  const treatmentRequirements = createTreatmentRequirementsService({ ...base, audit, consent, people })
  const summary = createSummaryService({ ...base, audit, consent, people })
  const worklist = createWorklistService({
    ...base,
    audit,
    sites,
    referrals,
    appointments,
    screeningDue: screeningDueForSite,
    custodyWork,
  })
  const timeline = createTimelineService({ db, audit, people, healthChecks, needs, referrals })
  const auditLog = createAuditLogService({ db, audit })
  const notify = config.messages.notify
  const messages = createMessagesService({
    ...base,
    audit,
    consent,
    people,
    siteContact: async (executor, siteId) =>
      (await sites.findContact(siteId, executor)) ?? { address: null, phone: null },
    findSite: (executor, code) => sites.findByCode(code, executor),
    followUps: appointments,
    settings: {
      leadHours: config.messages.leadHours,
      quietHours: config.messages.quietHours,
      callbackToken: config.messages.callbackToken,
      notify:
        notify === undefined
          ? undefined
          : {
              api: createNotifyClient({
                apiKey: notify.apiKey,
                ...(notify.baseUrl === undefined ? {} : { baseUrl: notify.baseUrl }),
                clock,
              }),
              templates: notify.templates,
            },
    },
    ...(deps.jobs === undefined ? {} : { enqueue: messageSendEnqueuer(deps.jobs) }),
  })
  const carePlan = createCarePlanService({
    ...base,
    audit,
    consent,
    people,
    sites,
    appointments,
    referrals,
    gpRegistration,
    screening,
  })

  const reports = createReportsService({ ...base, audit, sites, continuity: continuityCohort })

  return {
    audit,
    sites,
    auth,
    staff,
    people,
    consent,
    instruments,
    appointments,
    directory,
    needs,
    referrals,
    healthChecks,
    gpRegistration,
    screening,
    treatmentRequirements,
    summary,
    worklist,
    timeline,
    auditLog,
    messages,
    carePlan,
    custody,
    releasePlans,
    reports,
  }
}
