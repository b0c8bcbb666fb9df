/**
 * The API document two ways: `/api/docs` is a readable page for a browser (Accept: text/html), built from the
 * OpenAPI document, and JSON for any other caller; `/api/docs/openapi.json` is always the JSON, at a stable URL
 * for tools. No Swagger UI: the page works without JavaScript and passes the same accessibility checks as the rest.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'

interface Schema {
  type?: string | string[]
  enum?: unknown[]
  const?: unknown
  format?: string
  pattern?: string
  description?: string
  items?: Schema
  properties?: Record<string, Schema>
  required?: string[]
  anyOf?: Schema[]
  oneOf?: Schema[]
  minimum?: number
  maximum?: number
  minLength?: number
  maxLength?: number
}

interface Operation {
  summary?: string
  description?: string
  tags?: string[]
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: Schema }[]
  requestBody?: { content?: Record<string, { schema?: Schema }> }
  responses?: Record<string, { description?: string }>
}

export interface FieldRow {
  name: string
  type: string
  required: boolean
  description: string
}

export interface OperationView {
  id: string
  method: string
  path: string
  summary: string
  description: string
  parameters: FieldRow[]
  body: FieldRow[]
  responses: { status: string; description: string }[]
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

/** A schema's type in a few words: "string (date)", "one of: a, b", "array of object". */
export function describeType(schema: Schema | undefined): string {
  if (schema === undefined) return 'any'
  if (schema.const !== undefined) return JSON.stringify(schema.const)
  if (schema.enum !== undefined) return `one of: ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`
  const options = schema.anyOf ?? schema.oneOf
  if (options !== undefined) {
    const literals = options.filter((o) => o.const !== undefined)
    if (literals.length === options.length) return `one of: ${literals.map((o) => JSON.stringify(o.const)).join(', ')}`
    return options.map(describeType).join(' or ')
  }
  const type = Array.isArray(schema.type) ? schema.type.join(' or ') : (schema.type ?? 'object')
  if (type === 'array') return `array of ${describeType(schema.items)}`
  const limits: string[] = []
  if (schema.format !== undefined) limits.push(schema.format)
  if (schema.minimum !== undefined) limits.push(`from ${String(schema.minimum)}`)
  if (schema.maximum !== undefined) limits.push(`to ${String(schema.maximum)}`)
  if (schema.maxLength !== undefined) limits.push(`up to ${String(schema.maxLength)} characters`)
  return limits.length === 0 ? type : `${type} (${limits.join(', ')})`
}

/** The body's fields, nested ones named with dots (address.postcode). */
function fieldsOf(schema: Schema | undefined, prefix = ''): FieldRow[] {
  if (schema?.properties === undefined) return []
  const required = new Set(schema.required ?? [])
  return Object.entries(schema.properties).flatMap(([name, property]) => {
    const row: FieldRow = {
      name: `${prefix}${name}`,
      type: describeType(property),
      required: required.has(name),
      description: property.description ?? '',
    }
    return property.properties === undefined ? [row] : [row, ...fieldsOf(property, `${prefix}${name}.`)]
  })
}

export function operationViews(document: {
  paths?: Record<string, Record<string, Operation | undefined>>
}): OperationView[] {
  const views: OperationView[] = []
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method]
      if (operation === undefined) continue
      const json = operation.requestBody?.content?.['application/json']?.schema
      views.push({
        id: `${method}-${path}`.replace(/[^a-zA-Z0-9]+/g, '-').replace(/-+$/, ''),
        method: method.toUpperCase(),
        path,
        summary: operation.summary ?? '',
        description: operation.description ?? '',
        parameters: (operation.parameters ?? []).map((p) => ({
          name: `${p.name} (${p.in})`,
          type: describeType(p.schema),
          required: p.required === true,
          description: p.description ?? p.schema?.description ?? '',
        })),
        body: fieldsOf(json),
        responses: Object.entries(operation.responses ?? {}).map(([status, r]) => ({
          status,
          description: r.description ?? '',
        })),
      })
    }
  }
  return views
}

function wantsPage(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? ''
  const html = accept.indexOf('text/html')
  const json = accept.indexOf('application/json')
  return html !== -1 && (json === -1 || html < json)
}

export function registerApiDocs(app: FastifyInstance, document: () => unknown): void {
  app.get('/api/docs/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => document())
  app.get('/api/docs', { config: { access: 'public', page: true }, schema: { hide: true } }, async (request, reply) => {
    reply.header('vary', 'Accept')
    if (!wantsPage(request)) return reply.type('application/json; charset=utf-8').send(document())
    const doc = document() as {
      info?: { title?: string; description?: string }
      paths?: Record<string, Record<string, Operation | undefined>>
    }
    return reply.type('text/html; charset=utf-8').view('api-docs.njk', {
      pageTitle: 'API reference',
      description: doc.info?.description ?? '',
      operations: operationViews(doc),
      jsonHref: '/api/docs/openapi.json',
    })
  })
}
