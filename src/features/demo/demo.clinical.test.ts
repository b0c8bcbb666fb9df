import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { signedInBrowser, buildTestApp, json } from '../../../test/support/test-app.ts'
import { fixedClock } from '../../../test/support/clock.ts'
import type { Database } from '../../platform/db/database.ts'
import { createTestDatabase } from '../../../test/support/database.ts'
import { TEST_PASSWORD_COST } from '../staff/index.ts'
import { bmiOf, endOfUkDay, proposeNeeds, type ResultForRules } from '../health-checks/index.ts'
import { loadInstrumentLibrary } from '../instruments/index.ts'
import { score } from '../instruments/index.ts'
import {
  applyTransition,
  defaultChaseOn,
  isFinal,
  type ReferralFacts,
  type ReferralStatus,
} from '../referrals/index.ts'
import { suggestedKinds } from '../referrals/index.ts'
import { assessScreening, type ScreeningEvent } from '../screening/index.ts'
import { matchingNeed } from '../treatment-requirements/index.ts'
import { checkTransition } from '../treatment-requirements/index.ts'
import { DEMO_PASSWORD, seedDemo } from './demo.service.ts'
import type { SmokingStatus } from '../health-checks/index.ts'
import type { NeedStatus } from '../needs/index.ts'
import type { TreatmentRequirementStatus } from '../treatment-requirements/index.ts'

const NOW = '2026-11-20T10:00:00Z'
const TODAY = '2026-11-20'
const PEOPLE = 800
const library = loadInstrumentLibrary()

function seed(database: Database, people: number, seedText?: string) {
  return seedDemo(
    { database, clock: fixedClock(NOW), log: () => undefined, progress: false, passwordCost: TEST_PASSWORD_COST },
    { people, ...(seedText === undefined ? {} : { seed: seedText }) },
  )
}

async function rows<T>(database: Database, query: string): Promise<T[]> {
  return (await sql.raw<T>(query).execute(database.db)).rows
}

const iso = (value: Date | string) => (value instanceof Date ? value.toISOString() : new Date(value).toISOString())

const clinicalTables = [
  'health_check',
  'health_check_response',
  'health_check_observation',
  'warning_flag',
  'need',
  'need_event',
  'gp_registration',
  'referral',
  'referral_event',
  'screening_event',
  'treatment_requirement',
  'treatment_requirement_event',
  'custody_episode',
  'custody_episode_history',
  'release_plan_item',
  'release_plan_item_history',
] as const

async function tableCounts(database: Database): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const table of clinicalTables) {
    const [row] = await rows<{ n: string | number }>(database, `select count(*) as n from ${table}`)
    counts[table] = Number(row?.n ?? -1)
  }
  return counts
}

interface ResponseRow {
  check_id: string
  instrument_code: string
  instrument_version: string
  answers: Record<string, string>
  applicable: boolean
  complete: boolean
  score: number | null
  partial_score: number | null
  band_code: string | null
  band_label: string | null
  positive: boolean | null
  missing_items: string[]
  prefer_not_to_say: string[]
  saved_at: Date
}

describe('demo health checks, needs, GP registrations, referrals, screening and treatment requirements', () => {
  let database: Database

  before(async () => {
    database = await createTestDatabase()
    await seed(database, PEOPLE)
  })
  after(() => database.close())

  test('everyone from prison has a custody episode and its release plan, at every stage, with some opioid substitution gaps', async () => {
    const people = await rows<{ id: string; release_date: string; prison_number: string | null }>(
      database,
      `select id, release_date::text as release_date, prison_number from person where release_date is not null and prison_number is not null`,
    )
    const episodes = await rows<{
      person_id: string
      expected_release_date: string
      actual_release_date: string | null
      recalled_on: string | null
      items: string | number
      history: string | number
    }>(
      database,
      `select e.person_id, e.expected_release_date::text as expected_release_date,
              e.actual_release_date::text as actual_release_date, e.recalled_on::text as recalled_on,
              (select count(*) from release_plan_item i where i.episode_id = e.id) as items,
              (select count(*) from custody_episode_history h where h.episode_id = e.id) as history
         from custody_episode e`,
    )
    assert.ok(people.length > 50, `people from prison (${String(people.length)})`)
    assert.deepEqual(new Set(episodes.map((e) => e.person_id)), new Set(people.map((p) => p.id)))
    for (const e of episodes) {
      assert.equal(Number(e.items), 9)
      assert.equal(Number(e.history), 1)
      if (e.actual_release_date !== null) assert.ok(e.actual_release_date <= TODAY)
      else assert.ok(e.expected_release_date > TODAY)
    }
    assert.ok(
      episodes.some((e) => e.actual_release_date === null),
      'releases to come',
    )
    assert.ok(
      episodes.some((e) => e.actual_release_date !== null),
      'releases that have happened',
    )
    assert.ok(
      episodes.some((e) => e.recalled_on !== null),
      'some recalled',
    )
    const [gaps] = await rows<{ n: string | number }>(
      database,
      `select count(*) as n from release_plan_item i join custody_episode e on e.id = i.episode_id
        where i.kind = 'medicines' and i.opioid_substitution
          and (i.prescriber_appointment_on is null
               or i.prescriber_appointment_on > coalesce(e.actual_release_date, e.expected_release_date) + i.days_supplied)`,
    )
    assert.ok(Number(gaps?.n ?? 0) > 0, 'some opioid substitution gaps')
    const statuses = await rows<{ status: string }>(database, `select distinct status from release_plan_item`)
    assert.deepEqual(
      new Set(statuses.map((s) => s.status)),
      new Set(['to-do', 'in-progress', 'done', 'not-applicable']),
    )
  })

  test('every stored instrument result is what the scoring module gives for its answers, on enabled instruments only', async () => {
    const responses = await rows<ResponseRow>(database, 'select * from health_check_response')
    assert.ok(responses.length > PEOPLE, `several results per checked person (${responses.length})`)
    for (const r of responses) {
      const definition = library.find(r.instrument_code)
      assert.ok(definition !== undefined, r.instrument_code)
      assert.equal(definition.licence.requiresPermission, false, `${r.instrument_code} needs a permission not recorded`)
      const result = score(definition, r.answers)
      assert.deepEqual(
        {
          version: r.instrument_version,
          applicable: r.applicable,
          complete: r.complete,
          score: r.score,
          partial: r.partial_score,
          band: r.band_code === null ? null : { code: r.band_code, label: r.band_label },
          positive: r.positive,
          missing: r.missing_items,
          preferNotToSay: r.prefer_not_to_say,
        },
        {
          version: definition.version,
          applicable: result.applicable,
          complete: result.complete,
          score: result.score,
          partial: result.partialScore,
          band: result.band,
          positive: result.positive,
          missing: result.missingItems,
          preferNotToSay: result.preferNotToSay,
        },
        `${r.check_id} ${r.instrument_code}`,
      )
    }
    // A full instrument only where its brief screen in the same check offered it.
    const byCheck = new Map<string, Map<string, ResponseRow>>()
    for (const r of responses) {
      byCheck.set(r.check_id, (byCheck.get(r.check_id) ?? new Map<string, ResponseRow>()).set(r.instrument_code, r))
    }
    for (const [checkId, results] of byCheck) {
      for (const [brief, full] of [
        ['phq-2', 'phq-9'],
        ['gad-2', 'gad-7'],
        ['audit-c', 'audit'],
      ] as const) {
        const briefRow = results.get(brief)
        if (!results.has(full)) continue
        assert.ok(briefRow !== undefined, `${checkId}: ${full} without ${brief}`)
        const definition = library.find(brief)
        assert.ok(definition !== undefined)
        assert.equal(score(definition, briefRow.answers).offerFull, full, `${checkId}: ${full} not offered`)
      }
    }
    const shares = await rows<{ code: string; n: number; positive: number }>(
      database,
      `select instrument_code as code, count(*)::int as n, count(*) filter (where positive)::int as positive
       from health_check_response group by 1`,
    )
    assert.ok(shares.every((s) => s.n > 0))
    assert.ok(
      shares.some((s) => s.code === 'audit') && shares.some((s) => s.code === 'phq-9'),
      'full instruments asked',
    )
  })

  test('flags are raised exactly where a stored result has a warning sign, responded to by the end of that UK day', async () => {
    const responses = await rows<ResponseRow>(database, 'select * from health_check_response')
    const expected = new Set<string>()
    for (const r of responses) {
      const definition = library.find(r.instrument_code)
      assert.ok(definition !== undefined)
      for (const flag of score(definition, r.answers).flags) {
        expected.add(`${r.check_id}|${r.instrument_code}|${flag.itemCode}|${flag.code}`)
      }
    }
    const flags = await rows<{
      check_id: string
      instrument_code: string
      item_code: string
      code: string
      raised_at: Date
      respond_by: Date
      status: string
      response_text: string | null
      responded_at: Date | null
      person_id: string
      check_person: string
    }>(database, `select f.*, c.person_id as check_person from warning_flag f join health_check c on c.id = f.check_id`)
    assert.ok(expected.size > 10, `some warning signs (${expected.size})`)
    assert.deepEqual(new Set(flags.map((f) => `${f.check_id}|${f.instrument_code}|${f.item_code}|${f.code}`)), expected)
    for (const f of flags) {
      assert.equal(f.person_id, f.check_person)
      assert.equal(iso(f.respond_by), endOfUkDay(new Date(f.raised_at)).toISOString())
      assert.ok(iso(f.raised_at) <= NOW)
      if (f.status === 'awaiting-response') {
        assert.ok(iso(f.raised_at).startsWith(TODAY), 'only today’s flags still await a response')
      } else {
        assert.ok(f.responded_at !== null && iso(f.responded_at) <= NOW && f.responded_at >= f.raised_at)
        // Never a risk level, whatever the response says.
        assert.doesNotMatch(f.response_text ?? '', /\b(low|medium|high|moderate)[- ]risk\b|risk level/i)
      }
    }
    const late = flags.filter((f) => f.responded_at !== null && f.responded_at > f.respond_by).length
    assert.ok(late < flags.length * 0.1, `nearly all responded the same day (${late} late)`)
  })

  test('needs are the rules’ proposals for each completed check, decided with a history, plus needs recorded directly', async () => {
    const checks = await rows<{
      id: string
      status: string
      completed_at: Date | null
      appointment_id: string
      ok: boolean
    }>(
      database,
      `select c.id, c.status, c.completed_at, c.appointment_id,
         (a.person_id = c.person_id and a.clinician_id = c.clinician_id and a.site_id = c.site_id
          and a.outcome in ('ATTC', 'AFTC') and c.started_at >= a.starts_at
          and (c.started_at at time zone 'Europe/London')::date = (a.starts_at at time zone 'Europe/London')::date
          and (c.completed_at is null or (c.completed_at at time zone 'Europe/London')::date =
            (a.starts_at at time zone 'Europe/London')::date)) as ok
       from health_check c join appointment a on a.id = c.appointment_id`,
    )
    assert.ok(checks.length > PEOPLE / 2, `most people have a check (${checks.length})`)
    assert.ok(
      checks.every((c) => c.ok),
      'each check is at an attended appointment of the person, that day, by its clinician',
    )
    const inProgress = checks.filter((c) => c.status === 'in-progress').length
    assert.ok(inProgress > 0 && inProgress < checks.length * 0.2, `some left in progress (${inProgress})`)

    const responses = await rows<ResponseRow>(database, 'select * from health_check_response')
    const observations = new Map(
      (
        await rows<{
          check_id: string
          systolic: number | null
          diastolic: number | null
          height_cm: string | null
          weight_kg: string | null
          bmi: string | null
          smoking_status: SmokingStatus | null
        }>(
          database,
          'select check_id, systolic, diastolic, height_cm::text, weight_kg::text, bmi::text, smoking_status from health_check_observation',
        )
      ).map((o) => [o.check_id, o]),
    )
    for (const o of observations.values()) {
      if (o.height_cm !== null && o.weight_kg !== null) {
        assert.equal(Number(o.bmi), bmiOf(Number(o.height_cm), Number(o.weight_kg)))
      } else assert.equal(o.bmi, null)
    }
    const flagged = await rows<{ check_id: string; instrument_code: string }>(
      database,
      'select distinct check_id, instrument_code from warning_flag',
    )
    const needs = await rows<{
      id: string
      check_id: string | null
      category: string
      status: NeedStatus
      reason: string | null
      version: number
      identified_on: string
      recorded_by: string | null
    }>(database, 'select id, check_id, category, status, reason, version, identified_on::text, recorded_by from need')
    for (const check of checks) {
      const results: ResultForRules[] = responses
        .filter((r) => r.check_id === check.id)
        .map((r) => ({
          instrumentCode: r.instrument_code,
          answers: r.answers,
          complete: r.complete,
          score: r.score,
          bandCode: r.band_code,
          positive: r.positive,
        }))
      const o = observations.get(check.id)
      const proposals =
        check.status === 'completed'
          ? proposeNeeds(
              results,
              o === undefined
                ? null
                : {
                    systolic: o.systolic,
                    diastolic: o.diastolic,
                    bmi: o.bmi === null ? null : Number(o.bmi),
                    smokingStatus: o.smoking_status,
                  },
              flagged.filter((f) => f.check_id === check.id).map((f) => f.instrument_code),
            )
          : []
      assert.deepEqual(
        needs
          .filter((n) => n.check_id === check.id)
          .map((n) => n.category)
          .sort(),
        proposals.map((p) => p.category).sort(),
        `needs of check ${check.id}`,
      )
    }
    const events = await rows<{
      need_id: string
      from_status: NeedStatus | null
      to_status: NeedStatus
      reason: string | null
    }>(database, 'select need_id, from_status, to_status, reason from need_event order by need_id, recorded_at, id')
    const byNeed = new Map<string, typeof events>()
    for (const e of events) byNeed.set(e.need_id, [...(byNeed.get(e.need_id) ?? []), e])
    for (const need of needs) {
      const history = byNeed.get(need.id) ?? []
      const created = history[0]
      assert.ok(created !== undefined, need.id)
      assert.equal(created.from_status, null)
      assert.equal(created.to_status, need.check_id === null ? 'confirmed' : 'proposed')
      assert.equal(need.recorded_by !== null, need.check_id === null)
      for (let i = 1; i < history.length; i++) assert.equal(history[i]?.from_status, history[i - 1]?.to_status)
      assert.equal(history.at(-1)?.to_status, need.status)
      assert.equal(need.version, history.length)
      if (need.status === 'dismissed') assert.notEqual(need.reason, null)
      if (need.status === 'proposed') assert.ok(need.identified_on >= '2026-11-06', 'only recent needs still proposed')
    }
    const share = (status: NeedStatus) => needs.filter((n) => n.status === status).length / needs.length
    assert.ok(share('confirmed') > 0.75 && share('dismissed') > 0.03 && share('proposed') < 0.05)
    // Roughly the source documents' shares (demo.story.ts): a majority with poor mental health, about half smoking.
    const completed = checks.filter((c) => c.status === 'completed').length
    const people = (category: string) => needs.filter((n) => n.category === category).length / completed
    assert.ok(
      people('mental-health') > 0.5 && people('mental-health') < 0.8,
      `mental health ${people('mental-health')}`,
    )
    assert.ok(people('smoking') > 0.35 && people('smoking') < 0.6, `smoking ${people('smoking')}`)
    assert.ok(people('alcohol') > 0.1 && people('alcohol') < 0.35, `alcohol ${people('alcohol')}`)
    assert.ok(people('trauma') > 0.12 && people('trauma') < 0.32, `trauma ${people('trauma')}`)
  })

  test('GP registrations: a directory practice of the person’s site, never refused for no fixed abode', async () => {
    const registrations = await rows<{
      status: string
      no_fixed_abode: boolean
      kind: string | null
      same_site: boolean | null
      reason: string | null
      role: string
    }>(
      database,
      `select g.status, p.no_fixed_abode, s.kind, s.site_id = p.site_id as same_site, g.reason, u.role
       from gp_registration g join person p on p.id = g.person_id left join service s on s.id = g.service_id
       join staff_user u on u.id = g.recorded_by`,
    )
    const statuses = new Set(registrations.map((r) => r.status))
    for (const status of ['registered', 'not-registered', 'in-progress', 'refused', 'deregistered'])
      assert.ok(statuses.has(status), status)
    for (const r of registrations) {
      if (r.kind !== null) assert.ok(r.kind === 'gp-practice' && r.same_site === true)
      if (r.status === 'refused') assert.ok(!r.no_fixed_abode && r.reason !== null)
      assert.ok(['clinician', 'hub_manager'].includes(r.role))
    }
    const [latest] = await rows<{ registered: number; people: number }>(
      database,
      `select count(*) filter (where status = 'registered')::int as registered, count(*)::int as people from (
         select distinct on (person_id) status from gp_registration order by person_id, recorded_at desc, id desc) t`,
    )
    assert.ok(latest !== undefined && latest.registered / latest.people > 0.6, 'most registered now')
  })

  test('every referral’s events are a valid path through the lifecycle and its columns are what the rules give', async () => {
    const referrals = await rows<{
      id: string
      status: ReferralStatus
      urgency: 'routine' | 'urgent'
      need_identified_on: string
      sent_on: string | null
      chase_on: string | null
      first_appointment_on: string | null
      first_attended_on: string | null
      days_to_first_treatment: number | null
      closed_on: string | null
      version: number
      created_at: Date
      need_status: string
      need_category: keyof typeof suggestedKinds
      need_on: string
      kind: string
      active: boolean
      same_site: boolean
    }>(
      database,
      `select r.id, r.status, r.urgency, r.need_identified_on::text, r.sent_on::text, r.chase_on::text,
         r.first_appointment_on::text, r.first_attended_on::text, r.days_to_first_treatment, r.closed_on::text,
         r.version, r.created_at, n.status as need_status, n.category as need_category,
         n.identified_on::text as need_on, s.kind, s.active, s.site_id = r.site_id as same_site
       from referral r join need n on n.id = r.need_id join service s on s.id = r.service_id`,
    )
    const events = await rows<{
      referral_id: string
      from_status: ReferralStatus | null
      to_status: ReferralStatus
      occurred_on: string
      reason: string | null
      recorded_at: Date
    }>(
      database,
      'select referral_id, from_status, to_status, occurred_on::text, reason, recorded_at from referral_event order by referral_id, id',
    )
    const byReferral = new Map<string, typeof events>()
    for (const e of events) byReferral.set(e.referral_id, [...(byReferral.get(e.referral_id) ?? []), e])
    const statuses = new Set<ReferralStatus>()
    let overdue = 0
    for (const r of referrals) {
      statuses.add(r.status)
      assert.equal(r.need_status, 'confirmed')
      assert.equal(r.need_on, r.need_identified_on)
      assert.ok(r.active && r.same_site && (suggestedKinds[r.need_category] as readonly string[]).includes(r.kind))
      const history = byReferral.get(r.id) ?? []
      assert.deepEqual([history[0]?.from_status, history[0]?.to_status], [null, 'draft'])
      let facts: ReferralFacts = {
        status: 'draft',
        urgency: r.urgency,
        needIdentifiedOn: r.need_identified_on,
        sentOn: null,
        firstAppointmentOn: null,
        firstAttendedOn: null,
        daysToFirstTreatment: null,
        closedOn: null,
      }
      let chaseOn: string | null = defaultChaseOn('draft', history[0]?.occurred_on ?? '', r.urgency, null)
      let previous = history[0]
      let transitions = 0
      const lastBooking = history.findLastIndex((e) => e.to_status === 'first-appointment-booked')
      for (const [i, e] of history.entries()) {
        if (i === 0) continue
        assert.ok(previous !== undefined)
        assert.equal(e.from_status, facts.status)
        assert.ok(e.recorded_at >= previous.recorded_at && e.occurred_on >= previous.occurred_on)
        // Only the latest booking's appointment date is stored (a rebooking replaces it); an earlier one was missed,
        // and the lifecycle has the did-not-attend on or after it, so that date stands in for it.
        const booked =
          i === lastBooking ? (r.first_appointment_on ?? null) : (history[i + 1]?.occurred_on ?? e.occurred_on)
        const applied = applyTransition(
          facts,
          {
            to: e.to_status,
            at: e.occurred_on,
            reason: e.reason,
            appointmentOn: e.to_status === 'first-appointment-booked' ? booked : null,
          },
          { recorder: 'hub', today: TODAY, previousOn: previous.occurred_on },
        )
        assert.ok(applied.ok, `${r.id}: ${facts.status} -> ${e.to_status}`)
        // Sent as it was made: no new version for that.
        if (!(e.to_status === 'sent' && iso(e.recorded_at) === iso(r.created_at))) transitions++
        facts = applied.next
        chaseOn = applied.chaseOn
        previous = e
      }
      assert.deepEqual(
        [r.status, r.sent_on, r.first_attended_on, r.days_to_first_treatment, r.closed_on],
        [facts.status, facts.sentOn, facts.firstAttendedOn, facts.daysToFirstTreatment, facts.closedOn],
        r.id,
      )
      // H-409: attended on or after the booked appointment, and days to first treatment from the need to that day.
      if (r.first_attended_on !== null) {
        assert.ok(r.first_appointment_on !== null && r.first_attended_on >= r.first_appointment_on, r.id)
        assert.equal(
          r.days_to_first_treatment,
          (Date.parse(r.first_attended_on) - Date.parse(r.need_identified_on)) / 86_400_000,
          r.id,
        )
      }
      if (isFinal(r.status)) assert.equal(r.chase_on, null)
      else {
        assert.notEqual(r.chase_on, null)
        // The chase date the lifecycle gave, or a later one the hub set after chasing (one more version).
        const rescheduled = chaseOn !== null && r.chase_on !== chaseOn
        assert.equal(r.version, 1 + transitions + (rescheduled ? 1 : 0), r.id)
        if ((r.chase_on ?? '') < TODAY) overdue++
      }
    }
    for (const status of [
      'draft',
      'sent',
      'accepted',
      'rejected',
      'first-appointment-booked',
      'first-appointment-attended',
      'engaged',
      'completed',
      'declined',
      'withdrawn',
      'did-not-attend',
    ] as const)
      assert.ok(statuses.has(status), `a referral ${status}`)
    assert.ok(overdue > 0 && overdue < referrals.length * 0.25, `some overdue for chasing (${overdue})`)
  })

  test('a referral to a partner is sent only with consent to share given before and not withdrawn', async () => {
    const partner = await rows<{ id: string; sent_at: Date | null; given: boolean }>(
      database,
      `select r.id, sent.recorded_at as sent_at, exists (
         select 1 from consent_decision c where c.person_id = r.person_id and c.topic = 'share-with-partner'
           and c.organisation_id = r.organisation_id and c.decision = 'given' and c.recorded_at < sent.recorded_at
           and c.decided_on <= sent.occurred_on
           and not exists (select 1 from consent_decision w where w.person_id = c.person_id and w.topic = c.topic
             and w.organisation_id = c.organisation_id and w.decision = 'withdrawn' and w.recorded_at <= sent.recorded_at)
       ) as given
       from referral r left join referral_event sent on sent.referral_id = r.id and sent.to_status = 'sent'
       where r.organisation_id is not null`,
    )
    assert.ok(partner.length > 10)
    for (const r of partner) if (r.sent_at !== null) assert.ok(r.given, r.id)
  })

  test('screening events are for people the eligibility module had due, never for prostate, never in the future', async () => {
    const events = await rows<{
      person_id: string
      programme: ScreeningEvent['programme']
      state: ScreeningEvent['state']
      event_date: string
      result: string | null
      recorded_at: Date
      date_of_birth: string
      sex: '1' | '2' | '9' | null
      stated_gender: '1' | '2' | '9' | 'X' | null
      gender_same_as_birth: 'yes' | 'no' | 'prefer-not-to-say' | null
    }>(
      database,
      `select e.person_id, e.programme, e.state, e.event_date::text, e.result, e.recorded_at, p.date_of_birth::text,
         p.sex, p.stated_gender, p.gender_same_as_birth
       from screening_event e join person p on p.id = e.person_id order by e.person_id, e.event_date, e.recorded_at`,
    )
    assert.ok(events.length > 50)
    const programmes = new Set(events.map((e) => e.programme))
    for (const programme of ['cervical', 'bowel', 'lung']) assert.ok(programmes.has(programme as never), programme)
    const states = new Set(events.map((e) => e.state))
    for (const state of ['invited', 'booked', 'attended', 'result-recorded', 'declined'])
      assert.ok(states.has(state as never), state)
    for (const e of events) {
      assert.ok(e.event_date <= TODAY && iso(e.recorded_at) <= NOW)
      assert.ok(!e.programme.startsWith('prostate'))
    }
    // Each first invitation went to someone due then, per the eligibility module (smoking aside: lung asked of
    // people with a smoking history only).
    const seen = new Set<string>()
    for (const e of events) {
      const key = `${e.person_id}:${e.programme}`
      if (e.state !== 'invited' || seen.has(key)) continue
      seen.add(key)
      const assessment = assessScreening(
        {
          dateOfBirth: e.date_of_birth,
          sex: e.sex,
          statedGender: e.stated_gender,
          genderSameAsBirth: e.gender_same_as_birth,
          smoking: 'current',
          events: [],
        },
        e.event_date,
      ).find((a) => a.programme === e.programme)
      assert.equal(assessment?.eligible, true, key)
    }
    // Lower uptake than invitations: many invited never take part.
    const invited = events.filter((e) => e.state === 'invited').length
    const attended = events.filter((e) => e.state === 'attended').length
    assert.ok(attended < invited * 0.6, `uptake below the general population’s (${attended}/${invited})`)
  })

  test('treatment requirements follow their lifecycle, started ones linked to a referral for the matching need', async () => {
    const requirements = await rows<{
      id: string
      kind: keyof typeof matchingNeed
      status: TreatmentRequirementStatus
      referral_id: string | null
      version: number
      supervision_type: string
      category: string | null
      proposed_on: string
      status_on: string
    }>(
      database,
      `select t.id, t.kind, t.status, t.referral_id, t.version, p.supervision_type, n.category,
         t.proposed_on::text, t.status_on::text
       from treatment_requirement t join person p on p.id = t.person_id
       left join referral r on r.id = t.referral_id left join need n on n.id = r.need_id`,
    )
    assert.ok(requirements.length > 3, `a few (${requirements.length})`)
    const events = await rows<{
      requirement_id: string
      kind: string
      from_status: TreatmentRequirementStatus | null
      to_status: TreatmentRequirementStatus
      occurred_on: string
      role: string
    }>(
      database,
      `select e.requirement_id, e.kind, e.from_status, e.to_status, e.occurred_on::text, u.role
       from treatment_requirement_event e join staff_user u on u.id = e.actor_id order by e.requirement_id, e.id`,
    )
    for (const t of requirements) {
      assert.ok(['community-order', 'suspended-sentence-order'].includes(t.supervision_type))
      if (t.referral_id !== null) assert.equal(t.category, matchingNeed[t.kind])
      const history = events.filter((e) => e.requirement_id === t.id)
      assert.equal(history[0]?.kind, 'proposed')
      let status: TreatmentRequirementStatus = 'proposed'
      let linked = false
      let previous = t.proposed_on
      for (const e of history.slice(1)) {
        assert.ok(e.occurred_on >= previous && e.occurred_on <= TODAY)
        previous = e.occurred_on
        if (e.kind === 'referral-linked') {
          linked = true
          continue
        }
        const check = checkTransition(status, e.to_status, e.role as 'clinician')
        assert.ok(check.ok, `${t.id}: ${status} -> ${e.to_status} by ${e.role}`)
        if (check.transition.needsReferral) assert.ok(linked, 'linked before treatment starts')
        status = e.to_status
      }
      assert.equal(status, t.status)
      assert.equal(t.version, history.length)
      assert.equal(t.status_on, previous)
    }
    assert.ok(new Set(requirements.map((r) => r.status)).size >= 4, 'at several statuses')
  })

  test('running the seed again adds nothing twice', async () => {
    const before = await tableCounts(database)
    await seed(database, PEOPLE)
    assert.deepEqual(await tableCounts(database), before)
  })
})

test('the same seed gives the same records, and a top-up grows every table for the new people only', async (t) => {
  const first = await createTestDatabase()
  const second = await createTestDatabase()
  t.after(async () => {
    await first.close()
    await second.close()
  })
  await seed(first, 150)
  await seed(second, 150)
  const snapshot = async (database: Database) =>
    JSON.stringify(
      await rows(
        database,
        `select (select json_agg(x order by x.id) from (select id, status, started_at, completed_at from health_check) x) as checks,
           (select json_agg(x order by x.id) from (select id, category, status, identified_on from need) x) as needs,
           (select json_agg(x order by x.id) from (select id, status, chase_on, version from referral) x) as referrals,
           (select json_agg(x order by x.person_id, x.recorded_at) from (select person_id, programme, state, event_date, recorded_at from screening_event) x) as screening,
           (select json_agg(x order by x.person_id, x.recorded_at) from (select person_id, status, status_date, recorded_at from gp_registration) x) as gp`,
      ),
    )
  assert.equal(await snapshot(first), await snapshot(second))
  const small = await tableCounts(first)
  await seed(first, 400)
  const large = await tableCounts(first)
  for (const table of [
    'health_check',
    'health_check_response',
    'need',
    'need_event',
    'gp_registration',
    'referral',
    'referral_event',
    'screening_event',
  ])
    assert.ok(
      (large[table] ?? 0) > (small[table] ?? 0) * 1.8,
      `${table} grows with people (${small[table]} -> ${large[table]})`,
    )
})

test('the demo partner caseworker sees referrals to their organisation at several stages at every demo site', async (t) => {
  const { app, database } = await buildTestApp(t, { now: NOW })
  await seed(database, PEOPLE)
  const byStatus = await rows<{ code: string; statuses: number }>(
    database,
    `select s.code, count(distinct r.status)::int as statuses from referral r
     join staff_user u on u.organisation_id = r.organisation_id and u.email = 'partner@demo.hub.invalid'
     join site s on s.id = r.site_id where r.sent_on is not null group by 1`,
  )
  assert.equal(byStatus.length, 4, 'at every demo site')
  assert.ok(
    byStatus.every((s) => s.statuses >= 3),
    JSON.stringify(byStatus),
  )
  const browser = await signedInBrowser(app, 'partner@demo.hub.invalid', DEMO_PASSWORD)
  const response = await browser.get('/api/v1/referrals')
  assert.equal(response.statusCode, 200)
  const body = json<{ total: number; referrals: { status: string }[] }>(response)
  assert.ok(body.total > 10, `the partner sees referrals (${body.total})`)
  assert.ok(new Set(body.referrals.map((r) => r.status)).size >= 3)
})

test('a disabled demo account stays disabled, with its password, when the seed runs again', async (t) => {
  const database = await createTestDatabase()
  t.after(() => database.close())
  await seed(database, 0)
  await database.db
    .updateTable('staff_user')
    .set({ status: 'disabled', password_hash: 'disabled-by-admin' })
    .where('email', '=', 'analyst@demo.hub.invalid')
    .execute()
  const lines: string[] = []
  await seedDemo(
    { database, clock: fixedClock(NOW), log: (l) => lines.push(l), progress: false, passwordCost: TEST_PASSWORD_COST },
    { people: 0 },
  )
  const analyst = await database.db
    .selectFrom('staff_user')
    .select(['status', 'password_hash'])
    .where('email', '=', 'analyst@demo.hub.invalid')
    .executeTakeFirstOrThrow()
  assert.deepEqual(analyst, { status: 'disabled', password_hash: 'disabled-by-admin' })
  assert.ok(lines.some((l) => /1 demo account was disabled .* stays? disabled/.test(l)))
})
