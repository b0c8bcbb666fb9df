import type { FastifyInstance } from 'fastify'
import type { FeatureDeps } from '../index.ts'
import { registerInstrumentsApi } from './instruments.api.ts'
import { loadInstrumentLibrary } from './instruments.library.ts'
import { createInstrumentsService } from './instruments.service.ts'

/** The screening instrument library (definitions as data), scoring and licence permissions: JSON under /api/v1/instruments. */
export function registerInstruments(app: FastifyInstance, deps: FeatureDeps): void {
  const library = loadInstrumentLibrary()
  const instruments = createInstrumentsService({ db: deps.database.db, clock: deps.clock, audit: deps.audit, library })
  registerInstrumentsApi(app, { instruments })
}
