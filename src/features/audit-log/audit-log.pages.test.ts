import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { buildTestApp, Browser, page, signedInBrowser, type TestApp } from '../../../test/support/test-app.ts'
import { givenHealthCheck, givenNeed, givenPerson, givenSite, givenStaff } from '../../../test/support/builders.ts'
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
  assert.match(shown[1] ?? '', /20 November 2026 at 10am/)

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

  // The page checks from the last verified checkpoint on (ADR 0009): the changed event is one recorded since.
  await audit.recordAlone({ principal: undefined, requestId: 'r-after' }, { action: 'view', entityType: 'person' })
  await audit.seal()
  const target = await database.db
    .selectFrom('audit_event')
    .select('id')
    .where('request_id', '=', 'r-after')
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

// ---------------------------------------------------------------------------------------------------------------
// Finding a person (issue 9, item 11)
// ---------------------------------------------------------------------------------------------------------------

async function searchEvents(testApp: TestApp) {
  return testApp.database.db
    .selectFrom('audit_event')
    .select(['actor_id', 'action', 'entity_type', 'person_id', 'details'])
    .where('entity_type', '=', 'person')
    .where('action', '=', 'list')
    .orderBy('id')
    .execute()
}

function emptySearch(): Record<string, string> {
  return {
    crn: '',
    nhsNumber: '',
    familyName: '',
    'dateOfBirth-day': '',
    'dateOfBirth-month': '',
    'dateOfBirth-year': '',
  }
}

test('finds a person by CRN at any site and shows the events about them, with name, CRN and staff name', async (t) => {
  const testApp = await anAuditor(t)
  const { database, browser, audit, auditor } = testApp
  const site = await givenSite(database.db, { name: 'Teesside hub' })
  const nurse = await givenStaff(database.db, 'clinician', { sites: [site], name: 'Nina Nurse' })
  const person = await givenPerson(database.db, site, {
    crn: 'X123456',
    given_name: 'Jo',
    family_name: 'Bloggs',
    date_of_birth: '1985-02-01',
  })
  const other = await givenPerson(database.db, site, { given_name: 'Sam', family_name: 'Other' })
  for (const [requestId, personId] of [
    ['about-jo', person.id],
    ['about-sam', other.id],
  ] as const) {
    await audit.recordAlone(
      { principal: principalFor(nurse, 'Nina Nurse'), requestId },
      { action: 'view', entityType: 'person', entityId: personId, personId, siteId: site.id },
    )
  }

  const found = await browser.post('/audit', { ...emptySearch(), crn: 'x123456' })
  assert.equal(found.statusCode, 303)
  assert.equal(found.headers.location, `/audit?personId=${person.id}`)

  const html = page((await browser.get(found.headers.location)).body)
  assert.equal(html.text('#chosen-person h2'), 'Events about Jo Bloggs')
  assert.match(html.text('#chosen-person'), /X123456[\s\S]*1 February 1985[\s\S]*Teesside hub/)
  const shown = rows(html)
  assert.equal(shown.length, 1)
  assert.match(
    shown[0] ?? '',
    /Nina Nurse Hub clinician \| view \| person [0-9a-f-]+ \| Jo Bloggs X123456 \| about-jo$/,
  )
  assert.equal(html.$('#audit-events tbody a').attr('href'), `/audit?personId=${person.id}`)

  // Searching is audited: the kind of search, the CRN searched for, and whom it found; not filed as Jo's own.
  assert.deepEqual(await searchEvents(testApp), [
    {
      actor_id: auditor.id,
      action: 'list',
      entity_type: 'person',
      person_id: null,
      details: {
        channel: 'page',
        purpose: 'audit-search',
        search: 'crn',
        crn: 'X123456',
        resultCount: 1,
        personIds: [person.id],
      },
    },
  ])
})

test('finds a person by NHS number typed with spaces, recording the kind of search but not the number', async (t) => {
  const testApp = await anAuditor(t)
  const { database, browser } = testApp
  const site = await givenSite(database.db)
  const person = await givenPerson(database.db, site, { nhs_number: '9434765919' })
  const found = await browser.post('/audit', { ...emptySearch(), nhsNumber: '943 476 5919' })
  assert.equal(found.statusCode, 303)
  assert.equal(found.headers.location, `/audit?personId=${person.id}`)
  const [event] = await searchEvents(testApp)
  assert.deepEqual(event?.details, {
    channel: 'page',
    purpose: 'audit-search',
    search: 'nhsNumber',
    resultCount: 1,
    personIds: [person.id],
  })
  assert.doesNotMatch(JSON.stringify(event), /9434765919|943 476/)
})

test('lists everyone at every site matching a family name and date of birth, to choose from', async (t) => {
  const testApp = await anAuditor(t)
  const { database, browser } = testApp
  const north = await givenSite(database.db, { name: 'North hub' })
  const south = await givenSite(database.db, { name: 'South hub' })
  const first = await givenPerson(database.db, north, {
    given_name: 'Alex',
    family_name: 'Smith',
    date_of_birth: '1990-04-23',
  })
  const second = await givenPerson(database.db, south, {
    given_name: 'Blake',
    family_name: 'SMITH',
    date_of_birth: '1990-04-23',
  })
  await givenPerson(database.db, north, { given_name: 'Casey', family_name: 'Smith', date_of_birth: '1991-04-23' })
  await givenPerson(database.db, north, { given_name: 'Dana', family_name: 'Smithson', date_of_birth: '1990-04-23' })

  const response = await browser.post('/audit', {
    ...emptySearch(),
    familyName: ' smith ',
    'dateOfBirth-day': '23',
    'dateOfBirth-month': '4',
    'dateOfBirth-year': '1990',
  })
  assert.equal(response.statusCode, 200)
  const html = page(response.body)
  assert.equal(html.text('#search-result h2'), '2 people match')
  const matches = html
    .$('#matches tbody tr')
    .map((_, tr) =>
      html
        .$(tr)
        .find('td')
        .map((__, td) => html.$(td).text().replace(/\s+/g, ' ').trim())
        .get()
        .join(' | '),
    )
    .get()
  assert.deepEqual(matches, [
    `Alex Smith (${first.crn}): show events | ${first.crn} | 23 April 1990 | North hub`,
    `Blake SMITH (${second.crn}): show events | ${second.crn} | 23 April 1990 | South hub`,
  ])
  assert.deepEqual(
    html
      .$('#matches a')
      .map((_, a) => html.$(a).attr('href'))
      .get(),
    [`/audit?personId=${first.id}`, `/audit?personId=${second.id}`],
  )
  assert.equal(html.has('#audit-events'), false)
  assert.equal(html.value('familyName'), 'smith')
  assert.equal(html.value('dateOfBirth-year'), '1990')

  const [event] = await searchEvents(testApp)
  assert.deepEqual(event?.details, {
    channel: 'page',
    purpose: 'audit-search',
    search: 'nameAndDateOfBirth',
    resultCount: 2,
    personIds: [first.id, second.id],
  })
  assert.doesNotMatch(JSON.stringify(event), /smith|1990/i)
})

test('lists the first 20 when more people match, and asks for a CRN or NHS number', async (t) => {
  const testApp = await anAuditor(t)
  const site = await givenSite(testApp.database.db)
  for (let i = 0; i < 21; i++) {
    await givenPerson(testApp.database.db, site, {
      given_name: `Twin${String(i).padStart(2, '0')}`,
      family_name: 'Many',
      date_of_birth: '2000-01-01',
    })
  }
  const response = await testApp.browser.post('/audit', {
    ...emptySearch(),
    familyName: 'Many',
    'dateOfBirth-day': '1',
    'dateOfBirth-month': '1',
    'dateOfBirth-year': '2000',
  })
  assert.equal(response.statusCode, 200)
  const html = page(response.body)
  assert.equal(html.text('#search-result h2'), 'More than 20 people match')
  assert.equal(html.$('#matches tbody tr').length, 20)
  assert.match(
    html.text('#search-result .govuk-inset-text'),
    /Only the first 20 are listed\. Search by CRN or NHS number/,
  )
  const [event] = await searchEvents(testApp)
  assert.equal(event?.details['resultCount'], 21)
})

test('says when no person matches, and records the search', async (t) => {
  const testApp = await anAuditor(t)
  const response = await testApp.browser.post('/audit', { ...emptySearch(), crn: 'Z999999' })
  assert.equal(response.statusCode, 200)
  const html = page(response.body)
  assert.equal(html.text('#search-result h2'), 'No person found')
  assert.match(html.text('#search-result p'), /No person on the hub matches that CRN/)
  assert.equal(html.value('crn'), 'Z999999')
  assert.deepEqual(
    (await searchEvents(testApp)).map((e) => e.details),
    [{ channel: 'page', purpose: 'audit-search', search: 'crn', crn: 'Z999999', resultCount: 0, personIds: [] }],
  )
})

test('re-renders the search with a GOV.UK error for each kind of bad input, and records nothing', async (t) => {
  const testApp = await anAuditor(t)
  const dob = (day: string, month: string, year: string) => ({
    'dateOfBirth-day': day,
    'dateOfBirth-month': month,
    'dateOfBirth-year': year,
  })
  const cases: [Record<string, string>, { text: string; href: string }][] = [
    [{}, { text: 'Enter a CRN, an NHS number, or a family name and date of birth', href: '#crn' }],
    [{ crn: '123456' }, { text: 'Enter a CRN in the correct format, like X123456', href: '#crn' }],
    [{ nhsNumber: '943 476 5918' }, { text: 'Enter a valid NHS number, like 943 476 5919', href: '#nhsNumber' }],
    [{ nhsNumber: '12345' }, { text: 'Enter a valid NHS number, like 943 476 5919', href: '#nhsNumber' }],
    [{ nhsNumber: '1111111111' }, { text: 'Enter a valid NHS number, like 943 476 5919', href: '#nhsNumber' }],
    [
      { crn: 'X123456', nhsNumber: '9434765919' },
      { text: 'Search by only one of CRN, NHS number, or family name and date of birth', href: '#crn' },
    ],
    [{ familyName: 'Smith' }, { text: 'Enter date of birth', href: '#dateOfBirth-day' }],
    [
      { ...dob('23', '4', '1990') },
      { text: 'Enter a family name, or search by CRN or NHS number', href: '#familyName' },
    ],
    [
      { familyName: 'Smith', ...dob('31', '2', '1990') },
      { text: 'Date of birth must be a real date', href: '#dateOfBirth-day' },
    ],
    [
      { familyName: 'Smith', ...dob('1', '1', '2027') },
      { text: 'Date of birth must be in the past', href: '#dateOfBirth-day' },
    ],
    [
      { familyName: 'S'.repeat(101), ...dob('1', '1', '1990') },
      { text: 'Family name must be 100 characters or fewer', href: '#familyName' },
    ],
  ]
  for (const [form, error] of cases) {
    const response = await testApp.browser.post('/audit', { ...emptySearch(), ...form })
    assert.equal(response.statusCode, 400, JSON.stringify(form))
    const html = page(response.body)
    assert.match(html.title(), /^Error: /)
    assert.deepEqual(html.errorSummary(), [error], JSON.stringify(form))
    assert.equal(html.has('#audit-events'), false)
    for (const [field, value] of Object.entries(form)) assert.equal(html.value(field), value, field)
  }
  assert.deepEqual(await searchEvents(testApp), [])
})

test('refuses the person search to other roles and to a form posted without the CSRF token', async (t) => {
  const testApp = await anAuditor(t)
  const { app, database, browser } = testApp
  const site = await givenSite(database.db)
  await givenPerson(database.db, site, { crn: 'X123456' })
  for (const role of ['clinician', 'hub_manager', 'probation_practitioner', 'partner', 'admin', 'analyst'] as const) {
    const user = await givenStaff(database.db, role, { sites: [site] })
    const other = await signedInBrowser(app, user.email, user.password)
    assert.equal((await other.post('/audit', { ...emptySearch(), crn: 'X123456' })).statusCode, 403, role)
  }
  assert.equal((await browser.post('/audit', { ...emptySearch(), crn: 'X123456' }, { csrf: false })).statusCode, 403)
  const anonymous = await new Browser(app).post('/audit', { ...emptySearch(), crn: 'X123456' }, { csrf: false })
  assert.equal(anonymous.statusCode, 302)
  assert.match(anonymous.headers.location ?? '', /^\/sign-in/)
  assert.deepEqual(await searchEvents(testApp), [])
})

test('shows an auditor who looked at a record, never its clinical content', async (t) => {
  const testApp = await anAuditor(t)
  const { app, database, browser } = testApp
  const site = await givenSite(database.db)
  const nurse = await givenStaff(database.db, 'clinician', { sites: [site], name: 'Nina Nurse' })
  const person = await givenPerson(database.db, site, { crn: 'X654321', given_name: 'Jo', family_name: 'Bloggs' })
  const check = await givenHealthCheck(database.db, { person, clinician: nurse, status: 'completed', flag: true })
  await givenNeed(database.db, person, nurse, { proposedBecause: 'Disclosed heavy drinking, AUDIT-C 9' })
  const clinician = await signedInBrowser(app, nurse.email, nurse.password)
  for (const url of [
    `/people/${person.id}`,
    `/people/${person.id}/health-checks`,
    `/people/${person.id}/needs`,
    `/people/${person.id}/timeline`,
    `/health-checks/${check.id}/summary`,
  ]) {
    assert.equal((await clinician.get(url)).statusCode, 200, url)
  }

  const found = await browser.post('/audit', { ...emptySearch(), crn: 'X654321' })
  const html = page((await browser.get(found.headers.location ?? '')).body)
  const shown = rows(html)
  assert.ok(shown.length >= 5, shown.join('\n'))
  assert.ok(shown.every((row) => row.includes('Jo Bloggs X654321') && row.includes('Nina Nurse')))
  const body = html.$('main').text()
  assert.doesNotMatch(body, /heavy drinking|AUDIT-C|review today|phq/i)

  // The record itself stays closed to auditors.
  for (const url of [
    `/people/${person.id}`,
    `/people/${person.id}/health-checks`,
    `/health-checks/${check.id}/summary`,
    `/people/${person.id}/views`,
    '/caseload',
  ]) {
    assert.equal((await browser.get(url)).statusCode, 403, url)
  }
})

// ---------------------------------------------------------------------------------------------------------------
// Who has viewed this record
// ---------------------------------------------------------------------------------------------------------------

async function aRecordWithViews(t: Parameters<typeof buildTestApp>[0]) {
  const testApp = await buildTestApp(t)
  const { database, app, clock } = testApp
  const site = await givenSite(database.db)
  const person = await givenPerson(database.db, site, { given_name: 'Jo', family_name: 'Bloggs' })
  const clinician = await givenStaff(database.db, 'clinician', { sites: [site], name: 'Nina Nurse' })
  const browser = await signedInBrowser(app, clinician.email, clinician.password)
  const audit = createAuditService({ db: database.db, clock })
  return { ...testApp, site, person, clinician, browser, audit }
}

function viewRows(html: ReturnType<typeof page>) {
  html.$('br').replaceWith(' ')
  return html
    .$('#record-views tbody tr')
    .map((_, tr) =>
      html
        .$(tr)
        .find('td')
        .map((__, td) => html.$(td).text().replace(/\s+/g, ' ').trim())
        .get()
        .join(' | '),
    )
    .get()
}

test('"Who has viewed this record" lists who read or changed it, newest first, in plain words', async (t) => {
  const testApp = await aRecordWithViews(t)
  const { database, app, site, person, clinician, browser, audit, clock } = testApp
  const practitioner = await givenStaff(database.db, 'probation_practitioner', { sites: [site], name: 'Pat Probation' })
  const pp = principalFor(practitioner, 'Pat Probation')
  const nina = principalFor(clinician, 'Nina Nurse')
  const about = { personId: person.id, siteId: site.id }
  clock.set('2026-11-18T09:00:00Z')
  await audit.recordAlone({ principal: nina, requestId: 'r1' }, { action: 'create', entityType: 'person', ...about })
  clock.set('2026-11-18T14:30:00Z')
  await audit.recordAlone(
    { principal: nina, requestId: 'r2' },
    { action: 'view', entityType: 'health_check', ...about },
  )
  clock.set('2026-11-19T10:00:00Z')
  await audit.recordAlone(
    { principal: pp, requestId: 'r3' },
    { action: 'update', entityType: 'appointment', ...about, details: { channel: 'api' } },
  )
  await audit.recordAlone({ principal: pp, requestId: 'r4' }, { action: 'list', entityType: 'need', ...about })
  // Events about someone else are not this record's.
  const other = await givenPerson(database.db, site)
  await audit.recordAlone(
    { principal: nina, requestId: 'r5' },
    { action: 'view', entityType: 'person', personId: other.id, siteId: site.id },
  )
  clock.set('2026-11-20T10:00:00Z')
  const manager = await givenStaff(database.db, 'hub_manager', { sites: [site], name: 'Mo Manager' })
  const managerBrowser = await signedInBrowser(app, manager.email, manager.password)
  assert.equal((await managerBrowser.get(`/people/${person.id}`)).statusCode, 200)

  const person_page = page((await browser.get(`/people/${person.id}`)).body)
  assert.equal(person_page.$('#who-has-viewed').attr('href'), `/people/${person.id}/views`)

  const response = await browser.get(`/people/${person.id}/views`)
  assert.equal(response.statusCode, 200)
  const html = page(response.body)
  assert.equal(html.h1(), 'Who has viewed this record')
  assert.match(html.text('.govuk-caption-l'), /^Jo Bloggs/)
  assert.deepEqual(viewRows(html), [
    '20 November 2026 at 10am | Nina Nurse Hub clinician | Viewed personal details',
    '20 November 2026 at 10am | Mo Manager Hub manager | Viewed personal details',
    '19 November 2026 at 10am | Pat Probation Probation practitioner | Viewed needs',
    '19 November 2026 at 10am | Pat Probation Probation practitioner | Changed appointment Through the API',
    '18 November 2026 at 2:30pm | Nina Nurse Hub clinician | Viewed health check',
    '18 November 2026 at 9am | Nina Nurse Hub clinician | Added the person to the hub',
  ])
  assert.equal(html.text('#record-views-count'), 'Showing 1 to 6 of 6 events.')

  // Opening the page is audited as the person's, and shows from the next visit.
  const visits = await database.db
    .selectFrom('audit_event')
    .select(['actor_id', 'action', 'person_id', 'site_id', 'details'])
    .where('entity_type', '=', 'audit_log')
    .execute()
  assert.deepEqual(visits, [
    {
      actor_id: clinician.id,
      action: 'list',
      person_id: person.id,
      site_id: site.id,
      details: { channel: 'page', purpose: 'record-views', page: 1 },
    },
  ])
  const again = page((await browser.get(`/people/${person.id}/views`)).body)
  assert.equal(
    viewRows(again)[0],
    '20 November 2026 at 10am | Nina Nurse Hub clinician | Viewed who has viewed this record',
  )
})

test('"Who has viewed this record" pages with GOV.UK pagination', async (t) => {
  const { browser, person, site, clinician, audit } = await aRecordWithViews(t)
  for (let i = 0; i < 30; i++) {
    await audit.recordAlone(
      { principal: principalFor(clinician, 'Nina Nurse'), requestId: `r${i}` },
      { action: 'view', entityType: 'appointment', personId: person.id, siteId: site.id },
    )
  }
  const first = page((await browser.get(`/people/${person.id}/views`)).body)
  assert.equal(viewRows(first).length, 25)
  assert.equal(first.text('#record-views-count'), 'Showing 1 to 25 of 30 events.')
  assert.equal(first.$('.govuk-pagination__next a').attr('href'), `/people/${person.id}/views?page=2`)
  assert.equal(first.$('.govuk-pagination__item--current').text().trim(), '1')

  const second = page((await browser.get(`/people/${person.id}/views?page=2`)).body)
  assert.equal(second.text('#record-views-count'), 'Showing 26 to 31 of 31 events.')
  assert.equal(viewRows(second).length, 6)
  assert.equal(second.$('.govuk-pagination__prev a').attr('href'), `/people/${person.id}/views`)
  assert.equal(second.has('.govuk-pagination__next'), false)

  const beyond = page((await browser.get(`/people/${person.id}/views?page=99`)).body)
  assert.equal(beyond.text('#record-views-count'), 'Showing 26 to 32 of 32 events.')
})

test('"Who has viewed this record" is refused to other sites, other roles and unknown people', async (t) => {
  const { app, database, person, site } = await aRecordWithViews(t)
  const elsewhere = await givenSite(database.db)
  const url = `/people/${person.id}/views`
  const otherSite = await givenStaff(database.db, 'clinician', { sites: [elsewhere] })
  const otherBrowser = await signedInBrowser(app, otherSite.email, otherSite.password)
  assert.equal((await otherBrowser.get(url)).statusCode, 403)
  assert.equal((await otherBrowser.get(`/people/${randomUUID()}/views`)).statusCode, 404)
  assert.equal((await otherBrowser.get('/people/not-an-id/views')).statusCode, 404)
  for (const role of ['probation_practitioner', 'partner', 'auditor', 'admin', 'analyst'] as const) {
    const user = await givenStaff(database.db, role, { sites: [site] })
    const browser = await signedInBrowser(app, user.email, user.password)
    assert.equal((await browser.get(url)).statusCode, 403, role)
    if (role === 'probation_practitioner') {
      const personPage = page((await browser.get(`/people/${person.id}`)).body)
      assert.equal(personPage.has('#who-has-viewed'), false)
    }
  }
  assert.equal((await new Browser(app).get(url)).statusCode, 302)
  const visits = await database.db
    .selectFrom('audit_event')
    .select('id')
    .where('entity_type', '=', 'audit_log')
    .execute()
  assert.deepEqual(visits, [])
})
