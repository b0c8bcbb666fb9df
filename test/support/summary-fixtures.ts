/**
 * Test data for the summary's tests: a person with a full health record, with clinical detail planted in every place
 * it could leak from (scores, bands, instrument names, flags, observations, need and referral reasons, outcome notes),
 * so the tests can assert none of it reaches probation. Written straight to the database (no audit).
 */
import type { TestContext } from 'node:test'
import type { Kysely } from 'kysely'
import type { DB } from '../../src/platform/db/schema.ts'
import { buildTestApp } from './test-app.ts'
import {
  givenAppointment,
  givenGpRegistration,
  givenHealthCheck,
  givenPerson,
  givenService,
  givenSite,
  givenStaff,
} from './builders.ts'
import type { AbsenceReason, AppointmentOutcome } from '../../src/features/appointments/index.ts'
import type { ServiceKind } from '../../src/features/services/index.ts'
import type { ReferralStatus } from '../../src/features/referrals/index.ts'

/** Clinical detail that must never appear in the summary. */
export const PLANTED = {
  score: 23,
  bandLabel: 'Moderately severe depression',
  instrument: 'PHQ-9',
  flagMessage: 'Needs a clinician’s review today.',
  systolic: 187,
  needReason: 'Low mood most days, told the nurse about sleeping badly',
  proposedBecause: 'PHQ-9 score 23, band moderately severe',
  dismissedReason: 'Already stopped smoking last year',
  referralReason: 'Struggling with low mood after losing job',
  outcomeNote: 'Talked about medication and a hospital stay',
} as const

/** What the person has, in the plain words probation reads. */
export const EXPECTED = {
  needs: ['Mental health support', 'Alcohol support'],
  hiddenNeeds: ['Drug treatment', 'Stopping smoking'],
  referralService: 'Riverside Talking Therapies',
  dnaService: 'Quit Together',
  draftService: 'Harbour Drug Service',
  practice: 'Riverside Surgery (demo)',
}

export async function givenNeed(
  db: Kysely<DB>,
  person: { id: string; site_id: string },
  by: { id: string },
  options: {
    category: DB['need']['category']
    status: 'proposed' | 'confirmed' | 'dismissed'
    identifiedOn: string
    checkId?: string | null
    reason?: string | null
    proposedBecause?: string
  },
) {
  const decided = options.status !== 'proposed'
  return db
    .insertInto('need')
    .values({
      person_id: person.id,
      site_id: person.site_id,
      check_id: options.checkId ?? null,
      category: options.category,
      status: options.status,
      proposed_because: options.proposedBecause ?? 'Recorded by the clinician',
      reason: options.reason ?? null,
      decided_by: decided ? by.id : null,
      decided_at: decided ? new Date(`${options.identifiedOn}T12:00:00Z`) : null,
      identified_on: options.identifiedOn,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
}

/** A referral written straight to the database (need and service must exist). */
export async function givenReferralRow(
  db: Kysely<DB>,
  person: { id: string; site_id: string },
  by: { id: string },
  options: {
    needId: string
    serviceId: string
    status: ReferralStatus
    reason?: string
    needIdentifiedOn?: string
    sentOn?: string | null
    firstAttendedOn?: string | null
  },
) {
  const firstAttendedOn = options.firstAttendedOn ?? null
  return db
    .insertInto('referral')
    .values({
      person_id: person.id,
      site_id: person.site_id,
      need_id: options.needId,
      service_id: options.serviceId,
      status: options.status,
      reason: options.reason ?? 'Needs support',
      need_identified_on: options.needIdentifiedOn ?? '2026-09-01',
      sent_on: options.status === 'draft' ? null : (options.sentOn ?? '2026-09-02'),
      first_attended_on: firstAttendedOn,
      days_to_first_treatment: firstAttendedOn === null ? null : 30,
      created_by: by.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
}

/** A past appointment with an outcome recorded (and, optionally, outcome notes). */
export async function givenPastAppointment(
  db: Kysely<DB>,
  options: {
    person: { id: string; site_id: string }
    clinician: { id: string }
    practitioner?: { id: string } | null
    startsAt: string
    outcome: Exclude<AppointmentOutcome, 'RSOF' | 'RSSR'>
    absenceReason?: AbsenceReason
    notes?: string | null
  },
) {
  const appointment = await givenAppointment(db, {
    person: options.person,
    clinician: options.clinician,
    practitioner: options.practitioner ?? null,
    startsAt: options.startsAt,
  })
  await db
    .updateTable('appointment')
    .set({
      status: 'completed',
      outcome: options.outcome,
      absence_reason: options.outcome === 'AA' ? (options.absenceReason ?? 'AAME') : null,
      outcome_notes: options.notes ?? null,
      outcome_recorded_at: new Date(new Date(options.startsAt).getTime() + 3_600_000),
      outcome_recorded_by: options.clinician.id,
    })
    .where('id', '=', appointment.id)
    .execute()
  return appointment
}

async function service(db: Kysely<DB>, site: { id: string }, kind: ServiceKind, name: string) {
  return givenService(db, site, { kind, name })
}

/**
 * An app on 20 November 2026 with a site, a clinician, a probation practitioner and Sam Taylor, whose record holds
 * confirmed, proposed and dismissed needs; sent, did-not-attend and draft referrals; appointments kept, missed and
 * excused in the last six months (and one older); a booked one to come; GP registration; and planted clinical detail.
 */
export async function summaryScenario(t: TestContext) {
  const { app, database, clock } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db, { name: 'Cambridge' })
  const clinician = await givenStaff(db, 'clinician', { sites: [site], name: 'Casey Clinician' })
  const practitioner = await givenStaff(db, 'probation_practitioner', { sites: [site], name: 'Pat Practitioner' })
  const person = await givenPerson(db, site, { given_name: 'Sam', family_name: 'Taylor' })

  const check = await givenHealthCheck(db, { person, clinician, status: 'completed', flag: true })
  await db
    .insertInto('health_check_response')
    .values({
      check_id: check.id,
      instrument_code: 'phq-9',
      instrument_version: '1',
      answers: JSON.stringify({ 'phq9-9': '2' }),
      applicable: true,
      complete: true,
      score: PLANTED.score,
      partial_score: null,
      band_code: 'moderately-severe',
      band_label: PLANTED.bandLabel,
      positive: true,
      missing_items: '[]',
      prefer_not_to_say: '[]',
      saved_at: new Date('2026-09-01T10:00:00Z'),
      saved_by: clinician.id,
    })
    .execute()
  await db
    .insertInto('health_check_observation')
    .values({
      check_id: check.id,
      blood_pressure_status: 'measured',
      systolic: PLANTED.systolic,
      diastolic: 111,
      height_status: 'not-measured',
      weight_status: 'not-measured',
      recorded_at: new Date('2026-09-01T10:00:00Z'),
      recorded_by: clinician.id,
    })
    .execute()

  const mentalHealth = await givenNeed(db, person, clinician, {
    category: 'mental-health',
    status: 'confirmed',
    identifiedOn: '2026-09-01',
    checkId: check.id,
    reason: PLANTED.needReason,
    proposedBecause: PLANTED.proposedBecause,
  })
  const alcohol = await givenNeed(db, person, clinician, {
    category: 'alcohol',
    status: 'confirmed',
    identifiedOn: '2026-09-03',
  })
  // A second confirmation of the same kind later: shown once, with the first date.
  await givenNeed(db, person, clinician, { category: 'alcohol', status: 'confirmed', identifiedOn: '2026-10-14' })
  await givenNeed(db, person, clinician, { category: 'drugs', status: 'proposed', identifiedOn: '2026-09-04' })
  await givenNeed(db, person, clinician, {
    category: 'smoking',
    status: 'dismissed',
    identifiedOn: '2026-09-04',
    reason: PLANTED.dismissedReason,
  })

  const therapies = await service(db, site, 'talking-therapies', EXPECTED.referralService)
  const quit = await service(db, site, 'stop-smoking', EXPECTED.dnaService)
  const harbour = await service(db, site, 'drug-alcohol', EXPECTED.draftService)
  await givenReferralRow(db, person, clinician, {
    needId: mentalHealth.id,
    serviceId: therapies.id,
    status: 'first-appointment-attended',
    reason: PLANTED.referralReason,
    sentOn: '2026-09-02',
    firstAttendedOn: '2026-10-07',
  })
  await givenReferralRow(db, person, clinician, {
    needId: alcohol.id,
    serviceId: quit.id,
    status: 'did-not-attend',
    sentOn: '2026-09-08',
  })
  await givenReferralRow(db, person, clinician, { needId: alcohol.id, serviceId: harbour.id, status: 'draft' })

  const inWindow = { person, clinician }
  await givenPastAppointment(db, {
    ...inWindow,
    practitioner,
    startsAt: '2026-11-10T10:00:00Z',
    outcome: 'ATTC',
    notes: PLANTED.outcomeNote,
  })
  await givenPastAppointment(db, { ...inWindow, practitioner, startsAt: '2026-10-13T10:00:00Z', outcome: 'AFTC' })
  await givenPastAppointment(db, { ...inWindow, startsAt: '2026-10-06T10:00:00Z', outcome: 'ATTC' })
  await givenPastAppointment(db, { ...inWindow, startsAt: '2026-09-15T10:00:00Z', outcome: 'UAAB' })
  await givenPastAppointment(db, {
    ...inWindow,
    startsAt: '2026-08-11T10:00:00Z',
    outcome: 'AA',
    absenceReason: 'AAME',
  })
  // 21 May is inside six months of 20 November; 19 May is not.
  await givenPastAppointment(db, { ...inWindow, practitioner, startsAt: '2026-05-21T09:00:00Z', outcome: 'AFTA' })
  await givenPastAppointment(db, { ...inWindow, practitioner, startsAt: '2026-05-19T09:00:00Z', outcome: 'ATTC' })
  const cancelled = await givenAppointment(db, { ...inWindow, startsAt: '2026-11-12T10:00:00Z' })
  await db
    .updateTable('appointment')
    .set({
      status: 'cancelled',
      cancelled_reason: 'Clinician off sick',
      cancelled_at: new Date('2026-11-11T10:00:00Z'),
      cancelled_by: clinician.id,
    })
    .where('id', '=', cancelled.id)
    .execute()
  await givenAppointment(db, { ...inWindow, startsAt: '2026-12-09T11:00:00Z' })
  await givenAppointment(db, { ...inWindow, practitioner, startsAt: '2026-12-03T10:00:00Z' })

  const practice = await givenService(db, site, { name: EXPECTED.practice, ods_code: 'Z90001' })
  await givenGpRegistration(db, person, clinician, { status: 'registered', service_id: practice.id })

  return { app, db, clock, site, clinician, practitioner, person }
}
