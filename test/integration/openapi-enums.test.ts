/**
 * Every coded value the API takes or returns is an enum in /api/docs/openapi.json, listing exactly the feature's own
 * vocabulary (the list its forms and rules use), so a client can read the codes from the document.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../support/test-app.ts'
import {
  disabilityOptions,
  ethnicCategoryOptions,
  genderSameAsBirthOptions,
  neurodivergenceOptions,
  sexOptions,
  statedGenderOptions,
  supervisionTypeOptions,
} from '../../src/features/people/people.messages.ts'
import {
  absenceReasons,
  appointmentKinds,
  appointmentOutcomes,
  appointmentStatuses,
} from '../../src/features/appointments/appointments.tables.ts'
import { referralStatuses } from '../../src/features/referrals/index.ts'
import { referralUrgencies } from '../../src/features/referrals/referrals.lifecycle.ts'
import { needCategories, needStatuses } from '../../src/features/needs/index.ts'
import { serviceKinds } from '../../src/features/services/index.ts'
import { healthCheckStatuses, warningFlagStatuses } from '../../src/features/health-checks/health-checks.tables.ts'
import { consentDecisions, consentMethods, consentTopics } from '../../src/features/consent/consent.messages.ts'
import { gpRegistrationStatuses } from '../../src/features/gp-registration/gp-registration.messages.ts'
import { screeningProgrammes, screeningStatuses } from '../../src/features/screening/screening.eligibility.ts'
import { screeningEventProgrammes, screeningEventStates } from '../../src/features/screening/screening.messages.ts'
import {
  treatmentRequirementKinds,
  treatmentRequirementStatuses,
} from '../../src/features/treatment-requirements/treatment-requirements.tables.ts'

interface Schema {
  enum?: unknown[]
  anyOf?: Schema[]
  items?: Schema
  properties?: Record<string, Schema>
}
interface Operation {
  parameters?: { name: string; in: string; schema?: Schema }[]
  requestBody?: { content?: Record<string, { schema?: Schema }> }
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>
}
type Document = { paths: Record<string, Record<string, Operation>> }

const values = (options: readonly { value: string }[]) => options.map((o) => o.value)

/** Follows a.b[].c through properties and array items, into the non-null branch of a nullable union. */
function at(schema: Schema | undefined, path: string): Schema | undefined {
  let here = schema
  for (const part of path.split('.')) {
    const name = part.replace(/\[\]$/, '')
    here = nonNull(nonNull(here)?.properties?.[name])
    if (part.endsWith('[]')) here = nonNull(here?.items)
  }
  return here
}

function nonNull(schema: Schema | undefined): Schema | undefined {
  const branches = schema?.anyOf?.filter((s) => !('type' in s && (s as { type?: unknown }).type === 'null'))
  return branches?.length === 1 ? branches[0] : schema
}

/** [method path, where, property, vocabulary]: where is body, the success response, or query. */
type Check = readonly [string, 'body' | 'response' | 'query', string, readonly unknown[]]
const expected: readonly Check[] = [
  // People
  ...['POST /api/v1/people', 'PATCH /api/v1/people/{id}'].flatMap((route): Check[] => [
    [route, 'body', 'sex', values(sexOptions)],
    [route, 'body', 'statedGender', values(statedGenderOptions)],
    [route, 'body', 'genderSameAsBirth', values(genderSameAsBirthOptions)],
    [route, 'body', 'ethnicCategory', values(ethnicCategoryOptions)],
    [route, 'body', 'disability', values(disabilityOptions)],
    [route, 'body', 'neurodivergence', values(neurodivergenceOptions)],
    [route, 'body', 'supervisionType', values(supervisionTypeOptions)],
  ]),
  ['GET /api/v1/people/{id}', 'response', 'sex', values(sexOptions)],
  ['GET /api/v1/people/{id}', 'response', 'ethnicCategory', values(ethnicCategoryOptions)],
  ['GET /api/v1/people', 'query', 'supervisionType', values(supervisionTypeOptions)],
  // Appointments
  ['POST /api/v1/people/{id}/appointments', 'body', 'kind', appointmentKinds],
  ['PATCH /api/v1/appointments/{id}', 'body', 'outcome', appointmentOutcomes],
  ['PATCH /api/v1/appointments/{id}', 'body', 'absenceReason', absenceReasons],
  ['GET /api/v1/appointments/{id}', 'response', 'kind', appointmentKinds],
  ['GET /api/v1/appointments/{id}', 'response', 'status', appointmentStatuses],
  ['GET /api/v1/appointments/{id}', 'response', 'outcome', appointmentOutcomes],
  ['GET /api/v1/appointments/{id}', 'response', 'absenceReason', absenceReasons],
  ['GET /api/v1/people/{id}/appointments', 'response', 'appointments[].outcome', appointmentOutcomes],
  // Referrals
  ['POST /api/v1/people/{id}/referrals', 'body', 'urgency', referralUrgencies],
  ['POST /api/v1/referrals/{id}/transitions', 'body', 'to', referralStatuses],
  ['GET /api/v1/referrals', 'query', 'status', referralStatuses],
  ['GET /api/v1/referrals/{id}', 'response', 'status', referralStatuses],
  ['GET /api/v1/referrals/{id}', 'response', 'needCategory', needCategories],
  ['GET /api/v1/referrals/{id}', 'response', 'serviceKind', serviceKinds],
  ['GET /api/v1/referrals/{id}', 'response', 'urgency', referralUrgencies],
  ['GET /api/v1/referrals/{id}', 'response', 'allowedTransitions[]', referralStatuses],
  ['GET /api/v1/referrals/{id}', 'response', 'events[].to', referralStatuses],
  ['GET /api/v1/referrals', 'response', 'referrals[].status', referralStatuses],
  // Needs and health checks
  ['POST /api/v1/people/{id}/needs', 'body', 'category', needCategories],
  ['POST /api/v1/needs/{id}/decision', 'body', 'decision', needStatuses],
  ['GET /api/v1/people/{id}/needs', 'response', 'needs[].status', needStatuses],
  ['GET /api/v1/people/{id}/needs', 'response', 'needs[].category', needCategories],
  ['GET /api/v1/people/{id}/needs', 'response', 'needs[].history[].toStatus', needStatuses],
  ['GET /api/v1/people/{id}/warning-flags', 'response', 'warningFlags[].status', warningFlagStatuses],
  ['GET /api/v1/people/{id}/health-checks', 'response', 'healthChecks[].status', healthCheckStatuses],
  ['GET /api/v1/people/{id}/health-checks', 'response', 'healthChecks[].needs[].status', needStatuses],
  // Consent
  ['PUT /api/v1/people/{id}/consent', 'body', 'decisions[].topic', consentTopics],
  ['PUT /api/v1/people/{id}/consent', 'body', 'decisions[].decision', consentDecisions],
  ['PUT /api/v1/people/{id}/consent', 'body', 'decisions[].method', consentMethods],
  ['GET /api/v1/people/{id}/consent', 'response', 'decisions[].topic', consentTopics],
  ['GET /api/v1/people/{id}/consent', 'response', 'decisions[].decision', consentDecisions],
  ['GET /api/v1/people/{id}/consent', 'response', 'decisions[].method', consentMethods],
  // GP registration
  ['PUT /api/v1/people/{id}/gp-registration', 'body', 'status', gpRegistrationStatuses],
  ['GET /api/v1/people/{id}/gp-registration', 'response', 'current.status', gpRegistrationStatuses],
  ['GET /api/v1/people/{id}/gp-registration', 'response', 'history[].status', gpRegistrationStatuses],
  // Screening
  ['POST /api/v1/people/{id}/screening/events', 'body', 'programme', screeningEventProgrammes],
  ['POST /api/v1/people/{id}/screening/events', 'body', 'state', screeningEventStates],
  ['GET /api/v1/people/{id}/screening/events', 'response', 'events[].programme', screeningEventProgrammes],
  ['GET /api/v1/people/{id}/screening/events', 'response', 'events[].state', screeningEventStates],
  ['GET /api/v1/people/{id}/screening', 'response', 'programmes[].programme', screeningProgrammes],
  ['GET /api/v1/people/{id}/screening', 'response', 'programmes[].status', screeningStatuses],
  // Treatment requirements
  ['POST /api/v1/people/{id}/treatment-requirements', 'body', 'kind', treatmentRequirementKinds],
  ['POST /api/v1/treatment-requirements/{id}/transitions', 'body', 'to', treatmentRequirementStatuses],
  ['GET /api/v1/treatment-requirements/{id}', 'response', 'kind', treatmentRequirementKinds],
  ['GET /api/v1/treatment-requirements/{id}', 'response', 'status', treatmentRequirementStatuses],
  ['GET /api/v1/treatment-requirements/{id}', 'response', 'referral.status', referralStatuses],
  ['GET /api/v1/treatment-requirements/{id}', 'response', 'referral.needCategory', needCategories],
  ['GET /api/v1/treatment-requirements/{id}', 'response', 'events[].to', treatmentRequirementStatuses],
]

test('coded values in the OpenAPI document are enums with exactly each feature’s vocabulary', async (t) => {
  const { app } = await buildTestApp(t)
  const response = await app.inject({ url: '/api/docs/openapi.json' })
  assert.equal(response.statusCode, 200)
  const document = JSON.parse(response.body) as Document
  const problems: string[] = []
  for (const [route, where, property, vocabulary] of expected) {
    const [method = '', path = ''] = route.split(' ')
    const operation = document.paths[path]?.[method.toLowerCase()]
    if (operation === undefined) {
      problems.push(`${route}: no such operation`)
      continue
    }
    let schema: Schema | undefined
    if (where === 'query') {
      schema = nonNull(operation.parameters?.find((p) => p.in === 'query' && p.name === property)?.schema)
    } else {
      const root =
        where === 'body'
          ? operation.requestBody?.content?.['application/json']?.schema
          : Object.entries(operation.responses ?? {}).find(([status]) => status.startsWith('2'))?.[1].content?.[
              'application/json'
            ]?.schema
      schema = at(root, property)
    }
    if (schema?.enum === undefined) problems.push(`${route} ${where} ${property}: no enum`)
    else if (JSON.stringify(schema.enum) !== JSON.stringify(vocabulary)) {
      problems.push(
        `${route} ${where} ${property}: ${JSON.stringify(schema.enum)} is not ${JSON.stringify(vocabulary)}`,
      )
    }
  }
  assert.deepEqual(problems, [])
})
