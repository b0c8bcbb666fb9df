import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type, type Static } from 'typebox'
import { actorOf, type Access } from '../../platform/http/auth.ts'
import { checkCrn, checkNhsNumber, FAMILY_NAME_MAX, searchMessages, ukDayEnd, ukDayStart } from './audit-log.forms.ts'
import { auditActions } from '../../platform/audit/audit.service.ts'
import type { AuditFilter, PersonSearch } from './audit-log.read-model.ts'
import { MAX_SEARCH_MATCHES, type AuditLogService } from './audit-log.service.ts'
import { DomainError, ValidationError, type FieldError } from '../../platform/http/errors.ts'
import { fullName } from '../../platform/views/person-header.ts'
import { keysetPage } from '../../platform/db/paging.ts'
import { dateRangeError, LATEST_DATE } from '../../platform/forms/forms.ts'

const Uuid = (description: string) => Type.String({ format: 'uuid', description })
const NullableString = (description: string) => Type.Union([Type.String(), Type.Null()], { description })

export const AuditEventSchema = Type.Object(
  {
    id: Type.Integer({
      description: 'The event’s id; larger is newer. The hash chain’s order is the order events were sealed in.',
    }),
    occurredAt: Type.String({ format: 'date-time' }),
    actorId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
      description: 'The staff user; null for the command line and failed sign-ins',
    }),
    actorName: NullableString('The staff user’s name'),
    staffName: NullableString('The staff user’s name (the same as actorName)'),
    actorRole: NullableString('The staff user’s role when the event happened'),
    action: Type.String({ description: `One of ${auditActions.join(', ')}` }),
    entityType: Type.String(),
    entityId: NullableString('The id of the thing acted on'),
    personId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    personName: NullableString('The person’s name (given then family), while their record exists'),
    crn: NullableString('The person’s CRN, while their record exists'),
    siteId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    requestId: NullableString('The request (or `cli:<uuid>` command) that caused the event'),
    details: Type.Object(
      {},
      { additionalProperties: true, description: 'Ids, counts and field names; never personal data' },
    ),
  },
  { $id: 'AuditEvent' },
)

export const AuditQuerySchema = Type.Object(
  {
    personId: Type.Optional(Uuid('Only events about this person')),
    actorId: Type.Optional(Uuid('Only events by this staff user')),
    action: Type.Optional(Type.Enum(auditActions)),
    from: Type.Optional(
      Type.String({ format: 'date', description: 'First UK calendar day to include (YYYY-MM-DD), at most 2099-12-31' }),
    ),
    to: Type.Optional(
      Type.String({ format: 'date', description: 'Last UK calendar day to include (YYYY-MM-DD), at most 2099-12-31' }),
    ),
    before: Type.Optional(
      Type.Integer({
        minimum: 1,
        // Ids are bigint in the database; beyond this a JavaScript number is no longer exact.
        maximum: Number.MAX_SAFE_INTEGER,
        description: 'Only events older than this id: pass `nextBefore` from the previous page',
      }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    crn: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z][0-9]{6}$',
        description: 'Only events about the person with this CRN, like X123456 (the search is audited, with the CRN)',
      }),
    ),
    nhsNumber: Type.Optional(
      Type.String({
        minLength: 10,
        maxLength: 12,
        description:
          'Only events about the person with this NHS number: 10 digits with a valid check digit, spaces allowed',
      }),
    ),
    familyName: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: FAMILY_NAME_MAX,
        description: 'With dateOfBirth: only events about people with this family name (any case) and date of birth',
      }),
    ),
    dateOfBirth: Type.Optional(Type.String({ format: 'date', description: 'With familyName (YYYY-MM-DD)' })),
  },
  { additionalProperties: false },
)

export const MatchedPersonSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    givenName: Type.String(),
    familyName: Type.String(),
    crn: Type.String(),
    dateOfBirth: Type.String({ format: 'date' }),
    siteName: Type.String(),
  },
  { description: 'A person the search found: who they are, never their record' },
)

type AuditQuery = Static<typeof AuditQuerySchema>

/**
 * The person search in the query, if any: a CRN, an NHS number, or a family name with a date of birth, exactly one,
 * and not with personId. Shapes are checked by the schema; the NHS number's check digit and the pairing here.
 */
function personSearchOf(query: AuditQuery): PersonSearch | undefined {
  const errors: FieldError[] = []
  const field = (name: string) => `querystring.${name}`
  const byName = query.familyName !== undefined || query.dateOfBirth !== undefined
  const given = [query.crn !== undefined, query.nhsNumber !== undefined, byName].filter(Boolean).length
  if (given === 0) return undefined
  if (given > 1) {
    const second = query.crn === undefined ? 'familyName' : query.nhsNumber === undefined ? 'familyName' : 'nhsNumber'
    throw new ValidationError([{ field: field(second), message: searchMessages.several }])
  }
  if (query.personId !== undefined) {
    throw new ValidationError([{ field: field('personId'), message: searchMessages.notBoth }])
  }
  if (query.crn !== undefined) {
    const crn = checkCrn(query.crn)
    if ('error' in crn) throw new ValidationError([{ field: field('crn'), message: crn.error }])
    return { kind: 'crn', crn: crn.value }
  }
  if (query.nhsNumber !== undefined) {
    const nhsNumber = checkNhsNumber(query.nhsNumber)
    if ('error' in nhsNumber) throw new ValidationError([{ field: field('nhsNumber'), message: nhsNumber.error }])
    return { kind: 'nhsNumber', nhsNumber: nhsNumber.value }
  }
  const familyName = query.familyName?.trim() ?? ''
  if (familyName === '') errors.push({ field: field('familyName'), message: 'familyName is required with dateOfBirth' })
  if (query.dateOfBirth === undefined) {
    errors.push({ field: field('dateOfBirth'), message: 'dateOfBirth is required with familyName' })
  }
  if (errors.length > 0 || query.dateOfBirth === undefined) throw new ValidationError(errors)
  return { kind: 'nameAndDateOfBirth', familyName, dateOfBirth: query.dateOfBirth }
}

const auditorsOnly: Access = ['auditor']

export function registerAuditApi(app: FastifyInstance, deps: { auditLog: AuditLogService }): void {
  const { auditLog } = deps
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/api/v1/audit',
    {
      config: { access: auditorsOnly },
      schema: {
        tags: ['audit'],
        summary: 'Audit events, newest first (auditors only)',
        description:
          'Keyset pagination: pass `nextBefore` as `before` to get the next, older page. Find a person by `crn`, ' +
          '`nhsNumber`, or `familyName` with `dateOfBirth` (at every site): the events about the people found are ' +
          'listed, and `people` says who they are. Reading the log and searching are both audited.',
        querystring: AuditQuerySchema,
        response: {
          200: Type.Object({
            events: Type.Array(AuditEventSchema),
            nextBefore: Type.Union([Type.Integer(), Type.Null()], { description: 'null on the last page' }),
            people: Type.Optional(
              Type.Array(MatchedPersonSchema, {
                description: `With a person search: the people it found (at most ${String(MAX_SEARCH_MATCHES)}), whose events these are`,
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const query = request.query
      const limit = query.limit ?? 100
      const filter: AuditFilter = { limit: limit + 1 }
      if (query.personId !== undefined) filter.personId = query.personId.toLowerCase()
      if (query.actorId !== undefined) filter.actorId = query.actorId.toLowerCase()
      if (query.action !== undefined) filter.action = query.action
      // As on the page: no date after LATEST_DATE (a year like 9999 also breaks the day arithmetic).
      const farOff = (['from', 'to'] as const).flatMap((name) => {
        const value = query[name]
        const message = value === undefined ? undefined : dateRangeError(value, { latest: LATEST_DATE }, name)
        return message === undefined ? [] : [{ field: `querystring.${name}`, message }]
      })
      if (farOff.length > 0) throw new ValidationError(farOff)
      if (query.from !== undefined) filter.from = ukDayStart(query.from)
      if (query.to !== undefined) filter.to = ukDayEnd(query.to)
      if (query.before !== undefined) filter.beforeId = query.before
      const search = personSearchOf(query)
      const found = search === undefined ? undefined : await auditLog.searchPeople(search, actorOf(request), 'api')
      if (found?.more === true) {
        throw new DomainError('too-many-matches', [
          {
            field: 'querystring.familyName',
            message: `More than ${String(MAX_SEARCH_MATCHES)} people match: search by CRN or NHS number`,
          },
        ])
      }
      if (found !== undefined) filter.personIds = found.people.map((p) => p.id)
      const used = (
        ['personId', 'actorId', 'action', 'from', 'to', 'crn', 'nhsNumber', 'familyName', 'dateOfBirth'] as const
      ).filter((key) => query[key] !== undefined)
      const { items: page, next } = keysetPage(
        await auditLog.listEvents(filter, actorOf(request), used),
        limit,
        (event) => event.id,
      )
      return {
        events: page.map((e) => ({
          id: e.id,
          occurredAt: e.occurredAt.toISOString(),
          actorId: e.actorId,
          actorName: e.actorName,
          staffName: e.actorName,
          actorRole: e.actorRole,
          action: e.action,
          entityType: e.entityType,
          entityId: e.entityId,
          personId: e.personId,
          personName: e.person === null ? null : fullName(e.person),
          crn: e.person?.crn ?? null,
          siteId: e.siteId,
          requestId: e.requestId,
          details: e.details,
        })),
        nextBefore: next ?? null,
        ...(found === undefined
          ? {}
          : {
              people: found.people.map((p) => ({
                id: p.id,
                givenName: p.givenName,
                familyName: p.familyName,
                crn: p.crn,
                dateOfBirth: p.dateOfBirth,
                siteName: p.siteName,
              })),
            }),
      }
    },
  )
}
