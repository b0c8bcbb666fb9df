/** Screening instruments: versioned definitions, exact scoring, and licence permissions. */
import type { FastifyPluginAsync } from 'fastify'
import type { Feature } from '../../platform/feature.ts'
import { registerInstrumentsApi } from './instruments.api.ts'
import type { InstrumentsService } from './instruments.service.ts'
import * as instruments from './migrations/0005-instruments.ts'

export { createInstrumentsService, type InstrumentsService } from './instruments.service.ts'
export { loadInstrumentLibrary, type InstrumentLibrary } from './instruments.library.ts'
export { PREFER_NOT_TO_SAY, type InstrumentDefinition, type Item, type ScoreResult } from './instruments.schemas.ts'
export { AnswerCodeError, maxScore, score, type Answers } from './instruments.scoring.ts'

export interface InstrumentsPluginOptions {
  services: { instruments: InstrumentsService }
}

/** JSON under /api/v1/instruments. */
const plugin: FastifyPluginAsync<InstrumentsPluginOptions> = async (app, { services }) => {
  registerInstrumentsApi(app, { instruments: services.instruments })
}

export const instrumentsFeature: Feature<InstrumentsPluginOptions> = {
  name: 'instruments',
  migrations: [instruments],
  plugin,
}
