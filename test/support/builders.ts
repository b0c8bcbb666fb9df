import { randomBytes } from 'node:crypto'
import type { Insertable, Kysely } from 'kysely'
import type { DB } from '../../src/platform/db/schema.ts'
import { hashPassword, TEST_PASSWORD_COST } from '../../src/features/staff/index.ts'
import { createAuditService } from '../../src/platform/audit/audit.service.ts'
import { createAuthService } from '../../src/features/staff/index.ts'
import { systemClock, type Clock } from '../../src/platform/clock.ts'
import type { StaffRole } from '../../src/platform/http/roles.ts'
import type { PersonTable } from '../../src/features/people/index.ts'
import type { NeedCategory } from '../../src/features/needs/index.ts'
import type { ServiceTable } from '../../src/features/services/index.ts'
import type { GpRegistrationTable } from '../../src/features/gp-registration/index.ts'
import type { ReferralStatus } from '../../src/features/referrals/index.ts'

export const TEST_PASSWORD = 'correct horse battery staple'

let counter = 0
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${randomBytes(2).toString('hex')}`

export async function givenSite(db: Kysely<DB>, overrides: { code?: string; name?: string } = {}) {
  const code = overrides.code ?? `site-${unique()}`
  return db
    .insertInto('site')
    .values({ code, name: overrides.name ?? `Site ${code}`, region: 'Test region' })
    .returning(['id', 'code', 'name'])
    .executeTakeFirstOrThrow()
}

export async function givenOrganisation(db: Kysely<DB>, overrides: { code?: string; name?: string } = {}) {
  const code = overrides.code ?? `org-${unique()}`
  return db
    .insertInto('organisation')
    .values({ code, name: overrides.name ?? `Organisation ${code}` })
    .returning(['id', 'code', 'name'])
    .executeTakeFirstOrThrow()
}

export interface GivenStaff {
  id: string
  email: string
  password: string
  role: StaffRole
}

/** A staff user who can sign in with TEST_PASSWORD, belonging to the given sites. */
export async function givenStaff(
  db: Kysely<DB>,
  role: StaffRole,
  options: {
    sites?: { id: string }[]
    email?: string
    name?: string
    organisationId?: string
    status?: 'active' | 'disabled'
  } = {},
): Promise<GivenStaff> {
  const email = options.email ?? `${role.replace('_', '-')}-${unique()}@example.nhs.uk`
  let organisationId = options.organisationId ?? null
  if (role === 'partner' && organisationId === null) organisationId = (await givenOrganisation(db)).id
  const user = await db
    .insertInto('staff_user')
    .values({
      email,
      display_name: options.name ?? `Test ${role}`,
      role,
      organisation_id: organisationId,
      password_hash: await hashPassword(TEST_PASSWORD, TEST_PASSWORD_COST),
      status: options.status ?? 'active',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (const site of options.sites ?? []) {
    await db.insertInto('staff_site').values({ staff_user_id: user.id, site_id: site.id }).execute()
  }
  return { id: user.id, email, password: TEST_PASSWORD, role }
}

/** A personal API token for the user, made through the auth service as the `hub tokens create` command does. */
export async function givenApiToken(
  db: Kysely<DB>,
  user: { email: string },
  options: { label?: string; clock?: Clock } = {},
): Promise<{ id: string; token: string }> {
  const clock = options.clock ?? systemClock
  const audit = createAuditService({ db, clock })
  const auth = createAuthService({
    db,
    clock,
    audit,
    sessionSecret: 'builder-secret-that-is-long-enough-0123456789',
    passwordCost: TEST_PASSWORD_COST,
  })
  return auth.createApiToken(user.email, options.label ?? 'test', { principal: undefined, requestId: 'test:builder' })
}

/** CRNs run on from a random start, so every person made by one test process has a different one. */
let crnCounter = randomBytes(3).readUIntBE(0, 3) % 1_000_000

/** A person at the site, written straight to the database (no audit), with a unique CRN unless one is given. */
export async function givenPerson(
  db: Kysely<DB>,
  site: { id: string },
  overrides: Partial<Omit<Insertable<PersonTable>, 'site_id'>> = {},
) {
  crnCounter = (crnCounter + 1) % 1_000_000
  const crn = overrides.crn ?? `T${String(crnCounter).padStart(6, '0')}`
  return db
    .insertInto('person')
    .values({
      given_name: 'Alex',
      family_name: 'Example',
      date_of_birth: '1990-04-23',
      ...overrides,
      crn,
      site_id: site.id,
    })
    .returning(['id', 'crn', 'given_name', 'family_name', 'nhs_number', 'version', 'site_id'])
    .executeTakeFirstOrThrow()
}

/**
 * A consent decision for the person, written straight to the database (no audit). Recorded by default an hour
 * before buildTestApp's clock, so decisions the app records afterwards are the later ones.
 */
export async function givenConsent(
  db: Kysely<DB>,
  person: { id: string },
  recordedBy: { id: string },
  overrides: {
    topic?: string
    organisationId?: string | null
    decision?: 'given' | 'refused' | 'withdrawn'
    decidedOn?: string
    recordedAt?: Date
    method?: 'in-person' | 'phone' | 'written'
    note?: string | null
  } = {},
) {
  return db
    .insertInto('consent_decision')
    .values({
      person_id: person.id,
      topic: overrides.topic ?? 'share-summary-with-probation',
      organisation_id: overrides.organisationId ?? null,
      decision: overrides.decision ?? 'given',
      decided_on: overrides.decidedOn ?? '2026-11-20',
      recorded_by: recordedBy.id,
      recorded_at: overrides.recordedAt ?? new Date('2026-11-20T09:00:00Z'),
      method: overrides.method ?? 'in-person',
      note: overrides.note ?? null,
    })
    .returning(['id', 'topic', 'organisation_id', 'decision', 'recorded_at'])
    .executeTakeFirstOrThrow()
}

/**
 * A booked appointment written straight to the database (no audit, no clash check): for tests that need one in
 * place, including in the past. Starts tomorrow at 10:00 UTC for 45 minutes unless told otherwise.
 */
export async function givenAppointment(
  db: Kysely<DB>,
  options: {
    person: { id: string; site_id: string }
    clinician: { id: string }
    practitioner?: { id: string } | null
    startsAt?: string
    durationMinutes?: number
    location?: string | null
  },
) {
  const startsAt = new Date(
    options.startsAt ?? new Date(Date.now() + 86_400_000).toISOString().slice(0, 10) + 'T10:00:00Z',
  )
  const durationMinutes = options.durationMinutes ?? 45
  const practitionerId =
    options.practitioner === undefined || options.practitioner === null ? null : options.practitioner.id
  return db
    .insertInto('appointment')
    .values({
      person_id: options.person.id,
      site_id: options.person.site_id,
      kind: practitionerId === null ? 'clinic' : 'joint',
      starts_at: startsAt,
      duration_minutes: durationMinutes,
      ends_at: new Date(startsAt.getTime() + durationMinutes * 60_000),
      location: options.location ?? null,
      clinician_id: options.clinician.id,
      practitioner_id: practitionerId,
      created_by: options.clinician.id,
    })
    .returning(['id', 'version', 'starts_at'])
    .executeTakeFirstOrThrow()
}

let odsCounter = randomBytes(2).readUInt16BE(0) % 90_000

/**
 * A service directory entry at the site, written straight to the database (no audit). A GP practice unless told
 * otherwise, with a unique ODS-like code in a fake pattern (Z + 5 digits).
 */
export async function givenService(
  db: Kysely<DB>,
  site: { id: string },
  overrides: Partial<Omit<Insertable<ServiceTable>, 'site_id'>> = {},
) {
  odsCounter = (odsCounter + 1) % 90_000
  const kind = overrides.kind ?? 'gp-practice'
  return db
    .insertInto('service')
    .values({
      name: kind === 'gp-practice' ? 'Test Surgery' : 'Test Service',
      ods_code: kind === 'gp-practice' ? `Z${String(10_000 + odsCounter).padStart(5, '0')}` : null,
      ...overrides,
      kind,
      site_id: site.id,
    })
    .returning(['id', 'site_id', 'kind', 'name', 'ods_code', 'active', 'version'])
    .executeTakeFirstOrThrow()
}

/**
 * A GP registration status for the person, written straight to the database (no audit). Recorded by default an
 * hour before buildTestApp's clock, so statuses the app records afterwards are the later ones.
 */
export async function givenGpRegistration(
  db: Kysely<DB>,
  person: { id: string },
  recordedBy: { id: string },
  overrides: Partial<Omit<Insertable<GpRegistrationTable>, 'person_id' | 'recorded_by'>> = {},
) {
  return db
    .insertInto('gp_registration')
    .values({
      status: 'not-registered',
      status_date: '2026-11-01',
      recorded_at: new Date('2026-11-20T09:00:00Z'),
      ...overrides,
      person_id: person.id,
      recorded_by: recordedBy.id,
    })
    .returning(['id', 'status', 'recorded_at'])
    .executeTakeFirstOrThrow()
}

/**
 * A health check written straight to the database (no audit, no scoring): for tests that need one in place. With
 * `flag`, a PHQ-9 item 9 warning flag awaiting a response is added to it.
 */
export async function givenHealthCheck(
  db: Kysely<DB>,
  options: {
    person: { id: string; site_id: string }
    clinician: { id: string }
    status?: 'in-progress' | 'completed'
    startedAt?: Date
    flag?: boolean
  },
): Promise<{ id: string; flagId: string | undefined }> {
  const startedAt = options.startedAt ?? new Date('2026-11-20T09:30:00Z')
  const completed = options.status === 'completed'
  const check = await db
    .insertInto('health_check')
    .values({
      person_id: options.person.id,
      site_id: options.person.site_id,
      clinician_id: options.clinician.id,
      status: completed ? 'completed' : 'in-progress',
      started_at: startedAt,
      completed_at: completed ? startedAt : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  let flagId: string | undefined
  if (options.flag === true) {
    const flag = await db
      .insertInto('warning_flag')
      .values({
        person_id: options.person.id,
        site_id: options.person.site_id,
        check_id: check.id,
        instrument_code: 'phq-9',
        item_code: 'phq9-9',
        code: 'phq9-item9',
        message: 'Needs a clinician’s review today.',
        raised_at: startedAt,
        respond_by: new Date(startedAt.getTime() + 3_600_000),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    flagId = flag.id
  }
  return { id: check.id, flagId }
}

/**
 * A screening event for the person, written straight to the database (no audit, no validation beyond the table's
 * constraints). Bowel, invited on 1 November 2026 unless told otherwise; cervical events default to not a
 * self-sample. Recorded by default an hour before buildTestApp's clock.
 */
export async function givenScreeningEvent(
  db: Kysely<DB>,
  person: { id: string },
  recordedBy: { id: string },
  overrides: {
    programme?: 'cervical' | 'breast' | 'bowel' | 'aaa' | 'lung'
    state?: 'invited' | 'booked' | 'attended' | 'result-recorded' | 'declined'
    date?: string
    result?: string | null
    selfSample?: boolean | null
    note?: string | null
    recordedAt?: Date
    enteredInError?: { reason: string; by?: { id: string }; at?: Date }
  } = {},
) {
  const programme = overrides.programme ?? 'bowel'
  const recordedAt = overrides.recordedAt ?? new Date('2026-11-20T09:00:00Z')
  const row = await db
    .insertInto('screening_event')
    .values({
      person_id: person.id,
      programme,
      state: overrides.state ?? 'invited',
      event_date: overrides.date ?? '2026-11-01',
      result: overrides.result ?? null,
      self_sample: overrides.selfSample !== undefined ? overrides.selfSample : programme === 'cervical' ? false : null,
      note: overrides.note ?? null,
      recorded_by: recordedBy.id,
      recorded_at: recordedAt,
    })
    .returning(['id', 'programme', 'state', 'event_date'])
    .executeTakeFirstOrThrow()
  const correction = overrides.enteredInError
  if (correction !== undefined) {
    await db
      .updateTable('screening_event')
      .set({
        entered_in_error_at: correction.at ?? recordedAt,
        entered_in_error_by: (correction.by ?? recordedBy).id,
        entered_in_error_reason: correction.reason,
      })
      .where('id', '=', row.id)
      .execute()
  }
  return row
}

/**
 * A confirmed need, a directory service and a referral from the need to the service, all for the person and
 * written straight to the database (no audit): the treatment referral a treatment requirement links to. A draft
 * referral for a drugs need to a drug and alcohol service unless told otherwise; any status but draft is sent on
 * 1 November 2026. Made of `givenNeed`, `givenService` and `givenReferral`.
 */
export async function givenTreatmentReferral(
  db: Kysely<DB>,
  person: { id: string; site_id: string },
  createdBy: { id: string },
  overrides: {
    category?: 'mental-health' | 'alcohol' | 'drugs' | 'smoking' | 'physical-health'
    status?: 'draft' | 'sent' | 'accepted' | 'rejected' | 'first-appointment-booked' | 'engaged' | 'completed'
    serviceName?: string
    reason?: string
  } = {},
) {
  const category = overrides.category ?? 'drugs'
  const need = await givenNeed(db, person, createdBy, {
    category,
    identifiedOn: '2026-10-31',
    proposedBecause: 'Test need',
  })
  const kind =
    category === 'mental-health' ? 'community-mental-health' : category === 'smoking' ? 'stop-smoking' : 'drug-alcohol'
  const service = await givenService(
    db,
    { id: person.site_id },
    { kind, name: overrides.serviceName ?? 'Test Treatment Service' },
  )
  return givenReferral(db, {
    person,
    need,
    service,
    createdBy,
    status: overrides.status ?? 'draft',
    reason: overrides.reason ?? 'Test referral reason',
    createdOn: '2026-11-01',
    sentOn: '2026-11-01',
  })
}

/**
 * A treatment requirement already in `status`, written straight to the database (no audit) with one changelog row
 * for its proposal: for tests that need one at a given point of its lifecycle. Dates run on from 1 November 2026,
 * one day per step (proposed, assessed, made, started, ended); started, completed and breached need a referral.
 */
export async function givenTreatmentRequirement(
  db: Kysely<DB>,
  person: { id: string; site_id: string },
  createdBy: { id: string },
  overrides: {
    kind?: 'mhtr' | 'drr' | 'atr'
    status?: 'proposed' | 'assessed-suitable' | 'assessed-unsuitable' | 'made' | 'started' | 'completed' | 'breached'
    referralId?: string | null
    note?: string | null
  } = {},
) {
  const status = overrides.status ?? 'proposed'
  const step = ['proposed', 'assessed', 'made', 'started', 'ended'] as const
  const reached = {
    proposed: 0,
    'assessed-suitable': 1,
    'assessed-unsuitable': 1,
    made: 2,
    started: 3,
    breached: 3,
    completed: 4,
  }[status]
  const day = (n: number) => (n <= reached ? `2026-11-0${String(n + 1)}` : null)
  const statusOn = status === 'breached' ? '2026-11-05' : `2026-11-0${String(reached + 1)}`
  const row = await db
    .insertInto('treatment_requirement')
    .values({
      person_id: person.id,
      site_id: person.site_id,
      kind: overrides.kind ?? 'drr',
      status,
      referral_id: overrides.referralId ?? null,
      proposed_on: '2026-11-01',
      assessed_on: day(step.indexOf('assessed')),
      made_on: day(step.indexOf('made')),
      started_on: day(step.indexOf('started')),
      ended_on: day(step.indexOf('ended')),
      status_on: statusOn,
      note: overrides.note ?? null,
      created_by: createdBy.id,
    })
    .returning(['id', 'status', 'version', 'kind', 'status_on'])
    .executeTakeFirstOrThrow()
  await db
    .insertInto('treatment_requirement_event')
    .values({
      requirement_id: row.id,
      kind: 'proposed',
      from_status: null,
      to_status: 'proposed',
      occurred_on: '2026-11-01',
      actor_id: createdBy.id,
      recorded_at: new Date('2026-11-20T09:00:00Z'),
    })
    .execute()
  return row
}

/**
 * A need for the person, written straight to the database (no audit), decided (unless proposed) by `decidedBy`.
 * Confirmed, for mental health, identified on 1 November 2026 unless told otherwise.
 */
export async function givenNeed(
  db: Kysely<DB>,
  person: { id: string; site_id: string },
  decidedBy: { id: string },
  overrides: {
    category?: NeedCategory
    status?: 'proposed' | 'confirmed' | 'dismissed'
    identifiedOn?: string
    proposedBecause?: string
  } = {},
) {
  const status = overrides.status ?? 'confirmed'
  const decided = status !== 'proposed'
  return db
    .insertInto('need')
    .values({
      person_id: person.id,
      site_id: person.site_id,
      category: overrides.category ?? 'mental-health',
      status,
      proposed_because: overrides.proposedBecause ?? 'PHQ-2 positive screen',
      reason: status === 'dismissed' ? 'Not needed now' : null,
      decided_by: decided ? decidedBy.id : null,
      decided_at: decided ? new Date('2026-11-01T10:00:00Z') : null,
      identified_on: overrides.identifiedOn ?? '2026-11-01',
    })
    .returning(['id', 'person_id', 'category', 'status', 'identified_on'])
    .executeTakeFirstOrThrow()
}

/**
 * A referral from the need to the service, written straight to the database (no audit) with a changelog row for its
 * creation on `createdOn` (default 1 November 2026) and, past draft, one for reaching its status on `sentOn`
 * (default 2 November 2026). The organisation is the service's. Any status but draft has been sent.
 */
export async function givenReferral(
  db: Kysely<DB>,
  options: {
    person: { id: string; site_id: string }
    need: { id: string; identified_on: string }
    service: { id: string }
    createdBy: { id: string }
    status?: ReferralStatus
    urgency?: 'routine' | 'urgent'
    reason?: string
    createdOn?: string
    sentOn?: string
    chaseOn?: string | null
    firstAppointmentOn?: string | null
    /** false: no changelog rows, for tests that write their own. */
    changelog?: boolean
  },
) {
  const status = options.status ?? 'sent'
  const createdOn = options.createdOn ?? '2026-11-01'
  const sentOn = status === 'draft' ? null : (options.sentOn ?? '2026-11-02')
  const service = await db
    .selectFrom('service')
    .select('organisation_id')
    .where('id', '=', options.service.id)
    .executeTakeFirstOrThrow()
  const attended = ['first-appointment-attended', 'engaged', 'completed'].includes(status)
  const final = ['rejected', 'completed', 'declined', 'withdrawn'].includes(status)
  const referral = await db
    .insertInto('referral')
    .values({
      person_id: options.person.id,
      site_id: options.person.site_id,
      need_id: options.need.id,
      service_id: options.service.id,
      organisation_id: service.organisation_id,
      status,
      urgency: options.urgency ?? 'routine',
      reason: options.reason ?? 'Low mood for two months; would like talking therapy',
      need_identified_on: options.need.identified_on,
      sent_on: sentOn,
      chase_on: options.chaseOn === undefined ? (final ? null : '2026-11-12') : options.chaseOn,
      first_appointment_on: options.firstAppointmentOn ?? (attended ? sentOn : null),
      first_attended_on: attended ? sentOn : null,
      days_to_first_treatment:
        attended && sentOn !== null
          ? Math.round((Date.parse(sentOn) - Date.parse(options.need.identified_on)) / 86_400_000)
          : null,
      closed_on: final ? sentOn : null,
      created_by: options.createdBy.id,
      created_at: new Date(`${createdOn}T10:00:00Z`),
      updated_at: new Date(`${createdOn}T10:00:00Z`),
    })
    .returning(['id', 'status', 'version', 'person_id', 'site_id', 'organisation_id', 'need_id', 'service_id'])
    .executeTakeFirstOrThrow()
  if (options.changelog === false) return referral
  await db
    .insertInto('referral_event')
    .values({
      referral_id: referral.id,
      from_status: null,
      to_status: 'draft',
      occurred_on: createdOn,
      actor_id: options.createdBy.id,
      recorded_at: new Date(`${createdOn}T10:00:00Z`),
    })
    .execute()
  if (status !== 'draft' && sentOn !== null) {
    await db
      .insertInto('referral_event')
      .values({
        referral_id: referral.id,
        from_status: 'draft',
        to_status: status,
        occurred_on: sentOn,
        reason: final ? 'Test reason' : null,
        actor_id: options.createdBy.id,
        recorded_at: new Date(`${sentOn}T10:00:00Z`),
      })
      .execute()
  }
  return referral
}

/**
 * A follow-up (missed appointment by default) assigned to a staff member, written straight to the database (no
 * audit). Open, due 20 November 2026, linked to no appointment unless told otherwise.
 */
export async function givenFollowUp(
  db: Kysely<DB>,
  options: {
    person: { id: string; site_id: string }
    assignedTo: { id: string }
    appointment?: { id: string } | null
    dueDate?: string
    reason?: string
    kind?: string
    done?: { by: { id: string }; at?: Date; note?: string }
  },
) {
  const done = options.done
  return db
    .insertInto('follow_up')
    .values({
      kind: options.kind ?? 'missed-appointment',
      person_id: options.person.id,
      site_id: options.person.site_id,
      appointment_id: options.appointment?.id ?? null,
      assigned_to: options.assignedTo.id,
      reason: options.reason ?? 'Unacceptable absence: contact the person and rebook',
      due_date: options.dueDate ?? '2026-11-20',
      status: done === undefined ? 'open' : 'done',
      done_at: done === undefined ? null : (done.at ?? new Date('2026-11-19T12:00:00Z')),
      done_by: done === undefined ? null : done.by.id,
      note: done === undefined ? null : (done.note ?? 'Phoned and rebooked'),
    })
    .returning(['id', 'status', 'due_date', 'assigned_to'])
    .executeTakeFirstOrThrow()
}

/** A need proposed by a health check (so it has the check's clinician), awaiting a decision; no audit. */
export async function givenProposedNeed(
  db: Kysely<DB>,
  options: {
    person: { id: string; site_id: string }
    check: { id: string }
    category?: NeedCategory
    identifiedOn?: string
    proposedBecause?: string
  },
) {
  return db
    .insertInto('need')
    .values({
      person_id: options.person.id,
      site_id: options.person.site_id,
      check_id: options.check.id,
      category: options.category ?? 'mental-health',
      proposed_because: options.proposedBecause ?? 'PHQ-2 positive screen',
      identified_on: options.identifiedOn ?? '2026-11-20',
    })
    .returning(['id', 'check_id', 'category', 'identified_on'])
    .executeTakeFirstOrThrow()
}

/**
 * A need proposed by a completed health check the clinician ran, written straight to the database (no audit), with
 * the history row for its proposal; with `status` confirmed or dismissed, decided by the clinician a minute later.
 */
export async function givenCheckNeed(
  db: Kysely<DB>,
  options: {
    person: { id: string; site_id: string }
    clinician: { id: string }
    category?: NeedCategory
    status?: 'proposed' | 'confirmed' | 'dismissed'
    identifiedOn?: string
  },
) {
  const status = options.status ?? 'proposed'
  const proposedAt = new Date('2026-11-20T09:30:00Z')
  const decidedAt = new Date('2026-11-20T09:31:00Z')
  const check = await givenHealthCheck(db, {
    person: options.person,
    clinician: options.clinician,
    status: 'completed',
    startedAt: proposedAt,
  })
  const need = await db
    .insertInto('need')
    .values({
      person_id: options.person.id,
      site_id: options.person.site_id,
      check_id: check.id,
      category: options.category ?? 'mental-health',
      status,
      proposed_because: 'PHQ-2 positive screen',
      reason: status === 'dismissed' ? 'Already under the community mental health team' : null,
      decided_by: status === 'proposed' ? null : options.clinician.id,
      decided_at: status === 'proposed' ? null : decidedAt,
      identified_on: options.identifiedOn ?? '2026-11-20',
    })
    .returning(['id', 'person_id', 'site_id', 'check_id', 'category', 'status', 'identified_on', 'version'])
    .executeTakeFirstOrThrow()
  await db
    .insertInto('need_event')
    .values({ need_id: need.id, to_status: 'proposed', actor_id: options.clinician.id, recorded_at: proposedAt })
    .execute()
  if (status !== 'proposed') {
    await db
      .insertInto('need_event')
      .values({
        need_id: need.id,
        from_status: 'proposed',
        to_status: status,
        reason: status === 'dismissed' ? 'Already under the community mental health team' : null,
        actor_id: options.clinician.id,
        recorded_at: decidedAt,
      })
      .execute()
  }
  return { ...need, checkId: check.id }
}

/**
 * A referral for a need (as `givenCheckNeed` returns it) to a directory service, without changelog rows:
 * `givenReferral` for that need.
 */
export async function givenReferralRow(
  db: Kysely<DB>,
  options: {
    need: { id: string; person_id: string; site_id: string; identified_on: string }
    service: { id: string }
    createdBy: { id: string }
    status?: ReferralStatus
  },
) {
  const { need } = options
  return givenReferral(db, {
    person: { id: need.person_id, site_id: need.site_id },
    need,
    service: options.service,
    createdBy: options.createdBy,
    status: options.status ?? 'sent',
    reason: 'Low mood for two months',
    changelog: false,
  })
}
