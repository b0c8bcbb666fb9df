import { test } from 'node:test'
import assert from 'node:assert/strict'
import { canonicalJson, eventHash, GENESIS_HASH } from './audit.hash.ts'

const fields = {
  occurredAt: new Date('2026-11-20T10:00:00.123Z'),
  actorId: '00000000-0000-4000-8000-000000000001',
  actorRole: 'clinician',
  action: 'view',
  entityType: 'person',
  entityId: 'p1',
  personId: '00000000-0000-4000-8000-000000000002',
  siteId: null,
  requestId: 'r1',
  details: { b: 1, a: { d: [1, 2], c: 'x' } },
}

test('canonical JSON sorts keys at every level so jsonb key order cannot change a hash', () => {
  assert.equal(
    canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: 'x' } }),
    '{"a":{"c":"x","d":[1,{"y":2,"z":1}]},"b":1}',
  )
})

test('a hash changes when any field or the previous hash changes', () => {
  const base = eventHash(GENESIS_HASH, fields)
  assert.match(base, /^[0-9a-f]{64}$/)
  assert.equal(eventHash(GENESIS_HASH, { ...fields, details: { a: { c: 'x', d: [1, 2] }, b: 1 } }), base)
  assert.notEqual(eventHash('1'.repeat(64), fields), base)
  assert.notEqual(eventHash(GENESIS_HASH, { ...fields, action: 'update' }), base)
  assert.notEqual(eventHash(GENESIS_HASH, { ...fields, occurredAt: new Date('2026-11-20T10:00:00.124Z') }), base)
  assert.notEqual(eventHash(GENESIS_HASH, { ...fields, details: { b: 2, a: { d: [1, 2], c: 'x' } } }), base)
})
