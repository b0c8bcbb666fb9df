/** The release plan through the API, for each kind of reader. Today in the test app is 20 November 2026. */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { apiCaller, buildTestApp, json, type ApiCall } from '../../../test/support/test-app.ts'
import {
  givenApiToken,
  givenConsent,
  givenGpRegistration,
  givenNeed,
  givenOrganisation,
  givenPerson,
  givenReferral,
  givenService,
  givenSite,
  givenStaff,
} from '../../../test/support/builders.ts'
import type { StaffRole } from '../../platform/http/roles.ts'

interface Item {
  id: string
  kind: string
  progress: string
  owner: string
  organisation: { code: string; name: string } | null
  dueOn: string
  status: string
  recordedStatus: string
  doneBy: string | null
  outstanding: boolean
  overdue: boolean
  notes: string | null
  ostGap: { kind: string; supplyEndsAfter?: string; appointmentOn?: string } | null
  prescriberDueOn: string | null
  referral: { id: string } | null
  treatmentLate: boolean
  version: number
  etag: string
}
interface Plan {
  releaseDate: string
  viewer: string
  healthWithheld: boolean
  items: Item[]
}
interface Problem {
  status: number
  errors?: { field: string; message: string }[]
}

async function setup(t: TestContext, episode: Record<string, unknown> = { expectedReleaseDate: '2027-01-15' }) {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db)
  const clinician = await givenStaff(db, 'clinician', { sites: [site] })
  const person = await givenPerson(db, site)
  const call = apiCaller(app, (await givenApiToken(db, clinician)).token)
  const created = await call('POST', `/api/v1/people/${person.id}/custody-episodes`, {
    prisonName: 'HMP Leicester',
    prisonCode: 'LEI',
    prisonNumber: 'A1234BC',
    ...episode,
  })
  assert.equal(created.statusCode, 201, created.body)
  const episodeId = json<{ id: string }>(created).id
  const planUrl = `/api/v1/custody-episodes/${episodeId}/release-plan`
  const as = async (
    role: StaffRole,
    options: { sites?: { id: string }[]; organisationId?: string } = { sites: [site] },
  ) => {
    const staff = await givenStaff(db, role, options)
    return apiCaller(app, (await givenApiToken(db, staff)).token)
  }
  const plan = async (who: ApiCall = call) => json<Plan>(await who('GET', planUrl))
  const item = async (kind: string, who: ApiCall = call) => {
    const found = (await plan(who)).items.find((i) => i.kind === kind)
    assert.ok(found, kind)
    return found
  }
  const patch = async (kind: string, body: Record<string, unknown>, who: ApiCall = call) => {
    const current = await item(kind)
    return who('PATCH', `/api/v1/release-plan-items/${current.id}`, body, { 'if-match': current.etag })
  }
  return { app, db, site, clinician, person, call, episodeId, planUrl, as, plan, item, patch }
}

test('a new episode has the whole checklist, each due from the release date, all to do', async (t) => {
  const { plan } = await setup(t)
  const shown = await plan()
  assert.equal(shown.viewer, 'health')
  assert.equal(shown.releaseDate, '2027-01-15')
  assert.deepEqual(
    shown.items.map((i) => [i.kind, i.dueOn, i.owner, i.status, i.outstanding]),
    [
      ['gp-registration', '2027-01-08', 'clinician', 'to-do', true],
      ['gp-appointment', '2027-01-15', 'clinician', 'to-do', true],
      ['medicines', '2027-01-15', 'clinician', 'to-do', true],
      ['naloxone', '2027-01-15', 'clinician', 'to-do', true],
      ['drug-alcohol', '2027-02-05', 'clinician', 'to-do', true],
      ['mental-health', '2027-01-29', 'clinician', 'to-do', true],
      ['housing', '2027-01-01', 'probation-practitioner', 'to-do', true],
      ['id-bank-benefits', '2027-01-15', 'partner', 'to-do', true],
      ['meet-at-gate', '2027-01-15', 'partner', 'to-do', true],
    ],
  )
})

test('a moved release moves every due date', async (t) => {
  const { call, episodeId, plan } = await setup(t)
  const moved = await call(
    'PATCH',
    `/api/v1/custody-episodes/${episodeId}`,
    { expectedReleaseDate: '2027-01-22' },
    { 'if-match': 'W/"1"' },
  )
  assert.equal(moved.statusCode, 200, moved.body)
  const shown = await plan()
  assert.deepEqual(
    shown.items.slice(0, 2).map((i) => i.dueOn),
    ['2027-01-15', '2027-01-22'],
  )
})

test('medicines: the opioid substitution gap, then closed by an appointment no later than the day after supply ends', async (t) => {
  const { call, patch, item } = await setup(t)
  const gap = await patch('medicines', { opioidSubstitution: true, daysSupplied: 7, bridgingPrescription: false })
  assert.equal(gap.statusCode, 200, gap.body)
  const medicines = await item('medicines')
  assert.deepEqual(medicines.ostGap, { kind: 'no-appointment', supplyEndsAfter: '2027-01-21' })
  assert.equal(medicines.prescriberDueOn, '2027-01-22')
  const late = await patch('medicines', { prescriberAppointmentOn: '2027-01-23', status: 'done' })
  assert.equal(late.statusCode, 200, late.body)
  const stillGap = await item('medicines')
  assert.deepEqual(
    [stillGap.ostGap?.kind, stillGap.status, stillGap.outstanding],
    ['appointment-too-late', 'done', true],
  )
  await patch('medicines', { prescriberAppointmentOn: '2027-01-22' })
  const closed = await item('medicines')
  assert.deepEqual([closed.ostGap, closed.outstanding], [null, false])
  const withHistory = json<{ history: { version: number }[] }>(
    await call('GET', `/api/v1/release-plan-items/${closed.id}`),
  )
  assert.deepEqual(
    withHistory.history.map((h) => h.version),
    [4, 3, 2, 1],
  )
})

test('bad changes are refused naming the field; nothing is saved', async (t) => {
  const { patch, item } = await setup(t)
  const reasonless = await patch('housing', { status: 'not-applicable' })
  assert.equal(reasonless.statusCode, 400)
  assert.deepEqual(
    json<Problem>(reasonless).errors?.map((e) => e.field),
    ['notApplicableReason'],
  )
  const wrongKind = await patch('housing', { daysSupplied: 3, naloxone: 'supplied', status: 'finished' })
  assert.deepEqual(
    json<Problem>(wrongKind).errors?.map((e) => e.field),
    ['status', 'daysSupplied', 'naloxone'],
  )
  const badDays = await patch('medicines', { daysSupplied: 400 })
  assert.equal(badDays.statusCode, 400)
  assert.deepEqual(
    json<Problem>(badDays).errors?.map((e) => e.field),
    ['daysSupplied'],
  )
  const badDate = await patch('medicines', { daysSupplied: 7, prescriberAppointmentOn: '2027-02-30' })
  assert.deepEqual(
    json<Problem>(badDate).errors?.map((e) => e.field),
    ['prescriberAppointmentOn'],
  )
  assert.equal((await item('housing')).version, 1)
  const ok = await patch('housing', { status: 'not-applicable', notApplicableReason: 'Returning to their own tenancy' })
  assert.equal(ok.statusCode, 200, ok.body)
  assert.deepEqual([(await item('housing')).status, (await item('housing')).outstanding], ['not-applicable', false])
})

test('GP registration and a booked drug and alcohol appointment mark their items done', async (t) => {
  const { db, site, clinician, person, patch, item } = await setup(t)
  await givenGpRegistration(db, person, clinician, {
    status: 'registered',
    status_date: '2026-11-19',
    practice_name: 'Riverside Surgery',
    practice_ods_code: 'Z90001',
  })
  const gp = await item('gp-registration')
  assert.deepEqual(
    [gp.status, gp.recordedStatus, gp.doneBy, gp.progress],
    ['done', 'to-do', 'gp-registration', 'GP: registered'],
  )

  const need = await givenNeed(db, person, clinician, { category: 'drugs' })
  const service = await givenService(db, site, { kind: 'drug-alcohol', name: 'Turning Point' })
  const talking = await givenService(db, site, { kind: 'talking-therapies', name: 'Talking Therapies' })
  const referral = await givenReferral(db, {
    person,
    need,
    service,
    createdBy: clinician,
    status: 'first-appointment-booked',
    firstAppointmentOn: '2027-02-10',
  })
  const other = await givenReferral(db, { person, need, service: talking, createdBy: clinician })
  const wrong = await patch('drug-alcohol', { referralId: other.id })
  assert.deepEqual(
    json<Problem>(wrong).errors?.map((e) => e.field),
    ['referralId'],
  )
  assert.equal((await patch('drug-alcohol', { referralId: referral.id })).statusCode, 200)
  const treatment = await item('drug-alcohol')
  assert.deepEqual(
    [treatment.status, treatment.doneBy, treatment.treatmentLate, treatment.progress],
    ['done', 'referral', true, 'Drug and alcohol service: first appointment booked'],
  )
})

test('probation: non-health items only without consent; health items as a status with it; never medicines', async (t) => {
  const { db, clinician, person, as, plan, patch } = await setup(t)
  await patch('gp-registration', { notes: 'Registering with Riverside; methadone review there' })
  await patch('mental-health', {
    status: 'not-applicable',
    notApplicableReason: 'Seen by the prison mental health team',
  })
  const practitioner = await as('probation_practitioner')
  const without = await plan(practitioner)
  assert.deepEqual([without.viewer, without.healthWithheld], ['probation', true])
  assert.deepEqual(
    without.items.map((i) => i.kind),
    ['housing', 'id-bank-benefits', 'meet-at-gate'],
  )
  await givenConsent(db, person, clinician, { topic: 'share-summary-with-probation' })
  const shared = await plan(practitioner)
  assert.deepEqual(
    shared.items.map((i) => i.kind),
    [
      'gp-registration',
      'gp-appointment',
      'drug-alcohol',
      'mental-health',
      'housing',
      'id-bank-benefits',
      'meet-at-gate',
    ],
  )
  const [gp] = shared.items
  assert.ok(gp)
  assert.equal(gp.notes, null, 'no notes on a health item')
  assert.equal(gp.progress, 'GP: to do')
  const mentalHealth = shared.items.find((i) => i.kind === 'mental-health')
  assert.ok(mentalHealth)
  assert.equal(JSON.stringify(mentalHealth).includes('prison mental health team'), false, 'no reason on a health item')
  const housing = await patch('housing', { status: 'done', notes: 'Duty to refer sent to the council' }, practitioner)
  assert.equal(housing.statusCode, 200, housing.body)
  assert.equal((await patch('gp-registration', { status: 'done' }, practitioner)).statusCode, 403)
  assert.equal((await patch('housing', { owner: 'clinician' }, practitioner)).statusCode, 403)
  const medicinesId = (await plan()).items.find((i) => i.kind === 'medicines')?.id ?? ''
  assert.equal((await practitioner('GET', `/api/v1/release-plan-items/${medicinesId}`)).statusCode, 404)
})

test('a partner sees and changes only the items given to its organisation, while the person agrees to share', async (t) => {
  const { db, clinician, person, as, plan, patch, planUrl } = await setup(t)
  const organisation = await givenOrganisation(db, { code: 'brightpath', name: 'Brightpath Recovery Trust' })
  assert.equal((await patch('meet-at-gate', { organisationCode: 'brightpath' })).statusCode, 200)
  assert.equal((await patch('housing', { organisationCode: 'nope', owner: 'partner' })).statusCode, 400)
  const partner = await as('partner', { organisationId: organisation.id })
  assert.equal((await partner('GET', planUrl)).statusCode, 404, 'no consent: nothing to see')
  await givenConsent(db, person, clinician, { topic: 'share-with-partner', organisationId: organisation.id })
  const shown = await plan(partner)
  assert.deepEqual(
    shown.items.map((i) => [i.kind, i.organisation?.name]),
    [['meet-at-gate', 'Brightpath Recovery Trust']],
  )
  const gate = shown.items[0]
  assert.ok(gate)
  const done = await partner(
    'PATCH',
    `/api/v1/release-plan-items/${gate.id}`,
    { status: 'done' },
    { 'if-match': gate.etag },
  )
  assert.equal(done.statusCode, 200, done.body)
  const other = await as('partner')
  assert.equal((await other('GET', planUrl)).statusCode, 404, 'another organisation sees nothing')
  const naloxoneId = (await plan()).items.find((i) => i.kind === 'naloxone')?.id ?? ''
  assert.equal(
    (await partner('PATCH', `/api/v1/release-plan-items/${naloxoneId}`, { status: 'done' }, { 'if-match': 'W/"1"' }))
      .statusCode,
    404,
  )
})

test('If-Match is required and checked; another site, analysts and auditors are refused', async (t) => {
  const { db, call, item, as, planUrl } = await setup(t)
  const housing = await item('housing')
  const url = `/api/v1/release-plan-items/${housing.id}`
  assert.equal((await call('PATCH', url, { status: 'done' })).statusCode, 428)
  assert.equal((await call('PATCH', url, { status: 'done' }, { 'if-match': 'W/"1"' })).statusCode, 200)
  assert.equal((await call('PATCH', url, { status: 'to-do' }, { 'if-match': 'W/"1"' })).statusCode, 412)
  const elsewhere = await givenSite(db, { name: 'Elsewhere' })
  const otherSite = await as('clinician', { sites: [elsewhere] })
  assert.equal((await otherSite('GET', planUrl)).statusCode, 403)
  assert.equal((await otherSite('PATCH', url, { status: 'done' }, { 'if-match': 'W/"2"' })).statusCode, 403)
  for (const role of ['analyst', 'auditor', 'admin'] as const) {
    assert.equal((await (await as(role))('GET', planUrl)).statusCode, 403, role)
  }
  const events = await db
    .selectFrom('audit_event')
    .select(['action', 'details'])
    .where('entity_type', '=', 'release_plan_item')
    .where('action', '=', 'update')
    .execute()
  assert.equal(events.length, 1)
})
