import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { formErrorContext, isoToDateParts, type FormBody } from '../../platform/forms/forms.ts'
import { hasRole, requirePrincipal } from '../../platform/http/auth.ts'
import { DomainError, NotFoundError, type FieldError } from '../../platform/http/errors.ts'
import { setFlash } from '../../platform/views/nunjucks.ts'
import { parseConsentForm, type ConsentFormValues } from './consent.forms.ts'
import {
  consentMethods,
  decisionText,
  isConsentTopic,
  methodText,
  NOTE_MAX,
  PARTNER_TOPIC,
  topicText,
  type ConsentDecisionCode,
  type ConsentTopic,
} from './consent.messages.ts'
import { consentPaths, consentRoutes } from './consent.paths.ts'
import { consentReaderRoles, consentRecorderRoles, type ConsentService } from './consent.service.ts'
import { currentRows, historyTable } from './consent.view-models.ts'
import { actorOf } from '../../platform/http/auth.ts'
import { fullName } from '../../platform/views/person-header.ts'

export interface ConsentPagesDeps {
  consent: ConsentService
  flashCookie: string
}

function topicFrom(request: FastifyRequest): ConsentTopic {
  const { topic } = request.params as { topic: string }
  if (!isConsentTopic(topic)) throw new NotFoundError('No such consent topic')
  return topic
}

export function registerConsentPages(app: FastifyInstance, deps: ConsentPagesDeps): void {
  const { consent, flashCookie } = deps

  /** The form, with the decision in force deciding whether withdrawal is offered. */
  async function renderRecordForm(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    topic: ConsentTopic,
    values: ConsentFormValues,
    errors: readonly FieldError[] = [],
  ) {
    const { id } = request.params as { id: string }
    const state = await consent.viewConsent(id, actorOf(request), 'page', 'record-form')
    const organisations = topic === PARTNER_TOPIC ? await consent.organisations() : []
    const organisationCode = typeof values['organisationCode'] === 'string' ? values['organisationCode'] : ''
    const organisation = organisations.find((o) => o.code === organisationCode)
    const current = state.current.find(
      (d) => d.topic === topic && (topic !== PARTNER_TOPIC || d.organisationCode === organisationCode),
    )
    // With no organisation chosen yet, withdrawal is offered while any partner agreement is in force; the service
    // refuses it for an organisation the person never agreed to share with.
    const partnerGiven =
      topic === PARTNER_TOPIC &&
      organisation === undefined &&
      state.current.some((d) => d.topic === PARTNER_TOPIC && d.decision === 'given')
    const canWithdraw = current?.decision === 'given' || partnerGiven || values['decision'] === 'withdrawn'
    const offered: ConsentDecisionCode[] = canWithdraw ? ['given', 'refused', 'withdrawn'] : ['given', 'refused']
    const decisions = offered.map((code) => ({ value: code, text: decisionText[code].label }))
    const text = topicText[topic]
    return reply.code(status).view('consent/views/record.njk', {
      pageTitle: organisation === undefined ? text.title : `Share with ${organisation.name}`,
      person: state.person,
      topic,
      text,
      isPartner: topic === PARTNER_TOPIC,
      organisations: [
        { value: '', text: 'Select an organisation' },
        ...organisations.map((o) => ({ value: o.code, text: o.name })),
      ],
      current: current === undefined ? undefined : { ...current, status: decisionText[current.decision].status },
      decisions,
      methods: consentMethods.map((m) => ({ value: m, text: methodText[m] })),
      noteMax: NOTE_MAX,
      todayParts: isoToDateParts(consent.today()),
      action: request.url,
      backHref: consentPaths.consent(state.person.id),
      ...formErrorContext(errors, values),
    })
  }

  app.get(consentRoutes.consent, { config: { access: consentReaderRoles } }, async (request, reply) => {
    const principal = requirePrincipal(request)
    const { id } = request.params as { id: string }
    const state = await consent.viewConsent(id, actorOf(request), 'page')
    const canRecord = hasRole(principal, consentRecorderRoles)
    const { person } = state
    return reply.view('consent/views/consent.njk', {
      pageTitle: `Consent – ${fullName(person)}`,
      person,
      rows: currentRows(state, canRecord),
      history: historyTable(state.history, canRecord),
      canRecord,
      partnerHref: consentPaths.record(person.id, PARTNER_TOPIC),
      personHref: consentPaths.person(person.id),
    })
  })

  app.get(consentRoutes.record, { config: { access: consentRecorderRoles } }, async (request, reply) => {
    const topic = topicFrom(request)
    const query = request.query as Record<string, unknown>
    const organisationCode = typeof query['organisation'] === 'string' ? query['organisation'] : ''
    // The date is asked, not filled in: a decision recorded later must not take the day it was typed.
    return renderRecordForm(request, reply, 200, topic, { organisationCode })
  })

  app.post(consentRoutes.record, { config: { access: consentRecorderRoles } }, async (request, reply) => {
    const topic = topicFrom(request)
    const { id } = request.params as { id: string }
    const form = parseConsentForm(request.body as FormBody | undefined, topic, consent.today())
    if (!form.ok) return renderRecordForm(request, reply, 400, topic, form.values, form.errors)
    try {
      const { person } = await consent.recordDecision(id, form.value, actorOf(request), 'page')
      setFlash(reply, flashCookie, `Decision recorded: ${topicText[topic].title.toLowerCase()}`)
      return await reply.redirect(consentPaths.consent(person.id))
    } catch (error) {
      if (!(error instanceof DomainError)) throw error
      return renderRecordForm(request, reply, 400, topic, form.values, error.errors)
    }
  })
}
