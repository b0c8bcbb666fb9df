/**
 * Several app processes against one PostgreSQL database, as behind a load balancer: each app here has its own
 * connection pool, its own audit sealer and its own job runner, so to the database they are separate processes.
 * Concurrent writes through both lose nothing and duplicate nothing, a retried create landing on the other app is
 * still one person, a session made on one app works on the other, and the audit chain both sealed verifies.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.ts'
import { connectPostgres } from '../../src/platform/db/database.ts'
import { createAuditService } from '../../src/platform/audit/audit.service.ts'
import { DEVELOPMENT_CHECKPOINT_KEY } from '../../src/platform/audit/audit.checkpoints.ts'
import { TEST_PASSWORD_COST } from '../../src/features/staff/index.ts'
import { createTestDatabase, testDatabaseUrl } from '../support/database.ts'
import { givenApiToken, givenSite, givenStaff } from '../support/builders.ts'
import { fixedClock } from '../support/clock.ts'
import { testConfig } from '../support/config.ts'

const PEOPLE_PER_APP = 30

test(
  'two app processes on one database lose and duplicate nothing, share sessions, and seal one audit chain',
  { timeout: 120_000 },
  async (t) => {
    const url = testDatabaseUrl()
    assert.ok(url !== undefined, 'this test needs TEST_DATABASE_URL (a PostgreSQL server)')
    const first = await createTestDatabase({ max: 6 })
    t.after(() => first.close())
    const schema = (await sql<{ schema: string }>`select current_schema() as schema`.execute(first.db)).rows[0]?.schema
    assert.ok(schema !== undefined)
    const second = connectPostgres(url, { searchPath: schema, max: 6 })
    t.after(() => second.close())

    // Real settings for a deployment, but for the port: sealers and job runners on in both.
    const config = testConfig({ appEnv: 'local', jobsEnabled: true, auditSealIntervalMs: 100, logLevel: 'silent' })
    const clock = fixedClock('2026-11-20T10:00:00Z')
    const start = async (database: typeof first): Promise<FastifyInstance> => {
      const app = await buildApp(config, { database, clock, passwordCost: TEST_PASSWORD_COST, logger: false })
      await app.ready()
      return app
    }
    const apps = [await start(first), await start(second)]
    t.after(async () => {
      for (const app of apps) await app.close()
    })

    const site = await givenSite(first.db, { name: 'Cambridge' })
    const clinician = await givenStaff(first.db, 'clinician', { sites: [site] })
    const { token } = await givenApiToken(first.db, clinician)

    const create = (app: FastifyInstance, n: number, key: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/people',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
        payload: JSON.stringify({
          crn: `T${String(100000 + n)}`,
          givenName: `Person${String(n)}`,
          familyName: `Family${String(n)}`,
          dateOfBirth: '1990-04-23',
          sex: '2',
          address: { line1: '1 High Street', town: 'Cambridge', postcode: 'CB2 1TN' },
          siteCode: site.code,
        }),
      })

    // Every create goes to both apps at once with the same key: a client retrying through the other process.
    const results = await Promise.all(
      Array.from({ length: PEOPLE_PER_APP * 2 }, (_, n) => {
        const key = `create-${String(n)}`
        const [a, b] = n % 2 === 0 ? [apps[0], apps[1]] : [apps[1], apps[0]]
        assert.ok(a && b)
        return Promise.all([create(a, n, key), create(b, n, key)])
      }),
    )
    for (const [one, other] of results) {
      // Both answers agree (the second may be 409 while the first is still in flight, never a second person).
      assert.ok([201].includes(one.statusCode) || [201].includes(other.statusCode), `${one.body} / ${other.body}`)
      for (const r of [one, other]) assert.ok([201, 409].includes(r.statusCode), r.body)
    }
    const people = await first.db.selectFrom('person').select(['crn']).execute()
    assert.equal(people.length, PEOPLE_PER_APP * 2, 'every person once')
    assert.equal(new Set(people.map((p) => p.crn)).size, PEOPLE_PER_APP * 2)

    // A session made through one process is honoured by the other (sessions live in the database).
    const { createAuthService } = await import('../../src/features/staff/index.ts')
    const auth = createAuthService({
      db: first.db,
      clock,
      audit: createAuditService({ db: first.db, clock, checkpointKey: DEVELOPMENT_CHECKPOINT_KEY }),
      sessionSecret: config.sessionSecret,
      passwordCost: TEST_PASSWORD_COST,
    })
    const session = await auth.signIn(clinician.email, clinician.password, { principal: undefined, requestId: 'two' })
    assert.ok(session.ok)
    for (const app of apps) {
      const me: { statusCode: number; body: string } = await app.inject({
        url: '/api/v1/people?site=' + site.code,
        cookies: { hub_session: session.sessionToken },
      })
      assert.equal(me.statusCode, 200, me.body)
    }

    // Both sealers ran at once; every event is in one chain that verifies, none left unsealed.
    const audit = createAuditService({ db: first.db, clock, checkpointKey: DEVELOPMENT_CHECKPOINT_KEY })
    // (The clock is fixed, so the seal lag in milliseconds says nothing here: wait for no event to be unsealed.)
    const unsealed = async () =>
      Number(
        (
          await first.db
            .selectFrom('audit_event')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('seq', 'is', null)
            .executeTakeFirstOrThrow()
        ).n,
      )
    const deadline = Date.now() + 30_000
    while ((await unsealed()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    assert.equal(await unsealed(), 0, 'the sealers sealed every event')
    const verified = await audit.verify()
    assert.equal(verified.ok, true, verified.problem)
    const events = await first.db
      .selectFrom('audit_event')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
    assert.equal(verified.checked, Number(events.n))
    const creates = await first.db
      .selectFrom('audit_event')
      .select('id')
      .where('action', '=', 'create')
      .where('entity_type', '=', 'person')
      .execute()
    assert.equal(creates.length, PEOPLE_PER_APP * 2, 'one audited create per person')
  },
)
