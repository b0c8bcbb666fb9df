import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { fixedClock } from '../../../test/support/clock.ts'
import { emptyFileDatabase } from '../../../test/support/database.ts'
import { givenPerson, givenSite, givenStaff } from '../../../test/support/builders.ts'
import { buildTestServices } from '../../../test/support/services.ts'
import { ForbiddenError, ValidationError } from '../../platform/http/errors.ts'
import type { StaffRole } from '../../platform/http/roles.ts'
import { createCarePlanService } from './care-plan.service.ts'

const never = (name: string, calls: string[]) => () => {
  calls.push(name)
  return Promise.reject(new Error(`${name} should not be read`))
}

async function setup(t: TestContext, role: StaffRole = 'clinician') {
  const database = await emptyFileDatabase()
  const db = database.db
  const clock = fixedClock('2026-11-20T10:00:00Z')
  const services = buildTestServices(database, clock)
  const calls: string[] = []
  // The printed plan's sections come from other services: fakes that refuse, so a section read unasked is seen.
  const carePlan = createCarePlanService({
    db,
    clock,
    audit: services.audit,
    consent: services.consent,
    people: services.people,
    sites: services.sites,
    appointments: { listForPerson: never('appointments', calls) },
    referrals: { personReferrals: never('referrals', calls) },
    gpRegistration: { viewRegistration: never('gp-registration', calls) },
    screening: { assess: never('screening', calls) },
  })
  const site = await givenSite(db)
  const user = await givenStaff(db, role, { sites: [site] })
  const person = await givenPerson(db, site, { preferred_name: null, given_name: 'Jo' })
  const principal = {
    userId: user.id,
    email: user.email,
    displayName: 'Test',
    role,
    siteIds: [site.id],
    organisationId: null,
    via: 'session' as const,
  }
  return { db, carePlan, calls, person, actor: { principal, requestId: 'test' } }
}

test('the printed plan reads no other service for a section nobody chose, and prints no goal left out', async (t) => {
  const { carePlan, calls, person, actor } = await setup(t)
  await carePlan.addGoal(person.id, { inOwnWords: 'Feel calmer' }, actor, 'api')
  const printed = await carePlan.printedPlan(person.id, actor)
  assert.deepEqual(calls, [])
  assert.equal(printed.addressedAs, 'Jo')
  assert.deepEqual(printed.goals, [])
  for (const section of [
    printed.appointments,
    printed.referrals,
    printed.gpRegistration,
    printed.screening,
    printed.phoneNumbers,
  ]) {
    assert.equal(section, undefined)
  }
})

test('only the phone numbers chosen: the hub with no number yet, and no referral read', async (t) => {
  const { carePlan, calls, person, actor } = await setup(t)
  const saved = await carePlan.setPrintChoices(
    person.id,
    {
      sections: { appointments: false, referrals: false, gpRegistration: false, screening: false, phoneNumbers: true },
      goalIds: [],
    },
    0,
    actor,
    'api',
  )
  assert.equal(saved.ok, true)
  const printed = await carePlan.printedPlan(person.id, actor)
  assert.deepEqual(calls, [])
  assert.equal(printed.phoneNumbers?.length, 1)
  assert.equal(printed.phoneNumbers[0]?.phone, null)
})

test('a probation practitioner may not write or print a plan; a write refused leaves nothing behind', async (t) => {
  const { db, carePlan, person, actor } = await setup(t, 'probation_practitioner')
  await assert.rejects(carePlan.addGoal(person.id, { inOwnWords: 'x' }, actor, 'api'), ForbiddenError)
  await assert.rejects(carePlan.printedPlan(person.id, actor), ForbiddenError)
  await assert.rejects(carePlan.viewPlan(person.id, actor, 'page', 'goal-form'), ForbiddenError)
  assert.equal((await carePlan.viewPlan(person.id, actor, 'api')).withheld, true)
  assert.equal((await db.selectFrom('care_plan').select('id').execute()).length, 0)
})

test('a review or an agreement needs a goal first', async (t) => {
  const { carePlan, person, actor } = await setup(t)
  await assert.rejects(
    carePlan.recordAgreement(person.id, { decision: 'agreed', comments: null, decidedOn: '2026-11-20' }, actor, 'api'),
    (error: unknown) => error instanceof ValidationError && error.errors[0]?.field === 'decision',
  )
  await assert.rejects(
    carePlan.recordReview(
      person.id,
      { reviewedOn: '2026-11-20', appointmentId: null, notes: 'ok', outcomes: [] },
      actor,
      'api',
    ),
    (error: unknown) => error instanceof ValidationError && error.errors[0]?.field === 'outcomes',
  )
})
