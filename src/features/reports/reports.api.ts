import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { actorOf } from '../../platform/http/auth.ts'
import { ProblemSchema } from '../../platform/http/problem.ts'
import { reportsRoutes } from './reports.paths.ts'
import { reportReaderRoles, type ReportsService } from './reports.service.ts'

const nullableCount = (description: string) =>
  Type.Union([Type.Integer(), Type.Null()], { description: `${description}; null where suppressed` })

const ContinuityQuerySchema = Type.Object({
  site: Type.Optional(Type.String({ maxLength: 100, description: 'A site code; leave out for all sites (national)' })),
  from: Type.String({ maxLength: 40, description: 'The first release date counted, YYYY-MM-DD' }),
  to: Type.String({ maxLength: 40, description: 'The last release date counted, YYYY-MM-DD' }),
})

const ContinuitySchema = Type.Object({
  site: Type.Union([Type.String(), Type.Null()], { description: 'The site code, or null for all sites' }),
  from: Type.String(),
  to: Type.String(),
  released: nullableCount('People released in the period (each release once)'),
  withTreatmentNeed: nullableCount('Of them, released with a confirmed drug or alcohol treatment need'),
  engagedWithin21Days: nullableCount('Of them, at a first community treatment appointment within 21 days'),
  rate: Type.Union([Type.Number(), Type.Null()], {
    description: 'engagedWithin21Days over withTreatmentNeed, from unrounded counts (0 to 1); null where suppressed',
  }),
  suppressed: Type.Boolean({ description: 'A figure was hidden: a count of 1 to 7' }),
})

export function registerReportsApi(app: FastifyInstance, deps: { reports: ReportsService }): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  api.get(
    reportsRoutes.apiContinuity,
    {
      config: { access: reportReaderRoles },
      schema: {
        tags: ['reports'],
        summary: 'Continuity of care after release from prison, for a site or all sites',
        description:
          'Of the people released in the period with a drug or alcohol treatment need, how many were at a first ' +
          'community treatment appointment within 21 days. For a site and for all sites together, counts of 1 to 7 are suppressed ' +
          '(null) and other counts rounded to the nearest 5; the rate is from unrounded counts and suppressed with ' +
          'them. Analysts may ask for any site, hub managers for their own.',
        querystring: ContinuityQuerySchema,
        response: { 200: ContinuitySchema, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (request) => {
      const report = await deps.reports.continuityOfCare(actorOf(request), request.query, 'api')
      return {
        site: report.site?.code ?? null,
        from: report.from,
        to: report.to,
        released: report.released,
        withTreatmentNeed: report.withTreatmentNeed,
        engagedWithin21Days: report.engagedWithin21Days,
        rate: report.rate,
        suppressed: report.suppressed,
      }
    },
  )
}
