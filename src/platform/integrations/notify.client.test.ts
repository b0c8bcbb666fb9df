import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { fixedClock } from '../../../test/support/clock.ts'
import { startFakeHttpServer } from '../../../test/support/fake-http-server.ts'
import {
  aNotifyApiKey,
  checkNotifyToken,
  signNotifyToken,
  startFakeNotifyServer,
  type FakeNotifyServer,
} from '../../../test/support/fake-notify-server.ts'
import {
  createNotifyClient,
  type NotifyClientOptions,
  type NotifyFailure,
  type NotifyResult,
  type SendEmailRequest,
  type SendSmsRequest,
} from './notify.client.ts'

const TEMPLATE = randomUUID()
const MOBILE = '07700900001'
const EMAIL = 'someone@example.com'

interface Logged {
  level: string
  fields: Record<string, unknown>
  message: string
}

function clientFor(notify: FakeNotifyServer, overrides: Partial<NotifyClientOptions> = {}) {
  const logs: Logged[] = []
  const client = createNotifyClient({
    apiKey: notify.apiKey,
    baseUrl: notify.url,
    logger: {
      info: (fields, message) => logs.push({ level: 'info', fields, message }),
      warn: (fields, message) => logs.push({ level: 'warn', fields, message }),
    },
    ...overrides,
  })
  return { client, logs }
}

const sms = (phoneNumber: string, reference: string = randomUUID()): SendSmsRequest => ({
  templateId: TEMPLATE,
  phoneNumber,
  personalisation: { firstName: 'Sam', time: '10:30am' },
  reference,
})

const email = (emailAddress: string, reference: string = randomUUID()): SendEmailRequest => ({
  templateId: TEMPLATE,
  emailAddress,
  personalisation: { firstName: 'Sam' },
  reference,
})

function value<T>(result: NotifyResult<T>): T {
  assert.ok(result.ok, `expected success, got ${JSON.stringify(result)}`)
  return result.value
}

function failure(result: NotifyResult<unknown>): NotifyFailure {
  assert.ok(!result.ok, 'expected a failure')
  return result.failure
}

type Rejected = Extract<NotifyFailure, { kind: 'rejected' }>

function rejected(result: NotifyResult<unknown>): Rejected {
  const refused = failure(result)
  assert.ok(refused.kind === 'rejected', `expected a rejection, got ${JSON.stringify(refused)}`)
  return refused
}

test('sends a text message and returns the id Notify gave it', async (t) => {
  const notify = await startFakeNotifyServer(t)
  const { client } = clientFor(notify)
  const reference = randomUUID()

  const id = value(await client.sendSms(sms(MOBILE, reference)))

  assert.equal(notify.notifications.length, 1)
  const stored = notify.notifications[0]!
  assert.equal(stored.id, id)
  assert.equal(stored.type, 'sms')
  assert.equal(stored.recipient, MOBILE)
  assert.equal(stored.templateId, TEMPLATE)
  assert.equal(stored.reference, reference)
  assert.deepEqual(stored.personalisation, { firstName: 'Sam', time: '10:30am' })
  assert.match(String(notify.requests[0]!.headers.authorization), /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/)
})

test('sends an email and returns the id Notify gave it', async (t) => {
  const notify = await startFakeNotifyServer(t)
  const { client } = clientFor(notify)

  const id = value(await client.sendEmail(email(EMAIL)))

  assert.deepEqual(
    notify.notifications.map((n) => [n.id, n.type, n.recipient]),
    [[id, 'email', EMAIL]],
  )
})

test('accepts UK mobile numbers written with +44, spaces and brackets', async (t) => {
  const notify = await startFakeNotifyServer(t)
  const { client } = clientFor(notify)
  for (const number of ['+447700900001', '07700 900 001', '(07700) 900-001', '447700900001']) {
    value(await client.sendSms(sms(number)))
  }
  assert.equal(notify.notifications.length, 4)
})

const NOT_A_MOBILE = 'This number is not a UK mobile number'
const BAD_EMAIL = 'This email address is not in the correct format'

for (const [why, phoneNumber] of [
  ['is a landline', '02079460000'],
  ['has too many digits', '077009000011'],
  ['has too few digits', '0770090000'],
  ['has letters', '07700 9OO OO1'],
] as const) {
  test(`refuses a number that ${why} with "${NOT_A_MOBILE}"`, async (t) => {
    const notify = await startFakeNotifyServer(t)
    const { client } = clientFor(notify)

    const refused = failure(await client.sendSms(sms(phoneNumber)))

    assert.deepEqual(refused, {
      kind: 'rejected',
      status: 400,
      errorType: 'ValidationError',
      plainWords: NOT_A_MOBILE,
      recipientRefused: true,
    })
    assert.equal(notify.notifications.length, 0)
  })
}

for (const address of ['not-an-email', 'someone@', 'some one@example.com', 'someone@example']) {
  test(`refuses the email address "${address}" with "${BAD_EMAIL}"`, async (t) => {
    const notify = await startFakeNotifyServer(t)
    const { client } = clientFor(notify)

    const refused = failure(await client.sendEmail(email(address)))

    assert.deepEqual(refused, {
      kind: 'rejected',
      status: 400,
      errorType: 'ValidationError',
      plainWords: BAD_EMAIL,
      recipientRefused: true,
    })
  })
}

test('a missing or malformed template id, bad personalisation and a long reference are each put in plain words', async (t) => {
  const notify = await startFakeNotifyServer(t)
  const { client } = clientFor(notify)
  const words = async (request: SendSmsRequest) => {
    const refused = rejected(await client.sendSms(request))
    assert.equal(refused.recipientRefused, false, 'not about the recipient')
    return [refused.status, refused.errorType, refused.plainWords]
  }
  const templateWords = 'The message template is not known to GOV.UK Notify (check the template ID)'

  assert.deepEqual(await words({ ...sms(MOBILE), templateId: undefined as unknown as string }), [
    400,
    'ValidationError',
    templateWords,
  ])
  assert.deepEqual(await words({ ...sms(MOBILE), templateId: 'template-1' }), [400, 'ValidationError', templateWords])
  assert.deepEqual(await words({ ...sms(MOBILE), personalisation: 'Sam' as unknown as Record<string, string> }), [
    400,
    'ValidationError',
    'The details for the message template were not in the right form',
  ])
  assert.deepEqual(await words(sms(MOBILE, 'r'.repeat(1001))), [
    400,
    'ValidationError',
    'The message reference is not accepted (it may be too long)',
  ])
  assert.equal(notify.notifications.length, 0)
})

test('the fake refuses properties Notify does not know, and a missing template id, as Notify does', async (t) => {
  const notify = await startFakeNotifyServer(t)
  const post = (body: unknown) =>
    fetch(`${notify.url}/v2/notifications/sms`, {
      method: 'POST',
      headers: { authorization: `Bearer ${signNotifyToken(notify.key)}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })

  const extra = await post({ phone_number: MOBILE, template_id: TEMPLATE, colour: 'blue' })
  assert.equal(extra.status, 400)
  assert.deepEqual(await extra.json(), {
    status_code: 400,
    errors: [{ error: 'ValidationError', message: 'Additional properties are not allowed (colour was unexpected)' }],
  })
  const missing = await post({ phone_number: MOBILE })
  assert.deepEqual(await missing.json(), {
    status_code: 400,
    errors: [{ error: 'ValidationError', message: 'template_id is a required property' }],
  })
})

test('a key Notify does not know is refused with a 403, in words that point to NOTIFY_API_KEY', async (t) => {
  const notify = await startFakeNotifyServer(t)
  const wrongSecret = aNotifyApiKey({ serviceId: notify.key.serviceId })
  const unknownService = aNotifyApiKey()

  for (const key of [wrongSecret, unknownService]) {
    const { client } = clientFor(notify, { apiKey: key.apiKey })
    const refused = rejected(await client.sendSms(sms(MOBILE)))
    assert.equal(refused.status, 403)
    assert.equal(refused.errorType, 'AuthError')
    assert.match(refused.plainWords, /check NOTIFY_API_KEY/)
  }
  assert.equal(notify.notifications.length, 0)
})

test('a clock more than 30 seconds out is refused with a 403', async (t) => {
  const notify = await startFakeNotifyServer(t, { now: () => Date.now() + 45_000 })
  const { client } = clientFor(notify)

  const refused = rejected(await client.sendEmail(email(EMAIL)))

  assert.equal(refused.status, 403)
  assert.equal(notify.notifications.length, 0)
})

test('the fake checks the token: an old iat, a bad signature, no iss or no token are refused', () => {
  const key = aNotifyApiKey()
  const now = Date.now()
  const nowSeconds = Math.round(now / 1000)
  const bearer = (token: string) => `Bearer ${token}`
  const refusal = (authorization: string | undefined): [number | undefined, unknown] | undefined => {
    const answer = checkNotifyToken(authorization, [key], now)
    if (answer === undefined) return undefined
    return 'hang' in answer ? [undefined, undefined] : [answer.status, 'body' in answer ? answer.body : undefined]
  }

  assert.equal(refusal(bearer(signNotifyToken(key, nowSeconds))), undefined)
  assert.equal(refusal(bearer(signNotifyToken(key, nowSeconds - 25))), undefined)
  assert.deepEqual(refusal(bearer(signNotifyToken(key, nowSeconds - 31))), [
    403,
    {
      status_code: 403,
      errors: [{ error: 'AuthError', message: 'Error: Your system clock must be accurate to within 30 seconds' }],
    },
  ])
  assert.equal(refusal(bearer(signNotifyToken(key, nowSeconds + 31)))?.[0], 403)
  const forged = signNotifyToken(aNotifyApiKey({ serviceId: key.serviceId }), nowSeconds)
  assert.equal(refusal(bearer(forged))?.[0], 403)
  const [header = '', , signature = ''] = signNotifyToken(key, nowSeconds).split('.')
  const noIss = Buffer.from(JSON.stringify({ iat: nowSeconds })).toString('base64url')
  assert.equal(refusal(bearer(`${header}.${noIss}.${signature}`))?.[0], 403)
  assert.equal(refusal(bearer('not-a-token'))?.[0], 403)
  assert.equal(refusal(undefined)?.[0], 401)
})

test('an old token sent over HTTP gets Notify\u2019s 403 body', async (t) => {
  const notify = await startFakeNotifyServer(t)
  const answer = await fetch(`${notify.url}/v2/notifications?reference=x`, {
    headers: { authorization: `Bearer ${signNotifyToken(notify.key, Math.round(Date.now() / 1000) - 60)}` },
  })
  assert.equal(answer.status, 403)
  const body = (await answer.json()) as { errors: { error: string }[] }
  assert.equal(body.errors[0]?.error, 'AuthError')
})

test('a 429 is rate-limited, with the wait when Notify gives one', async (t) => {
  const notify = await startFakeNotifyServer(t)
  const { client } = clientFor(notify)

  notify.failNext(1, 429)
  assert.deepEqual(failure(await client.sendSms(sms(MOBILE))), { kind: 'rate-limited' })
  notify.failNext(1, 429, { retryAfterSeconds: 30 })
  assert.deepEqual(failure(await client.sendSms(sms(MOBILE))), { kind: 'rate-limited', retryAfterMs: 30_000 })
  assert.equal(notify.notifications.length, 0)
  value(await client.sendSms(sms(MOBILE)))
})

test('the daily limit is rate-limited until midnight UTC, when Notify resets it', async (t) => {
  const notify = await startFakeNotifyServer(t)
  const { client } = clientFor(notify, { clock: fixedClock('2026-03-10T22:30:00Z') })
  notify.failNext(1, 429, { daily: true })

  assert.deepEqual(failure(await client.sendEmail(email(EMAIL))), {
    kind: 'rate-limited',
    retryAfterMs: 90 * 60_000,
  })
})

test('a 500 is a server error to retry, and the message was not taken', async (t) => {
  const notify = await startFakeNotifyServer(t)
  const { client } = clientFor(notify)
  notify.failNext(1, 500)

  assert.deepEqual(failure(await client.sendSms(sms(MOBILE))), {
    kind: 'server-error',
    outcomeUnknown: false,
    status: 500,
  })
  assert.equal(notify.notifications.length, 0)
})

test('a lost answer is a server error with the outcome unknown, and findByReference shows Notify took it', async (t) => {
  const notify = await startFakeNotifyServer(t)
  const { client } = clientFor(notify)
  const reference = randomUUID()
  notify.loseNextResponses(1)

  assert.deepEqual(failure(await client.sendSms(sms(MOBILE, reference))), {
    kind: 'server-error',
    outcomeUnknown: true,
  })

  const found = value(await client.findByReference(reference))
  assert.equal(found.length, 1)
  assert.equal(found[0]!.id, notify.notifications[0]!.id)
  assert.equal(found[0]!.reference, reference)
  assert.deepEqual(value(await client.findByReference(randomUUID())), [])
  // So a retry that looks first sends nothing twice.
  assert.equal(notify.notifications.length, 1)
})

test('a timeout is a server error with the outcome unknown', async (t) => {
  const notify = await startFakeNotifyServer(t)
  const { client } = clientFor(notify, { timeoutMs: 200 })
  const reference = randomUUID()
  notify.hangNextResponses(1)

  assert.deepEqual(failure(await client.sendEmail(email(EMAIL, reference))), {
    kind: 'server-error',
    outcomeUnknown: true,
  })
  assert.equal(value(await client.findByReference(reference)).length, 1)
})

test('a refused connection is a server error that certainly sent nothing', async (t) => {
  const notify = await startFakeNotifyServer(t)
  const { client } = clientFor(notify)
  await notify.close()

  assert.deepEqual(failure(await client.sendSms(sms(MOBILE))), { kind: 'server-error', outcomeUnknown: false })
})

test('a send answered without an id leaves the outcome unknown; a read with a bad body is a plain server error', async (t) => {
  const partner = await startFakeHttpServer(t)
  partner.route('POST', '/v2/notifications/sms', { status: 201, body: { content: {} } })
  partner.route('GET', '/v2/notifications/:id', { status: 200, body: { id: randomUUID(), status: 'shredded' } })
  const client = createNotifyClient({ apiKey: aNotifyApiKey().apiKey, baseUrl: partner.url })

  assert.deepEqual(failure(await client.sendSms(sms(MOBILE))), { kind: 'server-error', outcomeUnknown: true })
  assert.deepEqual(failure(await client.getStatus(randomUUID())), { kind: 'server-error', outcomeUnknown: false })
})

test('a lookup whose answer is lost is a server error with nothing unknown about it', async (t) => {
  const partner = await startFakeHttpServer(t)
  partner.route('GET', '/v2/notifications', { drop: 'before-response' })
  const client = createNotifyClient({ apiKey: aNotifyApiKey().apiKey, baseUrl: partner.url })

  assert.deepEqual(failure(await client.findByReference('ref-1')), { kind: 'server-error', outcomeUnknown: false })
})

test('the test numbers and addresses give the failure statuses; others are delivered', async (t) => {
  const notify = await startFakeNotifyServer(t)
  const { client } = clientFor(notify)
  const statusOf = async (sent: NotifyResult<string>) => value(await client.getStatus(value(sent))).status

  assert.equal(await statusOf(await client.sendSms(sms('07700900002'))), 'permanent-failure')
  assert.equal(await statusOf(await client.sendSms(sms('07700900003'))), 'temporary-failure')
  assert.equal(await statusOf(await client.sendSms(sms(MOBILE))), 'delivered')
  assert.equal(await statusOf(await client.sendEmail(email('perm-fail@simulator.notify'))), 'permanent-failure')
  assert.equal(await statusOf(await client.sendEmail(email('temp-fail@simulator.notify'))), 'temporary-failure')
  assert.equal(await statusOf(await client.sendEmail(email(EMAIL))), 'delivered')
})

test('getStatus reports what Notify holds without the recipient, and an unknown id as rejected', async (t) => {
  const notify = await startFakeNotifyServer(t)
  const { client } = clientFor(notify)
  const reference = randomUUID()
  const id = value(await client.sendSms(sms(MOBILE, reference)))

  const notification = value(await client.getStatus(id))
  assert.deepEqual(Object.keys(notification).sort(), ['completedAt', 'createdAt', 'id', 'reference', 'status', 'type'])
  assert.equal(notification.reference, reference)
  assert.equal(notification.type, 'sms')

  assert.equal(rejected(await client.getStatus(randomUUID())).status, 404)
  assert.equal(rejected(await client.getStatus('not-an-id')).errorType, 'ValidationError')
})

test('in trial mode a recipient outside the team is refused in plain words', async (t) => {
  const notify = await startFakeNotifyServer(t)
  const { client } = clientFor(notify)
  notify.trialMode([MOBILE])

  value(await client.sendSms(sms(MOBILE)))
  const refused = rejected(await client.sendSms(sms('07700900123')))
  assert.equal(refused.errorType, 'BadRequestError')
  assert.match(refused.plainWords, /trial mode/)
  assert.equal(refused.recipientRefused, false, "the service's own configuration, not the person's number")
})

test('logs name the operation and the failure, never a recipient, personalisation or the key', async (t) => {
  const notify = await startFakeNotifyServer(t)
  const { client, logs } = clientFor(notify)
  await client.sendSms(sms('02079460000'))
  await client.sendEmail(email('not-an-email'))
  notify.failNext(1, 500)
  await client.sendSms(sms(MOBILE))
  notify.loseNextResponses(1)
  await client.sendEmail(email(EMAIL))

  assert.deepEqual(
    logs.map((l) => [l.level, l.fields['operation'], l.fields['kind']]),
    [
      ['info', 'send-sms', 'rejected'],
      ['info', 'send-email', 'rejected'],
      ['warn', 'send-sms', 'server-error'],
      ['warn', 'send-email', 'server-error'],
    ],
  )
  const text = JSON.stringify(logs)
  for (const secret of ['02079460000', 'not-an-email', MOBILE, EMAIL, 'Sam', notify.key.secret, notify.key.serviceId]) {
    assert.ok(!text.includes(secret), `a log holds ${secret}`)
  }
})

test('refuses a timeout that is not positive', () => {
  assert.throws(() => createNotifyClient({ apiKey: aNotifyApiKey().apiKey, timeoutMs: 0 }), /timeoutMs/)
})
