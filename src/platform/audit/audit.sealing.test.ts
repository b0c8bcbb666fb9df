import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql, type Kysely } from 'kysely'
import { fixedClock } from '../../../test/support/clock.ts'
import { emptyFileDatabase } from '../../../test/support/database.ts'
import type { DB } from '../db/schema.ts'
import { createAuditService, type AuditOptions } from './audit.service.ts'

const actor = (requestId: string) => ({ principal: undefined, requestId })

async function setUp(t: { after: (fn: () => Promise<void> | void) => void }, options: Partial<AuditOptions> = {}) {
  const database = await emptyFileDatabase()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-audit-'))
  t.after(() => {
    fs.rmSync(dir, { recursive: true, force: true })
  })
  const checkpointFile = path.join(dir, 'audit-checkpoints.jsonl')
  const audit = createAuditService({
    db: database.db,
    clock: fixedClock('2026-11-20T10:00:00Z'),
    checkpointFile,
    ...options,
  })
  return { database, db: database.db, audit, checkpointFile }
}

async function recordMany(audit: ReturnType<typeof createAuditService>, count: number, prefix = 'r') {
  for (let i = 0; i < count; i++) {
    await audit.recordAlone(actor(`${prefix}${String(i)}`), { action: 'view', entityType: 'person', details: { n: i } })
  }
}

/** Runs SQL as a superuser who has switched the append-only trigger off: the attacker the chain is for. */
async function tamper(db: Kysely<DB>, statement: ReturnType<typeof sql>) {
  await sql`alter table audit_event disable trigger audit_event_no_update`.execute(db)
  try {
    await statement.execute(db)
  } finally {
    await sql`alter table audit_event enable trigger audit_event_no_update`.execute(db)
  }
}

/** The same attacker, on the checkpoints. */
async function tamperCheckpoints(db: Kysely<DB>, statement: ReturnType<typeof sql>) {
  await sql`alter table audit_checkpoint disable trigger audit_checkpoint_no_change`.execute(db)
  try {
    await statement.execute(db)
  } finally {
    await sql`alter table audit_checkpoint enable trigger audit_checkpoint_no_change`.execute(db)
  }
}

async function idOf(db: Kysely<DB>, requestId: string): Promise<number> {
  const row = await db
    .selectFrom('audit_event')
    .select('id')
    .where('request_id', '=', requestId)
    .executeTakeFirstOrThrow()
  return row.id
}

test('recording an event does no chain work; sealing links the events in, in order, and they verify', async (t) => {
  const { db, audit } = await setUp(t)
  await recordMany(audit, 3)
  const before = await db.selectFrom('audit_event').select(['seq', 'hash']).execute()
  assert.deepEqual(before, [
    { seq: null, hash: null },
    { seq: null, hash: null },
    { seq: null, hash: null },
  ])
  assert.equal(await audit.seal(), 3)
  assert.equal(await audit.seal(), 0)
  const after = await db.selectFrom('audit_event').select(['id', 'seq', 'prev_hash', 'hash']).orderBy('seq').execute()
  assert.deepEqual(
    after.map((e) => e.seq),
    [1, 2, 3],
  )
  assert.equal(after[1]?.prev_hash, after[0]?.hash)
  assert.equal(after[2]?.prev_hash, after[1]?.hash)
  assert.deepEqual(await audit.verify(), { ok: true, checked: 3 })
})

test('an event committed after events with higher ids were sealed is sealed next, never skipped', async (t) => {
  const { db, audit } = await setUp(t)
  // id 100 commits and is sealed first; id 50 (a transaction that started earlier and committed later) follows.
  const insert = (id: number, requestId: string) =>
    sql`insert into audit_event (id, occurred_at, action, entity_type, request_id, details)
        overriding system value values (${id}, '2026-11-20T10:00:00Z', 'view', 'person', ${requestId}, '{}')`.execute(
      db,
    )
  await insert(100, 'late-id')
  assert.equal(await audit.seal(), 1)
  await insert(50, 'early-id')
  assert.equal(await audit.seal(), 1)
  const rows = await db.selectFrom('audit_event').select(['id', 'seq']).orderBy('seq').execute()
  assert.deepEqual(rows, [
    { id: 100, seq: 1 },
    { id: 50, seq: 2 },
  ])
  assert.deepEqual(await audit.verify(), { ok: true, checked: 2 })
})

test('verification fails at an altered event', async (t) => {
  const { db, audit } = await setUp(t)
  await recordMany(audit, 5)
  await audit.seal()
  const third = await idOf(db, 'r2')
  await tamper(db, sql`update audit_event set details = '{"n": 99}' where id = ${third}`)
  const result = await audit.verify()
  assert.equal(result.ok, false)
  assert.equal(result.brokenAt, third)
  assert.equal(result.checked, 2)
})

test('verification fails where an event was removed', async (t) => {
  const { db, audit } = await setUp(t)
  await recordMany(audit, 5)
  await audit.seal()
  await tamper(db, sql`delete from audit_event where id = ${await idOf(db, 'r2')}`)
  const result = await audit.verify()
  assert.equal(result.ok, false)
  assert.equal(result.brokenAt, await idOf(db, 'r3'))
  assert.match(result.problem ?? '', /missing/)
})

test('verification fails where two events were reordered', async (t) => {
  const { db, audit } = await setUp(t)
  await recordMany(audit, 5)
  await audit.seal()
  const [a, b] = [await idOf(db, 'r1'), await idOf(db, 'r2')]
  // Their positions swapped (in three steps: the positions are unique at every moment).
  await tamper(db, sql`update audit_event set seq = 1000 where id = ${a}`)
  await tamper(db, sql`update audit_event set seq = 2 where id = ${b}`)
  await tamper(db, sql`update audit_event set seq = 3 where id = ${a}`)
  const result = await audit.verify()
  assert.equal(result.ok, false)
  assert.equal(result.brokenAt, b)
})

test('verification fails at an event inserted into the sealed chain', async (t) => {
  const { db, audit } = await setUp(t)
  await recordMany(audit, 3)
  await audit.seal()
  const last = await db.selectFrom('audit_event').select('hash').where('seq', '=', 3).executeTakeFirstOrThrow()
  // A forged event placed as the fourth, claiming the real head as its predecessor but with a made-up hash.
  await sql`insert into audit_event (occurred_at, action, entity_type, request_id, details, seq, prev_hash, hash)
      values ('2026-11-20T10:00:00Z', 'view', 'person', 'forged', '{}', 4, ${last.hash}, ${'f'.repeat(64)})`.execute(db)
  const result = await audit.verify()
  assert.equal(result.ok, false)
  assert.equal(result.brokenAt, await idOf(db, 'forged'))
})

test('deleting the newest events is detected from the checkpoint file, even with the checkpoint rows deleted too', async (t) => {
  const { db, audit, checkpointFile } = await setUp(t)
  await recordMany(audit, 10)
  await audit.seal({ checkpoint: true })
  assert.ok(fs.readFileSync(checkpointFile, 'utf8').includes('"seq":10'))
  assert.deepEqual(await audit.verify(), { ok: true, checked: 10 })
  await tamper(db, sql`delete from audit_event where seq > 5`)
  await tamperCheckpoints(db, sql`delete from audit_checkpoint`)
  const result = await audit.verify()
  assert.equal(result.ok, false)
  assert.equal(result.checked, 5)
  assert.match(
    result.problem ?? '',
    /newest events were deleted: a checkpoint records event 10, but the chain ends at 5/,
  )
})

test('a checkpoint altered in the file or in the database is detected', async (t) => {
  const { db, audit, checkpointFile } = await setUp(t)
  await recordMany(audit, 4)
  await audit.seal({ checkpoint: true })
  await tamperCheckpoints(db, sql`update audit_checkpoint set seq = 2 where seq = 4`)
  const inDatabase = await audit.verify()
  assert.equal(inDatabase.ok, false)
  assert.match(inDatabase.problem ?? '', /checkpoint in the database .* altered/)
  await tamperCheckpoints(db, sql`update audit_checkpoint set seq = 4 where seq = 2`)
  assert.equal((await audit.verify()).ok, true)
  fs.writeFileSync(checkpointFile, fs.readFileSync(checkpointFile, 'utf8').replace('"seq":4', '"seq":3'))
  const inFile = await audit.verify()
  assert.equal(inFile.ok, false)
  assert.match(inFile.problem ?? '', /checkpoint in the file .* altered/)
})

test('a checkpoint signed with another key does not verify', async (t) => {
  const { database, audit, checkpointFile } = await setUp(t, { checkpointKey: 'the service key' })
  await recordMany(audit, 2)
  await audit.seal({ checkpoint: true })
  const impostor = createAuditService({
    db: database.db,
    clock: fixedClock('2026-11-20T10:00:00Z'),
    checkpointFile,
    checkpointKey: 'a key guessed by someone else',
  })
  assert.equal((await impostor.verify()).ok, false)
  assert.deepEqual(await audit.verify(), { ok: true, checked: 2 })
})

test('the auditor’s check starts from the last verified checkpoint; the full check still walks everything', async (t) => {
  const { db, audit } = await setUp(t)
  await recordMany(audit, 6)
  assert.deepEqual(await audit.verifyRecent(), { ok: true, checked: 6, from: 0 })
  await recordMany(audit, 3, 'later')
  assert.deepEqual(await audit.verifyRecent(), { ok: true, checked: 3, from: 6 })
  // A change after the last verified checkpoint is found by the quick check.
  await recordMany(audit, 2, 'newest')
  await audit.seal()
  await tamper(db, sql`update audit_event set details = '{"n": 42}' where request_id = 'newest1'`)
  const recent = await audit.verifyRecent()
  assert.equal(recent.ok, false)
  assert.equal(recent.from, 9)
  assert.equal(recent.brokenAt, await idOf(db, 'newest1'))
  // One before it (an event already verified) is left to the full check on the command line, which walks from the
  // first event and finds the earliest break.
  await tamper(db, sql`update audit_event set details = '{"n": 43}' where request_id = 'r1'`)
  const full = await audit.verify()
  assert.equal(full.ok, false)
  assert.equal(full.brokenAt, await idOf(db, 'r1'))
})

test('the quick check refuses to start from a verified checkpoint whose event was changed', async (t) => {
  const { db, audit } = await setUp(t)
  await recordMany(audit, 4)
  assert.equal((await audit.verifyRecent()).ok, true)
  await tamper(db, sql`update audit_event set hash = ${'0'.repeat(64)} where seq = 4`)
  const result = await audit.verifyRecent()
  assert.equal(result.ok, false)
  assert.match(result.problem ?? '', /no longer matches its verified checkpoint/)
})

test('the database lets an event be sealed once, and nothing else about it change', async (t) => {
  const { db, audit } = await setUp(t)
  await recordMany(audit, 1)
  const id = await idOf(db, 'r0')
  await assert.rejects(
    sql`update audit_event set seq = 1, prev_hash = 'x', hash = 'y', action = 'list' where id = ${id}`.execute(db),
    /append-only/,
  )
  await audit.seal()
  await assert.rejects(sql`update audit_event set seq = 7 where id = ${id}`.execute(db), /append-only/)
  await assert.rejects(
    sql`update audit_event set hash = null, prev_hash = null, seq = null where id = ${id}`.execute(db),
    /append-only/,
  )
  await assert.rejects(sql`delete from audit_event`.execute(db), /append-only/)
  assert.deepEqual(await audit.verify(), { ok: true, checked: 1 })
})

test('the sealer running in the background seals what requests record, and seals the rest when stopped', async (t) => {
  const { audit } = await setUp(t)
  const errors: unknown[] = []
  const stop = audit.startSealing({ intervalMs: 20, onError: (e) => errors.push(e) })
  await recordMany(audit, 3)
  const deadline = Date.now() + 10_000
  while ((await audit.sealLagMs()) > 0 || (await audit.seal()) > 0) {
    if (Date.now() > deadline) break
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  await recordMany(audit, 2, 'at-stop')
  await stop()
  assert.deepEqual(errors, [])
  assert.equal(await audit.sealLagMs(), 0)
  assert.deepEqual(await audit.verify(), { ok: true, checked: 5 })
})

test('checkpoints cannot be changed or deleted, only marked verified once, and a forged mark is refused', async (t) => {
  const { db, audit } = await setUp(t)
  await recordMany(audit, 3)
  assert.equal((await audit.verifyRecent()).ok, true)
  await assert.rejects(sql`delete from audit_checkpoint`.execute(db), /append-only/)
  await assert.rejects(sql`update audit_checkpoint set head_hash = 'x'`.execute(db), /append-only/)
  await assert.rejects(sql`update audit_checkpoint set verified_at = now()`.execute(db), /append-only/)
  // Marking the newest checkpoint verified by hand, to make the quick check skip everything before it.
  await recordMany(audit, 2, 'later')
  await audit.seal({ checkpoint: true })
  await tamperCheckpoints(
    db,
    sql`update audit_checkpoint set verified_at = now(), verified_mac = ${'a'.repeat(64)} where verified_at is null`,
  )
  const result = await audit.verifyRecent()
  assert.equal(result.ok, false)
  assert.match(result.problem ?? '', /verified has been altered/)
})

test('a checkpoint file that cannot be written fails no seal, is reported, and catches up once it can be', async (t) => {
  const { database, checkpointFile } = await setUp(t)
  fs.mkdirSync(checkpointFile) // a folder where the file should be: every append fails
  const errors: unknown[] = []
  const audit = createAuditService({
    db: database.db,
    clock: fixedClock('2026-11-20T10:00:00Z'),
    checkpointFile,
    onCheckpointFileError: (error) => errors.push(error),
  })
  await recordMany(audit, 2)
  assert.equal(await audit.seal({ checkpoint: true }), 2)
  assert.ok(errors.length > 0)
  const refused = await audit.verify()
  assert.equal(refused.ok, false)
  assert.match(refused.problem ?? '', /checkpoint file cannot be written/)
  fs.rmdirSync(checkpointFile)
  await recordMany(audit, 1, 'after')
  await audit.seal({ checkpoint: true })
  const lines = fs.readFileSync(checkpointFile, 'utf8').trim().split('\n')
  assert.deepEqual(
    lines.map((l) => (JSON.parse(l) as { seq: number }).seq),
    [2, 3],
  )
  assert.deepEqual(await audit.verify(), { ok: true, checked: 3 })
})

test('the quick check reads only the end of a long checkpoint file and still finds a deleted tail', async (t) => {
  const { db, audit, checkpointFile } = await setUp(t)
  await recordMany(audit, 2)
  assert.equal((await audit.verifyRecent()).ok, true)
  // Pad the file's start past what the quick check reads (earlier checkpoints, long since verified).
  const padding = fs.readFileSync(checkpointFile, 'utf8')
  fs.writeFileSync(checkpointFile, padding.repeat(Math.ceil((1.5 * 1024 * 1024) / padding.length)))
  await recordMany(audit, 3, 'later')
  await audit.seal({ checkpoint: true })
  assert.deepEqual(await audit.verifyRecent(), { ok: true, checked: 3, from: 2 })
  await recordMany(audit, 2, 'newest')
  await audit.seal({ checkpoint: true })
  await tamper(db, sql`delete from audit_event where request_id like 'newest%'`)
  const result = await audit.verifyRecent()
  assert.equal(result.ok, false)
  assert.match(result.problem ?? '', /newest events were deleted/)
})
