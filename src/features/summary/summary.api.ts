import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { actorOf } from '../../platform/http/auth.ts'
import { AppError } from '../../platform/http/errors.ts'
import { messages } from './summary.messages.ts'
import { summaryRoutes } from './summary.paths.ts'
import { ProblemSchema, SummaryParamsSchema, SummarySchema, type SummaryResource } from './summary.schemas.ts'
import { summaryReaderRoles, type HealthSummary, type SummaryService } from './summary.service.ts'

/** 403 with its own problem type (…/problems/consent-required), so a client can tell it from a role or site refusal. */
export class ConsentRequiredError extends AppError {
  readonly status = 403
  readonly title = messages.consentRequiredTitle
}

export function toResource(personId: string, sharedWithProbation: boolean, summary: HealthSummary): SummaryResource {
  return { personId, sharedWithProbation, ...summary }
}

const problemResponses = { 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema }

export function registerSummaryApi(app: FastifyInstance, deps: { summary: SummaryService }): void {
  const { summary } = deps
  const api = app.withTypeProvider<TypeBoxTypeProvider>()

  api.get(
    summaryRoutes.apiSummary,
    {
      config: { access: summaryReaderRoles },
      schema: {
        tags: ['health-summary'],
        summary: 'The non-clinical health summary probation may see, while the person agrees',
        description:
          'Needs in plain words, referrals sent and whether the first appointment was kept, hub appointments ' +
          'kept and missed in the last six months, and GP registration. A probation practitioner gets it only ' +
          'while the person’s consent to share a health summary with probation is given; otherwise 403 with type ' +
          '…/problems/consent-required and no summary. Clinicians and hub managers always get it, with ' +
          'sharedWithProbation saying whether probation can see it. Every call is audited.',
        params: SummaryParamsSchema,
        response: { 200: SummarySchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const view = await summary.viewSummary(request.params.id, actorOf(request), 'api')
      if (view.summary === undefined) throw new ConsentRequiredError(messages.consentRequiredDetail)
      return reply.send(toResource(view.person.id, view.sharing.shared, view.summary))
    },
  )
}
