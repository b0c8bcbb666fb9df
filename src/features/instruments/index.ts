/** Screening instruments: versioned definitions, exact scoring, and licence permissions. */
import type { FastifyPluginAsync } from 'fastify'
import type { Feature, WebOptions } from '../../platform/feature.ts'
import { registerInstrumentsApi } from './instruments.api.ts'
import { registerInstrumentPages } from './instruments.pages.ts'
import type { InstrumentsService } from './instruments.service.ts'
import * as instruments from './migrations/0005-instruments.ts'

export { createInstrumentsService, type InstrumentsService, type StaffMember } from './instruments.service.ts'
export { licenceLabel, permissionReferenceProblem } from './instruments.messages.ts'
export { loadInstrumentLibrary, type InstrumentLibrary } from './instruments.library.ts'
export { PREFER_NOT_TO_SAY, type InstrumentDefinition, type Item, type ScoreResult } from './instruments.schemas.ts'
export { AnswerCodeError, maxScore, score, type Answers } from './instruments.scoring.ts'

export interface InstrumentsPluginOptions {
  services: { instruments: InstrumentsService }
  web: WebOptions
}

/** JSON under /api/v1/instruments; the administrators' licence-permission pages under /admin/instruments. */
const plugin: FastifyPluginAsync<InstrumentsPluginOptions> = async (app, { services, web }) => {
  registerInstrumentsApi(app, { instruments: services.instruments })
  registerInstrumentPages(app, { instruments: services.instruments, flashCookie: web.flashCookie })
}

export const instrumentsFeature: Feature<InstrumentsPluginOptions> = {
  name: 'instruments',
  migrations: [instruments],
  plugin,
}
