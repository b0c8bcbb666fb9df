import { test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify from 'fastify'
import { registerAccessControl } from './auth.ts'
import { buildTestApp, page } from '../../../test/support/test-app.ts'

test('refuses to start when a route does not declare who may use it', async () => {
  const app = Fastify({ logger: false })
  registerAccessControl(app, async () => undefined)
  assert.throws(() => app.get('/undeclared', async () => 'open'), /does not declare who may use it/)
  await app.close()
})

test('every route of the built service declares its access', async (t) => {
  // buildApp would throw on an undeclared route; this proves the full route table was checked.
  const { app } = await buildTestApp(t)
  assert.match(app.printRoutes({ commonPrefix: false }), /sign-in/)
})

test('sets a Content-Security-Policy with a fresh script nonce on each page', async (t) => {
  const { app } = await buildTestApp(t)
  const first = await app.inject({ method: 'GET', url: '/sign-in' })
  const second = await app.inject({ method: 'GET', url: '/sign-in' })
  const nonce = (csp: unknown) => /'nonce-([^']+)'/.exec(String(csp))?.[1]
  assert.ok(nonce(first.headers['content-security-policy']))
  assert.notEqual(nonce(first.headers['content-security-policy']), nonce(second.headers['content-security-policy']))
  assert.match(first.body, new RegExp(`nonce="${nonce(first.headers['content-security-policy']) ?? 'missing'}"`))
  assert.equal(first.headers['x-frame-options'], 'SAMEORIGIN')
  assert.equal(first.headers['cache-control'], 'no-store')
  assert.ok(first.headers['x-request-id'])
})

test('shows the GOV.UK "Page not found" page for an unknown page and problem+json under /api/', async (t) => {
  const { app } = await buildTestApp(t)
  const html = await app.inject({ method: 'GET', url: '/no-such-page' })
  assert.equal(html.statusCode, 404)
  assert.equal(page(html.body).h1(), 'Page not found')
  const api = await app.inject({ method: 'GET', url: '/api/v1/no-such-thing' })
  assert.equal(api.statusCode, 404)
  assert.equal(api.headers['content-type'], 'application/problem+json; charset=utf-8')
  assert.equal((JSON.parse(api.body) as { status: number }).status, 404)
})

test('never shows a stack trace or internal message when something breaks', async (t) => {
  const { app } = await buildTestApp(t, {
    beforeReady: (instance) => {
      instance.get('/boom', { config: { access: 'public' } }, async () => {
        throw new Error('secret internal detail at /srv/hub/src/x.ts:1')
      })
      instance.get('/api/v1/boom', { config: { access: 'public' } }, async () => {
        throw new Error('secret internal detail at /srv/hub/src/x.ts:1')
      })
    },
  })
  const html = await app.inject({ method: 'GET', url: '/boom' })
  assert.equal(html.statusCode, 500)
  assert.equal(page(html.body).h1(), 'Sorry, there is a problem with the service')
  assert.doesNotMatch(html.body, /secret internal detail/)
  const api = await app.inject({ method: 'GET', url: '/api/v1/boom' })
  assert.equal(api.statusCode, 500)
  assert.doesNotMatch(api.body, /secret internal detail/)
})

test('serves GOV.UK Frontend assets under /assets/ but not its template sources', async (t) => {
  const { app } = await buildTestApp(t)
  assert.equal((await app.inject({ method: 'GET', url: '/assets/govuk-frontend.min.css' })).statusCode, 200)
  assert.equal((await app.inject({ method: 'GET', url: '/assets/fonts/light-94a07e06a1-v2.woff2' })).statusCode, 200)
  assert.equal((await app.inject({ method: 'GET', url: '/assets/template.njk' })).statusCode, 404)
})

test('reports readiness only when the database answers', async (t) => {
  const { app, database } = await buildTestApp(t, { isolated: true })
  assert.equal((await app.inject({ method: 'GET', url: '/health/live' })).statusCode, 200)
  assert.equal((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode, 200)
  await database.close()
  assert.equal((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode, 503)
})

test('serves the OpenAPI document at /api/docs', async (t) => {
  const { app } = await buildTestApp(t)
  const response = await app.inject({ method: 'GET', url: '/api/docs' })
  assert.equal(response.statusCode, 200)
  const doc = JSON.parse(response.body) as { openapi: string; paths: Record<string, unknown> }
  assert.equal(doc.openapi, '3.1.0')
  assert.ok(doc.paths['/api/v1/sites'])
})

test('logs a database error without the parameters or row contents it carries', async () => {
  const { safeErrorForLog } = await import('../../app.ts')
  const error = Object.assign(new Error('new row for relation "person" violates check constraint "person_crn_check"'), {
    code: '23514',
    constraint: 'person_crn_check',
    params: ['A123456', '9434765919', 'Secret', 'Person'],
    query: 'insert into person ...',
    detail: 'Failing row contains (A123456, 9434765919, Secret, Person)',
  })
  const logged = JSON.stringify(safeErrorForLog(error))
  assert.match(logged, /person_crn_check/)
  assert.doesNotMatch(logged, /9434765919|Secret|Failing row/)
})
