/** Administrators see the jobs that used up their retries and run them again; nobody else can. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'kysely'
import { AUDIT_VERIFY_QUEUE, buildApp, jobRunnerOf } from '../../app.ts'
import { TEST_PASSWORD_COST } from '../../features/staff/index.ts'
import { fixedClock } from '../../../test/support/clock.ts'
import { testConfig } from '../../../test/support/config.ts'
import { createTestDatabase } from '../../../test/support/database.ts'
import { givenApiToken, givenStaff } from '../../../test/support/builders.ts'
import { json, page, signedInBrowser } from '../../../test/support/test-app.ts'
import { createAuditService } from '../audit/audit.service.ts'
import { DEVELOPMENT_CHECKPOINT_KEY } from '../audit/audit.checkpoints.ts'

test('a failed job is listed for administrators, on the page and the API, and runs again when asked', async (t) => {
  const database = await createTestDatabase()
  const clock = fixedClock('2026-11-20T10:00:00Z')
  const app = await buildApp(testConfig({ jobsEnabled: true }), { database, clock, passwordCost: TEST_PASSWORD_COST, logger: false })
  const runner = jobRunnerOf(app)
  t.after(async () => {
    try {
      await app.close()
      if (database.kind === 'postgres' && runner?.schema !== undefined) {
        await sql`drop schema if exists ${sql.id(runner.schema)} cascade`.execute(database.db)
      }
    } finally {
      await database.close()
    }
  })
  assert.ok(runner)
  const { db } = database
  const admin = await givenStaff(db, 'admin')
  const clinician = await givenStaff(db, 'clinician')
  const { token } = await givenApiToken(db, admin, { clock })
  const { token: clinicianToken } = await givenApiToken(db, clinician, { clock })

  // The nightly audit check fails when an event was altered, and is not retried: it goes to the dead-letter list.
  const audit = createAuditService({ db, clock, checkpointKey: DEVELOPMENT_CHECKPOINT_KEY })
  await audit.seal()
  await sql`alter table audit_event disable trigger audit_event_no_update`.execute(db)
  await sql`update audit_event set details = '{"altered": true}'`.execute(db)
  await sql`alter table audit_event enable trigger audit_event_no_update`.execute(db)
  await runner.trigger(AUDIT_VERIFY_QUEUE, {})
  let failed = await runner.failedJobs()
  for (let i = 0; i < 100 && failed.length === 0; i++) {
    await sleep(200)
    failed = await runner.failedJobs()
  }
  assert.equal(failed.length, 1, 'the failed check is in the dead-letter list')

  const listed = await app.inject({ method: 'GET', url: '/api/v1/admin/jobs/failed', headers: { authorization: `Bearer ${token}` } })
  assert.equal(listed.statusCode, 200)
  const [job] = json<{ jobs: { queue: string; id: string; error: string }[] }>(listed).jobs
  assert.equal(job?.queue, AUDIT_VERIFY_QUEUE)
  assert.match(job.error, /does not verify/)

  const refused = await app.inject({ method: 'GET', url: '/api/v1/admin/jobs/failed', headers: { authorization: `Bearer ${clinicianToken}` } })
  assert.equal(refused.statusCode, 403)

  const browser = await signedInBrowser(app, admin.email, admin.password)
  const shown = page((await browser.get('/admin/jobs')).body)
  assert.equal(shown.$('#failed-jobs tbody tr').length, 1)
  assert.match(shown.$('#failed-jobs').text(), /audit-verify/)
  // Without the form's CSRF token, nothing is retried.
  const forged = await browser.post(`/admin/jobs/${AUDIT_VERIFY_QUEUE}/${job.id}/retry`, {}, { csrf: false })
  assert.equal(forged.statusCode, 403)
  assert.equal((await runner.failedJobs()).length, 1)

  const retried = await browser.post(`/admin/jobs/${AUDIT_VERIFY_QUEUE}/${job.id}/retry`, {})
  assert.equal(retried.statusCode, 302)
  const again = await app.inject({
    method: 'POST',
    url: `/api/v1/admin/jobs/failed/${AUDIT_VERIFY_QUEUE}/${job.id}/retry`,
    headers: { authorization: `Bearer ${token}` },
  })
  assert.equal(again.statusCode, 404, 'no longer in the list')
  const audited = await db.selectFrom('audit_event').select('details').where('entity_type', '=', 'job').execute()
  assert.equal(audited.length, 1)
})
