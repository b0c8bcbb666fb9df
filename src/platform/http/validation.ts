import { createRequire } from 'node:module'
import type { FastifyServerOptions } from 'fastify'

type ValidatorFactory = NonNullable<
  NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildValidator']
>

/** What Fastify hands a validator compiler for each part of each route, and what it expects back (at run time). */
interface RouteSchema {
  schema: unknown
  method: string
  url: string
  httpPart?: string
}
/** The server's `ajv` option, as Fastify passes it on. */
interface AjvOptions {
  customOptions?: Record<string, unknown>
  plugins?: unknown[]
}
type Compile = (route: RouteSchema) => unknown
type Pool = (externalSchemas: unknown, options: AjvOptions) => Compile

/**
 * Fastify's own validator compiler, @fastify/ajv-compiler: the one it builds when no other is given. It is one of
 * Fastify's dependencies, so it is loaded from where Fastify is installed (its version is always Fastify's own).
 */
const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'))
const ajvCompiler = fromFastify('@fastify/ajv-compiler') as () => Pool

/**
 * Validators per part of a request, with the server's `ajv` options: query strings, path parameters and headers are
 * text, so their values are coerced to the numbers, booleans and arrays their schemas name; a JSON body is typed
 * already and is taken as sent (`"givenName": true` is a 400, and `false` is never read as null). Fastify's way of
 * doing this is a validator per `httpPart` (Validation-and-Serialization, "Validator Compiler").
 */
export function validatorsByPart(): ValidatorFactory {
  const pool = ajvCompiler()
  const factory: Pool = (externalSchemas, options) => {
    const coercing = pool(externalSchemas, options)
    const typed = pool(externalSchemas, { ...options, customOptions: { ...options.customOptions, coerceTypes: false } })
    return (route) => (route.httpPart === 'body' ? typed : coercing)(route)
  }
  // Fastify's typings describe the compiler as Ajv's compile(schema); at run time it is given the route's part.
  return factory as unknown as ValidatorFactory
}
