import { test } from 'node:test'
import assert from 'node:assert/strict'
import { emptyFileDatabase } from '../../../test/support/database.ts'
import {
  givenAppointment,
  givenHealthCheck,
  givenPerson,
  givenScreeningEvent,
  givenSite,
  givenStaff,
} from '../../../test/support/builders.ts'
import { bornOnOrBefore, screeningDueForSite } from './screening.worklist.ts'
import { peopleWithAppointments } from './screening.read-model.ts'

const from = new Date('2026-11-20T00:00:00Z')
const to = new Date('2026-11-27T00:00:00Z')
const asOf = '2026-11-20'

async function setup() {
  const database = await emptyFileDatabase()
  const db = database.db
  const site = await givenSite(db)
  const clinician = await givenStaff(db, 'clinician', { sites: [site] })
  const practitioner = await givenStaff(db, 'probation_practitioner', { sites: [site] })
  return { db, site, clinician, practitioner }
}

test('lists, by appointment time, each programme due for people with a booked appointment in the window', async () => {
  const { db, site, clinician, practitioner } = await setup()
  // A man of 54: bowel due (never screened), too young for the lung health check. Prostate is never listed.
  const man = await givenPerson(db, site, {
    given_name: 'Ben',
    family_name: 'Adams',
    date_of_birth: '1972-01-15',
    sex: '1',
    gender_same_as_birth: 'yes',
  })
  await givenAppointment(db, { person: man, clinician, practitioner, startsAt: '2026-11-23T10:00:00Z' })
  await givenAppointment(db, { person: man, clinician, startsAt: '2026-11-25T10:00:00Z' })
  // A woman of 52: cervical, breast and bowel all due; her appointment is earlier.
  const woman = await givenPerson(db, site, {
    given_name: 'Ann',
    family_name: 'Brown',
    date_of_birth: '1974-06-01',
    sex: '2',
    gender_same_as_birth: 'yes',
  })
  await givenAppointment(db, { person: woman, clinician, startsAt: '2026-11-21T09:00:00Z' })
  // Young: nothing due.
  const young = await givenPerson(db, site, { date_of_birth: '2000-01-01', sex: '1' })
  await givenAppointment(db, { person: young, clinician, startsAt: '2026-11-22T09:00:00Z' })

  const { total, items } = await screeningDueForSite(db, { siteId: site.id, from, to, asOf, limit: 50, offset: 0 })
  assert.equal(total, 4)
  assert.deepEqual(
    items.map((i) => [i.personName, i.programme, i.programmeLabel, i.appointmentStartsAt.toISOString()]),
    [
      ['Ann Brown', 'cervical', 'Cervical screening', '2026-11-21T09:00:00.000Z'],
      ['Ann Brown', 'breast', 'Breast screening', '2026-11-21T09:00:00.000Z'],
      ['Ann Brown', 'bowel', 'Bowel cancer screening', '2026-11-21T09:00:00.000Z'],
      ['Ben Adams', 'bowel', 'Bowel cancer screening', '2026-11-23T10:00:00.000Z'],
    ],
  )
  const ben = items[3]
  assert.deepEqual([ben?.personId, ben?.crn, ben?.nextDue], [man.id, man.crn, '2022-01-15'])
  assert.match(ben?.reason ?? '', /No bowel screening recorded/)
  assert.ok(items.every((i) => i.programme !== 'prostate-informed-choice'))

  const paged = await screeningDueForSite(db, { siteId: site.id, from, to, asOf, limit: 2, offset: 2 })
  assert.equal(paged.total, 4)
  assert.deepEqual(
    paged.items.map((i) => [i.personName, i.programme]),
    [
      ['Ann Brown', 'bowel'],
      ['Ben Adams', 'bowel'],
    ],
  )

  // Only appointments where the staff member is the clinician or the practitioner.
  const mine = await screeningDueForSite(db, {
    siteId: site.id,
    from,
    to,
    asOf,
    staffId: practitioner.id,
    limit: 50,
    offset: 0,
  })
  assert.deepEqual(
    mine.items.map((i) => [i.personName, i.programme]),
    [['Ben Adams', 'bowel']],
  )
  const someoneElse = await givenStaff(db, 'clinician', { sites: [site] })
  const none = await screeningDueForSite(db, {
    siteId: site.id,
    from,
    to,
    asOf,
    staffId: someoneElse.id,
    limit: 50,
    offset: 0,
  })
  assert.deepEqual(none, { total: 0, items: [] })
})

test('leaves out cancelled appointments, appointments outside [from, to), other sites, and programmes not due', async () => {
  const { db, site, clinician } = await setup()
  const dueBowel = { date_of_birth: '1972-01-15', sex: '1' as const }
  const cancelled = await givenPerson(db, site, dueBowel)
  const appointment = await givenAppointment(db, { person: cancelled, clinician, startsAt: '2026-11-21T09:00:00Z' })
  await db
    .updateTable('appointment')
    .set({ status: 'cancelled', cancelled_reason: 'Unwell', cancelled_at: new Date(), cancelled_by: clinician.id })
    .where('id', '=', appointment.id)
    .execute()
  const atEnd = await givenPerson(db, site, dueBowel)
  await givenAppointment(db, { person: atEnd, clinician, startsAt: to.toISOString() })
  const beforeStart = await givenPerson(db, site, dueBowel)
  await givenAppointment(db, { person: beforeStart, clinician, startsAt: '2026-11-19T23:59:00Z' })
  const elsewhere = await givenSite(db)
  const otherClinician = await givenStaff(db, 'clinician', { sites: [elsewhere] })
  const stranger = await givenPerson(db, elsewhere, dueBowel)
  await givenAppointment(db, { person: stranger, clinician: otherClinician, startsAt: '2026-11-21T09:00:00Z' })
  // Screened recently: bowel is not due.
  const screened = await givenPerson(db, site, dueBowel)
  await givenAppointment(db, { person: screened, clinician, startsAt: '2026-11-21T10:00:00Z' })
  await givenScreeningEvent(db, screened, clinician, { state: 'result-recorded', date: '2026-01-10', result: 'normal' })
  // At the start of the window exactly: included.
  const atStart = await givenPerson(db, site, { ...dueBowel, given_name: 'At', family_name: 'Start' })
  await givenAppointment(db, { person: atStart, clinician, startsAt: from.toISOString() })

  const { total, items } = await screeningDueForSite(db, { siteId: site.id, from, to, asOf, limit: 50, offset: 0 })
  assert.equal(total, 1)
  assert.deepEqual(
    items.map((i) => [i.personId, i.programme]),
    [[atStart.id, 'bowel']],
  )
})

test('events entered in error do not count; check-with-clinician that is due is listed; smoking comes from observations', async () => {
  const { db, site, clinician } = await setup()
  // Screened, but the screen was entered in error: due again.
  const corrected = await givenPerson(db, site, { date_of_birth: '1972-01-15', sex: '1', gender_same_as_birth: 'yes' })
  await givenAppointment(db, { person: corrected, clinician, startsAt: '2026-11-21T09:00:00Z' })
  await givenScreeningEvent(db, corrected, clinician, {
    state: 'result-recorded',
    date: '2026-01-10',
    result: 'normal',
    enteredInError: { reason: 'Wrong person' },
  })
  // 60, smoking not recorded: lung is due and check-with-clinician; once recorded as never smoked it is not listed.
  const unknownSmoking = await givenPerson(db, site, {
    date_of_birth: '1966-05-01',
    sex: '1',
    gender_same_as_birth: 'yes',
  })
  await givenAppointment(db, { person: unknownSmoking, clinician, startsAt: '2026-11-22T09:00:00Z' })

  const first = await screeningDueForSite(db, { siteId: site.id, from, to, asOf, limit: 50, offset: 0 })
  assert.deepEqual(
    first.items.map((i) => [i.personId, i.programme]),
    [
      [corrected.id, 'bowel'],
      [unknownSmoking.id, 'bowel'],
      [unknownSmoking.id, 'lung'],
    ],
  )
  assert.match(first.items[2]?.reason ?? '', /^Check with a clinician: smoking history is not recorded/)

  const check = await givenHealthCheck(db, { person: unknownSmoking, clinician })
  await db
    .insertInto('health_check_observation')
    .values({
      check_id: check.id,
      blood_pressure_status: 'not-measured',
      height_status: 'not-measured',
      weight_status: 'not-measured',
      smoking_status: 'never',
      recorded_at: new Date('2026-11-10T10:00:00Z'),
      recorded_by: clinician.id,
    })
    .execute()
  const second = await screeningDueForSite(db, { siteId: site.id, from, to, asOf, limit: 50, offset: 0 })
  assert.deepEqual(
    second.items.map((i) => [i.personId, i.programme]),
    [
      [corrected.id, 'bowel'],
      [unknownSmoking.id, 'bowel'],
    ],
  )
})

test('people born after asOf are skipped rather than failing the list', async () => {
  const { db, site, clinician } = await setup()
  const typo = await givenPerson(db, site, { date_of_birth: '2027-01-01' })
  await givenAppointment(db, { person: typo, clinician, startsAt: '2026-11-21T09:00:00Z' })
  assert.deepEqual(await screeningDueForSite(db, { siteId: site.id, from, to, asOf, limit: 50, offset: 0 }), {
    total: 0,
    items: [],
  })
})

test('reads people in batches: every batch size gives the same total and page, ties on time included', async () => {
  const { db, site, clinician } = await setup()
  // Seven people due for bowel screening, three of them at the same time (ordered by name, then id), and two too
  // young for any programme in between.
  const times = ['2026-11-21T09:00:00Z', '2026-11-21T09:00:00Z', '2026-11-21T09:00:00Z', '2026-11-22T09:00:00Z']
  for (const [i, name] of ['Cole', 'Ames', 'Bell', 'Dunn', 'Ford', 'Gray', 'Hunt'].entries()) {
    const person = await givenPerson(db, site, { family_name: name, date_of_birth: '1972-01-15', sex: '1' })
    await givenAppointment(db, { person, clinician, startsAt: times[i] ?? `2026-11-2${String(i)}T10:00:00Z` })
    if (i % 3 === 0) {
      const young = await givenPerson(db, site, { date_of_birth: '2003-01-01', sex: '2' })
      await givenAppointment(db, { person: young, clinician, startsAt: times[i] ?? '2026-11-24T09:00:00Z' })
    }
  }
  const query = { siteId: site.id, from, to, asOf, limit: 3, offset: 2 }
  const expected = ['Cole', 'Dunn', 'Ford']
  for (const batchSize of [1, 2, 3, 500]) {
    const { total, items } = await screeningDueForSite(db, query, { batchSize })
    assert.equal(total, 7, `batch size ${String(batchSize)}`)
    assert.deepEqual(
      items.map((i) => i.personName.split(' ').at(-1)),
      expected,
      `batch size ${String(batchSize)}`,
    )
  }
  const all = await screeningDueForSite(db, { ...query, limit: 50, offset: 0 })
  assert.deepEqual(
    all.items.map((i) => i.personName.split(' ').at(-1)),
    ['Ames', 'Bell', 'Cole', 'Dunn', 'Ford', 'Gray', 'Hunt'],
  )
})

test('the people query is bounded: at most limit people, read on after a cursor, none younger than asked', async () => {
  const { db, site, clinician } = await setup()
  for (const [i, dob] of ['1960-01-01', '1970-01-01', '2002-11-20', '2002-11-21', '1980-01-01'].entries()) {
    const person = await givenPerson(db, site, { family_name: `P${String(i)}`, date_of_birth: dob })
    await givenAppointment(db, { person, clinician, startsAt: `2026-11-2${String(i + 1)}T09:00:00Z` })
  }
  const base = { siteId: site.id, from, to, bornOnOrBefore: '2002-11-20' }
  const first = await peopleWithAppointments(db, { ...base, limit: 2 })
  assert.deepEqual(
    first.map((p) => p.familyName),
    ['P0', 'P1'],
  )
  const last = first.at(-1)
  assert.ok(last !== undefined)
  const rest = await peopleWithAppointments(db, { ...base, limit: 10, after: last })
  assert.deepEqual(
    rest.map((p) => p.familyName),
    ['P2', 'P4'],
  )
})

test('bornOnOrBefore is the same day 24 years earlier, 29 February falling back to the 28th', () => {
  assert.equal(bornOnOrBefore('2026-11-20', 24), '2002-11-20')
  assert.equal(bornOnOrBefore('2028-02-29', 24), '2004-02-29')
  assert.equal(bornOnOrBefore('2124-02-29', 24), '2100-02-28')
})
