import { DEMO_EMAIL_DOMAIN, femaleGivenNames, maleGivenNames, surnameEndings, surnameStems } from './demo.data.ts'
import { copyColumns, createRandom, csvLine, randomUuid, type DemoPerson } from './demo.generators.ts'

/*
 * Hub teams: who sees whom, sized so that nobody is ever double booked at any scale.
 *
 * A team is one hub clinician and four probation practitioners at one site, with a panel of TEAM_PANEL people. The
 * clinician's diary is a fixed grid (SLOTS_PER_DAY hour-long slots on every working day, counted from a fixed
 * epoch), and each person on the panel owns one lane of it: every TEAM_PANEL-th slot, which is the same weekday and
 * time every six weeks. Every appointment a person has sits in their own lane, so no two of a clinician's
 * appointments can overlap, nor two of a person's; a practitioner belongs to one team only and joins only that
 * clinician's appointments, so theirs cannot overlap either. Teams are added as a site's caseload grows (the
 * demo's few fixed accounts could never hold a quarter of a million people's appointments), and the grid is
 * anchored to a fixed date, so a top-up on a later day fills empty lanes without touching anyone's existing ones.
 */

/**
 * People per team, and lanes in a clinician's diary: 7 slots a day x 30 working days, so each person is seen every six
 * weeks, and each of the team's practitioners has about 52 of them (a usual probation caseload).
 */
export const TEAM_PANEL = 210
export const SLOTS_PER_DAY = 7
export const PRACTITIONERS_PER_TEAM = 4
/** Lanes are handed out in this stride (coprime to TEAM_PANEL), so a part-full team's diary is spread over the cycle. */
const LANE_STRIDE = 73

/** Headline accounts that run team 1 at a site, so signing in as them shows a full diary and caseload. */
const HEADLINE_CLINICIANS: Readonly<Record<string, string>> = {
  cambridge: 'clinician-cambridge',
  middlesbrough: 'clinician',
}
const HEADLINE_PRACTITIONERS: Readonly<Record<string, string>> = { middlesbrough: 'probation-practitioner' }

export type TeamRole = 'clinician' | 'probation_practitioner'

export interface ExistingStaff {
  id: string
  email: string
  role: string
  isDemo: boolean
}

export interface Team {
  siteCode: string
  number: number
  clinicianId: string
  practitionerIds: readonly string[]
}

/** Where a person sits: their team, their lane in the clinician's diary, and their practitioner in the team. */
export interface Placement {
  team: Team
  lane: number
  practitionerId: string
}

export interface NewStaff {
  id: string
  email: string
  displayName: string
  role: TeamRole
  siteId: string
}

const email = (local: string) => `${local}@${DEMO_EMAIL_DOMAIN}`

function displayName(address: string): string {
  const random = createRandom(`staff-name:${address}`)
  const given = random.pick(random.chance(0.5) ? femaleGivenNames : maleGivenNames)
  return `${given} ${random.pick(surnameStems)}${random.pick(surnameEndings)}`
}

export interface TeamStateInput {
  siteIds: ReadonlyMap<string, string>
  /** People already at each site (by site id): new people's ranks continue after them. */
  peopleBySite: ReadonlyMap<string, number>
  /** Staff whose address is one a team might use (demo or not). */
  existingStaff: readonly ExistingStaff[]
}

export interface TeamState {
  /** Places a person (in order) and returns their placement; new staff it needed are queued for `takeNewStaff`. */
  place(person: DemoPerson): Placement
  takeNewStaff(): NewStaff[]
}

export function createTeamState(input: TeamStateInput): TeamState {
  const byEmail = new Map(input.existingStaff.map((s) => [s.email, s]))
  const nextRank = new Map<string, number>()
  const teams = new Map<string, Team>()
  const created = new Map<string, string>()
  let pending: NewStaff[] = []

  function account(candidates: readonly string[], role: TeamRole, siteId: string): string {
    const allowed: readonly string[] = role === 'clinician' ? ['clinician', 'hub_manager'] : ['probation_practitioner']
    for (const local of candidates) {
      const address = email(local)
      const found = byEmail.get(address)
      if (found?.isDemo === true && allowed.includes(found.role)) return found.id
    }
    // The last candidate is the team's own address: made here unless already made in this load.
    const address = email(candidates[candidates.length - 1] ?? 'unknown')
    const made = created.get(address)
    if (made !== undefined) return made
    if (byEmail.has(address)) throw new Error(`${address} exists but is not a demo ${role}; the demo cannot use it`)
    const id = randomUuid(createRandom(`staff-id:${address}`))
    created.set(address, id)
    pending.push({ id, email: address, displayName: displayName(address), role, siteId })
    return id
  }

  function practitionerLocals(siteCode: string, sequence: number): string[] {
    const headline = HEADLINE_PRACTITIONERS[siteCode]
    if (headline === undefined) return [`practitioner-${siteCode}-${sequence + 1}`]
    return sequence === 0 ? [headline, `practitioner-${siteCode}-0`] : [`practitioner-${siteCode}-${sequence}`]
  }

  function team(siteCode: string, siteId: string, number: number): Team {
    const key = `${siteCode}:${number}`
    const known = teams.get(key)
    if (known !== undefined) return known
    const headline = number === 1 ? HEADLINE_CLINICIANS[siteCode] : undefined
    const clinicianLocals = [...(headline === undefined ? [] : [headline]), `clinician-${siteCode}-${number}`]
    const made: Team = {
      siteCode,
      number,
      clinicianId: account(clinicianLocals, 'clinician', siteId),
      practitionerIds: Array.from({ length: PRACTITIONERS_PER_TEAM }, (_, i) =>
        account(
          practitionerLocals(siteCode, (number - 1) * PRACTITIONERS_PER_TEAM + i),
          'probation_practitioner',
          siteId,
        ),
      ),
    }
    teams.set(key, made)
    return made
  }

  return {
    place(person) {
      const siteId = person.row.site_id
      const rank = nextRank.get(siteId) ?? input.peopleBySite.get(siteId) ?? 0
      nextRank.set(siteId, rank + 1)
      const placed = team(person.siteCode, siteId, Math.floor(rank / TEAM_PANEL) + 1)
      const seat = rank % TEAM_PANEL
      const practitionerId = placed.practitionerIds[seat % PRACTITIONERS_PER_TEAM]
      if (practitionerId === undefined) throw new Error('A team has no practitioners')
      return { team: placed, lane: (seat * LANE_STRIDE) % TEAM_PANEL, practitionerId }
    },
    takeNewStaff() {
      const taken = pending
      pending = []
      return taken
    },
  }
}

export const staffColumns = copyColumns('staff_user', [
  'id',
  'email',
  'display_name',
  'role',
  'password_hash',
  'is_demo',
])
export const membershipColumns = copyColumns('staff_site', ['staff_user_id', 'site_id'])

export function staffCsv(staff: readonly NewStaff[], passwordHash: string): string {
  let csv = ''
  for (const s of staff) csv += csvLine([s.id, s.email, s.displayName, s.role, passwordHash, true])
  return csv
}

export function membershipCsv(staff: readonly NewStaff[]): string {
  let csv = ''
  for (const s of staff) csv += csvLine([s.id, s.siteId])
  return csv
}
