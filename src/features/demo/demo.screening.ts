import {
  ageOn,
  assessScreening,
  type ProgrammeAssessment,
  type ScreeningEvent,
  type ScreeningInput,
} from '../screening/index.ts'
import { isoDay, isoInstant } from './demo.appointments.ts'
import { copyColumns, csvLine, type DemoPerson, type Random } from './demo.generators.ts'
import type { PersonStory } from './demo.story.ts'

/*
 * Screening histories (NHS programmes, domain reference §2): invitations, bookings, attendances, results and
 * declines, for people the screening feature's own eligibility module (assessScreening) says are due. Who is due,
 * and when again, is always that module's answer; this file only decides what the person then did, with uptake
 * well below the general population's (the CMO's report: people on probation are less likely to take part in
 * cancer screening). Prostate is informed choice, not screening, so it never has an event. No date is after today.
 *
 * The hub records a history when it first sees the person (events before that are recorded at that appointment,
 * from what the person and their GP record say) and events after it on the day they are known.
 */

const DAY_MS = 86_400_000
const MINUTE_MS = 60_000

type EventProgramme = ScreeningEvent['programme']

interface DemoScreeningEvent {
  programme: EventProgramme
  state: ScreeningEvent['state']
  date: string
  result: string | null
  selfSample: boolean | null
  recordedMs: number
}

/** What a person invited then does: take part (uptake) or decline; the rest do not respond. */
export const screeningProportions: Readonly<Record<EventProgramme, { uptake: number; declined: number }>> = {
  cervical: { uptake: 0.5, declined: 0.15 },
  breast: { uptake: 0.45, declined: 0.15 },
  bowel: { uptake: 0.38, declined: 0.1 },
  aaa: { uptake: 0.55, declined: 0.15 },
  lung: { uptake: 0.35, declined: 0.2 },
}
/** A second invitation, in the last few weeks, for someone due again now. */
const RECENT_INVITATION = 0.4

export const screeningColumns = copyColumns('screening_event', [
  'person_id',
  'programme',
  'state',
  'event_date',
  'result',
  'self_sample',
  'note',
  'recorded_by',
  'recorded_at',
])

const programmeNames: Readonly<Record<EventProgramme, string>> = {
  cervical: 'cervical screening',
  breast: 'breast screening',
  bowel: 'bowel screening',
  aaa: 'AAA screening',
  lung: 'a lung health check',
}

export interface PersonScreening {
  csv: string
  count: number
  /** What the person is due for on a day (per assessScreening, with what was known then), as a need's words. */
  dueOn: (dayMs: number) => string | null
}

/** The person record's codes as the eligibility module takes them (the people generator writes only these). */
function oneOf<T extends string>(codes: readonly T[], value: string | null | undefined): T | null {
  return value !== null && value !== undefined && (codes as readonly string[]).includes(value) ? (value as T) : null
}

const isEventProgramme = (p: ProgrammeAssessment['programme']): p is EventProgramme => p !== 'prostate-informed-choice'

function result(random: Random, programme: EventProgramme, selfSample: boolean): string {
  const roll = random.next()
  switch (programme) {
    case 'cervical':
      if (roll < 0.86) return 'hpv-negative'
      if (selfSample) return 'hpv-positive-cells-not-checked'
      return roll < 0.95 ? 'hpv-positive-no-cell-changes' : 'hpv-positive-cell-changes'
    case 'lung':
      return roll < 0.6 ? 'low-risk' : roll < 0.95 ? 'high-risk-scanned' : 'referred'
    case 'breast':
    case 'bowel':
    case 'aaa':
      return roll < 0.95 ? 'normal' : 'referred'
  }
}

/**
 * Quick test that no programme can apply now or in the history window: a man (recorded and stated) under 49 is
 * outside every programme's ages (bowel from 50, lung from 55, AAA at 65), and everyone is under 24.
 */
function outsideEveryProgramme(person: DemoPerson, today: string): boolean {
  const row = person.row
  const age = ageOn(row.date_of_birth, today)
  if (age < 24) return true
  const male = row.sex === '1' && (row.stated_gender === null || row.stated_gender === '1' || row.stated_gender === 'X')
  return male && row.gender_same_as_birth !== 'no' && age < 49
}

export function generateScreening(
  random: Random,
  person: DemoPerson,
  story: PersonStory,
  first: { dayMs: number; endsAtMs: number; clinicianId: string } | null,
  nowMs: number,
): PersonScreening {
  const none: PersonScreening = { csv: '', count: 0, dueOn: () => null }
  const today = isoDay(nowMs)
  if (first === null || outsideEveryProgramme(person, today)) return none
  const row = person.row
  const events: DemoScreeningEvent[] = []
  const input = (known: readonly DemoScreeningEvent[] = events): ScreeningInput => ({
    dateOfBirth: row.date_of_birth,
    sex: oneOf(['1', '2', '9'] as const, row.sex),
    statedGender: oneOf(['1', '2', '9', 'X'] as const, row.stated_gender),
    genderSameAsBirth: oneOf(['yes', 'no', 'prefer-not-to-say'] as const, row.gender_same_as_birth),
    smoking: story.smoking,
    // The eligibility module's event type ties each result code to its programme; these are drawn per programme.
    events: known as unknown as ScreeningEvent[],
  })
  const firstRecordMs = first.endsAtMs + random.int(10, 20) * MINUTE_MS
  let lastRecordMs = firstRecordMs
  /** Recorded at the first appointment if it happened before it, else on its day (a result when it comes back). */
  const record = (dayMs: number, delayDays = 0): number | null => {
    const atMs = Math.max(dayMs + delayDays * DAY_MS + (10 + random.int(0, 6)) * 3_600_000, firstRecordMs)
    const recordedMs = Math.max(atMs, lastRecordMs + MINUTE_MS)
    if (recordedMs > nowMs) return null
    lastRecordMs = recordedMs
    return recordedMs
  }
  const add = (
    programme: EventProgramme,
    state: ScreeningEvent['state'],
    dayMs: number,
    extra: { result?: string; selfSample?: boolean; delay?: number } = {},
  ): boolean => {
    if (dayMs > nowMs) return false
    const recordedMs = record(dayMs, extra.delay ?? 0)
    if (recordedMs === null) return false
    const date = isoDay(dayMs)
    events.push({
      programme,
      state,
      date,
      result: extra.result ?? null,
      recordedMs,
      selfSample: programme === 'cervical' ? (extra.selfSample ?? false) : null,
    })
    return true
  }

  /** One invitation and what followed it. */
  const round = (programme: EventProgramme, invitedMs: number) => {
    if (!add(programme, 'invited', invitedMs)) return
    const odds = screeningProportions[programme]
    const roll = random.next()
    if (roll < odds.uptake) {
      let dayMs = invitedMs + random.int(5, 30) * DAY_MS
      // A bowel kit is done at home: no appointment to book.
      if (programme !== 'bowel') {
        if (!add(programme, 'booked', dayMs)) return
        dayMs += random.int(7, 35) * DAY_MS
      }
      const selfSample = programme === 'cervical' && random.chance(0.1)
      if (!add(programme, 'attended', dayMs, { selfSample })) return
      // The result is for the day of the test, recorded when it comes back.
      add(programme, 'result-recorded', dayMs, {
        result: result(random, programme, selfSample),
        selfSample,
        delay: random.int(10, 28),
      })
    } else if (roll < odds.uptake + odds.declined) {
      add(programme, 'declined', invitedMs + random.int(3, 30) * DAY_MS)
    }
  }

  const due = (asOfMs: number) =>
    assessScreening(input(), isoDay(asOfMs)).filter(
      (a): a is ProgrammeAssessment & { programme: EventProgramme } =>
        isEventProgramme(a.programme) && a.eligible === true && a.status === 'due',
    )

  // An earlier round, one to four years ago, then another invitation for a few who are due again now.
  const earlierMs = Math.floor(nowMs / DAY_MS) * DAY_MS - random.int(365, 4 * 365) * DAY_MS
  // Invited on the day the module says they were due (the GP's call-and-recall list of that day).
  for (const a of due(earlierMs)) round(a.programme, earlierMs)
  const nowDay = Math.floor(nowMs / DAY_MS) * DAY_MS
  for (const a of due(nowDay)) {
    if (!random.chance(RECENT_INVITATION)) continue
    // Invited after they became due (the next due date is on or before today when the status is due).
    const dueMs = a.nextDue === null ? 0 : Date.parse(`${a.nextDue}T00:00:00Z`)
    round(a.programme, Math.max(dueMs, nowDay - random.int(1, 50) * DAY_MS))
  }
  // Events are written in the order they were recorded.
  events.sort((a, b) => a.recordedMs - b.recordedMs)

  let csv = ''
  for (const e of events) {
    csv += csvLine([
      row.id,
      e.programme,
      e.state,
      e.date,
      e.result,
      e.selfSample,
      null,
      first.clinicianId,
      isoInstant(e.recordedMs),
    ])
  }
  return {
    csv,
    count: events.length,
    dueOn: (dayMs) => {
      const known = events.filter((e) => e.recordedMs < dayMs + DAY_MS)
      const list = assessScreening(input(known), isoDay(dayMs))
        .filter((a) => isEventProgramme(a.programme) && a.eligible === true && a.status === 'due')
        .map((a) => programmeNames[a.programme as EventProgramme])
      if (list.length === 0) return null
      return `Due for ${list.join(' and ')} and not taking part yet`
    },
  }
}
