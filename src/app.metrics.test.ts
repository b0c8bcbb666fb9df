import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { buildTestApp } from '../test/support/test-app.ts'
import { metricsOf } from './app.ts'
import { listenForMetrics } from './platform/http/metrics.ts'

const TOKEN = 'metrics-token-that-is-long-enough-0123456789'

test('without METRICS_PORT or METRICS_TOKEN there are no metrics at all', async (t) => {
  const { app } = await buildTestApp(t)
  assert.equal(metricsOf(app), undefined)
  assert.equal((await app.inject({ url: '/metrics' })).statusCode, 404)
})

test('/metrics needs the metrics token, compared whole; a wrong or missing one is 401', async (t) => {
  const { app } = await buildTestApp(t, { config: { metricsToken: TOKEN } })
  for (const authorization of [undefined, 'Bearer wrong', `Bearer ${TOKEN}x`, TOKEN]) {
    const response = await app.inject({
      url: '/metrics',
      headers: authorization === undefined ? {} : { authorization },
    })
    assert.equal(response.statusCode, 401, String(authorization))
    assert.doesNotMatch(response.body, /hub_/)
  }
  const ok = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })
  assert.equal(ok.statusCode, 200)
  assert.match(String(ok.headers['content-type']), /^text\/plain; version=0\.0\.4/)
})

test('request durations are labelled by route template and status, never by a path with an id', async (t) => {
  const { app } = await buildTestApp(t, { config: { metricsToken: TOKEN } })
  const id = '6f1c2b9e-1111-4222-8333-944455556666'
  await app.inject({ url: '/health/live' })
  await app.inject({ url: `/api/v1/people/${id}` })
  const text = (await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })).body
  assert.match(
    text,
    /hub_http_request_duration_seconds_count\{method="GET",route="\/health\/live",status_code="200"\} 1/,
  )
  assert.match(
    text,
    /hub_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/people\/:id",status_code="401"\} 1/,
  )
  assert.doesNotMatch(text, new RegExp(id))
  assert.match(text, /hub_audit_seal_lag_seconds \d/)
  assert.match(text, /hub_process_resident_memory_bytes \d/)
})

test('the audit seal lag shows events waiting to be sealed', async (t) => {
  const { app, clock, database } = await buildTestApp(t, { config: { metricsToken: TOKEN } })
  const metrics = metricsOf(app)
  assert.ok(metrics)
  // A refused sign-in is audited; under test nothing seals it until asked.
  await app.inject({ method: 'GET', url: '/sign-in' })
  const before = await metrics.text()
  assert.match(before, /hub_audit_seal_lag_seconds 0\n/)
  await database.db
    .insertInto('audit_event')
    .values({
      occurred_at: new Date(clock.now().getTime() - 4000),
      action: 'view',
      entity_type: 'person',
      details: '{}',
    })
    .execute()
  assert.match(await metrics.text(), /hub_audit_seal_lag_seconds 4\n/)
})

test('METRICS_PORT serves /metrics alone on a listener of its own', async (t) => {
  const { app } = await buildTestApp(t, { config: { metricsPort: 9464 } })
  const metrics = metricsOf(app)
  assert.ok(metrics)
  // The service's own port does not serve them when only a port is configured.
  assert.equal((await app.inject({ url: '/metrics' })).statusCode, 404)
  const server = await listenForMetrics(metrics, { port: 0, host: '127.0.0.1' })
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve()
        })
      }),
  )
  const { port } = server.address() as AddressInfo
  const ok = await fetch(`http://127.0.0.1:${String(port)}/metrics`)
  assert.equal(ok.status, 200)
  assert.match(await ok.text(), /hub_http_request_duration_seconds/)
  assert.equal((await fetch(`http://127.0.0.1:${String(port)}/people`)).status, 404)
})
