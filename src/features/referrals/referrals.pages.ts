import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { formErrorContext, isoToDateParts, isUuid, type FormBody } from '../../platform/forms/forms.ts'
import { actorOf, requirePrincipal } from '../../platform/http/auth.ts'
import { ConflictError, DomainError, ValidationError, type FieldError } from '../../platform/http/errors.ts'
import { formatDate } from '../../platform/views/format.ts'
import { setFlash } from '../../platform/views/nunjucks.ts'
import { kindText } from '../services/index.ts'
import {
  parseChaseForm,
  parseNewReferralForm,
  parseTransitionForm,
  statusFilter,
  type FormValues,
} from './referrals.forms.ts'
import {
  isFinal,
  referralStatuses,
  statusText,
  urgencyText,
  referralUrgencies,
  needsReason,
} from './referrals.lifecycle.ts'
import { messages, needLabels, REASON_MAX } from './referrals.messages.ts'
import { referralPaths, referralRoutes } from './referrals.paths.ts'
import {
  letterRefusal,
  orderServices,
  referralHubRoles,
  referralReaderRoles,
  type NewReferralContext,
  type ReferralsService,
  type ReferralView,
} from './referrals.service.ts'
import {
  changelogTable,
  consentLabel,
  consentNotice,
  personReferralsTable,
  personRows,
  referralListTable,
  referralRows,
  serviceText,
  transitionItems,
} from './referrals.view-models.ts'
import { govukPagination, pageCount } from '../../platform/views/pagination.ts'
import { fullName } from '../../platform/views/person-header.ts'
import { ukDateOf } from '../../platform/time/uk-time.ts'

export interface ReferralsPagesDeps {
  /** Now, by the service's clock: a chase date is checked against today. */
  now: () => Date
  referrals: ReferralsService
  flashCookie: string
}

const LIST_PAGE_SIZE = 25

/** Service-side field names as the page's inputs are named (dates are GOV.UK date inputs). */
function pageField(field: string): string {
  if (field === 'at' || field === 'appointmentOn' || field === 'chaseOn') return `${field}-day`
  return field
}

function pageErrors(errors: readonly FieldError[]): FieldError[] {
  return errors.map((e) => ({ field: pageField(e.field), message: e.message }))
}

/** Which of the offered changes need a reason, so the hint says when it is optional. */
function reasonHint(view: ReferralView): string {
  const needing = view.allowed.filter(needsReason).map((s) => `“${statusText[s].label.toLowerCase()}”`)
  const limit = `Up to ${REASON_MAX.toLocaleString('en-GB')} characters.`
  return needing.length === 0 ? `Optional. ${limit}` : `Needed for ${needing.join(', ')}. ${limit}`
}

/** The date is always asked for (H-409); once an appointment is booked, the hint says its date. */
function atHint(view: ReferralView, today: string): string {
  const parts = isoToDateParts(today)
  const example = `For example, ${parts.day} ${parts.month} ${parts.year}.`
  const { status, firstAppointmentOn } = view.referral
  return status === 'first-appointment-booked' && firstAppointmentOn !== null
    ? `${example} The first appointment is booked for ${formatDate(firstAppointmentOn)}: if they went or did not go, use that date or a later one.`
    : example
}

function idOf(request: FastifyRequest): string {
  return (request.params as { id: string }).id
}

export function registerReferralsPages(app: FastifyInstance, deps: ReferralsPagesDeps): void {
  const { referrals, flashCookie, now } = deps

  async function renderReferral(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    form: { values?: FormValues; errors?: readonly FieldError[]; view?: ReferralView } = {},
  ) {
    const view = form.view ?? (await referrals.viewReferral(idOf(request), actorOf(request), 'page'))
    const today = referrals.today()
    const { referral } = view
    const values = form.values ?? {}
    const errors = form.errors ?? []
    if (view.withheld) {
      return reply.code(status).view('referrals/views/withheld.njk', {
        pageTitle: 'Referral',
        message: messages.partnerConsentWithdrawn,
        reference: referral.id,
        listHref: referralPaths.list(),
      })
    }
    const hub = view.recorder === 'hub'
    return reply.code(status).view('referrals/views/referral.njk', {
      pageTitle: `Referral to ${referral.serviceName} – ${fullName(view.person)}`,
      referral,
      person: view.person,
      hub,
      rows: referralRows(referral, today),
      personRows: personRows(view.person),
      consent: consentNotice(view),
      consentHref: referralPaths.consent(referral.personId),
      statusLabel: statusText[referral.status].label,
      transitions: transitionItems(view.allowed, values['to']),
      reasonHint: reasonHint(view),
      atHint: atHint(view, today),
      canChase: hub && !isFinal(referral.status),
      chaseParts: isoToDateParts(referral.chaseOn),
      todayParts: isoToDateParts(today),
      version: referral.version,
      changelog: changelogTable(view.events),
      transitionAction: referralPaths.transition(referral.id),
      chaseAction: referralPaths.chase(referral.id),
      printHref: referralPaths.print(referral.id),
      backHref: hub ? referralPaths.personReferrals(referral.personId) : referralPaths.list(),
      backText: hub ? `Back to ${fullName(view.person)}’s referrals` : 'Back to referrals',
      ...formErrorContext(errors, values),
    })
  }

  async function renderNewForm(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    values: FormValues,
    errors: readonly FieldError[] = [],
    extra: Record<string, unknown> = {},
  ) {
    const context: NewReferralContext = await referrals.newReferralContext(idOf(request), actorOf(request))
    const { person, needs, services } = context
    const base = {
      person,
      personName: fullName(person),
      backHref: referralPaths.personReferrals(person.id),
      healthChecksHref: referralPaths.healthChecks(person.id),
    }
    if (needs.length === 0) {
      return reply
        .code(status)
        .view('referrals/views/new.njk', { pageTitle: 'Make a referral', ...base, noNeeds: true })
    }
    const wanted = typeof values['needId'] === 'string' ? values['needId'] : ''
    const need = needs.find((n) => n.id === wanted) ?? (needs.length === 1 ? needs[0] : undefined)
    const needItems = needs.map((n) => ({
      value: n.id,
      text: needLabels[n.category],
      hint: { text: `Identified ${formatDate(n.identifiedOn)}: ${n.proposedBecause}` },
      checked: need?.id === n.id,
    }))
    if (need === undefined && errors.length === 0) {
      // Step one: which need, so the services suited to it can be listed first.
      return reply.code(status).view('referrals/views/choose-need.njk', {
        pageTitle: 'Which need is this referral for?',
        ...base,
        needItems,
        action: referralPaths.newReferral(person.id),
      })
    }
    const { suggested, others } = orderServices(services, need?.category)
    const serviceItem = (s: (typeof services)[number]) => ({
      value: s.id,
      text: s.name,
      hint: {
        text:
          kindText[s.kind].label +
          (s.organisationName === null
            ? ''
            : `. Partner: ${s.organisationName}. ${s.consent === 'given' ? 'Consent to share given' : 'Consent to share needed before sending'}`),
      },
      checked: values['serviceId'] === s.id,
    })
    const serviceItems = [
      ...suggested.map(serviceItem),
      ...(suggested.length > 0 && others.length > 0 ? [{ divider: 'or another service in the directory' }] : []),
      ...others.map(serviceItem),
    ]
    const submitted = typeof values['submissionId'] === 'string' ? values['submissionId'] : ''
    const needsConsent = services.some((s) => s.organisationId !== null && s.consent !== 'given')
    return reply.code(status).view('referrals/views/new.njk', {
      pageTitle: 'Make a referral',
      ...base,
      needItems,
      need,
      serviceHint:
        need === undefined || suggested.length === 0
          ? 'Services in this site’s directory.'
          : `Services for ${needLabels[need.category].toLowerCase()} are listed first, then the rest of this site’s directory.`,
      serviceItems,
      hasServices: services.length > 0,
      needsConsent,
      consentHref: referralPaths.consent(person.id),
      urgencyItems: referralUrgencies.map((u) => ({
        value: u,
        text: urgencyText[u].label,
        hint: { text: urgencyText[u].hint },
        checked: (values['urgency'] ?? 'routine') === u,
      })),
      reasonMax: REASON_MAX,
      // A one-time id, kept when the form is shown again, so a double submit makes one referral.
      submissionId: isUuid(submitted) ? submitted : randomUUID(),
      action: referralPaths.newReferral(person.id),
      ...formErrorContext(errors, values),
      ...extra,
    })
  }

  app.get(referralRoutes.personReferrals, { config: { access: referralHubRoles } }, async (request, reply) => {
    const {
      person,
      referrals: list,
      hasConfirmedNeeds,
    } = await referrals.personReferrals(idOf(request), actorOf(request), 'page')
    return reply.view('referrals/views/person-referrals.njk', {
      pageTitle: `Referrals – ${fullName(person)}`,
      person,
      table: personReferralsTable(list, referrals.today()),
      hasReferrals: list.length > 0,
      hasConfirmedNeeds,
      newHref: referralPaths.newReferral(person.id),
      healthChecksHref: referralPaths.healthChecks(person.id),
      personHref: referralPaths.person(person.id),
    })
  })

  app.get(referralRoutes.newReferral, { config: { access: referralHubRoles } }, async (request, reply) => {
    const query = request.query as Record<string, unknown>
    const needId = typeof query['needId'] === 'string' ? query['needId'] : ''
    return renderNewForm(request, reply, 200, { needId })
  })

  app.post(referralRoutes.newReferral, { config: { access: referralHubRoles } }, async (request, reply) => {
    const form = parseNewReferralForm(request.body as FormBody | undefined)
    if (!form.ok) return renderNewForm(request, reply, 400, form.values, form.errors)
    const submissionId = typeof form.values['submissionId'] === 'string' ? form.values['submissionId'] : ''
    try {
      const { view } = await referrals.createReferral(
        idOf(request),
        form.value,
        actorOf(request),
        'page',
        isUuid(submissionId) ? submissionId : undefined,
      )
      setFlash(
        reply,
        flashCookie,
        view.referral.status === 'sent'
          ? `Referral sent to ${view.referral.serviceName}`
          : `Referral to ${view.referral.serviceName} saved as a draft`,
      )
      return await reply.redirect(referralPaths.referral(view.referral.id))
    } catch (error) {
      if (error instanceof ConflictError && typeof error.extra['existingReferralId'] === 'string') {
        return renderNewForm(request, reply, 409, form.values, [{ field: 'serviceId', message: error.message }], {
          existingHref: referralPaths.referral(error.extra['existingReferralId']),
        })
      }
      if (!(error instanceof DomainError)) throw error
      if (error.code === 'idempotency-key-reused') {
        // The form was sent back changed after it had made a referral: a fresh id lets the user make another.
        return renderNewForm(request, reply, 400, { ...form.values, submissionId: '' }, [
          { field: 'needId', message: messages.formAlreadyUsed },
        ])
      }
      return renderNewForm(request, reply, 400, form.values, error.errors)
    }
  })

  app.get(referralRoutes.list, { config: { access: referralReaderRoles } }, async (request, reply) => {
    const principal = requirePrincipal(request)
    const query = request.query as Record<string, unknown>
    const siteCode = typeof query['site'] === 'string' && query['site'] !== '' ? query['site'] : undefined
    const status = statusFilter(query['status'])
    const overdue = query['overdue'] === 'yes'
    const pageText = typeof query['page'] === 'string' ? query['page'] : '1'
    const pageNumber = Math.min(Math.max(Number.parseInt(pageText, 10) || 1, 1), 1000)
    const result = await referrals.listReferrals(
      { siteCode, status, overdue, page: pageNumber, pageSize: LIST_PAGE_SIZE },
      actorOf(request),
      'page',
    )
    const today = referrals.today()
    const pages = pageCount(result.total, LIST_PAGE_SIZE)
    const linkFor = (p: number) =>
      referralPaths.list({ site: result.site?.code, status, overdue: overdue ? 'yes' : undefined, page: p })
    return reply.view('referrals/views/list.njk', {
      pageTitle:
        result.scope === 'partner' ? 'Referrals to your organisation' : `Referrals – ${result.site?.name ?? 'no site'}`,
      partner: result.scope === 'partner',
      noSites: result.scope === 'hub' && result.site === undefined,
      sites: result.sites.map((s) => ({ value: s.code, text: s.name, selected: s.code === result.site?.code })),
      statuses: [
        { value: '', text: 'Any status' },
        ...referralStatuses
          .filter((s) => result.scope === 'hub' || s !== 'draft')
          .map((s) => ({ value: s, text: statusText[s].label, selected: s === status })),
      ],
      overdue,
      total: result.total,
      table: referralListTable(result.items, today),
      pagination: govukPagination(pageNumber, pages, linkFor),
      principal,
      action: referralPaths.list(),
    })
  })

  app.get(referralRoutes.referral, { config: { access: referralReaderRoles } }, async (request, reply) =>
    renderReferral(request, reply, 200),
  )

  app.post(referralRoutes.transition, { config: { access: referralReaderRoles } }, async (request, reply) => {
    const form = parseTransitionForm(request.body as FormBody | undefined, referralStatuses, referrals.today())
    if (!form.ok) return renderReferral(request, reply, 400, { values: form.values, errors: form.errors })
    try {
      const view = await referrals.recordTransition(idOf(request), form.value, actorOf(request), 'page')
      setFlash(reply, flashCookie, `Referral updated: ${statusText[view.referral.status].label.toLowerCase()}`)
      return await reply.redirect(referralPaths.referral(view.referral.id))
    } catch (error) {
      if (error instanceof ConflictError) {
        return renderReferral(request, reply, 409, {
          values: { ...form.values, version: '' },
          errors: [{ field: 'to', message: error.message }],
        })
      }
      if (!(error instanceof DomainError) && !(error instanceof ValidationError)) throw error
      return renderReferral(request, reply, 400, { values: form.values, errors: pageErrors(error.errors) })
    }
  })

  app.post(referralRoutes.chase, { config: { access: referralHubRoles } }, async (request, reply) => {
    const form = parseChaseForm(request.body as FormBody | undefined, ukDateOf(now()))
    if (!form.ok) return renderReferral(request, reply, 400, { values: form.values, errors: form.errors })
    try {
      const view = await referrals.setChaseDate(
        idOf(request),
        form.value.chaseOn,
        form.value.version ?? 0,
        actorOf(request),
        'page',
      )
      setFlash(reply, flashCookie, `Chase date set to ${formatDate(form.value.chaseOn)}`)
      return await reply.redirect(referralPaths.referral(view.referral.id))
    } catch (error) {
      if (error instanceof ConflictError) {
        return renderReferral(request, reply, 409, { errors: [{ field: 'chaseOn-day', message: error.message }] })
      }
      if (!(error instanceof DomainError)) throw error
      return renderReferral(request, reply, 400, { values: form.values, errors: pageErrors(error.errors) })
    }
  })

  app.get(referralRoutes.print, { config: { access: referralReaderRoles } }, async (request, reply) => {
    const view = await referrals.viewReferral(idOf(request), actorOf(request), 'page', 'print')
    const { referral } = view
    if (letterRefusal(view) !== undefined) {
      // 409: the letter exists but the person's withdrawal of consent stops it being printed (H-411).
      const organisation =
        view.recorder === 'partner' ? 'your organisation' : (referral.organisationName ?? referral.serviceName)
      return reply.code(409).view('referrals/views/letter-refused.njk', {
        pageTitle: 'The referral letter cannot be printed',
        organisation,
        reference: referral.id,
        consentHref: view.recorder === 'hub' ? referralPaths.consent(referral.personId) : undefined,
        backHref: view.withheld ? referralPaths.list() : referralPaths.referral(referral.id),
        backText: view.withheld ? 'Back to referrals' : 'Back to the referral',
      })
    }
    if (view.withheld) return renderReferral(request, reply, 200, { view })
    return reply.view('referrals/views/print.njk', {
      pageTitle: `Referral letter – ${fullName(view.person)}`,
      referral,
      person: view.person,
      personRows: personRows(view.person),
      service: serviceText(referral),
      needLabel: needLabels[referral.needCategory],
      urgency: urgencyText[referral.urgency].label,
      statusLabel: statusText[referral.status].label,
      consentLabel: consentLabel(view.consent),
      consentWarning: view.consent === 'not-needed' || view.consent === 'given' ? undefined : consentNotice(view)?.text,
      printedOn: referrals.today(),
      styleNonce: reply.cspNonce.style,
      backHref: referralPaths.referral(referral.id),
    })
  })
}
