import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { fixedClock } from '../../../test/support/clock.ts'
import type { Database } from '../../platform/db/database.ts'
import { createTestDatabase } from '../../../test/support/database.ts'
import { TEST_PASSWORD_COST } from '../staff/index.ts'
import { bulkCheckedTables } from './demo.activity.ts'
import { appointmentProportions, unquotedVocabulary } from './demo.appointments.ts'
import { consentProportions } from './demo.consent.ts'
import { generatePeople, type PeopleContext } from './demo.generators.ts'
import { suspendForeignKeys, type RunSql } from './demo.repository.ts'
import { seedDemo } from './demo.service.ts'
import { createTeamState, TEAM_PANEL } from './demo.teams.ts'

const NOW = '2026-11-20T10:00:00Z'

function seed(database: Database, people: number, seedText?: string) {
  return seedDemo(
    {
      database,
      clock: fixedClock(NOW),
      log: () => undefined,
      progress: false,
      passwordCost: TEST_PASSWORD_COST,
    },
    { people, ...(seedText === undefined ? {} : { seed: seedText }) },
  )
}

async function rows<T>(database: Database, query: string): Promise<T[]> {
  return (await sql.raw<T>(query).execute(database.db)).rows
}

async function count(database: Database, query: string): Promise<number> {
  const [row] = await rows<{ n: number | string }>(database, query)
  return Number(row?.n ?? -1)
}

/** Pairs of appointments still on (not cancelled) that overlap for the same person, clinician or practitioner. */
const OVERLAPS = `
  select count(*) as n
  from appointment a
  join appointment b on a.id < b.id
    and a.status <> 'cancelled' and b.status <> 'cancelled'
    and a.starts_at < b.ends_at and b.starts_at < a.ends_at
    and (a.person_id = b.person_id or a.clinician_id = b.clinician_id or a.practitioner_id = b.practitioner_id
      or a.practitioner_id = b.clinician_id or a.clinician_id = b.practitioner_id)`

async function tableCounts(database: Database) {
  return {
    appointments: await count(database, 'select count(*) as n from appointment'),
    followUps: await count(database, 'select count(*) as n from follow_up'),
    consent: await count(database, 'select count(*) as n from consent_decision'),
    staff: await count(database, 'select count(*) as n from staff_user'),
  }
}

describe('demo appointments, follow-ups and consent', () => {
  let database: Database

  before(async () => {
    database = await createTestDatabase()
    await seed(database, 400)
  })
  after(() => database.close())

  test('past appointments have outcomes in the intended proportions', async () => {
    const past = await rows<{ status: string; outcome: string | null; absence_reason: string | null; n: number }>(
      database,
      `select status, outcome, absence_reason, count(*)::int as n from appointment
       where ends_at <= '${NOW}' group by 1, 2, 3`,
    )
    const total = past.reduce((sum, r) => sum + r.n, 0)
    const share = (test: (r: (typeof past)[number]) => boolean) =>
      past.filter(test).reduce((sum, r) => sum + r.n, 0) / total
    assert.ok(total > 800, `a few past appointments per person (${total})`)

    const missed = share((r) => r.outcome === 'AFTA' || r.outcome === 'UAAB' || r.outcome === 'AA')
    assert.ok(missed > 0.19 && missed < 0.3, `about a quarter missed (${missed})`)
    const attended = share((r) => r.outcome === 'ATTC')
    assert.ok(attended > 0.5 && attended < 0.68, `most attended and complied (${attended})`)
    const rescheduled = share((r) => r.outcome === 'RSOF' || r.outcome === 'RSSR')
    assert.ok(rescheduled > 0.05 && rescheduled < 0.16, `some rescheduled (${rescheduled})`)
    const cancelled = share((r) => r.status === 'cancelled' && r.outcome === null)
    assert.ok(cancelled > 0.005 && cancelled < 0.05, `a few cancelled (${cancelled})`)
    const pending = share((r) => r.status === 'booked')
    assert.ok(pending < 0.03, `few outcomes still to record (${pending})`)
    for (const code of ['AFTC', 'AFTA', 'UAAB', 'AA', 'RSOF', 'RSSR'])
      assert.ok(
        past.some((r) => r.outcome === code),
        code,
      )
    // Acceptable absences always carry a reason code, and nothing else does.
    assert.ok(past.every((r) => (r.outcome === 'AA') === (r.absence_reason !== null)))
    assert.ok(new Set(past.map((r) => r.absence_reason)).size > 4, 'a spread of absence reasons')

    const kinds = await rows<{ kind: string; n: number }>(
      database,
      'select kind, count(*)::int as n from appointment group by kind',
    )
    const joint = (kinds.find((k) => k.kind === 'joint')?.n ?? 0) / kinds.reduce((s, k) => s + k.n, 0)
    assert.ok(Math.abs(joint - appointmentProportions.joint) < 0.1, `joint and clinic (${joint} joint)`)
  })

  test('upcoming appointments are booked, a few cancelled with a reason, and rescheduled ones link back', async () => {
    const upcoming = await rows<{ status: string; n: number }>(
      database,
      `select status, count(*)::int as n from appointment where starts_at > '${NOW}' group by 1`,
    )
    const booked = upcoming.find((r) => r.status === 'booked')?.n ?? 0
    assert.ok(booked > 200, `most people have one coming up (${booked})`)
    assert.equal(
      await count(
        database,
        `select count(*) as n from appointment where status = 'cancelled' and (cancelled_reason is null
           or cancelled_at is null or cancelled_at > '${NOW}' or cancelled_at > starts_at)`,
      ),
      0,
      'every cancellation has a reason and happened before the appointment and before now',
    )
    assert.equal(
      await count(
        database,
        `select count(*) as n from appointment a join appointment o on o.id = a.rescheduled_from
         where o.outcome not in ('RSOF', 'RSSR') or o.starts_at >= a.starts_at or o.person_id <> a.person_id`,
      ),
      0,
    )
    assert.ok((await count(database, 'select count(*) as n from appointment where rescheduled_from is not null')) > 10)
    assert.equal(
      await count(
        database,
        `select count(*) as n from appointment where created_at > '${NOW}' or outcome_recorded_at > '${NOW}'
           or (status = 'completed' and outcome_recorded_at < ends_at)`,
      ),
      0,
      'nothing recorded in the future or before the appointment ended',
    )
  })

  test('no person, clinician or practitioner is ever double booked', async () => {
    assert.equal(await count(database, OVERLAPS), 0)
  })

  test('appointments are in UK working hours and with staff of the person’s site in the right roles', async () => {
    assert.equal(
      await count(
        database,
        `select count(*) as n from appointment where extract(isodow from starts_at at time zone 'Europe/London') > 5
           or (starts_at at time zone 'Europe/London')::time < '09:00'
           or (ends_at at time zone 'Europe/London')::time > '17:00'`,
      ),
      0,
    )
    const staffAt = (column: string, roles: string) => `
      select count(*) as n from appointment a where a.${column} is not null and not exists (
        select 1 from staff_site ss join staff_user s on s.id = ss.staff_user_id
        where ss.staff_user_id = a.${column} and ss.site_id = a.site_id and s.role in (${roles}) and s.is_demo)`
    assert.equal(await count(database, staffAt('clinician_id', `'clinician', 'hub_manager'`)), 0)
    assert.equal(await count(database, staffAt('practitioner_id', `'probation_practitioner'`)), 0)
    assert.equal(
      await count(database, `select count(*) as n from appointment where kind = 'joint' and practitioner_id is null`),
      0,
    )
    // A joint appointment is with the practitioner named on the person's record.
    assert.equal(
      await count(
        database,
        `select count(*) as n from appointment a join person p on p.id = a.person_id
         where a.kind = 'joint' and p.probation_practitioner_id <> a.practitioner_id`,
      ),
      0,
    )
    // The headline clinician has a diary to show.
    assert.ok(
      (await count(
        database,
        `select count(*) as n from appointment a join staff_user s on s.id = a.clinician_id
         where s.email = 'clinician@demo.hub.invalid'`,
      )) > 50,
    )
  })

  test('every missed appointment has a follow-up for the clinician and one for the practitioner', async () => {
    const missed = await rows<{ followups: number; clinician: boolean; practitioner: boolean }>(
      database,
      `select count(f.id)::int as followups,
              bool_or(f.assigned_to = a.clinician_id) as clinician,
              bool_or(f.assigned_to = coalesce(a.practitioner_id, p.probation_practitioner_id)) as practitioner
       from appointment a join person p on p.id = a.person_id
       left join follow_up f on f.appointment_id = a.id and f.kind = 'missed-appointment'
       where a.status = 'completed' and a.outcome in ('AFTA', 'UAAB', 'AA')
       group by a.id`,
    )
    assert.ok(missed.length > 100)
    assert.ok(missed.every((m) => m.followups === 2 && m.clinician && m.practitioner))
    assert.equal(
      await count(
        database,
        `select count(*) as n from follow_up f join appointment a on a.id = f.appointment_id
         where a.outcome is null or a.outcome not in ('AFTA', 'UAAB', 'AA')`,
      ),
      0,
      'no follow-ups for appointments that were kept',
    )
    const byAge = await rows<{ recent: boolean; status: string; n: number }>(
      database,
      `select created_at > timestamptz '${NOW}' - interval '3 days' as recent, status, count(*)::int as n
       from follow_up group by 1, 2`,
    )
    const n = (recent: boolean, status: string) => byAge.find((r) => r.recent === recent && r.status === status)?.n ?? 0
    assert.ok(n(false, 'done') > 4 * n(false, 'open'), 'older follow-ups mostly done')
    assert.ok(n(true, 'open') >= n(true, 'done'), 'recent ones mostly open')
    assert.equal(
      await count(database, `select count(*) as n from follow_up where done_at > '${NOW}' or done_at < created_at`),
      0,
    )
  })

  test('consent decisions come in the intended rough proportions, withdrawals as later rows', async () => {
    const people = await count(database, 'select count(distinct person_id) as n from consent_decision')
    assert.ok(people > 250, `most people have been asked (${people})`)
    const first = await rows<{ topic: string; decision: string; n: number }>(
      database,
      `select topic, decision, count(*)::int as n from consent_decision group by 1, 2`,
    )
    const given = (topic: string) => (first.find((r) => r.topic === topic && r.decision === 'given')?.n ?? 0) / people
    const shareProbation = given('share-summary-with-probation')
    assert.ok(Math.abs(shareProbation - consentProportions.shareSummaryWithProbation) < 0.08, `${shareProbation}`)
    const gp = given('share-with-gp')
    assert.ok(gp > 0.65 && gp < 0.9, `most share with their GP (${gp})`)
    const evaluation = given('evaluation-use')
    assert.ok(evaluation > 0.7 && evaluation < 0.9, `evaluation use mostly given (${evaluation})`)
    const partnerPeople = await count(
      database,
      `select count(distinct person_id) as n from consent_decision where topic = 'share-with-partner' and decision = 'given'`,
    )
    assert.ok(partnerPeople / people < gp, 'fewer share with partners than with their GP')
    assert.ok(partnerPeople > 0)
    const sms = given('contact-by-sms')
    const email = given('contact-by-email')
    assert.ok(sms > email && email > 0.05, `SMS more common than email (${sms} / ${email})`)

    const withdrawn = await rows<{ ok: boolean }>(
      database,
      `select exists (
         select 1 from consent_decision g where g.person_id = w.person_id and g.topic = w.topic
           and g.organisation_id is not distinct from w.organisation_id and g.decision = 'given'
           and g.recorded_at < w.recorded_at and g.decided_on <= w.decided_on) as ok
       from consent_decision w where w.decision = 'withdrawn'`,
    )
    assert.ok(withdrawn.length > 5 && withdrawn.length < 0.08 * people * 5, `a few withdrawn (${withdrawn.length})`)
    assert.ok(
      withdrawn.every((w) => w.ok),
      'each withdrawal follows a given decision',
    )
    assert.equal(
      await count(
        database,
        `select count(*) as n from consent_decision c where recorded_at > '${NOW}' or not exists (
           select 1 from staff_user s where s.id = c.recorded_by and s.role in ('clinician', 'hub_manager'))`,
      ),
      0,
    )
  })

  test('running the seed again adds nothing for the people already there', async () => {
    const before = await tableCounts(database)
    const again = await seed(database, 400)
    assert.equal(again.people, 0)
    assert.deepEqual(await tableCounts(database), before)
  })
})

test('a top-up adds rows only for the new people, in free lanes, with a different seed', async (t) => {
  const database = await createTestDatabase()
  t.after(() => database.close())
  await seed(database, 150)
  const perPerson = async () =>
    new Map(
      (
        await rows<{ id: string; n: number }>(
          database,
          `select p.id, count(a.id)::int + (select count(*)::int from consent_decision c where c.person_id = p.id) as n
           from person p left join appointment a on a.person_id = p.id group by p.id`,
        )
      ).map((r) => [r.id, r.n]),
    )
  const earlier = await perPerson()

  await seed(database, 260, 'another seed')

  const later = await perPerson()
  assert.equal(later.size, 260)
  for (const [id, n] of earlier) assert.equal(later.get(id), n, 'an existing person gains nothing')
  assert.ok([...later].filter(([id]) => !earlier.has(id)).some(([, n]) => n > 0))
  assert.equal(await count(database, OVERLAPS), 0)
})

describe('hub teams', () => {
  const siteIds = new Map([
    ['cambridge', '00000000-0000-4000-8000-000000000001'],
    ['middlesbrough', '00000000-0000-4000-8000-000000000002'],
    ['ilfracombe', '00000000-0000-4000-8000-000000000003'],
    ['hammersmith', '00000000-0000-4000-8000-000000000004'],
  ])
  const context: PeopleContext = { seed: 't', today: new Date(NOW), siteIds, practitioners: new Map() }

  test('a full panel starts a new team with its own staff, and lanes in a team never repeat', () => {
    const teams = createTeamState({ siteIds, peopleBySite: new Map(), existingStaff: [] })
    const people = generatePeople(context, 0, 4 * TEAM_PANEL).filter((p) => p.siteCode === 'hammersmith')
    assert.ok(people.length > TEAM_PANEL)
    const placements = people.map((p) => teams.place(p))
    const first = placements.slice(0, TEAM_PANEL)
    assert.ok(first.every((p) => p.team.number === 1))
    assert.equal(new Set(first.map((p) => p.lane)).size, TEAM_PANEL)
    assert.equal(placements[TEAM_PANEL]?.team.number, 2)
    const staff = teams.takeNewStaff()
    assert.deepEqual(
      staff.filter((s) => s.role === 'clinician').map((s) => s.email),
      ['clinician-hammersmith-1@demo.hub.invalid', 'clinician-hammersmith-2@demo.hub.invalid'],
    )
    assert.ok(staff.every((s) => s.siteId === siteIds.get('hammersmith')))
    assert.deepEqual(teams.takeNewStaff(), [])
  })

  test('fixed texts written unquoted need no CSV quoting', () => {
    for (const text of unquotedVocabulary) assert.doesNotMatch(text, /[",\r\n]/)
  })
})

test('suspended foreign keys come back exactly as they were, and still refuse a bad row', async (t) => {
  const database = await createTestDatabase()
  t.after(() => database.close())
  const definitions = async () =>
    rows<{ name: string; def: string }>(
      database,
      `select conname as name, pg_get_constraintdef(oid) as def from pg_constraint
       where contype = 'f' and conrelid in ('appointment'::regclass, 'follow_up'::regclass,
         'consent_decision'::regclass) order by 1`,
    )
  const before = await definitions()
  assert.ok(before.length >= 10)
  const run: RunSql = async (text) => ({ rows: (await sql.raw(text).execute(database.db)).rows })

  const restore = await suspendForeignKeys(run, bulkCheckedTables)
  assert.deepEqual(await definitions(), [])
  await restore()
  assert.deepEqual(await definitions(), before)

  await assert.rejects(
    database.db.transaction().execute(async (tx) => {
      const inTx: RunSql = async (text) => ({ rows: (await sql.raw(text).execute(tx)).rows })
      const put = await suspendForeignKeys(inTx, ['follow_up'])
      await sql`insert into follow_up (kind, person_id, site_id, assigned_to, reason, due_date)
        values ('x', gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 'r', '2026-01-01')`.execute(tx)
      await put()
    }),
    /foreign key/,
  )
  assert.deepEqual(await definitions(), before, 'a failed load leaves the constraints in place')
  assert.equal(await count(database, 'select count(*) as n from follow_up'), 0)
})
