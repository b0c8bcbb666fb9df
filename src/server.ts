import type { AddressInfo } from 'node:net'
import { loadConfig, ConfigError, type Config } from './config.ts'
import { buildApp, metricsOf } from './app.ts'
import { listenForMetrics } from './platform/http/metrics.ts'
import { systemClock } from './platform/clock.ts'
import { DatabaseInUseError, openDatabase, type Database } from './platform/db/database.ts'
import {
  countDemoAccounts,
  isEmptyInstall,
  listDemoAccounts,
  seedDemo,
  type DemoAccountSummary,
} from './features/demo/index.ts'
import { migrate } from './migrations.ts'

/** How long SIGTERM waits for requests in flight before the process stops regardless. */
const SHUTDOWN_GRACE_MS = 10_000

/** The pilot's size: what a first local start is filled with. */
const DEMO_PEOPLE = 4_000

/** A refusal to start that needs no stack trace: the message says what to do. */
class StartRefusedError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'StartRefusedError'
  }
}

const say = (line = '') => process.stdout.write(`${line}\n`)

/**
 * Production must never hold demo accounts (their password is published). A local first start fills an empty
 * database with the demo, so a new developer has something to sign in to.
 */
async function prepareDatabase(config: Config, database: Database): Promise<void> {
  await migrate(database.db)
  if (config.appEnv === 'production') {
    const demoAccounts = await countDemoAccounts(database.db)
    if (demoAccounts > 0) {
      throw new StartRefusedError(
        `The service will not start in production: the database holds ${demoAccounts} demo account(s), whose ` +
          'password is published. Use a database that was never seeded with demo data, or remove the demo accounts first.',
      )
    }
    return
  }
  if (config.seedDemoOnStart && (await isEmptyInstall(database.db))) {
    say(
      `This is a new, empty database: filling it with demo data (${DEMO_PEOPLE.toLocaleString('en-GB')} synthetic people).`,
    )
    await seedDemo(
      { database, clock: systemClock, log: say, progress: true, appEnv: config.appEnv },
      { people: DEMO_PEOPLE },
    )
  }
}

function printDemoAccounts(accounts: readonly DemoAccountSummary[], url: string): void {
  const emailWidth = Math.max(...accounts.map((a) => a.email.length))
  const roleWidth = Math.max(...accounts.map((a) => a.role.length))
  const rule = '-'.repeat(Math.max(60, emailWidth + roleWidth + 24))
  say()
  say(rule)
  say(`Probation Health Hub is running at ${url}`)
  say()
  say('Demo sign-in accounts (synthetic data only; refused in production):')
  say()
  for (const account of accounts) {
    say(`  ${account.email.padEnd(emailWidth)}  ${account.role.padEnd(roleWidth)}  ${account.password}`)
  }
  say(rule)
  say()
}

async function main(): Promise<void> {
  const config = loadConfig(process.env)
  const database = await openDatabase(config)
  let app: Awaited<ReturnType<typeof buildApp>>
  try {
    await prepareDatabase(config, database)
    app = await buildApp(config, { database })
  } catch (error) {
    await database.close()
    throw error
  }
  // The app was given the database, so it does not close it: close it after the app has stopped serving.
  app.addHook('onClose', () => database.close())

  let closing = false
  const shutdown = (signal: string) => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'shutting down')
    // Requests in flight get a few seconds to finish; one that never does must not keep the process alive.
    setTimeout(() => {
      app.log.error({ signal, graceMs: SHUTDOWN_GRACE_MS }, 'requests still running at shutdown: stopping anyway')
      process.exit(1)
    }, SHUTDOWN_GRACE_MS).unref()
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'error during shutdown')
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', () => {
    shutdown('SIGINT')
  })
  process.on('SIGTERM', () => {
    shutdown('SIGTERM')
  })
  try {
    await app.listen({ port: config.port, host: config.host })
    const metrics = metricsOf(app)
    if (config.metricsPort !== undefined && metrics !== undefined) {
      const metricsServer = await listenForMetrics(metrics, { port: config.metricsPort, host: config.metricsHost })
      app.addHook(
        'onClose',
        () =>
          new Promise<void>((resolve) => {
            metricsServer.close(() => {
              resolve()
            })
          }),
      )
    }
  } catch (error) {
    await app.close()
    throw error
  }

  if (config.appEnv === 'local') {
    const accounts = await listDemoAccounts(database.db)
    if (accounts.length > 0) {
      const { port } = app.server.address() as AddressInfo
      printDemoAccounts(accounts, `http://localhost:${port}`)
    }
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DatabaseInUseError || error instanceof StartRefusedError) {
    process.stderr.write(`${error.message}\n`)
  } else {
    process.stderr.write(
      `The service failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    )
  }
  process.exit(1)
})
