import { isoDay, isoInstant, type FirstAttended } from './demo.appointments.ts'
import { copyColumns, type DemoPerson, type Random } from './demo.generators.ts'
import type { PersonStory } from './demo.story.ts'

/*
 * Consent decisions, asked at the first hub appointment a person attended and recorded by that clinician, in
 * person (or on a signed form). The history is append-only, so a later withdrawal is a second, later row.
 */

const DAY_MS = 86_400_000
const MINUTE_MS = 60_000

/** Shares used by the generator; the tests check the output against them. */
export const consentProportions = {
  /** Given (the rest refused) for the topics everyone is asked about. */
  shareSummaryWithProbation: 0.88,
  shareWithGpIfRegistered: 0.85,
  shareWithGpIfNotRegistered: 0.65,
  evaluationUse: 0.8,
  /** Asked only of people with a mobile number, or an email address; the rest have no decision on that channel. */
  smsIfPhone: 0.82,
  emailIfEmail: 0.6,
  /** Partners are asked about only when relevant to the person: a few each, and given less often. */
  partnerGiven: 0.7,
  /** A given decision later withdrawn. */
  withdrawn: 0.03,
  written: 0.08,
} as const

export const consentColumns = copyColumns('consent_decision', [
  'person_id',
  'topic',
  'organisation_id',
  'decision',
  'decided_on',
  'recorded_by',
  'recorded_at',
  'method',
  'note',
])

/** Organisation ids by demo code (demo.data.ts), for share-with-partner. */
export type PartnerIds = ReadonlyMap<string, string>

const withdrawalNotes = [
  'Asked to withdraw this consent at a later appointment',
  'Phoned the hub to withdraw',
  'Withdrew in writing',
]

/**
 * Which partners a person is asked about, with the chance for each (codes from demo.data.ts). The person's story
 * (demo.story.ts) says what the clinician already knows they may be referred for: drug or alcohol treatment
 * (Northgate), or support after trauma or with neurodivergence (Brightpath's peer mentors), so those partners are asked about more often.
 */
function partnersFor(random: Random, person: DemoPerson, story: PersonStory): string[] {
  const asked: string[] = []
  const substance = person.traits.substanceMisuse || story.drugs || story.alcohol
  if (random.chance(substance ? 0.85 : 0.05)) asked.push('demo-northgate-treatment')
  const support = story.childhoodAbuse || story.neurodivergenceSupport
  if (random.chance(support ? 0.9 : substance ? 0.25 : 0.05)) asked.push('demo-brightpath-recovery')
  if (random.chance(person.row.no_fixed_abode ? 0.8 : 0.08)) asked.push('demo-keystone-housing')
  if (random.chance(0.08)) asked.push('demo-harbourside-pharmacy')
  return asked
}

/** A partner the person agreed to share with: from when, and until a withdrawal (if any). */
export interface PartnerShare {
  givenMs: number
  withdrawnMs: number | null
}

export interface PersonConsent {
  csv: string
  count: number
  /** Given share-with-partner decisions, by organisation id: referrals to a partner are sent only inside them. */
  partners: Map<string, PartnerShare>
}

export function generateConsent(
  random: Random,
  person: DemoPerson,
  first: FirstAttended | null,
  partnerIds: PartnerIds,
  nowMs: number,
  story: PersonStory,
): PersonConsent {
  const result: PersonConsent = { csv: '', count: 0, partners: new Map() }
  if (first === null) return result
  const row = person.row
  const recordedMs = Math.min(nowMs, first.endsAtMs + random.int(0, 10) * MINUTE_MS)
  // Date, clinician, time and method: the same for every decision taken at that appointment.
  const asked = `${isoDay(first.dayMs)},${first.clinicianId},${isoInstant(recordedMs)},${
    random.chance(consentProportions.written) ? 'written' : 'in-person'
  },`

  const decide = (topic: string, organisationId: string | null, given: boolean) => {
    const topicPart = `${row.id},${topic},${organisationId ?? ''},`
    result.csv += `${topicPart}${given ? 'given' : 'refused'},${asked}\n`
    result.count++
    const share: PartnerShare = { givenMs: recordedMs, withdrawnMs: null }
    if (given && organisationId !== null) result.partners.set(organisationId, share)
    // Withdrawn later: a second row, at least a week on and never after now.
    if (!given || !random.chance(consentProportions.withdrawn)) return
    const days = Math.floor((nowMs - recordedMs) / DAY_MS)
    if (days < 8) return
    const laterMs = recordedMs + random.int(7, days - 1) * DAY_MS
    share.withdrawnMs = laterMs
    const method = random.pick(['in-person', 'phone', 'written'])
    result.csv +=
      `${topicPart}withdrawn,${isoDay(laterMs)},${first.clinicianId},${isoInstant(laterMs)},${method},` +
      `${random.pick(withdrawalNotes)}\n`
    result.count++
  }

  const p = consentProportions
  decide('share-summary-with-probation', null, random.chance(p.shareSummaryWithProbation))
  decide(
    'share-with-gp',
    null,
    random.chance(person.traits.gpRegistered ? p.shareWithGpIfRegistered : p.shareWithGpIfNotRegistered),
  )
  for (const code of partnersFor(random, person, story)) {
    const organisationId = partnerIds.get(code)
    if (organisationId !== undefined) decide('share-with-partner', organisationId, random.chance(p.partnerGiven))
  }
  if (row.phone !== null) decide('contact-by-sms', null, random.chance(p.smsIfPhone))
  if (row.email !== null) decide('contact-by-email', null, random.chance(p.emailIfEmail))
  decide('evaluation-use', null, random.chance(p.evaluationUse))
  return result
}
