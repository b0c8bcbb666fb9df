import { randomBytes } from 'node:crypto'
import type { Insertable, Kysely } from 'kysely'
import type { DB, GpRegistrationTable, PersonTable, ServiceTable, StaffRole } from '../../src/platform/db/schema.ts'
import { hashPassword, TEST_PASSWORD_COST } from '../../src/features/auth/passwords.ts'
import { createAuditService } from '../../src/features/audit/audit.service.ts'
import { createAuthService } from '../../src/features/auth/auth.service.ts'
import { systemClock, type Clock } from '../../src/platform/clock.ts'

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
  options: { sites?: { id: string }[]; email?: string; name?: string; organisationId?: string; status?: 'active' | 'disabled' } = {},
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
