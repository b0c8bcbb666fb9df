import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { Kysely } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import { buildTestApp, Browser, json, page, signedInBrowser } from '../../../test/support/test-app.ts'
import { givenApiToken, givenHealthCheck, givenPerson, givenSite, givenStaff } from '../../../test/support/builders.ts'

async function setup(t: TestContext) {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const admin = await givenStaff(db, 'admin', { name: 'Ada Admin' })
  const browser = await signedInBrowser(app, admin.email, admin.password)
  return { app, db, admin, browser }
}

async function permissionRows(db: Kysely<DB>) {
  return db
    .selectFrom('instrument_permission')
    .select(['instrument_code', 'reference', 'granted_by', 'revoked_by', 'revoked_at'])
    .orderBy('granted_at')
    .execute()
}

async function permissionEvents(db: Kysely<DB>) {
  return db
    .selectFrom('audit_event')
    .select(['action', 'entity_id', 'actor_id', 'details'])
    .where('entity_type', '=', 'instrument_permission')
    .orderBy('id')
    .execute()
}

/** The text of each row of an instrument's card, by its key. */
function cardRows(html: ReturnType<typeof page>, code: string): Record<string, string> {
  const rows: Record<string, string> = {}
  html.$(`#instrument-${code} .govuk-summary-list__row`).each((_, row) => {
    const key = html.$(row).find('.govuk-summary-list__key').text().trim()
    rows[key] = html.$(row).find('.govuk-summary-list__value').text().trim().replace(/\s+/g, ' ')
  })
  return rows
}

function cardActions(html: ReturnType<typeof page>, code: string): { text: string; href: string }[] {
  return html
    .$(`#instrument-${code} .govuk-summary-card__actions a`)
    .map((_, a) => ({
      text: html.$(a).clone().children('.govuk-visually-hidden').remove().end().text().trim(),
      href: html.$(a).attr('href') ?? '',
    }))
    .get()
}

test('lists every instrument: the five needing permission with what is recorded, the others as free to use', async (t) => {
  const { browser } = await setup(t)
  const response = await browser.get('/admin/instruments')
  assert.equal(response.statusCode, 200)
  const html = page(response.body)
  assert.equal(html.h1(), 'Screening instruments')
  assert.equal(html.title(), 'Screening instruments – Probation Health Hub')
  const cards = html
    .$('.govuk-summary-card')
    .map((_, card) => html.$(card).attr('id'))
    .get()
  assert.deepEqual(cards.sort(), [
    'instrument-aq-10',
    'instrument-asrs-a',
    'instrument-dast-10',
    'instrument-hsi',
    'instrument-pc-ptsd-5',
  ])
  assert.deepEqual(cardRows(html, 'dast-10'), {
    'Can be used': 'Cannot be used',
    Version: '1.0.0',
    Licence: 'Needs the licence holder’s permission',
    'Licence holder': '© 1982 H.A. Skinner / CAMH',
    'Permission reference': 'None recorded',
    Code: 'dast-10',
  })
  assert.equal(
    cardRows(html, 'hsi')['Licence'],
    'Terms not confirmed, so treated as needing the licence holder’s permission',
  )
  assert.deepEqual(cardActions(html, 'dast-10'), [
    { text: 'Record permission', href: '/admin/instruments/dast-10/permission' },
  ])
  assert.match(
    html.text('#instrument-dast-10 .govuk-summary-card__actions .govuk-visually-hidden'),
    /Drug Abuse Screening Test \(DAST-10\)/,
    'the action names its instrument for screen readers',
  )
  const free = html.text('#free-instruments')
  assert.equal(html.$('#free-instruments li').length, 6)
  assert.match(
    html.text('#instrument-phq-9'),
    /Patient Health Questionnaire \(PHQ-9\)\s+Version 1\.1\.0\. Free to use\./,
  )
  assert.match(html.text('#instrument-audit'), /Free for non-commercial use/)
  assert.doesNotMatch(free, /Record permission/)
  assert.equal(
    html.$('.govuk-service-navigation a[aria-current]').text().trim(),
    'Screening instruments',
    'the navigation shows where the administrator is',
  )
})

test('records permission through the form: redirects to the list with a success message, audited', async (t) => {
  const { db, admin, browser } = await setup(t)
  const form = page((await browser.get('/admin/instruments/dast-10/permission')).body)
  assert.equal(form.h1(), 'Record the licence holder’s permission')
  assert.equal(form.text('.govuk-caption-l'), 'Drug Abuse Screening Test (DAST-10)')
  assert.ok(form.has('form input[name="_csrf"]'))
  assert.equal(form.value('reference'), '')

  const response = await browser.post('/admin/instruments/dast-10/permission', {
    reference: '  Letter from Dr Skinner, CAMH, 3 November 2026 (file LIC-0042)  ',
  })
  assert.equal(response.statusCode, 302)
  assert.equal(response.headers.location, '/admin/instruments')

  const list = page((await browser.get('/admin/instruments')).body)
  assert.equal(
    list.text(
      '.govuk-notification-banner--success .govuk-notification-banner__heading, .govuk-notification-banner--success p',
    ),
    'Permission recorded: Drug Abuse Screening Test (DAST-10) can now be used in health checks',
  )
  const rows = cardRows(list, 'dast-10')
  assert.equal(rows['Can be used'], 'Can be used')
  assert.equal(rows['Permission reference'], 'Letter from Dr Skinner, CAMH, 3 November 2026 (file LIC-0042)')
  assert.equal(rows['Recorded by'], 'Ada Admin')
  assert.match(rows['Recorded on'] ?? '', /^20 November 2026 at 10(:00)?am$/)
  assert.deepEqual(
    cardActions(list, 'dast-10').map((a) => a.text),
    ['Change reference', 'Revoke permission'],
  )
  const again = page((await browser.get('/admin/instruments')).body)
  assert.ok(!again.has('.govuk-notification-banner'), 'the message is shown once')

  assert.deepEqual(await permissionRows(db), [
    {
      instrument_code: 'dast-10',
      reference: 'Letter from Dr Skinner, CAMH, 3 November 2026 (file LIC-0042)',
      granted_by: admin.id,
      revoked_by: null,
      revoked_at: null,
    },
  ])
  const events = await permissionEvents(db)
  assert.deepEqual(
    events.map((e) => [e.action, e.entity_id, e.actor_id, e.details['change']]),
    [['update', 'dast-10', admin.id, 'granted']],
  )
})

test('changing the reference shows the one in force and replaces it, keeping the history', async (t) => {
  const { db, browser } = await setup(t)
  await browser.get('/admin/instruments/asrs-a/permission')
  await browser.post('/admin/instruments/asrs-a/permission', { reference: 'Harvard letter 1' })
  const form = page((await browser.get('/admin/instruments/asrs-a/permission')).body)
  assert.equal(form.value('reference'), 'Harvard letter 1')
  assert.match(form.text('.govuk-inset-text'), /This replaces the permission recorded by Ada Admin on 20 November 2026/)
  const response = await browser.post('/admin/instruments/asrs-a/permission', { reference: 'Harvard letter 2' })
  assert.equal(response.headers.location, '/admin/instruments')
  const rows = await permissionRows(db)
  assert.deepEqual(
    rows.map((r) => [r.reference, r.revoked_at === null]),
    [
      ['Harvard letter 1', false],
      ['Harvard letter 2', true],
    ],
  )
})

test('re-renders with "Enter the permission reference" when the reference is blank', async (t) => {
  const { db, browser } = await setup(t)
  await browser.get('/admin/instruments/dast-10/permission')
  const response = await browser.post('/admin/instruments/dast-10/permission', { reference: '   ' })
  assert.equal(response.statusCode, 400)
  const html = page(response.body)
  assert.equal(
    html.title(),
    'Error: Record the licence holder’s permission: Drug Abuse Screening Test (DAST-10) – Probation Health Hub',
  )
  assert.deepEqual(html.errorSummary(), [{ text: 'Enter the permission reference', href: '#reference' }])
  assert.equal(html.inlineError('reference'), 'Enter the permission reference')
  assert.ok(html.has('input#reference[name="reference"]'), 'the summary links to the field')
  assert.deepEqual(await permissionRows(db), [])
  assert.deepEqual(await permissionEvents(db), [])
})

test('re-renders with the limit, keeping what was typed, when the reference is over 500 characters', async (t) => {
  const { db, browser } = await setup(t)
  await browser.get('/admin/instruments/hsi/permission')
  const long = `Email from the authors ${'x'.repeat(490)}`
  const response = await browser.post('/admin/instruments/hsi/permission', { reference: long })
  assert.equal(response.statusCode, 400)
  const html = page(response.body)
  assert.match(html.title(), /^Error: /)
  assert.deepEqual(html.errorSummary(), [
    { text: 'Permission reference must be 500 characters or fewer', href: '#reference' },
  ])
  assert.equal(html.value('reference'), long)
  assert.deepEqual(await permissionRows(db), [])

  const exactly = 'y'.repeat(500)
  const accepted = await browser.post('/admin/instruments/hsi/permission', { reference: exactly })
  assert.equal(accepted.statusCode, 302)
  assert.equal((await permissionRows(db))[0]?.reference, exactly)
})

test('revokes after the "Are you sure" page, which warns that health checks can no longer use it', async (t) => {
  const { db, admin, browser } = await setup(t)
  await browser.get('/admin/instruments/pc-ptsd-5/permission')
  await browser.post('/admin/instruments/pc-ptsd-5/permission', { reference: 'VA NCPTSD email 2026-10-01' })

  const confirm = page((await browser.get('/admin/instruments/pc-ptsd-5/revoke')).body)
  assert.equal(
    confirm.h1(),
    'Are you sure you want to revoke permission to use Primary Care PTSD Screen for DSM-5 (PC-PTSD-5)?',
  )
  assert.match(
    confirm.text('.govuk-warning-text'),
    /Health checks will no longer be able to use Primary Care PTSD Screen for DSM-5 \(PC-PTSD-5\)/,
  )
  assert.match(confirm.text('.govuk-summary-list'), /VA NCPTSD email 2026-10-01/)
  assert.ok(confirm.has('form input[name="_csrf"]'))
  assert.equal(confirm.$('a:contains("No, go back")').attr('href'), '/admin/instruments')
  assert.equal((await permissionRows(db))[0]?.revoked_at, null, 'opening the page changes nothing')

  const response = await browser.post('/admin/instruments/pc-ptsd-5/revoke', {})
  assert.equal(response.statusCode, 302)
  assert.equal(response.headers.location, '/admin/instruments')
  const list = page((await browser.get('/admin/instruments')).body)
  assert.match(
    list.text('.govuk-notification-banner--success'),
    /Permission revoked: Primary Care PTSD Screen for DSM-5 \(PC-PTSD-5\) can no longer be used in health checks/,
  )
  assert.equal(cardRows(list, 'pc-ptsd-5')['Can be used'], 'Cannot be used')
  assert.equal(cardRows(list, 'pc-ptsd-5')['Permission reference'], 'None recorded')

  const [row] = await permissionRows(db)
  assert.equal(row?.revoked_by, admin.id)
  assert.deepEqual(
    (await permissionEvents(db)).map((e) => e.details['change']),
    ['granted', 'revoked'],
  )

  // Back to a page of the finished action: nothing to confirm, and a second submit says so without failing.
  const reopened = await browser.get('/admin/instruments/pc-ptsd-5/revoke')
  assert.equal(reopened.statusCode, 302)
  assert.equal(reopened.headers.location, '/admin/instruments')
  const twice = await browser.post('/admin/instruments/pc-ptsd-5/revoke', {})
  assert.equal(twice.headers.location, '/admin/instruments')
  assert.match(
    page((await browser.get('/admin/instruments')).body).text('.govuk-notification-banner'),
    /No permission was recorded/,
  )
  assert.equal((await permissionEvents(db)).length, 2)
})

test('an unknown instrument, or one that needs no permission, has no permission pages (404)', async (t) => {
  const { db, browser } = await setup(t)
  for (const url of [
    '/admin/instruments/phq-10/permission',
    '/admin/instruments/phq-9/permission',
    '/admin/instruments/phq-9/revoke',
    '/admin/instruments/DAST-10/permission',
  ]) {
    const response = await browser.get(url)
    assert.equal(response.statusCode, 404, url)
    assert.equal(page(response.body).h1(), 'Page not found', url)
  }
  assert.equal((await browser.post('/admin/instruments/phq-9/permission', { reference: 'x' })).statusCode, 404)
  assert.equal((await browser.post('/admin/instruments/gad-7/revoke', {})).statusCode, 404)
  assert.deepEqual(await permissionRows(db), [])
})

test('refuses the pages to every role but admin (403), and sends someone not signed in to sign in', async (t) => {
  const { app, db } = await setup(t)
  const site = await givenSite(db)
  for (const role of ['clinician', 'hub_manager', 'auditor', 'probation_practitioner', 'analyst'] as const) {
    const user = await givenStaff(db, role, { sites: [site] })
    const browser = await signedInBrowser(app, user.email, user.password)
    for (const url of [
      '/admin/instruments',
      '/admin/instruments/dast-10/permission',
      '/admin/instruments/dast-10/revoke',
    ]) {
      const response = await browser.get(url)
      assert.equal(response.statusCode, 403, `${role} ${url}`)
      assert.equal(page(response.body).h1(), 'You do not have permission to view this page')
    }
    const posted = await browser.post('/admin/instruments/dast-10/permission', { reference: `${role} says so` })
    assert.equal(posted.statusCode, 403, role)
    assert.equal((await browser.post('/admin/instruments/dast-10/revoke', {})).statusCode, 403, role)
    assert.ok(!page((await browser.get('/account')).body).has('a[href="/admin/instruments"]'), `${role} has no link`)
  }
  const anonymous = new Browser(app)
  const signIn = await anonymous.get('/admin/instruments/dast-10/permission')
  assert.equal(signIn.statusCode, 302)
  assert.equal(signIn.headers.location, '/sign-in?returnTo=%2Fadmin%2Finstruments%2Fdast-10%2Fpermission')
  assert.equal((await anonymous.get('/admin/instruments')).headers.location, '/sign-in?returnTo=%2Fadmin%2Finstruments')
  const anonymousPost = await anonymous.post('/admin/instruments/dast-10/permission', { reference: 'x' })
  assert.equal(anonymousPost.statusCode, 302)
  assert.match(String(anonymousPost.headers.location), /^\/sign-in/)
  assert.deepEqual(await permissionRows(db), [])
})

test('refuses a form posted without its CSRF token (403), changing nothing', async (t) => {
  const { db, browser } = await setup(t)
  await browser.get('/admin/instruments/dast-10/permission')
  const forged = await browser.post('/admin/instruments/dast-10/permission', { reference: 'forged' }, { csrf: false })
  assert.equal(forged.statusCode, 403)
  const wrong = await browser.post('/admin/instruments/dast-10/permission', { reference: 'forged', _csrf: 'nope' })
  assert.equal(wrong.statusCode, 403)
  assert.deepEqual(await permissionRows(db), [])

  await browser.get('/admin/instruments/dast-10/permission')
  await browser.post('/admin/instruments/dast-10/permission', { reference: 'real' })
  const revoke = await browser.post('/admin/instruments/dast-10/revoke', {}, { csrf: false })
  assert.equal(revoke.statusCode, 403)
  assert.equal((await permissionRows(db))[0]?.revoked_at, null)
  assert.equal((await permissionEvents(db)).length, 1)
})

test('after an administrator records permission a health check can use the instrument, and not once it is revoked', async (t) => {
  const { app, db, browser: admin } = await setup(t)
  const site = await givenSite(db)
  const clinician = await givenStaff(db, 'clinician', { sites: [site] })
  const person = await givenPerson(db, site)
  const check = await givenHealthCheck(db, { person, clinician })
  const nurse = await signedInBrowser(app, clinician.email, clinician.password)
  const { token } = await givenApiToken(db, clinician)
  const section = `/health-checks/${check.id}/sections/dast-10`
  const score = () =>
    app.inject({
      method: 'POST',
      url: '/api/v1/instruments/dast-10/score',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ answers: { 'dast10-1': 'no' } }),
    })

  const before = page((await nurse.get(section)).body)
  assert.match(before.h1(), /cannot be used yet/)
  assert.ok(!before.has('input[name="dast10-1"]'))
  const refused = await score()
  assert.equal(refused.statusCode, 409)
  assert.equal(json<{ code: string }>(refused).code, 'instrument-permission-required')

  await admin.get('/admin/instruments/dast-10/permission')
  await admin.post('/admin/instruments/dast-10/permission', { reference: 'CAMH letter 2026-11-03' })

  const after = page((await nurse.get(section)).body)
  assert.doesNotMatch(after.h1(), /cannot be used/)
  assert.ok(after.has('input[name="dast10-1"]'), 'the questions are asked')
  assert.equal((await score()).statusCode, 200)

  await admin.get('/admin/instruments/dast-10/revoke')
  await admin.post('/admin/instruments/dast-10/revoke', {})
  assert.match(page((await nurse.get(section)).body).h1(), /cannot be used yet/)
  assert.equal((await score()).statusCode, 409)
})
