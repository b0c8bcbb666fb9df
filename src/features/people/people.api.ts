import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { personRecordRoles, requirePrincipal, assertSiteAccess } from '../../platform/http/auth.ts'
import {
  DomainError,
  ForbiddenError,
  PreconditionFailedError,
  ValidationError,
  type FieldError,
} from '../../platform/http/errors.ts'
import type { SitesService } from '../sites/index.ts'
import { peoplePaths, peopleRoutes } from './people.paths.ts'
import {
  PeopleListQuerySchema,
  PeopleListSchema,
  PersonCreateHeadersSchema,
  PersonCreateSchema,
  PersonParamsSchema,
  PersonPatchHeadersSchema,
  PersonPatchSchema,
  PersonSchema,
  PossibleDuplicateProblemSchema,
  ProblemSchema,
  type PersonCreate,
  type PersonPatch,
  type PersonResource,
} from './people.schemas.ts'
import { CASELOAD_PAGE_SIZE, COUNT_CAP, type Person, type PeopleService } from './people.service.ts'
import {
  apiDateToParts,
  detailsToDraft,
  validatePerson,
  type PersonDetails,
  type PersonDraft,
} from './people.validation.ts'
import { versionFromIfMatch } from '../../platform/http/preconditions.ts'

/** The form's field ids as the API names them. */
const apiFieldNames: Record<string, string> = {
  addressLine1: 'address.line1',
  addressLine2: 'address.line2',
  town: 'address.town',
  postcode: 'address.postcode',
}

/** Date errors point at a date part on the form (dateOfBirth-day); the API has one field. */
export function toApiField(field: string): string {
  const base = field.replace(/-(day|month|year)$/, '')
  return apiFieldNames[base] ?? base
}

function apiErrors(errors: readonly FieldError[]): FieldError[] {
  return errors.map((e) => ({ field: toApiField(e.field), message: e.message }))
}

export function toResource(person: Person): PersonResource {
  const hasAddress = [person.addressLine1, person.addressLine2, person.town, person.postcode].some((v) => v !== null)
  return {
    id: person.id,
    crn: person.crn,
    nhsNumber: person.nhsNumber,
    givenName: person.givenName,
    familyName: person.familyName,
    preferredName: person.preferredName,
    dateOfBirth: person.dateOfBirth,
    sex: person.sex,
    statedGender: person.statedGender,
    genderSameAsBirth: person.genderSameAsBirth,
    ethnicCategory: person.ethnicCategory,
    disability: person.disability,
    neurodivergence: person.neurodivergence,
    interpreterNeeded: person.interpreterNeeded,
    language: person.language,
    readingSupport: person.readingSupport,
    communicationNotes: person.communicationNotes,
    phone: person.phone,
    email: person.email,
    noFixedAbode: person.noFixedAbode,
    address: hasAddress
      ? { line1: person.addressLine1, line2: person.addressLine2, town: person.town, postcode: person.postcode }
      : null,
    supervisionType: person.supervisionType,
    supervisionStart: person.supervisionStart,
    supervisionEnd: person.supervisionEnd,
    probationPractitionerId: person.probationPractitionerId,
    prisonNumber: person.prisonNumber,
    releaseDate: person.releaseDate,
    siteCode: person.siteCode,
    version: person.version,
    createdAt: person.createdAt.toISOString(),
    updatedAt: person.updatedAt.toISOString(),
  }
}

const str = (value: string | null | undefined) => (value ?? '').trim()

function createToDraft(body: PersonCreate): PersonDraft {
  return {
    crn: str(body.crn),
    nhsNumber: str(body.nhsNumber),
    givenName: str(body.givenName),
    familyName: str(body.familyName),
    preferredName: str(body.preferredName),
    dateOfBirth: apiDateToParts(body.dateOfBirth),
    sex: str(body.sex),
    statedGender: str(body.statedGender),
    genderSameAsBirth: str(body.genderSameAsBirth),
    ethnicCategory: str(body.ethnicCategory),
    disability: str(body.disability),
    neurodivergence: str(body.neurodivergence),
    interpreterNeeded: body.interpreterNeeded ?? false,
    language: str(body.language),
    readingSupport: body.readingSupport ?? false,
    communicationNotes: str(body.communicationNotes),
    phone: str(body.phone),
    email: str(body.email),
    noFixedAbode: body.noFixedAbode ?? false,
    addressLine1: str(body.address?.line1),
    addressLine2: str(body.address?.line2),
    town: str(body.address?.town),
    postcode: str(body.address?.postcode),
    supervisionType: str(body.supervisionType),
    supervisionStart: apiDateToParts(body.supervisionStart),
    supervisionEnd: apiDateToParts(body.supervisionEnd),
    probationPractitionerId: str(body.probationPractitionerId),
    prisonNumber: str(body.prisonNumber),
    releaseDate: apiDateToParts(body.releaseDate),
    siteCode: str(body.siteCode),
  }
}

type TextKey = {
  [K in keyof PersonDraft & keyof PersonPatch]: PersonDraft[K] extends string ? K : never
}[keyof PersonDraft & keyof PersonPatch]
const textKeys = [
  'crn',
  'nhsNumber',
  'givenName',
  'familyName',
  'preferredName',
  'sex',
  'statedGender',
  'genderSameAsBirth',
  'ethnicCategory',
  'disability',
  'neurodivergence',
  'language',
  'communicationNotes',
  'phone',
  'email',
  'supervisionType',
  'probationPractitionerId',
  'prisonNumber',
  'siteCode',
] as const satisfies readonly TextKey[]
const dateKeys = ['dateOfBirth', 'supervisionStart', 'supervisionEnd', 'releaseDate'] as const
const booleanKeys = ['interpreterNeeded', 'readingSupport', 'noFixedAbode'] as const

/** Applies a JSON merge patch to the saved details, giving a draft for the shared rules. */
function applyPatch(current: PersonDetails, patch: PersonPatch): PersonDraft {
  const draft = detailsToDraft(current)
  for (const key of textKeys) {
    const value = patch[key]
    if (value !== undefined) draft[key] = str(value)
  }
  for (const key of dateKeys) {
    const value = patch[key]
    if (value !== undefined) draft[key] = apiDateToParts(value)
  }
  for (const key of booleanKeys) {
    const value = patch[key]
    if (value !== undefined) draft[key] = value ?? false
  }
  if (patch.address === null || (patch.noFixedAbode === true && patch.address === undefined)) {
    // Saying the person has no fixed abode clears the address the record had.
    draft.addressLine1 = draft.addressLine2 = draft.town = draft.postcode = ''
  } else if (patch.address !== undefined) {
    const address = patch.address
    if (address.line1 !== undefined) draft.addressLine1 = str(address.line1)
    if (address.line2 !== undefined) draft.addressLine2 = str(address.line2)
    if (address.town !== undefined) draft.town = str(address.town)
    if (address.postcode !== undefined) draft.postcode = str(address.postcode)
  }
  return draft
}

export function etagFor(version: number): string {
  return `W/"${version}"`
}

/** Domain rule failures keep their field names in the API's terms. */
function rethrowWithApiFields(error: unknown): never {
  if (error instanceof DomainError) throw new DomainError(error.code, apiErrors(error.errors), error.message)
  throw error
}

const problemResponses = { 400: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema }

export function registerPeopleApi(app: FastifyInstance, deps: { people: PeopleService; sites: SitesService }): void {
  const { people, sites } = deps
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const access = { access: personRecordRoles }

  api.get(
    peopleRoutes.apiPeople,
    {
      config: access,
      schema: {
        tags: ['people'],
        summary: 'Search the caseload of your sites',
        querystring: PeopleListQuerySchema,
        response: { 200: PeopleListSchema, ...problemResponses },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request)
      const query = request.query
      let siteIds: readonly string[] = principal.siteIds
      if (query.site !== undefined) {
        const site = await sites.findByCode(query.site)
        if (site === undefined) throw new ForbiddenError('You do not have access to this site.')
        assertSiteAccess(principal, site.id)
        siteIds = [site.id]
      }
      const pageSize = query.pageSize ?? CASELOAD_PAGE_SIZE
      const page = query.page ?? 1
      if (page * pageSize > COUNT_CAP) {
        // As on the caseload page: deep pages are refused rather than read; narrow the search instead.
        throw new ValidationError([
          {
            field: 'page',
            message: `Enter a page no further than the first ${COUNT_CAP.toLocaleString('en-GB')} people (page × pageSize); narrow the search to see others`,
          },
        ])
      }
      const result = await people.listCaseload(
        {
          siteIds,
          q: query.q ?? '',
          supervisionType: query.supervisionType,
          fromCustody: query.fromCustody ?? false,
          mine: query.mine ?? false,
          sort: query.sort ?? 'name',
          order: query.sort === 'recent' ? 'desc' : 'asc',
          page,
          pageSize,
        },
        { principal, requestId: request.id },
      )
      return {
        people: result.people.map(toResource),
        page: result.page,
        pageSize: result.pageSize,
        total: result.total,
        totalIsLowerBound: result.capped,
      }
    },
  )

  api.post(
    peopleRoutes.apiPeople,
    {
      config: access,
      schema: {
        tags: ['people'],
        summary: 'Add a person',
        description:
          'With an Idempotency-Key header, a retry of the same request (same key, same body) adds nobody and is ' +
          'answered 201 with the same Location and ETag and the person as now stored. The same key with a ' +
          'different body is refused with 422. Keys are remembered for 24 hours, per user. Someone at the site ' +
          'with the same name and date of birth is answered 409 (possible-duplicate) unless confirmedNotDuplicate.',
        headers: PersonCreateHeadersSchema,
        body: PersonCreateSchema,
        response: { 201: PersonSchema, ...problemResponses, 409: PossibleDuplicateProblemSchema, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request)
      const checked = validatePerson(createToDraft(request.body), people.validationOptions())
      if (!checked.ok) throw new ValidationError(apiErrors(checked.errors))
      const { person } = await people
        .addPerson(checked.value, { principal, requestId: request.id }, 'api', request.headers['idempotency-key'], {
          confirmedNotDuplicate: request.body.confirmedNotDuplicate === true,
        })
        .catch(rethrowWithApiFields)
      return reply
        .code(201)
        .header('location', peoplePaths.api.person(person.id))
        .header('etag', etagFor(person.version))
        .send(toResource(person))
    },
  )

  api.get(
    peopleRoutes.apiPerson,
    {
      config: access,
      schema: {
        tags: ['people'],
        summary: 'A person’s details (the ETag header carries the version for PATCH)',
        params: PersonParamsSchema,
        response: { 200: PersonSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const person = await people.viewPerson(
        request.params.id,
        { principal: request.principal, requestId: request.id },
        'api',
      )
      return reply.header('etag', etagFor(person.version)).send(toResource(person))
    },
  )

  api.patch(
    peopleRoutes.apiPerson,
    {
      config: access,
      schema: {
        tags: ['people'],
        summary: 'Change a person’s details (JSON merge patch; requires If-Match with the ETag)',
        params: PersonParamsSchema,
        headers: PersonPatchHeadersSchema,
        body: PersonPatchSchema,
        response: {
          200: PersonSchema,
          ...problemResponses,
          412: ProblemSchema,
          422: ProblemSchema,
          428: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const wanted = versionFromIfMatch(request.headers['if-match'], 'GET of this person, like W/"3"')
      const patch = request.body
      const result = await people
        .updatePerson(
          request.params.id,
          wanted,
          (current, today) => {
            // A phone number or email address the patch leaves alone is kept, even one saved before the Notify rules.
            const options = { ...people.validationOptions(today), saved: current }
            const checked = validatePerson(applyPatch(current, patch), options)
            if (!checked.ok) throw new ValidationError(apiErrors(checked.errors))
            return checked.value
          },
          { principal: request.principal, requestId: request.id },
          'api',
        )
        .catch(rethrowWithApiFields)
      if (!result.ok) {
        throw new PreconditionFailedError(
          'This person was changed by someone else since your ETag was issued. GET the person again, then reapply your change.',
        )
      }
      return reply.header('etag', etagFor(result.person.version)).send(toResource(result.person))
    },
  )
}
