/** The service's own information pages: accessibility statement, privacy notice, and the analyst's reporting page. */
import type { FastifyPluginAsync } from 'fastify'
import type { Feature, WebOptions } from '../../platform/feature.ts'
import { registerInfoPages } from './info.pages.ts'

/** The pages need nothing but the views every plugin has. */
export interface InfoPluginOptions {
  web: WebOptions
}

const plugin: FastifyPluginAsync<InfoPluginOptions> = async (app) => {
  registerInfoPages(app)
}

export const infoFeature: Feature<InfoPluginOptions> = { name: 'info', migrations: [], plugin }
