import path from 'node:path'

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
}

export class ConfigError extends Error {
  readonly problems: readonly string[]
  constructor(problems: readonly string[]) {
    super(`The service cannot start because its configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
    this.problems = problems
  }
}

type Env = Readonly<Record<string, string | undefined>>

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
    if (!/^\d+$/.test(rawPort) || n < 0 || n > 65535) problems.push(`PORT must be a whole number from 0 to 65535 (it is "${rawPort}")`)
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
  if (appEnv === 'production' && seedDemoOnStart) problems.push('SEED_DEMO cannot be true in production: demo accounts are refused there')

  let trustProxy: false | number = false
  const rawProxy = env['TRUST_PROXY'] ?? ''
  if (/^[1-9]$/.test(rawProxy)) trustProxy = Number(rawProxy)
  else if (!['', '0', 'false'].includes(rawProxy)) {
    problems.push(`TRUST_PROXY must be the number of proxies in front of the service, like 1, or false (it is "${rawProxy}")`)
  }

  if (problems.length > 0) throw new ConfigError(problems)
  return Object.freeze({ appEnv, port, host, dataDir, databaseUrl, sessionSecret, logLevel, seedDemoOnStart, trustProxy })
}
