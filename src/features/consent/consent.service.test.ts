import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { fixedClock } from '../../../test/support/clock.ts'
import { emptyFileDatabase } from '../../../test/support/database.ts'
import { DomainError, ForbiddenError } from '../../platform/http/errors.ts'
import { givenConsent, givenOrganisation, givenPerson, givenSite, givenStaff } from '../../../test/support/builders.ts'
import type { DecisionInput } from './consent.service.ts'
import type { StaffRole } from '../../platform/http/roles.ts'
import { buildTestServices } from '../../../test/support/services.ts'

async function setup(t: TestContext, role: StaffRole = 'clinician') {
  const database = await emptyFileDatabase()
  const db = database.db
  const clock = fixedClock('2026-11-20T10:00:00Z')
  const { consent } = buildTestServices(database, clock)
  const site = await givenSite(db)
  const user = await givenStaff(db, role, { sites: [site] })
  const person = await givenPerson(db, site)
  const principal = {
    userId: user.id,
    email: user.email,
    displayName: 'Test',
    role,
    siteIds: [site.id],
    organisationId: null,
    via: 'session' as const,
  }
  return { db, clock, consent, site, user, person, actor: { principal, requestId: 'test' } }
}

const decision = (overrides: Partial<DecisionInput> = {}): DecisionInput => ({
  topic: 'share-summary-with-probation',
  organisationCode: null,
  decision: 'given',
  decidedOn: '2026-11-20',
  method: 'in-person',
  note: null,
  ...overrides,
})

test('allows() turns false as soon as a withdrawal is recorded, and history keeps both decisions', async (t) => {
  const { db, consent, person, actor } = await setup(t)
  assert.equal(await consent.allows(db, person.id, 'share-summary-with-probation'), false)
  await consent.recordDecision(person.id, decision(), actor, 'page')
  assert.equal(await consent.allows(db, person.id, 'share-summary-with-probation'), true)
  await consent.recordDecision(person.id, decision({ decision: 'withdrawn' }), actor, 'page')
  assert.equal(await consent.allows(db, person.id, 'share-summary-with-probation'), false)
  const state = await consent.viewConsent(person.id, actor, 'page')
  assert.deepEqual(
    state.history.map((d) => d.decision),
    ['withdrawn', 'given'],
  )
  assert.deepEqual(
    state.current.map((d) => [d.topic, d.decision]),
    [['share-summary-with-probation', 'withdrawn']],
  )
})

test('allows() read inside a caller’s transaction sees the state committed before it', async (t) => {
  const { db, consent, person, actor } = await setup(t)
  await consent.recordDecision(person.id, decision({ topic: 'contact-by-sms' }), actor, 'page')
  const seen = await db.transaction().execute(async (tx) => {
    const before = await consent.allows(tx, person.id, 'contact-by-sms')
    const current = await consent.currentConsent(tx, person.id)
    return { before, current }
  })
  assert.equal(seen.before, true)
  assert.deepEqual(
    seen.current.map((c) => [c.topic, c.decision]),
    [['contact-by-sms', 'given']],
  )
})

test('withdrawal is refused unless the decision in force is given', async (t) => {
  const { consent, person, actor } = await setup(t)
  await assert.rejects(
    consent.recordDecision(person.id, decision({ decision: 'withdrawn' }), actor, 'page'),
    (error: unknown) => error instanceof DomainError && error.errors[0]?.field === 'decision',
  )
  await consent.recordDecision(person.id, decision({ decision: 'refused' }), actor, 'page')
  await assert.rejects(
    consent.recordDecision(person.id, decision({ decision: 'withdrawn' }), actor, 'page'),
    DomainError,
  )
})

test('partner consent is decided per organisation, independently', async (t) => {
  const { db, consent, person, actor } = await setup(t)
  const housing = await givenOrganisation(db, { code: 'housing-trust', name: 'Housing Trust' })
  const pharmacy = await givenOrganisation(db, { code: 'pharmacy', name: 'Pharmacy' })
  await consent.recordDecision(
    person.id,
    decision({ topic: 'share-with-partner', organisationCode: 'housing-trust' }),
    actor,
    'page',
  )
  await consent.recordDecision(
    person.id,
    decision({ topic: 'share-with-partner', organisationCode: 'pharmacy', decision: 'refused' }),
    actor,
    'page',
  )
  assert.equal(await consent.allows(db, person.id, 'share-with-partner', housing.id), true)
  assert.equal(await consent.allows(db, person.id, 'share-with-partner', pharmacy.id), false)
  await consent.recordDecision(
    person.id,
    decision({ topic: 'share-with-partner', organisationCode: 'housing-trust', decision: 'withdrawn' }),
    actor,
    'page',
  )
  assert.equal(await consent.allows(db, person.id, 'share-with-partner', housing.id), false)
  await assert.rejects(consent.allows(db, person.id, 'share-with-partner'), /needs organisation/)
  await assert.rejects(
    consent.recordDecision(person.id, decision({ topic: 'share-with-partner' }), actor, 'page'),
    (error: unknown) => error instanceof DomainError && error.errors[0]?.field === 'organisationCode',
  )
})

test('the latest decision wins even when a row was written with a later clock', async (t) => {
  const { db, consent, person, user, actor } = await setup(t)
  // Another server whose clock ran ahead recorded "given"; this one's withdrawal must still be the latest.
  await givenConsent(db, person, user, { topic: 'contact-by-email', recordedAt: new Date('2026-11-20T11:00:00Z') })
  await consent.recordDecision(person.id, decision({ topic: 'contact-by-email', decision: 'withdrawn' }), actor, 'page')
  assert.equal(await consent.allows(db, person.id, 'contact-by-email'), false)
})

test('only clinicians and hub managers may record; practitioners may read', async (t) => {
  const { consent, person, actor } = await setup(t, 'probation_practitioner')
  await assert.rejects(consent.recordDecision(person.id, decision(), actor, 'page'), ForbiddenError)
  const state = await consent.viewConsent(person.id, actor, 'page')
  assert.equal(state.person.id, person.id)
})

test('a decision dated before the one in force is refused, so a withdrawal is never undone by a late entry', async (t) => {
  const { db, consent, person, actor } = await setup(t)
  await consent.recordDecision(person.id, decision({ decidedOn: '2026-11-01' }), actor, 'page')
  await consent.recordDecision(person.id, decision({ decision: 'withdrawn', decidedOn: '2026-11-15' }), actor, 'page')
  await assert.rejects(
    consent.recordDecision(person.id, decision({ decidedOn: '2026-11-02' }), actor, 'page'),
    (error: unknown) =>
      error instanceof DomainError &&
      error.errors[0]?.field === 'decidedOn-day' &&
      /on or after 15 November 2026/.test(error.errors[0].message),
  )
  assert.equal(await consent.allows(db, person.id, 'share-summary-with-probation'), false)
  // The same day as the decision in force is fine: the person may change their mind that day.
  await consent.recordDecision(person.id, decision({ decidedOn: '2026-11-15' }), actor, 'page')
  assert.equal(await consent.allows(db, person.id, 'share-summary-with-probation'), true)
})
