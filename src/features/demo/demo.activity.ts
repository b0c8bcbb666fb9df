import type { Kysely } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import { appointmentColumns, followUpColumns, generateAppointments } from './demo.appointments.ts'
import { consentColumns, generateConsent, type PartnerIds } from './demo.consent.ts'
import { DEMO_EMAIL_DOMAIN, demoAccounts, demoOrganisations } from './demo.data.ts'
import { createRandom, type CopyColumn, type DemoPerson, type DemoTable } from './demo.generators.ts'
import { generateGp, gpRegistrationColumns } from './demo.gp.ts'
import {
  enabledInstruments,
  flagColumns,
  generateHealth,
  healthCheckColumns,
  needColumns,
  needEventColumns,
  observationColumns,
  responseColumns,
} from './demo.health.ts'
import { generateReferrals, referralColumns, referralEventColumns, type DirectoryService } from './demo.referrals.ts'
import * as repo from './demo.repository.ts'
import { generateScreening, screeningColumns } from './demo.screening.ts'
import { drawStory } from './demo.story.ts'
import {
  createTeamState,
  membershipCsv,
  membershipColumns,
  staffColumns,
  staffCsv,
  type TeamState,
} from './demo.teams.ts'
import { generateTreatment, treatmentColumns, treatmentEventColumns } from './demo.treatment.ts'
import {
  custodyEpisodeColumns,
  custodyHistoryColumns,
  generateCustody,
  planHistoryColumns,
  planItemColumns,
} from './demo.custody.ts'

/*
 * What the demo's people have been through: hub teams (staff added as the caseload grows), appointments with
 * outcomes, follow-ups for missed ones, consent decisions, health checks with their flags and needs, GP
 * registrations, referrals, screening histories, treatment requirements, and custody episodes with their release
 * plans. Each chunk of people is planned once
 * (the first table asking plans it) and every table then copies its share of the plan, so all of it is generated
 * for newly added people only, in the same transaction as they are.
 */

/** The tables whose foreign keys a large load checks in one pass at the end (demo.repository.ts). */
export const bulkCheckedTables = [
  'appointment',
  'follow_up',
  'consent_decision',
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

/** A table with its COPY column list (demo.generators.ts `copyColumns`): a list paired with another table fails. */
type ActivityColumns = {
  [T in (typeof bulkCheckedTables)[number]]: readonly [T, readonly CopyColumn<T>[]]
}[(typeof bulkCheckedTables)[number]]

/** The activity tables, in copy order (every table after those its rows refer to). */
const activityTables = [
  ['appointment', appointmentColumns],
  ['follow_up', followUpColumns],
  ['consent_decision', consentColumns],
  ['health_check', healthCheckColumns],
  ['health_check_response', responseColumns],
  ['health_check_observation', observationColumns],
  ['warning_flag', flagColumns],
  ['need', needColumns],
  ['need_event', needEventColumns],
  ['gp_registration', gpRegistrationColumns],
  ['referral', referralColumns],
  ['referral_event', referralEventColumns],
  ['screening_event', screeningColumns],
  ['treatment_requirement', treatmentColumns],
  ['treatment_requirement_event', treatmentEventColumns],
  ['custody_episode', custodyEpisodeColumns],
  ['custody_episode_history', custodyHistoryColumns],
  ['release_plan_item', planItemColumns],
  ['release_plan_item_history', planHistoryColumns],
] as const satisfies readonly ActivityColumns[]

type ActivityTable = (typeof activityTables)[number][0]

interface ChunkPlan {
  staff: string
  memberships: string
  rows: Record<ActivityTable, string>
}

/** Rows planned so far in this load, by table, and the new team staff. */
export type ActivityCounts = Record<ActivityTable, number> & { staff: number }

export interface DemoActivity {
  /** Tables copied before the people (the staff they are assigned to). */
  readonly before: readonly DemoTable[]
  /** Tables copied after the people (rows that refer to them). */
  readonly after: readonly DemoTable[]
  /** Rows planned so far in this load. */
  readonly counts: Readonly<ActivityCounts>
}

interface ActivityInput {
  seed: string
  now: Date
  passwordHash: string
  siteIds: ReadonlyMap<string, string>
  peopleBySite: ReadonlyMap<string, number>
  existingStaff: Parameters<typeof createTeamState>[0]['existingStaff']
  partnerIds: PartnerIds
  /** Active directory entries by site id. */
  services: ReadonlyMap<string, readonly DirectoryService[]>
  /** Instrument codes with a licence permission in force. */
  permittedInstruments: readonly string[]
  /** Active partner caseworker demo accounts, by organisation id. */
  caseworkers: ReadonlyMap<string, string>
}

const emptyRows = (): Record<ActivityTable, string> =>
  Object.fromEntries(activityTables.map(([name]) => [name, ''])) as Record<ActivityTable, string>

export function createDemoActivity(input: ActivityInput): DemoActivity {
  const teams: TeamState = createTeamState(input)
  const nowMs = input.now.getTime()
  const counts = {
    staff: 0,
    ...Object.fromEntries(activityTables.map(([name]) => [name, 0])),
  } as ActivityCounts
  const plans = new WeakMap<readonly DemoPerson[], ChunkPlan>()
  const enabled = enabledInstruments(input.permittedInstruments)

  function plan(people: readonly DemoPerson[]): ChunkPlan {
    const known = plans.get(people)
    if (known !== undefined) return known
    const firstId = people[0]?.row.id ?? ''
    const random = createRandom(`activity:${input.seed}:${firstId}`)
    // Health, GP, referrals, screening and treatment draw on their own stream, so the appointments and consent of
    // a seed stay as they were before these were added.
    const health = createRandom(`health:${input.seed}:${firstId}`)
    const custodyRandom = createRandom(`custody:${input.seed}:${firstId}`)
    const rows = emptyRows()
    const add = (table: ActivityTable, csv: string, count: number) => {
      rows[table] += csv
      counts[table] += count
    }
    for (const person of people) {
      const placement = teams.place(person)
      // The person's practitioner is their team's, so their joint appointments are with the practitioner named on
      // their record; the few with none assigned keep none.
      if (person.row.probation_practitioner_id !== null) person.row.probation_practitioner_id = placement.practitionerId
      const made = generateAppointments(random, person, placement, nowMs)
      add('appointment', made.appointments, made.appointmentCount)
      add('follow_up', made.followUps, made.followUpCount)
      const story = drawStory(health, person)
      const consent = generateConsent(random, person, made.firstAttended, input.partnerIds, nowMs, story)
      add('consent_decision', consent.csv, consent.count)

      const first = made.firstAttended
      const services = input.services.get(person.row.site_id) ?? []
      const practices = services.filter((s) => s.kind === 'gp-practice').map((s) => s.id)
      const gp = generateGp(health, person, first, practices, nowMs)
      add('gp_registration', gp.csv, gp.count)
      const screening = generateScreening(health, person, story, first, nowMs)
      add('screening_event', screening.csv, screening.count)
      const checks = generateHealth({
        random: health,
        person,
        story,
        attended: made.attended,
        nowMs,
        enabled,
        registeredOn: gp.registeredOn,
        screeningDueOn: screening.dueOn,
      })
      add('health_check', checks.checks, checks.counts.checks)
      add('health_check_response', checks.responses, checks.counts.responses)
      add('health_check_observation', checks.observations, checks.counts.observations)
      add('warning_flag', checks.flags, checks.counts.flags)
      add('need', checks.needs, checks.counts.needs)
      add('need_event', checks.needEvents, checks.counts.needEvents)
      const referrals = generateReferrals({
        random: health,
        person,
        needs: checks.needList,
        services,
        partners: consent.partners,
        caseworkers: input.caseworkers,
        nowMs,
      })
      add('referral', referrals.referrals, referrals.referralCount)
      add('referral_event', referrals.events, referrals.eventCount)
      const practitionerId = person.row.probation_practitioner_id ?? placement.practitionerId
      const treatment = generateTreatment(health, person, checks.needList, referrals.list, practitionerId, nowMs)
      add('treatment_requirement', treatment.requirements, treatment.requirementCount)
      add('treatment_requirement_event', treatment.events, treatment.eventCount)
      const custody = generateCustody(
        custodyRandom,
        person,
        practitionerId,
        first?.clinicianId ?? practitionerId,
        nowMs,
      )
      add('custody_episode', custody.episodes, custody.counts.episodes)
      add('custody_episode_history', custody.episodeHistory, custody.counts.episodes)
      add('release_plan_item', custody.items, custody.counts.items)
      add('release_plan_item_history', custody.itemHistory, custody.counts.items)
    }
    const staff = teams.takeNewStaff()
    counts.staff += staff.length
    const made: ChunkPlan = {
      staff: staffCsv(staff, input.passwordHash),
      memberships: membershipCsv(staff),
      rows,
    }
    plans.set(people, made)
    return made
  }

  const table = (name: string, columns: readonly string[], part: (p: ChunkPlan) => string): DemoTable => ({
    table: name,
    columns,
    csv: (people) => part(plan(people)),
  })

  return {
    before: [
      table('staff_user', staffColumns, (p) => p.staff),
      table('staff_site', membershipColumns, (p) => p.memberships),
    ],
    after: activityTables.map(([name, columns]) => table(name, columns, (p) => p.rows[name])),
    counts,
  }
}

/** Reads what the plan depends on (people per site, accounts, partners, the directory, permissions) before a load. */
export async function prepareDemoActivity(
  db: Kysely<DB>,
  options: { seed: string; now: Date; passwordHash: string; siteIds: ReadonlyMap<string, string> },
): Promise<DemoActivity> {
  const partnerEmails = demoAccounts.filter((a) => a.role === 'partner').map((a) => a.email)
  return createDemoActivity({
    ...options,
    peopleBySite: await repo.countPeopleBySite(db),
    existingStaff: await repo.listStaffInDomain(db, DEMO_EMAIL_DOMAIN),
    partnerIds: await repo.findOrganisationIds(
      db,
      demoOrganisations.map((o) => o.code),
    ),
    services: await repo.listActiveServices(db, [...options.siteIds.values()]),
    permittedInstruments: await repo.listPermittedInstruments(db),
    caseworkers: await repo.findCaseworkers(db, partnerEmails),
  })
}
