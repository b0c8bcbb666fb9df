import type { FastifyInstance } from 'fastify'
import type { FeatureDeps } from '../index.ts'
import { createAppointmentsService } from '../appointments/appointments.service.ts'
import { loadInstrumentLibrary } from '../instruments/instruments.library.ts'
import { createInstrumentsService } from '../instruments/instruments.service.ts'
import { registerHealthChecksApi } from './health-checks.api.ts'
import { registerHealthCheckPages } from './health-checks.pages.ts'
import { createHealthChecksService } from './health-checks.service.ts'
import { registerNeedPages } from './needs.pages.ts'
import { registerTimelinePages } from './timeline.pages.ts'

/**
 * The structured health check, warning flags, needs and the person's timeline: pages under /people/{id}/health-checks,
 * /health-checks, /needs, /people/{id}/needs, /warning-flags and /people/{id}/timeline; JSON under
 * /api/v1/people/{id}/health-checks, /needs and /warning-flags, /api/v1/needs/{id}/decision and
 * /api/v1/warning-flags/{id}/response.
 */
export function registerHealthChecks(app: FastifyInstance, deps: FeatureDeps): void {
  const { db } = deps.database
  const { clock, audit } = deps
  const instruments = createInstrumentsService({ db, clock, audit, library: loadInstrumentLibrary() })
  const appointments = createAppointmentsService({ db, clock, audit })
  const healthChecks = createHealthChecksService({
    db,
    clock,
    audit,
    instruments,
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
  registerHealthCheckPages(app, {
    healthChecks,
    appointments,
    flashCookie: deps.cookieNames.flash,
    now: () => clock.now(),
  })
  registerNeedPages(app, { healthChecks, flashCookie: deps.cookieNames.flash })
  registerTimelinePages(app, { healthChecks, appointments, now: () => clock.now() })
  registerHealthChecksApi(app, { healthChecks, now: () => clock.now() })
}
