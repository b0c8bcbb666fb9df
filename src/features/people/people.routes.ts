import type { FastifyInstance } from 'fastify'
import type { FeatureDeps } from '../index.ts'
import { registerPeopleApi } from './people.api.ts'
import { registerPeoplePages } from './people.pages.ts'
import { createPeopleService } from './people.service.ts'

/** The caseload and person record: pages under /caseload and /people, JSON under /api/v1/people. */
export async function registerPeople(app: FastifyInstance, deps: FeatureDeps): Promise<void> {
  const people = createPeopleService({
    db: deps.database.db,
    clock: deps.clock,
    audit: deps.audit,
    sites: deps.sites,
    refuseTestNhsNumbers: deps.config.appEnv === 'production',
  })
  registerPeoplePages(app, { people, flashCookie: deps.cookieNames.flash })
  // In its own scope so the merge-patch content type is understood by these routes only.
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/merge-patch+json',
      { parseAs: 'string' },
      scope.getDefaultJsonParser('error', 'error'),
    )
    registerPeopleApi(scope, { people, sites: deps.sites })
  })
}
