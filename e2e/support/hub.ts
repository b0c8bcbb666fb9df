import type { AddressInfo } from 'node:net'
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.ts'
import { testConfig } from '../../test/support/config.ts'
import type { Config } from '../../src/config.ts'
import type { Database } from '../../src/platform/db/database.ts'
import { createTestDatabase } from '../../test/support/database.ts'
import { TEST_PASSWORD_COST } from '../../src/features/staff/index.ts'
import { markJavaScriptDisabled } from './accessibility.ts'

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'

/**
 * Flags that let Debian's Chromium run headless as root on a machine with no outside network: without the
 * background-networking ones it keeps trying (and failing) to reach Google's hosts. The last three save the
 * browser tests about a sixth of their processor time: pages of the one local site share a few renderer
 * processes instead of starting one per browser context (each context still has its own cookies and storage).
 */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--disable-features=site-per-process,IsolateOrigins',
  '--renderer-process-limit=2',
  '--disable-extensions',
]

/** The service on a free local port, its database, and one Chromium for the whole test file. */
export interface Hub {
  readonly baseUrl: string
  readonly app: FastifyInstance
  readonly database: Database
  readonly browser: Browser
  /** A fresh browser context (its own cookies) with a page, closed by `close()`. */
  newPage(options?: BrowserContextOptions): Promise<Page>
  close(): Promise<void>
}

/** `config` changes the test configuration (a journey that needs GOV.UK Notify gives its key and base URL). */
export async function startHub(config: Partial<Config> = {}): Promise<Hub> {
  const database = await createTestDatabase()
  const app = await buildApp(testConfig(config), { database, passwordCost: TEST_PASSWORD_COST, logger: false })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  const baseUrl = `http://127.0.0.1:${port}`

  let browser: Browser
  try {
    // launch() gives Chromium a fresh profile folder of its own (a new temporary --user-data-dir), removed on close.
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS })
  } catch (error) {
    await app.close()
    await database.close()
    throw error
  }

  const contexts: BrowserContext[] = []
  return {
    baseUrl,
    app,
    database,
    browser,
    async newPage(options: BrowserContextOptions = {}) {
      const context = await browser.newContext({ baseURL: baseUrl, ...options })
      context.setDefaultTimeout(10_000)
      contexts.push(context)
      const page = await context.newPage()
      if (options.javaScriptEnabled === false) markJavaScriptDisabled(page)
      return page
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined)
      await browser.close().catch(() => undefined)
      await app.close()
      await database.close()
    },
  }
}
