import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import { buildTestApp, json } from '../../../test/support/test-app.ts'
import {
  givenApiToken,
  givenAppointment,
  givenFollowUp,
  givenGpRegistration,
  givenHealthCheck,
  givenNeed,
  givenPerson,
  givenProposedNeed,
  givenReferral,
  givenService,
  givenSite,
  givenStaff,
} from '../../../test/support/builders.ts'
import type { StaffRole } from '../../platform/http/roles.ts'

interface Problem {
  status: number
  errors?: { field: string; message: string }[]
}
interface Item {
  id: string
  personId: string
  personName: string
  overdue?: boolean
  dueToday?: boolean
  href: string
  [key: string]: unknown
}
interface SectionBody {
  total: number
  siteTotal?: number
  items: Item[]
}
interface WorklistBody {
  site: { code: string; name: string }
  scope: string
  today: string
  sections: Partial<
    Record<'flags' | 'needs' | 'followUps' | 'referrals' | 'gpRegistrations' | 'screening', SectionBody>
  >
}

function caller(app: FastifyInstance, token: string) {
  return (method: 'GET' | 'POST', url: string, body?: unknown) =>
    app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    })
}

async function as(app: FastifyInstance, db: Kysely<DB>, user: { email: string }) {
  return caller(app, (await givenApiToken(db, user)).token)
}

async function worklistEvents(db: Kysely<DB>) {
  return db
    .selectFrom('audit_event')
    .select(['action', 'site_id', 'person_id', 'actor_id', 'details'])
    .where('entity_type', '=', 'worklist')
    .orderBy('id')
    .execute()
}

/** Two sites; at the first two clinicians, a practitioner and three people; one person at the other site. */
async function setup(t: TestContext, now?: string) {
  const { app, database, clock } = await buildTestApp(t, now === undefined ? {} : { now })
  const db = database.db
  const site = await givenSite(db, { name: 'Cambridge' })
  const other = await givenSite(db, { name: 'Hammersmith' })
  const me = await givenStaff(db, 'clinician', { sites: [site], name: 'Casey Clinician' })
  const colleague = await givenStaff(db, 'clinician', { sites: [site], name: 'Robin Colleague' })
  const practitioner = await givenStaff(db, 'probation_practitioner', { sites: [site], name: 'Pat Practitioner' })
  const elsewhere = await givenStaff(db, 'clinician', { sites: [other] })
  const ann = await givenPerson(db, site, { given_name: 'Ann', family_name: 'Adams' })
  const ben = await givenPerson(db, site, { given_name: 'Ben', family_name: 'Brown' })
  const cat = await givenPerson(db, site, {
    given_name: 'Cat',
    family_name: 'Clark',
    probation_practitioner_id: practitioner.id,
  })
  const zed = await givenPerson(db, other, { given_name: 'Zed', family_name: 'Zane' })
  return { app, db, clock, site, other, me, colleague, practitioner, elsewhere, ann, ben, cat, zed }
}

const ids = (section: SectionBody | undefined) => section?.items.map((i) => i.id)
const names = (section: SectionBody | undefined) => section?.items.map((i) => i.personName)

test('flags and needs: mine are from checks I ran, site is everything at the site, other sites never', async (t) => {
  const s = await setup(t)
  const mineOverdue = await givenHealthCheck(s.db, {
    person: s.ann,
    clinician: s.me,
    flag: true,
    startedAt: new Date('2026-11-19T15:00:00Z'),
  })
  const mineToday = await givenHealthCheck(s.db, {
    person: s.ben,
    clinician: s.me,
    flag: true,
    startedAt: new Date('2026-11-20T09:30:00Z'),
  })
  const theirs = await givenHealthCheck(s.db, {
    person: s.cat,
    clinician: s.colleague,
    flag: true,
    startedAt: new Date('2026-11-20T09:45:00Z'), // a later deadline than mineToday's, so the order is certain
  })
  await givenHealthCheck(s.db, { person: s.zed, clinician: s.elsewhere, flag: true })
  const responded = await givenHealthCheck(s.db, { person: s.ann, clinician: s.me, flag: true })
  await s.db
    .updateTable('warning_flag')
    .set({ status: 'responded', response_text: 'Seen', responded_by: s.me.id, responded_at: new Date() })
    .where('id', '=', responded.flagId ?? '')
    .execute()
  const myNeed = await givenProposedNeed(s.db, { person: s.ann, check: mineOverdue, identifiedOn: '2026-11-19' })
  const theirNeed = await givenProposedNeed(s.db, { person: s.cat, check: theirs, category: 'alcohol' })
  await givenNeed(s.db, s.ben, s.me, { status: 'confirmed' }) // decided: not awaiting a decision
  const zedCheck = await givenHealthCheck(s.db, { person: s.zed, clinician: s.elsewhere })
  await givenProposedNeed(s.db, { person: s.zed, check: zedCheck })

  const call = await as(s.app, s.db, s.me)
  const mine = await call('GET', `/api/v1/worklist?site=${s.site.code}&kinds=flags,needs`)
  assert.equal(mine.statusCode, 200, mine.body)
  const body = json<WorklistBody>(mine)
  assert.equal(body.scope, 'mine')
  assert.deepEqual(Object.keys(body.sections).sort(), ['flags', 'needs'])
  const flags = body.sections.flags
  assert.equal(flags?.total, 2)
  assert.equal(flags.siteTotal, 3, 'colleagues’ flags at the site are counted so none is out of sight')
  assert.deepEqual(ids(flags), [mineOverdue.flagId, mineToday.flagId])
  assert.deepEqual(
    flags.items.map((f) => [f.overdue, f.dueToday, f['dueDate']]),
    [
      [true, false, '2026-11-19'],
      [false, true, '2026-11-20'],
    ],
  )
  assert.equal(flags.items[0]?.href, `/warning-flags/${mineOverdue.flagId ?? ''}/respond`)
  assert.deepEqual(ids(body.sections.needs), [myNeed.id])
  assert.equal(body.sections.needs?.items[0]?.href, `/needs/${myNeed.id}`)

  const site = json<WorklistBody>(
    await call('GET', `/api/v1/worklist?site=${s.site.code}&scope=site&kinds=flags&kinds=needs`),
  )
  assert.equal(site.sections.flags?.total, 3)
  assert.equal(site.sections.flags.siteTotal, undefined)
  assert.deepEqual(ids(site.sections.flags), [mineOverdue.flagId, mineToday.flagId, theirs.flagId])
  assert.deepEqual(ids(site.sections.needs), [myNeed.id, theirNeed.id])
  assert.equal(site.sections.needs?.items[1]?.['categoryLabel'], 'Alcohol')
})

test('follow-ups: mine are assigned to me, site is the site’s open ones; overdue and due today on UK dates', async (t) => {
  const s = await setup(t)
  const appointment = await givenAppointment(s.db, {
    person: s.ann,
    clinician: s.me,
    startsAt: '2026-11-18T10:00:00Z',
  })
  const overdue = await givenFollowUp(s.db, {
    person: s.ann,
    assignedTo: s.me,
    appointment,
    dueDate: '2026-11-19',
  })
  const today = await givenFollowUp(s.db, { person: s.ben, assignedTo: s.me, dueDate: '2026-11-20' })
  const later = await givenFollowUp(s.db, { person: s.cat, assignedTo: s.me, dueDate: '2026-11-23' })
  const practitioners = await givenFollowUp(s.db, { person: s.cat, assignedTo: s.practitioner, dueDate: '2026-11-18' })
  await givenFollowUp(s.db, { person: s.ann, assignedTo: s.me, done: { by: s.me } })
  await givenFollowUp(s.db, { person: s.zed, assignedTo: s.elsewhere })
  const call = await as(s.app, s.db, s.me)
  const mine = json<WorklistBody>(await call('GET', `/api/v1/worklist?site=${s.site.code}&kinds=follow-ups`))
  const section = mine.sections.followUps
  assert.equal(section?.total, 3)
  assert.deepEqual(ids(section), [overdue.id, today.id, later.id])
  assert.deepEqual(
    section.items.map((i) => [i.overdue, i.dueToday]),
    [
      [true, false],
      [false, true],
      [false, false],
    ],
  )
  assert.equal(section.items[0]?.href, `/appointments/${appointment.id}`)
  assert.equal(section.items[1]?.href, `/people/${s.ben.id}`)
  assert.equal(section.items.at(0)?.['doneHref'], `/api/v1/follow-ups/${overdue.id}/done`)
  const site = json<WorklistBody>(await call('GET', `/api/v1/worklist?site=${s.site.code}&scope=site&kinds=follow-ups`))
  assert.deepEqual(ids(site.sections.followUps), [practitioners.id, overdue.id, today.id, later.id])
  assert.deepEqual(site.sections.followUps?.items[0]?.['assignedTo'], {
    id: s.practitioner.id,
    name: 'Pat Practitioner',
  })
})

test('UK dates: just before midnight in summer, a follow-up due that UTC day is already overdue', async (t) => {
  // 23:30 UTC on 30 June is 00:30 BST on 1 July.
  const s = await setup(t, '2026-06-30T23:30:00Z')
  const yesterday = await givenFollowUp(s.db, { person: s.ann, assignedTo: s.me, dueDate: '2026-06-30' })
  const today = await givenFollowUp(s.db, { person: s.ben, assignedTo: s.me, dueDate: '2026-07-01' })
  const service = await givenService(s.db, s.site, { kind: 'talking-therapies', name: 'Talking Therapies' })
  const referral = async (chaseOn: string) =>
    givenReferral(s.db, {
      person: s.ann,
      need: await givenNeed(s.db, s.ann, s.me, { status: 'confirmed' }),
      service,
      createdBy: s.me,
      chaseOn,
      status: 'accepted',
    })
  const lastDay = await referral('2026-07-08')
  await referral('2026-07-09')
  const call = await as(s.app, s.db, s.me)
  const body = json<WorklistBody>(await call('GET', `/api/v1/worklist?site=${s.site.code}&kinds=follow-ups,referrals`))
  assert.equal(body.today, '2026-07-01')
  assert.deepEqual(
    body.sections.followUps?.items.map((i) => [i.id, i.overdue, i.dueToday]),
    [
      [yesterday.id, true, false],
      [today.id, false, true],
    ],
  )
  assert.deepEqual(ids(body.sections.referrals), [lastDay.id], 'chase dates up to 7 days ahead (8 July), not 9 July')
})

test('referrals to chase: not final, chase date within 7 days; mine are ones I made', async (t) => {
  const s = await setup(t)
  const service = await givenService(s.db, s.site, { kind: 'drug-alcohol', name: 'Change Grow Live' })
  const otherService = await givenService(s.db, s.other, { kind: 'drug-alcohol' })
  const zedNeed = await givenNeed(s.db, s.zed, s.elsewhere, { status: 'confirmed' })
  // One need per referral: a need has one open referral to a service.
  const make = async (
    createdBy: { id: string },
    chaseOn: string | null,
    status: 'sent' | 'accepted' | 'did-not-attend' | 'completed' | 'withdrawn' = 'sent',
    urgency: 'routine' | 'urgent' = 'routine',
  ) => {
    const need = await givenNeed(s.db, s.ann, s.me, { status: 'confirmed' })
    return givenReferral(s.db, { person: s.ann, need, service, createdBy, chaseOn, status, urgency })
  }
  const overdue = await make(s.me, '2026-11-18')
  const todayRoutine = await make(s.me, '2026-11-20', 'accepted')
  const todayUrgent = await make(s.me, '2026-11-20', 'did-not-attend', 'urgent')
  const inAWeek = await make(s.me, '2026-11-27')
  await make(s.me, '2026-11-28') // 8 days ahead
  await make(s.me, '2026-11-18', 'completed') // final: nothing to chase, even with a date
  await make(s.me, '2026-11-18', 'withdrawn')
  await make(s.me, null)
  const colleagues = await make(s.colleague, '2026-11-21')
  await givenReferral(s.db, { person: s.zed, need: zedNeed, service: otherService, createdBy: s.elsewhere })
  const call = await as(s.app, s.db, s.me)
  const mine = json<WorklistBody>(await call('GET', `/api/v1/worklist?site=${s.site.code}&kinds=referrals`))
  const section = mine.sections.referrals
  assert.equal(section?.total, 4)
  assert.deepEqual(ids(section), [overdue.id, todayUrgent.id, todayRoutine.id, inAWeek.id])
  assert.deepEqual(
    section.items.map((i) => [i.overdue, i.dueToday]),
    [
      [true, false],
      [false, true],
      [false, true],
      [false, false],
    ],
  )
  assert.equal(section.items[0]?.['serviceName'], 'Change Grow Live')
  assert.equal(section.items.at(0)?.href, `/referrals/${overdue.id}`)
  const site = json<WorklistBody>(await call('GET', `/api/v1/worklist?site=${s.site.code}&scope=site&kinds=referrals`))
  assert.equal(site.sections.referrals?.total, 5)
  assert.ok(ids(site.sections.referrals)?.includes(colleagues.id))
})

test('GP registrations in progress: only people whose latest status is in progress', async (t) => {
  const s = await setup(t)
  await givenGpRegistration(s.db, s.ann, s.me, { status: 'in-progress', status_date: '2026-11-10' })
  // Ben was in progress, then registered: not listed.
  await givenGpRegistration(s.db, s.ben, s.me, {
    status: 'in-progress',
    status_date: '2026-11-01',
    recorded_at: new Date('2026-11-01T09:00:00Z'),
  })
  await givenGpRegistration(s.db, s.ben, s.me, {
    status: 'registered',
    status_date: '2026-11-15',
    practice_name: 'Hillside',
    practice_ods_code: 'Z90001',
    recorded_at: new Date('2026-11-15T09:00:00Z'),
  })
  // Cat was refused, then in progress again (recorded by a colleague; Pat is Cat's practitioner).
  await givenGpRegistration(s.db, s.cat, s.colleague, {
    status: 'refused',
    status_date: '2026-10-01',
    practice_name: 'Hillside',
    reason: 'Out of area',
    recorded_at: new Date('2026-10-01T09:00:00Z'),
  })
  await givenGpRegistration(s.db, s.cat, s.colleague, {
    status: 'in-progress',
    status_date: '2026-10-05',
    help_given: 'Helped complete GMS1 form',
    recorded_at: new Date('2026-10-05T09:00:00Z'),
  })
  await givenGpRegistration(s.db, s.zed, s.elsewhere, { status: 'in-progress' })
  const call = await as(s.app, s.db, s.me)
  const mine = json<WorklistBody>(await call('GET', `/api/v1/worklist?site=${s.site.code}&kinds=gp-registrations`))
  assert.deepEqual(names(mine.sections.gpRegistrations), ['Ann Adams'])
  assert.equal(mine.sections.gpRegistrations?.items[0]?.href, `/people/${s.ann.id}/gp-registration`)
  const site = json<WorklistBody>(
    await call('GET', `/api/v1/worklist?site=${s.site.code}&scope=site&kinds=gp-registrations`),
  )
  assert.equal(site.sections.gpRegistrations?.total, 2)
  assert.deepEqual(
    site.sections.gpRegistrations.items.map((i) => [i.personName, i['inProgressSince'], i['helpGiven']]),
    [
      ['Cat Clark', '2026-10-05', 'Helped complete GMS1 form'],
      ['Ann Adams', '2026-11-10', null],
    ],
  )
  // For the practitioner, "mine" is the people they supervise.
  const pat = await as(s.app, s.db, s.practitioner)
  const theirs = json<WorklistBody>(await pat('GET', `/api/v1/worklist?site=${s.site.code}`))
  assert.deepEqual(names(theirs.sections.gpRegistrations), ['Cat Clark'])
})

test('a probation practitioner sees only their own follow-ups, GP registrations and people released not yet seen, never clinical sections', async (t) => {
  const s = await setup(t)
  await givenHealthCheck(s.db, { person: s.ann, clinician: s.me, flag: true })
  const theirs = await givenFollowUp(s.db, { person: s.cat, assignedTo: s.practitioner })
  await givenFollowUp(s.db, { person: s.ann, assignedTo: s.me })
  const call = await as(s.app, s.db, s.practitioner)
  for (const query of [
    '',
    '&scope=site',
    '&scope=site&kinds=flags,needs,follow-ups,referrals,screening,releases-due,ost-gaps,not-engaged',
  ]) {
    const response = await call('GET', `/api/v1/worklist?site=${s.site.code}${query}`)
    assert.equal(response.statusCode, 200, response.body)
    const body = json<WorklistBody>(response)
    assert.ok(
      Object.keys(body.sections).every((k) => ['followUps', 'gpRegistrations', 'releasedNotSeen'].includes(k)),
      query,
    )
    assert.deepEqual(ids(body.sections.followUps), [theirs.id], query)
    assert.doesNotMatch(response.body, /phq|warning/i)
  }
})

for (const role of ['partner', 'analyst', 'admin', 'auditor'] as const satisfies readonly StaffRole[]) {
  test(`the ${role} role is refused the worklist API and marking follow-ups done (403)`, async (t) => {
    const s = await setup(t)
    const user = await givenStaff(s.db, role, role === 'partner' ? {} : { sites: [s.site] })
    const followUp = await givenFollowUp(s.db, { person: s.ann, assignedTo: s.me })
    const call = await as(s.app, s.db, user)
    assert.equal((await call('GET', `/api/v1/worklist?site=${s.site.code}`)).statusCode, 403)
    assert.equal((await call('POST', `/api/v1/follow-ups/${followUp.id}/done`, { note: 'Done' })).statusCode, 403)
    assert.deepEqual(await worklistEvents(s.db), [])
  })
}

test('another site is 403; an unknown site, scope, kind or limit is 400 naming the parameter', async (t) => {
  const s = await setup(t)
  const call = await as(s.app, s.db, s.me)
  const other = await call('GET', `/api/v1/worklist?site=${s.other.code}`)
  assert.equal(other.statusCode, 403)
  assert.equal(other.headers['content-type'], 'application/problem+json; charset=utf-8')
  const fields = async (query: string) => {
    const response = await call('GET', `/api/v1/worklist?${query}`)
    assert.equal(response.statusCode, 400, `${query}: ${response.body}`)
    assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8')
    return json<Problem>(response).errors?.map((e) => e.field)
  }
  assert.deepEqual(await fields('site=NOWHERE'), ['site'])
  assert.deepEqual(await fields(`site=${s.site.code}&scope=everyone`), ['scope'])
  assert.deepEqual(await fields(`site=${s.site.code}&kinds=flags,chores`), ['kinds'])
  assert.deepEqual(await fields(`site=${s.site.code}&limit=0&offset=-1`), ['limit', 'offset'])
  assert.deepEqual(await fields(`site=${s.site.code}&limit=101`), ['limit'])
  const unknown = json<Problem>(await call('GET', '/api/v1/worklist?site=NOWHERE'))
  assert.match(unknown.errors?.[0]?.message ?? '', /No site has the code NOWHERE/)
  assert.deepEqual(await worklistEvents(s.db), [], 'nothing listed, nothing audited')
  // One site: it may be left out. Several: it must be given.
  assert.equal((await call('GET', '/api/v1/worklist')).statusCode, 200)
  const both = await givenStaff(s.db, 'clinician', { sites: [s.site, s.other] })
  const bothCall = await as(s.app, s.db, both)
  const missing = await bothCall('GET', '/api/v1/worklist')
  assert.equal(missing.statusCode, 400)
  assert.deepEqual(
    json<Problem>(missing).errors?.map((e) => e.field),
    ['site'],
  )
  assert.equal((await bothCall('GET', `/api/v1/worklist?site=${s.other.code}`)).statusCode, 200)
})

test('each view is one list audit event for the site with the counts and the ids of the people shown', async (t) => {
  const s = await setup(t)
  await givenFollowUp(s.db, { person: s.ann, assignedTo: s.me })
  await givenFollowUp(s.db, { person: s.ben, assignedTo: s.me })
  const call = await as(s.app, s.db, s.me)
  assert.equal((await call('GET', `/api/v1/worklist?site=${s.site.code}&kinds=follow-ups,flags`)).statusCode, 200)
  const events = await worklistEvents(s.db)
  assert.equal(events.length, 1)
  const [event] = events
  assert.equal(event?.action, 'list')
  assert.equal(event.site_id, s.site.id)
  assert.equal(event.actor_id, s.me.id)
  assert.equal(event.person_id, null)
  assert.deepEqual(event.details['counts'], { flags: 0, followUps: 2 })
  assert.equal(event.details['scope'], 'mine')
  assert.equal(event.details['channel'], 'api')
  assert.deepEqual([...(event.details['personIds'] as string[])].sort(), [s.ann.id, s.ben.id].sort())
  assert.doesNotMatch(JSON.stringify(event.details), /Ann|Adams|Ben|Brown|[A-Z][0-9]{6}/, 'ids only: no names or CRNs')
})

test('limit and offset page each section; the total stays the whole count', async (t) => {
  const s = await setup(t)
  const made = []
  for (const day of ['2026-11-17', '2026-11-18', '2026-11-19']) {
    made.push(await givenFollowUp(s.db, { person: s.ann, assignedTo: s.me, dueDate: day }))
  }
  const call = await as(s.app, s.db, s.me)
  const page = async (query: string) =>
    json<WorklistBody>(await call('GET', `/api/v1/worklist?site=${s.site.code}&kinds=follow-ups&${query}`)).sections
      .followUps
  assert.deepEqual(await page('limit=2'), { total: 3, items: (await page('limit=2'))?.items })
  assert.deepEqual(ids(await page('limit=2')), [made[0]?.id, made[1]?.id])
  assert.deepEqual(ids(await page('limit=2&offset=2')), [made[2]?.id])
  const beyond = await page('limit=2&offset=10')
  assert.deepEqual([beyond?.total, beyond?.items], [3, []])
})

test('screening due comes from the screening feature for people with an appointment in the next 7 days', async (t) => {
  const s = await setup(t)
  const due = await givenPerson(s.db, s.site, {
    given_name: 'Dee',
    family_name: 'Dunn',
    date_of_birth: '1996-01-10',
    sex: '2',
  })
  await givenAppointment(s.db, { person: due, clinician: s.me, startsAt: '2026-11-23T10:00:00Z' })
  const farOff = await givenPerson(s.db, s.site, { date_of_birth: '1996-01-10', sex: '2' })
  await givenAppointment(s.db, { person: farOff, clinician: s.me, startsAt: '2026-12-10T10:00:00Z' })
  const call = await as(s.app, s.db, s.me)
  const response = await call('GET', `/api/v1/worklist?site=${s.site.code}&kinds=screening`)
  assert.equal(response.statusCode, 200, response.body)
  const section = json<WorklistBody>(response).sections.screening
  assert.ok(section !== undefined && section.total >= 1, response.body)
  assert.ok(
    section.items.every((i) => i.personId === due.id),
    'only people with an appointment in the next 7 days',
  )
  assert.ok(section.items.some((i) => i['programme'] === 'cervical'))
  assert.ok(section.items.every((i) => i['programme'] !== 'prostate-informed-choice'))
  assert.equal(section.items[0]?.href, `/people/${due.id}/screening`)
  assert.equal(section.items.at(0)?.['appointmentStartsAt'], '2026-11-23T10:00:00.000Z')
})

test('POST follow-up done records the note, who and when, audits it, and a second time is 409', async (t) => {
  const s = await setup(t)
  const followUp = await givenFollowUp(s.db, { person: s.ann, assignedTo: s.me })
  const call = await as(s.app, s.db, s.me)
  const url = `/api/v1/follow-ups/${followUp.id}/done`
  const blank = await call('POST', url, { note: '   ' })
  assert.equal(blank.statusCode, 400)
  assert.deepEqual(
    json<Problem>(blank).errors?.map((e) => e.field),
    ['note'],
  )
  const long = await call('POST', url, { note: 'x'.repeat(501) })
  assert.deepEqual(
    json<Problem>(long).errors?.map((e) => e.field),
    ['note'],
  )
  assert.equal((await call('POST', url, { note: 'Done', extra: 1 })).statusCode, 400)
  const done = await call('POST', url, { note: '  Phoned Ann and rebooked for Tuesday  ' })
  assert.equal(done.statusCode, 200, done.body)
  const body = json(done)
  assert.equal(body['status'], 'done')
  assert.equal(body['note'], 'Phoned Ann and rebooked for Tuesday')
  assert.deepEqual(body['doneBy'], { id: s.me.id, name: 'Casey Clinician' })
  assert.equal(body['doneAt'], '2026-11-20T10:00:00.000Z')
  const again = await call('POST', url, { note: 'Again' })
  assert.equal(again.statusCode, 409)
  const row = await s.db.selectFrom('follow_up').selectAll().where('id', '=', followUp.id).executeTakeFirstOrThrow()
  assert.deepEqual([row.status, row.note, row.done_by], ['done', 'Phoned Ann and rebooked for Tuesday', s.me.id])
  const events = await s.db
    .selectFrom('audit_event')
    .select(['action', 'entity_id', 'person_id', 'site_id', 'details'])
    .where('entity_type', '=', 'follow_up')
    .execute()
  assert.deepEqual(
    events.map((e) => [e.action, e.entity_id, e.person_id, e.site_id]),
    [['update', followUp.id, s.ann.id, s.site.id]],
  )
  assert.doesNotMatch(JSON.stringify(events[0]?.details), /Phoned/, 'the note is not copied into the audit log')
  // Off the worklist once done.
  const list = json<WorklistBody>(await call('GET', `/api/v1/worklist?site=${s.site.code}&kinds=follow-ups`))
  assert.equal(list.sections.followUps?.total, 0)
})

test('only the assignee or a hub manager at the site may mark a follow-up done', async (t) => {
  const s = await setup(t)
  const mine = await givenFollowUp(s.db, { person: s.ann, assignedTo: s.me })
  const practitioners = await givenFollowUp(s.db, { person: s.cat, assignedTo: s.practitioner })
  const zeds = await givenFollowUp(s.db, { person: s.zed, assignedTo: s.elsewhere })
  const colleague = await as(s.app, s.db, s.colleague)
  assert.equal((await colleague('POST', `/api/v1/follow-ups/${mine.id}/done`, { note: 'x' })).statusCode, 403)
  const me = await as(s.app, s.db, s.me)
  assert.equal((await me('POST', `/api/v1/follow-ups/${zeds.id}/done`, { note: 'x' })).statusCode, 403)
  assert.equal(
    (await me('POST', '/api/v1/follow-ups/00000000-0000-4000-8000-000000000000/done', { note: 'x' })).statusCode,
    404,
  )
  assert.equal((await me('POST', '/api/v1/follow-ups/not-a-uuid/done', { note: 'x' })).statusCode, 404)
  const pat = await as(s.app, s.db, s.practitioner)
  assert.equal((await pat('POST', `/api/v1/follow-ups/${mine.id}/done`, { note: 'x' })).statusCode, 403)
  assert.equal((await pat('POST', `/api/v1/follow-ups/${practitioners.id}/done`, { note: 'Called' })).statusCode, 200)
  const manager = await givenStaff(s.db, 'hub_manager', { sites: [s.site] })
  const mgr = await as(s.app, s.db, manager)
  assert.equal((await mgr('POST', `/api/v1/follow-ups/${zeds.id}/done`, { note: 'x' })).statusCode, 403)
  assert.equal((await mgr('POST', `/api/v1/follow-ups/${mine.id}/done`, { note: 'Covered' })).statusCode, 200)
  const open = await s.db.selectFrom('follow_up').select('id').where('status', '=', 'open').execute()
  assert.deepEqual(open, [{ id: zeds.id }])
})
