import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp, page, signedInBrowser } from '../../../test/support/test-app.ts'
import {
  givenAppointment,
  givenFollowUp,
  givenGpRegistration,
  givenHealthCheck,
  givenPerson,
  givenProposedNeed,
  givenSite,
  givenStaff,
} from '../../../test/support/builders.ts'
import type { StaffRole } from '../../platform/http/roles.ts'

async function setup(t: TestContext, role: StaffRole = 'clinician') {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db, { name: 'Cambridge' })
  const other = await givenSite(db, { name: 'Hammersmith' })
  const user = await givenStaff(db, role, { sites: [site], name: 'Casey User' })
  const colleague = await givenStaff(db, 'clinician', { sites: [site], name: 'Robin Colleague' })
  const ann = await givenPerson(db, site, { given_name: 'Ann', family_name: 'Adams' })
  const ben = await givenPerson(db, site, { given_name: 'Ben', family_name: 'Brown' })
  const browser = await signedInBrowser(app, user.email, user.password)
  return { app, db, site, other, user, colleague, ann, ben, browser }
}

const sectionIds = (p: ReturnType<typeof page>) =>
  p
    .$('section[id^="section-"]')
    .map((_, el) => p.$(el).attr('id'))
    .get()

test('a clinician’s worklist: summary counts, sections most urgent first, tags, links and empty states', async (t) => {
  const s = await setup(t)
  const overdueCheck = await givenHealthCheck(s.db, {
    person: s.ann,
    clinician: s.user,
    flag: true,
    startedAt: new Date('2026-11-19T15:00:00Z'),
  })
  await givenHealthCheck(s.db, { person: s.ben, clinician: s.colleague, flag: true })
  const need = await givenProposedNeed(s.db, { person: s.ann, check: overdueCheck })
  const appointment = await givenAppointment(s.db, {
    person: s.ben,
    clinician: s.user,
    startsAt: '2026-11-18T10:00:00Z',
  })
  await givenFollowUp(s.db, { person: s.ben, assignedTo: s.user, appointment, dueDate: '2026-11-20' })
  const response = await s.browser.get('/worklist')
  assert.equal(response.statusCode, 200)
  const p = page(response.body)
  assert.equal(p.h1(), 'Your worklist')
  assert.match(p.title(), /^Worklist – Cambridge/)
  assert.deepEqual(sectionIds(p), [
    'section-flags',
    'section-needs',
    'section-follow-ups',
    'section-referrals',
    'section-gp-registrations',
    'section-screening',
    'section-releases-due',
    'section-released-not-seen',
    'section-ost-gaps',
    'section-not-engaged',
  ])
  assert.equal(p.text('#summary-flags'), 'Warning signs awaiting a response: 1 (1 overdue)')
  assert.equal(p.text('#summary-follow-ups'), 'Missed appointments to follow up: 1')
  assert.ok(p.has('#summary-flags a[href="#section-flags"]'))
  assert.equal(p.text('#section-flags-heading'), 'Warning signs awaiting a response (1)')
  assert.match(p.text('#section-flags-table tbody tr'), /Overdue/)
  assert.ok(p.has(`#section-flags-table a[href="/warning-flags/${overdueCheck.flagId ?? ''}/respond"]`))
  assert.match(p.text('#flags-at-site'), /1 more warning sign is awaiting a response from colleagues/)
  assert.ok(p.has(`#section-needs-table a[href="/needs/${need.id}"]`))
  assert.match(p.text('#section-follow-ups-table tbody tr'), /Due today/)
  assert.ok(p.has(`#section-follow-ups-table a[href="/appointments/${appointment.id}"]`))
  assert.ok(p.has('#section-follow-ups-table a[href$="/done"]'), 'a way to mark it done')
  assert.equal(
    p.text('#section-referrals .hub-worklist-empty'),
    'None of your referrals need chasing in the next 7 days.',
  )
  assert.equal(
    p.text('#section-gp-registrations .hub-worklist-empty'),
    'No GP registrations you are helping with are in progress.',
  )
  const events = await s.db
    .selectFrom('audit_event')
    .select(['action', 'site_id', 'details'])
    .where('entity_type', '=', 'worklist')
    .execute()
  assert.equal(events.length, 1)
  assert.equal(events[0]?.action, 'list')
  assert.equal(events[0].site_id, s.site.id)
  assert.deepEqual(events[0].details['counts'], {
    flags: 1,
    needs: 1,
    followUps: 1,
    referrals: 0,
    gpRegistrations: 0,
    screening: 0,
    releasesDue: 0,
    releasedNotSeen: 0,
    ostGaps: 0,
    notEngaged: 0,
  })
})

test('the site view shows colleagues’ work; a hub manager starts there', async (t) => {
  const s = await setup(t, 'hub_manager')
  await givenFollowUp(s.db, { person: s.ann, assignedTo: s.colleague, dueDate: '2026-11-18' })
  const p = page((await s.browser.get('/worklist')).body)
  assert.equal(p.h1(), 'Cambridge worklist')
  assert.ok(p.has('input[name="scope"][value="site"][checked]'))
  assert.equal(p.text('#section-follow-ups-heading'), 'Missed appointments to follow up (1)')
  assert.match(p.text('#section-follow-ups-table'), /Assigned to Robin Colleague/)
  assert.match(p.text('#section-follow-ups-table'), /Overdue/)
  assert.ok(p.has('#section-follow-ups-table a[href$="/done"]'), 'a hub manager may close it')
  const mine = page((await s.browser.get('/worklist?scope=mine')).body)
  assert.equal(mine.h1(), 'Your worklist')
  assert.equal(mine.text('#section-follow-ups .hub-worklist-empty'), 'You have no missed appointments to follow up.')
})

test('a probation practitioner sees only follow-ups and GP registrations, and can filter to none else', async (t) => {
  const s = await setup(t, 'probation_practitioner')
  await givenHealthCheck(s.db, { person: s.ann, clinician: s.colleague, flag: true })
  await givenFollowUp(s.db, { person: s.ann, assignedTo: s.user })
  await givenFollowUp(s.db, { person: s.ben, assignedTo: s.colleague })
  await givenGpRegistration(s.db, s.ann, s.colleague, { status: 'in-progress' })
  const p = page((await s.browser.get('/worklist?scope=site')).body)
  assert.deepEqual(sectionIds(p), ['section-follow-ups', 'section-gp-registrations', 'section-released-not-seen'])
  assert.deepEqual(
    p
      .$('input[name="kinds"]')
      .map((_, el) => p.$(el).attr('value'))
      .get(),
    ['follow-ups', 'gp-registrations', 'released-not-seen'],
  )
  assert.equal(p.text('#section-follow-ups-heading'), 'Missed appointments to follow up (1)')
  assert.doesNotMatch(p.text('main'), /Ben Brown|warning sign/i)
  assert.equal(p.text('#section-gp-registrations-heading'), 'GP registrations in progress (1)')
  const flagsOnly = page((await s.browser.get('/worklist?kinds=flags')).body)
  assert.deepEqual(sectionIds(flagsOnly), [])
})

test('filtering by kind shows only those sections; "show all" pages through a section with GOV.UK pagination', async (t) => {
  const s = await setup(t)
  for (let i = 0; i < 51; i++) {
    await givenFollowUp(s.db, {
      person: i % 2 === 0 ? s.ann : s.ben,
      assignedTo: s.user,
      dueDate: `2026-11-${String(10 + (i % 20)).padStart(2, '0')}`,
    })
  }
  const filtered = page((await s.browser.get('/worklist?kinds=follow-ups&kinds=referrals')).body)
  assert.deepEqual(sectionIds(filtered), ['section-follow-ups', 'section-referrals'])
  assert.ok(filtered.has('input[name="kinds"][value="follow-ups"][checked]'))
  assert.equal(filtered.$('#section-follow-ups-table tbody tr').length, 20)
  const all = filtered.$('#section-follow-ups-all').attr('href') ?? ''
  assert.match(all, /section=follow-ups/)
  assert.match(filtered.text('#section-follow-ups-all'), /Show all 51/)
  const first = page((await s.browser.get(all)).body)
  assert.equal(first.h1(), 'Missed appointments to follow up')
  assert.equal(first.$('#section-follow-ups-table tbody tr').length, 50)
  assert.ok(first.has('.govuk-pagination'))
  const next = first.$('.govuk-pagination__next a').attr('href') ?? ''
  assert.match(next, /page=2/)
  const second = page((await s.browser.get(next)).body)
  assert.equal(second.$('#section-follow-ups-table tbody tr').length, 1)
  assert.ok(second.has('.govuk-pagination__prev'))
})

test('marking a follow-up done: the form has CSRF, a blank note is an error, then it leaves the worklist', async (t) => {
  const s = await setup(t)
  const followUp = await givenFollowUp(s.db, { person: s.ann, assignedTo: s.user })
  const url = `/follow-ups/${followUp.id}/done`
  const form = page((await s.browser.get(url)).body)
  assert.equal(form.h1(), 'Mark a follow-up as done')
  assert.ok(form.has('input[name="_csrf"]'))
  assert.match(form.text('.govuk-summary-list'), /Ann Adams/)
  const forged = await s.browser.post(url, { note: 'Done' }, { csrf: false })
  assert.equal(forged.statusCode, 403)
  const blank = await s.browser.post(url, { note: '  ' })
  assert.equal(blank.statusCode, 400)
  const error = page(blank.body)
  assert.deepEqual(error.errorSummary(), [{ text: 'Enter a note of what was done', href: '#note' }])
  assert.match(error.title(), /^Error: /)
  const tooLong = page((await s.browser.post(url, { note: 'x'.repeat(501) })).body)
  assert.equal(tooLong.value('note'), 'x'.repeat(501), 'what was typed is kept')
  const done = await s.browser.post(url, { note: 'Phoned and rebooked' })
  assert.equal(done.statusCode, 302)
  assert.equal(done.headers.location, '/worklist#section-follow-ups')
  const after = page((await s.browser.get('/worklist')).body)
  assert.match(after.text('.govuk-notification-banner'), /Follow-up for Ann Adams marked as done/)
  assert.equal(after.text('#section-follow-ups-heading'), 'Missed appointments to follow up (0)')
  const row = await s.db.selectFrom('follow_up').selectAll().where('id', '=', followUp.id).executeTakeFirstOrThrow()
  assert.deepEqual([row.status, row.note, row.done_by], ['done', 'Phoned and rebooked', s.user.id])
  const again = await s.browser.post(url, { note: 'Twice' })
  assert.equal(again.statusCode, 409)
  assert.match(page(again.body).text('#done'), /Marked as done on 20 November 2026/)
  const events = await s.db
    .selectFrom('audit_event')
    .select(['action'])
    .where('entity_type', '=', 'follow_up')
    .where('entity_id', '=', followUp.id)
    .orderBy('id')
    .execute()
  assert.ok(events.some((e) => e.action === 'update'))
  assert.equal(events.filter((e) => e.action === 'update').length, 1)
})

test('another user’s follow-up or another site’s is refused (403)', async (t) => {
  const s = await setup(t)
  const colleagues = await givenFollowUp(s.db, { person: s.ann, assignedTo: s.colleague })
  const zed = await givenPerson(s.db, s.other)
  const elsewhere = await givenFollowUp(s.db, { person: zed, assignedTo: await givenStaff(s.db, 'clinician') })
  assert.equal((await s.browser.get(`/follow-ups/${colleagues.id}/done`)).statusCode, 403)
  assert.equal((await s.browser.post(`/follow-ups/${colleagues.id}/done`, { note: 'x' })).statusCode, 403)
  assert.equal((await s.browser.get(`/follow-ups/${elsewhere.id}/done`)).statusCode, 403)
  assert.equal((await s.browser.get('/follow-ups/00000000-0000-4000-8000-000000000000/done')).statusCode, 404)
  const open = await s.db.selectFrom('follow_up').select('id').where('status', '=', 'open').execute()
  assert.equal(open.length, 2)
})

test('an unknown site is a 400 naming site; another site is 403; a bad scope is named', async (t) => {
  const s = await setup(t)
  const unknown = await s.browser.get('/worklist?site=NOWHERE')
  assert.equal(unknown.statusCode, 400)
  assert.deepEqual(page(unknown.body).errorSummary(), [{ text: 'No site has the code NOWHERE', href: '#site' }])
  assert.equal((await s.browser.get(`/worklist?site=${s.other.code}`)).statusCode, 403)
  const scope = await s.browser.get('/worklist?scope=everyone')
  assert.equal(scope.statusCode, 400)
  assert.deepEqual(page(scope.body).errorSummary(), [{ text: 'Scope must be mine or site', href: '#scope' }])
  const events = await s.db.selectFrom('audit_event').select('id').where('entity_type', '=', 'worklist').execute()
  assert.equal(events.length, 0)
})

test('someone at two sites chooses the site', async (t) => {
  const s = await setup(t)
  const both = await givenStaff(s.db, 'clinician', { sites: [s.site, s.other] })
  const browser = await signedInBrowser(s.app, both.email, both.password)
  const p = page((await browser.get('/worklist')).body)
  assert.deepEqual(
    p
      .$('#site option')
      .map((_, el) => p.$(el).text())
      .get(),
    ['Cambridge', 'Hammersmith'],
  )
  const other = page((await browser.get(`/worklist?site=${s.other.code}`)).body)
  assert.match(other.text('.govuk-caption-l'), /^Hammersmith/)
})

test('someone at two sites starts where they work today: their next appointment, else their latest', async (t) => {
  const s = await setup(t)
  const both = await givenStaff(s.db, 'clinician', { sites: [s.site, s.other] })
  const browser = await signedInBrowser(s.app, both.email, both.password)
  const caption = async () => page((await browser.get('/worklist')).body).text('.govuk-caption-l')
  assert.match(await caption(), /^Cambridge/, 'no appointments: the first site by name')

  const hammersmithPerson = await givenPerson(s.db, s.other, { given_name: 'Hal', family_name: 'Hughes' })
  await givenAppointment(s.db, { person: hammersmithPerson, clinician: both, startsAt: '2026-11-19T10:00:00Z' })
  assert.match(await caption(), /^Hammersmith/, 'the latest appointment was at Hammersmith')

  await givenAppointment(s.db, { person: s.ann, clinician: both, startsAt: '2026-11-23T10:00:00Z' })
  assert.match(await caption(), /^Cambridge/, 'the next appointment this week is at Cambridge')
})

for (const role of ['partner', 'analyst', 'admin', 'auditor'] as const) {
  test(`the ${role} role is refused the worklist page (403)`, async (t) => {
    const s = await setup(t, role)
    assert.equal((await s.browser.get('/worklist')).statusCode, 403)
  })
}

test('warning signs come first, each with a "Respond" action linking to its response page', async (t) => {
  const s = await setup(t)
  const check = await givenHealthCheck(s.db, { person: s.ann, clinician: s.user, flag: true })
  await givenProposedNeed(s.db, { person: s.ann, check })
  // Asked for in another order, the warning signs still lead.
  const p = page((await s.browser.get('/worklist?kinds=needs&kinds=follow-ups&kinds=flags')).body)
  assert.deepEqual(sectionIds(p), ['section-flags', 'section-needs', 'section-follow-ups'])
  const headers = p
    .$('#section-flags-table thead th')
    .map((_, el) => p.$(el).text().trim())
    .get()
  assert.deepEqual(headers, ['Respond by', 'Person', 'Warning sign', 'Action'])
  const respond = p.$('#section-flags-table tbody tr td:last-child a')
  assert.equal(respond.length, 1)
  assert.equal(respond.attr('href'), `/warning-flags/${check.flagId ?? ''}/respond`)
  assert.equal(respond.text().replace(/\s+/g, ' ').trim(), 'Respond to the warning sign for Ann Adams')
  assert.equal(
    p.text('#section-flags-table tbody tr td:last-child a .govuk-visually-hidden'),
    'to the warning sign for Ann Adams',
  )
  assert.equal(p.$('#section-needs-table tbody tr td').length, 3, 'no action column where there is no action')
})
