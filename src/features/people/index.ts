/**
 * The caseload and the person record. Other features read a person through `PersonRecords` (the people service's
 * findRecord, loadRecord and lockRecord), inside their own transaction.
 */
import type { FastifyPluginAsync } from 'fastify'
import type { Feature, WebOptions } from '../../platform/feature.ts'
import type { SitesService } from '../sites/index.ts'
import * as people from './migrations/0002-people.ts'
import * as peopleIndexes from './migrations/0004-people-indexes.ts'
import { registerPeopleApi } from './people.api.ts'
import { registerPeoplePages } from './people.pages.ts'
import type { PeopleService } from './people.service.ts'

export {
  createPeopleService,
  type ContactEvents,
  type PeopleService,
  type PersonRecord,
  type PersonRecords,
} from './people.service.ts'
export { peoplePaths } from './people.paths.ts'
export { nhsNumberProblem, normaliseNhsNumber, type NhsNumberProblem } from './nhs-number.ts'
export { CRN_PATTERN, PRISON_NUMBER_PATTERN } from './people.validation.ts'
export type { PersonRow, PersonTable } from './people.tables.ts'

export interface PeoplePluginOptions {
  services: { people: PeopleService; sites: SitesService }
  web: WebOptions
}

/** Pages under /caseload and /people; JSON under /api/v1/people. */
const plugin: FastifyPluginAsync<PeoplePluginOptions> = async (app, { services, web }) => {
  registerPeoplePages(app, { people: services.people, flashCookie: web.flashCookie, now: web.now })
  // The merge-patch content type is understood by this feature's routes only (the plugin is its own scope).
  app.addContentTypeParser(
    'application/merge-patch+json',
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  )
  registerPeopleApi(app, { people: services.people, sites: services.sites })
}

export const peopleFeature: Feature<PeoplePluginOptions> = {
  name: 'people',
  migrations: [people, peopleIndexes],
  plugin,
}
