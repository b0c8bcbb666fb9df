/** Every link to the consent pages and API is built here, so URLs change in one place. */
import type { ConsentTopic } from './consent.messages.ts'

const person = (id: string) => `/people/${encodeURIComponent(id)}`

export const consentPaths = {
  person,
  consent: (personId: string) => `${person(personId)}/consent`,
  record: (personId: string, topic: ConsentTopic, organisationCode?: string) =>
    `${person(personId)}/consent/${topic}/record${
      organisationCode === undefined ? '' : `?organisation=${encodeURIComponent(organisationCode)}`
    }`,
  api: {
    consent: (personId: string) => `/api/v1/people/${encodeURIComponent(personId)}/consent`,
  },
} as const

/** Route patterns for Fastify, kept beside the link builders they mirror. */
export const consentRoutes = {
  consent: '/people/:id/consent',
  record: '/people/:id/consent/:topic/record',
  apiConsent: '/api/v1/people/:id/consent',
} as const
