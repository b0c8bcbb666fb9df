/** Every link to the appointment pages and API is built here, so URLs change in one place. */

const id = (value: string) => encodeURIComponent(value)

function diary(query: { site?: string; date?: string; page?: number } = {}): string {
  const params = new URLSearchParams()
  if (query.site !== undefined && query.site !== '') params.set('site', query.site)
  if (query.date !== undefined && query.date !== '') params.set('date', query.date)
  if (query.page !== undefined && query.page > 1) params.set('page', String(query.page))
  const search = params.toString()
  return search === '' ? '/diary' : `/diary?${search}`
}

function myDiary(query: { date?: string } = {}): string {
  return query.date === undefined || query.date === '' ? '/diary/mine' : `/diary/mine?date=${id(query.date)}`
}

export const appointmentPaths = {
  personAppointments: (personId: string) => `/people/${id(personId)}/appointments`,
  book: (personId: string) => `/people/${id(personId)}/appointments/new`,
  appointment: (appointmentId: string) => `/appointments/${id(appointmentId)}`,
  outcome: (appointmentId: string) => `/appointments/${id(appointmentId)}/outcome`,
  reschedule: (appointmentId: string) => `/appointments/${id(appointmentId)}/reschedule`,
  cancel: (appointmentId: string) => `/appointments/${id(appointmentId)}/cancel`,
  diary,
  myDiary,
  person: (personId: string) => `/people/${id(personId)}`,
  api: {
    personAppointments: (personId: string) => `/api/v1/people/${id(personId)}/appointments`,
    appointment: (appointmentId: string) => `/api/v1/appointments/${id(appointmentId)}`,
  },
} as const

/** Route patterns for Fastify, kept beside the link builders they mirror. */
export const appointmentRoutes = {
  personAppointments: '/people/:id/appointments',
  book: '/people/:id/appointments/new',
  appointment: '/appointments/:id',
  outcome: '/appointments/:id/outcome',
  reschedule: '/appointments/:id/reschedule',
  cancel: '/appointments/:id/cancel',
  diary: '/diary',
  myDiary: '/diary/mine',
  apiPersonAppointments: '/api/v1/people/:id/appointments',
  apiAppointment: '/api/v1/appointments/:id',
} as const
