import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { Kysely } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import { buildTestApp, page, signedInBrowser } from '../../../test/support/test-app.ts'
import {
  givenAppointment,
  givenCheckNeed,
  givenConsent,
  givenGpRegistration,
  givenHealthCheck,
  givenPerson,
  givenReferralRow,
  givenScreeningEvent,
  givenService,
  givenSite,
  givenStaff,
} from '../../../test/support/builders.ts'
import type { ReferralStatus } from '../referrals/index.ts'
import { formatDateTime } from '../../platform/views/format.ts'

async function setup(t: TestContext) {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db, { name: 'Cambridge' })
  const user = await givenStaff(db, 'clinician', { sites: [site] })
  const person = await givenPerson(db, site, { given_name: 'Sam', family_name: 'Taylor' })
  const browser = await signedInBrowser(app, user.email, user.password)
  return { app, db, site, user, person, browser, owner: { id: person.id, site_id: site.id } }
}

const titles = (html: ReturnType<typeof page>) =>
  html
    .$('#timeline h2')
    .map((_, el) => html.$(el).text().trim())
    .get()

async function referralEvents(
  db: Kysely<DB>,
  referralId: string,
  actorId: string,
  steps: [from: ReferralStatus | null, to: ReferralStatus, on: string][],
) {
  for (const [from, to, on] of steps) {
    await db
      .insertInto('referral_event')
      .values({
        referral_id: referralId,
        from_status: from,
        to_status: to,
        occurred_on: on,
        actor_id: actorId,
        recorded_at: new Date(`${on}T15:00:00Z`),
      })
      .execute()
  }
}

test('60 appointments make 2 pages of 50, newest first, with GOV.UK pagination', async (t) => {
  const { db, user, browser, person, owner } = await setup(t)
  for (let day = 1; day <= 60; day += 1) {
    const date = new Date(Date.UTC(2026, 8, day, 10))
    await givenAppointment(db, {
      person: owner,
      clinician: user,
      startsAt: date.toISOString(),
      location: `Room ${String(day)}`,
    })
  }
  const first = page((await browser.get(`/people/${person.id}/timeline`)).body)
  assert.equal(first.$('#timeline > li').length, 50)
  assert.match(first.text('#timeline-count'), /Showing 1 to 50 of 60 events/)
  assert.match(first.$('#timeline > li').first().text(), /30 October 2026/, 'newest first')
  const next = first.$('.govuk-pagination__next a').attr('href') ?? ''
  assert.equal(next, `/people/${person.id}/timeline?page=2`)
  assert.equal(first.$('.govuk-pagination__item--current').text().trim(), '1')

  const second = page((await browser.get(next)).body)
  assert.equal(second.$('#timeline > li').length, 10)
  assert.match(second.text('#timeline-count'), /Showing 51 to 60 of 60 events/)
  assert.match(second.$('#timeline > li').last().text(), /1 September 2026/, 'oldest last')
  assert.equal(second.$('.govuk-pagination__prev a').attr('href'), `/people/${person.id}/timeline`)
  assert.equal(second.$('.govuk-pagination__next').length, 0)

  const filtered = page((await browser.get(`/people/${person.id}/timeline?show=appointments`)).body)
  assert.equal(
    filtered.$('.govuk-pagination__next a').attr('href'),
    `/people/${person.id}/timeline?show=appointments&page=2`,
    'the filters are kept in the paging links',
  )
})

test('filters: what to show and a date range, kept in the paging links; bad dates named in the error summary', async (t) => {
  const { db, user, browser, person, owner, site } = await setup(t)
  await givenAppointment(db, { person: owner, clinician: user, startsAt: '2026-11-03T10:00:00Z' })
  await givenAppointment(db, { person: owner, clinician: user, startsAt: '2026-10-01T10:00:00Z' })
  await givenHealthCheck(db, {
    person: owner,
    clinician: user,
    flag: true,
    startedAt: new Date('2026-11-10T09:00:00Z'),
  })
  const need = await givenCheckNeed(db, { person: owner, clinician: user, status: 'confirmed', category: 'alcohol' })
  const service = await givenService(db, site, { kind: 'drug-alcohol', name: 'Change Grow Live' })
  const referral = await givenReferralRow(db, { need, service, createdBy: user, status: 'declined' })
  await referralEvents(db, referral.id, user.id, [
    [null, 'draft', '2026-11-11'],
    ['draft', 'sent', '2026-11-12'],
    ['sent', 'declined', '2026-11-14'],
  ])

  const everything = titles(page((await browser.get(`/people/${person.id}/timeline`)).body))
  assert.ok(everything.includes('Referral to Change Grow Live: declined by the person'), everything.join(' | '))
  assert.ok(everything.includes('Referral to Change Grow Live: sent'))
  assert.ok(everything.includes('Alcohol need confirmed'))
  assert.ok(everything.includes('Alcohol need proposed'))
  assert.ok(everything.some((t) => /^Warning sign/.test(t)))
  assert.ok(everything.some((t) => /^Health check/.test(t)))
  assert.equal(everything.filter((t) => /appointment/i.test(t)).length, 2)

  const needsOnly = page((await browser.get(`/people/${person.id}/timeline?show=needs&show=referrals`)).body)
  assert.deepEqual(titles(needsOnly), [
    'Alcohol need confirmed',
    'Alcohol need proposed',
    'Referral to Change Grow Live: declined by the person',
    'Referral to Change Grow Live: sent',
    'Referral to Change Grow Live: draft',
  ])
  assert.ok(needsOnly.has('input[name="show"][value="needs"][checked]'), 'the choice is kept')
  const kinds = await db
    .selectFrom('audit_event')
    .select('entity_type')
    .select('details')
    .where('action', '=', 'list')
    .execute()
    .then((rows) => rows.filter((r) => r.details['purpose'] === 'timeline'))
  assert.ok(
    kinds.some((k) => k.entity_type === 'referral'),
    'the referral read is audited',
  )

  const ranged = page(
    (
      await browser.get(
        `/people/${person.id}/timeline?from-day=1&from-month=11&from-year=2026&to-day=12&to-month=11&to-year=2026`,
      )
    ).body,
  )
  const inRange = titles(ranged)
  assert.ok(inRange.includes('Referral to Change Grow Live: sent'))
  assert.ok(!inRange.includes('Referral to Change Grow Live: declined by the person'), '14 November is after the range')
  assert.equal(inRange.filter((t) => /appointment/i.test(t)).length, 1, '1 October is before the range')
  assert.equal(ranged.value('from-day'), '1')

  const bad = await browser.get(
    `/people/${person.id}/timeline?from-day=31&from-month=2&from-year=2026&to-day=1&to-month=1`,
  )
  assert.equal(bad.statusCode, 400)
  const html = page(bad.body)
  assert.match(html.title(), /^Error: /)
  assert.deepEqual(html.errorSummary(), [
    { text: 'The ‘from’ date must be a real date', href: '#from-day' },
    { text: 'The ‘to’ date must include a year', href: '#to-year' },
  ])
  const backwards = page(
    (
      await browser.get(
        `/people/${person.id}/timeline?from-day=12&from-month=11&from-year=2026&to-day=1&to-month=11&to-year=2026`,
      )
    ).body,
  )
  assert.deepEqual(backwards.errorSummary(), [
    { text: 'The ‘to’ date must be the same as or after the ‘from’ date', href: '#to-day' },
  ])
})

test('probation practitioners still see appointments only, whatever the filters ask for', async (t) => {
  const { app, db, user, person, owner, site } = await setup(t)
  const practitioner = await givenStaff(db, 'probation_practitioner', { sites: [site] })
  await givenAppointment(db, { person: owner, clinician: user, practitioner, startsAt: '2026-11-03T10:00:00Z' })
  await givenHealthCheck(db, { person: owner, clinician: user, flag: true })
  const need = await givenCheckNeed(db, { person: owner, clinician: user, status: 'confirmed' })
  const service = await givenService(db, site, { kind: 'talking-therapies', name: 'Talking Therapies' })
  const referral = await givenReferralRow(db, { need, service, createdBy: user })
  await referralEvents(db, referral.id, user.id, [[null, 'sent', '2026-11-12']])

  const pp = await signedInBrowser(app, practitioner.email, practitioner.password)
  for (const query of ['', '?show=needs&show=warning-flags&show=referrals&show=health-checks']) {
    const response = await pp.get(`/people/${person.id}/timeline${query}`)
    assert.equal(response.statusCode, 200)
    const html = page(response.body)
    assert.deepEqual(titles(html), ['Joint appointment (booked)'], query)
    assert.ok(!html.has('input[name="show"]'), 'no clinical kinds offered')
    assert.doesNotMatch(html.text('#timeline'), /need|Warning|Referral|Health check/)
  }
  const audits = await db
    .selectFrom('audit_event')
    .select('entity_type')
    .where('actor_id', '=', practitioner.id)
    .where('action', '=', 'list')
    .execute()
  assert.deepEqual([...new Set(audits.map((a) => a.entity_type))], ['appointment'], 'nothing clinical was read')

  for (const role of ['analyst', 'partner', 'admin'] as const) {
    const other = await givenStaff(db, role, { sites: [site] })
    const b = await signedInBrowser(app, other.email, other.password)
    assert.equal((await b.get(`/people/${person.id}/timeline`)).statusCode, 403, role)
  }
  const elsewhere = await givenSite(db)
  const stranger = await givenStaff(db, 'clinician', { sites: [elsewhere] })
  const sb = await signedInBrowser(app, stranger.email, stranger.password)
  assert.equal((await sb.get(`/people/${person.id}/timeline`)).statusCode, 403)
})

test('consent, GP registration and screening events join the timeline in time order, with times shown', async (t) => {
  const { db, user, browser, person, owner } = await setup(t)
  await givenAppointment(db, { person: owner, clinician: user, startsAt: '2026-11-02T14:00:00Z' })
  await givenHealthCheck(db, { person: owner, clinician: user, startedAt: new Date('2026-11-20T09:30:00Z') })
  await givenConsent(db, person, user, {
    topic: 'share-summary-with-probation',
    decision: 'given',
    decidedOn: '2026-11-05',
    recordedAt: new Date('2026-11-05T11:00:00Z'),
  })
  await givenConsent(db, person, user, {
    topic: 'share-summary-with-probation',
    decision: 'withdrawn',
    decidedOn: '2026-11-18',
    recordedAt: new Date('2026-11-18T11:00:00Z'),
  })
  await givenGpRegistration(db, person, user, {
    status: 'in-progress',
    status_date: '2026-11-10',
    recorded_at: new Date('2026-11-10T10:00:00Z'),
  })
  await givenScreeningEvent(db, person, user, {
    programme: 'bowel',
    state: 'invited',
    date: '2026-11-01',
    recordedAt: new Date('2026-11-03T10:00:00Z'),
  })
  await givenScreeningEvent(db, person, user, {
    programme: 'bowel',
    state: 'declined',
    date: '2026-11-15',
    recordedAt: new Date('2026-11-15T10:00:00Z'),
    enteredInError: { reason: 'Wrong person' },
  })

  const html = page((await browser.get(`/people/${person.id}/timeline`)).body)
  assert.deepEqual(titles(html), [
    'Health check started',
    'Consent to share a health summary with probation: agreement withdrawn',
    'Bowel cancer screening: declined (entered in error)',
    'GP registration: registration in progress',
    'Consent to share a health summary with probation: agreed',
    'Health appointment (booked)',
    'Bowel cancer screening: invited',
  ])
  const when = html
    .$('#timeline .govuk-caption-s')
    .map((_, el) => html.$(el).text().trim())
    .get()
  assert.equal(when[0], '20 November 2026 at 9:30am · Health checks')
  assert.equal(when[1], '18 November 2026 · Consent')
  assert.equal(when[3], '10 November 2026 · GP registration')
  // However the shared helper words an o'clock time ("2pm"), the appointment's time is shown.
  assert.equal(when[5], `${formatDateTime(new Date('2026-11-02T14:00:00Z'))} · Appointments`)
  assert.equal(when[6], '1 November 2026 · Screening')
  assert.ok(html.has('#timeline time[datetime="2026-11-20T09:30:00.000Z"]'), 'a machine-readable time')

  const only = page((await browser.get(`/people/${person.id}/timeline?show=consent&show=screening`)).body)
  assert.deepEqual(titles(only), [
    'Consent to share a health summary with probation: agreement withdrawn',
    'Bowel cancer screening: declined (entered in error)',
    'Consent to share a health summary with probation: agreed',
    'Bowel cancer screening: invited',
  ])
  const audits = await db
    .selectFrom('audit_event')
    .select('entity_type')
    .where('actor_id', '=', user.id)
    .where('action', '=', 'list')
    .execute()
  const listed = new Set(audits.map((a) => a.entity_type))
  for (const entity of ['consent', 'gp_registration', 'screening_event']) assert.ok(listed.has(entity), entity)
})

test('probation practitioners see no consent, GP registration or screening events on the timeline', async (t) => {
  const { app, db, user, person, owner, site } = await setup(t)
  const practitioner = await givenStaff(db, 'probation_practitioner', { sites: [site] })
  await givenAppointment(db, { person: owner, clinician: user, practitioner, startsAt: '2026-11-03T10:00:00Z' })
  await givenConsent(db, person, user)
  await givenGpRegistration(db, person, user)
  await givenScreeningEvent(db, person, user)
  const pp = await signedInBrowser(app, practitioner.email, practitioner.password)
  for (const query of ['', '?show=consent&show=gp-registration&show=screening']) {
    const html = page((await pp.get(`/people/${person.id}/timeline${query}`)).body)
    assert.deepEqual(titles(html), ['Joint appointment (booked)'], query)
    assert.doesNotMatch(html.text('#timeline'), /Consent|GP registration|screening/)
  }
  const audits = await db
    .selectFrom('audit_event')
    .select('entity_type')
    .where('actor_id', '=', practitioner.id)
    .where('action', '=', 'list')
    .execute()
  assert.deepEqual([...new Set(audits.map((a) => a.entity_type))], ['appointment'], 'nothing else was read')
})
