import type { FastifyInstance } from 'fastify'
import { actorOf } from '../../platform/http/auth.ts'
import { messages } from './summary.messages.ts'
import { summaryPaths, summaryRoutes } from './summary.paths.ts'
import { summaryReaderRoles, type SummaryService } from './summary.service.ts'
import { notSharedText, summarySections } from './summary.view-models.ts'
import { fullName } from '../../platform/views/person-header.ts'

export interface SummaryPagesDeps {
  summary: SummaryService
}

export function registerSummaryPages(app: FastifyInstance, deps: SummaryPagesDeps): void {
  const { summary } = deps

  /**
   * Probation: the summary while the person agrees, otherwise only their name and what to do. The health team: the
   * same, as a preview of what probation sees, with the summary shown either way and marked when it is not shared.
   */
  app.get(summaryRoutes.summary, { config: { access: summaryReaderRoles } }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const view = await summary.viewSummary(id, actorOf(request), 'page')
    const { person, sharing, viewer } = view
    const name = fullName(person)
    const heading = viewer === 'probation' ? 'Health summary' : 'What probation sees'
    return reply.view('summary/views/summary.njk', {
      pageTitle: `${heading} – ${name}`,
      heading,
      person,
      name,
      isProbation: viewer === 'probation',
      shared: sharing.shared,
      notShared: sharing.shared ? undefined : notSharedText(sharing, name),
      whatToDo: messages.whatToDo,
      sections: view.summary === undefined ? undefined : summarySections(view.summary),
      personHref: summaryPaths.person(person.id),
      consentHref: summaryPaths.consent(person.id),
    })
  })
}
