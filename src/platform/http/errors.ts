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

const PROBLEM_TYPE_BASE = 'https://probation-health-hub.service.gov.uk/problems/'

export function isApiRequest(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/')
}

/** Turns a JSON pointer like /address/postcode into the field name the API documents (address.postcode). */
function fieldFromValidation(instancePath: string, missing: unknown): string {
  const base = instancePath.replace(/^\//, '').replaceAll('/', '.')
  if (typeof missing === 'string' && missing !== '') return base === '' ? missing : `${base}.${missing}`
  return base === '' ? '(body)' : base
}

function validationErrors(error: FastifyError): FieldError[] {
  return (error.validation ?? []).map((v) => {
    const params = v.params
    const missing = params['missingProperty'] ?? params['requiredProperties'] ?? params['additionalProperty']
    const field = fieldFromValidation(v.instancePath, Array.isArray(missing) ? missing[0] : missing)
    const context = error.validationContext ?? 'body'
    const message =
      v.keyword === 'additionalProperties'
        ? `${field} is not a recognised field`
        : v.keyword === 'required'
          ? `${field} is required`
          : `${field} ${v.message ?? 'is invalid'}`
    return { field: context === 'body' ? field : `${context}.${field}`, message }
  })
}

export interface ErrorPageRenderer {
  (reply: FastifyReply, status: number): Promise<unknown>
}

export function sendProblem(
  reply: FastifyReply,
  status: number,
  title: string,
  detail: string,
  extra: Record<string, unknown> = {},
): FastifyReply {
  const slug = title.toLowerCase().replace(/[^a-z]+/g, '-')
  return reply
    .code(status)
    .type('application/problem+json')
    .send({ type: `${PROBLEM_TYPE_BASE}${slug}`, title, status, detail, ...extra })
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
      const detail = status >= 500 ? 'Sorry, there is a problem with the service. Try again later.' : safeClientMessage(fastifyError)
      return sendProblem(reply, status, status >= 500 ? 'Internal server error' : 'Bad request', detail)
    }
    return renderErrorPage(reply, status >= 500 ? 500 : status)
  })
}

/** Fastify's own 4xx messages (bad JSON, wrong content type, CSRF, rate limit) are safe to show; anything else is not. */
function safeClientMessage(error: FastifyError): string {
  if (error.code.startsWith('FST_') || error.statusCode === 429) return error.message
  return 'The request could not be processed.'
}
