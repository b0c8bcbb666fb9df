/** TypeBox schemas for the service directory API: request validation, TypeScript types and OpenAPI at once. */
import { Type, type Static } from 'typebox'
import { serviceKinds } from './services.messages.ts'

export { ProblemSchema } from '../../platform/http/problem.ts'

const kindDescription = `The kind of service: ${serviceKinds.join(', ')}`
const nullableText = (description: string, maxLength: number) =>
  Type.Optional(Type.Union([Type.String({ maxLength }), Type.Null()], { description }))

export const ServiceCreateSchema = Type.Object(
  {
    siteCode: Type.String({ description: 'The code of the site whose directory the service joins', minLength: 1 }),
    kind: Type.String({ description: kindDescription }),
    name: Type.String({ description: 'The service’s name', maxLength: 400 }),
    odsCode: nullableText(
      'Organisation Data Service code; required for gp-practice. 3 to 10 letters and digits (lenient: the exact ' +
        'format rule is unverified; GP practice codes seen are like A81001)',
      40,
    ),
    organisationCode: nullableText('The code of the partner organisation that receives referrals', 100),
    address: nullableText('Postal address, lines separated by new lines', 1000),
    phone: nullableText('Phone number', 100),
    email: nullableText('Email address for referrals or enquiries', 500),
    website: nullableText('Website, starting with https://', 1000),
    referralMethod: nullableText('How to refer someone', 2000),
    notes: nullableText('Notes for staff (no personal data)', 4000),
  },
  { additionalProperties: false, description: 'A new entry for a site’s service directory' },
)
export type ServiceCreate = Static<typeof ServiceCreateSchema>

export const ServiceSchema = Type.Object(
  {
    id: Type.String({ description: 'The entry’s id (UUID)' }),
    siteCode: Type.String(),
    kind: Type.String({ description: kindDescription }),
    name: Type.String(),
    odsCode: Type.Union([Type.String(), Type.Null()]),
    organisationCode: Type.Union([Type.String(), Type.Null()]),
    address: Type.Union([Type.String(), Type.Null()]),
    phone: Type.Union([Type.String(), Type.Null()]),
    email: Type.Union([Type.String(), Type.Null()]),
    website: Type.Union([Type.String(), Type.Null()]),
    referralMethod: Type.Union([Type.String(), Type.Null()]),
    notes: Type.Union([Type.String(), Type.Null()]),
    active: Type.Boolean({ description: 'False once a hub manager has taken it off the directory' }),
    version: Type.Integer(),
    updatedAt: Type.String({ description: 'ISO 8601, UTC' }),
  },
  { description: 'An entry in a site’s service directory' },
)
export type ServiceResource = Static<typeof ServiceSchema>

export const ServiceListSchema = Type.Object({
  siteCode: Type.String(),
  items: Type.Array(ServiceSchema, { description: 'Available services, by kind then name' }),
})
export type ServiceList = Static<typeof ServiceListSchema>

export const ServiceListQuerySchema = Type.Object(
  {
    site: Type.String({ description: 'The site code (one of yours)', minLength: 1 }),
    kind: Type.Optional(Type.String({ description: `Only this kind: ${serviceKinds.join(', ')}` })),
    includeInactive: Type.Optional(Type.Boolean({ description: 'Include entries no longer available' })),
  },
  { additionalProperties: false },
)

export const ServiceCreateHeadersSchema = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'Optional: a retry with the same key and body creates nothing and returns the first entry',
    }),
  ),
})
