/**
 * A local GOV.UK Notify for tests, speaking enough of its documented v2 API for the real notifications-node-client:
 * JWT authentication (HS256 with the key's secret, `iss` the service id, `iat` within 30 s), Notify's validation of
 * SMS and email requests and its error body (`{ status_code, errors: [{ error, message }] }`), stored
 * notifications with statuses (the documented test numbers and addresses fail as a test key makes them), lookups
 * by id and by reference, and controls for what the real one does on a bad day: 429s, 500s and lost responses.
 *
 *   const notify = await startFakeNotifyServer(t)
 *   const client = createNotifyClient({ apiKey: notify.apiKey, baseUrl: notify.url })
 *   notify.failNext(2, 429)
 *   assert.equal(notify.notifications.length, 1)
 *
 * Built on startFakeHttpServer, so `requests` holds every request received, answered or not.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto'
import {
  startFakeHttpServer,
  type FakeHttpServer,
  type FakeResponse,
  type RecordedRequest,
} from './fake-http-server.ts'

/** An API key in Notify's format, `{key_name}-{iss-uuid}-{secret-uuid}`, and its parts. */
export interface NotifyTestKey {
  readonly apiKey: string
  readonly keyName: string
  /** The service id: the JWT's `iss`. */
  readonly serviceId: string
  /** The key's secret: what the JWT is signed with. */
  readonly secret: string
}

export function aNotifyApiKey(parts: Partial<Omit<NotifyTestKey, 'apiKey'>> = {}): NotifyTestKey {
  const keyName = parts.keyName ?? 'hub_test'
  const serviceId = parts.serviceId ?? randomUUID()
  const secret = parts.secret ?? randomUUID()
  return { apiKey: `${keyName}-${serviceId}-${secret}`, keyName, serviceId, secret }
}

export type FakeNotificationStatus = 'delivered' | 'permanent-failure' | 'temporary-failure'

export interface FakeNotification {
  readonly id: string
  readonly type: 'sms' | 'email'
  readonly templateId: string
  /** The phone number or email address as sent. */
  readonly recipient: string
  readonly personalisation: Readonly<Record<string, unknown>> | undefined
  readonly reference: string | undefined
  readonly status: FakeNotificationStatus
  readonly createdAt: string
}

export interface FakeNotifyServer {
  /** `http://127.0.0.1:<port>`: the client's base URL. */
  readonly url: string
  /** The key the fake accepts (more can be given to startFakeNotifyServer). */
  readonly apiKey: string
  readonly key: NotifyTestKey
  /** Every request received, in order, refused ones included. Never put these in a log: they are personal data. */
  readonly requests: readonly RecordedRequest[]
  /** What Notify accepted, oldest first. */
  readonly notifications: readonly FakeNotification[]
  /** The next `count` requests (after authentication) get this status with Notify's error body. */
  failNext(count: number, status: 429 | 500, options?: { retryAfterSeconds?: number; daily?: boolean }): void
  /** The next `count` sends are accepted and stored, then the connection is cut before any answer. */
  loseNextResponses(count?: number): void
  /** The next `count` sends are accepted and stored, then never answered (the client times out). */
  hangNextResponses(count?: number): void
  /** Trial mode: only these recipients (phone numbers or email addresses, as sent) may be sent to. */
  trialMode(team: readonly string[]): void
  close(): Promise<void>
}

export interface FakeNotifyOptions {
  /** Keys accepted besides the one the fake makes. */
  readonly keys?: readonly NotifyTestKey[]
  /** The fake's clock in milliseconds, for clock-skew tests; defaults to Date.now. */
  readonly now?: () => number
}

/** The most Notify allows between a token's `iat` and its own clock. */
const MAX_CLOCK_SKEW_SECONDS = 30
/** Notify refuses a reference that is too long; the exact limit is this fake's assumption, not a documented figure. */
const MAX_REFERENCE_LENGTH = 1000
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const PERMANENT_FAILURE = new Set(['07700900002', 'perm-fail@simulator.notify'])
const TEMPORARY_FAILURE = new Set(['07700900003', 'temp-fail@simulator.notify'])

function errorResponse(status: number, error: string, message: string, headers?: Record<string, string>): FakeResponse {
  return {
    status,
    body: { status_code: status, errors: [{ error, message }] },
    ...(headers === undefined ? {} : { headers }),
  }
}

const validation = (message: string) => errorResponse(400, 'ValidationError', message)

/** A bearer token as Notify's clients make one, for tests that call the fake without a client. */
export function signNotifyToken(key: NotifyTestKey, iatSeconds: number = Math.round(Date.now() / 1000)): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const unsigned = `${encode({ typ: 'JWT', alg: 'HS256' })}.${encode({ iss: key.serviceId, iat: iatSeconds })}`
  return `${unsigned}.${createHmac('sha256', key.secret).update(unsigned).digest('base64url')}`
}

function base64UrlJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
  } catch {
    return undefined
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Checks the bearer token as Notify does; undefined when it is good, else the 401 or 403 Notify gives.
 * Exported so a test can show that the check refuses what it should.
 */
export function checkNotifyToken(
  authorization: string | undefined,
  keys: readonly NotifyTestKey[],
  nowMs: number,
): FakeResponse | undefined {
  const auth = (message: string) => errorResponse(403, 'AuthError', message)
  if (authorization === undefined || !authorization.startsWith('Bearer ')) {
    return errorResponse(401, 'AuthError', 'Unauthorized: authentication token must be provided')
  }
  const parts = authorization.slice('Bearer '.length).split('.')
  const [header, payload, signature] = parts
  if (parts.length !== 3 || header === undefined || payload === undefined || signature === undefined) {
    return auth('Invalid token: signature, api token is not valid')
  }
  const head = base64UrlJson(header)
  const claims = base64UrlJson(payload)
  if (!isObject(head) || head['alg'] !== 'HS256' || !isObject(claims)) {
    return auth('Invalid token: signature, api token is not valid')
  }
  const iss = claims['iss']
  if (typeof iss !== 'string') return auth('Invalid token: iss field not provided')
  const candidates = keys.filter((key) => key.serviceId === iss)
  if (candidates.length === 0) return auth('Invalid token: service not found')
  const given = Buffer.from(signature, 'base64url')
  const signedWith = candidates.find((key) => {
    const expected = createHmac('sha256', key.secret).update(`${header}.${payload}`).digest()
    return expected.length === given.length && timingSafeEqual(expected, given)
  })
  if (signedWith === undefined) return auth('Invalid token: API key not found')
  const iat = claims['iat']
  if (typeof iat !== 'number') return auth('Invalid token: iat field not provided')
  if (Math.abs(nowMs / 1000 - iat) > MAX_CLOCK_SKEW_SECONDS) {
    return auth('Error: Your system clock must be accurate to within 30 seconds')
  }
  return undefined
}

/** Notify's UK mobile rules: optional +44, 44 or 0, then 7 and nine more digits; spaces, dashes, brackets allowed. */
function phoneProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'phone_number is not of type string'
  const stripped = value.replace(/[\s\-().]/g, '')
  if (!/^\+?\d+$/.test(stripped)) return 'phone_number Must not contain letters or symbols'
  const national = stripped.replace(/^\+?44/, '').replace(/^0/, '')
  if (!national.startsWith('7')) return 'phone_number Not a UK mobile number'
  if (national.length > 10) return 'phone_number Too many digits'
  if (national.length < 10) return 'phone_number Not enough digits'
  return undefined
}

function emailProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'email_address is not of type string'
  if (!/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(value) || value.length > 320) {
    return 'email_address Not a valid email address'
  }
  return undefined
}

const ALLOWED_FIELDS = {
  sms: new Set(['phone_number', 'template_id', 'personalisation', 'reference', 'sms_sender_id']),
  email: new Set([
    'email_address',
    'template_id',
    'personalisation',
    'reference',
    'email_reply_to_id',
    'one_click_unsubscribe_url',
    'sanitise_content_for',
  ]),
} as const

/** The first problem Notify would report with a send, or undefined. Messages name fields, never values. */
function sendProblem(type: 'sms' | 'email', body: unknown): string | undefined {
  if (!isObject(body)) return 'request body is not of type object'
  const extra = Object.keys(body).filter((field) => !ALLOWED_FIELDS[type].has(field))
  if (extra.length > 0) return `Additional properties are not allowed (${extra.join(', ')} was unexpected)`
  const recipientField = type === 'sms' ? 'phone_number' : 'email_address'
  if (!(recipientField in body)) return `${recipientField} is a required property`
  if (!('template_id' in body)) return 'template_id is a required property'
  if (typeof body['template_id'] !== 'string' || !UUID.test(body['template_id'])) {
    return 'template_id is not a valid UUID'
  }
  const recipient = type === 'sms' ? phoneProblem(body['phone_number']) : emailProblem(body['email_address'])
  if (recipient !== undefined) return recipient
  if ('personalisation' in body && !isObject(body['personalisation'])) {
    return 'personalisation is not of type object'
  }
  if ('reference' in body) {
    if (typeof body['reference'] !== 'string') return 'reference is not of type string'
    if (body['reference'].length > MAX_REFERENCE_LENGTH) return 'reference is too long'
  }
  return undefined
}

function statusFor(recipient: string): FakeNotificationStatus {
  if (PERMANENT_FAILURE.has(recipient)) return 'permanent-failure'
  if (TEMPORARY_FAILURE.has(recipient)) return 'temporary-failure'
  return 'delivered'
}

export async function startFakeNotifyServer(
  t?: { after(fn: () => Promise<void>): void },
  options: FakeNotifyOptions = {},
): Promise<FakeNotifyServer> {
  const http: FakeHttpServer = await startFakeHttpServer(t)
  const key = aNotifyApiKey()
  const keys = [key, ...(options.keys ?? [])]
  const now = options.now ?? Date.now
  const notifications: FakeNotification[] = []
  const failures: (() => FakeResponse)[] = []
  let responsesToLose = 0
  let responsesToHang = 0
  let team: ReadonlySet<string> | undefined

  const uri = (path: string) => `${http.url}${path}`

  function asJson(notification: FakeNotification) {
    const completed = notification.status === 'delivered' ? notification.createdAt : null
    return {
      id: notification.id,
      reference: notification.reference ?? null,
      email_address: notification.type === 'email' ? notification.recipient : null,
      phone_number: notification.type === 'sms' ? notification.recipient : null,
      line_1: null,
      type: notification.type,
      status: notification.status,
      template: { id: notification.templateId, version: 1, uri: uri(`/v2/template/${notification.templateId}`) },
      body: 'Message body',
      subject: notification.type === 'email' ? 'Message subject' : null,
      created_at: notification.createdAt,
      created_by_name: null,
      sent_at: notification.createdAt,
      completed_at: completed,
      is_cost_data_ready: false,
    }
  }

  /** Authentication first, then the scripted failures, as Notify checks the key before its limits. */
  function guard(request: RecordedRequest): FakeResponse | undefined {
    const refused = checkNotifyToken(request.headers.authorization, keys, now())
    if (refused !== undefined) return refused
    return failures.shift()?.()
  }

  function send(type: 'sms' | 'email') {
    return (request: RecordedRequest): FakeResponse => {
      const refused = guard(request)
      if (refused !== undefined) return refused
      const problem = sendProblem(type, request.body)
      if (problem !== undefined) return validation(problem)
      const body = request.body as Record<string, unknown>
      const recipient = String(type === 'sms' ? body['phone_number'] : body['email_address'])
      if (team !== undefined && !team.has(recipient)) {
        return errorResponse(
          400,
          'BadRequestError',
          'Can\u2019t send to this recipient when service is in trial mode \u2013 see https://www.notifications.service.gov.uk/trial-mode',
        )
      }
      const notification: FakeNotification = {
        id: randomUUID(),
        type,
        templateId: String(body['template_id']),
        recipient,
        personalisation: body['personalisation'] as Record<string, unknown> | undefined,
        reference: body['reference'] as string | undefined,
        status: statusFor(recipient),
        createdAt: new Date(now()).toISOString(),
      }
      notifications.push(notification)
      if (responsesToLose > 0) {
        responsesToLose -= 1
        return { drop: 'before-response' }
      }
      if (responsesToHang > 0) {
        responsesToHang -= 1
        return { hang: true }
      }
      const template = { id: notification.templateId, version: 1, uri: uri(`/v2/template/${notification.templateId}`) }
      const content =
        type === 'sms'
          ? { body: 'Message body', from_number: 'HUB' }
          : { body: 'Message body', subject: 'Message subject', from_email: 'hub@notifications.service.gov.uk' }
      return {
        status: 201,
        body: {
          id: notification.id,
          reference: notification.reference ?? null,
          content,
          uri: uri(`/v2/notifications/${notification.id}`),
          template,
        },
      }
    }
  }

  http.route('POST', '/v2/notifications/sms', send('sms'))
  http.route('POST', '/v2/notifications/email', send('email'))
  http.route('GET', '/v2/notifications/:id', (request) => {
    const refused = guard(request)
    if (refused !== undefined) return refused
    const id = request.params['id'] ?? ''
    if (!UUID.test(id)) return validation('notification_id is not a valid UUID')
    const found = notifications.find((n) => n.id === id)
    if (found === undefined) return errorResponse(404, 'NoResultFound', 'No result found')
    return { status: 200, body: asJson(found) }
  })
  http.route('GET', '/v2/notifications', (request) => {
    const refused = guard(request)
    if (refused !== undefined) return refused
    const reference = request.query.get('reference')
    const type = request.query.get('template_type')
    const status = request.query.get('status')
    const matching = notifications
      .filter((n) => reference === null || n.reference === reference)
      .filter((n) => type === null || n.type === type)
      .filter((n) => status === null || n.status === status)
      .reverse()
      .slice(0, 250)
    return {
      status: 200,
      body: { notifications: matching.map(asJson), links: { current: uri(`/v2/notifications`) } },
    }
  })

  return {
    url: http.url,
    apiKey: key.apiKey,
    key,
    requests: http.requests,
    notifications,
    failNext(count, status, failure = {}) {
      for (let i = 0; i < count; i++) {
        failures.push(() => {
          if (status === 500) return errorResponse(500, 'Exception', 'Internal server error')
          const headers =
            failure.retryAfterSeconds === undefined ? undefined : { 'retry-after': String(failure.retryAfterSeconds) }
          return failure.daily === true
            ? errorResponse(429, 'TooManyRequestsError', 'Exceeded send limits (250000) for today', headers)
            : errorResponse(
                429,
                'RateLimitError',
                'Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds',
                headers,
              )
        })
      }
    },
    loseNextResponses(count = 1) {
      responsesToLose += count
    },
    hangNextResponses(count = 1) {
      responsesToHang += count
    },
    trialMode(members) {
      team = new Set(members)
    },
    close: () => http.close(),
  }
}
