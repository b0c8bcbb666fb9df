import { after, type TestContext } from 'node:test'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import * as cheerio from 'cheerio'
import { buildApp } from '../../src/app.ts'
import type { Config } from '../../src/config.ts'
import type { Clock } from '../../src/platform/clock.ts'
import type { Database } from '../../src/platform/db/database.ts'
import { TEST_PASSWORD_COST } from '../../src/features/staff/index.ts'
import { fixedClock } from './clock.ts'
import { testConfig } from './config.ts'
import { createTestDatabase, fileDatabase, resetDatabase } from './database.ts'

export interface TestApp {
  app: FastifyInstance
  database: Database
  clock: ReturnType<typeof fixedClock>
  config: Config
}

export const DEFAULT_NOW = '2026-11-20T10:00:00Z'

/** A clock whose readings come from the running test's clock: one app serves a file's tests, each with its own time. */
interface SwitchableClock extends Clock {
  use(clock: Clock): void
}

function switchableClock(): SwitchableClock {
  let current: Clock = fixedClock(DEFAULT_NOW)
  return {
    now: () => current.now(),
    use: (clock) => {
      current = clock
    },
  }
}

interface SharedApp {
  app: FastifyInstance
  clock: SwitchableClock
  config: Config
}

/** The file's apps, one per distinct configuration, built on first use and closed when the file ends. */
const sharedApps = new Map<string, Promise<SharedApp>>()

async function startApp(database: Database, config: Config, clock: Clock): Promise<FastifyInstance> {
  return buildApp(config, { database, clock, passwordCost: TEST_PASSWORD_COST, logger: false })
}

function sharedApp(database: Database, overrides: Partial<Config>): Promise<SharedApp> {
  const key = JSON.stringify(overrides)
  let entry = sharedApps.get(key)
  if (entry === undefined) {
    entry = (async () => {
      const config = testConfig(overrides)
      const clock = switchableClock()
      const app = await startApp(database, config, clock)
      await app.ready()
      return { app, clock, config }
    })()
    sharedApps.set(key, entry)
  }
  return entry
}

// Registered at import time (the top level of a test file), so it runs after all of the file's tests.
after(async () => {
  const apps = [...sharedApps.values()]
  sharedApps.clear()
  for (const entry of apps) await (await entry).app.close()
})

/**
 * A full app on an empty, migrated database. The database and the app are the test file's (made once, emptied before
 * each test), so a test sees only the data it makes; the clock is the test's own. `beforeReady` (a test that adds
 * routes) gets an app of its own, and `isolated` (a test that closes or breaks the database) a database too, both
 * closed when the test ends.
 */
export async function buildTestApp(
  t: TestContext,
  options: {
    config?: Partial<Config>
    clock?: Clock
    now?: string
    beforeReady?: (app: FastifyInstance) => void
    isolated?: boolean
  } = {},
): Promise<TestApp> {
  const clock = fixedClock(options.now ?? DEFAULT_NOW)
  const testClock = options.clock ?? clock
  if (options.isolated === true) {
    const database = await createTestDatabase()
    t.after(() => database.close())
    const config = testConfig(options.config)
    const app = await startApp(database, config, testClock)
    t.after(() => app.close())
    options.beforeReady?.(app)
    await app.ready()
    return { app, database, clock, config }
  }
  const database = await fileDatabase()
  await resetDatabase(database)
  // An app outside the test environment seals audit events in the background (ADR 0009): shared, it would go on
  // sealing into the next tests' resets (a deadlock with their TRUNCATE), so it is the test's own, closed with it.
  const sealsInBackground = options.config?.appEnv !== undefined && options.config.appEnv !== 'test'
  if (options.beforeReady !== undefined || sealsInBackground) {
    const config = testConfig(options.config)
    const app = await startApp(database, config, testClock)
    t.after(() => app.close())
    options.beforeReady?.(app)
    await app.ready()
    return { app, database, clock, config }
  }
  const shared = await sharedApp(database, options.config ?? {})
  shared.clock.use(testClock)
  return { app: shared.app, database, clock, config: shared.config }
}

/** A signed-in browser: keeps cookies and sends the CSRF token with every form. */
export class Browser {
  readonly app: FastifyInstance
  private readonly cookies = new Map<string, string>()
  csrfToken = ''

  constructor(app: FastifyInstance) {
    this.app = app
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  private remember(response: LightMyRequestResponse): void {
    for (const cookie of response.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired =
        cookie.maxAge === 0 || (cookie.expires !== undefined && cookie.expires.getTime() < Date.now() - 1000)
      if (expired || cookie.value === '') this.cookies.delete(cookie.name)
      else this.cookies.set(cookie.name, cookie.value)
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)
    if (token?.[1] !== undefined) this.csrfToken = token[1]
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader(), ...headers } })
    this.remember(response)
    return response
  }

  /** Posts a form as a browser would, with the CSRF token from the last page unless `_csrf` is given. */
  async post(
    url: string,
    form: Record<string, string | string[]>,
    options: { csrf?: boolean } = {},
  ): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams()
    if (options.csrf !== false && form['_csrf'] === undefined) body.append('_csrf', this.csrfToken)
    for (const [key, value] of Object.entries(form)) {
      for (const v of Array.isArray(value) ? value : [value]) body.append(key, v)
    }
    const response = await this.app.inject({
      method: 'POST',
      url,
      payload: body.toString(),
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
    })
    this.remember(response)
    return response
  }

  async signIn(email: string, password: string): Promise<LightMyRequestResponse> {
    await this.get('/sign-in')
    const response = await this.post('/sign-in', { email, password })
    if (response.statusCode !== 302) throw new Error(`Sign-in as ${email} failed with ${response.statusCode}`)
    return response
  }

  hasCookie(name: string): boolean {
    return this.cookies.has(name)
  }
}

export async function signedInBrowser(app: FastifyInstance, email: string, password: string): Promise<Browser> {
  const browser = new Browser(app)
  await browser.signIn(email, password)
  // Land on a page so the CSRF token for the session is known.
  await browser.get('/account')
  return browser
}

/** Parsed HTML with the questions tests ask most. */
export function page(html: string) {
  const $ = cheerio.load(html)
  return {
    $,
    h1: () => $('h1').first().text().trim(),
    title: () => $('title').text().trim(),
    errorSummary: () =>
      $('.govuk-error-summary__list a')
        .map((_, a) => ({ text: $(a).text().trim(), href: $(a).attr('href') ?? '' }))
        .get(),
    inlineError: (id: string) => $(`#${id}-error`).text().replace('Error:', '').trim(),
    value: (id: string) => $(`#${id}`).val(),
    text: (selector: string) => $(selector).text().trim(),
    has: (selector: string) => $(selector).length > 0,
  }
}

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the shape it expects
export function json<T = Record<string, unknown>>(response: LightMyRequestResponse): T {
  return JSON.parse(response.body) as T
}

export type ApiCall = (
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<LightMyRequestResponse>

/** Calls the JSON API as a program holding `token` would: a bearer token, and a JSON body when one is given. */
export function apiCaller(app: FastifyInstance, token: string): ApiCall {
  return (method, url, body, headers = {}) =>
    app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    })
}
