import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { Kysely } from 'kysely'
import type { DB, NeedCategory } from '../../platform/db/schema.ts'
import { createTestDatabase } from '../../platform/db/test-database.ts'
import { givenHealthCheck, givenPerson, givenSite, givenStaff } from '../../../test/support/builders.ts'
import { flagsAwaitingResponse, proposedNeedsAwaitingDecision } from './health-checks.repository.ts'

async function setup(t: TestContext) {
  const database = await createTestDatabase()
  t.after(() => database.close())
  const db = database.db
  const here = await givenSite(db, { name: 'Cambridge' })
  const there = await givenSite(db, { name: 'Middlesbrough' })
  const clinician = await givenStaff(db, 'clinician', { sites: [here] })
  const colleague = await givenStaff(db, 'clinician', { sites: [here] })
  const away = await givenStaff(db, 'clinician', { sites: [there] })
  return { db, here, there, clinician, colleague, away }
}

async function flagAt(
  db: Kysely<DB>,
  person: { id: string; site_id: string },
  clinician: { id: string },
  raisedAt: string,
  respondBy: string,
  responded = false,
) {
  const check = await givenHealthCheck(db, { person, clinician, startedAt: new Date(raisedAt) })
  const row = await db
    .insertInto('warning_flag')
    .values({
      person_id: person.id,
      site_id: person.site_id,
      check_id: check.id,
      instrument_code: 'phq-9',
      item_code: 'phq9-9',
      code: 'phq9-item9',
      message: 'PHQ-9 question 9 answered above "Not at all": review today.',
      raised_at: new Date(raisedAt),
      respond_by: new Date(respondBy),
      ...(responded
        ? {
            status: 'responded' as const,
            response_text: 'Safety plan agreed',
            responded_by: clinician.id,
            responded_at: new Date(raisedAt),
          }
        : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

async function proposedNeed(
  db: Kysely<DB>,
  person: { id: string; site_id: string },
  clinician: { id: string },
  category: NeedCategory,
  identifiedOn: string,
  status: 'proposed' | 'confirmed' = 'proposed',
) {
  const check = await givenHealthCheck(db, { person, clinician, status: 'completed' })
  const row = await db
    .insertInto('need')
    .values({
      person_id: person.id,
      site_id: person.site_id,
      check_id: check.id,
      category,
      status,
      proposed_because: 'PHQ-2 positive screen',
      identified_on: identifiedOn,
      ...(status === 'confirmed'
        ? { decided_by: clinician.id, decided_at: new Date(`${identifiedOn}T12:00:00Z`) }
        : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

test('flags awaiting a response: the sites asked for only, soonest deadline first, overdue marked, paged', async (t) => {
  const { db, here, there, clinician, away } = await setup(t)
  const sam = await givenPerson(db, here, { given_name: 'Sam', family_name: 'Taylor' })
  const alex = await givenPerson(db, here, { given_name: 'Alex', family_name: 'Jones' })
  const elsewhere = await givenPerson(db, there, { given_name: 'Chris', family_name: 'Wood' })
  const today = await flagAt(db, sam, clinician, '2026-11-20T09:00:00Z', '2026-11-21T00:00:00Z')
  const yesterday = await flagAt(db, alex, clinician, '2026-11-19T15:00:00Z', '2026-11-20T00:00:00Z')
  await flagAt(db, sam, clinician, '2026-11-18T15:00:00Z', '2026-11-19T00:00:00Z', true)
  await flagAt(db, elsewhere, away, '2026-11-20T08:00:00Z', '2026-11-21T00:00:00Z')

  const now = new Date('2026-11-20T10:00:00Z')
  const all = await flagsAwaitingResponse(db, { siteIds: [here.id], limit: 10, offset: 0, now })
  assert.equal(all.total, 2, 'responded flags and other sites are left out')
  assert.deepEqual(
    all.items.map((i) => [i.flagId, i.personName, i.overdue]),
    [
      [yesterday, 'Alex Jones', true],
      [today, 'Sam Taylor', false],
    ],
  )
  const first = all.items[0]
  assert.ok(first)
  assert.equal(first.personId, alex.id)
  assert.equal(first.respondBy.toISOString(), '2026-11-20T00:00:00.000Z')
  assert.equal(first.raisedAt.toISOString(), '2026-11-19T15:00:00.000Z')
  assert.match(first.message, /question 9/)

  const second = await flagsAwaitingResponse(db, { siteIds: [here.id], limit: 1, offset: 1, now })
  assert.equal(second.total, 2)
  assert.deepEqual(
    second.items.map((i) => i.flagId),
    [today],
  )
  const both = await flagsAwaitingResponse(db, { siteIds: [here.id, there.id], limit: 10, offset: 0, now })
  assert.equal(both.total, 3)
  assert.deepEqual(await flagsAwaitingResponse(db, { siteIds: [], limit: 10, offset: 0, now }), {
    total: 0,
    items: [],
  })
})

test('proposed needs awaiting a decision: the sites asked for only, oldest first, by clinician when asked', async (t) => {
  const { db, here, there, clinician, colleague, away } = await setup(t)
  const sam = await givenPerson(db, here, { given_name: 'Sam', family_name: 'Taylor' })
  const elsewhere = await givenPerson(db, there)
  const newer = await proposedNeed(db, sam, clinician, 'alcohol', '2026-11-19')
  const older = await proposedNeed(db, sam, colleague, 'mental-health', '2026-11-10')
  await proposedNeed(db, sam, clinician, 'smoking', '2026-11-01', 'confirmed')
  await proposedNeed(db, elsewhere, away, 'drugs', '2026-11-05')

  const all = await proposedNeedsAwaitingDecision(db, { siteIds: [here.id], limit: 10, offset: 0 })
  assert.equal(all.total, 2, 'decided needs and other sites are left out')
  assert.deepEqual(
    all.items.map((i) => [i.needId, i.personName, i.category, i.categoryLabel, i.identifiedOn]),
    [
      [older, 'Sam Taylor', 'mental-health', 'Mental health', '2026-11-10'],
      [newer, 'Sam Taylor', 'alcohol', 'Alcohol', '2026-11-19'],
    ],
  )
  assert.equal(all.items[0]?.personId, sam.id)

  const mine = await proposedNeedsAwaitingDecision(db, {
    siteIds: [here.id],
    clinicianId: clinician.id,
    limit: 10,
    offset: 0,
  })
  assert.equal(mine.total, 1)
  assert.deepEqual(
    mine.items.map((i) => i.needId),
    [newer],
  )
  const paged = await proposedNeedsAwaitingDecision(db, { siteIds: [here.id], limit: 1, offset: 1 })
  assert.equal(paged.total, 2)
  assert.deepEqual(
    paged.items.map((i) => i.needId),
    [newer],
  )
  const away2 = await proposedNeedsAwaitingDecision(db, {
    siteIds: [there.id],
    clinicianId: clinician.id,
    limit: 5,
    offset: 0,
  })
  assert.equal(away2.total, 0)
})
