/**
 * A person's timeline: appointments for everyone who may see the record; health checks, warning signs, needs and
 * referral events for clinical roles. It owns no tables: it reads through the other features' services.
 */
import type { FastifyPluginAsync } from 'fastify'
import type { Feature, WebOptions } from '../../platform/feature.ts'
import type { AppointmentsService } from '../appointments/index.ts'
import { registerTimelinePages } from './timeline.pages.ts'
import type { TimelineService } from './timeline.service.ts'

export { createTimelineService, type TimelineService } from './timeline.service.ts'
export { timelinePaths } from './timeline.paths.ts'

export interface TimelinePluginOptions {
  services: { timeline: TimelineService; appointments: Pick<AppointmentsService, 'listForPerson'> }
  web: WebOptions
}

/** The page /people/{id}/timeline. */
const plugin: FastifyPluginAsync<TimelinePluginOptions> = async (app, { services, web }) => {
  registerTimelinePages(app, { timeline: services.timeline, appointments: services.appointments, now: web.now })
}

export const timelineFeature: Feature<TimelinePluginOptions> = { name: 'timeline', migrations: [], plugin }
