/**
 * What probation practitioners see of health appointments: clinic appointments and outcome notes only with the
 * person's consent to share a summary with probation; joint appointments (which probation runs) always.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import type { Principal } from '../../platform/http/auth.ts'
import { buildTestApp, json, page, signedInBrowser } from '../../../test/support/test-app.ts'
import {
  givenApiToken,
  givenAppointment,
  givenConsent,
  givenPerson,
  givenSite,
  givenStaff,
  type GivenStaff,
} from '../../../test/support/builders.ts'
import { buildTestServices } from '../../../test/support/services.ts'

const NOTES = 'Talked about sleep and medication'

interface Resource {
  id: string
  kind: string
  outcomeNotes: string | null
  rescheduledFrom: string | null
}

function api(app: FastifyInstance, token: string) {
  return (method: 'GET' | 'PATCH', url: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    })
}

async function attended(db: Kysely<DB>, id: string, by: { id: string }) {
  await db
    .updateTable('appointment')
    .set({
      status: 'completed',
      outcome: 'ATTC',
      outcome_notes: NOTES,
      outcome_recorded_at: new Date('2026-11-19T12:00:00Z'),
      outcome_recorded_by: by.id,
    })
    .where('id', '=', id)
    .execute()
}

/**
 * A person with a past joint appointment and a past clinic appointment (both attended, with notes), a booked clinic
 * appointment, and a joint appointment that replaced a clinic one; the practitioner signed in on the pages and API.
 */
async function setup(t: TestContext) {
  const { app, database, clock } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db, { name: 'Cambridge Health Hub' })
  const clinician = await givenStaff(db, 'clinician', { sites: [site], name: 'Jo Nurse' })
  const practitioner = await givenStaff(db, 'probation_practitioner', { sites: [site], name: 'Pat Officer' })
  const person = await givenPerson(db, site, {
    given_name: 'Alex',
    family_name: 'Smith',
    probation_practitioner_id: practitioner.id,
  })
  const joint = await givenAppointment(db, { person, clinician, practitioner, startsAt: '2026-11-18T10:00:00Z' })
  const clinic = await givenAppointment(db, { person, clinician, startsAt: '2026-11-19T10:00:00Z' })
  await attended(db, joint.id, clinician)
  await attended(db, clinic.id, clinician)
  const bookedClinic = await givenAppointment(db, { person, clinician, startsAt: '2026-11-25T10:00:00Z' })
  const movedClinic = await givenAppointment(db, { person, clinician, startsAt: '2026-11-26T10:00:00Z' })
  await db
    .updateTable('appointment')
    .set({ status: 'cancelled', cancelled_reason: 'rescheduled', outcome: 'RSOF' })
    .where('id', '=', movedClinic.id)
    .execute()
  const replacement = await givenAppointment(db, { person, clinician, practitioner, startsAt: '2026-11-27T10:00:00Z' })
  await db
    .updateTable('appointment')
    .set({ rescheduled_from: movedClinic.id })
    .where('id', '=', replacement.id)
    .execute()
  const clinicIds = [clinic.id, bookedClinic.id, movedClinic.id]
  const asPractitioner = {
    browser: await signedInBrowser(app, practitioner.email, practitioner.password),
    call: api(app, (await givenApiToken(db, practitioner)).token),
  }
  return {
    app,
    database,
    db,
    clock,
    site,
    clinician,
    practitioner,
    person,
    joint,
    clinic,
    replacement,
    clinicIds,
    asPractitioner,
  }
}

type Setup = Awaited<ReturnType<typeof setup>>

/** Everything a viewer is shown across the person's list, each appointment, and the site diary. */
async function whatIsSeen(s: Setup, viewer: Setup['asPractitioner']) {
  const list = await viewer.call('GET', `/api/v1/people/${s.person.id}/appointments`)
  assert.equal(list.statusCode, 200)
  const resources = json<{ appointments: Resource[] }>(list).appointments
  const listPage = page((await viewer.browser.get(`/people/${s.person.id}/appointments`)).body)
  const linked = listPage
    .$('table a')
    .map((_, a) => listPage.$(a).attr('href'))
    .get()
  const diaries = await Promise.all(
    ['2026-11-18', '2026-11-19', '2026-11-25'].map(async (date) => {
      const diary = await viewer.browser.get(`/diary?date=${date}`)
      assert.equal(diary.statusCode, 200)
      return page(diary.body)
        .$('table a')
        .map((_, a) => page(diary.body).$(a).attr('href'))
        .get()
    }),
  )
  return { resources, linked, diary: diaries.flat() }
}

test('without consent, a probation practitioner sees joint appointments without notes, and no clinic ones', async (t) => {
  const s = await setup(t)
  const { browser, call } = s.asPractitioner
  const seen = await whatIsSeen(s, s.asPractitioner)
  assert.deepEqual(seen.resources.map((a) => a.id).sort(), [s.joint.id, s.replacement.id].sort())
  assert.ok(seen.resources.every((a) => a.outcomeNotes === null))
  assert.equal(seen.resources.find((a) => a.id === s.replacement.id)?.rescheduledFrom, null)
  assert.deepEqual(seen.linked.sort(), [`/appointments/${s.joint.id}`, `/appointments/${s.replacement.id}`].sort())
  assert.deepEqual(seen.diary, [`/appointments/${s.joint.id}`])

  for (const id of s.clinicIds) {
    assert.equal((await call('GET', `/api/v1/appointments/${id}`)).statusCode, 404)
    for (const path of ['', '/outcome', '/cancel', '/reschedule']) {
      assert.equal((await browser.get(`/appointments/${id}${path}`)).statusCode, 404, `${path} of ${id}`)
    }
  }
  const jointResource = await call('GET', `/api/v1/appointments/${s.joint.id}`)
  assert.equal(jointResource.statusCode, 200)
  assert.equal(json<Resource>(jointResource).outcomeNotes, null)
  const jointPage = await browser.get(`/appointments/${s.joint.id}`)
  assert.equal(jointPage.statusCode, 200)
  assert.match(page(jointPage.body).text('.govuk-summary-list'), /Attended and complied/)
  assert.doesNotMatch(jointPage.body, new RegExp(NOTES))
  // The joint appointment replaced a clinic one: no link to it.
  const replacementPage = await browser.get(`/appointments/${s.replacement.id}`)
  assert.equal(replacementPage.statusCode, 200)
  assert.doesNotMatch(replacementPage.body, /See the appointment this one replaced/)

  // Nothing hidden can be changed either: the API answers as if it did not exist.
  const cancel = await call(
    'PATCH',
    `/api/v1/appointments/${s.clinicIds[1]!}`,
    { status: 'cancelled', reason: 'x' },
    { 'if-match': 'W/"1"' },
  )
  assert.equal(cancel.statusCode, 404)
})

test('refused, or given then withdrawn, is the same as never asked', async (t) => {
  const s = await setup(t)
  await givenConsent(s.db, s.person, s.clinician, { decision: 'refused' })
  assert.equal((await s.asPractitioner.call('GET', `/api/v1/appointments/${s.clinic.id}`)).statusCode, 404)
  await givenConsent(s.db, s.person, s.clinician, { recordedAt: new Date('2026-11-20T09:10:00Z') })
  assert.equal((await s.asPractitioner.call('GET', `/api/v1/appointments/${s.clinic.id}`)).statusCode, 200)
  await givenConsent(s.db, s.person, s.clinician, {
    decision: 'withdrawn',
    recordedAt: new Date('2026-11-20T09:20:00Z'),
  })
  const seen = await whatIsSeen(s, s.asPractitioner)
  assert.deepEqual(seen.resources.map((a) => a.id).sort(), [s.joint.id, s.replacement.id].sort())
  assert.equal((await s.asPractitioner.call('GET', `/api/v1/appointments/${s.clinic.id}`)).statusCode, 404)
})

test('with consent given, a probation practitioner sees clinic appointments and outcome notes', async (t) => {
  const s = await setup(t)
  await givenConsent(s.db, s.person, s.clinician)
  const seen = await whatIsSeen(s, s.asPractitioner)
  assert.equal(seen.resources.length, 5)
  assert.equal(seen.resources.find((a) => a.id === s.clinic.id)?.outcomeNotes, NOTES)
  assert.equal(seen.resources.find((a) => a.id === s.joint.id)?.outcomeNotes, NOTES)
  assert.equal(seen.linked.length, 5)
  assert.equal(seen.diary.length, 3)
  const clinicPage = await s.asPractitioner.browser.get(`/appointments/${s.clinic.id}`)
  assert.equal(clinicPage.statusCode, 200)
  assert.match(page(clinicPage.body).text('.govuk-summary-list'), new RegExp(NOTES))
})

test('clinicians see everything whatever the consent', async (t) => {
  const s = await setup(t)
  const viewer = {
    browser: await signedInBrowser(s.app, s.clinician.email, s.clinician.password),
    call: api(s.app, (await givenApiToken(s.db, s.clinician)).token),
  }
  const seen = await whatIsSeen(s, viewer)
  assert.equal(seen.resources.length, 5)
  assert.equal(seen.resources.find((a) => a.id === s.clinic.id)?.outcomeNotes, NOTES)
  assert.equal(seen.diary.length, 3)
})

test('the diaries give a probation practitioner no clinic appointments or outcome notes without consent', async (t) => {
  const s = await setup(t)
  const other = await givenPerson(s.db, s.site, { given_name: 'Sam', family_name: 'Jones' })
  await givenConsent(s.db, other, s.clinician)
  const consented = await givenAppointment(s.db, {
    person: other,
    clinician: s.clinician,
    practitioner: s.practitioner,
    startsAt: '2026-11-18T14:00:00Z',
  })
  await attended(s.db, consented.id, s.clinician)
  const otherClinic = await givenAppointment(s.db, {
    person: other,
    clinician: s.clinician,
    startsAt: '2026-11-19T14:00:00Z',
  })
  const service = buildTestServices(s.database, s.clock).appointments
  const principal: Principal = {
    userId: s.practitioner.id,
    email: s.practitioner.email,
    displayName: 'Pat Officer',
    role: 'probation_practitioner',
    siteIds: [s.site.id],
    organisationId: null,
    via: 'session',
  }
  const actor = { principal, requestId: 'test' }
  const mine = await service.listDiaryForStaff(s.practitioner.id, '2026-11-18', actor, 'page')
  assert.deepEqual(
    mine.map((a) => [a.id, a.outcomeNotes]),
    [
      [s.joint.id, null],
      [consented.id, NOTES],
    ],
  )
  const site = await service.listDiaryForSite(s.site.id, '2026-11-19', actor, 'page')
  assert.deepEqual(
    site.appointments.map((a) => a.id),
    [otherClinic.id],
  )
  assert.equal(site.total, 1)
  const audit = await s.db
    .selectFrom('audit_event')
    .select('details')
    .where('action', '=', 'list')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  assert.deepEqual((audit.details as { personIds: string[] }).personIds, [other.id])
  const minePage = await s.asPractitioner.browser.get('/diary/mine?date=2026-11-18')
  assert.equal(minePage.statusCode, 200)
  assert.equal(page(minePage.body).$('table a').length, 2)
})

async function missedClinic(s: Setup, person: { id: string; site_id: string }, clinician: GivenStaff) {
  const appointment = await givenAppointment(s.db, { person, clinician, startsAt: '2026-11-20T08:00:00Z' })
  const call = api(s.app, (await givenApiToken(s.db, clinician)).token)
  const response = await call(
    'PATCH',
    `/api/v1/appointments/${appointment.id}`,
    { outcome: 'AFTA' },
    { 'if-match': 'W/"1"' },
  )
  assert.equal(response.statusCode, 200, response.body)
  const items = await s.db
    .selectFrom('follow_up')
    .select('assigned_to')
    .where('appointment_id', '=', appointment.id)
    .execute()
  return items.map((i) => i.assigned_to).sort()
}

test('a missed clinic appointment makes follow-up work for probation only with consent', async (t) => {
  const s = await setup(t)
  const withoutConsent = await missedClinic(s, s.person, s.clinician)
  assert.deepEqual(withoutConsent, [s.clinician.id])
  const consenting = await givenPerson(s.db, s.site, { probation_practitioner_id: s.practitioner.id })
  await givenConsent(s.db, consenting, s.clinician)
  const withConsent = await missedClinic(s, consenting, s.clinician)
  assert.deepEqual(withConsent, [s.clinician.id, s.practitioner.id].sort())
})

test('a missed joint appointment still makes follow-up work for the practitioner without consent', async (t) => {
  const s = await setup(t)
  const appointment = await givenAppointment(s.db, {
    person: s.person,
    clinician: s.clinician,
    practitioner: s.practitioner,
    startsAt: '2026-11-20T08:00:00Z',
  })
  const call = api(s.app, (await givenApiToken(s.db, s.clinician)).token)
  const response = await call(
    'PATCH',
    `/api/v1/appointments/${appointment.id}`,
    { outcome: 'UAAB' },
    { 'if-match': 'W/"1"' },
  )
  assert.equal(response.statusCode, 200, response.body)
  const items = await s.db.selectFrom('follow_up').select('assigned_to').execute()
  assert.deepEqual(items.map((i) => i.assigned_to).sort(), [s.clinician.id, s.practitioner.id].sort())
})

test('a clash with a clinic appointment hidden from the practitioner is refused without its time or place', async (t) => {
  const s = await setup(t)
  const otherClinician = await givenStaff(s.db, 'clinician', { sites: [s.site], name: 'Sam Doctor' })
  const booking = {
    kind: 'joint',
    startsAt: '2026-11-25T10:00:00Z',
    durationMinutes: 30,
    clinicianId: otherClinician.id,
    practitionerId: s.practitioner.id,
    location: 'Room 2',
  }
  const token = (await givenApiToken(s.db, s.practitioner)).token
  const post = (body: unknown) =>
    s.app.inject({
      method: 'POST',
      url: `/api/v1/people/${s.person.id}/appointments`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    })
  const hidden = await post(booking)
  assert.equal(hidden.statusCode, 409)
  const problem = json<{ detail: string; errors: { message: string }[] }>(hidden)
  assert.equal(problem.detail, 'Alex Smith already has an appointment at that time. Choose another time')
  assert.doesNotMatch(hidden.body, /10:00|Cambridge Health Hub|Jo Nurse/)

  await givenConsent(s.db, s.person, s.clinician, { topic: 'share-summary-with-probation', decision: 'given' })
  const shown = await post(booking)
  assert.equal(shown.statusCode, 409)
  assert.match(json<{ detail: string }>(shown).detail, /^Alex Smith already has an appointment from 10am to /)
})
