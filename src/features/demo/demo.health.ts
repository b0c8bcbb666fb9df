import {
  checkObservations,
  endOfUkDay,
  proposeNeeds,
  type Observations,
  type ResultForRules,
} from '../health-checks/index.ts'
import { loadInstrumentLibrary } from '../instruments/index.ts'
import { PREFER_NOT_TO_SAY, type InstrumentDefinition, type Item, type ScoreResult } from '../instruments/index.ts'
import { score } from '../instruments/index.ts'
import { isoDay, isoInstant, type AttendedAppointment } from './demo.appointments.ts'
import { copyColumns, csvLine, randomUuid, type DemoPerson, type FixedTexts, type Random } from './demo.generators.ts'
import type { PersonStory } from './demo.story.ts'
import type { ObservationStatus, SmokingStatus } from '../health-checks/index.ts'
import type { NeedCategory, NeedStatus } from '../needs/index.ts'

/*
 * Health checks, warning flags and needs for one person, held at the hub appointments they attended and stored
 * exactly as the health-check feature stores them (health-checks.service.ts):
 * - brief screens first (PHQ-2, GAD-2, AUDIT-C), each scored by the instruments scoring module; when one is positive
 *   and its full instrument is enabled, the full instrument is stored at once with the shared answers carried over
 *   (an incomplete result), then answered in full and stored again; an instrument whose licence needs a permission
 *   that is not recorded is never used;
 * - a warning flag for each warning sign in a result, the moment it is saved, due by the end of that UK day;
 * - observations checked and the BMI worked out by the rules module (checkObservations);
 * - on completion, needs proposed by the rules module (proposeNeeds) from the stored results, observations and
 *   flags, then confirmed or dismissed (with a reason) by the clinician; and needs the clinician records directly
 *   from the conversation (confirmed at once), for what the enabled instruments do not ask about.
 * Nothing is scored, banded or flagged here: every such value is the scoring or rules module's answer.
 */

const MINUTE_MS = 60_000
const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000

export const healthProportions = {
  /** A person's first appointment attended and complied with holds their check; the rest had none offered yet. */
  checkAtFirstAttended: 0.93,
  /** Checks in the last few days still open, to be resumed. */
  recentInProgress: 0.15,
  /** Any single answer declined with "prefer not to say" (the self-harm question a little more often). */
  preferNotToSay: 0.015,
  preferNotToSayItem9: 0.03,
  bloodPressure: { measured: 88, 'not-measured': 8, 'prefer-not-to-say': 4 },
  heightWeight: { measured: 84, 'not-measured': 11, 'prefer-not-to-say': 5 },
  /** Flags responded to the next morning (historical only); all others the same day. */
  flagRespondedLate: 0.03,
  /** Of today's flags, those still awaiting a response for the demo worklist. */
  todaysFlagAwaiting: 0.5,
  /** Decisions on proposed needs: older proposals are all decided; a share of the last fortnight's are not yet. */
  recentStillProposed: 0.35,
  dismissed: 0.12,
  dismissedThenConfirmed: 0.05,
  /** What the clinician records directly from the conversation (instruments for these need a permission). */
  drugNeedRecorded: 0.85,
  traumaNeedRecorded: 0.75,
  gpNeedRecorded: 0.85,
  screeningNeedRecorded: 0.5,
} as const

export const healthCheckColumns = copyColumns('health_check', [
  'id',
  'person_id',
  'site_id',
  'appointment_id',
  'clinician_id',
  'status',
  'started_at',
  'completed_at',
  'version',
  'updated_at',
])

export const responseColumns = copyColumns('health_check_response', [
  'check_id',
  'instrument_code',
  'instrument_version',
  'answers',
  'applicable',
  'complete',
  'score',
  'partial_score',
  'band_code',
  'band_label',
  'positive',
  'missing_items',
  'prefer_not_to_say',
  'saved_at',
  'saved_by',
])

export const observationColumns = copyColumns('health_check_observation', [
  'check_id',
  'blood_pressure_status',
  'systolic',
  'diastolic',
  'height_status',
  'height_cm',
  'weight_status',
  'weight_kg',
  'bmi',
  'smoking_status',
  'recorded_at',
  'recorded_by',
])

export const flagColumns = copyColumns('warning_flag', [
  'id',
  'person_id',
  'site_id',
  'check_id',
  'instrument_code',
  'item_code',
  'code',
  'message',
  'raised_at',
  'respond_by',
  'status',
  'response_text',
  'responded_by',
  'responded_at',
])

export const needColumns = copyColumns('need', [
  'id',
  'person_id',
  'site_id',
  'check_id',
  'category',
  'status',
  'proposed_because',
  'reason',
  'decided_by',
  'decided_at',
  'identified_on',
  'created_at',
  'version',
  'recorded_by',
])

export const needEventColumns = copyColumns('need_event', [
  'need_id',
  'from_status',
  'to_status',
  'reason',
  'actor_id',
  'recorded_at',
])

/** The brief screens in the order the check asks them; each leads to its full instrument when positive. */
const FLOWS = [
  ['phq-2', 'mood'],
  ['gad-2', 'anxiety'],
  ['audit-c', 'alcohol'],
] as const
type Domain = (typeof FLOWS)[number][1]

/** The instrument definitions, checked by the library exactly as when the service starts. */
const library = loadInstrumentLibrary()

export function instrumentDefinition(code: string): InstrumentDefinition {
  const definition = library.find(code)
  if (definition === undefined) throw new Error(`No instrument ${code}`)
  return definition
}

/** Instruments whose licence needs no permission, and those with one recorded: the rest are never used. */
export function enabledInstruments(permitted: Iterable<string>): Set<string> {
  const codes = new Set(permitted)
  return new Set(
    library
      .list()
      .filter((d) => !d.licence.requiresPermission || codes.has(d.code))
      .map((d) => d.code),
  )
}

const flagResponses = [
  'Talked this through with the person today. They described passing thoughts and no plans; we agreed a safety plan together and they have the crisis line number',
  'Discussed at the appointment. Safety plan agreed; with consent the GP has been told and a talking therapies referral offered',
  'Spoke with the person privately. They have support from family and agreed who to contact if the thoughts return; follow-up booked',
  'Reviewed with the person and the duty clinician. Same-day referral to the community mental health team accepted by the person',
]

const dismissReasons: Record<NeedCategory, readonly string[]> = {
  'mental-health': [
    'Already seeing their GP about their mood and does not want anything more now',
    'Low mood linked to a recent bereavement; the person would rather wait and talk again at the next appointment',
  ],
  alcohol: ['Says this was a one-off period; does not want support now and knows how to ask for it'],
  drugs: ['Already in treatment with another service'],
  smoking: ['Not ready to think about stopping; offered again at the next appointment'],
  neurodivergence: ['Already assessed; no further support wanted'],
  trauma: ['Does not want to talk about this now; the offer stays open'],
  'physical-health': [
    'Reading taken after a rushed journey; recheck at the next appointment',
    'Already under the GP for this',
  ],
  'gp-registration': ['Registered with a GP last week; the practice confirmed it'],
  screening: ['Already booked through their GP'],
}

const reconfirmReasons = [
  'Talked again at the next appointment: the person now wants support',
  'New information from the GP; confirmed after discussing with the person',
]

const directNeedText: Partial<Record<NeedCategory, string>> = {
  drugs: 'Raised in conversation at the health check: uses drugs and would like support',
  trauma: 'Raised in conversation at the health check: abuse in childhood; would like support with its effects',
  neurodivergence: 'Neurodivergence on their record; would like support with appointments and paperwork',
  'gp-registration': 'Not registered with a GP practice',
}

/** A need as later generators use it (referrals, treatment requirements). */
export interface DemoNeed {
  id: string
  category: NeedCategory
  status: NeedStatus
  identifiedOn: string
  /** When it became confirmed (the latest time, for one confirmed again); null when not confirmed. */
  confirmedMs: number | null
  clinicianId: string
}

export interface CompletedCheck {
  dayMs: number
  completedMs: number
  clinicianId: string
}

export interface PersonHealth {
  checks: string
  responses: string
  observations: string
  flags: string
  needs: string
  needEvents: string
  counts: { checks: number; responses: number; observations: number; flags: number; needs: number; needEvents: number }
  needList: DemoNeed[]
  completed: CompletedCheck | null
  /** The smoking status the latest check recorded, for screening (lung) as the screening feature reads it. */
  smoking: SmokingStatus | null
}

export interface HealthInput {
  random: Random
  person: DemoPerson
  story: PersonStory
  attended: readonly AttendedAppointment[]
  nowMs: number
  enabled: ReadonlySet<string>
  /** Whether the person is registered with a GP on a day (demo.gp.ts decides their history). */
  registeredOn: (dayMs: number) => boolean
  /** The programmes a person is due for on a day and has not taken part in (demo.screening.ts), if any. */
  screeningDueOn: (dayMs: number) => string | null
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value))

/** Each item's options without "prefer not to say", worked out once per item (the definitions never change). */
const answerable = new WeakMap<Item, Item['options']>()

/** An answer option for a level from 0 (lowest option) to 1 (highest), with some spread. */
function optionFor(random: Random, item: Item, fraction: number, declineChance: number): string {
  if (random.chance(declineChance)) return PREFER_NOT_TO_SAY
  let options = answerable.get(item)
  if (options === undefined) {
    options = item.options.filter((o) => o.code !== PREFER_NOT_TO_SAY)
    answerable.set(item, options)
  }
  const index = clamp(Math.round(fraction * (options.length - 1) + (random.next() - 0.5) * 1.6), 0, options.length - 1)
  return options[index]?.code ?? PREFER_NOT_TO_SAY
}

function levelFor(story: PersonStory, domain: Domain, random: Random): number {
  switch (domain) {
    case 'mood':
      return story.lowMood / 3
    case 'anxiety':
      return story.anxiety / 3
    case 'alcohol':
      return story.alcohol ? 0.35 + random.next() * 0.45 : random.chance(0.35) ? 0 : random.next() * 0.25
  }
}

function answerItem(random: Random, story: PersonStory, item: Item, fraction: number): string {
  // Thoughts of being better off dead or of self-harm (PHQ-9 item 9): less common than the other symptoms.
  if (item.code === 'phq9-9') {
    if (random.chance(healthProportions.preferNotToSayItem9)) return PREFER_NOT_TO_SAY
    const chance = story.lowMood > 1.8 ? 0.35 : story.lowMood > 1.2 ? 0.15 : 0.03
    if (!random.chance(chance)) return 'not-at-all'
    return random.chance(0.75) ? 'several-days' : 'more-than-half-the-days'
  }
  return optionFor(random, item, fraction, healthProportions.preferNotToSay)
}

interface Saved {
  definition: InstrumentDefinition
  answers: Record<string, string>
  result: ScoreResult
  savedMs: number
}

function storedResult(saved: Saved, checkId: string, clinicianId: string): string {
  const { result } = saved
  return csvLine([
    checkId,
    result.instrument,
    result.version,
    JSON.stringify(saved.answers),
    result.applicable,
    result.complete,
    result.score,
    result.partialScore,
    result.band?.code ?? null,
    result.band?.label ?? null,
    result.positive,
    JSON.stringify(result.missingItems),
    JSON.stringify(result.preferNotToSay),
    isoInstant(saved.savedMs),
    clinicianId,
  ])
}

function pickWeighted<T extends string>(random: Random, weights: Readonly<Record<T, number>>): T {
  const entries = Object.entries(weights) as [T, number][]
  const total = entries.reduce((sum, [, w]) => sum + w, 0)
  let target = random.next() * total
  for (const [value, weight] of entries) {
    target -= weight
    if (target < 0) return value
  }
  const last = entries.at(-1)
  if (last === undefined) throw new Error('No choices')
  return last[0]
}

/** One decimal place, as the form takes heights and weights. */
const oneDecimal = (value: number) => Math.round(value * 10) / 10

function drawObservations(random: Random, person: DemoPerson, story: PersonStory): Observations {
  const bpStatus = pickWeighted<ObservationStatus>(random, healthProportions.bloodPressure)
  const heightStatus = pickWeighted<ObservationStatus>(random, healthProportions.heightWeight)
  const weightStatus =
    heightStatus === 'measured' && random.chance(0.95)
      ? 'measured'
      : pickWeighted<ObservationStatus>(random, healthProportions.heightWeight)
  const female = person.row.sex === '2'
  // Normal-ish spreads: the sum of three uniforms, centred on 0 with a standard deviation of about 1.
  const normal = () => (random.next() + random.next() + random.next() - 1.5) * 2
  const systolic = Math.round(clamp(124 + normal() * 13 + (story.alcohol ? 6 : 0), 88, 195))
  const diastolic = Math.round(clamp(systolic * 0.62 + normal() * 6, 55, systolic - 20))
  const heightCm = oneDecimal(clamp((female ? 163 : 176) + normal() * 7, 145, 205))
  const bmi = clamp(26 + normal() * 4.5, 16.5, 45)
  const weightKg = oneDecimal(clamp(bmi * (heightCm / 100) ** 2, 40, 200))
  const smokingStatus: SmokingStatus | null = random.chance(0.03)
    ? null
    : random.chance(0.02)
      ? 'prefer-not-to-say'
      : story.smoking
  const checked = checkObservations({
    bloodPressureStatus: bpStatus,
    systolic: bpStatus === 'measured' ? systolic : null,
    diastolic: bpStatus === 'measured' ? diastolic : null,
    heightStatus,
    heightCm: heightStatus === 'measured' ? heightCm : null,
    weightStatus,
    weightKg: weightStatus === 'measured' ? weightKg : null,
    smokingStatus,
  })
  if (!checked.ok) throw new Error(`Demo observations refused: ${checked.errors.map((e) => e.message).join('; ')}`)
  return checked.value
}

/** A working-hours instant on the next working day after `ms` (09:30 to 11:30 UK), in UTC. */
function nextMorning(random: Random, ms: number): number {
  let day = Math.floor(ms / DAY_MS) * DAY_MS + DAY_MS
  while (new Date(day).getUTCDay() % 6 === 0) day += DAY_MS
  return day + 8 * HOUR_MS + random.int(30, 150) * MINUTE_MS
}

export function generateHealth(input: HealthInput): PersonHealth {
  const { random, person, story, nowMs, enabled } = input
  const row = person.row
  const out: PersonHealth = {
    checks: '',
    responses: '',
    observations: '',
    flags: '',
    needs: '',
    needEvents: '',
    counts: { checks: 0, responses: 0, observations: 0, flags: 0, needs: 0, needEvents: 0 },
    needList: [],
    completed: null,
    smoking: null,
  }
  const todayDay = isoDay(nowMs)

  for (const appointment of input.attended) {
    if (out.completed !== null) break
    if (appointment.outcome === 'ATSH' || appointment.outcome === 'ATSS') continue
    const recent = nowMs - appointment.endsMs < 3 * DAY_MS
    // Attended but failed to comply: left part-way through the check. Otherwise the check is completed, unless
    // this person has none yet or it is a recent one still to be resumed.
    if (appointment.outcome === 'ATTC' && !random.chance(healthProportions.checkAtFirstAttended)) break
    const completing = appointment.outcome === 'ATTC' && !(recent && random.chance(healthProportions.recentInProgress))
    generateCheck(appointment, completing)
  }
  return out

  function generateCheck(appointment: AttendedAppointment, completing: boolean): void {
    const result = out
    const clinicianId = appointment.clinicianId
    const checkId = randomUuid(random)
    const startedMs = appointment.startsMs + random.int(2, 6) * MINUTE_MS
    // Steps spread through the appointment (the check fits inside it), never after now.
    const latestMs = Math.min(nowMs, appointment.endsMs)
    let clock = startedMs
    const step = () => {
      clock = Math.min(latestMs, clock + random.int(2, 5) * MINUTE_MS)
      return clock
    }
    let version = 1
    const saved = new Map<string, Saved>()
    // Raised once per check and sign (the table's unique key), the moment the result holding it is saved.
    const flagsRaised = new Map<string, string>()

    const save = (definition: InstrumentDefinition, answers: Record<string, string>, atMs: number) => {
      const scored = score(definition, answers)
      saved.set(definition.code, { definition, answers, result: scored, savedMs: atMs })
      for (const flag of scored.flags) {
        const key = `${scored.instrument}:${flag.itemCode}:${flag.code}`
        if (flagsRaised.has(key)) continue
        flagsRaised.set(key, scored.instrument)
        writeFlag(scored.instrument, flag.itemCode, flag.code, flag.message, atMs)
      }
      return scored
    }

    const writeFlag = (instrument: string, itemCode: string, code: string, message: string, raisedMs: number) => {
      const respondBy = endOfUkDay(new Date(raisedMs)).getTime()
      const raisedToday = isoDay(raisedMs) === todayDay
      // Responded to the same day, a few (older ones) the next morning; a check held before today always raised
      // its flags early enough in the day for a response before now. Some of today's await a response.
      let respondedMs = raisedMs + random.int(10, 90) * MINUTE_MS
      if (!raisedToday && random.chance(healthProportions.flagRespondedLate)) {
        const late = nextMorning(random, raisedMs)
        if (late <= nowMs) respondedMs = late
      }
      const responded = raisedToday
        ? respondedMs <= nowMs && !random.chance(healthProportions.todaysFlagAwaiting)
        : true
      respondedMs = Math.min(respondedMs, nowMs)
      result.flags += csvLine([
        randomUuid(random),
        row.id,
        row.site_id,
        checkId,
        instrument,
        itemCode,
        code,
        message,
        isoInstant(raisedMs),
        isoInstant(respondBy),
        responded ? 'responded' : 'awaiting-response',
        responded ? random.pick(flagResponses) : null,
        responded ? clinicianId : null,
        responded ? isoInstant(respondedMs) : null,
      ])
      result.counts.flags++
    }

    // How far an unfinished check got: the number of brief-screen flows saved (at least one).
    const flowsToSave = completing ? FLOWS.length : random.int(1, FLOWS.length - 1)
    let flowsSaved = 0
    for (const [briefCode, domain] of FLOWS) {
      if (flowsSaved >= flowsToSave) break
      if (!enabled.has(briefCode)) continue
      flowsSaved++
      const brief = instrumentDefinition(briefCode)
      const fraction = levelFor(story, domain, random)
      const briefAnswers: Record<string, string> = {}
      for (const item of brief.items) briefAnswers[item.code] = answerItem(random, story, item, fraction)
      const briefResult = save(brief, briefAnswers, step())
      version++
      const fullCode = briefResult.offerFull
      if (fullCode === undefined || !enabled.has(fullCode)) continue
      // The service stores the full instrument at once, carrying over the answers the two share.
      const full = instrumentDefinition(fullCode)
      const carried: Record<string, string> = {}
      for (const item of brief.items) {
        const answer = briefAnswers[item.code]
        if (item.sameAs?.instrument === fullCode && answer !== undefined) carried[item.sameAs.item] = answer
      }
      save(full, carried, clock)
      // An unfinished check may stop before the full instrument is answered.
      if (!completing && flowsSaved === flowsToSave && random.chance(0.5)) break
      const fullAnswers: Record<string, string> = { ...carried }
      for (const item of full.items) {
        if (fullAnswers[item.code] === undefined) fullAnswers[item.code] = answerItem(random, story, item, fraction)
      }
      save(full, fullAnswers, step())
      version++
    }

    let observations: Observations | null = null
    let observedMs = 0
    if (completing || random.chance(0.3)) {
      observations = drawObservations(random, person, story)
      observedMs = step()
      version++
      result.observations += csvLine([
        checkId,
        observations.bloodPressureStatus,
        observations.systolic,
        observations.diastolic,
        observations.heightStatus,
        observations.heightCm,
        observations.weightStatus,
        observations.weightKg,
        observations.bmi,
        observations.smokingStatus,
        isoInstant(observedMs),
        clinicianId,
      ])
      result.counts.observations++
      if (observations.smokingStatus !== null) result.smoking = observations.smokingStatus
    }

    for (const item of saved.values()) {
      result.responses += storedResult(item, checkId, clinicianId)
      result.counts.responses++
    }

    const completedMs = completing ? step() : null
    if (completing) version++
    const lastMs = completedMs ?? Math.max(observedMs, ...[...saved.values()].map((s) => s.savedMs), startedMs)
    result.checks += csvLine([
      checkId,
      row.id,
      row.site_id,
      appointment.id,
      clinicianId,
      completing ? 'completed' : 'in-progress',
      isoInstant(startedMs),
      completedMs === null ? null : isoInstant(completedMs),
      version,
      isoInstant(lastMs),
    ])
    result.counts.checks++
    if (completedMs === null) return
    result.completed = { dayMs: appointment.dayMs, completedMs, clinicianId }

    // Needs proposed by the health check's own rules, from what was stored.
    const forRules: ResultForRules[] = [...saved.values()].map((s) => ({
      instrumentCode: s.result.instrument,
      answers: s.answers,
      complete: s.result.complete,
      score: s.result.score,
      bandCode: s.result.band?.code ?? null,
      positive: s.result.positive,
    }))
    const flagged = [...new Set(flagsRaised.values())]
    const proposals = proposeNeeds(forRules, observations, flagged)
    const identifiedOn = isoDay(completedMs)
    const recentCheck = nowMs - completedMs < 14 * DAY_MS
    let decideMs = completedMs
    for (const proposal of proposals) {
      const needId = randomUuid(random)
      const events: [NeedStatus | null, NeedStatus, string | null, number][] = [[null, 'proposed', null, completedMs]]
      if (!(recentCheck && random.chance(healthProportions.recentStillProposed))) {
        // Decided with the person before they leave, or (for a few) at a later appointment.
        decideMs = Math.min(nowMs, decideMs + random.int(1, 4) * MINUTE_MS)
        const when = random.chance(0.9) ? decideMs : Math.min(nowMs, nextMorning(random, completedMs))
        if (random.chance(healthProportions.dismissed)) {
          events.push(['proposed', 'dismissed', random.pick(dismissReasons[proposal.category]), when])
          const laterMs = when + random.int(28, 56) * DAY_MS
          if (laterMs <= nowMs && random.chance(healthProportions.dismissedThenConfirmed)) {
            events.push(['dismissed', 'confirmed', random.pick(reconfirmReasons), laterMs])
          }
        } else {
          events.push(['proposed', 'confirmed', null, when])
        }
      }
      writeNeed(
        needId,
        proposal.category,
        proposal.because,
        checkId,
        identifiedOn,
        completedMs,
        clinicianId,
        events,
        null,
      )
    }

    // Needs the clinician records from the conversation, confirmed at once (the instruments that would find them
    // are not in use, or the need is not one a check finds).
    const proposed = new Set(proposals.map((p) => p.category))
    const direct: [NeedCategory, string][] = []
    if (story.drugs && random.chance(healthProportions.drugNeedRecorded)) {
      direct.push(['drugs', directNeedText.drugs ?? ''])
    }
    if (story.childhoodAbuse && random.chance(healthProportions.traumaNeedRecorded)) {
      direct.push(['trauma', directNeedText.trauma ?? ''])
    }
    if (story.neurodivergenceSupport) direct.push(['neurodivergence', directNeedText.neurodivergence ?? ''])
    if (!input.registeredOn(appointment.dayMs) && random.chance(healthProportions.gpNeedRecorded)) {
      direct.push(['gp-registration', directNeedText['gp-registration'] ?? ''])
    }
    const due = input.screeningDueOn(appointment.dayMs)
    if (due !== null && random.chance(healthProportions.screeningNeedRecorded)) direct.push(['screening', due])
    for (const [category, why] of direct) {
      if (proposed.has(category)) continue
      const atMs = Math.min(nowMs, completedMs + random.int(2, 8) * MINUTE_MS)
      writeNeed(
        randomUuid(random),
        category,
        why,
        null,
        identifiedOn,
        atMs,
        clinicianId,
        [[null, 'confirmed', null, atMs]],
        clinicianId,
      )
    }
  }

  function writeNeed(
    id: string,
    category: NeedCategory,
    because: string,
    checkId: string | null,
    identifiedOn: string,
    createdMs: number,
    clinicianId: string,
    events: readonly [NeedStatus | null, NeedStatus, string | null, number][],
    recordedBy: string | null,
  ): void {
    const last = events.at(-1)
    if (last === undefined) throw new Error('A need has no events')
    const [, status, reason, atMs] = last
    const decided = status !== 'proposed'
    out.needs += csvLine([
      id,
      row.id,
      row.site_id,
      checkId,
      category,
      status,
      because.slice(0, 1000),
      reason,
      decided ? clinicianId : null,
      decided ? isoInstant(atMs) : null,
      identifiedOn,
      isoInstant(createdMs),
      // Version 1 when made, one more for every decision since (as decideNeed does).
      events.length,
      recordedBy,
    ])
    out.counts.needs++
    for (const [from, to, why, at] of events) {
      out.needEvents += csvLine([id, from, to, why, clinicianId, isoInstant(at)])
      out.counts.needEvents++
    }
    out.needList.push({
      id,
      category,
      status,
      identifiedOn,
      confirmedMs: status === 'confirmed' ? atMs : null,
      clinicianId,
    })
  }
}

const needReasons = [...Object.values(dismissReasons).flat(), ...reconfirmReasons]

/** Fixed texts written through csvLine (quoted when needed), by the column each is written to. */
export const healthVocabulary = {
  warning_flag: { response_text: flagResponses },
  // A need's reason is its latest decision's.
  need: { proposed_because: Object.values(directNeedText), reason: needReasons },
  need_event: { reason: needReasons },
} as const satisfies FixedTexts
