/** Every link to the screening pages and API is built here, so URLs change in one place. */

const person = (id: string) => `/people/${encodeURIComponent(id)}`

export const screeningPaths = {
  person,
  screening: (personId: string) => `${person(personId)}/screening`,
  enteredInError: (personId: string, eventId: string) =>
    `${person(personId)}/screening/events/${encodeURIComponent(eventId)}/entered-in-error`,
  api: {
    screening: (personId: string) => `/api/v1/people/${encodeURIComponent(personId)}/screening`,
    events: (personId: string) => `/api/v1/people/${encodeURIComponent(personId)}/screening/events`,
    enteredInError: (eventId: string) => `/api/v1/screening-events/${encodeURIComponent(eventId)}/entered-in-error`,
  },
} as const

/** Route patterns for Fastify, kept beside the link builders they mirror. */
export const screeningRoutes = {
  screening: '/people/:id/screening',
  enteredInError: '/people/:id/screening/events/:eventId/entered-in-error',
  apiScreening: '/api/v1/people/:id/screening',
  apiEvents: '/api/v1/people/:id/screening/events',
  apiEnteredInError: '/api/v1/screening-events/:id/entered-in-error',
} as const
