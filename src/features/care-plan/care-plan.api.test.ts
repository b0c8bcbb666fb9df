import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { buildTestApp, json } from '../../../test/support/test-app.ts'
import {
  givenApiToken,
  givenAppointment,
  givenConsent,
  givenNeed,
  givenPerson,
  givenReferral,
  givenService,
  givenSite,
  givenStaff,
} from '../../../test/support/builders.ts'
import type { StaffRole } from '../../platform/http/roles.ts'

interface Problem {
  status: number
  detail: string
  errors?: { field: string; message: string }[]
}
interface Action {
  id: string
  description: string
  owner: string
  ownerName: string | null
  dueOn: string | null
  status: string
  link: { kind: string; id: string | null; label: string | null } | null
  version: number
  etag: string
}
interface Goal {
  id: string
  inOwnWords: string
  includeInPrint: boolean
  latestOutcome: { outcome: string; reviewedOn: string } | null
  actions: Action[]
  etag: string
}
interface Plan {
  personId: string
  planId: string | null
  etag: string
  printChoices: Record<string, boolean>
  goals: Goal[]
  reviews: {
    reviewedOn: string
    appointmentId: string | null
    notes: string | null
    outcomes: { goalId: string; outcome: string }[]
  }[]
  agreement: { decision: string; comments: string | null; decidedOn: string } | null
  agreements: { decision: string }[]
  history: { entity: string; entityId: string; version: number; snapshot: Record<string, unknown> }[]
}

type Method = 'GET' | 'POST' | 'PUT'

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
  const { app, database, clock } = await buildTestApp(t)
  const db = database.db
  const site = await givenSite(db)
  const person = await givenPerson(db, site, { given_name: 'Sam', family_name: 'Taylor' })
  const clinician = await givenStaff(db, 'clinician', { sites: [site], name: 'Casey Clinician' })
  const token = (await givenApiToken(db, clinician, { clock })).token
  const as = async (role: StaffRole, sites = [site]) => {
    const user = await givenStaff(db, role, { sites })
    return caller(app, (await givenApiToken(db, user, { clock })).token)
  }
  return {
    app,
    db,
    site,
    person,
    clinician,
    call: caller(app, token),
    as,
    base: `/api/v1/people/${person.id}/care-plan`,
  }
}

const action = (overrides: Record<string, unknown> = {}) => ({
  description: 'Book a GP appointment about sleep',
  owner: 'person',
  dueOn: '2026-12-01',
  ...overrides,
})

test('an empty plan reads as W/"0"; a goal, an action, a review and an agreement are added and read back with history', async (t) => {
  const { db, call, base, person, clinician } = await setup(t)
  const empty = await call('GET', base)
  assert.equal(empty.statusCode, 200)
  assert.equal(empty.headers.etag, 'W/"0"')
  assert.deepEqual(json<Plan>(empty).goals, [])

  const added = await call('POST', `${base}/goals`, { inOwnWords: '  I want to sleep better  ' })
  assert.equal(added.statusCode, 201)
  const plan = json<Plan>(added)
  const goal = plan.goals[0]
  assert.ok(goal)
  assert.equal(goal.inOwnWords, 'I want to sleep better')
  assert.equal(added.headers.location, `${base}/goals/${goal.id}`)

  const need = await givenNeed(db, { id: person.id, site_id: person.site_id }, clinician)
  const withAction = await call(
    'POST',
    `${base}/goals/${goal.id}/actions`,
    action({ link: { kind: 'need', id: need.id } }),
  )
  assert.equal(withAction.statusCode, 201, withAction.body)
  const saved = json<Plan>(withAction).goals[0]?.actions[0]
  assert.ok(saved?.link)
  assert.equal(saved.status, 'to-do')
  assert.equal(saved.link.kind, 'need')
  assert.equal(saved.link.id, need.id)
  assert.match(saved.link.label ?? '', /Mental health need/)

  const appointment = await givenAppointment(db, {
    person: { id: person.id, site_id: person.site_id },
    clinician,
    startsAt: '2026-11-19T10:00:00Z',
  })
  const reviewed = await call('POST', `${base}/reviews`, {
    reviewedOn: '2026-11-19',
    appointmentId: appointment.id,
    notes: 'Sleeping a little better',
    outcomes: [{ goalId: goal.id, outcome: 'progressing' }],
  })
  assert.equal(reviewed.statusCode, 201, reviewed.body)
  const agreed = await call('POST', `${base}/agreements`, {
    decision: 'agreed-in-part',
    comments: 'Not the GP part yet',
    decidedOn: '2026-11-20',
  })
  assert.equal(agreed.statusCode, 201, agreed.body)
  const final = json<Plan>(await call('GET', base))
  assert.deepEqual(final.goals[0]?.latestOutcome, { outcome: 'progressing', reviewedOn: '2026-11-19' })
  assert.equal(final.reviews[0]?.appointmentId, appointment.id)
  assert.deepEqual(final.agreement, {
    ...final.agreement,
    decision: 'agreed-in-part',
    comments: 'Not the GP part yet',
    decidedOn: '2026-11-20',
  })
  assert.deepEqual(
    final.history.map((h) => h.entity),
    ['goal', 'action', 'review', 'agreement'],
  )
  const audits = await db
    .selectFrom('audit_event')
    .select(['action', 'entity_type', 'person_id'])
    .where('entity_type', '=', 'care_plan')
    .execute()
  assert.ok(audits.some((a) => a.action === 'view' && a.person_id === person.id))
  assert.equal(audits.filter((a) => a.action === 'create').length, 4)
})

test('edits keep every earlier version in history; PUT needs If-Match (428) and a current one (412)', async (t) => {
  const { db, call, base } = await setup(t)
  const goal = json<Plan>(await call('POST', `${base}/goals`, { inOwnWords: 'Drink less' })).goals[0]
  assert.ok(goal)
  assert.equal(
    (await call('PUT', `${base}/goals/${goal.id}`, { inOwnWords: 'Drink less at weekends' })).statusCode,
    428,
  )
  const changed = await call(
    'PUT',
    `${base}/goals/${goal.id}`,
    { inOwnWords: 'Drink less at weekends' },
    { 'if-match': goal.etag },
  )
  assert.equal(changed.statusCode, 200, changed.body)
  assert.equal(
    (await call('PUT', `${base}/goals/${goal.id}`, { inOwnWords: 'Again' }, { 'if-match': goal.etag })).statusCode,
    412,
  )

  const withAction = json<Plan>(await call('POST', `${base}/goals/${goal.id}/actions`, action()))
  const first = withAction.goals[0]?.actions[0]
  assert.ok(first)
  const done = await call('PUT', `${base}/actions/${first.id}`, action({ status: 'done' }), { 'if-match': first.etag })
  assert.equal(done.statusCode, 200, done.body)
  const plan = json<Plan>(await call('GET', base))
  assert.equal(plan.goals[0]?.inOwnWords, 'Drink less at weekends')
  const [firstGoal] = plan.goals
  assert.ok(firstGoal)
  assert.equal(firstGoal.actions.map((a) => a.status).join(), 'done')
  const goalHistory = plan.history.filter((h) => h.entity === 'goal').map((h) => h.snapshot['inOwnWords'])
  assert.deepEqual(goalHistory, ['Drink less', 'Drink less at weekends'])
  const actionHistory = plan.history.filter((h) => h.entity === 'action').map((h) => h.snapshot['status'])
  assert.deepEqual(actionHistory, ['to-do', 'done'])
  const rows = await db.selectFrom('care_plan_history').select('id').execute()
  assert.equal(rows.length, 4)
  await assert.rejects(db.deleteFrom('care_plan_history').execute(), /append-only/)
})

test('bad input is a 400 problem naming each field', async (t) => {
  const { db, call, base, site, clinician } = await setup(t)
  const blank = await call('POST', `${base}/goals`, { inOwnWords: '   ' })
  assert.equal(blank.statusCode, 400)
  assert.match(blank.headers['content-type'] ?? '', /application\/problem\+json/)
  assert.deepEqual(json<Problem>(blank).errors, [
    { field: 'inOwnWords', message: 'Enter the goal in the person’s own words' },
  ])
  const goal = json<Plan>(await call('POST', `${base}/goals`, { inOwnWords: 'Find a dentist' })).goals[0]
  assert.ok(goal)
  const bad = await call('POST', `${base}/goals/${goal.id}/actions`, {
    description: '',
    owner: 'somebody',
    dueOn: '2026-02-30',
    status: 'maybe',
  })
  assert.equal(bad.statusCode, 400)
  assert.deepEqual(
    json<Problem>(bad).errors?.map((e) => e.field),
    ['description', 'owner', 'dueOn', 'status'],
  )
  const other = await givenPerson(db, site)
  const otherNeed = await givenNeed(db, { id: other.id, site_id: site.id }, clinician)
  const wrongLink = await call(
    'POST',
    `${base}/goals/${goal.id}/actions`,
    action({ link: { kind: 'need', id: otherNeed.id } }),
  )
  assert.equal(wrongLink.statusCode, 400)
  assert.deepEqual(json<Problem>(wrongLink).errors, [
    { field: 'link', message: 'Select one of this person’s own records to link to, or none' },
  ])
  const review = await call('POST', `${base}/reviews`, {
    reviewedOn: '2026-11-21',
    outcomes: [{ goalId: goal.id, outcome: 'done' }],
  })
  assert.deepEqual(
    json<Problem>(review).errors?.map((e) => e.field),
    ['reviewedOn', `outcome-${goal.id}`],
  )
  const agreement = await call('POST', `${base}/agreements`, { decision: 'agreed-in-part', decidedOn: '' })
  assert.deepEqual(
    json<Problem>(agreement).errors?.map((e) => e.field),
    ['comments', 'decidedOn'],
  )
  assert.equal((await db.selectFrom('care_plan_action').select('id').execute()).length, 0)
})

test('partners and analysts are refused; another site is 403; an unknown person 404', async (t) => {
  const { db, call, base, as } = await setup(t)
  for (const role of ['partner', 'analyst', 'admin', 'auditor'] as const) {
    const other = await as(role)
    assert.equal((await other('GET', base)).statusCode, 403, role)
    assert.equal((await other('POST', `${base}/goals`, { inOwnWords: 'x' })).statusCode, 403, role)
  }
  const elsewhere = await givenSite(db)
  const otherSite = await as('clinician', [elsewhere])
  assert.equal((await otherSite('GET', base)).statusCode, 403)
  assert.equal((await otherSite('POST', `${base}/goals`, { inOwnWords: 'x' })).statusCode, 403)
  assert.equal((await call('GET', '/api/v1/people/00000000-0000-4000-8000-000000000000/care-plan')).statusCode, 404)
  assert.equal((await db.selectFrom('care_plan').select('id').execute()).length, 0)
})

test('a probation practitioner reads the plan only with consent, never writes it, and never sees what an action links to', async (t) => {
  const { db, call, base, person, clinician, site, as } = await setup(t)
  const service = await givenService(db, site, { kind: 'talking-therapies', name: 'Talking Therapies North' })
  const need = await givenNeed(db, { id: person.id, site_id: site.id }, clinician)
  const referral = await givenReferral(db, {
    person: { id: person.id, site_id: site.id },
    need,
    service,
    createdBy: clinician,
  })
  const goal = json<Plan>(await call('POST', `${base}/goals`, { inOwnWords: 'Feel less low' })).goals[0]
  assert.ok(goal)
  await call('POST', `${base}/goals/${goal.id}/actions`, action({ link: { kind: 'referral', id: referral.id } }))
  const practitioner = await as('probation_practitioner')
  const refused = await practitioner('GET', base)
  assert.equal(refused.statusCode, 403)
  assert.match(json<Problem>(refused).detail, /not agreed to share/)
  await givenConsent(db, person, clinician)
  const shared = await practitioner('GET', base)
  assert.equal(shared.statusCode, 200)
  const plan = json<Plan>(shared)
  assert.deepEqual(plan.goals[0]?.actions[0]?.link, { kind: 'referral', id: null, label: null })
  assert.doesNotMatch(shared.body, new RegExp(referral.id))
  assert.doesNotMatch(shared.body, /Talking Therapies/)
  assert.equal((await practitioner('POST', `${base}/goals`, { inOwnWords: 'x' })).statusCode, 403)
  await givenConsent(db, person, clinician, { decision: 'withdrawn', recordedAt: new Date('2026-11-20T09:30:00Z') })
  assert.equal((await practitioner('GET', base)).statusCode, 403)
})

test('print choices are stored with history, need If-Match, and accept only the plan’s goals', async (t) => {
  const { call, base } = await setup(t)
  const created = await call('POST', `${base}/goals`, { inOwnWords: 'Get a dentist' })
  const goal = json<Plan>(created).goals[0]
  assert.ok(goal)
  const etag = json<Plan>(await call('GET', base)).etag
  const body = {
    sections: { appointments: true, referrals: false, gpRegistration: true, screening: false, phoneNumbers: true },
    goalIds: [goal.id],
  }
  assert.equal((await call('PUT', `${base}/print-choices`, body)).statusCode, 428)
  const unknown = await call('PUT', `${base}/print-choices`, { ...body, goalIds: ['nope'] }, { 'if-match': etag })
  assert.deepEqual(
    json<Problem>(unknown).errors?.map((e) => e.field),
    ['goals'],
  )
  const saved = await call('PUT', `${base}/print-choices`, body, { 'if-match': etag })
  assert.equal(saved.statusCode, 200, saved.body)
  const plan = json<Plan>(saved)
  assert.equal(plan.goals[0]?.includeInPrint, true)
  assert.deepEqual(plan.printChoices, body.sections)
  assert.ok(plan.history.some((h) => h.entity === 'print-choices'))
  assert.equal((await call('PUT', `${base}/print-choices`, body, { 'if-match': etag })).statusCode, 412)
})
