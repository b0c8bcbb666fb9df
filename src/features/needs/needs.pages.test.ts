import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { sql, type Kysely } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import { buildTestApp, page, signedInBrowser } from '../../../test/support/test-app.ts'
import {
  givenCheckNeed,
  givenPerson,
  givenReferralRow,
  givenService,
  givenSite,
  givenStaff,
} from '../../../test/support/builders.ts'
import type { StaffRole } from '../../platform/http/roles.ts'

async function setup(t: TestContext, role: StaffRole = 'clinician') {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db, { name: 'Cambridge' })
  const user = await givenStaff(db, role, { sites: [site] })
  const person = await givenPerson(db, site, { given_name: 'Sam', family_name: 'Taylor' })
  const browser = await signedInBrowser(app, user.email, user.password)
  return { app, db, site, user, person, browser }
}

async function nameOf(db: Kysely<DB>, id: string) {
  const row = await db.selectFrom('staff_user').select('display_name').where('id', '=', id).executeTakeFirstOrThrow()
  return row.display_name
}

async function needRow(db: Kysely<DB>, id: string) {
  return db.selectFrom('need').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

async function events(db: Kysely<DB>, needId: string) {
  const rows = await db
    .selectFrom('need_event')
    .select(['from_status', 'to_status', 'reason'])
    .where('need_id', '=', needId)
    .orderBy('id')
    .execute()
  return rows.map((r) => [r.from_status, r.to_status, r.reason])
}

test('every change of mind is kept: confirm, dismiss with a reason, confirm again, reopen', async (t) => {
  const { db, site, user, person, browser } = await setup(t)
  const need = await givenCheckNeed(db, { person: { id: person.id, site_id: site.id }, clinician: user })
  const url = `/needs/${need.id}`

  const shown = page((await browser.get(url)).body)
  assert.equal(shown.h1(), 'Mental health need')
  assert.equal(shown.text('#status'), 'Proposed')
  assert.deepEqual(
    shown
      .$('input[name="decision"]')
      .map((_, el) => shown.$(el).attr('value'))
      .get(),
    ['confirmed', 'dismissed'],
  )
  assert.match(shown.text('#need'), /Proposed by the health check started 20 November 2026 at 9:30am/)

  const confirmed = await browser.post(url, { decision: 'confirmed', reason: '', version: '1' })
  assert.equal(confirmed.statusCode, 302)
  assert.equal(confirmed.headers.location, url)
  const afterConfirm = page((await browser.get(url)).body)
  assert.match(afterConfirm.text('.govuk-notification-banner'), /Mental health need confirmed/)
  assert.deepEqual(
    afterConfirm
      .$('input[name="decision"]')
      .map((_, el) => afterConfirm.$(el).attr('value'))
      .get(),
    ['dismissed', 'proposed'],
  )

  const blank = await browser.post(url, { decision: 'dismissed', reason: ' ', version: '2' })
  assert.equal(blank.statusCode, 400)
  assert.deepEqual(page(blank.body).errorSummary(), [
    { text: 'Enter why this need is being dismissed', href: '#reason' },
  ])
  assert.ok(page(blank.body).has('input[name="decision"][value="dismissed"][checked]'), 'the choice is kept')
  assert.equal((await needRow(db, need.id)).status, 'confirmed', 'nothing changed')

  const dismissed = await browser.post(url, {
    decision: 'dismissed',
    reason: 'Already seeing NHS Talking Therapies',
    version: '2',
  })
  assert.equal(dismissed.statusCode, 302)

  const noReason = await browser.post(url, { decision: 'confirmed', reason: '', version: '3' })
  assert.equal(noReason.statusCode, 400)
  assert.deepEqual(page(noReason.body).errorSummary(), [
    { text: 'Enter why this need is now being confirmed', href: '#reason' },
  ])
  const reconfirmed = await browser.post(url, {
    decision: 'confirmed',
    reason: 'Talking Therapies discharged them',
    version: '3',
  })
  assert.equal(reconfirmed.statusCode, 302)

  const reopenBlank = await browser.post(url, { decision: 'proposed', reason: '', version: '4' })
  assert.equal(reopenBlank.statusCode, 400)
  assert.deepEqual(page(reopenBlank.body).errorSummary(), [
    { text: 'Enter why this need is being reopened', href: '#reason' },
  ])
  const reopened = await browser.post(url, { decision: 'proposed', reason: 'Review with the person', version: '4' })
  assert.equal(reopened.statusCode, 302)
  const row = await needRow(db, need.id)
  assert.equal(row.status, 'proposed')
  assert.equal(row.decided_at, null, 'a reopened need is undecided')
  assert.equal(row.decided_by, null)
  assert.equal(row.version, 5)

  const again = await browser.post(url, { decision: 'proposed', reason: 'Again', version: '5' })
  assert.equal(again.statusCode, 409)
  assert.deepEqual(page(again.body).errorSummary(), [
    { text: 'The Mental health need is already proposed.', href: '#decision' },
  ])
  const unknown = await browser.post(url, { decision: 'maybe', version: '5' })
  assert.equal(unknown.statusCode, 400)
  assert.deepEqual(page(unknown.body).errorSummary(), [
    { text: 'Select what you want to do with this need', href: '#decision' },
  ])

  assert.deepEqual(await events(db, need.id), [
    [null, 'proposed', null],
    ['proposed', 'confirmed', null],
    ['confirmed', 'dismissed', 'Already seeing NHS Talking Therapies'],
    ['dismissed', 'confirmed', 'Talking Therapies discharged them'],
    ['confirmed', 'proposed', 'Review with the person'],
  ])
  const history = page((await browser.get(url)).body)
  const rows: string[][] = []
  history.$('#history tbody tr').each((_, tr) => {
    rows.push(
      history
        .$(tr)
        .find('td')
        .map((__, td) => history.$(td).text().trim())
        .get(),
    )
  })
  assert.equal(rows.length, 5)
  assert.deepEqual(rows[0]?.slice(1), [
    'Reopened (changed from confirmed back to proposed)',
    'Review with the person',
    await nameOf(db, user.id),
  ])
  assert.deepEqual(rows[2]?.slice(1, 3), [
    'Changed from confirmed to dismissed',
    'Already seeing NHS Talking Therapies',
  ])
  assert.deepEqual(rows[4]?.slice(1, 3), ['Proposed by the health check', 'None given'])

  const audits = await db
    .selectFrom('audit_event')
    .select(['action', 'details'])
    .where('entity_type', '=', 'need')
    .where('entity_id', '=', need.id)
    .execute()
  assert.equal(audits.filter((a) => a.action === 'update').length, 4)
  assert.ok(audits.some((a) => a.action === 'view'))
  assert.doesNotMatch(JSON.stringify(audits), /Talking Therapies/, 'no reason text in the audit log')
})

test('a decision made on a page opened before someone else’s is refused with 409 and nothing changes', async (t) => {
  const { db, site, user, person, browser } = await setup(t)
  const need = await givenCheckNeed(db, { person: { id: person.id, site_id: site.id }, clinician: user })
  await browser.get(`/needs/${need.id}`)
  assert.equal((await browser.post(`/needs/${need.id}`, { decision: 'confirmed', version: '1' })).statusCode, 302)
  const stale = await browser.post(`/needs/${need.id}`, { decision: 'dismissed', reason: 'Not needed', version: '1' })
  assert.equal(stale.statusCode, 409)
  assert.match(page(stale.body).text('.govuk-error-summary'), /Someone else changed the Mental health need/)
  assert.equal(page(stale.body).value('reason'), 'Not needed', 'what was typed is kept')
  assert.equal((await needRow(db, need.id)).status, 'confirmed')
})

test('an open referral blocks dismissing or reopening, naming the service; once withdrawn it does not', async (t) => {
  const { db, site, user, person, browser } = await setup(t)
  const need = await givenCheckNeed(db, {
    person: { id: person.id, site_id: site.id },
    clinician: user,
    status: 'confirmed',
  })
  const service = await givenService(db, site, { kind: 'talking-therapies', name: 'Cambridge Talking Therapies' })
  const referral = await givenReferralRow(db, { need, service, createdBy: user, status: 'accepted' })
  const url = `/needs/${need.id}`
  const shown = page((await browser.get(url)).body)
  assert.match(shown.text('#open-referrals'), /open referral to Cambridge Talking Therapies/)

  const dismiss = await browser.post(url, { decision: 'dismissed', reason: 'No longer needed', version: '1' })
  assert.equal(dismiss.statusCode, 409)
  assert.deepEqual(page(dismiss.body).errorSummary(), [
    {
      text: 'The Mental health need has an open referral to Cambridge Talking Therapies. Withdraw the referral first, then dismiss the need.',
      href: '#decision',
    },
  ])
  const reopen = await browser.post(url, { decision: 'proposed', reason: 'Review', version: '1' })
  assert.equal(reopen.statusCode, 409)
  assert.match(page(reopen.body).text('.govuk-error-summary'), /Withdraw the referral first, then reopen the need/)
  assert.equal((await needRow(db, need.id)).status, 'confirmed')
  assert.equal((await events(db, need.id)).length, 2, 'no history written for a refused decision')

  await db.updateTable('referral').set({ status: 'withdrawn' }).where('id', '=', referral.id).execute()
  const after = await browser.post(url, { decision: 'dismissed', reason: 'No longer needed', version: '1' })
  assert.equal(after.statusCode, 302)
  assert.equal((await needRow(db, need.id)).status, 'dismissed')
})

test('the summary’s dismiss form re-renders the summary with the error at the need', async (t) => {
  const { db, site, user, person, browser } = await setup(t)
  const need = await givenCheckNeed(db, { person: { id: person.id, site_id: site.id }, clinician: user })
  const summary = page((await browser.get(`/health-checks/${need.checkId}/summary`)).body)
  assert.ok(summary.has(`#need-${need.id} a[href="/needs/${need.id}"]`), 'each need links to its page')
  const refused = await browser.post(`/needs/${need.id}`, {
    decision: 'dismissed',
    reason: '',
    checkId: need.checkId,
    version: '1',
  })
  assert.equal(refused.statusCode, 400)
  assert.deepEqual(page(refused.body).errorSummary(), [
    { text: 'Enter why this need is being dismissed', href: `#reason-${need.id}` },
  ])
  const confirmed = await browser.post(`/needs/${need.id}`, {
    decision: 'confirm',
    checkId: need.checkId,
    version: '1',
  })
  assert.equal(confirmed.statusCode, 302)
  assert.equal(confirmed.headers.location, `/health-checks/${need.checkId}/summary`)
})

test('a need raised in conversation is added directly, confirmed by the clinician, and listed', async (t) => {
  const { db, user, person, browser } = await setup(t)
  const empty = page((await browser.get(`/people/${person.id}/needs`)).body)
  assert.equal(empty.h1(), 'Needs')
  assert.match(empty.text('main'), /No needs have been recorded for Sam Taylor/)
  assert.ok(empty.has(`a[href="/people/${person.id}/needs/new"]`))

  const form = page((await browser.get(`/people/${person.id}/needs/new`)).body)
  assert.equal(form.h1(), 'Add a need')
  assert.equal(form.$('input[name="category"]').length, 9)
  assert.equal(form.value('identifiedOn-day'), '20', 'today is filled in')
  const submissionId = String(form.$('input[name="submissionId"]').val())

  const blank = await browser.post(`/people/${person.id}/needs/new`, {
    submissionId,
    'identifiedOn-day': '',
    'identifiedOn-month': '',
    'identifiedOn-year': '',
  })
  assert.equal(blank.statusCode, 400)
  assert.match(page(blank.body).title(), /^Error: /)
  assert.deepEqual(page(blank.body).errorSummary(), [
    { text: 'Select the kind of need', href: '#category' },
    { text: 'Enter why this need was identified', href: '#why' },
    { text: 'Enter the date the need was identified', href: '#identifiedOn-day' },
  ])

  const future = await browser.post(`/people/${person.id}/needs/new`, {
    submissionId,
    category: 'gp-registration',
    why: 'Not registered with a GP since release',
    'identifiedOn-day': '21',
    'identifiedOn-month': '11',
    'identifiedOn-year': '2026',
  })
  assert.equal(future.statusCode, 400)
  assert.deepEqual(page(future.body).errorSummary(), [
    { text: 'The date the need was identified must be today or in the past', href: '#identifiedOn-day' },
  ])
  assert.equal(page(future.body).value('why'), 'Not registered with a GP since release', 'what was typed is kept')
  assert.ok(page(future.body).has('input[name="category"][value="gp-registration"][checked]'))

  const unreal = await browser.post(`/people/${person.id}/needs/new`, {
    submissionId,
    category: 'gp-registration',
    why: 'Not registered',
    'identifiedOn-day': '31',
    'identifiedOn-month': '2',
    'identifiedOn-year': '2026',
  })
  assert.deepEqual(page(unreal.body).errorSummary(), [
    { text: 'The date the need was identified must be a real date', href: '#identifiedOn-day' },
  ])

  const valid = {
    submissionId,
    category: 'gp-registration',
    why: 'Not registered with a GP since release',
    'identifiedOn-day': '18',
    'identifiedOn-month': '11',
    'identifiedOn-year': '2026',
  }
  const saved = await browser.post(`/people/${person.id}/needs/new`, valid)
  assert.equal(saved.statusCode, 302)
  assert.equal(saved.headers.location, `/people/${person.id}/needs`)
  const repeat = await browser.post(`/people/${person.id}/needs/new`, valid)
  assert.equal(repeat.statusCode, 302, 'a double submission is not an error')
  const needs = await db.selectFrom('need').selectAll().execute()
  assert.equal(needs.length, 1, 'and records nothing twice')
  const need = needs[0]
  assert.ok(need)
  assert.equal(need.status, 'confirmed')
  assert.equal(need.check_id, null)
  assert.equal(need.decided_by, user.id)
  assert.equal(need.recorded_by, user.id)
  assert.equal(need.identified_on, '2026-11-18')
  assert.equal(need.proposed_because, 'Not registered with a GP since release')
  assert.deepEqual(await events(db, need.id), [[null, 'confirmed', null]])

  const listed = page((await browser.get(`/people/${person.id}/needs`)).body)
  assert.match(listed.text('.govuk-notification-banner'), /GP registration need recorded and confirmed/)
  const cells = listed
    .$('#needs tbody tr td')
    .map((_, td) => listed.$(td).text().trim())
    .get()
  assert.match(cells[0] ?? '', /^GP registration/)
  assert.deepEqual(cells.slice(1), [
    'Confirmed',
    '18 November 2026',
    `Recorded directly by ${await nameOf(db, user.id)}`,
  ])
  assert.ok(listed.has(`#needs a[href="/needs/${need.id}"]`))
  const needPage = page((await browser.get(`/needs/${need.id}`)).body)
  assert.match(needPage.text('#history'), /Recorded and confirmed/)
  assert.match(needPage.text('#need'), /Why it was recorded/)
})

test('need history cannot be changed or deleted', async (t) => {
  const { db, site, user, person } = await setup(t)
  const need = await givenCheckNeed(db, { person: { id: person.id, site_id: site.id }, clinician: user })
  await assert.rejects(
    sql`update need_event set reason = 'changed' where need_id = ${need.id}`.execute(db),
    /need events are append-only/,
  )
  await assert.rejects(
    sql`delete from need_event where need_id = ${need.id}`.execute(db),
    /need events are append-only/,
  )
})

test('probation practitioners, analysts, partners and other sites cannot see or decide needs; forms need CSRF', async (t) => {
  const { app, db, site, user, person, browser } = await setup(t)
  const need = await givenCheckNeed(db, { person: { id: person.id, site_id: site.id }, clinician: user })
  const urls = [`/needs/${need.id}`, `/people/${person.id}/needs`, `/people/${person.id}/needs/new`]
  for (const role of ['probation_practitioner', 'analyst', 'partner', 'admin'] as const) {
    const other = await givenStaff(db, role, { sites: [site] })
    const b = await signedInBrowser(app, other.email, other.password)
    for (const url of urls) assert.equal((await b.get(url)).statusCode, 403, `${role} ${url}`)
    const post = await b.post(`/needs/${need.id}`, { decision: 'confirmed', version: '1' })
    assert.equal(post.statusCode, 403, role)
  }
  const elsewhere = await givenSite(db)
  const stranger = await givenStaff(db, 'clinician', { sites: [elsewhere] })
  const sb = await signedInBrowser(app, stranger.email, stranger.password)
  for (const url of urls) assert.equal((await sb.get(url)).statusCode, 403, `other site ${url}`)
  assert.equal((await sb.post(`/needs/${need.id}`, { decision: 'confirmed', version: '1' })).statusCode, 403)
  assert.equal(
    (
      await sb.post(`/people/${person.id}/needs/new`, {
        category: 'alcohol',
        why: 'x',
        'identifiedOn-day': '1',
        'identifiedOn-month': '11',
        'identifiedOn-year': '2026',
      })
    ).statusCode,
    403,
  )

  await browser.get(`/needs/${need.id}`)
  const noCsrf = await browser.post(`/needs/${need.id}`, { decision: 'confirmed', version: '1' }, { csrf: false })
  assert.equal(noCsrf.statusCode, 403)
  const noCsrfNew = await browser.post(
    `/people/${person.id}/needs/new`,
    { category: 'alcohol', why: 'x', 'identifiedOn-day': '1', 'identifiedOn-month': '11', 'identifiedOn-year': '2026' },
    { csrf: false },
  )
  assert.equal(noCsrfNew.statusCode, 403)
  assert.equal((await needRow(db, need.id)).status, 'proposed')
  assert.equal((await db.selectFrom('need').select('id').execute()).length, 1)
})
