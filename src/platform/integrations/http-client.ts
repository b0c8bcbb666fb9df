/**
 * The one way the service calls a partner's HTTP API (prison clinical systems, FHIR servers, GOV.UK Notify, ...):
 * JSON in and out, a timeout on every attempt and a deadline on the whole call, retries with exponential back-off and
 * full jitter on failures that may pass, and one error class. How to add a partner: docs/integrations.md.
 *
 * Paths are templates (`/prisoners/{prisonerNumber}`) filled from `params`, so that errors and logs can name the
 * call without the identifiers in it. Nothing a caller sends or receives (query, body, headers) is put in an error
 * message, an error property or a log line: they can hold personal data and secrets.
 */
import { setTimeout as wait } from 'node:timers/promises'
import { AssertError } from 'typebox/value'
import { systemClock, type Clock } from '../clock.ts'

export type IntegrationErrorKind = 'timeout' | 'unavailable' | 'rejected' | 'malformed-response'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** Why the client stopped trying; part of the message so a log line explains itself. */
export type GiveUpReason = 'permanent' | 'retry-limit' | 'deadline' | 'retry-after-too-long' | 'not-resent'

export interface IntegrationErrorDetails {
  readonly kind: IntegrationErrorKind
  /** The client's name, e.g. 'prison-health'. */
  readonly integration: string
  readonly method: HttpMethod
  /** The path template, never the filled-in path. */
  readonly path: string
  /** The partner's HTTP status, when it answered. */
  readonly status?: number | undefined
  readonly attempts: number
  readonly reason: GiveUpReason
  /**
   * The request may have reached the partner but no full answer came back (a dropped connection or a timeout).
   * For a POST without an idempotency key the client does not resend it: the caller must find out what happened
   * (look the record up) before trying again.
   */
  readonly outcomeUnknown?: boolean
  /** The wait the partner asked for (Retry-After), when the client gave up rather than wait that long. */
  readonly retryAfterMs?: number | undefined
  /** For 'malformed-response' checked by a TypeBox schema: the schema paths that failed (from the schema, not the data). */
  readonly problems?: readonly string[]
}

const KIND_TEXT: Record<IntegrationErrorKind, string> = {
  timeout: 'timed out',
  unavailable: 'partner unavailable',
  rejected: 'request rejected',
  'malformed-response': 'response malformed',
}

const REASON_TEXT: Record<GiveUpReason, string> = {
  permanent: 'not retried',
  'retry-limit': 'retry limit reached',
  deadline: 'deadline reached',
  'retry-after-too-long': 'partner asked to wait longer than allowed',
  'not-resent': 'not resent: the request is not idempotent and has no idempotency key',
}

/**
 * A call to a partner failed. `status` is the partner's HTTP status, not ours: a feature decides what its user sees
 * (the service's error handler treats any IntegrationError that escapes as a 500).
 */
export class IntegrationError extends Error {
  override readonly name = 'IntegrationError'
  readonly kind: IntegrationErrorKind
  readonly integration: string
  readonly method: HttpMethod
  readonly path: string
  readonly status: number | undefined
  readonly attempts: number
  readonly reason: GiveUpReason
  readonly outcomeUnknown: boolean
  readonly retryAfterMs: number | undefined
  readonly problems: readonly string[]

  constructor(details: IntegrationErrorDetails) {
    const status = details.status === undefined ? '' : ` (HTTP ${details.status})`
    const attempts = `${details.attempts} attempt${details.attempts === 1 ? '' : 's'}`
    super(
      `${details.integration} ${details.method} ${details.path}: ${KIND_TEXT[details.kind]}${status} after ${attempts}; ` +
        REASON_TEXT[details.reason],
    )
    this.kind = details.kind
    this.integration = details.integration
    this.method = details.method
    this.path = details.path
    this.status = details.status
    this.attempts = details.attempts
    this.reason = details.reason
    this.outcomeUnknown = details.outcomeUnknown ?? false
    this.retryAfterMs = details.retryAfterMs
    this.problems = details.problems ?? []
  }
}

/** What the client logs through; Fastify's and pino's loggers fit. */
export interface IntegrationLogger {
  info(fields: Record<string, unknown>, message: string): void
  warn(fields: Record<string, unknown>, message: string): void
}

export interface HttpClientOptions {
  /** Names the partner in errors and logs, e.g. 'prison-health'. */
  readonly name: string
  /** Scheme, host and any path prefix, e.g. 'https://api.example.gov.uk/fhir/R4'. No query. */
  readonly baseUrl: string
  /** Limit on each attempt, from sending to the last byte of the response. */
  readonly timeoutMs: number
  /** Limit on the whole call, retries and waits included. A call never starts an attempt or a wait past it. */
  readonly deadlineMs: number
  /** Attempts after the first one. */
  readonly retries: number
  readonly backoff: {
    /** The first wait's upper bound; each later one doubles, up to maxMs. The wait is random below it (full jitter). */
    readonly initialMs: number
    readonly maxMs: number
    /** The longest Retry-After the client will wait; longer and it gives up at once. Defaults to maxMs. */
    readonly retryAfterMaxMs?: number
  }
  /** Headers for every attempt, asked for afresh each time (a bearer token that may have been renewed). */
  readonly headers?: () => Record<string, string> | Promise<Record<string, string>>
  readonly logger?: IntegrationLogger
  /** How the client waits between attempts; tests pass one that records the wait and returns at once. */
  readonly sleep?: (ms: number) => Promise<void>
  /** A number in [0, 1) for the jitter. */
  readonly random?: () => number
  /** Measures the deadline and reads HTTP-date Retry-After values. */
  readonly clock?: Clock
}

export type QueryValue = string | number | boolean | undefined | readonly (string | number)[]

export interface CallOptions<T> {
  /** Values for the `{name}` placeholders of the path template; each is percent-encoded. */
  readonly params?: Readonly<Record<string, string | number>>
  /** Kept out of errors and logs. Undefined values are left out. */
  readonly query?: Readonly<Record<string, QueryValue>>
  /** Extra headers for this call. */
  readonly headers?: Readonly<Record<string, string>>
  /**
   * Turns the JSON body (undefined when empty) into the type the caller wants, throwing when it does not fit:
   * `(body) => Value.Parse(Schema, body)`, `fromGuard(isThing)`, or `() => undefined` to ignore it.
   */
  readonly parse: (body: unknown) => T
  /** Overrides the client's deadline for this call. */
  readonly deadlineMs?: number
}

export interface SendOptions<T> extends CallOptions<T> {
  /**
   * Sent as `Idempotency-Key` on every attempt. Without one a POST or PATCH is never resent once it may have
   * reached the partner; with one the partner promises to act once, so the client may retry.
   */
  readonly idempotencyKey?: string
}

export interface RequestOptions<T> extends SendOptions<T> {
  /** Serialised as JSON; undefined sends no body. */
  readonly body?: unknown
}

export interface HttpResponse<T> {
  readonly status: number
  /** The partner's response headers, for the few calls that need one (Location, ETag). Never log them. */
  readonly headers: Headers
  readonly body: T
}

export interface HttpClient {
  readonly name: string
  get<T>(path: string, options: CallOptions<T>): Promise<T>
  delete<T>(path: string, options: SendOptions<T>): Promise<T>
  post<T>(path: string, body: unknown, options: SendOptions<T>): Promise<T>
  put<T>(path: string, body: unknown, options: SendOptions<T>): Promise<T>
  patch<T>(path: string, body: unknown, options: SendOptions<T>): Promise<T>
  /** The same call with the status and headers of the answer as well. */
  request<T>(method: HttpMethod, path: string, options: RequestOptions<T>): Promise<HttpResponse<T>>
}

/** A parse function from a type guard, for partners whose responses are checked by hand. */
export function fromGuard<T>(guard: (value: unknown) => value is T): (body: unknown) => T {
  return (body) => {
    if (!guard(body)) throw new TypeError('response does not match')
    return body
  }
}

/** Safe to resend by RFC 9110: repeating them has the effect of doing them once. */
const IDEMPOTENT_METHODS: ReadonlySet<HttpMethod> = new Set(['GET', 'PUT', 'DELETE'])

/** Errors from opening the connection: the request never left, so resending it is safe for any method. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
])

const MAX_PROBLEMS = 10

/** One attempt that did not succeed, and whether trying again could help. */
interface Failure {
  readonly kind: IntegrationErrorKind
  readonly status?: number
  readonly transient: boolean
  /** False only when the request certainly never reached the partner. */
  readonly mayHaveArrived: boolean
  readonly retryAfterMs?: number | undefined
  readonly problems?: readonly string[]
}

type Attempt<T> =
  { readonly ok: true; readonly response: HttpResponse<T> } | { readonly ok: false; readonly failure: Failure }

function checkOptions(options: HttpClientOptions): void {
  const { name, baseUrl, timeoutMs, deadlineMs, retries, backoff } = options
  const fail = (problem: string) => {
    throw new Error(`HTTP client ${name}: ${problem}`)
  }
  if (!URL.canParse(baseUrl)) fail('baseUrl is not a URL')
  const url = new URL(baseUrl)
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail('baseUrl must be http or https')
  if (url.search !== '' || url.hash !== '') fail('baseUrl must have no query or fragment')
  if (!(timeoutMs > 0) || !(deadlineMs > 0)) fail('timeoutMs and deadlineMs must be positive')
  if (!Number.isInteger(retries) || retries < 0) fail('retries must be a whole number, 0 or more')
  if (!(backoff.initialMs >= 0) || !(backoff.maxMs >= backoff.initialMs)) fail('backoff needs 0 <= initialMs <= maxMs')
  if (backoff.retryAfterMaxMs !== undefined && !(backoff.retryAfterMaxMs >= 0))
    fail('retryAfterMaxMs must be 0 or more')
}

/** Fills `{name}` placeholders; a misused template is a bug in the caller, so it throws a plain Error. */
function fillTemplate(
  client: string,
  template: string,
  params: Readonly<Record<string, string | number>> = {},
): string {
  const fail = (problem: string) => {
    throw new Error(`HTTP client ${client}: ${template}: ${problem}`)
  }
  if (!template.startsWith('/')) fail('the path must start with /')
  if (/[?#]/.test(template)) fail('put the query in `query`, not the path, so it stays out of logs')
  const used = new Set<string>()
  const path = template.replace(/\{(\w+)\}/g, (_match, key: string) => {
    const value = params[key]
    if (value === undefined) return fail(`no value for {${key}}`)
    const text = String(value)
    // An empty or dot segment would change which resource the URL names.
    if (text === '' || text === '.' || text === '..') return fail(`{${key}} must not be empty, "." or ".."`)
    used.add(key)
    return encodeURIComponent(text)
  })
  const unused = Object.keys(params).filter((key) => !used.has(key))
  if (unused.length > 0) fail(`params not in the template: ${unused.join(', ')}`)
  return path
}

function buildUrl(baseUrl: string, path: string, query: Readonly<Record<string, QueryValue>> = {}): URL {
  const url = new URL(baseUrl.replace(/\/+$/, '') + path)
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue
    const values: readonly (string | number | boolean)[] = Array.isArray(value)
      ? value
      : [value as string | number | boolean]
    for (const item of values) url.searchParams.append(key, String(item))
  }
  return url
}

/** Retry-After as milliseconds from now: delay-seconds or an HTTP-date (RFC 9110 10.2.3); undefined if absent or unreadable. */
export function parseRetryAfter(value: string | null, now: Date): number | undefined {
  if (value === null) return undefined
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const date = Date.parse(text)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - now.getTime())
}

/** The failure a status means; 2xx is not a failure and is handled by the caller. */
function failureForStatus(status: number, retryAfterMs: number | undefined): Failure {
  const answered = { status, mayHaveArrived: true }
  switch (status) {
    case 408:
      return { ...answered, kind: 'timeout', transient: true }
    case 429:
    case 503:
      return { ...answered, kind: 'unavailable', transient: true, retryAfterMs }
    case 502:
    case 504:
      return { ...answered, kind: 'unavailable', transient: true }
    default:
      // Other 5xx are the partner's bugs, which retrying seldom fixes; 3xx are unexpected from an API (and redirects
      // are not followed, so credentials are never sent elsewhere); 4xx are ours.
      return { ...answered, kind: status >= 500 ? 'unavailable' : 'rejected', transient: false }
  }
}

/** What a thrown error from fetch or from reading the body means; anything unexpected is a bug and is rethrown. */
function failureForError(error: unknown): Failure {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return { kind: 'timeout', transient: true, mayHaveArrived: true }
  }
  if (error instanceof TypeError) {
    const code = (error.cause as { code?: unknown } | undefined)?.code
    const notSent = typeof code === 'string' && NOT_SENT_CODES.has(code)
    return { kind: 'unavailable', transient: true, mayHaveArrived: !notSent }
  }
  throw error
}

/** Schema paths (never data) from a TypeBox assertion, to say which part of a response was wrong. */
function problemsOf(error: unknown): readonly string[] {
  if (!(error instanceof AssertError)) return []
  return error.cause.errors.slice(0, MAX_PROBLEMS).map((e) => `${e.schemaPath} ${e.keyword}`)
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  checkOptions(options)
  const { name, baseUrl, timeoutMs, retries, backoff, logger } = options
  const sleep = options.sleep ?? ((ms: number) => wait(ms))
  const random = options.random ?? Math.random
  const clock = options.clock ?? systemClock
  const retryAfterMaxMs = backoff.retryAfterMaxMs ?? backoff.maxMs
  const now = () => clock.now().getTime()

  async function headersFor(call: RequestOptions<unknown>): Promise<Headers> {
    // Built before fetch so that a bad header value is reported as the bug it is, not as a network failure.
    const headers = new Headers({ accept: 'application/json' })
    for (const [key, value] of Object.entries((await options.headers?.()) ?? {})) headers.set(key, value)
    for (const [key, value] of Object.entries(call.headers ?? {})) headers.set(key, value)
    if (call.body !== undefined) headers.set('content-type', 'application/json')
    if (call.idempotencyKey !== undefined) headers.set('idempotency-key', call.idempotencyKey)
    return headers
  }

  async function attempt<T>(
    method: HttpMethod,
    url: URL,
    call: RequestOptions<T>,
    attemptTimeoutMs: number,
  ): Promise<Attempt<T>> {
    const headers = await headersFor(call)
    const body = call.body === undefined ? undefined : JSON.stringify(call.body)
    let response: Response
    let text: string
    try {
      // The timeout signal also covers reading the body, so a partner that stalls mid-response is cut off too.
      response = await fetch(url, {
        method,
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(Math.max(1, Math.ceil(attemptTimeoutMs))),
      })
      if (response.status < 200 || response.status > 299) {
        await response.body?.cancel()
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), clock.now())
        return { ok: false, failure: failureForStatus(response.status, retryAfterMs) }
      }
      text = await response.text()
    } catch (error) {
      return { ok: false, failure: failureForError(error) }
    }
    const malformed = (problems: readonly string[] = []): Attempt<T> => ({
      ok: false,
      failure: {
        kind: 'malformed-response',
        status: response.status,
        transient: false,
        mayHaveArrived: true,
        problems,
      },
    })
    let json: unknown
    try {
      json = text === '' ? undefined : JSON.parse(text)
    } catch {
      return malformed()
    }
    try {
      return { ok: true, response: { status: response.status, headers: response.headers, body: call.parse(json) } }
    } catch (error) {
      // Not chained as the cause: a parser's error can carry the body (TypeBox's does).
      return malformed(problemsOf(error))
    }
  }

  async function request<T>(method: HttpMethod, template: string, call: RequestOptions<T>): Promise<HttpResponse<T>> {
    const url = buildUrl(baseUrl, fillTemplate(name, template, call.params), call.query)
    const resendable = IDEMPOTENT_METHODS.has(method) || call.idempotencyKey !== undefined
    const budgetMs = call.deadlineMs ?? options.deadlineMs
    if (!(budgetMs > 0)) throw new Error(`HTTP client ${name}: ${template}: deadlineMs must be positive`)
    const deadline = now() + budgetMs
    const fields = { integration: name, method, path: template }
    const giveUp = (failure: Failure, attempts: number, reason: GiveUpReason, retryAfterMs?: number) => {
      const error = new IntegrationError({
        ...fields,
        kind: failure.kind,
        status: failure.status,
        attempts,
        reason,
        outcomeUnknown: failure.mayHaveArrived && failure.status === undefined,
        retryAfterMs,
        problems: failure.problems ?? [],
      })
      const log = { ...fields, kind: failure.kind, status: failure.status, attempts, reason }
      // A refusal is often an expected answer (not found, already exists); the caller decides if it matters.
      if (failure.kind === 'rejected') logger?.info(log, 'integration call refused')
      else logger?.warn(log, 'integration call failed')
      return error
    }

    for (let attempts = 1; ; attempts++) {
      const outcome = await attempt(method, url, call, Math.min(timeoutMs, deadline - now()))
      if (outcome.ok) return outcome.response
      const { failure } = outcome
      if (!failure.transient) throw giveUp(failure, attempts, 'permanent')
      if (failure.mayHaveArrived && !resendable) throw giveUp(failure, attempts, 'not-resent')
      if (attempts > retries) throw giveUp(failure, attempts, 'retry-limit')
      if (failure.retryAfterMs !== undefined && failure.retryAfterMs > retryAfterMaxMs) {
        throw giveUp(failure, attempts, 'retry-after-too-long', failure.retryAfterMs)
      }
      const delayMs =
        failure.retryAfterMs ?? Math.floor(random() * Math.min(backoff.maxMs, backoff.initialMs * 2 ** (attempts - 1)))
      if (now() + delayMs >= deadline) throw giveUp(failure, attempts, 'deadline')
      logger?.warn(
        { ...fields, kind: failure.kind, status: failure.status, attempt: attempts, delayMs },
        'integration call failed; retrying',
      )
      await sleep(delayMs)
      if (now() >= deadline) throw giveUp(failure, attempts, 'deadline')
    }
  }

  return {
    name,
    request,
    get: async (path, call) => (await request('GET', path, call)).body,
    delete: async (path, call) => (await request('DELETE', path, call)).body,
    post: async (path, body, call) => (await request('POST', path, { ...call, body })).body,
    put: async (path, body, call) => (await request('PUT', path, { ...call, body })).body,
    patch: async (path, body, call) => (await request('PATCH', path, { ...call, body })).body,
  }
}
