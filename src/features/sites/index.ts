/** Sites (probation offices with a health hub) and partner organisations: the places every record belongs to. */
import type { FastifyPluginAsync } from 'fastify'
import type { Feature } from '../../platform/feature.ts'
import { registerSitesApi } from './sites.api.ts'
import type { SitesService } from './sites.service.ts'

import * as siteContact from './migrations/0024-site-contact.ts'

export {
  createSitesService,
  type NewSite,
  type Organisation,
  type Site,
  type SiteContact,
  type SiteContactDetails,
  type SiteContactInput,
  type SitesService,
  type SiteWithContact,
} from './sites.service.ts'
export { normaliseUkPhone, oneLineAddress, SITE_CODE_PATTERN } from './sites.validation.ts'
export type { OrganisationTable, SiteRow, SiteTable } from './sites.tables.ts'

export interface SitesPluginOptions {
  services: { sites: SitesService }
}

/** JSON at /api/v1/sites. */
const plugin: FastifyPluginAsync<SitesPluginOptions> = async (app, { services }) => {
  registerSitesApi(app, { sites: services.sites })
}

export const sitesFeature: Feature<SitesPluginOptions> = { name: 'sites', migrations: [siteContact], plugin }
