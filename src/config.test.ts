import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ConfigError, DEVELOPMENT_SESSION_SECRET, loadConfig } from './config.ts'

test('defaults to a local install on port 3000 with the embedded database under ./data', () => {
  const config = loadConfig({}, '/srv/hub')
  assert.equal(config.appEnv, 'local')
  assert.equal(config.port, 3000)
  assert.equal(config.dataDir, '/srv/hub/data')
  assert.equal(config.databaseUrl, undefined)
  assert.equal(config.seedDemoOnStart, true)
  assert.ok(Object.isFrozen(config))
})

test('lists every problem at once rather than stopping at the first', () => {
  assert.throws(
    () => loadConfig({ APP_ENV: 'production', PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError)
      assert.deepEqual(error.problems, [
        'PORT must be a whole number from 0 to 65535 (it is "eighty")',
        'DATABASE_URL must start with postgres:// or postgresql://',
        'SESSION_SECRET is required when APP_ENV is production',
        'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (it is "loud")',
      ])
      return true
    },
  )
})

test('refuses the development session secret and demo seeding in production', () => {
  assert.throws(
    () => loadConfig({ APP_ENV: 'production', SESSION_SECRET: DEVELOPMENT_SESSION_SECRET, SEED_DEMO: 'true' }),
    (error: unknown) =>
      error instanceof ConfigError &&
      error.problems.includes('SESSION_SECRET must not be the development default in production') &&
      error.problems.some((p) => p.startsWith('SEED_DEMO cannot be true in production')),
  )
})

test('refuses a short session secret and an unknown APP_ENV', () => {
  assert.throws(
    () => loadConfig({ APP_ENV: 'staging', SESSION_SECRET: 'short' }),
    (error: unknown) =>
      error instanceof ConfigError &&
      error.problems.includes('APP_ENV must be one of local, test, production (it is "staging")') &&
      error.problems.includes('SESSION_SECRET must be at least 32 characters long'),
  )
})

test('accepts a production configuration with a server database and a real secret', () => {
  const config = loadConfig({
    APP_ENV: 'production',
    SESSION_SECRET: 'x'.repeat(48),
    DATABASE_URL: 'postgres://hub@db.internal:5432/hub',
    PORT: '8080',
    HOST: '0.0.0.0',
  })
  assert.equal(config.seedDemoOnStart, false)
  assert.equal(config.databaseUrl, 'postgres://hub@db.internal:5432/hub')
  assert.equal(config.port, 8080)
})

test('trusts forwarded addresses only from a stated number of proxies, never from everyone', () => {
  assert.equal(loadConfig({}).trustProxy, false)
  assert.equal(loadConfig({ TRUST_PROXY: '1' }).trustProxy, 1)
  assert.throws(
    () => loadConfig({ TRUST_PROXY: 'true' }),
    (error: unknown) =>
      error instanceof ConfigError && /TRUST_PROXY must be the number of proxies/.test(error.problems[0] ?? ''),
  )
})

test('runs background jobs by default, except under test, and either can be switched', () => {
  assert.equal(loadConfig({}).jobsEnabled, true)
  assert.equal(loadConfig({ APP_ENV: 'test' }).jobsEnabled, false)
  assert.equal(loadConfig({ JOBS_ENABLED: 'false' }).jobsEnabled, false)
  assert.equal(loadConfig({ APP_ENV: 'test', JOBS_ENABLED: 'true' }).jobsEnabled, true)
  assert.throws(
    () => loadConfig({ JOBS_ENABLED: 'sometimes' }),
    (error: unknown) =>
      error instanceof ConfigError && error.problems.includes('JOBS_ENABLED must be true or false (it is "sometimes")'),
  )
})

test('reads the build commit and time when given, and refuses ones that are not', () => {
  const unset = loadConfig({})
  assert.equal(unset.gitCommit, undefined)
  assert.equal(unset.buildTime, undefined)
  const config = loadConfig({ GIT_COMMIT: '3F2A9C1D', BUILD_TIME: '2026-11-20T10:00:00Z' })
  assert.equal(config.gitCommit, '3f2a9c1d')
  assert.equal(config.buildTime, '2026-11-20T10:00:00Z')
  assert.throws(
    () => loadConfig({ GIT_COMMIT: 'main', BUILD_TIME: 'yesterday' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError)
      assert.deepEqual(error.problems, [
        'GIT_COMMIT must be a git commit hash, like 3f2a9c1 (it is "main")',
        'BUILD_TIME must be a date and time in ISO 8601, like 2026-11-20T10:00:00Z (it is "yesterday")',
      ])
      return true
    },
  )
})

test('keeps audit checkpoints in a file beside the data by default (none under test), with a key and interval that can be set', () => {
  const local = loadConfig({}, '/srv/hub')
  assert.equal(local.auditCheckpointFile, '/srv/hub/data/audit-checkpoints.jsonl')
  assert.equal(local.auditCheckpointKey, undefined)
  assert.equal(local.auditSealIntervalMs, 1000)
  assert.equal(loadConfig({ APP_ENV: 'test' }).auditCheckpointFile, undefined)
  const set = loadConfig(
    {
      AUDIT_CHECKPOINT_FILE: '/var/audit/hub.jsonl',
      AUDIT_CHECKPOINT_KEY: 'k'.repeat(32),
      AUDIT_SEAL_INTERVAL_MS: '250',
    },
    '/srv/hub',
  )
  assert.equal(set.auditCheckpointFile, '/var/audit/hub.jsonl')
  assert.equal(set.auditCheckpointKey, 'k'.repeat(32))
  assert.equal(set.auditSealIntervalMs, 250)
  assert.throws(
    () => loadConfig({ AUDIT_CHECKPOINT_KEY: 'short', AUDIT_SEAL_INTERVAL_MS: '5' }),
    (error: unknown) =>
      error instanceof ConfigError &&
      error.problems.includes('AUDIT_CHECKPOINT_KEY must be at least 32 characters long') &&
      error.problems.includes(
        'AUDIT_SEAL_INTERVAL_MS must be a whole number of milliseconds from 100 to 60000 (it is "5")',
      ),
  )
})

const NOTIFY_KEY = 'hub_live-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0'
const template = (n: number) => `${String(n).repeat(8)}-1111-4111-8111-111111111111`
const allTemplates = {
  NOTIFY_TEMPLATE_REMINDER_SMS: template(1),
  NOTIFY_TEMPLATE_REMINDER_EMAIL: template(2),
  NOTIFY_TEMPLATE_CANCELLED_SMS: template(3),
  NOTIFY_TEMPLATE_CANCELLED_EMAIL: template(4),
  NOTIFY_TEMPLATE_MISSED_SMS: template(5),
  NOTIFY_TEMPLATE_MISSED_EMAIL: template(6),
}

test('messages: reminders 24 hours before, quiet 21:00 to 08:00, and nothing sent without a Notify key', () => {
  const { messages } = loadConfig({})
  assert.deepEqual(messages.leadHours, [24])
  assert.deepEqual(messages.quietHours, { start: { hour: 21, minute: 0 }, end: { hour: 8, minute: 0 } })
  assert.equal(messages.notify, undefined)
  assert.equal(messages.callbackToken, undefined)
  assert.equal(loadConfig({ REMINDER_QUIET_HOURS: '' }).messages.quietHours, null, 'empty turns quiet hours off')
  assert.deepEqual(loadConfig({ REMINDER_LEAD_HOURS: '2, 48' }).messages.leadHours, [48, 2])
})

test('messages: a Notify key needs all six template ids; bad settings are each named', () => {
  const config = loadConfig({ NOTIFY_API_KEY: NOTIFY_KEY, NOTIFY_CALLBACK_TOKEN: 't'.repeat(32), ...allTemplates })
  assert.equal(config.messages.notify?.apiKey, NOTIFY_KEY)
  assert.equal(config.messages.notify.templates.missed.email, template(6))
  assert.equal(config.messages.callbackToken, 't'.repeat(32))
  assert.throws(
    () =>
      loadConfig({
        NOTIFY_API_KEY: 'not-a-key',
        NOTIFY_BASE_URL: 'ftp://x',
        NOTIFY_CALLBACK_TOKEN: 'short',
        REMINDER_LEAD_HOURS: '0',
        REMINDER_QUIET_HOURS: '25:00-08:00',
        ...allTemplates,
        NOTIFY_TEMPLATE_MISSED_EMAIL: 'x',
        NOTIFY_TEMPLATE_MISSED_SMS: '',
      }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError)
      const problems = error.problems.join('\n')
      for (const name of [
        'REMINDER_LEAD_HOURS',
        'REMINDER_QUIET_HOURS',
        'NOTIFY_API_KEY must be',
        'NOTIFY_BASE_URL',
        'NOTIFY_TEMPLATE_MISSED_SMS is required',
        'NOTIFY_TEMPLATE_MISSED_EMAIL must be',
        'NOTIFY_CALLBACK_TOKEN',
      ]) {
        assert.ok(problems.includes(name), `${name} is named in:\n${problems}`)
      }
      return true
    },
  )
})
