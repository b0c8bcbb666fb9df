/**
 * GOV.UK Notify through its official client (notifications-node-client), with each answer turned into one typed
 * result: the notification id or status, or a failure a caller can act on without reading Notify's message text
 * (Notify asks clients to code against the status code and error type only).
 *
 * - `rate-limited` (429): wait and try again; `retryAfterMs` when Notify said how long, or until midnight UTC for the
 *   daily limit.
 * - `server-error` (5xx, a network error or a timeout): try again. When `outcomeUnknown` is true the message may
 *   have been taken, so look it up with `findByReference` before sending it again.
 * - `rejected` (400, 403 and other 4xx): trying again will not help; `plainWords` is what staff are shown.
 *
 * Nothing sent or received (phone numbers, email addresses, personalisation, the key) is logged or put in a failure.
 */
import axios, { isAxiosError } from 'axios'
import { NotifyClient } from 'notifications-node-client'
import { systemClock, type Clock } from '../clock.ts'
import type { IntegrationLogger } from './http-client.ts'

export interface NotifyClientOptions {
  /** `{key_name}-{service-id}-{secret}`, as GOV.UK Notify issues it. */
  readonly apiKey: string
  /** Defaults to Notify's production API. */
  readonly baseUrl?: string
  /**
   * Limit on each request, from sending to the last byte of the answer. Notify answers in well under a second
   * when healthy; 10 s leaves room for a slow moment without holding a job for long.
   */
  readonly timeoutMs?: number
  readonly logger?: IntegrationLogger
  /** For the daily limit's wait until midnight UTC. */
  readonly clock?: Clock
}

export const DEFAULT_NOTIFY_TIMEOUT_MS = 10_000
const NOTIFY_API = 'https://api.notifications.service.gov.uk'

export type NotifyFailure =
  | { readonly kind: 'rate-limited'; readonly retryAfterMs?: number }
  | {
      readonly kind: 'server-error'
      /** The request may have reached Notify (a dropped connection or a timeout): check by reference first. */
      readonly outcomeUnknown: boolean
      readonly status?: number
    }
  | {
      readonly kind: 'rejected'
      /** 400 or 403 from Notify; another 4xx (404 for an unknown id) lands here too. */
      readonly status: number
      /** Notify's error type, e.g. 'ValidationError', 'BadRequestError', 'AuthError'. */
      readonly errorType: string
      /** What staff read, in GOV.UK style. */
      readonly plainWords: string
      /** A ValidationError about the phone number or email address sent: the person's record needs checking. */
      readonly recipientRefused: boolean
    }

export type NotifyResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: NotifyFailure }

export type NotifyStatus =
  | 'created'
  | 'sending'
  | 'pending'
  | 'sent'
  | 'delivered'
  | 'permanent-failure'
  | 'temporary-failure'
  | 'technical-failure'

/** A notification as Notify reports it, without its recipient or content. */
export interface NotifyNotification {
  readonly id: string
  readonly reference: string | undefined
  readonly type: 'sms' | 'email'
  readonly status: NotifyStatus
  readonly createdAt: string
  readonly completedAt: string | undefined
}

export interface SendSmsRequest {
  readonly templateId: string
  readonly phoneNumber: string
  readonly personalisation: Readonly<Record<string, string | number>>
  /** Our id for the message, so a lost answer can be looked up; it must hold no personal data. */
  readonly reference: string
}

export interface SendEmailRequest {
  readonly templateId: string
  readonly emailAddress: string
  readonly personalisation: Readonly<Record<string, string | number>>
  readonly reference: string
}

export interface NotifyApi {
  /** Resolves to Notify's notification id. */
  sendSms(request: SendSmsRequest): Promise<NotifyResult<string>>
  sendEmail(request: SendEmailRequest): Promise<NotifyResult<string>>
  /** The notifications Notify holds with this reference, newest first (Notify keeps them 7 days by default). */
  findByReference(reference: string): Promise<NotifyResult<readonly NotifyNotification[]>>
  getStatus(id: string): Promise<NotifyResult<NotifyNotification>>
}

const KEY_NOT_ACCEPTED = "The service's GOV.UK Notify key is not accepted (check NOTIFY_API_KEY and the server's clock)"
const NOT_ACCEPTED = 'GOV.UK Notify did not accept the message'

/**
 * A ValidationError's plain words, from the request field it names. Notify's messages start with the field
 * (`phone_number Not a UK mobile number`); the field is part of the API, the wording after it is not, so only the
 * field is read.
 */
const VALIDATION_WORDS: Readonly<Record<string, string>> = {
  phone_number: 'This number is not a UK mobile number',
  email_address: 'This email address is not in the correct format',
  template_id: 'The message template is not known to GOV.UK Notify (check the template ID)',
  personalisation: 'The details for the message template were not in the right form',
  reference: 'The message reference is not accepted (it may be too long)',
  notification_id: 'This is not a GOV.UK Notify notification ID',
}

/** The request field a ValidationError names first (`phone_number Not a UK mobile number`), or ''. */
function fieldNamed(message: string): string {
  return /^\s*(\w+)/.exec(message)?.[1] ?? ''
}

function plainWordsFor(status: number, errorType: string, message: string): string {
  if (status === 403 || errorType === 'AuthError') return KEY_NOT_ACCEPTED
  if (errorType === 'ValidationError') {
    const field = fieldNamed(message)
    if (field === 'Additional') return 'The service sent GOV.UK Notify a request it does not accept'
    return VALIDATION_WORDS[field] ?? NOT_ACCEPTED
  }
  if (errorType === 'BadRequestError') {
    return (
      'The message could not be sent because the service is in trial mode or uses a team-only key ' +
      '(it can send only to its team and guest list)'
    )
  }
  if (status === 404) return 'GOV.UK Notify has no record of this message'
  return NOT_ACCEPTED
}

/** Notify's error body, `{ status_code, errors: [{ error, message }] }`; anything else gives empty strings. */
function firstError(data: unknown): { errorType: string; message: string } {
  const errors = (data as { errors?: unknown } | undefined)?.errors
  const first: unknown = Array.isArray(errors) ? errors[0] : undefined
  const read = (key: string) => {
    const value = (first as Record<string, unknown> | undefined)?.[key]
    return typeof value === 'string' ? value : ''
  }
  return { errorType: read('error'), message: read('message') }
}

function untilMidnightUtc(now: Date): number {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)
  return midnight - now.getTime()
}

/** Errors raised before anything left this machine: resending cannot cause a duplicate. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])

const STATUSES: ReadonlySet<string> = new Set<NotifyStatus>([
  'created',
  'sending',
  'pending',
  'sent',
  'delivered',
  'permanent-failure',
  'temporary-failure',
  'technical-failure',
])

class MalformedResponse extends Error {
  override readonly name = 'MalformedResponse'
}

function toNotification(raw: unknown): NotifyNotification {
  const value = raw as Record<string, unknown> | null
  const text = (key: string) => {
    const field = value?.[key]
    return typeof field === 'string' ? field : undefined
  }
  const id = text('id')
  const type = text('type')
  const status = text('status')
  const createdAt = text('created_at')
  if (id === undefined || createdAt === undefined || (type !== 'sms' && type !== 'email')) {
    throw new MalformedResponse('notification without id, type or created_at')
  }
  if (status === undefined || !STATUSES.has(status)) throw new MalformedResponse('unknown notification status')
  return {
    id,
    reference: text('reference'),
    type,
    status: status as NotifyStatus,
    createdAt,
    completedAt: text('completed_at'),
  }
}

function idOf(data: unknown): string {
  const id = (data as { id?: unknown } | undefined)?.id
  if (typeof id !== 'string' || id === '') throw new MalformedResponse('answer without a notification id')
  return id
}

export function createNotifyClient(options: NotifyClientOptions): NotifyApi {
  const timeoutMs = options.timeoutMs ?? DEFAULT_NOTIFY_TIMEOUT_MS
  if (!(timeoutMs > 0)) throw new Error('Notify client: timeoutMs must be positive')
  const clock = options.clock ?? systemClock
  const { logger } = options
  const notify = new NotifyClient(options.baseUrl ?? NOTIFY_API, options.apiKey)
  // The client's own axios has no timeout and follows redirects (which would send the token elsewhere).
  // The cast only bridges axios's ESM and CommonJS type declarations: the client (CommonJS) is typed against the latter.
  const restClient = axios.create({ timeout: timeoutMs, maxRedirects: 0 })
  notify.setClient(restClient as unknown as Parameters<typeof notify.setClient>[0])

  function failureOf(error: unknown, sends: boolean): NotifyFailure {
    // A send answered 2xx was taken, whatever the body: the caller must look it up rather than send it again.
    if (error instanceof MalformedResponse) return { kind: 'server-error', outcomeUnknown: sends }
    if (!isAxiosError(error)) throw error
    const response = error.response
    if (response === undefined) {
      // A timeout or a cut connection after sending: Notify may have taken the message.
      const notSent = error.code !== undefined && NOT_SENT_CODES.has(error.code)
      return { kind: 'server-error', outcomeUnknown: sends && !notSent }
    }
    const { status } = response
    const { errorType, message } = firstError(response.data)
    if (status === 429) {
      const header: unknown = response.headers['retry-after']
      const seconds = typeof header === 'string' && /^\d+$/.test(header.trim()) ? Number(header) : undefined
      if (seconds !== undefined) return { kind: 'rate-limited', retryAfterMs: seconds * 1000 }
      if (errorType === 'TooManyRequestsError') {
        return { kind: 'rate-limited', retryAfterMs: untilMidnightUtc(clock.now()) }
      }
      return { kind: 'rate-limited' }
    }
    if (status >= 500) return { kind: 'server-error', outcomeUnknown: false, status }
    const field = errorType === 'ValidationError' ? fieldNamed(message) : ''
    return {
      kind: 'rejected',
      status,
      errorType,
      plainWords: plainWordsFor(status, errorType, message),
      recipientRefused: field === 'phone_number' || field === 'email_address',
    }
  }

  /** `sends`: the call creates a notification, so a lost answer leaves its outcome unknown (a read has none). */
  async function call<T>(operation: string, sends: boolean, run: () => Promise<T>): Promise<NotifyResult<T>> {
    try {
      return { ok: true, value: await run() }
    } catch (error) {
      const failure = failureOf(error, sends)
      // Only the operation and the failure's own fields: never the request, the answer or the error message.
      const fields = { integration: 'gov-uk-notify', operation, ...failure }
      if (failure.kind === 'rejected') logger?.info(fields, 'Notify refused the request')
      else logger?.warn(fields, 'Notify request failed')
      return { ok: false, failure }
    }
  }

  return {
    sendSms: (request) =>
      call('send-sms', true, async () => {
        const answer = await notify.sendSms(request.templateId, request.phoneNumber, {
          personalisation: request.personalisation,
          reference: request.reference,
        })
        return idOf(answer.data)
      }),
    sendEmail: (request) =>
      call('send-email', true, async () => {
        const answer = await notify.sendEmail(request.templateId, request.emailAddress, {
          personalisation: request.personalisation,
          reference: request.reference,
        })
        return idOf(answer.data)
      }),
    findByReference: (reference) =>
      call('find-by-reference', false, async () => {
        const answer = await notify.getNotifications(undefined, undefined, reference)
        const list: unknown = (answer.data as { notifications?: unknown } | undefined)?.notifications
        if (!Array.isArray(list)) throw new MalformedResponse('answer without notifications')
        return list.map(toNotification)
      }),
    getStatus: (id) =>
      call('get-status', false, async () => {
        const answer = await notify.getNotificationById(id)
        return toNotification(answer.data)
      }),
  }
}
