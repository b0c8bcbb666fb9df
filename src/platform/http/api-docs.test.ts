import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp, page } from '../../../test/support/test-app.ts'
import { describeType, operationViews } from './api-docs.ts'

test('a browser asking for /api/docs gets a readable page of every route, with the JSON linked', async (t) => {
  const { app } = await buildTestApp(t)
  const response = await app.inject({
    url: '/api/docs',
    headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
  })
  assert.equal(response.statusCode, 200)
  assert.match(String(response.headers['content-type']), /^text\/html/)
  assert.match(String(response.headers.vary), /Accept/)
  const html = page(response.body)
  assert.equal(html.h1(), 'API reference')
  assert.ok(html.has('a[href="/api/docs/openapi.json"]'))
  const doc = JSON.parse((await app.inject({ url: '/api/docs/openapi.json' })).body) as {
    paths: Record<string, Record<string, unknown>>
  }
  // One section per operation in the document, each with its method and path.
  const operations = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0)
  assert.equal(html.$('#api-contents li').length, operations)
  assert.match(html.text('#get-api-v1-people-id-heading'), /GET\s+\/api\/v1\/people\/\{id\}/)
  assert.ok(html.$('main table').length > 0, 'parameters and bodies are tables')
})

test('any other caller of /api/docs, and every caller of /api/docs/openapi.json, gets the JSON document', async (t) => {
  const { app } = await buildTestApp(t)
  for (const [url, accept] of [
    ['/api/docs', undefined],
    ['/api/docs', 'application/json'],
    ['/api/docs', 'application/json, text/html'],
    ['/api/docs/openapi.json', 'text/html'],
  ] as const) {
    const response = await app.inject({ url, headers: accept === undefined ? {} : { accept } })
    assert.equal(response.statusCode, 200, url)
    assert.match(String(response.headers['content-type']), /^application\/json/, `${url} ${String(accept)}`)
    assert.equal((JSON.parse(response.body) as { openapi: string }).openapi, '3.1.0')
  }
})

test('types read in words: formats, limits, lists of values, arrays and nested fields', () => {
  assert.equal(describeType({ type: 'string', format: 'date' }), 'string (date)')
  assert.equal(describeType({ type: 'integer', minimum: 1, maximum: 100 }), 'integer (from 1, to 100)')
  assert.equal(describeType({ anyOf: [{ const: 'sms' }, { const: 'email' }] }), 'one of: "sms", "email"')
  assert.equal(
    describeType({ type: 'array', items: { type: 'string', enum: ['a', 'b'] } }),
    'array of one of: "a", "b"',
  )
  assert.equal(describeType({ type: ['string', 'null'], maxLength: 20 }), 'string or null (up to 20 characters)')
  const views = operationViews({
    paths: {
      '/x/{id}': {
        post: {
          summary: 'Make an x',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          requestBody: {
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['address'],
                  properties: { address: { type: 'object', properties: { postcode: { type: 'string' } } } },
                },
              },
            },
          },
          responses: { '201': { description: 'Made' } },
        },
      },
    },
  })
  const view = views[0]
  assert.ok(view)
  assert.deepEqual(view.parameters, [{ name: 'id (path)', type: 'string (uuid)', required: true, description: '' }])
  assert.deepEqual(
    view.body.map((f) => [f.name, f.required]),
    [
      ['address', true],
      ['address.postcode', false],
    ],
  )
  assert.deepEqual(view.responses, [{ status: '201', description: 'Made' }])
})
