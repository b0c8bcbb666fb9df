import type { FastifyInstance } from 'fastify'
import type { FeatureDeps } from '../index.ts'
import { registerAppointmentsApi } from './appointments.api.ts'
import { registerAppointmentPages } from './appointments.pages.ts'
import { createAppointmentsService } from './appointments.service.ts'

/** Appointments and diaries: pages under /people/{id}/appointments, /appointments and /diary; JSON under /api/v1. */
export function registerAppointments(app: FastifyInstance, deps: FeatureDeps): void {
  const appointments = createAppointmentsService({ db: deps.database.db, clock: deps.clock, audit: deps.audit })
  registerAppointmentPages(app, { appointments, sites: deps.sites, flashCookie: deps.cookieNames.flash })
  registerAppointmentsApi(app, { appointments })
}
