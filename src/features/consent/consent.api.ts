import type { FastifyError, FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { dateRangeError, isRealDate } from '../../platform/forms/forms.ts'
import { decidedOnRange } from './consent.forms.ts'
import {
  PreconditionFailedError,
  ValidationError,
  validationErrors,
  type FieldError,
} from '../../platform/http/errors.ts'
import {
  isConsentDecision,
  isConsentMethod,
  isConsentTopic,
  messages,
  NOTE_MAX,
  PARTNER_TOPIC,
} from './consent.messages.ts'
import { consentRoutes } from './consent.paths.ts'
import {
  ConsentParamsSchema,
  ConsentPutHeadersSchema,
  ConsentPutSchema,
  ConsentSchema,
  ProblemSchema,
  type ConsentPut,
  type ConsentResource,
} from './consent.schemas.ts'
import {
  consentReaderRoles,
  consentRecorderRoles,
  type ConsentService,
  type ConsentState,
  type DecisionInput,
} from './consent.service.ts'
import { actorOf } from '../../platform/http/auth.ts'
import { etagFromIfMatch } from '../../platform/http/preconditions.ts'

export function toResource(state: ConsentState): ConsentResource {
  return {
    personId: state.person.id,
    decisions: state.current.map((d) => ({
      topic: d.topic,
      ...(d.organisationCode === null ? {} : { organisationCode: d.organisationCode }),
      decision: d.decision,
      decidedOn: d.decidedOn,
      recordedAt: d.recordedAt.toISOString(),
      recordedBy: d.recordedBy,
      method: d.method,
    })),
    etag: state.etag,
  }
}

/** Checks codes, dates and lengths; every problem is named as decisions[i].<field>. */
export function checkDecisions(body: ConsentPut, today: string): DecisionInput[] {
  const errors: FieldError[] = []
  const valid: DecisionInput[] = []
  const seen = new Set<string>()
  for (const [index, item] of body.decisions.entries()) {
    const at = (field: string) => `decisions[${index}].${field}`
    const before = errors.length
    const topic = item.topic.trim()
    const organisationCode = item.organisationCode?.trim() ?? ''
    const decision = item.decision.trim()
    const method = item.method.trim()
    const decidedOn = item.decidedOn.trim()
    const note = item.note?.trim() ?? ''
    if (!isConsentTopic(topic)) errors.push({ field: at('topic'), message: messages.topicUnknown })
    else if (topic === PARTNER_TOPIC && organisationCode === '') {
      errors.push({ field: at('organisationCode'), message: messages.organisationBlank })
    } else if (topic !== PARTNER_TOPIC && organisationCode !== '') {
      errors.push({ field: at('organisationCode'), message: messages.organisationNotForTopic })
    }
    if (!isConsentDecision(decision)) errors.push({ field: at('decision'), message: messages.decisionUnknown })
    const early = dateRangeError(decidedOn, decidedOnRange(today), messages.decidedOnLabel)
    if (!isRealDate(decidedOn)) errors.push({ field: at('decidedOn'), message: messages.dateInvalid })
    else if (decidedOn > today) errors.push({ field: at('decidedOn'), message: messages.decidedOnFuture })
    else if (early !== undefined) errors.push({ field: at('decidedOn'), message: early })
    if (!isConsentMethod(method)) errors.push({ field: at('method'), message: messages.methodUnknown })
    if (note.length > NOTE_MAX) errors.push({ field: at('note'), message: messages.noteTooLong })
    const key = `${topic} ${organisationCode}`
    if (seen.has(key)) errors.push({ field: at('topic'), message: messages.duplicate })
    seen.add(key)
    if (errors.length > before || !isConsentTopic(topic) || !isConsentDecision(decision) || !isConsentMethod(method)) {
      continue
    }
    valid.push({
      topic,
      organisationCode: organisationCode === '' ? null : organisationCode,
      decision,
      decidedOn,
      method,
      note: note === '' ? null : note,
    })
  }
  if (errors.length > 0) throw new ValidationError(errors)
  return valid
}

const problemResponses = { 400: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema }

export function registerConsentApi(app: FastifyInstance, deps: { consent: ConsentService }): void {
  const { consent } = deps
  const api = app.withTypeProvider<TypeBoxTypeProvider>()

  // Body errors are named as the rest of this API names them (decisions[0].topic); the service-wide handler answers.
  app.setErrorHandler(async (error: FastifyError) => {
    if (error.validation !== undefined && error.validationContext === 'body')
      throw new ValidationError(validationErrors(error))
    throw error
  })

  api.get(
    consentRoutes.apiConsent,
    {
      config: { access: consentReaderRoles },
      schema: {
        tags: ['consent'],
        summary: 'A person’s consent decisions in force (the ETag header is needed for PUT)',
        params: ConsentParamsSchema,
        response: { 200: ConsentSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const state = await consent.viewConsent(request.params.id, actorOf(request), 'api')
      return reply.header('etag', state.etag).send(toResource(state))
    },
  )

  api.put(
    consentRoutes.apiConsent,
    {
      config: { access: consentRecorderRoles },
      schema: {
        tags: ['consent'],
        summary: 'Record consent decisions (requires If-Match with the ETag from GET)',
        description:
          'Each decision that differs from the one in force is recorded as a new history entry, all in one ' +
          'transaction. Withdrawn is accepted only where the decision in force is given (otherwise 422). ' +
          'A stale ETag is refused with 412, a missing one with 428. Clinicians and hub managers only.',
        params: ConsentParamsSchema,
        headers: ConsentPutHeadersSchema,
        body: ConsentPutSchema,
        response: {
          200: ConsentSchema,
          ...problemResponses,
          412: ProblemSchema,
          422: ProblemSchema,
          428: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const expected = etagFromIfMatch(request.headers['if-match'], 'GET of this person’s consent')
      const decisions = checkDecisions(request.body, consent.today())
      const result = await consent.applyDecisions(request.params.id, expected, decisions, actorOf(request))
      if (!result.ok) {
        throw new PreconditionFailedError(
          'This person’s consent was changed since your ETag was issued. GET it again, then send your decisions.',
        )
      }
      return reply.header('etag', result.state.etag).send(toResource(result.state))
    },
  )
}
