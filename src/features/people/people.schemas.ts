/** TypeBox schemas for the people API: request validation, TypeScript types and the OpenAPI description at once. */
import { Type, type Static } from 'typebox'
import {
  disabilityOptions,
  ethnicCategoryOptions,
  genderSameAsBirthOptions,
  neurodivergenceOptions,
  sexOptions,
  statedGenderOptions,
  supervisionTypeOptions,
  type CodeOption,
} from './people.messages.ts'

export { ProblemSchema } from '../../platform/http/problem.ts'

const nullableString = (description: string, extra: Record<string, unknown> = {}) =>
  Type.Union([Type.String(extra), Type.Null()], { description })

/** A coded field: one of the option list's values (the one vocabulary the forms use too), or null. */
const nullableCode = (options: readonly CodeOption[], description: string) =>
  Type.Union([Type.Enum(options.map((o) => o.value)), Type.Null()], { description })

/** What each code means; the values themselves are the enums below. */
const codes = {
  sex: 'PERSON PHENOTYPIC SEX (NHS Data Dictionary): 1 Male, 2 Female, 9 Indeterminate',
  statedGender:
    'PERSON STATED GENDER CODE: 1 Male (including trans man), 2 Female (including trans woman), 9 Indeterminate, X Not known',
  genderSameAsBirth:
    'Whether the person’s gender is the same as the sex registered at birth: yes, no or prefer-not-to-say',
  ethnicCategory: 'NHS ethnic category code: A–H, J–N, P, R, S; Z not stated; 99 not known',
  disability: 'Whether the person considers themselves disabled: yes, no or prefer-not-to-say',
  neurodivergence: 'diagnosed, suspected, no or prefer-not-to-say',
  supervisionType: 'community-order, suspended-sentence-order, licence, post-sentence-supervision or pre-release',
}

export const AddressSchema = Type.Object(
  {
    line1: nullableString('Address line 1, typically the building and street'),
    line2: Type.Optional(nullableString('Address line 2')),
    town: nullableString('Town or city'),
    postcode: nullableString('UK postcode; stored upper case with one space, e.g. SW1A 1AA'),
  },
  {
    additionalProperties: false,
    description: 'Where the person lives; null when they have no fixed abode or it is not known',
  },
)

/** Fields a client may send. Required ones for creation are listed in PersonCreateSchema. */
const writableFields = {
  crn: Type.String({
    description: 'Probation case reference number (nDelius): a capital letter and 6 digits, e.g. X123456',
  }),
  nhsNumber: nullableString(
    'NHS number, 10 digits (spaces allowed on input), checked with modulus 11; England or Wales only',
    {
      examples: ['9434765919'],
    },
  ),
  givenName: Type.String({ description: 'Given name, 1–100 characters' }),
  familyName: Type.String({ description: 'Family name, 1–100 characters' }),
  preferredName: nullableString('The name the person prefers to be called'),
  dateOfBirth: Type.String({
    description: 'Date of birth, YYYY-MM-DD; the person must be 16 to 120 years old',
    examples: ['1990-04-23'],
  }),
  sex: nullableCode(sexOptions, codes.sex),
  statedGender: nullableCode(statedGenderOptions, codes.statedGender),
  genderSameAsBirth: nullableCode(genderSameAsBirthOptions, codes.genderSameAsBirth),
  ethnicCategory: nullableCode(ethnicCategoryOptions, codes.ethnicCategory),
  disability: nullableCode(disabilityOptions, codes.disability),
  neurodivergence: nullableCode(neurodivergenceOptions, codes.neurodivergence),
  interpreterNeeded: Type.Boolean({
    description: 'Whether the person needs an interpreter (then language is required)',
  }),
  language: nullableString('The language the person needs an interpreter for'),
  readingSupport: Type.Boolean({ description: 'Whether the person needs support with reading' }),
  communicationNotes: nullableString('Other communication needs, up to 2000 characters'),
  phone: nullableString(
    'Mobile phone number for text reminders, checked to GOV.UK Notify’s rules: a UK mobile (07 and 9 more digits; ' +
      '+44, 0044 or 44 in front, spaces, brackets, dashes and dots allowed) stored as 07700900982, or an ' +
      'international number starting + or 00 (8 to 15 digits) stored as +<digits>. Landlines are refused. A value ' +
      'sent back exactly as saved is kept unchecked.',
    { examples: ['07700900982'] },
  ),
  email: nullableString(
    'Email address for reminders, checked to GOV.UK Notify’s rules (up to 320 characters, a domain with a dot and ' +
      'a top-level domain of letters); stored trimmed and in lower case. A value sent back exactly as saved is kept ' +
      'unchecked.',
  ),
  noFixedAbode: Type.Boolean({ description: 'The person has no fixed abode; the address must then be null or empty' }),
  address: Type.Union([AddressSchema, Type.Null()], { description: 'Home address, or null' }),
  supervisionType: nullableCode(supervisionTypeOptions, codes.supervisionType),
  supervisionStart: nullableString('Supervision start date, YYYY-MM-DD'),
  supervisionEnd: nullableString('Supervision end date, YYYY-MM-DD; not before the start date'),
  probationPractitionerId: nullableString('Id of a probation practitioner who works at the person’s site'),
  prisonNumber: nullableString('Prison number (NOMIS), e.g. A1234BC; given with releaseDate when coming from custody'),
  releaseDate: nullableString('Release date from custody, YYYY-MM-DD; given with prisonNumber'),
  siteCode: Type.String({ description: 'Code of the site the person is supervised at; must be one of your sites' }),
}

export const PersonCreateSchema = Type.Object(
  {
    crn: writableFields.crn,
    givenName: writableFields.givenName,
    familyName: writableFields.familyName,
    dateOfBirth: writableFields.dateOfBirth,
    siteCode: writableFields.siteCode,
    nhsNumber: Type.Optional(writableFields.nhsNumber),
    preferredName: Type.Optional(writableFields.preferredName),
    sex: Type.Optional(writableFields.sex),
    statedGender: Type.Optional(writableFields.statedGender),
    genderSameAsBirth: Type.Optional(writableFields.genderSameAsBirth),
    ethnicCategory: Type.Optional(writableFields.ethnicCategory),
    disability: Type.Optional(writableFields.disability),
    neurodivergence: Type.Optional(writableFields.neurodivergence),
    interpreterNeeded: Type.Optional(writableFields.interpreterNeeded),
    language: Type.Optional(writableFields.language),
    readingSupport: Type.Optional(writableFields.readingSupport),
    communicationNotes: Type.Optional(writableFields.communicationNotes),
    phone: Type.Optional(writableFields.phone),
    email: Type.Optional(writableFields.email),
    noFixedAbode: Type.Optional(writableFields.noFixedAbode),
    address: Type.Optional(writableFields.address),
    supervisionType: Type.Optional(writableFields.supervisionType),
    supervisionStart: Type.Optional(writableFields.supervisionStart),
    supervisionEnd: Type.Optional(writableFields.supervisionEnd),
    probationPractitionerId: Type.Optional(writableFields.probationPractitionerId),
    prisonNumber: Type.Optional(writableFields.prisonNumber),
    releaseDate: Type.Optional(writableFields.releaseDate),
    confirmedNotDuplicate: Type.Optional(
      Type.Boolean({
        description:
          'Someone at the site with the same given name, family name (any case) and date of birth makes the ' +
          'request fail with 409 (code possible-duplicate) listing their ids and CRNs. Send true once you have ' +
          'checked they are a different person, to add this one anyway. Default false.',
      }),
    ),
  },
  { additionalProperties: false, description: 'A new person on the caseload' },
)

/** The 409 answer to adding a person who may already be on the caseload. */
export const PossibleDuplicateProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.Literal('possible-duplicate'),
    matches: Type.Array(
      Type.Object({
        id: Type.String({ description: 'Id of a person at the site with the same name and date of birth' }),
        crn: Type.String(),
      }),
    ),
  },
  {
    description:
      'Someone at the site has the same name and date of birth (application/problem+json). Check the matches; ' +
      'resend with confirmedNotDuplicate: true to add a different person anyway.',
  },
)
export type PersonCreate = Static<typeof PersonCreateSchema>

/**
 * JSON merge patch (RFC 7396): fields present are set, null clears an optional field, absent fields are kept.
 * Required fields (crn, names, dateOfBirth, siteCode) cannot be cleared.
 */
export const PersonPatchSchema = Type.Object(
  {
    crn: Type.Optional(Type.Union([writableFields.crn, Type.Null()])),
    givenName: Type.Optional(Type.Union([writableFields.givenName, Type.Null()])),
    familyName: Type.Optional(Type.Union([writableFields.familyName, Type.Null()])),
    dateOfBirth: Type.Optional(Type.Union([writableFields.dateOfBirth, Type.Null()])),
    siteCode: Type.Optional(Type.Union([writableFields.siteCode, Type.Null()])),
    nhsNumber: Type.Optional(writableFields.nhsNumber),
    preferredName: Type.Optional(writableFields.preferredName),
    sex: Type.Optional(writableFields.sex),
    statedGender: Type.Optional(writableFields.statedGender),
    genderSameAsBirth: Type.Optional(writableFields.genderSameAsBirth),
    ethnicCategory: Type.Optional(writableFields.ethnicCategory),
    disability: Type.Optional(writableFields.disability),
    neurodivergence: Type.Optional(writableFields.neurodivergence),
    interpreterNeeded: Type.Optional(Type.Union([writableFields.interpreterNeeded, Type.Null()])),
    language: Type.Optional(writableFields.language),
    readingSupport: Type.Optional(Type.Union([writableFields.readingSupport, Type.Null()])),
    communicationNotes: Type.Optional(writableFields.communicationNotes),
    phone: Type.Optional(writableFields.phone),
    email: Type.Optional(writableFields.email),
    noFixedAbode: Type.Optional(Type.Union([writableFields.noFixedAbode, Type.Null()])),
    address: Type.Optional(
      Type.Union([
        Type.Object(
          {
            line1: Type.Optional(nullableString('Address line 1')),
            line2: Type.Optional(nullableString('Address line 2')),
            town: Type.Optional(nullableString('Town or city')),
            postcode: Type.Optional(nullableString('UK postcode')),
          },
          { additionalProperties: false },
        ),
        Type.Null(),
      ]),
    ),
    supervisionType: Type.Optional(writableFields.supervisionType),
    supervisionStart: Type.Optional(writableFields.supervisionStart),
    supervisionEnd: Type.Optional(writableFields.supervisionEnd),
    probationPractitionerId: Type.Optional(writableFields.probationPractitionerId),
    prisonNumber: Type.Optional(writableFields.prisonNumber),
    releaseDate: Type.Optional(writableFields.releaseDate),
  },
  {
    additionalProperties: false,
    description: 'A JSON merge patch of a person (application/merge-patch+json or application/json)',
  },
)
export type PersonPatch = Static<typeof PersonPatchSchema>

export const PersonSchema = Type.Object(
  {
    id: Type.String({ description: 'The person’s id in this service (UUID)' }),
    ...writableFields,
    nhsNumber: nullableString('NHS number, 10 digits without spaces'),
    address: Type.Union([AddressSchema, Type.Null()], { description: 'Home address, or null' }),
    version: Type.Integer({ description: 'Increases by one with every change; the ETag is W/"<version>"' }),
    createdAt: Type.String({ description: 'When the person was added (ISO 8601, UTC)' }),
    updatedAt: Type.String({ description: 'When the person was last changed (ISO 8601, UTC)' }),
  },
  { description: 'A person on probation supported by the hub' },
)
export type PersonResource = Static<typeof PersonSchema>

export const PersonParamsSchema = Type.Object({ id: Type.String({ description: 'The person’s id (UUID)' }) })

export const PeopleListQuerySchema = Type.Object(
  {
    site: Type.Optional(Type.String({ description: 'A site code; without it, all your sites' })),
    q: Type.Optional(
      Type.String({ description: 'A CRN, an NHS number or the start of a given or family name', maxLength: 100 }),
    ),
    supervisionType: Type.Optional(
      Type.Enum(
        supervisionTypeOptions.map((o) => o.value),
        { description: codes.supervisionType },
      ),
    ),
    fromCustody: Type.Optional(Type.Boolean({ description: 'Only people with a prison number or release date' })),
    mine: Type.Optional(Type.Boolean({ description: 'Only people whose probation practitioner is you' })),
    sort: Type.Optional(
      Type.Union(
        [
          Type.Literal('name'),
          Type.Literal('crn'),
          Type.Literal('dateOfBirth'),
          Type.Literal('releaseDate'),
          Type.Literal('recent'),
        ],
        {
          description: 'Sort order: name (default), crn, dateOfBirth, releaseDate or recent (recently added first)',
        },
      ),
    ),
    page: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 10_000,
        description: 'Page number, from 1; page × pageSize may not exceed 10,000 (narrow the search instead)',
      }),
    ),
    pageSize: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100, description: 'People per page, 1–100 (default 25)' }),
    ),
  },
  { additionalProperties: false },
)
export type PeopleListQuery = Static<typeof PeopleListQuerySchema>

export const PeopleListSchema = Type.Object({
  people: Type.Array(PersonSchema),
  page: Type.Integer({ description: 'This page number' }),
  pageSize: Type.Integer({ description: 'People per page' }),
  total: Type.Integer({ description: 'How many people match, counted up to 10,000' }),
  totalIsLowerBound: Type.Boolean({ description: 'True when more than 10,000 people match (total is then 10,001)' }),
})

export const PersonPatchHeadersSchema = Type.Object({
  'if-match': Type.Optional(
    Type.String({
      description:
        'Required: the ETag from your last GET of the person, e.g. W/"3". A wildcard (*) is refused with 428.',
    }),
  ),
})

export const PersonCreateHeadersSchema = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description:
        'Optional: a key you choose for this request (a UUID is best). Retrying with the same key and body adds ' +
        'nobody and returns the person the first request added (201, same Location); the same key with a ' +
        'different body is refused with 422.',
    }),
  ),
})
