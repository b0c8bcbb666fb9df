import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { dateRangeError, isRealDate } from '../../platform/forms/forms.ts'
import { referralDateRanges } from './referrals.forms.ts'
import { actorOf } from '../../platform/http/auth.ts'
import { ValidationError, type FieldError } from '../../platform/http/errors.ts'
import { versionFromIfMatch } from '../../platform/http/preconditions.ts'
import { isOverdue, isReferralStatus, needsReason, statusText, type ReferralStatus } from './referrals.lifecycle.ts'
import { messages } from './referrals.messages.ts'
import { referralPaths, referralRoutes } from './referrals.paths.ts'
import {
  CreateHeadersSchema,
  IdParamsSchema,
  IfMatchOptionalSchema,
  IfMatchRequiredSchema,
  ListQuerySchema,
  ProblemSchema,
  ReferralCreateSchema,
  ReferralListSchema,
  ReferralProblemSchema,
  ReferralPatchSchema,
  ReferralSchema,
  TransitionSchema,
  type ReferralResource,
} from './referrals.schemas.ts'
import {
  referralHubRoles,
  referralReaderRoles,
  type Referral,
  type ReferralPerson,
  type ReferralsService,
  type ReferralView,
} from './referrals.service.ts'

function personResource(person: ReferralPerson, hub: boolean): NonNullable<ReferralResource['person']> {
  return {
    id: person.id,
    ...(hub ? { crn: person.crn } : {}),
    givenName: person.givenName,
    familyName: person.familyName,
    preferredName: person.preferredName,
    dateOfBirth: person.dateOfBirth,
    nhsNumber: person.nhsNumber,
    phone: person.phone,
    email: person.email,
    interpreterNeeded: person.interpreterNeeded,
    language: person.language,
    readingSupport: person.readingSupport,
    communicationNotes: person.communicationNotes,
  }
}

/** The referral's own fields (lists and the single resource share them). */
function summaryResource(referral: Referral, today: string): ReferralResource {
  return {
    id: referral.id,
    consentWithdrawn: false,
    personId: referral.personId,
    siteCode: referral.siteCode,
    needId: referral.needId,
    needCategory: referral.needCategory,
    serviceId: referral.serviceId,
    serviceName: referral.serviceName,
    serviceKind: referral.serviceKind,
    organisationCode: referral.organisationCode,
    status: referral.status,
    statusLabel: statusText[referral.status].label,
    urgency: referral.urgency,
    reason: referral.reason,
    needIdentifiedOn: referral.needIdentifiedOn,
    sentOn: referral.sentOn,
    chaseOn: referral.chaseOn,
    overdue: isOverdue(referral.chaseOn, today),
    firstAppointmentOn: referral.firstAppointmentOn,
    firstAttendedOn: referral.firstAttendedOn,
    daysToFirstTreatment: referral.daysToFirstTreatment,
    closedOn: referral.closedOn,
    version: referral.version,
  }
}

export function toResource(view: ReferralView, today: string): ReferralResource {
  if (view.withheld) return { id: view.referral.id, consentWithdrawn: true }
  return {
    ...summaryResource(view.referral, today),
    person: personResource(view.person, view.recorder === 'hub'),
    partnerConsent: view.consent,
    allowedTransitions: view.allowed,
    events: view.events.map((e) => ({
      from: e.fromStatus,
      to: e.toStatus,
      occurredOn: e.occurredOn,
      reason: e.reason,
      actorId: e.actorId,
      actorName: e.actorName,
      recordedAt: e.recordedAt.toISOString(),
    })),
  }
}

const problemResponses = { 400: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema }

export function registerReferralsApi(app: FastifyInstance, deps: { referrals: ReferralsService }): void {
  const { referrals } = deps
  const api = app.withTypeProvider<TypeBoxTypeProvider>()

  api.post(
    referralRoutes.apiPersonReferrals,
    {
      config: { access: referralHubRoles },
      schema: {
        tags: ['referrals'],
        summary: 'Make a referral from a confirmed need to a service (a draft, or sent at once)',
        description:
          'The need must be a confirmed need of the person and the service active in the directory of their site. ' +
          'Sending to a partner organisation needs the person’s consent to share with it (422 partner-consent-required). ' +
          'A second open referral for the same need and service is refused with 409 naming the existing one ' +
          '(existingReferralId). With an Idempotency-Key header, a retry of the same request (same key, same body) ' +
          'makes nothing and is answered 201 with the same Location and the referral as now stored; the same key with ' +
          'a different body is refused with 422. Clinicians and hub managers at the person’s site.',
        params: IdParamsSchema,
        headers: CreateHeadersSchema,
        body: ReferralCreateSchema,
        response: { 201: ReferralSchema, ...problemResponses, 409: ReferralProblemSchema, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      const body = request.body
      const reason = body.reason.trim()
      if (reason === '') throw new ValidationError([{ field: 'reason', message: messages.reasonBlank }])
      const { view } = await referrals.createReferral(
        request.params.id,
        {
          needId: body.needId,
          serviceId: body.serviceId,
          reason,
          urgency: body.urgency ?? 'routine',
          send: body.send ?? false,
        },
        actorOf(request),
        'api',
        request.headers['idempotency-key'],
      )
      return reply
        .code(201)
        .header('location', referralPaths.api.referral(view.referral.id))
        .header('etag', view.etag)
        .send(toResource(view, referrals.today()))
    },
  )

  api.get(
    referralRoutes.apiPersonReferrals,
    {
      config: { access: referralHubRoles },
      schema: {
        tags: ['referrals'],
        summary: 'A person’s referrals, newest first',
        params: IdParamsSchema,
        response: { 200: ReferralListSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { referrals: list } = await referrals.personReferrals(request.params.id, actorOf(request), 'api')
      const today = referrals.today()
      return {
        referrals: list.map((r) => summaryResource(r, today)),
        page: 1,
        pageSize: list.length,
        total: list.length,
      }
    },
  )

  api.get(
    referralRoutes.apiList,
    {
      config: { access: referralReaderRoles },
      schema: {
        tags: ['referrals'],
        summary: 'Referrals: a partner’s own organisation’s, or a hub site’s (?site=CODE, default your first site)',
        description:
          'Partners see only referrals sent to their organisation; where the person has withdrawn consent to share ' +
          'with it, only the id and consentWithdrawn: true. Newest first.',
        querystring: ListQuerySchema,
        response: { 200: ReferralListSchema, ...problemResponses },
      },
    },
    async (request) => {
      const query = request.query
      const status = query.status
      if (status !== undefined && !isReferralStatus(status)) {
        throw new ValidationError([
          { field: 'status', message: `status must be one of ${Object.keys(statusText).join(', ')}` },
        ])
      }
      const page = query.page ?? 1
      const pageSize = query.pageSize ?? 25
      const result = await referrals.listReferrals(
        { siteCode: query.site, status, overdue: query.overdue ?? false, page, pageSize },
        actorOf(request),
        'api',
      )
      const today = referrals.today()
      return {
        referrals: result.items.map((i) =>
          i.withheld ? { id: i.referral.id, consentWithdrawn: true } : summaryResource(i.referral, today),
        ),
        page,
        pageSize,
        total: result.total,
      }
    },
  )

  api.get(
    referralRoutes.apiReferral,
    {
      config: { access: referralReaderRoles },
      schema: {
        tags: ['referrals'],
        summary: 'A referral with its changelog and the transitions you may record (ETag carries the version)',
        params: IdParamsSchema,
        response: { 200: ReferralSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const view = await referrals.viewReferral(request.params.id, actorOf(request), 'api')
      if (!view.withheld) reply.header('etag', view.etag)
      return reply.send(toResource(view, referrals.today()))
    },
  )

  api.post(
    referralRoutes.apiTransitions,
    {
      config: { access: referralReaderRoles },
      schema: {
        tags: ['referrals'],
        summary: 'Record a change of status',
        description:
          'A transition not allowed from the current status is refused with 409 whose detail and `allowed` name the ' +
          'ones you may record. A reason is required for rejected, declined, withdrawn and did-not-attend (400 naming ' +
          'reason); first-appointment-booked needs appointmentOn (on or after `at`; it may be in the future). `at`, ' +
          'the UK date it happened, is required: a missing or null `at` is refused with 400 naming at, never taken ' +
          'as today. It may not be in the future nor before the last change (422), and for ' +
          'first-appointment-attended and did-not-attend not before the booked appointment (422 ' +
          'date-before-appointment), so days to first treatment run from the need to the day the person attended. ' +
          'Name the version you saw with If-Match or `version`: a stale one is refused with 409. Partners may not ' +
          'send or withdraw (403).',
        params: IdParamsSchema,
        headers: IfMatchOptionalSchema,
        body: TransitionSchema,
        response: {
          200: ReferralSchema,
          ...problemResponses,
          409: ReferralProblemSchema,
          422: ProblemSchema,
          428: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const body = request.body
      const errors: FieldError[] = []
      const to = body.to.trim()
      if (!isReferralStatus(to))
        errors.push({ field: 'to', message: `to must be one of ${Object.keys(statusText).join(', ')}` })
      const reason = body.reason?.trim() ?? ''
      if (isReferralStatus(to) && needsReason(to) && reason === '') {
        errors.push({ field: 'reason', message: messages.reasonRequired(to) })
      }
      const ranges = referralDateRanges(referrals.today())
      // A blank date is refused (H-409). Alone it is told after the access checks, in the service, so a caller who
      // may not touch the referral learns nothing more; with other mistakes it is told with them, all at once.
      const atIndex = errors.length
      const at = body.at ?? null
      const early = at === null ? undefined : dateRangeError(at, ranges.at, messages.atLabel)
      if (at !== null && !isRealDate(at)) errors.push({ field: 'at', message: 'at must be a real date, YYYY-MM-DD' })
      else if (at !== null && at > referrals.today()) errors.push({ field: 'at', message: messages.atFuture })
      else if (early !== undefined) errors.push({ field: 'at', message: early })
      const appointmentOn = body.appointmentOn ?? null
      if (appointmentOn !== null && !isRealDate(appointmentOn)) {
        errors.push({ field: 'appointmentOn', message: 'appointmentOn must be a real date, YYYY-MM-DD' })
      } else if (appointmentOn !== null) {
        const outside = dateRangeError(appointmentOn, ranges.appointmentOn, messages.appointmentLabel)
        if (outside !== undefined) errors.push({ field: 'appointmentOn', message: outside })
      }
      if (at === null && errors.length > 0) errors.splice(atIndex, 0, { field: 'at', message: messages.atBlank })
      if (errors.length > 0 || !isReferralStatus(to)) throw new ValidationError(errors)
      const header = request.headers['if-match']
      const fromHeader = header === undefined ? null : versionFromIfMatch(header, 'GET of this referral')
      if (fromHeader !== null && body.version !== undefined && fromHeader !== body.version) {
        throw new ValidationError([{ field: 'version', message: 'version and If-Match name different versions' }])
      }
      const view = await referrals.recordTransition(
        request.params.id,
        {
          to: to satisfies ReferralStatus,
          at,
          reason: reason === '' ? null : reason,
          appointmentOn,
          expectedVersion: fromHeader ?? body.version ?? null,
        },
        actorOf(request),
        'api',
      )
      return reply.header('etag', view.etag).send(toResource(view, referrals.today()))
    },
  )

  api.patch(
    referralRoutes.apiReferral,
    {
      config: { access: referralHubRoles },
      schema: {
        tags: ['referrals'],
        summary: 'Set a different chase date (requires If-Match with the ETag from GET)',
        description: 'A stale ETag is refused with 409 (the referral has moved on), a missing one with 428.',
        params: IdParamsSchema,
        headers: IfMatchRequiredSchema,
        body: ReferralPatchSchema,
        response: {
          200: ReferralSchema,
          ...problemResponses,
          409: ReferralProblemSchema,
          422: ProblemSchema,
          428: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const version = versionFromIfMatch(request.headers['if-match'], 'GET of this referral, like W/"3"')
      const { chaseOn } = request.body
      if (!isRealDate(chaseOn))
        throw new ValidationError([{ field: 'chaseOn', message: 'chaseOn must be a real date, YYYY-MM-DD' }])
      const outside = dateRangeError(chaseOn, referralDateRanges(referrals.today()).chaseOn, messages.chaseLabel)
      if (outside !== undefined) throw new ValidationError([{ field: 'chaseOn', message: outside }])
      const view = await referrals.setChaseDate(request.params.id, chaseOn, version, actorOf(request), 'api')
      return reply.header('etag', view.etag).send(toResource(view, referrals.today()))
    },
  )
}
