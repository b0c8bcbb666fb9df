import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { buildTestApp, json } from '../../../test/support/test-app.ts'
import { givenApiToken, givenNeed, givenPerson, givenSite, givenStaff } from '../../../test/support/builders.ts'

// Issue 9 item 14 (H-31x, hazard log "Needs and flags"): a check proposes a need only where the person has no open
// need of that category (proposed, or confirmed and not dismissed).

function caller(app: FastifyInstance, token: string) {
  return (url: string, body: unknown) =>
    app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    })
}

async function setup(t: TestContext) {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db)
  const user = await givenStaff(db, 'clinician', { sites: [site] })
  const person = await givenPerson(db, site)
  const { token } = await givenApiToken(db, user)
  const call = caller(app, token)
  /** A completed check whose PHQ-9 proposes mental health and whose smoking status proposes smoking. */
  async function completedCheck(personId = person.id) {
    const response = await call(`/api/v1/people/${personId}/health-checks`, {
      responses: { 'phq-9': phq9Positive },
      observations: { smokingStatus: 'current' },
      complete: true,
    })
    assert.equal(response.statusCode, 201, response.body)
    return json<{ id: string; needs: { category: string; status: string }[] }>(response)
  }
  async function needsOf(personId: string) {
    const rows = await db
      .selectFrom('need')
      .select(['category', 'status'])
      .where('person_id', '=', personId)
      .orderBy('category')
      .orderBy('created_at')
      .execute()
    return rows.map((r) => `${r.category}:${r.status}`)
  }
  return { db, site, user, person, completedCheck, needsOf }
}

const phq9Positive = {
  'phq9-1': 'nearly-every-day',
  'phq9-2': 'nearly-every-day',
  'phq9-3': 'several-days',
  'phq9-4': 'nearly-every-day',
  'phq9-5': 'not-at-all',
  'phq9-6': 'several-days',
  'phq9-7': 'more-than-half-the-days',
  'phq9-8': 'not-at-all',
  'phq9-9': 'not-at-all',
}

test('a second check does not propose again a need already proposed and awaiting a decision', async (t) => {
  const { person, completedCheck, needsOf } = await setup(t)
  const first = await completedCheck()
  assert.deepEqual(first.needs.map((n) => n.category).sort(), ['mental-health', 'smoking'])

  const second = await completedCheck()
  assert.deepEqual(second.needs, [], 'nothing proposed a second time')
  assert.deepEqual(await needsOf(person.id), ['mental-health:proposed', 'smoking:proposed'])
})

test('a check does not propose a need of a category the person has confirmed and still open', async (t) => {
  const { db, site, user, person, completedCheck, needsOf } = await setup(t)
  await givenNeed(db, { id: person.id, site_id: site.id }, user, { category: 'mental-health', status: 'confirmed' })

  const check = await completedCheck()
  assert.deepEqual(
    check.needs.map((n) => n.category),
    ['smoking'],
  )
  assert.deepEqual(await needsOf(person.id), ['mental-health:confirmed', 'smoking:proposed'])
})

test('a check proposes again a need whose earlier one was dismissed', async (t) => {
  const { db, site, user, person, completedCheck, needsOf } = await setup(t)
  await givenNeed(db, { id: person.id, site_id: site.id }, user, { category: 'mental-health', status: 'dismissed' })

  const check = await completedCheck()
  assert.deepEqual(check.needs.map((n) => n.category).sort(), ['mental-health', 'smoking'])
  assert.deepEqual(await needsOf(person.id), ['mental-health:dismissed', 'mental-health:proposed', 'smoking:proposed'])
})

test('another person’s open need of the category does not stop a proposal for this person', async (t) => {
  const { db, site, user, person, completedCheck, needsOf } = await setup(t)
  const other = await givenPerson(db, site, { given_name: 'Alex', family_name: 'Other' })
  await givenNeed(db, { id: other.id, site_id: site.id }, user, { category: 'mental-health', status: 'confirmed' })
  await givenNeed(db, { id: other.id, site_id: site.id }, user, { category: 'smoking', status: 'proposed' })

  const check = await completedCheck()
  assert.deepEqual(check.needs.map((n) => n.category).sort(), ['mental-health', 'smoking'])
  assert.deepEqual(await needsOf(person.id), ['mental-health:proposed', 'smoking:proposed'])
})
