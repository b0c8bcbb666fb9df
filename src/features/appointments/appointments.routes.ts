import type { FastifyInstance } from 'fastify'
import type { FeatureDeps } from '../index.ts'
import { registerAppointmentsApi } from './appointments.api.ts'
import { registerAppointmentPages } from './appointments.pages.ts'
import { createConsentService } from '../consent/consent.service.ts'
import { createAppointmentsService } from './appointments.service.ts'

/** Appointments and diaries: pages under /people/{id}/appointments, /appointments and /diary; JSON under /api/v1. */
export function registerAppointments(app: FastifyInstance, deps: FeatureDeps): void {
  const { clock, audit } = deps
  const { db } = deps.database
  // Probation practitioners see health-only appointments and outcome notes only with the person's consent.
  const consent = createConsentService({ db, clock, audit })
  const appointments = createAppointmentsService({ db, clock, audit, consent })
  registerAppointmentPages(app, { appointments, sites: deps.sites, flashCookie: deps.cookieNames.flash })
  registerAppointmentsApi(app, { appointments })
}
