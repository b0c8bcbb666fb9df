import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyBaseLogger } from 'fastify'
import { Type } from 'typebox'
import { Value } from 'typebox/value'
import { fixedClock } from '../../../test/support/clock.ts'
import { startFakeHttpServer } from '../../../test/support/fake-http-server.ts'
import {
  createHttpClient,
  fromGuard,
  IntegrationError,
  parseRetryAfter,
  type HttpClientOptions,
  type IntegrationLogger,
} from './http-client.ts'

// Fastify's logger (pino) is what the service passes in; this fails to compile if it stops fitting.
const _fastifyLoggerFits = (log: FastifyBaseLogger): IntegrationLogger => log

const Prisoner = Type.Object({ prisonerNumber: Type.String(), conditions: Type.Array(Type.String()) })
const parsePrisoner = (body: unknown) => Value.Parse(Prisoner, body)

interface Harness {
  client: ReturnType<typeof createHttpClient>
  /** Every wait the client asked for, in order. */
  sleeps: number[]
  logs: { level: string; fields: Record<string, unknown>; message: string }[]
}

function clientFor(fake: { url: string }, overrides: Partial<HttpClientOptions> = {}): Harness {
  const sleeps: number[] = []
  const logs: Harness['logs'] = []
  const client = createHttpClient({
    name: 'prison-health',
    baseUrl: `${fake.url}/api/v1`,
    timeoutMs: 5000,
    deadlineMs: 60_000,
    retries: 2,
    backoff: { initialMs: 100, maxMs: 1000, retryAfterMaxMs: 5000 },
    headers: () => ({ authorization: 'Bearer secret-token' }),
    logger: {
      info: (fields, message) => logs.push({ level: 'info', fields, message }),
      warn: (fields, message) => logs.push({ level: 'warn', fields, message }),
    },
    sleep: async (ms) => {
      sleeps.push(ms)
    },
    random: () => 0.5,
    ...overrides,
  })
  return { client, sleeps, logs }
}

const PRISONER = { prisonerNumber: 'A1234BC', conditions: ['asthma'] }

/** Everything an error carries that could end up in a log: its message, stack and own properties. */
const loggable = (error: IntegrationError) =>
  JSON.stringify({ message: error.message, stack: error.stack, ...Object.fromEntries(Object.entries(error)) })

/** Runs `call` expecting an IntegrationError, and returns it for the test to inspect. */
async function failure(call: Promise<unknown>): Promise<IntegrationError> {
  try {
    await call
  } catch (error) {
    assert.ok(error instanceof IntegrationError, `expected an IntegrationError, got ${String(error)}`)
    return error
  }
  assert.fail('expected the call to fail')
}

const PRISONER_ROUTE = '/api/v1/prisoners/:prisonerNumber/health'

test('returns the parsed body, with params encoded, the query and the headers sent', async (t) => {
  const fake = await startFakeHttpServer(t)
  fake.route('GET', PRISONER_ROUTE, { status: 200, body: PRISONER })
  const { client, sleeps } = clientFor(fake)

  const prisoner = await client.get('/prisoners/{prisonerNumber}/health', {
    params: { prisonerNumber: 'A1234 BC/1' },
    query: { since: '2026-01-01', include: ['a', 'b'], missing: undefined },
    parse: parsePrisoner,
  })

  assert.deepEqual(prisoner, PRISONER)
  const [request] = fake.requests
  assert.equal(fake.requests.length, 1)
  assert.equal(request?.path, '/api/v1/prisoners/A1234%20BC%2F1/health')
  assert.equal(request.params['prisonerNumber'], 'A1234 BC/1')
  assert.equal(request.query.toString(), 'since=2026-01-01&include=a&include=b')
  assert.equal(request.headers['authorization'], 'Bearer secret-token')
  assert.equal(request.headers['accept'], 'application/json')
  assert.deepEqual(sleeps, [])
})

test('request() gives the status and headers along with the parsed body', async (t) => {
  const fake = await startFakeHttpServer(t)
  fake.route('POST', '/api/v1/Patient', { status: 201, body: { id: 'p1' }, headers: { location: '/Patient/p1' } })
  const { client } = clientFor(fake)

  const response = await client.request('POST', '/Patient', {
    body: { name: 'x' },
    parse: fromGuard((body): body is { id: string } => typeof (body as { id?: unknown } | null)?.id === 'string'),
  })

  assert.equal(response.status, 201)
  assert.equal(response.headers.get('location'), '/Patient/p1')
  assert.deepEqual(response.body, { id: 'p1' })
  const [request] = fake.requests
  assert.ok(request)
  assert.deepEqual(request.body, { name: 'x' })
  assert.equal(request.headers['content-type'], 'application/json')
})

test('retries after an attempt times out, and returns the second answer', async (t) => {
  const fake = await startFakeHttpServer(t)
  fake.route('GET', PRISONER_ROUTE, [{ hang: true }, { status: 200, body: PRISONER }])
  const { client, sleeps, logs } = clientFor(fake, { timeoutMs: 100 })

  const prisoner = await client.get('/prisoners/{prisonerNumber}/health', {
    params: { prisonerNumber: 'A1234BC' },
    parse: parsePrisoner,
  })

  assert.deepEqual(prisoner, PRISONER)
  assert.equal(fake.requests.length, 2)
  assert.deepEqual(sleeps, [50])
  assert.deepEqual(logs[0]?.fields, {
    integration: 'prison-health',
    method: 'GET',
    path: '/prisoners/{prisonerNumber}/health',
    kind: 'timeout',
    status: undefined,
    attempt: 1,
    delayMs: 50,
  })
})

test('retries after a connection drops mid-response', async (t) => {
  const fake = await startFakeHttpServer(t)
  fake.route('GET', PRISONER_ROUTE, [{ drop: 'mid-body' }, { status: 200, body: PRISONER }])
  const { client } = clientFor(fake)

  const prisoner = await client.get('/prisoners/{prisonerNumber}/health', {
    params: { prisonerNumber: 'A1234BC' },
    parse: parsePrisoner,
  })

  assert.deepEqual(prisoner, PRISONER)
  assert.equal(fake.requests.length, 2)
})

test('retries 503 twice with growing jittered waits, then returns the 200', async (t) => {
  const fake = await startFakeHttpServer(t)
  fake.route('GET', PRISONER_ROUTE, [{ status: 503 }, { status: 503 }, { status: 200, body: PRISONER }])
  const { client, sleeps } = clientFor(fake)

  const prisoner = await client.get('/prisoners/{prisonerNumber}/health', {
    params: { prisonerNumber: 'A1234BC' },
    parse: parsePrisoner,
  })

  assert.deepEqual(prisoner, PRISONER)
  assert.equal(fake.requests.length, 3)
  // Full jitter: random() (0.5 here) times 100, then 200.
  assert.deepEqual(sleeps, [50, 100])
})

test('waits as long as a 429 Retry-After in seconds asks', async (t) => {
  const fake = await startFakeHttpServer(t)
  fake.route('GET', '/api/v1/ping', [{ status: 429, headers: { 'retry-after': '3' } }, { status: 204 }])
  const { client, sleeps } = clientFor(fake)

  await client.get('/ping', { parse: () => undefined })

  assert.deepEqual(sleeps, [3000])
})

test('waits until a 429 Retry-After HTTP-date', async (t) => {
  const fake = await startFakeHttpServer(t)
  const clock = fixedClock('2026-11-20T10:00:00Z')
  fake.route('GET', '/api/v1/ping', [
    { status: 429, headers: { 'retry-after': 'Fri, 20 Nov 2026 10:00:02 GMT' } },
    { status: 204 },
  ])
  const { client, sleeps } = clientFor(fake, { clock })

  await client.get('/ping', { parse: () => undefined })

  assert.deepEqual(sleeps, [2000])
})

test('gives up at once when Retry-After asks for a longer wait than allowed, saying how long', async (t) => {
  const fake = await startFakeHttpServer(t)
  fake.route('GET', '/api/v1/ping', { status: 429, headers: { 'retry-after': '3600' } })
  const { client, sleeps } = clientFor(fake)

  const error = await failure(client.get('/ping', { parse: () => undefined }))

  assert.equal(error.kind, 'unavailable')
  assert.equal(error.status, 429)
  assert.equal(error.reason, 'retry-after-too-long')
  assert.equal(error.retryAfterMs, 3_600_000)
  assert.equal(error.attempts, 1)
  assert.deepEqual(sleeps, [])
})

test('does not resend a POST without an idempotency key when the connection drops', async (t) => {
  const fake = await startFakeHttpServer(t)
  fake.route('POST', '/api/v1/referrals', [{ drop: 'before-response' }, { status: 201, body: { id: 'r1' } }])
  const { client, sleeps } = clientFor(fake)

  const error = await failure(client.post('/referrals', { nhsNumber: '9434765919' }, { parse: () => undefined }))

  assert.equal(error.kind, 'unavailable')
  assert.equal(error.reason, 'not-resent')
  assert.equal(error.outcomeUnknown, true)
  assert.equal(error.attempts, 1)
  assert.equal(fake.requests.length, 1)
  assert.deepEqual(sleeps, [])
})

test('does not resend a POST without an idempotency key after a 503 either', async (t) => {
  const fake = await startFakeHttpServer(t)
  fake.route('POST', '/api/v1/referrals', [{ status: 503 }, { status: 201, body: { id: 'r1' } }])
  const { client } = clientFor(fake)

  const error = await failure(client.post('/referrals', { nhsNumber: '9434765919' }, { parse: () => undefined }))

  assert.equal(error.status, 503)
  assert.equal(error.reason, 'not-resent')
  assert.equal(error.outcomeUnknown, false)
  assert.equal(fake.requests.length, 1)
})

test('resends a POST with an idempotency key, sending the same key each time', async (t) => {
  const fake = await startFakeHttpServer(t)
  fake.route('POST', '/api/v1/referrals', [
    { drop: 'before-response' },
    { status: 503 },
    { status: 201, body: { id: 'r1' } },
  ])
  const { client } = clientFor(fake)

  const created = await client.post(
    '/referrals',
    { nhsNumber: '9434765919' },
    { idempotencyKey: 'key-123', parse: (body) => Value.Parse(Type.Object({ id: Type.String() }), body) },
  )

  assert.deepEqual(created, { id: 'r1' })
  assert.equal(fake.requests.length, 3)
  assert.deepEqual(
    fake.requests.map((r) => r.headers['idempotency-key']),
    ['key-123', 'key-123', 'key-123'],
  )
  assert.deepEqual(
    fake.requests.map((r) => r.body),
    [{ nhsNumber: '9434765919' }, { nhsNumber: '9434765919' }, { nhsNumber: '9434765919' }],
  )
})

test('retries a POST without a key when the connection was refused, since nothing was sent', async (t) => {
  const closed = await startFakeHttpServer(t)
  await closed.close()
  const { client, sleeps } = clientFor(closed)

  const error = await failure(client.post('/referrals', { nhsNumber: '9434765919' }, { parse: () => undefined }))

  assert.equal(error.kind, 'unavailable')
  assert.equal(error.reason, 'retry-limit')
  assert.equal(error.outcomeUnknown, false)
  assert.equal(error.attempts, 3)
  assert.equal(sleeps.length, 2)
})

test('does not retry a 400, reporting it as rejected', async (t) => {
  const fake = await startFakeHttpServer(t)
  fake.route('GET', PRISONER_ROUTE, { status: 400, body: { error: 'bad request' } })
  const { client, sleeps, logs } = clientFor(fake)

  const error = await failure(
    client.get('/prisoners/{prisonerNumber}/health', { params: { prisonerNumber: 'A1234BC' }, parse: parsePrisoner }),
  )

  assert.equal(error.kind, 'rejected')
  assert.equal(error.status, 400)
  assert.equal(error.reason, 'permanent')
  assert.equal(error.attempts, 1)
  assert.equal(fake.requests.length, 1)
  assert.deepEqual(sleeps, [])
  assert.deepEqual(
    logs.map((l) => [l.level, l.message]),
    [['info', 'integration call refused']],
  )
})

test('does not follow a redirect, so the headers never go elsewhere', async (t) => {
  const fake = await startFakeHttpServer(t)
  const elsewhere = await startFakeHttpServer(t)
  elsewhere.route('GET', '/steal', { status: 200, body: {} })
  fake.route('GET', '/api/v1/ping', { status: 302, headers: { location: `${elsewhere.url}/steal` } })
  const { client } = clientFor(fake)

  const error = await failure(client.get('/ping', { parse: () => undefined }))

  assert.equal(error.kind, 'rejected')
  assert.equal(error.status, 302)
  assert.equal(elsewhere.requests.length, 0)
})

test('reports a body that does not fit the schema as malformed-response, naming the schema path only', async (t) => {
  const fake = await startFakeHttpServer(t)
  fake.route('GET', PRISONER_ROUTE, { status: 200, body: { prisonerNumber: 'A1234BC', conditions: 'asthma' } })
  const { client } = clientFor(fake)

  const error = await failure(
    client.get('/prisoners/{prisonerNumber}/health', { params: { prisonerNumber: 'A1234BC' }, parse: parsePrisoner }),
  )

  assert.equal(error.kind, 'malformed-response')
  assert.equal(error.status, 200)
  assert.equal(error.attempts, 1)
  assert.deepEqual(error.problems, ['#/properties/conditions type'])
  assert.equal(error.cause, undefined)
  assert.doesNotMatch(loggable(error), /asthma|A1234BC/)
})

test('reports a body that is not JSON as malformed-response', async (t) => {
  const fake = await startFakeHttpServer(t)
  fake.route('GET', '/api/v1/ping', { status: 200, text: '<html>maintenance</html>' })
  const { client } = clientFor(fake)

  const error = await failure(client.get('/ping', { parse: (body) => body }))

  assert.equal(error.kind, 'malformed-response')
  assert.equal(fake.requests.length, 1)
})

test('gives up after the retry limit, counting every attempt', async (t) => {
  const fake = await startFakeHttpServer(t)
  fake.route('GET', '/api/v1/ping', { status: 502 })
  const { client, sleeps, logs } = clientFor(fake, { retries: 3 })

  const error = await failure(client.get('/ping', { parse: () => undefined }))

  assert.equal(error.kind, 'unavailable')
  assert.equal(error.status, 502)
  assert.equal(error.reason, 'retry-limit')
  assert.equal(error.attempts, 4)
  assert.equal(fake.requests.length, 4)
  assert.deepEqual(sleeps, [50, 100, 200])
  assert.equal(logs.at(-1)?.message, 'integration call failed')
  assert.equal(logs.at(-1)?.fields['attempts'], 4)
})

test('stops retrying when the next wait would pass the deadline', async (t) => {
  const fake = await startFakeHttpServer(t)
  fake.route('GET', '/api/v1/ping', { status: 503 })
  const clock = fixedClock('2026-11-20T10:00:00Z')
  const sleeps: number[] = []
  const { client } = clientFor(fake, {
    clock,
    retries: 10,
    deadlineMs: 1000,
    backoff: { initialMs: 400, maxMs: 400 },
    random: () => 0.99,
    sleep: async (ms) => {
      sleeps.push(ms)
      clock.advance(ms)
    },
  })

  const error = await failure(client.get('/ping', { parse: () => undefined }))

  assert.equal(error.reason, 'deadline')
  // Waits of 396 ms end at 396 and 792; a third would end past 1000.
  assert.equal(error.attempts, 3)
  assert.deepEqual(sleeps, [396, 396])
  assert.equal(fake.requests.length, 3)
})

test('keeps the query, path values, body, partner answer and headers out of the error and the logs', async (t) => {
  const fake = await startFakeHttpServer(t)
  fake.route('POST', '/api/v1/prisoners/:prisonerNumber/notes', [
    { status: 503 },
    { status: 422, body: { error: 'NHS number 9434765919 is not known' } },
  ])
  const { client, logs } = clientFor(fake)

  const error = await failure(
    client.post(
      '/prisoners/{prisonerNumber}/notes',
      { note: 'confidential note', nhsNumber: '9434765919' },
      {
        params: { prisonerNumber: 'A1234BC' },
        query: { nhsNumber: '9434765919' },
        idempotencyKey: 'key-9',
        parse: () => undefined,
      },
    ),
  )

  assert.equal(
    error.message,
    'prison-health POST /prisoners/{prisonerNumber}/notes: request rejected (HTTP 422) after 2 attempts; not retried',
  )
  const everything = loggable(error) + JSON.stringify(logs)
  for (const secret of ['9434765919', 'A1234BC', 'confidential', 'secret-token', 'key-9', '?']) {
    assert.ok(!everything.includes(secret), `${secret} leaked`)
  }
})

test('refuses a path with a query in it or a dot segment, as a bug in the caller', async (t) => {
  const fake = await startFakeHttpServer(t)
  const { client } = clientFor(fake)

  await assert.rejects(
    client.get('/search?nhsNumber=9434765919', { parse: () => undefined }),
    /put the query in `query`/,
  )
  await assert.rejects(
    client.get('/prisoners/{prisonerNumber}', { params: { prisonerNumber: '..' }, parse: () => undefined }),
    /must not be empty/,
  )
  await assert.rejects(client.get('/prisoners/{prisonerNumber}', { parse: () => undefined }), /no value for/)
  assert.equal(fake.requests.length, 0)
})

test('reads Retry-After as seconds or an HTTP-date, and ignores what it cannot read', () => {
  const now = new Date('2026-11-20T10:00:00Z')
  assert.equal(parseRetryAfter('120', now), 120_000)
  assert.equal(parseRetryAfter('Fri, 20 Nov 2026 10:01:00 GMT', now), 60_000)
  assert.equal(parseRetryAfter('Fri, 20 Nov 2026 09:00:00 GMT', now), 0)
  assert.equal(parseRetryAfter('soon', now), undefined)
  assert.equal(parseRetryAfter(null, now), undefined)
})
