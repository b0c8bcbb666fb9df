import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp, page, signedInBrowser } from '../../../test/support/test-app.ts'
import { givenAppointment, givenPerson, givenSite, givenStaff } from '../../../test/support/builders.ts'

async function setup(t: TestContext) {
  const { app, database, clock } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db, { name: 'Cambridge Health Hub' })
  const user = await givenStaff(db, 'clinician', { sites: [site], name: 'Jo Nurse' })
  const practitioner = await givenStaff(db, 'probation_practitioner', { sites: [site], name: 'Pat Officer' })
  const person = await givenPerson(db, site, { given_name: 'Alex', family_name: 'Smith' })
  const browser = await signedInBrowser(app, user.email, user.password)
  const form = (extra: Record<string, string> = {}) => ({
    kind: 'joint',
    'startDate-day': '3',
    'startDate-month': '12',
    'startDate-year': '2026',
    startTime: '10:00',
    durationMinutes: '45',
    clinicianId: user.id,
    practitionerId: practitioner.id,
    location: 'Room 2',
    ...extra,
  })
  return { app, db, clock, site, user, practitioner, person, browser, form }
}

test('books through the form, shows it on the appointment, the person’s list and the site diary', async (t) => {
  const { db, site, person, browser, form } = await setup(t)
  const bookPage = await browser.get(`/people/${person.id}/appointments/new`)
  assert.equal(bookPage.statusCode, 200)
  assert.equal(page(bookPage.body).h1(), 'Book an appointment for Alex Smith')
  const response = await browser.post(`/people/${person.id}/appointments/new`, form({ startTime: '2:30pm' }))
  assert.equal(response.statusCode, 302, response.body)
  const saved = await db.selectFrom('appointment').selectAll().executeTakeFirstOrThrow()
  assert.equal(response.headers.location, `/appointments/${saved.id}`)
  assert.equal(new Date(saved.starts_at).toISOString(), '2026-12-03T14:30:00.000Z')
  const view = page((await browser.get(`/appointments/${saved.id}`)).body)
  assert.match(view.text('.govuk-notification-banner'), /Appointment booked for 3 December 2026, 2:30pm to 3:15pm/)
  assert.ok(view.has(`a[href="/appointments/${saved.id}/outcome"]`))
  const list = page((await browser.get(`/people/${person.id}/appointments`)).body)
  assert.match(list.text('table'), /3 December 2026, 2:30pm to 3:15pm/)
  const diary = page((await browser.get(`/diary?site=${site.code}&date=2026-12-03`)).body)
  assert.match(diary.text('table'), /Alex Smith/)
  assert.ok(diary.has(`a[href="/diary?site=${site.code}&date=2026-12-02"]`))
  assert.ok(diary.has(`a[href="/diary?site=${site.code}&date=2026-12-04"]`))
  const mine = page((await browser.get('/diary/mine?date=2026-12-03')).body)
  assert.match(mine.text('table'), /Alex Smith/)
})

test('re-renders with GOV.UK errors linking to each field, keeping what was typed', async (t) => {
  const { db, person, browser, form } = await setup(t)
  await browser.get(`/people/${person.id}/appointments/new`)
  const response = await browser.post(
    `/people/${person.id}/appointments/new`,
    form({ kind: '', 'startDate-day': '31', 'startDate-month': '2', startTime: '25:00', practitionerId: '' }),
  )
  assert.equal(response.statusCode, 400)
  const html = page(response.body)
  assert.match(html.title(), /^Error: /)
  assert.deepEqual(html.errorSummary(), [
    { text: 'Select the type of appointment', href: '#kind' },
    { text: 'The date of the appointment must be a real date', href: '#startDate-day' },
    { text: 'Enter the start time using the 24-hour clock, like 10:30 or 14:00', href: '#startTime' },
  ])
  assert.equal(html.value('startTime'), '25:00')
  assert.equal(html.value('location'), 'Room 2')
  assert.equal((await db.selectFrom('appointment').select('id').execute()).length, 0)
})

test('refuses a clash on the form with a message naming it', async (t) => {
  const { db, site, person, user, browser, form } = await setup(t)
  const other = await givenPerson(db, site, { given_name: 'Sam', family_name: 'Jones' })
  await givenAppointment(db, { person: other, clinician: user, startsAt: '2026-12-03T09:30:00Z', durationMinutes: 60 })
  await browser.get(`/people/${person.id}/appointments/new`)
  const response = await browser.post(`/people/${person.id}/appointments/new`, form())
  assert.equal(response.statusCode, 400)
  assert.deepEqual(page(response.body).errorSummary(), [
    {
      text: 'Jo Nurse already has an appointment from 9:30am to 10:30am on 3 December 2026 at Cambridge Health Hub',
      href: '#startTime',
    },
  ])
})

test('refuses a form without the CSRF token (403)', async (t) => {
  const { db, person, browser, form } = await setup(t)
  const response = await browser.post(`/people/${person.id}/appointments/new`, form(), { csrf: false })
  assert.equal(response.statusCode, 403)
  assert.equal((await db.selectFrom('appointment').select('id').execute()).length, 0)
})

test('asks the acceptable-absence reason directly under its option, shown and sent without JavaScript', async (t) => {
  const { db, person, user, practitioner, browser } = await setup(t)
  const a = await givenAppointment(db, { person, clinician: user, practitioner, startsAt: '2026-11-20T09:00:00Z' })
  const url = `/appointments/${a.id}/outcome`
  const html = page((await browser.get(url)).body)
  const items = html.$('.govuk-radios .govuk-radios__item')
  assert.equal(items.last().find('input').attr('value'), 'AA', 'acceptable absence is the last option')
  const group = items.last().next()
  assert.equal(group.attr('id'), 'absenceReason-group', 'the reason follows straight after that option')
  assert.equal(group.closest('fieldset').find('legend').text().trim(), 'What happened?')
  assert.equal(group.find('select#absenceReason[name="absenceReason"]').length, 1)
  assert.equal(html.$('select#absenceReason').length, 1, 'the reason is asked once')
  // No conditional reveal: GOV.UK Frontend would add aria-expanded to the radio, which axe refuses.
  assert.equal(html.$('input[name="outcome"][data-aria-controls]').length, 0)
  assert.equal(group.hasClass('govuk-radios__conditional--hidden'), false)
  const shown = page((await browser.post(url, { outcome: 'AA', absenceReason: '', version: '1' })).body)
  assert.equal(shown.inlineError('absenceReason'), 'Select the reason the absence was acceptable')
})

test('records acceptable absence only with a reason, then creates follow-ups', async (t) => {
  const { db, clock, person, user, practitioner, browser } = await setup(t)
  const a = await givenAppointment(db, { person, clinician: user, practitioner, startsAt: '2026-11-20T09:00:00Z' })
  const url = `/appointments/${a.id}/outcome`
  assert.equal((await browser.get(url)).statusCode, 200)
  const without = await browser.post(url, { outcome: 'AA', absenceReason: '', version: '1' })
  assert.equal(without.statusCode, 400)
  assert.deepEqual(page(without.body).errorSummary(), [
    { text: 'Select the reason the absence was acceptable', href: '#absenceReason' },
  ])
  assert.equal(page(without.body).$('#outcome-7').attr('checked'), 'checked')
  clock.advance(1000)
  const withReason = await browser.post(url, { outcome: 'AA', absenceReason: 'AAME', version: '1' })
  assert.equal(withReason.statusCode, 302)
  const saved = await db.selectFrom('appointment').selectAll().executeTakeFirstOrThrow()
  assert.equal(saved.outcome, 'AA')
  assert.equal(saved.absence_reason, 'AAME')
  assert.equal((await db.selectFrom('follow_up').select('id').execute()).length, 2)
  const view = page((await browser.get(`/appointments/${a.id}`)).body)
  assert.match(view.text('.govuk-notification-banner'), /Follow-up work has been created/)
  assert.match(view.text('.govuk-summary-list'), /Acceptable absence: Medical/)
  assert.equal(view.has(`a[href="${url}"]`), false)
})

test('reschedules: the old appointment is cancelled as rescheduled at the person’s request and linked', async (t) => {
  const { db, person, user, practitioner, browser, form } = await setup(t)
  const a = await givenAppointment(db, { person, clinician: user, practitioner, startsAt: '2026-12-03T10:00:00Z' })
  const get = await browser.get(`/appointments/${a.id}/reschedule`)
  assert.equal(page(get.body).value('startTime'), '10:00')
  const missing = await browser.post(`/appointments/${a.id}/reschedule`, form({ version: '1' }))
  assert.equal(missing.statusCode, 400)
  assert.deepEqual(page(missing.body).errorSummary()[0]?.href, '#requestedBy')
  const response = await browser.post(
    `/appointments/${a.id}/reschedule`,
    form({ version: '1', requestedBy: 'RSOF', 'startDate-day': '4', startTime: '10:00' }),
  )
  assert.equal(response.statusCode, 302, response.body)
  const rows = await db.selectFrom('appointment').selectAll().orderBy('starts_at').execute()
  assert.equal(rows.length, 2)
  assert.equal(rows[0]!.status, 'cancelled')
  assert.equal(rows[0]!.outcome, 'RSOF')
  assert.equal(rows[0]!.cancelled_reason, 'rescheduled')
  assert.equal(rows[1]!.status, 'booked')
  assert.equal(rows[1]!.rescheduled_from, a.id)
  assert.equal(response.headers.location, `/appointments/${rows[1]!.id}`)
})

test('refuses to reschedule to the time the appointment is already at, with a field error', async (t) => {
  const { db, person, user, practitioner, browser, form } = await setup(t)
  const a = await givenAppointment(db, { person, clinician: user, practitioner, startsAt: '2026-12-03T10:00:00Z' })
  await browser.get(`/appointments/${a.id}/reschedule`)
  const same = await browser.post(`/appointments/${a.id}/reschedule`, form({ version: '1', requestedBy: 'RSOF' }))
  assert.equal(same.statusCode, 400)
  const html = page(same.body)
  assert.deepEqual(html.errorSummary(), [
    { text: 'Enter a different date or time – the appointment is already booked for then', href: '#startDate-day' },
  ])
  assert.equal(html.value('startTime'), '10:00')
  const rows = await db.selectFrom('appointment').selectAll().execute()
  assert.equal(rows.length, 1)
  assert.equal(rows[0]!.status, 'booked')
  assert.equal(rows[0]!.version, 1)
})

test('cancels with a reason; a stale form is refused with 409 and nothing changes', async (t) => {
  const { db, person, user, browser } = await setup(t)
  const a = await givenAppointment(db, { person, clinician: user, startsAt: '2026-12-03T10:00:00Z' })
  const url = `/appointments/${a.id}/cancel`
  await browser.get(url)
  const blank = await browser.post(url, { reason: '', version: '1' })
  assert.equal(blank.statusCode, 400)
  assert.deepEqual(page(blank.body).errorSummary(), [
    { text: 'Enter why the appointment is being cancelled', href: '#reason' },
  ])
  const stale = await browser.post(url, { reason: 'Clinic closed', version: '0' })
  assert.equal(stale.statusCode, 409)
  assert.equal((await db.selectFrom('appointment').select('status').executeTakeFirstOrThrow()).status, 'booked')
  const done = await browser.post(url, { reason: 'Clinic closed', version: '1' })
  assert.equal(done.statusCode, 302)
  const saved = await db.selectFrom('appointment').selectAll().executeTakeFirstOrThrow()
  assert.equal(saved.status, 'cancelled')
  assert.equal(saved.cancelled_reason, 'Clinic closed')
  const updates = await db
    .selectFrom('audit_event')
    .select('action')
    .where('entity_type', '=', 'appointment')
    .where('action', '=', 'update')
    .execute()
  assert.equal(updates.length, 1)
})

test('refuses another site’s person, appointment and diary (403)', async (t) => {
  const { db, browser } = await setup(t)
  const elsewhere = await givenSite(db)
  const stranger = await givenPerson(db, elsewhere)
  const theirClinician = await givenStaff(db, 'clinician', { sites: [elsewhere] })
  const theirs = await givenAppointment(db, { person: stranger, clinician: theirClinician })
  assert.equal((await browser.get(`/people/${stranger.id}/appointments`)).statusCode, 403)
  assert.equal((await browser.get(`/people/${stranger.id}/appointments/new`)).statusCode, 403)
  assert.equal((await browser.get(`/appointments/${theirs.id}`)).statusCode, 403)
  assert.equal((await browser.get(`/diary?site=${elsewhere.code}`)).statusCode, 403)
})

test('refuses the analyst role on the pages (403)', async (t) => {
  const { app, db, site, person } = await setup(t)
  const analyst = await givenStaff(db, 'analyst', { sites: [site] })
  const browser = await signedInBrowser(app, analyst.email, analyst.password)
  assert.equal((await browser.get(`/people/${person.id}/appointments`)).statusCode, 403)
  assert.equal((await browser.get('/diary')).statusCode, 403)
})

test('offers no rescheduled outcome on the outcome form, and refuses one posted anyway', async (t) => {
  const { db, person, user, practitioner, browser } = await setup(t)
  const a = await givenAppointment(db, { person, clinician: user, practitioner, startsAt: '2026-11-20T09:00:00Z' })
  const url = `/appointments/${a.id}/outcome`
  const form = page((await browser.get(url)).body)
  const choices = form
    .$('input[name="outcome"]')
    .map((_, input) => form.$(input).attr('value'))
    .get()
  assert.deepEqual(choices, ['ATTC', 'AFTC', 'ATSH', 'ATSS', 'AFTA', 'UAAB', 'AA'])
  for (const outcome of ['RSOF', 'RSSR']) {
    const response = await browser.post(url, { outcome, version: '1' })
    assert.equal(response.statusCode, 400)
    const errors = page(response.body).errorSummary()
    assert.equal(errors.length, 1)
    assert.equal(errors[0]!.href, '#outcome')
    assert.match(errors[0]!.text, /reschedule/i)
  }
  const saved = await db.selectFrom('appointment').selectAll().executeTakeFirstOrThrow()
  assert.equal(saved.status, 'booked')
})

test('a staff id that is not a UUID is a field error (400), not a failure', async (t) => {
  const { db, person, user, practitioner, browser, form } = await setup(t)
  await browser.get(`/people/${person.id}/appointments/new`)
  const booking = await browser.post(
    `/people/${person.id}/appointments/new`,
    form({ clinicianId: 'nobody', practitionerId: "1' or '1'='1" }),
  )
  assert.equal(booking.statusCode, 400, booking.body)
  assert.deepEqual(page(booking.body).errorSummary(), [
    { text: 'Select a hub clinician who works at this person’s site', href: '#clinicianId' },
    { text: 'Select a probation practitioner who works at this person’s site', href: '#practitionerId' },
  ])
  const a = await givenAppointment(db, { person, clinician: user, practitioner, startsAt: '2026-12-03T10:00:00Z' })
  await browser.get(`/appointments/${a.id}/reschedule`)
  const moving = await browser.post(
    `/appointments/${a.id}/reschedule`,
    form({ version: '1', requestedBy: 'RSSR', 'startDate-day': '4', clinicianId: 'x' }),
  )
  assert.equal(moving.statusCode, 400, moving.body)
  assert.deepEqual(
    page(moving.body)
      .errorSummary()
      .map((e) => e.href),
    ['#clinicianId'],
  )
  const rows = await db.selectFrom('appointment').select(['id', 'status']).execute()
  assert.deepEqual(rows, [{ id: a.id, status: 'booked' }])
})

test('chooses the diary day with the GOV.UK date input, with errors in GOV.UK wording', async (t) => {
  const { db, site, person, user, browser } = await setup(t)
  await givenAppointment(db, { person, clinician: user, startsAt: '2026-12-03T10:00:00Z' })
  const shown = page((await browser.get(`/diary?site=${site.code}&date=2026-12-03`)).body)
  assert.equal(shown.$('input[type="date"]').length, 0)
  assert.equal(shown.$('fieldset legend').first().text().trim(), 'Date')
  assert.deepEqual(
    ['day', 'month', 'year'].map((part) => shown.value(`date-${part}`)),
    ['3', '12', '2026'],
  )
  const chosen = await browser.get(`/diary?site=${site.code}&date-day=3&date-month=12&date-year=2026`)
  assert.equal(chosen.statusCode, 200)
  assert.match(page(chosen.body).text('.govuk-caption-l'), /3 December 2026$/)
  assert.match(page(chosen.body).text('table'), /Alex Smith/)
  const mine = await browser.get('/diary/mine?date-day=3&date-month=12&date-year=2026')
  assert.match(page(mine.body).text('table'), /Alex Smith/)
  const unreal = await browser.get('/diary/mine?date-day=31&date-month=2&date-year=2026')
  assert.equal(unreal.statusCode, 400)
  const html = page(unreal.body)
  assert.match(html.title(), /^Error: /)
  assert.deepEqual(html.errorSummary(), [{ text: 'The date must be a real date', href: '#date-day' }])
  assert.equal(html.inlineError('date'), 'The date must be a real date')
  assert.equal(html.value('date-day'), '31')
  const partial = page((await browser.get(`/diary?site=${site.code}&date-day=3&date-month=&date-year=2026`)).body)
  assert.deepEqual(partial.errorSummary(), [{ text: 'The date must include a month', href: '#date-month' }])
  const blank = page((await browser.get('/diary/mine?date-day=&date-month=&date-year=')).body)
  assert.deepEqual(blank.errorSummary(), [{ text: 'Enter the date', href: '#date-day' }])
})

test('a diary date no diary can show falls back to today, with working day links', async (t) => {
  const { site, browser } = await setup(t)
  for (const date of ['9999-12-31', '10000-01-01', '1899-12-31']) {
    const diary = await browser.get(`/diary?site=${site.code}&date=${date}`)
    assert.equal(diary.statusCode, 200, `${date}: ${diary.body.slice(0, 200)}`)
    const html = page(diary.body)
    assert.match(html.text('.govuk-caption-l'), /^Friday,? 20 November 2026$/)
    assert.equal(html.$('a[rel="prev"]').attr('href'), `/diary?site=${site.code}&date=2026-11-19`)
    assert.equal(html.$('a[rel="next"]').attr('href'), `/diary?site=${site.code}&date=2026-11-21`)
    const mine = await browser.get(`/diary/mine?date=${date}`)
    assert.equal(mine.statusCode, 200, `${date}: ${mine.body.slice(0, 200)}`)
    assert.equal(page(mine.body).$('a[rel="next"]').attr('href'), '/diary/mine?date=2026-11-21')
  }
  const last = page((await browser.get(`/diary?site=${site.code}&date=9998-12-31`)).body)
  assert.match(last.text('.govuk-caption-l'), / 31 December 9998$/)
  assert.equal(last.$('a[rel="prev"]').attr('href'), `/diary?site=${site.code}&date=9998-12-30`)
  assert.equal(last.has('a[rel="next"]'), false)
  const first = page((await browser.get('/diary/mine?date=1900-01-01')).body)
  assert.match(first.text('.govuk-caption-l'), / 1 January 1900$/)
  assert.equal(first.has('a[rel="prev"]'), false)
  assert.equal(first.$('a[rel="next"]').attr('href'), '/diary/mine?date=1900-01-02')
})

test('splits a person’s appointments into upcoming and past by the service’s clock', async (t) => {
  const { app, db, clock, person, user } = await setup(t)
  // Years before the real date: reading the system clock instead would put both in the past.
  clock.set('2020-06-01T10:00:00Z')
  const earlier = await givenAppointment(db, { person, clinician: user, startsAt: '2020-05-31T10:00:00Z' })
  const later = await givenAppointment(db, { person, clinician: user, startsAt: '2020-06-02T10:00:00Z' })
  const browser = await signedInBrowser(app, user.email, user.password)
  const html = page((await browser.get(`/people/${person.id}/appointments`)).body)
  const section = (caption: string) =>
    html
      .$(`table:has(caption:contains("${caption}")) a`)
      .map((_, a) => html.$(a).attr('href'))
      .get()
  assert.deepEqual(section('Upcoming'), [`/appointments/${later.id}`])
  assert.deepEqual(section('Past and cancelled'), [`/appointments/${earlier.id}`])
})

test('a busy site diary shows 50 appointments a page with GOV.UK pagination, and audits the page shown', async (t) => {
  const { db, site, user, person, browser } = await setup(t)
  // 51 appointments on one day, a minute apart from 9:00 UK time (GMT in December).
  for (let n = 0; n < 51; n++) {
    const at = new Date(Date.UTC(2026, 11, 3, 9, n))
    await givenAppointment(db, { person, clinician: user, startsAt: at.toISOString(), durationMinutes: 15 })
  }
  const first = page((await browser.get(`/diary?site=${site.code}&date=2026-12-03`)).body)
  assert.equal(first.$('table tbody tr').length, 50)
  assert.match(first.text('main'), /51 appointments on this day, 50 on this page/)
  assert.ok(first.has(`.govuk-pagination a[href="/diary?site=${site.code}&date=2026-12-03&page=2"]`))
  const second = page((await browser.get(`/diary?site=${site.code}&date=2026-12-03&page=2`)).body)
  assert.equal(second.$('table tbody tr').length, 1)
  assert.match(second.text('table tbody'), /9:50am/)
  const audited = await db
    .selectFrom('audit_event')
    .select('details')
    .where('action', '=', 'list')
    .where('entity_type', '=', 'appointment')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  assert.deepEqual(audited.details, {
    channel: 'page',
    diary: 'site',
    date: '2026-12-03',
    page: 2,
    personIds: [person.id],
  })
  // A page beyond the last is empty (no error), and a nonsense page number is the first page.
  const beyond = await browser.get(`/diary?site=${site.code}&date=2026-12-03&page=9`)
  assert.equal(beyond.statusCode, 200)
  assert.match(page(beyond.body).text('main'), /There is no page 9: this day has 51 appointments/)
  assert.ok(page(beyond.body).has(`main a[href="/diary?site=${site.code}&date=2026-12-03"]`))
  const nonsense = page((await browser.get(`/diary?site=${site.code}&date=2026-12-03&page=1e309`)).body)
  assert.equal(nonsense.$('table tbody tr').length, 50)
})
