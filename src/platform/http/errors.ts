import type { Socket } from 'node:net'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

export interface FieldError {
  /** The form field or JSON property, camelCase; also the id the error summary links to. */
  readonly field: string
  readonly message: string
}

export abstract class AppError extends Error {
  abstract readonly status: number
  abstract readonly title: string
}

export class NotFoundError extends AppError {
  readonly status = 404
  readonly title = 'Not found'
}

export class UnauthenticatedError extends AppError {
  readonly status = 401
  readonly title = 'Sign in required'
}

export class ForbiddenError extends AppError {
  readonly status = 403
  readonly title = 'Forbidden'
}

export class ConflictError extends AppError {
  readonly status = 409
  readonly title = 'Conflict'
  readonly extra: Record<string, unknown>
  constructor(message: string, extra: Record<string, unknown> = {}) {
    super(message)
    this.extra = extra
  }
}

export class PreconditionFailedError extends AppError {
  readonly status = 412
  readonly title = 'Precondition failed'
}

export class PreconditionRequiredError extends AppError {
  readonly status = 428
  readonly title = 'Precondition required'
}

/** A rule about the data was broken; `errors` name the fields so a page or API client can say what to fix. */
export class DomainError extends AppError {
  readonly status = 422
  readonly title = 'Invalid request'
  readonly code: string
  readonly errors: readonly FieldError[]
  constructor(code: string, errors: readonly FieldError[], message = errors[0]?.message ?? code) {
    super(message)
    this.code = code
    this.errors = errors
  }
}

/** Invalid input at the edge (shape or format), reported as a 400 with each field named. */
export class ValidationError extends AppError {
  readonly status = 400
  readonly title = 'Invalid request'
  readonly errors: readonly FieldError[]
  constructor(errors: readonly FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '))
    this.errors = errors
  }
}

/**
 * Input refused at the edge before any handler ran (a null character, a number that overflowed). Under /api/ it is a
 * 400 naming each field; a page cannot know the form's labels, so it says what to fix in `pageParagraphs`.
 */
export class InputRefusedError extends ValidationError {
  readonly pageParagraphs: readonly string[]
  constructor(errors: readonly FieldError[], pageParagraphs: readonly string[]) {
    super(errors)
    this.pageParagraphs = pageParagraphs
  }
}

/** A body the service cannot read: another charset than UTF-8, or anything but JSON under /api/. */
export class UnsupportedMediaTypeError extends AppError {
  readonly status = 415
  readonly title = 'Unsupported media type'
}

const PROBLEM_TYPE_BASE = 'https://probation-health-hub.service.gov.uk/problems/'

/** What each status is called in a problem's title (and its type); anything else is named by its class. */
const STATUS_TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Sign in required',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  406: 'Not acceptable',
  408: 'Request timeout',
  413: 'Content too large',
  414: 'URI too long',
  415: 'Unsupported media type',
  429: 'Too many requests',
  431: 'Request header fields too large',
  500: 'Internal server error',
  503: 'Service unavailable',
}

export function statusTitle(status: number): string {
  return STATUS_TITLES[status] ?? (status >= 500 ? 'Internal server error' : 'Bad request')
}

/** The JSON API, and the public callbacks other services make (answered in problem+json, never with a page). */
export function isApiRequest(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || request.routeOptions.config.serviceCallback === true
}

/**
 * Turns a JSON pointer like /address/postcode or /decisions/0/topic into the field name the API documents
 * (address.postcode, decisions[0].topic).
 */
function fieldFromValidation(instancePath: string, missing: unknown): string {
  const base = instancePath
    .replace(/^\//, '')
    .split('/')
    .map((segment, index) => (/^\d+$/.test(segment) ? `[${segment}]` : `${index === 0 ? '' : '.'}${segment}`))
    .join('')
  if (typeof missing === 'string' && missing !== '') return base === '' ? missing : `${base}.${missing}`
  return base === '' ? '(body)' : base
}

type AjvError = NonNullable<FastifyError['validation']>[number]

/** A coded value as the message lists it: "given", "refused" or null. */
const listed = (value: unknown) => (value === null ? 'null' : JSON.stringify(value))

/**
 * A value that fits no branch of a union (`"referralId": false` against string or null) is one mistake: its branches'
 * type and enum errors become one message, "referralId must be string or null", or for a code that may be null
 * "sex must be one of: "1", "2", "9" or null".
 */
function mergeUnionTypeErrors(errors: readonly AjvError[]): AjvError[] {
  const unions = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath))
  const typesAt = new Map<string, string[]>()
  const codesAt = new Map<string, unknown[]>()
  for (const e of errors) {
    if (!unions.has(e.instancePath)) continue
    if (e.keyword === 'type') {
      typesAt.set(e.instancePath, [...(typesAt.get(e.instancePath) ?? []), String(e.params['type'])])
    } else if (e.keyword === 'enum' && Array.isArray(e.params['allowedValues'])) {
      codesAt.set(e.instancePath, [...(codesAt.get(e.instancePath) ?? []), ...(e.params['allowedValues'] as unknown[])])
    }
  }
  // A value of the right type that breaks a bound of its branch (`"daysSupplied": 400` against an integer of at most
  // 365, or null) is told that bound only: "must be null" as well would mislead.
  const specific = new Set(
    errors
      .filter((e) => unions.has(e.instancePath) && !['type', 'enum', 'anyOf'].includes(e.keyword))
      .map((e) => e.instancePath),
  )
  return errors
    .filter((e) => !((e.keyword === 'type' || e.keyword === 'enum') && unions.has(e.instancePath)))
    .filter((e) => !(e.keyword === 'anyOf' && specific.has(e.instancePath)))
    .map((e) => {
      if (e.keyword !== 'anyOf') return e
      const types = [...new Set(typesAt.get(e.instancePath) ?? [])]
      const codes = codesAt.get(e.instancePath)
      if (codes !== undefined) {
        const options = [...codes.map(listed), ...types]
        return {
          ...e,
          message: `must be one of: ${options.slice(0, -1).join(', ')}${options.length > 1 ? ' or ' : ''}${options.at(-1) ?? ''}`,
        }
      }
      return types.length === 0 ? e : { ...e, message: `must be ${types.join(' or ')}` }
    })
}

/** Each invalid field of a request, named as the API documents it (decisions[0].topic), with what to send. */
export function validationErrors(error: FastifyError): FieldError[] {
  return mergeUnionTypeErrors(error.validation ?? []).map((v) => {
    const params = v.params
    const missing = params['missingProperty'] ?? params['requiredProperties'] ?? params['additionalProperty']
    const field = fieldFromValidation(v.instancePath, Array.isArray(missing) ? missing[0] : missing)
    const context = error.validationContext ?? 'body'
    const allowed = params['allowedValues']
    const message =
      v.keyword === 'additionalProperties'
        ? `${field} is not a recognised field`
        : v.keyword === 'required'
          ? `${field} is required`
          : v.keyword === 'enum' && Array.isArray(allowed)
            ? `${field} must be one of: ${allowed.map(listed).join(', ')}`
            : `${field} ${v.message ?? 'is invalid'}`
    return { field: context === 'body' ? field : `${context}.${field}`, message }
  })
}

export interface ErrorPageRenderer {
  /** `paragraphs` replace the page's usual ones when the service can say what to fix. */
  (reply: FastifyReply, status: number, paragraphs?: readonly string[]): Promise<unknown>
}

export function problemBody(status: number, title: string, detail: string, extra: Record<string, unknown> = {}) {
  const slug = title.toLowerCase().replace(/[^a-z]+/g, '-')
  return { type: `${PROBLEM_TYPE_BASE}${slug}`, title, status, detail, ...extra }
}

export function sendProblem(
  reply: FastifyReply,
  status: number,
  title: string,
  detail: string,
  extra: Record<string, unknown> = {},
): FastifyReply {
  return reply
    .code(status)
    .type('application/problem+json')
    .send(problemBody(status, title, detail, extra))
}

/**
 * One error handler for the whole service: problem+json (RFC 9457) under /api/, GOV.UK error pages elsewhere.
 * Internal messages and stack traces never leave the server.
 */
export function registerErrorHandling(app: FastifyInstance, renderErrorPage: ErrorPageRenderer): void {
  app.setErrorHandler(async (error: FastifyError | AppError, request, reply) => {
    const api = isApiRequest(request)
    if (error instanceof AppError) {
      if (api) {
        const extra: Record<string, unknown> = {}
        if (error instanceof DomainError || error instanceof ValidationError) extra['errors'] = error.errors
        if (error instanceof DomainError) extra['code'] = error.code
        if (error instanceof ConflictError) Object.assign(extra, error.extra)
        return sendProblem(reply, error.status, error.title, error.message, extra)
      }
      if (error instanceof UnauthenticatedError) {
        return reply.redirect(`/sign-in?returnTo=${encodeURIComponent(request.url)}`)
      }
      if (error instanceof InputRefusedError) return renderErrorPage(reply, error.status, error.pageParagraphs)
      return renderErrorPage(reply, error.status)
    }
    const fastifyError = error
    if (fastifyError.validation !== undefined) {
      if (api) {
        return sendProblem(reply, 400, 'Invalid request', 'The request has invalid fields.', {
          errors: validationErrors(fastifyError),
        })
      }
      return renderErrorPage(reply, 400)
    }
    const status = fastifyError.statusCode ?? 500
    if (status >= 500) request.log.error({ err: error }, 'unhandled error')
    else request.log.info({ code: fastifyError.code, status }, 'request refused')
    if (api) {
      const detail =
        status >= 500 ? 'Sorry, there is a problem with the service. Try again later.' : safeClientMessage(fastifyError)
      return sendProblem(reply, status, statusTitle(status), detail)
    }
    return renderErrorPage(reply, status >= 500 ? 500 : status)
  })
}

/**
 * What to say for the errors Fastify raises before a request reaches a route, keyed by code. None repeats the address:
 * it may hold search text or an attacker's markup.
 */
const FRAMEWORK_ERRORS: Record<string, { status: number; detail: string }> = {
  FST_ERR_BAD_URL: { status: 400, detail: 'The address is not valid: check its percent-encoding (%XX).' },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 414,
    detail: 'A part of the address is too long. Ids are at most 100 characters.',
  },
  FST_ERR_ASYNC_CONSTRAINT: { status: 500, detail: 'Sorry, there is a problem with the service. Try again later.' },
}

/**
 * Fastify's `frameworkErrors`: a bad percent-encoding or an over-long path segment, found while routing. Answered as
 * problem+json under /api/ and as a GOV.UK page elsewhere (page not found for an address no page has).
 */
export function handleFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
  renderErrorPage: ErrorPageRenderer,
): unknown {
  const known = FRAMEWORK_ERRORS[error.code] ?? { status: 400, detail: 'The request could not be processed.' }
  request.log.info({ code: error.code, status: known.status }, 'request refused while routing')
  if (isApiRequest(request)) return sendProblem(reply, known.status, statusTitle(known.status), known.detail)
  return renderErrorPage(reply, known.status === 414 ? 404 : known.status)
}

/**
 * Fastify's `clientErrorHandler`: requests Node's HTTP parser refuses (a malformed header, headers too large, a
 * timeout) never reach a route, and their URL cannot be trusted, so the answer is problem+json whatever was asked.
 */
export function handleClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400
  const body = JSON.stringify(problemBody(status, statusTitle(status), 'The request could not be read.'))
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${statusTitle(status)}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: application/problem+json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy(error)
}

/** Fastify's own 4xx messages (bad JSON, wrong content type, CSRF, rate limit) are safe to show; anything else is not. */
function safeClientMessage(error: FastifyError): string {
  const framework = FRAMEWORK_ERRORS[error.code]
  if (framework !== undefined) return framework.detail
  if (error.code.startsWith('FST_') || error.statusCode === 429) return error.message
  return 'The request could not be processed.'
}
