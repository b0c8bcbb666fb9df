import type { Kysely } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import { appointmentColumns, followUpColumns, generateAppointments } from './demo.appointments.ts'
import { consentColumns, generateConsent, type PartnerIds } from './demo.consent.ts'
import { DEMO_EMAIL_DOMAIN, demoOrganisations } from './demo.data.ts'
import { createRandom, type DemoPerson, type DemoTable } from './demo.generators.ts'
import * as repo from './demo.repository.ts'
import {
  createTeamState,
  membershipCsv,
  membershipColumns,
  staffColumns,
  staffCsv,
  type TeamState,
} from './demo.teams.ts'

/*
 * What the demo's people have been through: hub teams (staff added as the caseload grows), appointments with
 * outcomes, follow-ups for missed ones, and consent decisions. Each chunk of people is planned once (the first
 * table asking plans it) and every table then copies its share of the plan, so all of it is generated for newly
 * added people only, in the same transaction as they are.
 */

/** The tables whose foreign keys a large load checks in one pass at the end (demo.repository.ts). */
export const bulkCheckedTables = ['appointment', 'follow_up', 'consent_decision'] as const

interface ChunkPlan {
  staff: string
  memberships: string
  appointments: string
  followUps: string
  consent: string
}

export interface ActivityCounts {
  staff: number
  appointments: number
  followUps: number
  consentDecisions: number
}

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
}

export function createDemoActivity(input: ActivityInput): DemoActivity {
  const teams: TeamState = createTeamState(input)
  const nowMs = input.now.getTime()
  const counts: ActivityCounts = { staff: 0, appointments: 0, followUps: 0, consentDecisions: 0 }
  const plans = new WeakMap<readonly DemoPerson[], ChunkPlan>()

  function plan(people: readonly DemoPerson[]): ChunkPlan {
    const known = plans.get(people)
    if (known !== undefined) return known
    const random = createRandom(`activity:${input.seed}:${people[0]?.row.id ?? ''}`)
    let appointments = ''
    let followUps = ''
    let consent = ''
    for (const person of people) {
      const placement = teams.place(person)
      // The person's practitioner is their team's, so their joint appointments are with the practitioner named on
      // their record; the few with none assigned keep none.
      if (person.row.probation_practitioner_id !== null) person.row.probation_practitioner_id = placement.practitionerId
      const made = generateAppointments(random, person, placement, nowMs)
      appointments += made.appointments
      followUps += made.followUps
      counts.appointments += made.appointmentCount
      counts.followUps += made.followUpCount
      const decisions = generateConsent(random, person, made.firstAttended, input.partnerIds, nowMs)
      consent += decisions.csv
      counts.consentDecisions += decisions.count
    }
    const staff = teams.takeNewStaff()
    counts.staff += staff.length
    const made: ChunkPlan = {
      staff: staffCsv(staff, input.passwordHash),
      memberships: membershipCsv(staff),
      appointments,
      followUps,
      consent,
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
    after: [
      table('appointment', appointmentColumns, (p) => p.appointments),
      table('follow_up', followUpColumns, (p) => p.followUps),
      table('consent_decision', consentColumns, (p) => p.consent),
    ],
    counts,
  }
}

/** Reads what the plan depends on (people per site, accounts, partner ids) before a load. */
export async function prepareDemoActivity(
  db: Kysely<DB>,
  options: { seed: string; now: Date; passwordHash: string; siteIds: ReadonlyMap<string, string> },
): Promise<DemoActivity> {
  return createDemoActivity({
    ...options,
    peopleBySite: await repo.countPeopleBySite(db),
    existingStaff: await repo.listStaffInDomain(db, DEMO_EMAIL_DOMAIN),
    partnerIds: await repo.findOrganisationIds(
      db,
      demoOrganisations.map((o) => o.code),
    ),
  })
}
