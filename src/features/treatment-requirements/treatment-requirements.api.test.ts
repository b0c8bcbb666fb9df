import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import { buildTestApp, json, signedInBrowser } from '../../../test/support/test-app.ts'
import {
  givenApiToken,
  givenConsent,
  givenPerson,
  givenSite,
  givenStaff,
  givenTreatmentReferral,
  givenTreatmentRequirement,
  type GivenStaff,
} from '../../../test/support/builders.ts'
import type { StaffRole } from '../../platform/http/roles.ts'

interface Problem {
  status: number
  detail: string
  code?: string
  errors?: { field: string; message: string }[]
  allowedTransitions?: string[]
  currentStatus?: string
  existingId?: string
}
interface Referral {
  id: string
  serviceName: string
  status: string
  statusText: string
  needCategory: string | null
  suggested: boolean
}
interface Requirement {
  id: string
  personId: string
  kind: string
  status: string
  statusOn: string
  proposedOn: string
  assessedOn: string | null
  madeOn: string | null
  startedOn: string | null
  endedOn: string | null
  note: string | null
  referralLinked: boolean
  referral: Referral | null
  version: number
  etag: string
  events: {
    kind: string
    from: string | null
    to: string
    occurredOn: string
    reason: string | null
    reasonHidden: boolean
    referralId: string | null
    actorId: string
  }[]
  allowedTransitions: { to: string; label: string; reasonRequired: boolean; needsReferral: boolean }[]
  suggestedReferrals: Referral[]
}

type Method = 'GET' | 'POST' | 'PATCH'

function caller(app: FastifyInstance, token: string) {
  return (method: Method, url: string, body?: unknown, headers: Record<string, string> = {}) =>
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

async function setup(t: TestContext) {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db)
  const person = await givenPerson(db, site, { given_name: 'Sam', family_name: 'Taylor' })
  const staff = async (role: StaffRole) => {
    const user = await givenStaff(db, role, { sites: [site] })
    const { token } = await givenApiToken(db, user)
    return { user, call: caller(app, token) }
  }
  const clinician = await staff('clinician')
  const manager = await staff('hub_manager')
  const practitioner = await staff('probation_practitioner')
  return { app, db, site, person, staff, clinician, manager, practitioner }
}

const listUrl = (personId: string) => `/api/v1/people/${personId}/treatment-requirements`
const url = (id: string) => `/api/v1/treatment-requirements/${id}`
const transitionsUrl = (id: string) => `/api/v1/treatment-requirements/${id}/transitions`

async function requirementRow(db: Kysely<DB>, id: string) {
  return db.selectFrom('treatment_requirement').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}
async function eventCount(db: Kysely<DB>, id: string) {
  return (await db.selectFrom('treatment_requirement_event').select('id').where('requirement_id', '=', id).execute())
    .length
}

test('proposes (201 with Location and ETag), lists and reads a requirement, each audited with the person', async (t) => {
  const { db, person, clinician } = await setup(t)
  const created = await clinician.call('POST', listUrl(person.id), {
    kind: 'drr',
    proposedOn: '2026-11-18',
    note: 'PSR requested for court on 4 December',
  })
  assert.equal(created.statusCode, 201, created.body)
  const body = json<Requirement>(created)
  assert.equal(created.headers.location, `/api/v1/treatment-requirements/${body.id}`)
  assert.equal(created.headers.etag, 'W/"1"')
  assert.deepEqual(
    [body.kind, body.status, body.proposedOn, body.statusOn, body.note, body.referralLinked],
    ['drr', 'proposed', '2026-11-18', '2026-11-18', 'PSR requested for court on 4 December', false],
  )
  assert.deepEqual(
    body.allowedTransitions.map((a) => a.to),
    ['assessed-suitable', 'assessed-unsuitable'],
  )
  const list = await clinician.call('GET', listUrl(person.id))
  assert.equal(list.statusCode, 200)
  assert.deepEqual(
    json<{ requirements: Requirement[] }>(list).requirements.map((r) => r.id),
    [body.id],
  )
  const read = await clinician.call('GET', url(body.id))
  assert.equal(read.statusCode, 200)
  assert.equal(read.headers.etag, 'W/"1"')
  assert.deepEqual(
    json<Requirement>(read).events.map((e) => [e.kind, e.from, e.to, e.occurredOn, e.reason, e.actorId]),
    [['proposed', null, 'proposed', '2026-11-18', 'PSR requested for court on 4 December', clinician.user.id]],
  )
  const audit = await db
    .selectFrom('audit_event')
    .select(['action', 'person_id', 'entity_id'])
    .where('entity_type', '=', 'treatment_requirement')
    .orderBy('id')
    .execute()
  assert.deepEqual(
    audit.map((a) => a.action),
    ['create', 'list', 'view'],
  )
  assert.ok(audit.every((a) => a.person_id === person.id))
  assert.deepEqual(
    audit.map((a) => a.entity_id),
    [body.id, person.id, body.id],
  )
})

test('a whole lifecycle: assessed with the referral linked, made, started, breached, continued, completed', async (t) => {
  const { db, person, clinician, practitioner } = await setup(t)
  const referral = await givenTreatmentReferral(db, person, clinician.user, { status: 'accepted' })
  const { id } = json<Requirement>(
    await practitioner.call('POST', listUrl(person.id), { kind: 'drr', proposedOn: '2026-11-02' }),
  )
  const move = async (who: typeof clinician, body: Record<string, unknown>) => {
    const response = await who.call('POST', transitionsUrl(id), body)
    assert.equal(response.statusCode, 200, response.body)
    return json<Requirement>(response)
  }
  const assessed = await move(clinician, { to: 'assessed-suitable', at: '2026-11-05', referralId: referral.id })
  assert.equal(assessed.referral?.id, referral.id)
  assert.equal(assessed.assessedOn, '2026-11-05')
  const made = await move(practitioner, { to: 'made', at: '2026-11-10', reason: '12-month DRR, monthly reviews' })
  assert.deepEqual([made.madeOn, made.note], ['2026-11-10', '12-month DRR, monthly reviews'])
  const started = await move(practitioner, { to: 'started', at: '2026-11-12' })
  assert.equal(started.startedOn, '2026-11-12')
  const noReason = await practitioner.call('POST', transitionsUrl(id), { to: 'breached', at: '2026-11-15' })
  assert.equal(noReason.statusCode, 400)
  assert.deepEqual(
    json<Problem>(noReason).errors?.map((e) => e.field),
    ['reason'],
  )
  await move(practitioner, { to: 'breached', at: '2026-11-15', reason: 'Missed two testing appointments' })
  const resumed = await move(practitioner, {
    to: 'started',
    at: '2026-11-18',
    reason: 'Court allowed the order to continue with a warning',
  })
  assert.equal(resumed.startedOn, '2026-11-12', 'continuing after a breach keeps the first start date')
  const done = await move(practitioner, { to: 'completed', at: '2026-11-20' })
  assert.deepEqual([done.status, done.endedOn, done.statusOn], ['completed', '2026-11-20', '2026-11-20'])
  assert.deepEqual(done.allowedTransitions, [])
  assert.deepEqual(
    done.events.map((e) => `${e.kind}:${e.from ?? ''}>${e.to}`),
    [
      'proposed:>proposed',
      'referral-linked:proposed>proposed',
      'transition:proposed>assessed-suitable',
      'transition:assessed-suitable>made',
      'transition:made>started',
      'transition:started>breached',
      'transition:breached>started',
      'transition:started>completed',
    ],
  )
  const updates = await db
    .selectFrom('audit_event')
    .select(['person_id', 'details'])
    .where('entity_type', '=', 'treatment_requirement')
    .where('action', '=', 'update')
    .execute()
  // The referral was linked in the same change as the assessment: one audit row for both.
  assert.equal(updates.length, 6)
  assert.ok(updates.every((u) => u.person_id === person.id))
})

const transitionCases = [
  { from: 'proposed', to: 'assessed-suitable', roles: ['clinician', 'hub_manager'] },
  { from: 'proposed', to: 'assessed-unsuitable', roles: ['clinician', 'hub_manager'] },
  { from: 'assessed-suitable', to: 'made', roles: ['probation_practitioner'] },
  { from: 'assessed-suitable', to: 'assessed-unsuitable', roles: ['clinician', 'hub_manager'] },
  { from: 'assessed-unsuitable', to: 'assessed-suitable', roles: ['clinician', 'hub_manager'] },
  { from: 'made', to: 'started', roles: ['probation_practitioner'] },
  { from: 'started', to: 'completed', roles: ['probation_practitioner'] },
  { from: 'started', to: 'breached', roles: ['probation_practitioner'] },
  { from: 'breached', to: 'started', roles: ['probation_practitioner'] },
] as const

for (const c of transitionCases) {
  test(`${c.from} → ${c.to} is recorded only by ${c.roles.join(' and ')} (others 403)`, async (t) => {
    const { db, site, clinician, manager, practitioner } = await setup(t)
    for (const [role, who] of [
      ['clinician', clinician],
      ['hub_manager', manager],
      ['probation_practitioner', practitioner],
    ] as const) {
      const person = await givenPerson(db, site)
      const referral = await givenTreatmentReferral(db, person, clinician.user)
      const requirement = await givenTreatmentRequirement(db, person, clinician.user, {
        status: c.from,
        referralId: referral.id,
      })
      const response = await who.call('POST', transitionsUrl(requirement.id), {
        to: c.to,
        at: '2026-11-19',
        reason: 'Reason given',
      })
      const row = await requirementRow(db, requirement.id)
      if ((c.roles as readonly string[]).includes(role)) {
        assert.equal(response.statusCode, 200, `${role}: ${response.body}`)
        assert.deepEqual([row.status, row.status_on, row.version], [c.to, '2026-11-19', 2])
        assert.equal(await eventCount(db, requirement.id), 2)
      } else {
        assert.equal(response.statusCode, 403, `${role}: ${response.body}`)
        assert.match(json<Problem>(response).detail, /is recorded by/)
        assert.deepEqual([row.status, row.version], [c.from, 1])
        assert.equal(await eventCount(db, requirement.id), 1)
      }
    }
  })
}

test('a change the lifecycle does not allow is 409 naming the allowed ones', async (t) => {
  const { db, person, clinician, practitioner } = await setup(t)
  const proposed = await givenTreatmentRequirement(db, person, clinician.user, { kind: 'mhtr' })
  const skip = await clinician.call('POST', transitionsUrl(proposed.id), { to: 'completed' })
  assert.equal(skip.statusCode, 409)
  assert.equal(skip.headers['content-type'], 'application/problem+json; charset=utf-8')
  const problem = json<Problem>(skip)
  assert.equal(problem.code, 'transition-not-allowed')
  assert.equal(problem.currentStatus, 'proposed')
  assert.deepEqual(problem.allowedTransitions, ['assessed-suitable', 'assessed-unsuitable'])
  assert.match(problem.detail, /assessed-suitable .*assessed-unsuitable/)
  const courtTooEarly = await practitioner.call('POST', transitionsUrl(proposed.id), { to: 'made' })
  assert.equal(courtTooEarly.statusCode, 409)
  assert.deepEqual(json<Problem>(courtTooEarly).allowedTransitions, [])
  const referral = await givenTreatmentReferral(db, person, clinician.user)
  const completed = await givenTreatmentRequirement(db, person, clinician.user, {
    kind: 'atr',
    status: 'completed',
    referralId: referral.id,
  })
  const reopen = await practitioner.call('POST', transitionsUrl(completed.id), { to: 'started' })
  assert.equal(reopen.statusCode, 409)
  assert.deepEqual(json<Problem>(reopen).allowedTransitions, [])
  assert.match(json<Problem>(reopen).detail, /cannot change status/)
  const breachedToCompleted = await givenTreatmentRequirement(db, person, clinician.user, {
    kind: 'drr',
    status: 'breached',
    referralId: referral.id,
  })
  const closed = await practitioner.call('POST', transitionsUrl(breachedToCompleted.id), { to: 'completed' })
  assert.equal(closed.statusCode, 409)
  assert.deepEqual(json<Problem>(closed).allowedTransitions, ['started'])
  assert.equal((await requirementRow(db, breachedToCompleted.id)).status, 'breached')
})

test('treatment cannot start without a linked referral (422 naming referralId); nothing is saved', async (t) => {
  const { db, person, clinician, practitioner } = await setup(t)
  const made = await givenTreatmentRequirement(db, person, clinician.user, { status: 'made' })
  const response = await practitioner.call('POST', transitionsUrl(made.id), { to: 'started', at: '2026-11-19' })
  assert.equal(response.statusCode, 422)
  const problem = json<Problem>(response)
  assert.equal(problem.code, 'referral-needed')
  assert.deepEqual(
    problem.errors?.map((e) => e.field),
    ['referralId'],
  )
  assert.match(JSON.stringify(problem.errors), /Link the treatment referral/)
  assert.deepEqual([(await requirementRow(db, made.id)).status, await eventCount(db, made.id)], ['made', 1])
  // A practitioner may not link one themselves in the same request.
  const referral = await givenTreatmentReferral(db, person, clinician.user)
  const linking = await practitioner.call('POST', transitionsUrl(made.id), { to: 'started', referralId: referral.id })
  assert.equal(linking.statusCode, 403)
})

test('a referral of another person cannot be linked (PATCH or with a transition); nothing is saved', async (t) => {
  const { db, site, person, clinician } = await setup(t)
  const someoneElse = await givenPerson(db, site)
  const theirs = await givenTreatmentReferral(db, someoneElse, clinician.user)
  const requirement = await givenTreatmentRequirement(db, person, clinician.user)
  const patch = await clinician.call('PATCH', url(requirement.id), { referralId: theirs.id }, { 'if-match': 'W/"1"' })
  assert.equal(patch.statusCode, 422)
  assert.deepEqual(
    json<Problem>(patch).errors?.map((e) => e.field),
    ['referralId'],
  )
  const withTransition = await clinician.call('POST', transitionsUrl(requirement.id), {
    to: 'assessed-suitable',
    at: '2026-11-19',
    referralId: theirs.id,
  })
  assert.equal(withTransition.statusCode, 422)
  const unknown = await clinician.call(
    'PATCH',
    url(requirement.id),
    { referralId: '00000000-0000-4000-8000-000000000000' },
    { 'if-match': 'W/"1"' },
  )
  assert.equal(unknown.statusCode, 422)
  const row = await requirementRow(db, requirement.id)
  assert.deepEqual([row.referral_id, row.status, row.version], [null, 'proposed', 1])
  assert.equal(await eventCount(db, requirement.id), 1)
})

test('PATCH links a referral of any state with If-Match: 428 without, 412 when stale; unlinking is refused once started', async (t) => {
  const { db, person, clinician, manager, practitioner } = await setup(t)
  const closedReferral = await givenTreatmentReferral(db, person, clinician.user, { status: 'completed' })
  const requirement = await givenTreatmentRequirement(db, person, clinician.user)
  const body = { referralId: closedReferral.id }
  assert.equal((await clinician.call('PATCH', url(requirement.id), body)).statusCode, 428)
  assert.equal((await clinician.call('PATCH', url(requirement.id), body, { 'if-match': '*' })).statusCode, 428)
  assert.equal((await practitioner.call('PATCH', url(requirement.id), body, { 'if-match': 'W/"1"' })).statusCode, 403)
  const linked = await manager.call('PATCH', url(requirement.id), body, { 'if-match': 'W/"1"' })
  assert.equal(linked.statusCode, 200, linked.body)
  assert.equal(linked.headers.etag, 'W/"2"')
  assert.equal(json<Requirement>(linked).referral?.id, closedReferral.id)
  const stale = await clinician.call('PATCH', url(requirement.id), { referralId: null }, { 'if-match': 'W/"1"' })
  assert.equal(stale.statusCode, 412)
  assert.equal((await requirementRow(db, requirement.id)).referral_id, closedReferral.id)
  const started = await givenTreatmentRequirement(db, person, clinician.user, {
    kind: 'atr',
    status: 'started',
    referralId: closedReferral.id,
  })
  const unlink = await clinician.call('PATCH', url(started.id), { referralId: null }, { 'if-match': 'W/"1"' })
  assert.equal(unlink.statusCode, 422)
  assert.equal((await requirementRow(db, started.id)).referral_id, closedReferral.id)
  const stalePost = await clinician.call(
    'POST',
    transitionsUrl(requirement.id),
    { to: 'assessed-suitable' },
    { 'if-match': 'W/"1"' },
  )
  assert.equal(stalePost.statusCode, 412)
})

test('one open requirement of each kind: a duplicate is 409; a closed one does not count; reopening is refused', async (t) => {
  const { db, person, clinician, practitioner } = await setup(t)
  const propose = { proposedOn: '2026-11-18' }
  const first = json<Requirement>(await clinician.call('POST', listUrl(person.id), { kind: 'mhtr', ...propose }))
  const again = await practitioner.call('POST', listUrl(person.id), { kind: 'mhtr', ...propose })
  assert.equal(again.statusCode, 409)
  const problem = json<Problem>(again)
  assert.equal(problem.code, 'open-requirement-exists')
  assert.equal(problem.existingId, first.id)
  assert.deepEqual(
    problem.errors?.map((e) => e.field),
    ['kind'],
  )
  assert.equal((await practitioner.call('POST', listUrl(person.id), { kind: 'atr', ...propose })).statusCode, 201)
  const unsuitable = await clinician.call('POST', transitionsUrl(first.id), {
    to: 'assessed-unsuitable',
    at: '2026-11-19',
    reason: 'Needs are better met by secondary care',
  })
  assert.equal(unsuitable.statusCode, 200)
  const second = await clinician.call('POST', listUrl(person.id), { kind: 'mhtr', ...propose })
  assert.equal(second.statusCode, 201)
  const reassess = await clinician.call('POST', transitionsUrl(first.id), {
    to: 'assessed-suitable',
    at: '2026-11-20',
    reason: 'Reassessed',
  })
  assert.equal(reassess.statusCode, 409)
  assert.equal(json<Problem>(reassess).existingId, json<Requirement>(second).id)
  assert.equal((await requirementRow(db, first.id)).status, 'assessed-unsuitable')
  const rows = await db.selectFrom('treatment_requirement').select('id').execute()
  assert.equal(rows.length, 3)
})

test('reassessing an unsuitable requirement as suitable needs a reason', async (t) => {
  const { db, person, clinician } = await setup(t)
  const requirement = await givenTreatmentRequirement(db, person, clinician.user, { status: 'assessed-unsuitable' })
  const blank = await clinician.call('POST', transitionsUrl(requirement.id), {
    to: 'assessed-suitable',
    at: '2026-11-19',
    reason: ' ',
  })
  assert.equal(blank.statusCode, 400)
  assert.deepEqual(
    json<Problem>(blank).errors?.map((e) => e.field),
    ['reason'],
  )
  const ok = await clinician.call('POST', transitionsUrl(requirement.id), {
    to: 'assessed-suitable',
    at: '2026-11-19',
    reason: 'Engaging with the service now',
  })
  assert.equal(ok.statusCode, 200)
})

test('dates: not in the future, not before the last change, real; proposals need someone aged 18 or over', async (t) => {
  const { db, site, person, clinician } = await setup(t)
  const requirement = await givenTreatmentRequirement(db, person, clinician.user, { status: 'proposed' })
  const field = async (body: Record<string, unknown>) => {
    const response = await clinician.call('POST', transitionsUrl(requirement.id), body)
    assert.equal(response.statusCode, 400, response.body)
    return json<Problem>(response).errors?.map((e) => `${e.field}: ${e.message}`)
  }
  assert.deepEqual(await field({ to: 'assessed-suitable', at: '2026-11-21' }), [
    'at: The date it happened must be today or in the past',
  ])
  assert.deepEqual(await field({ to: 'assessed-suitable', at: '2026-10-31' }), [
    'at: The date it happened must be on or after 1 November 2026, the date of the last change',
  ])
  assert.deepEqual(await field({ to: 'assessed-suitable', at: '2026-02-30' }), [
    'at: Enter the date it happened as a real date, YYYY-MM-DD',
  ])
  assert.equal(
    (await clinician.call('POST', transitionsUrl(requirement.id), { to: 'assessed-suitable', at: '2026-11-01' }))
      .statusCode,
    200,
  )
  const young = await givenPerson(db, site, { date_of_birth: '2008-11-21' })
  const under = await clinician.call('POST', listUrl(young.id), { kind: 'atr', proposedOn: '2026-11-20' })
  assert.equal(under.statusCode, 400)
  assert.match(json<Problem>(under).errors?.[0]?.message ?? '', /aged 18 or over/)
  const eighteenToday = await givenPerson(db, site, { date_of_birth: '2008-11-20' })
  assert.equal(
    (await clinician.call('POST', listUrl(eighteenToday.id), { kind: 'atr', proposedOn: '2026-11-20' })).statusCode,
    201,
  )
  const future = await clinician.call('POST', listUrl(person.id), { kind: 'atr', proposedOn: '2026-11-21' })
  assert.equal(future.statusCode, 400)
  assert.deepEqual(
    json<Problem>(future).errors?.map((e) => e.field),
    ['proposedOn'],
  )
})

test('a blank or missing date is refused with “Enter the date …”, not taken as today; nothing is saved', async (t) => {
  const { db, person, clinician, practitioner } = await setup(t)
  const requirement = await givenTreatmentRequirement(db, person, clinician.user, { status: 'proposed' })
  for (const body of [
    { to: 'assessed-suitable' },
    { to: 'assessed-suitable', at: '' },
    { to: 'assessed-suitable', at: '   ' },
  ]) {
    const response = await clinician.call('POST', transitionsUrl(requirement.id), body)
    assert.equal(response.statusCode, 400, `${JSON.stringify(body)}: ${response.body}`)
    assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8')
    assert.deepEqual(
      json<Problem>(response).errors?.map((e) => `${e.field}: ${e.message}`),
      ['at: Enter the date it happened'],
    )
  }
  // With a reason required and missing too, both are named at once.
  const both = await clinician.call('POST', transitionsUrl(requirement.id), { to: 'assessed-unsuitable' })
  assert.deepEqual(
    json<Problem>(both).errors?.map((e) => e.field),
    ['at', 'reason'],
  )
  const row = await requirementRow(db, requirement.id)
  assert.deepEqual([row.status, row.assessed_on, row.version], ['proposed', null, 1])
  assert.equal(await eventCount(db, requirement.id), 1)

  for (const body of [{ kind: 'drr' }, { kind: 'drr', proposedOn: '' }, { kind: 'drr', proposedOn: ' ' }]) {
    const response = await practitioner.call('POST', listUrl(person.id), body)
    assert.equal(response.statusCode, 400, `${JSON.stringify(body)}: ${response.body}`)
    assert.deepEqual(
      json<Problem>(response).errors?.map((e) => `${e.field}: ${e.message}`),
      ['proposedOn: Enter the date it was proposed'],
    )
  }
  assert.equal((await db.selectFrom('treatment_requirement').select('id').execute()).length, 1)
})

test('each stage’s date is on or after the previous stage’s and not in the future; nothing is saved when it is not', async (t) => {
  const { db, person, clinician, practitioner } = await setup(t)
  const referral = await givenTreatmentReferral(db, person, clinician.user, { status: 'accepted' })
  const { id } = json<Requirement>(
    await practitioner.call('POST', listUrl(person.id), { kind: 'drr', proposedOn: '2026-11-02' }),
  )
  const refused = async (who: typeof clinician, body: Record<string, unknown>, message: string) => {
    const before = await requirementRow(db, id)
    const events = await eventCount(db, id)
    const response = await who.call('POST', transitionsUrl(id), body)
    assert.equal(response.statusCode, 400, response.body)
    assert.deepEqual(
      json<Problem>(response).errors?.map((e) => `${e.field}: ${e.message}`),
      [`at: ${message}`],
    )
    const after = await requirementRow(db, id)
    assert.deepEqual([after.status, after.status_on, after.version], [before.status, before.status_on, before.version])
    assert.equal(await eventCount(db, id), events)
  }
  const accept = async (who: typeof clinician, body: Record<string, unknown>) => {
    const response = await who.call('POST', transitionsUrl(id), body)
    assert.equal(response.statusCode, 200, response.body)
    return json<Requirement>(response)
  }
  const earlier = (date: string) => `The date it happened must be on or after ${date}, the date of the last change`
  await refused(clinician, { to: 'assessed-suitable', at: '2026-11-01' }, earlier('2 November 2026'))
  await accept(clinician, { to: 'assessed-suitable', at: '2026-11-05', referralId: referral.id })
  await refused(practitioner, { to: 'made', at: '2026-11-04' }, earlier('5 November 2026'))
  await refused(practitioner, { to: 'made', at: '2026-11-21' }, 'The date it happened must be today or in the past')
  await accept(practitioner, { to: 'made', at: '2026-11-10' })
  await refused(practitioner, { to: 'started', at: '2026-11-09' }, earlier('10 November 2026'))
  const started = await accept(practitioner, { to: 'started', at: '2026-11-10' })
  assert.equal(started.startedOn, '2026-11-10', 'the same day as the previous stage is allowed')
  await refused(
    practitioner,
    { to: 'breached', at: '2026-11-09', reason: 'Missed testing' },
    earlier('10 November 2026'),
  )
  await accept(practitioner, { to: 'breached', at: '2026-11-15', reason: 'Missed testing' })
  await refused(
    practitioner,
    { to: 'started', at: '2026-11-14', reason: 'Court allowed it to continue' },
    earlier('15 November 2026'),
  )
  await accept(practitioner, { to: 'started', at: '2026-11-18', reason: 'Court allowed it to continue' })
  await refused(practitioner, { to: 'completed', at: '2026-11-17' }, earlier('18 November 2026'))
  const done = await accept(practitioner, { to: 'completed', at: '2026-11-20' })
  assert.deepEqual(
    [done.proposedOn, done.assessedOn, done.madeOn, done.startedOn, done.endedOn],
    ['2026-11-02', '2026-11-05', '2026-11-10', '2026-11-10', '2026-11-20'],
  )
})

test('bad input is 400 problem+json naming the field', async (t) => {
  const { db, person, clinician } = await setup(t)
  const fields = async (response: Awaited<ReturnType<typeof clinician.call>>) => {
    assert.equal(response.statusCode, 400, response.body)
    return json<Problem>(response).errors?.map((e) => e.field)
  }
  assert.deepEqual(
    await fields(await clinician.call('POST', listUrl(person.id), { kind: 'xyz', proposedOn: '2026-11-18' })),
    ['kind'],
  )
  assert.deepEqual(await fields(await clinician.call('POST', listUrl(person.id), {})), ['kind'])
  // A kind outside the vocabulary is refused by the schema; with a known kind, a blank date is named.
  assert.deepEqual(await fields(await clinician.call('POST', listUrl(person.id), { kind: ' ' })), ['kind'])
  assert.deepEqual(await fields(await clinician.call('POST', listUrl(person.id), { kind: 'drr' })), ['proposedOn'])
  assert.deepEqual(await fields(await clinician.call('POST', listUrl(person.id), { kind: 'drr', colour: 'x' })), [
    'colour',
  ])
  const requirement = await givenTreatmentRequirement(db, person, clinician.user)
  assert.deepEqual(
    await fields(await clinician.call('POST', transitionsUrl(requirement.id), { to: 'finished', at: '2026-11-19' })),
    ['to'],
  )
  assert.deepEqual(await fields(await clinician.call('POST', transitionsUrl(requirement.id), { to: '' })), ['to'])
  assert.deepEqual(
    await fields(await clinician.call('POST', transitionsUrl(requirement.id), { to: 'assessed-suitable' })),
    ['at'],
  )
  assert.deepEqual(
    await fields(await clinician.call('PATCH', url(requirement.id), { referralId: '' }, { 'if-match': 'W/"1"' })),
    ['referralId'],
  )
  assert.equal(
    await db
      .selectFrom('treatment_requirement')
      .select('id')
      .where('person_id', '=', person.id)
      .execute()
      .then((r) => r.length),
    1,
  )
})

for (const role of ['partner', 'analyst', 'admin', 'auditor'] as const) {
  test(`the ${role} role is refused every treatment requirement route (403)`, async (t) => {
    const { db, person, staff, clinician } = await setup(t)
    const requirement = await givenTreatmentRequirement(db, person, clinician.user)
    const { call } = await staff(role)
    assert.equal((await call('GET', listUrl(person.id))).statusCode, 403)
    assert.equal((await call('POST', listUrl(person.id), { kind: 'atr' })).statusCode, 403)
    assert.equal((await call('GET', url(requirement.id))).statusCode, 403)
    assert.equal((await call('POST', transitionsUrl(requirement.id), { to: 'assessed-suitable' })).statusCode, 403)
    assert.equal(
      (await call('PATCH', url(requirement.id), { referralId: null }, { 'if-match': 'W/"1"' })).statusCode,
      403,
    )
    assert.equal((await db.selectFrom('treatment_requirement').select('id').execute()).length, 1)
  })
}

test('another site’s person and requirement are 403; unknown ids are 404', async (t) => {
  const { db, clinician } = await setup(t)
  const elsewhere = await givenSite(db)
  const theirPerson = await givenPerson(db, elsewhere)
  const theirs = await givenTreatmentRequirement(db, theirPerson, clinician.user)
  assert.equal((await clinician.call('GET', listUrl(theirPerson.id))).statusCode, 403)
  assert.equal((await clinician.call('POST', listUrl(theirPerson.id), { kind: 'atr' })).statusCode, 403)
  assert.equal((await clinician.call('GET', url(theirs.id))).statusCode, 403)
  assert.equal((await clinician.call('POST', transitionsUrl(theirs.id), { to: 'assessed-suitable' })).statusCode, 403)
  assert.equal(
    (await clinician.call('PATCH', url(theirs.id), { referralId: null }, { 'if-match': 'W/"1"' })).statusCode,
    403,
  )
  assert.equal((await requirementRow(db, theirs.id)).status, 'proposed')
  const unknown = '00000000-0000-4000-8000-000000000000'
  assert.equal((await clinician.call('GET', url(unknown))).statusCode, 404)
  assert.equal((await clinician.call('GET', url('not-a-uuid'))).statusCode, 404)
  assert.equal((await clinician.call('GET', listUrl(unknown))).statusCode, 404)
  assert.equal((await clinician.call('POST', transitionsUrl(unknown), { to: 'made' })).statusCode, 404)
})

test('suggests referrals whose need matches the kind, for the health team only', async (t) => {
  const { db, person, clinician, practitioner } = await setup(t)
  const drugs = await givenTreatmentReferral(db, person, clinician.user, {
    category: 'drugs',
    serviceName: 'Drug service',
  })
  const alcohol = await givenTreatmentReferral(db, person, clinician.user, {
    category: 'alcohol',
    serviceName: 'Alcohol service',
  })
  const requirement = await givenTreatmentRequirement(db, person, clinician.user, { kind: 'atr' })
  const seen = json<Requirement>(await clinician.call('GET', url(requirement.id)))
  assert.deepEqual(
    seen.suggestedReferrals.map((r) => [r.id, r.suggested, r.needCategory]),
    [
      [alcohol.id, true, 'alcohol'],
      [drugs.id, false, 'drugs'],
    ],
  )
  assert.deepEqual(json<Requirement>(await practitioner.call('GET', url(requirement.id))).suggestedReferrals, [])
})

test('a practitioner sees the linked referral’s service and status only with consent, never its need or an assessment’s reason', async (t) => {
  const { db, person, clinician, practitioner } = await setup(t)
  const referral = await givenTreatmentReferral(db, person, clinician.user, {
    category: 'mental-health',
    status: 'first-appointment-booked',
    serviceName: 'Primary care MHTR service',
    reason: 'Low mood and anxiety',
  })
  const requirement = await givenTreatmentRequirement(db, person, clinician.user, { kind: 'mhtr' })
  const move = await clinician.call('POST', transitionsUrl(requirement.id), {
    to: 'assessed-suitable',
    at: '2026-11-19',
    reason: 'Moderate depression; suitable for primary care',
    referralId: referral.id,
  })
  assert.equal(move.statusCode, 200)
  const withoutConsent = await practitioner.call('GET', url(requirement.id))
  const hidden = json<Requirement>(withoutConsent)
  assert.deepEqual([hidden.referralLinked, hidden.referral], [true, null])
  const assessment = hidden.events.find((e) => e.to === 'assessed-suitable' && e.kind === 'transition')
  assert.deepEqual([assessment?.reason, assessment?.reasonHidden], [null, true])
  assert.ok(hidden.events.every((e) => e.referralId === null))
  assert.doesNotMatch(withoutConsent.body, /depression|Low mood|mental-health|Primary care MHTR service/)
  const listed = json<{ requirements: Requirement[] }>(await practitioner.call('GET', listUrl(person.id)))
  assert.deepEqual(
    listed.requirements.map((r) => [r.referralLinked, r.referral]),
    [[true, null]],
  )
  await givenConsent(db, person, clinician.user)
  const withConsent = await practitioner.call('GET', url(requirement.id))
  const shown = json<Requirement>(withConsent)
  assert.deepEqual(
    [shown.referral?.serviceName, shown.referral?.statusText, shown.referral?.needCategory],
    ['Primary care MHTR service', 'First appointment booked', null],
  )
  assert.doesNotMatch(withConsent.body, /depression|Low mood|mental-health/)
  const asClinician = json<Requirement>(await clinician.call('GET', url(requirement.id)))
  assert.equal(asClinician.referral?.needCategory, 'mental-health')
  assert.equal(
    asClinician.events.find((e) => e.to === 'assessed-suitable' && e.kind === 'transition')?.reason,
    'Moderate depression; suitable for primary care',
  )
})

test('a session-cookie API write needs the CSRF token (403 without it, nothing saved)', async (t) => {
  const { app, db, person, site } = await setup(t)
  const user: GivenStaff = await givenStaff(db, 'clinician', { sites: [site] })
  const browser = await signedInBrowser(app, user.email, user.password)
  const refused = await browser.post(listUrl(person.id), { kind: 'drr', proposedOn: '2026-11-20' }, { csrf: false })
  assert.equal(refused.statusCode, 403)
  assert.equal(await db.selectFrom('treatment_requirement').select('id').executeTakeFirst(), undefined)
  // The same session with the token may propose (here through the page's form).
  await browser.get(`/people/${person.id}/treatment-requirements/new`)
  const accepted = await browser.post(`/people/${person.id}/treatment-requirements/new`, {
    kind: 'drr',
    'proposedOn-day': '20',
    'proposedOn-month': '11',
    'proposedOn-year': '2026',
  })
  assert.equal(accepted.statusCode, 302, accepted.body)
})

test('the changelog is append-only in the database', async (t) => {
  const { db, person, clinician } = await setup(t)
  const requirement = await givenTreatmentRequirement(db, person, clinician.user)
  await assert.rejects(
    db
      .updateTable('treatment_requirement_event')
      .set({ reason: 'changed' })
      .where('requirement_id', '=', requirement.id)
      .execute(),
    /append-only/,
  )
  await assert.rejects(
    db.deleteFrom('treatment_requirement_event').where('requirement_id', '=', requirement.id).execute(),
    /append-only/,
  )
})
