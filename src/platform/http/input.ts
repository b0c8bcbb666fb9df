import type { FastifyInstance, FastifyRequest } from 'fastify'
import { InputRefusedError, UnsupportedMediaTypeError, type FieldError } from './errors.ts'

/**
 * Input the service refuses at the edge, before any handler or database sees it (issue 9):
 * - a body in a charset other than UTF-8, and under /api/ a body that is not JSON (415, after the CSRF check);
 * - a NUL character in any string or property name of the query, path or body (PostgreSQL cannot store one);
 * - a number in the query or path that overflowed to Infinity (the validator coerces "1e309" to Infinity and then
 *   skips its minimum and maximum checks).
 * JSON bodies are validated as sent, without coercion (validation.ts).
 */
export function registerInputGuards(app: FastifyInstance): void {
  app.addHook('preParsing', async (request) => {
    refuseOtherCharsets(request)
  })
  app.addHook('preValidation', async (request) => {
    refuseNulCharacters(request)
    refuseOverflowingNumbers(request)
  })
  // After the CSRF check (registered before this), so a cross-site form posted to the API is refused as such.
  app.addHook('preHandler', async (request) => {
    refuseApiBodiesThatAreNotJson(request)
  })
}

type Part = 'body' | 'querystring' | 'params'
type Path = readonly (string | number)[]

/**
 * The name the API documents for a field: body fields bare (address.postcode, decisions[0].topic), others by part
 * (querystring.q).
 */
export function fieldName(part: Part, path: Path): string {
  const base = path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${key}`))
    .join('')
  if (part === 'body') return base === '' ? '(body)' : base
  return base === '' ? part : `${part}.${base}`
}

const JSON_TYPE = /^application\/(?:[a-z0-9.+-]+\+)?json$/

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length']
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined
}

function mediaType(request: FastifyRequest): { type: string; charset: string | undefined } | undefined {
  const contentType = request.headers['content-type']
  if (contentType === undefined || !hasBody(request)) return undefined
  const [type = '', ...parameters] = contentType.split(';').map((part) => part.trim().toLowerCase())
  const charset = parameters
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/^"(.*)"$/, '$1')
  return { type, charset }
}

/** Bodies are read as UTF-8, so one declared in another charset would be misread (Zoë in latin1 is not UTF-8). */
function refuseOtherCharsets(request: FastifyRequest): void {
  const charset = mediaType(request)?.charset
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new UnsupportedMediaTypeError(
      'Send the body in UTF-8 (charset=utf-8); other character sets are not accepted.',
    )
  }
}

function refuseApiBodiesThatAreNotJson(request: FastifyRequest): void {
  const type = mediaType(request)?.type
  if (type !== undefined && request.url.startsWith('/api/') && !JSON_TYPE.test(type)) {
    throw new UnsupportedMediaTypeError('Send the body as JSON, with Content-Type: application/json.')
  }
}

// ---------------------------------------------------------------------------------------------------------------
// NUL characters
// ---------------------------------------------------------------------------------------------------------------

const NUL = '\u0000'
const MAX_DEPTH = 32

/** Paths to every string (or property name, reported as its object) holding a NUL character. */
function nulPaths(value: unknown, path: Path, out: Path[], depth = 0): void {
  if (typeof value === 'string') {
    if (value.includes(NUL)) out.push(path)
    return
  }
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return
  if (Array.isArray(value)) {
    value.forEach((item: unknown, index) => {
      nulPaths(item, [...path, index], out, depth + 1)
    })
    return
  }
  for (const [key, item] of Object.entries(value)) {
    // The name itself is never echoed back: the field is the object that holds it.
    if (key.includes(NUL)) out.push(path)
    else nulPaths(item, [...path, key], out, depth + 1)
  }
}

/** "givenName" -> "given name", "dateOfBirth-day" -> "date of birth day": how a page can name a field it cannot label. */
function inWords(path: Path): string {
  const last = path.length === 0 ? '' : String(path[path.length - 1])
  return last
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_.]+/g, ' ')
    .toLowerCase()
    .trim()
}

function refuseNulCharacters(request: FastifyRequest): void {
  const found: { part: Part; path: Path }[] = []
  const parts: [Part, unknown][] = [
    ['params', request.params],
    ['querystring', request.query],
    ['body', request.body],
  ]
  for (const [part, value] of parts) {
    const paths: Path[] = []
    nulPaths(value, [], paths)
    for (const path of paths) found.push({ part, path })
  }
  if (found.length === 0) return
  const errors: FieldError[] = found.map(({ part, path }) => {
    const field = fieldName(part, path)
    return { field, message: `${field} must not contain a null character (U+0000)` }
  })
  const paragraphs = found.map(({ part, path }) => {
    const words = inWords(path)
    if (part === 'body') {
      return words === ''
        ? 'Something you entered contains a null character, which the service cannot store.'
        : `The ${words} you entered contains a null character, which the service cannot store.`
    }
    return `The web address contains a null character (%00)${words === '' ? '' : ` in ‘${words}’`}, which the service cannot use.`
  })
  paragraphs.push(
    'A null character is invisible; it can come from copying and pasting from another program. Go back, type the text again and try again.',
  )
  throw new InputRefusedError(errors, [...new Set(paragraphs)])
}

// ---------------------------------------------------------------------------------------------------------------
// Numbers that overflow
// ---------------------------------------------------------------------------------------------------------------

interface Schema {
  type?: string | string[]
  anyOf?: Schema[]
  oneOf?: Schema[]
  allOf?: Schema[]
  properties?: Record<string, Schema>
  minimum?: number
  maximum?: number
}

/** The schemas a top-level property may be checked against (every branch of a union). */
function schemasOf(schema: Schema | undefined, key: string): Schema[] {
  if (schema === undefined) return []
  const branches = [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]
  if (branches.length > 0) return branches.flatMap((branch) => schemasOf(branch, key))
  const property = schema.properties?.[key]
  if (property === undefined) return []
  const inner = [...(property.anyOf ?? []), ...(property.oneOf ?? []), ...(property.allOf ?? [])]
  return inner.length > 0 ? inner : [property]
}

const isNumeric = (schema: Schema) => [schema.type ?? []].flat().some((type) => type === 'number' || type === 'integer')

/**
 * The validator coerces a query or path value with `+value`, so "1e309" and "Infinity" become Infinity, which then
 * passes every minimum and maximum. Such a value, for a parameter whose schema is a number, is refused here.
 */
function refuseOverflowingNumbers(request: FastifyRequest): void {
  const errors: FieldError[] = []
  const parts: ['querystring' | 'params', unknown, unknown][] = [
    ['params', request.params, request.routeOptions.schema?.params],
    ['querystring', request.query, request.routeOptions.schema?.querystring],
  ]
  for (const [part, value, schema] of parts) {
    if (schema === undefined || value === null || typeof value !== 'object') continue
    for (const [key, raw] of Object.entries(value)) {
      const overflow = [raw].flat().find((v): v is string => typeof v === 'string' && Math.abs(Number(v)) === Infinity)
      if (overflow === undefined) continue
      const schemas = schemasOf(schema as Schema, key).filter(isNumeric)
      if (schemas.length === 0) continue
      const field = fieldName(part, [key])
      const positive = Number(overflow) > 0
      const limit = positive
        ? schemas.find((s) => s.maximum !== undefined)?.maximum
        : schemas.find((s) => s.minimum !== undefined)?.minimum
      errors.push({
        field,
        message:
          limit === undefined
            ? `${field} must be a number of sensible size`
            : `${field} must be ${positive ? '<=' : '>='} ${limit}`,
      })
    }
  }
  if (errors.length > 0) {
    throw new InputRefusedError(errors, ['The web address has a number that is too large. Check it and try again.'])
  }
}
