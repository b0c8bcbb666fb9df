/**
 * Messages to people through GOV.UK Notify: appointment reminders, cancellations and "sorry we missed you", their
 * status and replies; a person's Messages page, a site's summary for its hub manager, the outbox, Notify's callbacks.
 */
import type { FastifyPluginAsync } from 'fastify'
import type { Feature, WebOptions } from '../../platform/feature.ts'
import * as messagesMigration from './migrations/0025-messages.ts'
import { registerMessagesApi, registerNotifyCallbacks } from './messages.api.ts'
import { registerMessagePages } from './messages.pages.ts'
import type { MessagesService } from './messages.service.ts'

export { createMessagesService, SendLaterError, type MessagesService } from './messages.service.ts'
export { messageSendEnqueuer, registerMessageJobs, MESSAGE_SEND_QUEUE, MESSAGE_SWEEP_QUEUE } from './messages.jobs.ts'
export { messagePaths } from './messages.paths.ts'
export { parseLeadHours, parseQuietHours, type QuietHours } from './messages.schedule.ts'

export interface MessagesPluginOptions {
  services: { messages: MessagesService }
  web: WebOptions
}

const plugin: FastifyPluginAsync<MessagesPluginOptions> = async (app, { services, web }) => {
  registerMessagePages(app, { messages: services.messages, flashCookie: web.flashCookie, clock: { now: web.now } })
  registerMessagesApi(app, { messages: services.messages })
  registerNotifyCallbacks(app, {
    messages: services.messages,
    callbackToken: services.messages.callbackToken(),
  })
}

export const messagesFeature: Feature<MessagesPluginOptions> = {
  name: 'messages',
  migrations: [messagesMigration],
  plugin,
}
