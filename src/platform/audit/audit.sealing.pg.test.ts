/** PostgreSQL only: several connections at once (transactions held open, sealers in parallel). */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fixedClock } from '../../../test/support/clock.ts'
import { createTestDatabase } from '../../../test/support/database.ts'
import { createAuditService } from './audit.service.ts'

const actor = (requestId: string) => ({ principal: undefined, requestId })

async function setUp(t: { after: (fn: () => Promise<void>) => void }) {
  const database = await createTestDatabase({ max: 8 })
  t.after(() => database.close())
  assert.equal(database.kind, 'postgres', 'this test needs TEST_DATABASE_URL (a PostgreSQL server)')
  const audit = createAuditService({ db: database.db, clock: fixedClock('2026-11-20T10:00:00Z') })
  return { database, db: database.db, audit }
}

/** A promise and the function that settles it. */
function gate() {
  let open = () => {}
  const opened = new Promise<void>((resolve) => {
    open = resolve
  })
  return { open, opened }
}

test(
  'a request recording an event never waits for another request’s open transaction',
  { timeout: 20_000 },
  async (t) => {
    const { db, audit } = await setUp(t)
    const held = gate()
    const recorded = gate()
    // The first request records its event, then stays open (its transaction holds what it wrote).
    const first = db.transaction().execute(async (tx) => {
      await audit.record(tx, actor('held-open'), { action: 'view', entityType: 'person' })
      recorded.open()
      await held.opened
    })
    await recorded.opened
    // The second request records and commits while the first is still open: it was not made to wait.
    await audit.recordAlone(actor('not-waiting'), { action: 'view', entityType: 'person' })
    const committed = await db.selectFrom('audit_event').select('request_id').execute()
    assert.deepEqual(
      committed.map((e) => e.request_id),
      ['not-waiting'],
    )
    held.open()
    await first
  },
)

test('an event whose transaction commits after a later one is sealed after it, and the chain verifies', async (t) => {
  const { db, audit } = await setUp(t)
  const held = gate()
  const recorded = gate()
  const early = db.transaction().execute(async (tx) => {
    await audit.record(tx, actor('lower-id'), { action: 'view', entityType: 'person' })
    recorded.open()
    await held.opened
  })
  await recorded.opened
  await audit.recordAlone(actor('higher-id'), { action: 'view', entityType: 'person' })
  assert.equal(await audit.seal(), 1)
  held.open()
  await early
  assert.equal(await audit.seal(), 1)
  const rows = await db.selectFrom('audit_event').select(['id', 'seq', 'request_id']).orderBy('seq').execute()
  assert.deepEqual(
    rows.map((r) => r.request_id),
    ['higher-id', 'lower-id'],
  )
  assert.ok((rows[1]?.id ?? 0) < (rows[0]?.id ?? 0), 'the later-sealed event has the lower id')
  assert.deepEqual(await audit.verify(), { ok: true, checked: 2 })
})

test('sealers in several processes at once seal each event exactly once, into one chain', async (t) => {
  const { database, audit } = await setUp(t)
  const others = [1, 2, 3].map(() => createAuditService({ db: database.db, clock: fixedClock('2026-11-20T10:00:00Z') }))
  const writers = Array.from({ length: 8 }, (_, w) =>
    (async () => {
      for (let i = 0; i < 40; i++) {
        await audit.recordAlone(actor(`w${String(w)}-${String(i)}`), { action: 'view', entityType: 'person' })
      }
    })(),
  )
  let sealing = true
  const sealers = others.map(async (sealer) => {
    let sealed = 0
    while (sealing) sealed += await sealer.seal()
    return sealed + (await sealer.seal())
  })
  await Promise.all(writers)
  sealing = false
  const sealed = (await Promise.all(sealers)).reduce((a, b) => a + b, 0) + (await audit.seal())
  assert.equal(sealed, 320)
  assert.deepEqual(await audit.verify(), { ok: true, checked: 320 })
})
