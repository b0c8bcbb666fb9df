import type { Config } from '../../src/config.ts'

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
    ...overrides,
  })
}
