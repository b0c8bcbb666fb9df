/** Every link to the messages pages and API is built here. */
import { personApiPath, personPath } from '../../platform/person-paths.ts'

export const messagePaths = {
  person: (personId: string) => personPath(personId),
  messages: (personId: string) => personPath(personId, 'messages'),
  naming: (personId: string) => personPath(personId, 'messages', 'naming'),
  appointment: (appointmentId: string) => `/appointments/${encodeURIComponent(appointmentId)}`,
  outbox: '/messages/outbox',
  site: (code: string) => `/sites/${encodeURIComponent(code)}/messages`,
  api: {
    messages: (personId: string) => personApiPath(personId, 'messages'),
    siteSummary: (code: string) => `/api/v1/sites/${encodeURIComponent(code)}/messages/summary`,
  },
} as const

export const messageRoutes = {
  messages: '/people/:id/messages',
  naming: '/people/:id/messages/naming',
  outbox: '/messages/outbox',
  site: '/sites/:code/messages',
  apiMessages: '/api/v1/people/:id/messages',
  apiSiteSummary: '/api/v1/sites/:code/messages/summary',
  deliveryCallback: '/notify/callbacks/delivery',
  receivedTextCallback: '/notify/callbacks/received-text',
} as const
