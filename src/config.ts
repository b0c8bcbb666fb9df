import path from 'node:path'
import { parseLeadHours, parseQuietHours, type QuietHours } from './features/messages/index.ts'

export const appEnvironments = ['local', 'test', 'production'] as const
export type AppEnv = (typeof appEnvironments)[number]

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof logLevels)[number]

/** The development-only session secret. Production refuses it, so it cannot leak into a live install. */
export const DEVELOPMENT_SESSION_SECRET = 'local-development-secret-do-not-use-in-production'

export interface Config {
  readonly appEnv: AppEnv
  readonly port: number
  readonly host: string
  /** Folder for the embedded (PGlite) database. Unused when databaseUrl is set. */
  readonly dataDir: string
  /** A PostgreSQL server; when set, PGlite is not used. */
  readonly databaseUrl: string | undefined
  readonly sessionSecret: string
  readonly logLevel: LogLevel
  /** Fill an empty database with demo sites, people and accounts on start (local only). */
  readonly seedDemoOnStart: boolean
  /**
   * How many proxies (load balancers) stand in front of the service; the client address is taken that many hops
   * back in X-Forwarded-For. `false` trusts no header. Never "trust all": the left of the header is client-supplied.
   */
  readonly trustProxy: false | number
  /** Run background jobs (workers and recurring jobs) in this process. Off under `test` unless a test asks. */
  readonly jobsEnabled: boolean
  /** The commit the build was made from, when the build says (otherwise read from git at start, if it can be). */
  readonly gitCommit: string | undefined
  /** When the build was made (ISO 8601), when the build says. */
  readonly buildTime: string | undefined
  /**
   * The append-only file, outside the database, that the audit sealer writes signed checkpoints to (ADR 0009);
   * undefined: checkpoints in the database only (tests).
   */
  readonly auditCheckpointFile: string | undefined
  /** The checkpoints' MAC key; undefined: derived from the session secret. */
  readonly auditCheckpointKey: string | undefined
  /** How often each app process seals new audit events into the chain. */
  readonly auditSealIntervalMs: number
  /** A port of its own for Prometheus metrics (/metrics only), for a scraper inside the network. */
  readonly metricsPort: number | undefined
  /** The address the metrics port listens on: this machine only unless said otherwise. */
  readonly metricsHost: string
  /** A bearer token for /metrics on the service's own port. */
  readonly metricsToken: string | undefined
  /** Messages to people: reminders' timing and GOV.UK Notify. */
  readonly messages: MessagesConfig
}

export const notifyTemplateSettings = {
  reminder: { sms: 'NOTIFY_TEMPLATE_REMINDER_SMS', email: 'NOTIFY_TEMPLATE_REMINDER_EMAIL' },
  cancelled: { sms: 'NOTIFY_TEMPLATE_CANCELLED_SMS', email: 'NOTIFY_TEMPLATE_CANCELLED_EMAIL' },
  missed: { sms: 'NOTIFY_TEMPLATE_MISSED_SMS', email: 'NOTIFY_TEMPLATE_MISSED_EMAIL' },
} as const

export interface MessagesConfig {
  /** Hours before an appointment's start that reminders go, longest first (REMINDER_LEAD_HOURS, default 24). */
  readonly leadHours: readonly number[]
  /** When no message is sent, Europe/London (REMINDER_QUIET_HOURS, default 21:00-08:00); null: none. */
  readonly quietHours: QuietHours | null
  /** GOV.UK Notify, when NOTIFY_API_KEY is set; otherwise messages go to the outbox and nothing is sent. */
  readonly notify:
    | {
        readonly apiKey: string
        readonly baseUrl: string | undefined
        readonly templates: {
          readonly [P in keyof typeof notifyTemplateSettings]: { readonly sms: string; readonly email: string }
        }
      }
    | undefined
  /** The bearer token Notify's callbacks carry; without it the callbacks answer 401 and receipts are polled. */
  readonly callbackToken: string | undefined
}

const UUID_PATTERN = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
/** Notify's key format: {key_name}-{service id}-{secret}, both UUIDs. */
const NOTIFY_KEY = new RegExp(`^[A-Za-z0-9_\\-]+-${UUID_PATTERN}-${UUID_PATTERN}$`, 'i')
const TEMPLATE_ID = new RegExp(`^${UUID_PATTERN}$`, 'i')

function loadMessagesConfig(env: Env, problems: string[]): MessagesConfig {
  const lead = parseLeadHours(env['REMINDER_LEAD_HOURS'] ?? '24')
  if (!lead.ok) problems.push(lead.message)
  const quiet = parseQuietHours(env['REMINDER_QUIET_HOURS'] ?? '21:00-08:00')
  if (!quiet.ok) problems.push(quiet.message)

  const apiKey = (env['NOTIFY_API_KEY'] ?? '').trim()
  let notify: MessagesConfig['notify']
  if (apiKey !== '') {
    if (!NOTIFY_KEY.test(apiKey)) {
      problems.push('NOTIFY_API_KEY must be a GOV.UK Notify API key: its name, then the service id and the secret')
    }
    const rawBase = (env['NOTIFY_BASE_URL'] ?? '').trim()
    let baseUrl: string | undefined
    if (rawBase !== '') {
      try {
        const url = new URL(rawBase)
        if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http')
        baseUrl = rawBase.replace(/\/$/, '')
      } catch {
        problems.push(`NOTIFY_BASE_URL must be a URL, like https://api.notifications.service.gov.uk (it is "${rawBase}")`)
      }
    }
    const template = (name: string): string => {
      const value = (env[name] ?? '').trim()
      if (value === '') problems.push(`${name} is required when NOTIFY_API_KEY is set: the template's id in Notify`)
      else if (!TEMPLATE_ID.test(value)) problems.push(`${name} must be a Notify template id (a UUID) (it is "${value}")`)
      return value.toLowerCase()
    }
    const t = notifyTemplateSettings
    notify = {
      apiKey,
      baseUrl,
      templates: {
        reminder: { sms: template(t.reminder.sms), email: template(t.reminder.email) },
        cancelled: { sms: template(t.cancelled.sms), email: template(t.cancelled.email) },
        missed: { sms: template(t.missed.sms), email: template(t.missed.email) },
      },
    }
  }
  const rawToken = env['NOTIFY_CALLBACK_TOKEN'] ?? ''
  let callbackToken: string | undefined
  if (rawToken !== '') {
    if (rawToken.length < 32) problems.push('NOTIFY_CALLBACK_TOKEN must be at least 32 characters long')
    else callbackToken = rawToken
  }
  return {
    leadHours: lead.ok ? lead.value : [24],
    quietHours: quiet.ok ? quiet.value : null,
    notify,
    callbackToken,
  }
}

export class ConfigError extends Error {
  readonly problems: readonly string[]
  constructor(problems: readonly string[]) {
    super(
      `The service cannot start because its configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    )
    this.name = 'ConfigError'
    this.problems = problems
  }
}

type Env = Readonly<Record<string, string | undefined>>

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value)
}

function parseBoolean(name: string, raw: string | undefined, fallback: boolean, problems: string[]): boolean {
  if (raw === undefined || raw === '') return fallback
  if (['true', '1', 'yes'].includes(raw.toLowerCase())) return true
  if (['false', '0', 'no'].includes(raw.toLowerCase())) return false
  problems.push(`${name} must be true or false (it is "${raw}")`)
  return fallback
}

/**
 * The only reader of process.env. Every problem is collected and reported at once, so an operator fixes the
 * environment in one go rather than one restart per mistake.
 */
export function loadConfig(env: Env, cwd: string = process.cwd()): Config {
  const problems: string[] = []

  const rawEnv = env['APP_ENV'] ?? 'local'
  let appEnv: AppEnv = 'local'
  if (isOneOf(appEnvironments, rawEnv)) appEnv = rawEnv
  else problems.push(`APP_ENV must be one of ${appEnvironments.join(', ')} (it is "${rawEnv}")`)

  let port = 3000
  const rawPort = env['PORT']
  if (rawPort !== undefined && rawPort !== '') {
    const n = Number(rawPort)
    if (!/^\d+$/.test(rawPort) || n < 0 || n > 65535)
      problems.push(`PORT must be a whole number from 0 to 65535 (it is "${rawPort}")`)
    else port = n
  }

  const host = env['HOST'] !== undefined && env['HOST'] !== '' ? env['HOST'] : 'localhost'
  const dataDir = path.resolve(cwd, env['DATA_DIR'] !== undefined && env['DATA_DIR'] !== '' ? env['DATA_DIR'] : 'data')

  let databaseUrl: string | undefined
  const rawUrl = env['DATABASE_URL']
  if (rawUrl !== undefined && rawUrl !== '') {
    try {
      const url = new URL(rawUrl)
      if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
        problems.push('DATABASE_URL must start with postgres:// or postgresql://')
      } else databaseUrl = rawUrl
    } catch {
      problems.push('DATABASE_URL must be a URL, like postgres://user@host:5432/database')
    }
  }

  let sessionSecret = env['SESSION_SECRET'] ?? ''
  if (sessionSecret === '') {
    if (appEnv === 'production') problems.push('SESSION_SECRET is required when APP_ENV is production')
    else sessionSecret = DEVELOPMENT_SESSION_SECRET
  } else if (sessionSecret.length < 32) {
    problems.push('SESSION_SECRET must be at least 32 characters long')
  }
  if (appEnv === 'production' && sessionSecret === DEVELOPMENT_SESSION_SECRET) {
    problems.push('SESSION_SECRET must not be the development default in production')
  }

  const rawLevel = env['LOG_LEVEL'] ?? (appEnv === 'test' ? 'silent' : 'info')
  let logLevel: LogLevel = 'info'
  if (isOneOf(logLevels, rawLevel)) logLevel = rawLevel
  else problems.push(`LOG_LEVEL must be one of ${logLevels.join(', ')} (it is "${rawLevel}")`)

  const seedDemoOnStart = parseBoolean('SEED_DEMO', env['SEED_DEMO'], appEnv === 'local', problems)
  if (appEnv === 'production' && seedDemoOnStart)
    problems.push('SEED_DEMO cannot be true in production: demo accounts are refused there')

  let trustProxy: false | number = false
  const rawProxy = env['TRUST_PROXY'] ?? ''
  if (/^[1-9]$/.test(rawProxy)) trustProxy = Number(rawProxy)
  else if (!['', '0', 'false'].includes(rawProxy)) {
    problems.push(
      `TRUST_PROXY must be the number of proxies in front of the service, like 1, or false (it is "${rawProxy}")`,
    )
  }

  const jobsEnabled = parseBoolean('JOBS_ENABLED', env['JOBS_ENABLED'], appEnv !== 'test', problems)

  let gitCommit: string | undefined
  const rawCommit = env['GIT_COMMIT'] ?? ''
  if (/^[0-9a-f]{7,40}$/i.test(rawCommit)) gitCommit = rawCommit.toLowerCase()
  else if (rawCommit !== '') problems.push(`GIT_COMMIT must be a git commit hash, like 3f2a9c1 (it is "${rawCommit}")`)

  let buildTime: string | undefined
  const rawBuildTime = env['BUILD_TIME'] ?? ''
  if (ISO_DATE_TIME.test(rawBuildTime) && !Number.isNaN(Date.parse(rawBuildTime))) buildTime = rawBuildTime
  else if (rawBuildTime !== '') {
    problems.push(`BUILD_TIME must be a date and time in ISO 8601, like 2026-11-20T10:00:00Z (it is "${rawBuildTime}")`)
  }

  const rawCheckpointFile = env['AUDIT_CHECKPOINT_FILE'] ?? ''
  // Under test, none unless asked for: test runs share a working folder, and each has databases of its own.
  const auditCheckpointFile =
    rawCheckpointFile !== ''
      ? path.resolve(cwd, rawCheckpointFile)
      : appEnv === 'test'
        ? undefined
        : path.join(dataDir, 'audit-checkpoints.jsonl')

  const rawCheckpointKey = env['AUDIT_CHECKPOINT_KEY'] ?? ''
  let auditCheckpointKey: string | undefined
  if (rawCheckpointKey === '') auditCheckpointKey = undefined
  else if (rawCheckpointKey.length < 32) problems.push('AUDIT_CHECKPOINT_KEY must be at least 32 characters long')
  else auditCheckpointKey = rawCheckpointKey

  let auditSealIntervalMs = 1000
  const rawSeal = env['AUDIT_SEAL_INTERVAL_MS'] ?? ''
  if (rawSeal !== '') {
    const n = Number(rawSeal)
    if (!/^\d+$/.test(rawSeal) || n < 100 || n > 60_000) {
      problems.push(
        `AUDIT_SEAL_INTERVAL_MS must be a whole number of milliseconds from 100 to 60000 (it is "${rawSeal}")`,
      )
    } else auditSealIntervalMs = n
  }

  let metricsPort: number | undefined
  const rawMetricsPort = env['METRICS_PORT'] ?? ''
  if (rawMetricsPort !== '') {
    const n = Number(rawMetricsPort)
    if (!/^\d+$/.test(rawMetricsPort) || n < 1 || n > 65535) {
      problems.push(`METRICS_PORT must be a whole number from 1 to 65535 (it is "${rawMetricsPort}")`)
    } else if (n === port)
      problems.push('METRICS_PORT must differ from PORT: metrics are not served to the public port')
    else metricsPort = n
  }
  const metricsHost =
    env['METRICS_HOST'] !== undefined && env['METRICS_HOST'] !== '' ? env['METRICS_HOST'] : '127.0.0.1'
  const rawMetricsToken = env['METRICS_TOKEN'] ?? ''
  let metricsToken: string | undefined
  if (rawMetricsToken === '') metricsToken = undefined
  else if (rawMetricsToken.length < 32) problems.push('METRICS_TOKEN must be at least 32 characters long')
  else metricsToken = rawMetricsToken

  const messages = loadMessagesConfig(env, problems)

  if (problems.length > 0) throw new ConfigError(problems)
  return Object.freeze({
    appEnv,
    port,
    host,
    dataDir,
    databaseUrl,
    sessionSecret,
    logLevel,
    seedDemoOnStart,
    trustProxy,
    jobsEnabled,
    gitCommit,
    buildTime,
    auditCheckpointFile,
    auditCheckpointKey,
    auditSealIntervalMs,
    metricsPort,
    metricsHost,
    metricsToken,
    messages,
  })
}
