import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { buildTestApp, Browser, page, signedInBrowser, type TestApp } from '../../../test/support/test-app.ts'
import { givenSite, givenStaff } from '../../../test/support/builders.ts'
import type { Principal } from '../../platform/http/auth.ts'
import { createAuditService, type AuditAction } from '../../platform/audit/audit.service.ts'

async function anAuditor(t: Parameters<typeof buildTestApp>[0]) {
  const testApp = await buildTestApp(t)
  const auditor = await givenStaff(testApp.database.db, 'auditor', { name: 'Aud Itor' })
  const browser = await signedInBrowser(testApp.app, auditor.email, auditor.password)
  return { ...testApp, auditor, browser, audit: createAuditService({ db: testApp.database.db, clock: testApp.clock }) }
}

function principalFor(user: { id: string; email: string; role: Principal['role'] }, name: string): Principal {
  return {
    userId: user.id,
    email: user.email,
    displayName: name,
    role: user.role,
    siteIds: [],
    organisationId: null,
    via: 'session',
  }
}

function rows(html: ReturnType<typeof page>) {
  html.$('br').replaceWith(' ')
  return html
    .$('#audit-events tbody tr')
    .map((_, tr) =>
      [
        html.$(tr).attr('data-event-id') ?? '',
        ...html
          .$(tr)
          .find('td')
          .map((__, td) => html.$(td).text().replace(/\s+/g, ' ').trim())
          .get(),
      ].join(' | '),
    )
    .get()
}

async function viewEvents(testApp: TestApp) {
  return testApp.database.db
    .selectFrom('audit_event')
    .select(['actor_id', 'details'])
    .where('action', '=', 'view')
    .where('entity_type', '=', 'audit_log')
    .orderBy('id')
    .execute()
}

test('shows an auditor the events newest first, with who, what, which person and which request', async (t) => {
  const testApp = await anAuditor(t)
  const { database, browser, audit, auditor } = testApp
  const site = await givenSite(database.db)
  const nurse = await givenStaff(database.db, 'clinician', { sites: [site], name: 'Nina Nurse' })
  const personId = randomUUID()
  await audit.recordAlone(
    { principal: principalFor(nurse, 'Nina Nurse'), requestId: 'req-1' },
    { action: 'view', entityType: 'person', entityId: personId, personId, siteId: site.id },
  )
  await audit.recordAlone(
    { principal: undefined, requestId: 'cli:abc' },
    { action: 'token-create', entityType: 'api_token', entityId: 'tok-1' },
  )

  const response = await browser.get('/audit')
  assert.equal(response.statusCode, 200)
  const html = page(response.body)
  assert.equal(html.h1(), 'Audit log')
  const shown = rows(html)
  assert.match(shown[0] ?? '', /Command line \| token-create \| api_token tok-1 \| {2}\| cli:abc$/)
  assert.match(
    shown[1] ?? '',
    new RegExp(`Nina Nurse Hub clinician \\| view \\| person ${personId} \\| ${personId} \\| req-1$`),
  )
  assert.match(shown[2] ?? '', /Aud Itor Auditor \| sign-in \| staff_user/)
  assert.match(shown[1] ?? '', /20 November 2026 at 10:00am/)

  const views = await viewEvents(testApp)
  assert.deepEqual(views, [{ actor_id: auditor.id, details: { filters: [] } }])
})

test('refuses the audit log to every role but auditor', async (t) => {
  const { app, database } = await buildTestApp(t)
  const site = await givenSite(database.db)
  for (const role of ['clinician', 'admin', 'analyst', 'hub_manager', 'partner'] as const) {
    const user = await givenStaff(database.db, role, { sites: [site] })
    const browser = await signedInBrowser(app, user.email, user.password)
    assert.equal((await browser.get('/audit')).statusCode, 403, role)
    assert.equal((await browser.get('/audit/verify')).statusCode, 403, role)
  }
  const anonymous = await new Browser(app).get('/audit')
  assert.equal(anonymous.statusCode, 302)
  const views = await database.db
    .selectFrom('audit_event')
    .select('id')
    .where('entity_type', '=', 'audit_log')
    .execute()
  assert.equal(views.length, 0)
})

test('filters by person, staff email, action and UK dates, and records which filters were used', async (t) => {
  const testApp = await anAuditor(t)
  const { database, browser, audit, clock } = testApp
  const nurse = await givenStaff(database.db, 'clinician', { name: 'Nina Nurse', email: 'nina@example.nhs.uk' })
  const personA = randomUUID()
  const personB = randomUUID()
  const record = (requestId: string, action: AuditAction, personId: string | null) =>
    audit.recordAlone(
      { principal: principalFor(nurse, 'Nina Nurse'), requestId },
      { action, entityType: 'person', personId },
    )

  clock.set('2026-06-30T22:30:00Z') // 11:30pm on 30 June in the UK (summer time)
  await record('june', 'view', personA)
  clock.set('2026-07-01T09:00:00Z')
  await record('july', 'update', personB)
  await audit.recordAlone(
    { principal: undefined, requestId: 'anon' },
    { action: 'view', entityType: 'person', personId: personA },
  )
  clock.set('2026-11-20T10:00:00Z')

  const requestIds = async (query: string) => {
    const response = await browser.get(`/audit?${query}`)
    assert.equal(response.statusCode, 200, query)
    const html = page(response.body)
    return html
      .$('#audit-events tbody tr td:last-child')
      .map((_, td) => html.$(td).text().trim())
      .get()
  }
  assert.deepEqual(await requestIds(`personId=${personA.toUpperCase()}`), ['anon', 'june'])
  assert.deepEqual(await requestIds('actorEmail=NINA@example.nhs.uk'), ['july', 'june'])
  assert.deepEqual(await requestIds('action=update'), ['july'])
  assert.deepEqual(await requestIds('from-day=1&from-month=7&from-year=2026&to-day=1&to-month=7&to-year=2026'), [
    'anon',
    'july',
  ])
  assert.deepEqual(await requestIds('to-day=30&to-month=6&to-year=2026'), ['june'])
  assert.deepEqual(await requestIds('actorEmail=nobody@example.nhs.uk'), [])

  const kept = page((await browser.get('/audit?action=update&from-day=1&from-month=7&from-year=2026')).body)
  assert.equal(kept.$('#action option[selected]').attr('value'), 'update')
  assert.equal(kept.value('from-day'), '1')

  const views = await viewEvents(testApp)
  assert.deepEqual(views.at(-1)?.details, { filters: ['action', 'from'] })
  assert.deepEqual(views[0]?.details, { filters: ['personId'] })
  assert.doesNotMatch(JSON.stringify(views.map((v) => v.details)), /nina|2026|update"/)
})

test('re-renders with an error summary when a filter is not valid, showing no events', async (t) => {
  const testApp = await anAuditor(t)
  const response = await testApp.browser.get(
    '/audit?personId=not-an-id&from-day=31&from-month=2&from-year=2026&to-day=1&to-month=1',
  )
  assert.equal(response.statusCode, 400)
  const html = page(response.body)
  assert.match(html.title(), /^Error: /)
  assert.deepEqual(html.errorSummary(), [
    { text: 'Enter a person ID in the correct format, like 6f1c2b7e-1d3a-4c5b-9e8f-0a1b2c3d4e5f', href: '#personId' },
    { text: 'The date from must be a real date', href: '#from-day' },
    { text: 'The date to must include a year', href: '#to-year' },
  ])
  assert.equal(html.value('personId'), 'not-an-id')
  assert.equal(html.has('#audit-events'), false)
  assert.equal((await viewEvents(testApp)).length, 0)
})

test('pages through older events with a link that keeps the filters and works without JavaScript', async (t) => {
  const { browser, audit } = await anAuditor(t)
  for (let i = 0; i < 55; i++) {
    await audit.recordAlone({ principal: undefined, requestId: `r${i}` }, { action: 'list', entityType: 'person' })
  }
  const first = page((await browser.get('/audit?action=list')).body)
  const firstIds = first
    .$('#audit-events tbody tr td:last-child')
    .map((_, td) => first.$(td).text().trim())
    .get()
  assert.equal(firstIds.length, 50)
  assert.equal(firstIds[0], 'r54')
  assert.equal(firstIds[49], 'r5')
  const older = first.$('.govuk-pagination__next a').attr('href')
  assert.ok(older)
  assert.match(older, /^\/audit\?action=list&before=\d+$/)

  const second = page((await browser.get(older)).body)
  const secondIds = second
    .$('#audit-events tbody tr td:last-child')
    .map((_, td) => second.$(td).text().trim())
    .get()
  assert.deepEqual(secondIds, ['r4', 'r3', 'r2', 'r1', 'r0'])
  assert.equal(second.has('.govuk-pagination__next'), false)
  assert.equal(second.$('.govuk-pagination__prev a').attr('href'), '/audit?action=list')
})

test('verifies the chain, and names the event that was changed after tampering', async (t) => {
  const { database, browser, audit } = await anAuditor(t)
  for (let i = 0; i < 3; i++)
    await audit.recordAlone({ principal: undefined, requestId: `r${i}` }, { action: 'view', entityType: 'person' })
  const ok = await browser.get('/audit/verify')
  assert.equal(ok.statusCode, 200)
  const okHtml = page(ok.body)
  assert.equal(okHtml.h1(), 'Verify the audit log')
  assert.equal(okHtml.text('#verify-result h3'), 'The audit chain is intact')
  assert.match(okHtml.text('#verify-result'), /4 events checked/)
  assert.ok(page((await browser.get('/audit')).body).has('a[href="/audit/verify"]'))

  const target = await database.db
    .selectFrom('audit_event')
    .select('id')
    .where('request_id', '=', 'r1')
    .executeTakeFirstOrThrow()
  await sql`alter table audit_event disable trigger audit_event_no_update`.execute(database.db)
  await sql`update audit_event set entity_type = 'staff_user' where id = ${target.id}`.execute(database.db)
  await sql`alter table audit_event enable trigger audit_event_no_update`.execute(database.db)

  const broken = page((await browser.get('/audit/verify')).body)
  assert.equal(broken.text('#verify-result h3'), `The audit chain is broken at event ${target.id}`)
})

test('the database refuses to update or delete audit events', async (t) => {
  const { database, audit } = await anAuditor(t)
  await audit.recordAlone({ principal: undefined, requestId: 'r1' }, { action: 'view', entityType: 'person' })
  await assert.rejects(sql`update audit_event set request_id = 'changed'`.execute(database.db), /append-only/)
  await assert.rejects(sql`delete from audit_event`.execute(database.db), /append-only/)
  const count = await database.db
    .selectFrom('audit_event')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  assert.equal(count.n, 2)
})
