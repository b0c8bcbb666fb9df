import type { FastifyInstance } from 'fastify'
import type { FeatureDeps } from '../index.ts'

export async function registerPeople(_app: FastifyInstance, _deps: FeatureDeps): Promise<void> {
  // Routes are added as the feature lands.
}
