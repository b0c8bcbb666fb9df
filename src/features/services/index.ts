/** The service directory per site (GP practices, treatment and support services), kept by hub managers. */
import type { FastifyPluginAsync } from 'fastify'
import type { Feature, WebOptions } from '../../platform/feature.ts'
import * as directoryAndGp from './migrations/0009-directory-and-gp.ts'
import * as careAfterCustody from './migrations/0028-care-after-custody-services.ts'
import { registerServicesApi } from './services.api.ts'
import { registerServicesPages } from './services.pages.ts'
import type { ServicesService } from './services.service.ts'

export { createServicesService, type DirectoryService, type ServicesService } from './services.service.ts'
export { kindText } from './services.messages.ts'
export { serviceKinds, type ServiceKind, type ServiceTable } from './services.tables.ts'

export interface ServicesPluginOptions {
  services: { directory: ServicesService }
  web: WebOptions
}

/** Pages under /services; JSON at /api/v1/services. */
const plugin: FastifyPluginAsync<ServicesPluginOptions> = async (app, { services, web }) => {
  registerServicesPages(app, { services: services.directory, flashCookie: web.flashCookie })
  await app.register(async (scope) => {
    registerServicesApi(scope, { services: services.directory })
  })
}

export const servicesFeature: Feature<ServicesPluginOptions> = {
  name: 'services',
  migrations: [directoryAndGp, careAfterCustody],
  plugin,
}
