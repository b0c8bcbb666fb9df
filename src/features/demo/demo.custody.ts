import { isoDay, isoInstant } from './demo.appointments.ts'
import { copyColumns, csvLine, randomUuid, type DemoPerson, type FixedTexts, type Random } from './demo.generators.ts'
import { itemDefinitions, planItemKinds, type PlanItemKind } from '../custody/index.ts'

/*
 * Custody episodes for the people who came from prison (a release date on their record): their prison, the release
 * (expected, or actual once it has passed) and its type, where they went, a few recalled. Each has its release plan
 * at the stage its date puts it at: releases far off have everything to do, those in the next weeks are part done,
 * past releases mostly done, with some items that did not apply, some missed, and some gaps in opioid substitution
 * (the prescriber's appointment after the supply runs out, or none booked). Every row's first version is in its
 * history, as the service writes it.
 */

const DAY_MS = 86_400_000

/** Fictional prisons: names and codes of the demo only. */
const demoPrisons = [
  { name: 'HMP Northgate (demo)', code: 'NGX' },
  { name: 'HMP Riverside (demo)', code: 'RVX' },
  { name: 'HMP Eastfield (demo)', code: 'EFX' },
  { name: 'HMP Westmoor (demo)', code: 'WMX' },
] as const

export const custodyProportions = {
  recalled: 0.06,
  opioidSubstitution: 0.18,
  ostGap: 0.15,
  itemMissed: 0.12,
  itemNotApplicable: 0.08,
} as const

export const custodyEpisodeColumns = copyColumns('custody_episode', [
  'id',
  'person_id',
  'prison_name',
  'prison_code',
  'prison_number',
  'expected_release_date',
  'actual_release_date',
  'release_type',
  'release_address',
  'no_fixed_abode',
  'recalled_on',
  'created_by',
  'created_at',
  'updated_by',
  'updated_at',
])

export const custodyHistoryColumns = copyColumns('custody_episode_history', [
  'episode_id',
  'version',
  'snapshot',
  'actor_id',
  'recorded_at',
])

export const planItemColumns = copyColumns('release_plan_item', [
  'id',
  'episode_id',
  'person_id',
  'kind',
  'owner',
  'status',
  'not_applicable_reason',
  'notes',
  'days_supplied',
  'bridging_prescription',
  'opioid_substitution',
  'prescriber_appointment_on',
  'naloxone',
  'updated_by',
  'created_at',
  'updated_at',
])

export const planHistoryColumns = copyColumns('release_plan_item_history', [
  'item_id',
  'version',
  'snapshot',
  'actor_id',
  'recorded_at',
])

const notApplicableReasons: Partial<Record<PlanItemKind, string>> = {
  housing: 'Returning to their own tenancy',
  'mental-health': 'No mental health need identified',
  'meet-at-gate': 'Family meeting them at the gate',
  'id-bank-benefits': 'Has ID and a bank account; benefits already in payment',
}

export const custodyVocabulary: FixedTexts = {
  custody_episode: { prison_name: demoPrisons.map((p) => p.name) },
  release_plan_item: { not_applicable_reason: Object.values(notApplicableReasons) },
}

export interface PersonCustody {
  episodes: string
  episodeHistory: string
  items: string
  itemHistory: string
  counts: { episodes: number; items: number }
}

const none: PersonCustody = {
  episodes: '',
  episodeHistory: '',
  items: '',
  itemHistory: '',
  counts: { episodes: 0, items: 0 },
}

/** The person's custody episode and its release plan, or nothing when they did not come from prison. */
export function generateCustody(
  random: Random,
  person: DemoPerson,
  recorderId: string,
  clinicianId: string,
  nowMs: number,
): PersonCustody {
  const release = person.row.release_date
  const prisonNumber = person.row.prison_number
  if (release === null || prisonNumber === null) return none
  const prison = random.pick(demoPrisons)
  const releaseMs = Date.parse(`${release}T00:00:00Z`)
  const today = isoDay(nowMs)
  const released = release <= today
  const recalled =
    released && releaseMs + 14 * DAY_MS < nowMs && random.chance(custodyProportions.recalled)
      ? isoDay(releaseMs + random.int(14, Math.max(14, Math.floor((nowMs - releaseMs) / DAY_MS))) * DAY_MS)
      : null
  const nfa = person.row.no_fixed_abode
  const address = nfa
    ? null
    : [person.row.address_line1, person.row.town, person.row.postcode]
        .filter((p) => p !== null && p !== '')
        .join(', ') || null
  // Recorded 12 weeks before release, or on the day of release for the few recorded late.
  const recordedMs = Math.min(nowMs - 3_600_000, releaseMs - random.int(0, 84) * DAY_MS + 10 * 3_600_000)
  const recordedAt = isoInstant(recordedMs)
  const episodeId = randomUuid(random)
  const releaseType = random.pick([
    'licence',
    'licence',
    'licence',
    'licence',
    'end-of-sentence',
    'home-detention-curfew',
    'post-sentence-supervision',
  ] as const)
  const episode = {
    prisonName: prison.name,
    prisonCode: prison.code,
    prisonNumber,
    expectedReleaseDate: release,
    actualReleaseDate: released ? release : null,
    releaseType,
    releaseAddress: address,
    noFixedAbode: nfa,
    recalledOn: recalled,
  }
  const episodes = csvLine([
    episodeId,
    person.row.id,
    episode.prisonName,
    episode.prisonCode,
    episode.prisonNumber,
    episode.expectedReleaseDate,
    episode.actualReleaseDate,
    episode.releaseType,
    episode.releaseAddress,
    episode.noFixedAbode,
    episode.recalledOn,
    recorderId,
    recordedAt,
    recorderId,
    recordedAt,
  ])
  const episodeHistory = csvLine([episodeId, 1, JSON.stringify(episode), recorderId, recordedAt])

  // How far along the plan is: days from release (negative before it).
  const daysAfter = Math.floor((nowMs - releaseMs) / DAY_MS)
  const ost = random.chance(custodyProportions.opioidSubstitution)
  let items = ''
  let itemHistory = ''
  for (const kind of planItemKinds) {
    const id = randomUuid(random)
    const { dueOffsetDays: due, owner } = itemDefinitions[kind]
    const reason = notApplicableReasons[kind]
    let status: 'to-do' | 'in-progress' | 'done' | 'not-applicable' = 'to-do'
    if (reason !== undefined && random.chance(custodyProportions.itemNotApplicable)) status = 'not-applicable'
    else if (daysAfter >= due + 7) status = random.chance(custodyProportions.itemMissed) ? 'to-do' : 'done'
    else if (daysAfter >= -28) status = random.pick(['to-do', 'in-progress', 'done'] as const)
    const medicines = kind === 'medicines'
    const days = medicines && ost ? random.pick([3, 7, 7, 14]) : null
    const prescriber =
      days === null || (daysAfter < -21 && random.chance(0.5))
        ? null
        : random.chance(custodyProportions.ostGap)
          ? random.chance(0.5)
            ? null
            : isoDay(releaseMs + (days + random.int(1, 7)) * DAY_MS)
          : isoDay(releaseMs + random.int(Math.max(0, days - 3), days) * DAY_MS)
    const naloxone =
      kind === 'naloxone' && status !== 'to-do'
        ? ost
          ? 'supplied'
          : random.pick(['offered', 'supplied', 'declined'] as const)
        : null
    const itemStatus = kind === 'naloxone' && naloxone !== null ? 'done' : status
    const row = {
      kind,
      owner,
      status: itemStatus,
      notApplicableReason: itemStatus === 'not-applicable' ? (reason ?? null) : null,
      notes: null,
      daysSupplied: days,
      bridgingPrescription: medicines && itemStatus !== 'to-do' ? random.chance(0.3) : null,
      opioidSubstitution: medicines && ost,
      prescriberAppointmentOn: medicines ? prescriber : null,
      naloxone,
    }
    const by = owner === 'clinician' ? clinicianId : recorderId
    items += csvLine([
      id,
      episodeId,
      person.row.id,
      kind,
      row.owner,
      row.status,
      row.notApplicableReason,
      row.notes,
      row.daysSupplied,
      row.bridgingPrescription,
      row.opioidSubstitution,
      row.prescriberAppointmentOn,
      row.naloxone,
      by,
      recordedAt,
      recordedAt,
    ])
    itemHistory += csvLine([id, 1, JSON.stringify({ ...row, organisationId: null, referralId: null }), by, recordedAt])
  }
  return {
    episodes,
    episodeHistory,
    items,
    itemHistory,
    counts: { episodes: 1, items: planItemKinds.length },
  }
}
