import { Type } from 'typebox'

/** The one error body every API route documents: RFC 9457 problem details, with invalid fields named. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.Optional(Type.String({ description: 'A stable code for a broken rule, e.g. crn-taken' })),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          field: Type.String({ description: 'The field, e.g. nhsNumber, address.postcode or decisions[0].topic' }),
          message: Type.String({ description: 'What to fix' }),
        }),
      ),
    ),
  },
  { description: 'An RFC 9457 problem (application/problem+json)' },
)
