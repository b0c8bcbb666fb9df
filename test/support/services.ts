import type { Clock } from '../../src/platform/clock.ts'
import type { Database } from '../../src/platform/db/database.ts'
import { TEST_PASSWORD_COST } from '../../src/features/staff/index.ts'
import { createServices, type Services } from '../../src/services.ts'
import { testConfig } from './config.ts'

/** Every service, wired as the app wires them (src/services.ts), for a test that calls services directly. */
export function buildTestServices(database: Database, clock: Clock): Services {
  return createServices({ config: testConfig(), database, clock, passwordCost: TEST_PASSWORD_COST })
}
