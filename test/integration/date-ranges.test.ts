/**
 * Every date the service takes has a sensible range and a message that says it (issue 9, item 8), on the API and on
 * the forms. The clock is buildTestApp's: 20 November 2026.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import type { LightMyRequestResponse } from 'fastify'
import { buildTestApp, json, page, signedInBrowser } from '../support/test-app.ts'
import {
  givenApiToken,
  givenNeed,
  givenPerson,
  givenReferral,
  givenService,
  givenSite,
  givenStaff,
} from '../support/builders.ts'
import * as forms from '../../src/platform/forms/forms.ts'

interface Problem {
  status: number
  errors?: { field: string; message: string }[]
}

function refusal(response: LightMyRequestResponse, field: string, label: string): string {
  assert.ok(
    response.statusCode === 400 || response.statusCode === 422,
    `${label}: ${response.statusCode} ${response.body}`,
  )
  const error = json<Problem>(response).errors?.find((e) => e.field === field)
  assert.ok(error !== undefined, `${label}: ${response.body}`)
  return error.message
}

async function clinicianApi(t: TestContext) {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db)
  const clinician = await givenStaff(db, 'clinician', { sites: [site] })
  const { token } = await givenApiToken(db, clinician)
  const call = (method: 'POST' | 'PUT' | 'PATCH', url: string, body: unknown) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'if-match': 'W/"1"' },
      payload: JSON.stringify(body),
    })
  return { app, db, site, clinician, call }
}

test('a date outside its range gets the GOV.UK message that says the range', () => {
  const { addYears, dateRangeError, parseDateParts } = forms
  assert.equal(
    dateRangeError('1900-01-01', { earliest: '1948-07-05' }, 'the date it happened'),
    'The date it happened must be the same as or after 5 July 1948',
  )
  assert.equal(
    dateRangeError('2030-01-01', { latest: '2027-11-20' }, 'the chase date'),
    'The chase date must be the same as or before 20 November 2027',
  )
  assert.equal(
    dateRangeError('9999-12-31', { earliest: '2025-11-20', latest: '2027-11-20' }, 'the chase date'),
    'The chase date must be between 20 November 2025 and 20 November 2027',
  )
  assert.equal(
    dateRangeError('2026-11-20', { earliest: '2025-11-20', latest: '2027-11-20' }, 'the chase date'),
    undefined,
  )
  assert.equal(addYears('2028-02-29', 1), '2029-02-28')
  assert.equal(addYears('2026-11-20', -1), '2025-11-20')
  // No form date is later than 2099 unless its question says otherwise.
  const far = parseDateParts({ day: '31', month: '12', year: '9999' }, 'releaseDate', 'release date', {
    required: true,
  })
  assert.deepEqual(far, {
    value: null,
    error: { field: 'releaseDate-day', message: 'Release date must be the same as or before 31 December 2099' },
  })
})

test('the API refuses dates outside their ranges, naming the field and saying the range', async (t) => {
  const { call } = await clinicianApi(t)
  const id = randomUUID()
  const cases: {
    label: string
    method: 'POST' | 'PUT' | 'PATCH'
    url: string
    body: unknown
    field: string
    says: RegExp
  }[] = [
    {
      label: 'GP status date of 1900',
      method: 'PUT',
      url: `/api/v1/people/${id}/gp-registration`,
      body: { status: 'not-registered', statusDate: '1900-01-01' },
      field: 'statusDate',
      says: /must be the same as or after 5 July 1948/,
    },
    {
      label: 'consent decided years ago',
      method: 'PUT',
      url: `/api/v1/people/${id}/consent`,
      body: {
        decisions: [{ topic: 'share-with-gp', decision: 'given', decidedOn: '2020-01-01', method: 'in-person' }],
      },
      field: 'decisions[0].decidedOn',
      says: /must be the same as or after 20 November 2025/,
    },
    {
      label: 'need identified in 1900',
      method: 'POST',
      url: `/api/v1/people/${id}/needs`,
      body: { category: 'alcohol', why: 'Said so', identifiedOn: '1900-01-01' },
      field: 'identifiedOn',
      says: /must be the same as or after 20 November 2025/,
    },
    {
      label: 'screening in 1900',
      method: 'POST',
      url: `/api/v1/people/${id}/screening/events`,
      body: { programme: 'bowel', state: 'invited', date: '1900-01-01' },
      field: 'date',
      says: /must be the same as or after 5 July 1948/,
    },
    {
      label: 'referral change years ago',
      method: 'POST',
      url: `/api/v1/referrals/${id}/transitions`,
      body: { to: 'accepted', at: '2020-01-01' },
      field: 'at',
      says: /must be the same as or after 20 November 2025/,
    },
    {
      label: 'first appointment in 9999',
      method: 'POST',
      url: `/api/v1/referrals/${id}/transitions`,
      body: { to: 'first-appointment-booked', appointmentOn: '9999-12-31' },
      field: 'appointmentOn',
      says: /must be between 20 November 2025 and 20 November 2027/,
    },
    {
      label: 'chase date of 9999-12-31',
      method: 'PATCH',
      url: `/api/v1/referrals/${id}`,
      body: { chaseOn: '9999-12-31' },
      field: 'chaseOn',
      says: /must be between 20 November 2025 and 20 November 2027/,
    },
    {
      label: 'appointment in 9999',
      method: 'POST',
      url: `/api/v1/people/${id}/appointments`,
      body: { kind: 'clinic', startsAt: '9999-12-31T10:00:00Z', durationMinutes: 30, clinicianId: randomUUID() },
      field: 'startsAt',
      says: /must be the same as or before 20 November 2028/,
    },
  ]
  for (const c of cases) {
    assert.match(refusal(await call(c.method, c.url, c.body), c.field, c.label), c.says, c.label)
  }
})

test('a date with no range of its own is at most 31 December 2099, on the API as on the forms', async (t) => {
  const { site, call } = await clinicianApi(t)
  const response = await call('POST', '/api/v1/people', {
    crn: 'X123456',
    givenName: 'Sam',
    familyName: 'Taylor',
    dateOfBirth: '1990-01-01',
    siteCode: site.code,
    supervisionType: 'licence',
    supervisionStart: '2026-01-01',
    supervisionEnd: '9999-12-31',
  })
  assert.match(refusal(response, 'supervisionEnd', 'supervision end'), /must be the same as or before 31 December 2099/)
})

test('dates inside their ranges are still taken by the API', async (t) => {
  const { db, site, clinician, call } = await clinicianApi(t)
  const person = await givenPerson(db, site)
  const need = await givenNeed(db, person, clinician)
  const service = await givenService(db, site, { kind: 'talking-therapies' })
  const referral = await givenReferral(db, { person, need, service, createdBy: clinician })
  const chase = await call('PATCH', `/api/v1/referrals/${referral.id}`, { chaseOn: '2027-11-20' })
  assert.equal(chase.statusCode, 200, chase.body)
  const gp = await call('PUT', `/api/v1/people/${person.id}/gp-registration`, {
    status: 'not-registered',
    statusDate: '1948-07-05',
  })
  assert.notEqual(gp.statusCode, 400, gp.body)
  const needResponse = await call('POST', `/api/v1/people/${person.id}/needs`, {
    category: 'alcohol',
    why: 'Said so',
    identifiedOn: '2025-11-20',
  })
  assert.equal(needResponse.statusCode, 201, needResponse.body)
})

test('the forms refuse dates outside their ranges with the message in the error summary', async (t) => {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db)
  const clinician = await givenStaff(db, 'clinician', { sites: [site] })
  const person = await givenPerson(db, site)
  const need = await givenNeed(db, person, clinician)
  const service = await givenService(db, site, { kind: 'talking-therapies' })
  const referral = await givenReferral(db, { person, need, service, createdBy: clinician })
  const browser = await signedInBrowser(app, clinician.email, clinician.password)

  await browser.get(`/people/${person.id}/gp-registration/update`)
  const gp = await browser.post(`/people/${person.id}/gp-registration/update`, {
    status: 'not-registered',
    'statusDate-day': '1',
    'statusDate-month': '1',
    'statusDate-year': '1900',
  })
  assert.equal(gp.statusCode, 400)
  assert.ok(
    page(gp.body)
      .errorSummary()
      .some((e) => e.href === '#statusDate-day' && /must be the same as or after 5 July 1948/.test(e.text)),
    JSON.stringify(page(gp.body).errorSummary()),
  )

  await browser.get(`/referrals/${referral.id}`)
  const chase = await browser.post(`/referrals/${referral.id}/chase-date`, {
    version: '1',
    'chaseOn-day': '31',
    'chaseOn-month': '12',
    'chaseOn-year': '9999',
  })
  assert.equal(chase.statusCode, 400)
  assert.ok(
    page(chase.body)
      .errorSummary()
      // Within a year either side of today (the page passes today to the form).
      .some((e) => e.href === '#chaseOn-day' && /must be between 20 November 2025 and 20 November 2027/.test(e.text)),
    JSON.stringify(page(chase.body).errorSummary()),
  )

  await browser.get(`/people/${person.id}/consent/share-with-gp/record`)
  const consent = await browser.post(`/people/${person.id}/consent/share-with-gp/record`, {
    decision: 'given',
    'decidedOn-day': '1',
    'decidedOn-month': '1',
    'decidedOn-year': '2020',
    method: 'in-person',
  })
  assert.equal(consent.statusCode, 400)
  assert.ok(
    page(consent.body)
      .errorSummary()
      .some((e) => /must be the same as or after 20 November 2025/.test(e.text)),
    JSON.stringify(page(consent.body).errorSummary()),
  )
})

test('filters with far-off dates answer without a server error', async (t) => {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db)
  const auditor = await givenStaff(db, 'auditor', { sites: [site] })
  const clinician = await givenStaff(db, 'clinician', { sites: [site] })
  const person = await givenPerson(db, site)
  const { token } = await givenApiToken(db, auditor)
  for (const query of ['to=9999-12-31', 'from=9999-12-31', 'from=1900-01-01&to=9999-12-31']) {
    const response = await app.inject({
      method: 'GET',
      url: `/api/v1/audit?${query}`,
      headers: { authorization: `Bearer ${token}` },
    })
    assert.ok(response.statusCode < 500, `${query}: ${response.statusCode} ${response.body}`)
  }
  const audit = await signedInBrowser(app, auditor.email, auditor.password)
  const auditPage = await audit.get('/audit?to-day=31&to-month=12&to-year=9999')
  assert.ok(auditPage.statusCode < 500, `audit page: ${auditPage.statusCode}`)
  const browser = await signedInBrowser(app, clinician.email, clinician.password)
  const timeline = await browser.get(`/people/${person.id}/timeline?to-day=31&to-month=12&to-year=9999`)
  assert.ok(timeline.statusCode < 500, `timeline: ${timeline.statusCode}`)
})
