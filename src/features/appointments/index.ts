/** Joint and clinic appointments, their outcomes and missed-appointment follow-ups, and the diaries. */
import type { FastifyPluginAsync } from 'fastify'
import type { Feature, WebOptions } from '../../platform/feature.ts'
import type { SitesService } from '../sites/index.ts'
import { registerAppointmentsApi } from './appointments.api.ts'
import { registerAppointmentPages } from './appointments.pages.ts'
import type { AppointmentsService } from './appointments.service.ts'
import * as appointments from './migrations/0006-appointments.ts'
import * as absenceReason from './migrations/0010-appointment-absence-reason.ts'

export {
  createAppointmentsService,
  type AppointmentEvents,
  type AppointmentsService,
  type NewFollowUpWork,
} from './appointments.service.ts'
export type { Appointment } from './appointments.repository.ts'
export { appointmentPaths } from './appointments.paths.ts'
export {
  absenceReasons,
  appointmentKinds,
  appointmentOutcomes,
  type AbsenceReason,
  type AppointmentKind,
  type AppointmentOutcome,
} from './appointments.tables.ts'

export interface AppointmentsPluginOptions {
  services: { appointments: AppointmentsService; sites: SitesService }
  web: WebOptions
}

/** Pages under /people/{id}/appointments, /appointments and /diary; JSON under /api/v1. */
const plugin: FastifyPluginAsync<AppointmentsPluginOptions> = async (app, { services, web }) => {
  registerAppointmentPages(app, {
    appointments: services.appointments,
    sites: services.sites,
    flashCookie: web.flashCookie,
  })
  registerAppointmentsApi(app, { appointments: services.appointments })
}

export const appointmentsFeature: Feature<AppointmentsPluginOptions> = {
  name: 'appointments',
  migrations: [appointments, absenceReason],
  plugin,
}
