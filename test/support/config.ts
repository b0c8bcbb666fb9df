import type { Config } from '../../src/config.ts'
import { DEVELOPMENT_CHECKPOINT_KEY } from '../../src/platform/audit/audit.checkpoints.ts'

/** A config for tests: nothing read from the environment. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return Object.freeze({
    appEnv: 'test',
    port: 0,
    host: '127.0.0.1',
    dataDir: '',
    databaseUrl: undefined,
    sessionSecret: 'test-session-secret-that-is-long-enough-0123456789',
    logLevel: 'silent',
    seedDemoOnStart: false,
    trustProxy: false,
    jobsEnabled: false,
    gitCommit: undefined,
    buildTime: undefined,
    auditCheckpointFile: undefined,
    // The key audit services made directly in tests use too, so their checkpoints and the app's agree.
    auditCheckpointKey: DEVELOPMENT_CHECKPOINT_KEY,
    auditSealIntervalMs: 1000,
    metricsPort: undefined,
    metricsHost: '127.0.0.1',
    metricsToken: undefined,
    // No quiet hours unless a test asks: most tests book at 10:00 and send at once.
    messages: { leadHours: [24], quietHours: null, notify: undefined, callbackToken: undefined },
    ...overrides,
  })
}
