/**
 * Screening eligibility for issue 4 item 5: a pure function of a person's date of birth, sex and gender, smoking
 * history and past screening events, as of a given date. No database, no clock, no local time.
 *
 * Every rule comes from docs/shared domain-reference.md §2 and nothing else. Where the reference is silent the
 * reason says so instead of inventing a rule. Decisions this module makes (and the tests pin down):
 *
 * - Sex and gender. The person record holds phenotypic sex ('1' male, '2' female, '9' indeterminate, or not
 *   recorded), stated gender ('1', '2', '9', 'X' not known) and whether gender is the same as the sex registered at
 *   birth. NHS programmes invite by the sex on the GP record; the reference does not settle eligibility for trans,
 *   non-binary or intersex people. So for the sex-specific programmes (cervical, breast, AAA) the answer is
 *   `eligible: 'check-with-clinician'` whenever sex is not recorded as male or female, stated gender ('1', '2' or
 *   '9') differs from sex, or gender is recorded as not the same as at birth. In that case status and next due date
 *   are still worked out from age and history as if the programme applies, so the person is never silently dropped
 *   from the "screening due" worklist; the reason starts with "Check with a clinician". Stated gender 'X' (not
 *   known) or blank does not by itself raise the question. A definite "no" on sex grounds says, when the record
 *   does not confirm gender is the same as at birth, that a person with a cervix or breasts may still need it.
 *   Age rules are settled, so someone outside a programme's ages is `false` whatever their sex or gender.
 * - `eligible`: `true` (in the invited group, now or at the next recall), `false`, `'self-referral'` (not invited
 *   but can ask: breast from 71, bowel from 75, AAA for men past their invitation year who were never scanned), or
 *   `'check-with-clinician'` (this service cannot decide from the reference and the record: sex or gender as above,
 *   smoking history not recorded for lung, a result whose follow-up the reference does not give).
 * - `status`: `invited`, `booked` or `declined` when that is the latest event since the last screen; otherwise
 *   `due` when nothing has been recorded yet or the recall date has been reached, and otherwise the state of the
 *   last screen (`attended` while the result is awaited, or `result-recorded`), which is how "not due yet" shows.
 *   Outside the invited group the status is `not-eligible`, except that a self-referral in progress shows as
 *   `booked` or `attended`.
 * - `nextDue`: the date from which the next screen is due: the recall date after a screen, or the date the person
 *   entered the programme when nothing is recorded (so it is on or before `asOf` exactly when status is `due`),
 *   or, for someone too young, the date they will enter it. `null` when no routine date follows (after colposcopy
 *   referral, after the single AAA scan, when a recall would fall after the programme's upper age, or when the
 *   reference gives no interval).
 * - Events dated after `asOf` are ignored, so an assessment as of a past date is what was known then. For
 *   'result-recorded' events `date` is the date of the test itself (intervals run from it).
 * - Cervical 1 July 2025 change: the 5-year interval for HPV-negative ages 25 to 49 is applied to tests taken on or
 *   after 1 July 2025; earlier tests keep the 3-year interval (the reference does not say which date governs, and
 *   the earlier recall is the safer reading). The age band is the age on the day of the test. A self-sample does not
 *   move anyone to the 5-year interval; the reference gives no interval for it, so 3 years is used and the reason
 *   says so.
 * - AAA "in the year they turn 65" is the calendar year of the 65th birthday; "over 65" is read as after that year.
 * - Dates: ISO 'YYYY-MM-DD' strings, calculated in UTC. Adding months or years that lands on a day the month does
 *   not have moves to the 1st of the next month, so a 29 February birthday falls on 1 March in non-leap years
 *   (the same rule as `addYears` in people.validation.ts) and 31 August plus 24 years 6 months is 1 March.
 */

export const screeningProgrammes = ['cervical', 'breast', 'bowel', 'aaa', 'lung', 'prostate-informed-choice'] as const
export type ScreeningProgramme = (typeof screeningProgrammes)[number]

export const screeningStatuses = [
  'not-eligible',
  'due',
  'invited',
  'booked',
  'attended',
  'result-recorded',
  'declined',
] as const
export type ScreeningStatus = (typeof screeningStatuses)[number]

export type Eligibility = boolean | 'self-referral' | 'check-with-clinician'

export type SmokingHistory = 'current' | 'ex' | 'never' | 'unknown'

/** What happened, on `date`. */
export type ScreeningEventState = 'invited' | 'booked' | 'attended' | 'result-recorded' | 'declined'

export type CervicalResult =
  | 'hpv-negative'
  | 'hpv-positive-no-cell-changes'
  | 'hpv-positive-cell-changes'
  /** HPV positive with no cell result, as after a self-sample. */
  | 'hpv-positive-cells-not-checked'

/** Breast, bowel and AAA: `referred` means the result needed further tests or follow-up (for AAA, an aneurysm). */
export type RoutineResult = 'normal' | 'referred'

/** `high-risk-scanned`: high risk at the lung health check and a low-dose CT scan done; record each re-scan so too. */
export type LungResult = 'low-risk' | 'high-risk-scanned' | 'referred'

interface EventBase {
  state: ScreeningEventState
  date: string
}

export type ScreeningEvent =
  | (EventBase & { programme: 'cervical'; result?: CervicalResult | null; selfSample?: boolean })
  | (EventBase & { programme: 'breast' | 'bowel' | 'aaa'; result?: RoutineResult | null })
  | (EventBase & { programme: 'lung'; result?: LungResult | null })

export interface ScreeningInput {
  dateOfBirth: string
  /** Phenotypic sex as on the person record: '1' male, '2' female, '9' indeterminate. */
  sex: '1' | '2' | '9' | null
  statedGender?: '1' | '2' | '9' | 'X' | null
  genderSameAsBirth?: 'yes' | 'no' | 'prefer-not-to-say' | null
  smoking?: SmokingHistory | null
  events?: readonly ScreeningEvent[]
}

export interface ProgrammeAssessment {
  programme: ScreeningProgramme
  eligible: Eligibility
  status: ScreeningStatus
  nextDue: string | null
  reason: string
}

// ---------------------------------------------------------------------------------------------------------------
// Dates: ISO strings in UTC only.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]

interface Ymd {
  y: number
  m: number
  d: number
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate()
}

function parseIsoDate(iso: string, label: string): Ymd {
  const match = ISO_DATE.exec(iso)
  if (match === null) throw new RangeError(`${label} must be a date like 2025-07-01, got "${iso}"`)
  const y = Number(match[1])
  const m = Number(match[2])
  const d = Number(match[3])
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) throw new RangeError(`${label} is not a real date: "${iso}"`)
  return { y, m, d }
}

function toIso({ y, m, d }: Ymd): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

/** Adds calendar months; a day the target month lacks becomes the 1st of the month after (29 Feb -> 1 Mar). */
export function addMonths(iso: string, months: number): string {
  const { y, m, d } = parseIsoDate(iso, 'date')
  const index = y * 12 + (m - 1) + months
  const ty = Math.floor(index / 12)
  const tm = (index % 12) + 1
  if (d > daysInMonth(ty, tm)) return tm === 12 ? toIso({ y: ty + 1, m: 1, d: 1 }) : toIso({ y: ty, m: tm + 1, d: 1 })
  return toIso({ y: ty, m: tm, d })
}

export function addYears(iso: string, years: number): string {
  return addMonths(iso, years * 12)
}

/** Completed years on `on`; the birthday counts from its first day (29 Feb birthdays on 1 Mar in other years). */
export function ageOn(dateOfBirth: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(dateOfBirth.slice(0, 4))
  return addYears(dateOfBirth, years) <= on ? years : years - 1
}

/** "3 March 2027", the GOV.UK style. */
export function formatLongDate(iso: string): string {
  const { y, m, d } = parseIsoDate(iso, 'date')
  return `${d} ${MONTH_NAMES[m - 1] ?? ''} ${y}`
}

// ---------------------------------------------------------------------------------------------------------------
// Sex and gender.

type SexReading =
  | { kind: 'female'; confirmed: boolean }
  | { kind: 'male'; confirmed: boolean }
  | { kind: 'uncertain'; description: string }

const sexWords = { '1': 'male', '2': 'female', '9': 'indeterminate' } as const

function readSex(input: ScreeningInput): SexReading {
  const { sex } = input
  const gender = input.statedGender ?? null
  const same = input.genderSameAsBirth ?? null
  const genderDiffers = gender !== null && gender !== 'X' && gender !== sex
  if (sex === null || sex === '9' || genderDiffers || same === 'no') {
    const parts = [`sex is recorded as ${sex === null ? 'not known' : sexWords[sex]}`]
    if (gender !== null && gender !== 'X') parts.push(`gender as ${sexWords[gender]}`)
    let description = parts.join(' and ')
    if (same === 'no') description += ', and gender is not the same as the sex registered at birth'
    return { kind: 'uncertain', description }
  }
  return { kind: sex === '1' ? 'male' : 'female', confirmed: same === 'yes' }
}

function uncertainPrefix(description: string, programmeName: string): string {
  return (
    `Check with a clinician: ${description}. NHS programmes invite by the sex on the GP record, and the reference ` +
    `this service uses does not say how ${programmeName} applies to trans, non-binary or intersex people. If it applies:`
  )
}

// ---------------------------------------------------------------------------------------------------------------
// History: from events and a recall rule to status, next due date and the sentences that explain them.

const stateOrder: Record<ScreeningEventState, number> = {
  invited: 0,
  booked: 1,
  declined: 2,
  attended: 3,
  'result-recorded': 4,
}

function isScreen(event: ScreeningEvent): boolean {
  return event.state === 'attended' || event.state === 'result-recorded'
}

function eventsFor(input: ScreeningInput, programme: ScreeningProgramme, asOf: string): ScreeningEvent[] {
  const events = (input.events ?? []).filter((event) => {
    parseIsoDate(event.date, `${event.programme} event date`)
    return event.programme === programme && event.date <= asOf
  })
  return events.sort((a, b) =>
    a.date === b.date ? stateOrder[a.state] - stateOrder[b.state] : a.date < b.date ? -1 : 1,
  )
}

function findLastScreen(events: readonly ScreeningEvent[]): ScreeningEvent | undefined {
  return events.findLast(isScreen)
}

function dueText(date: string, asOf: string): string {
  return date <= asOf ? `so due from ${formatLongDate(date)}` : `so next due by ${formatLongDate(date)}`
}

function eventSentence(event: ScreeningEvent): string {
  const on = formatLongDate(event.date)
  switch (event.state) {
    case 'invited':
      return `Invited on ${on}.`
    case 'booked':
      return `Appointment booked on ${on}.`
    case 'declined':
      return `Declined on ${on}; they can change their mind at any time.`
    case 'attended':
      return `Attended on ${on}.`
    case 'result-recorded':
      return `Result recorded for ${on}.`
  }
}

interface Recall {
  date: string | null
  text: string
  eligible?: Eligibility
  /** A clinical follow-up (not routine recall): if it falls past the programme's upper age, a clinician must decide. */
  followUp?: boolean
}

function awaiting(screen: ScreeningEvent): Recall {
  return {
    date: null,
    text: `Attended on ${formatLongDate(screen.date)}; the result is not recorded yet, so the next date cannot be worked out.`,
  }
}

function missingResult(screen: ScreeningEvent): Recall {
  return {
    date: null,
    text: `A result is recorded for ${formatLongDate(screen.date)} but not what it was, so the next date cannot be worked out.`,
    eligible: 'check-with-clinician',
  }
}

interface RoutineSpec {
  events: readonly ScreeningEvent[]
  asOf: string
  firstDue: string
  noHistoryText: string
  windowEnd: string
  routineEndText: (recallDate: string) => string
  followUpEndText: (recallDate: string) => string
  recall: (screen: ScreeningEvent) => Recall
  /**
   * How long an invitation, booking or decline stands for: the programme's routine round. Past it the person is due
   * again, so an old unanswered invitation or decline never keeps them off the due list for good. null: no new round
   * (AAA is a single scan; men who missed it can self-refer).
   */
  roundMonths: number | null
}

interface History {
  eligible: Eligibility
  status: ScreeningStatus
  nextDue: string | null
  sentences: string[]
}

function routineHistory(spec: RoutineSpec): History {
  const { events, asOf } = spec
  const lastScreen = findLastScreen(events)
  const latest = events.at(-1)
  let eligible: Eligibility = true
  let nextDue: string | null
  const sentences: string[] = []
  if (lastScreen === undefined) {
    nextDue = spec.firstDue
    sentences.push(`${spec.noHistoryText}, ${dueText(spec.firstDue, asOf)}.`)
  } else {
    const recall = spec.recall(lastScreen)
    nextDue = recall.date
    sentences.push(recall.text)
    if (recall.eligible !== undefined) eligible = recall.eligible
    if (nextDue !== null && nextDue >= spec.windowEnd) {
      if (recall.followUp === true) {
        sentences.push(spec.followUpEndText(nextDue))
        eligible = 'check-with-clinician'
      } else {
        sentences.push(spec.routineEndText(nextDue))
      }
      nextDue = null
    }
  }
  let status: ScreeningStatus
  if (latest !== undefined && latest !== lastScreen) {
    sentences.push(eventSentence(latest))
    const roundEnds = spec.roundMonths === null ? null : addMonths(latest.date, spec.roundMonths)
    const stale = roundEnds !== null && roundEnds <= asOf && (nextDue === null || nextDue <= asOf)
    if (stale) {
      status = 'due'
      nextDue ??= roundEnds
      sentences.push(`That was more than ${String((spec.roundMonths ?? 0) / 12)} years ago, so they are due again.`)
    } else {
      status = latest.state
    }
  } else if (lastScreen !== undefined) {
    status = nextDue !== null && nextDue <= asOf ? 'due' : lastScreen.state
  } else {
    status = 'due'
  }
  return { eligible, status, nextDue, sentences }
}

/** Outside the invited group: not eligible, unless a self-referral is under way. */
function outsideStatus(events: readonly ScreeningEvent[]): ScreeningStatus {
  const latest = events.at(-1)
  return latest !== undefined && (latest.state === 'booked' || latest.state === 'attended')
    ? latest.state
    : 'not-eligible'
}

function lastRecorded(events: readonly ScreeningEvent[]): string[] {
  const latest = events.at(-1)
  return latest === undefined ? [] : [eventSentence(latest)]
}

function assessment(
  programme: ScreeningProgramme,
  eligible: Eligibility,
  status: ScreeningStatus,
  nextDue: string | null,
  sentences: readonly string[],
): ProgrammeAssessment {
  return { programme, eligible, status, nextDue, reason: sentences.filter((s) => s !== '').join(' ') }
}

/** Applies an uncertain sex or gender to an assessment that age and history would otherwise give. */
function withSex(sex: SexReading, programmeName: string, history: History, intro: string): History {
  if (sex.kind !== 'uncertain') return { ...history, sentences: [intro, ...history.sentences] }
  return {
    ...history,
    eligible: history.eligible === false ? false : 'check-with-clinician',
    sentences: [uncertainPrefix(sex.description, programmeName), intro, ...history.sentences],
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Programmes.

interface Context {
  input: ScreeningInput
  asOf: string
  age: number
  sex: SexReading
}

const CERVICAL_FIVE_YEAR_FROM = '2025-07-01'

function cervical(ctx: Context): ProgrammeAssessment {
  const { input, asOf, sex } = ctx
  const dob = input.dateOfBirth
  const events = eventsFor(input, 'cervical', asOf)
  const firstInvite = addMonths(dob, 24 * 12 + 6)
  const end = addYears(dob, 65)
  const intro = 'Ages 25 to 64: cervical screening (first invitation at age 24 and a half).'

  if (sex.kind === 'male') {
    const note = sex.confirmed
      ? ''
      : 'A trans man or non-binary person who has a cervix may still need cervical screening: check with them.'
    return assessment('cervical', false, outsideStatus(events), null, [
      'Recorded as male. NHS cervical screening invitations go to people registered as female.',
      note,
    ])
  }
  if (asOf < firstInvite) {
    return assessment('cervical', false, 'not-eligible', firstInvite, [
      `Cervical screening is for ages 25 to 64. The first invitation is sent at age 24 and a half, on ${formatLongDate(firstInvite)}.`,
    ])
  }
  if (asOf >= end) {
    const lastScreen = findLastScreen(events)
    const positive =
      lastScreen?.programme === 'cervical' &&
      lastScreen.result !== undefined &&
      lastScreen.result !== null &&
      lastScreen.result !== 'hpv-negative'
    const sentences = [
      'Cervical screening is for ages 25 to 64, so there are no routine invitations from the 65th birthday.',
    ]
    if (positive) {
      sentences.push(
        `The last result (${formatLongDate(lastScreen.date)}) was HPV positive; the reference used here does not say how follow-up continues after 65. Check with the screening service.`,
      )
    } else {
      sentences.push(...lastRecorded(events))
    }
    return assessment('cervical', positive ? 'check-with-clinician' : false, outsideStatus(events), null, sentences)
  }

  const history = routineHistory({
    roundMonths: 36,
    events,
    asOf,
    firstDue: firstInvite,
    noHistoryText: 'No cervical screening recorded',
    windowEnd: end,
    routineEndText: (date) =>
      `The next invitation would fall on ${formatLongDate(date)}, after the 65th birthday (${formatLongDate(end)}), when routine invitations stop.`,
    followUpEndText: (date) =>
      `The repeat test would fall on ${formatLongDate(date)}, after the 65th birthday; the reference used here does not say whether it still goes ahead. Check with the screening service.`,
    recall: (screen) => {
      if (screen.programme !== 'cervical') throw new Error('cervical recall given another programme')
      if (screen.state === 'attended') return awaiting(screen)
      if (screen.result === undefined || screen.result === null) return missingResult(screen)
      const on = formatLongDate(screen.date)
      switch (screen.result) {
        case 'hpv-negative': {
          if (screen.selfSample === true) {
            const date = addYears(screen.date, 3)
            return {
              date,
              text:
                `HPV negative on a self-sample taken ${on}. A self-sample result does not move someone to the 5-year ` +
                `interval, and the reference used here does not give its interval, so the 3-year interval is used ` +
                `(check with the screening service): ${dueText(date, asOf)}.`,
            }
          }
          if (ageOn(dob, screen.date) >= 50) {
            const date = addYears(screen.date, 5)
            return { date, text: `HPV negative on ${on}, aged 50 to 64: every 5 years, ${dueText(date, asOf)}.` }
          }
          if (screen.date >= CERVICAL_FIVE_YEAR_FROM) {
            const date = addYears(screen.date, 5)
            return {
              date,
              text: `HPV negative on ${on}, aged 25 to 49: since 1 July 2025 re-invited after 5 years, ${dueText(date, asOf)}.`,
            }
          }
          const date = addYears(screen.date, 3)
          return {
            date,
            text:
              `HPV negative on ${on}, aged 25 to 49, before the change to 5 years on 1 July 2025, so the ` +
              `3-year interval is used: ${dueText(date, asOf)}.`,
          }
        }
        case 'hpv-positive-no-cell-changes': {
          const date = addYears(screen.date, 1)
          return {
            date,
            followUp: true,
            text: `HPV positive with no cell changes on ${on}: repeat test in 1 year, ${dueText(date, asOf)}.`,
          }
        }
        case 'hpv-positive-cell-changes':
          return {
            date: null,
            text: `HPV positive with cell changes on ${on}: referred to colposcopy, not routine recall. The colposcopy service sets the follow-up.`,
          }
        case 'hpv-positive-cells-not-checked':
          return {
            date: null,
            eligible: 'check-with-clinician',
            text: `HPV positive on ${on} with no cell result recorded. The reference used here does not say what follows; check with the screening service.`,
          }
      }
    },
  })
  const result = withSex(sex, 'cervical screening', history, intro)
  return assessment('cervical', result.eligible, result.status, result.nextDue, result.sentences)
}

function breast(ctx: Context): ProgrammeAssessment {
  const { input, asOf, sex } = ctx
  const dob = input.dateOfBirth
  const events = eventsFor(input, 'breast', asOf)
  const start = addYears(dob, 50)
  const firstBy = addYears(dob, 53)
  const end = addYears(dob, 71)

  if (sex.kind === 'male') {
    const note = sex.confirmed
      ? ''
      : 'A trans or non-binary person who has breasts may still need breast screening: check with them.'
    return assessment('breast', false, outsideStatus(events), null, [
      'Recorded as male. NHS breast screening invites women aged 50 to 70.',
      note,
    ])
  }
  if (asOf < start) {
    return assessment('breast', false, 'not-eligible', start, [
      `Breast screening is for women from age 50 to their 71st birthday, so from ${formatLongDate(start)}. The first invitation is sent before the 53rd birthday.`,
    ])
  }
  if (asOf >= end) {
    const lastScreen = findLastScreen(events)
    const sentences = ['Aged 71 or over: no longer invited for breast screening, but can self-refer every 3 years.']
    if (lastScreen !== undefined) {
      const from = addYears(lastScreen.date, 3)
      sentences.push(
        from <= asOf
          ? `Last screened ${formatLongDate(lastScreen.date)}, so can self-refer now.`
          : `Last screened ${formatLongDate(lastScreen.date)}, so can self-refer from ${formatLongDate(from)}.`,
      )
    }
    const latest = events.at(-1)
    if (latest !== undefined && latest !== lastScreen) sentences.push(eventSentence(latest))
    const eligible: Eligibility = sex.kind === 'uncertain' ? 'check-with-clinician' : 'self-referral'
    const prefix = sex.kind === 'uncertain' ? uncertainPrefix(sex.description, 'breast screening') : ''
    return assessment('breast', eligible, outsideStatus(events), null, [prefix, ...sentences])
  }

  const history = routineHistory({
    roundMonths: 36,
    events,
    asOf,
    firstDue: start,
    noHistoryText: 'No breast screening recorded',
    windowEnd: end,
    routineEndText: (date) =>
      `The next 3-year date (${formatLongDate(date)}) is after the 71st birthday (${formatLongDate(end)}), when invitations stop; after that they can self-refer every 3 years.`,
    followUpEndText: (date) =>
      `The next date (${formatLongDate(date)}) is after the 71st birthday; check with the breast screening service.`,
    recall: (screen) => {
      if (screen.state === 'attended') return awaiting(screen)
      if (screen.result === undefined || screen.result === null) return missingResult(screen)
      const on = formatLongDate(screen.date)
      if (screen.result === 'referred') {
        return {
          date: null,
          text: `Screening on ${on} led to further tests, so no routine recall; the breast screening service sets what happens next.`,
        }
      }
      const date = addYears(screen.date, 3)
      return { date, text: `Last screened ${on}, ${dueText(date, asOf)}.` }
    },
  })
  if (findLastScreen(events) === undefined) {
    history.sentences.push(`The first invitation is sent before the 53rd birthday (${formatLongDate(firstBy)}).`)
  }
  const result = withSex(sex, 'breast screening', history, 'Aged 50 to 70: breast screening every 3 years.')
  return assessment('breast', result.eligible, result.status, result.nextDue, result.sentences)
}

function bowel(ctx: Context): ProgrammeAssessment {
  const { input, asOf, age } = ctx
  const dob = input.dateOfBirth
  const events = eventsFor(input, 'bowel', asOf)
  const start = addYears(dob, 50)
  const end = addYears(dob, 75)

  if (asOf < start) {
    return assessment('bowel', false, 'not-eligible', start, [
      `Bowel screening is for ages 50 to 74, so from ${formatLongDate(start)}.`,
    ])
  }
  if (asOf >= end) {
    return assessment('bowel', 'self-referral', outsideStatus(events), null, [
      'Aged 75 or over: no longer invited for bowel screening, but can ask for a home test kit.',
      ...lastRecorded(events),
    ])
  }
  const history = routineHistory({
    roundMonths: 24,
    events,
    asOf,
    firstDue: start,
    noHistoryText: 'No bowel screening recorded',
    windowEnd: end,
    routineEndText: (date) =>
      `The next 2-year date (${formatLongDate(date)}) is after the 75th birthday (${formatLongDate(end)}), when invitations stop; after that they can ask for a kit.`,
    followUpEndText: (date) =>
      `The next date (${formatLongDate(date)}) is after the 75th birthday; check with the bowel screening service.`,
    recall: (screen) => {
      if (screen.state === 'attended') return awaiting(screen)
      if (screen.result === undefined || screen.result === null) return missingResult(screen)
      const on = formatLongDate(screen.date)
      if (screen.result === 'referred') {
        return {
          date: null,
          text: `The kit done on ${on} led to a referral for further tests, so no routine recall; the bowel screening service sets what happens next.`,
        }
      }
      const date = addYears(screen.date, 2)
      return { date, text: `Last kit done ${on} with a normal result, ${dueText(date, asOf)}.` }
    },
  })
  if (age <= 52 && asOf < '2026-01-01') {
    history.sentences.push(
      'Invitations at ages 50 to 52 were still being phased in during 2025, so some people this age may not have been invited yet.',
    )
  }
  return assessment('bowel', history.eligible, history.status, history.nextDue, [
    'Ages 50 to 74: bowel screening home test kit (FIT) every 2 years.',
    ...history.sentences,
  ])
}

function aaa(ctx: Context): ProgrammeAssessment {
  const { input, asOf, sex } = ctx
  const events = eventsFor(input, 'aaa', asOf)
  const year = Number(input.dateOfBirth.slice(0, 4)) + 65
  const yearStart = `${String(year)}-01-01`
  const yearEnd = `${String(year + 1)}-01-01`
  const intro = `Men are invited for a single AAA (abdominal aortic aneurysm) ultrasound scan in the year they turn 65 (${String(year)}).`

  if (sex.kind === 'female') {
    return assessment('aaa', false, outsideStatus(events), null, [
      'Recorded as female. AAA screening is for men and is not offered to women.',
      sex.confirmed ? '' : 'If the person was registered male at birth, check with a clinician whether it applies.',
    ])
  }
  const lastScreen = findLastScreen(events)
  if (lastScreen !== undefined) {
    const on = formatLongDate(lastScreen.date)
    let text: string
    if (lastScreen.state === 'attended') {
      text = `Scanned on ${on}; the result is not recorded yet. AAA screening is a single scan, so there is no further invitation.`
    } else if (lastScreen.result === 'referred') {
      text = `Scanned on ${on}: an aneurysm needing follow-up by the AAA screening service, which the reference used here does not cover. There is no further screening invitation.`
    } else {
      text = `Scanned on ${on}. AAA screening is a single scan, so there is no further invitation.`
    }
    const latest = events.at(-1)
    const history: History = {
      eligible: false,
      status: latest !== undefined && latest !== lastScreen ? latest.state : lastScreen.state,
      nextDue: null,
      sentences: latest !== undefined && latest !== lastScreen ? [text, eventSentence(latest)] : [text],
    }
    const result = withSex(sex, 'AAA screening', history, intro)
    return assessment('aaa', result.eligible, result.status, null, result.sentences)
  }
  if (asOf < yearStart) {
    return assessment('aaa', false, 'not-eligible', yearStart, [`${intro} Not yet: from ${formatLongDate(yearStart)}.`])
  }
  if (asOf >= yearEnd) {
    const prefix = sex.kind === 'uncertain' ? uncertainPrefix(sex.description, 'AAA screening') : ''
    return assessment(
      'aaa',
      sex.kind === 'uncertain' ? 'check-with-clinician' : 'self-referral',
      outsideStatus(events),
      null,
      [
        prefix,
        intro,
        'No AAA scan is recorded, and men over 65 who were never screened can self-refer for the single scan.',
        ...lastRecorded(events),
      ],
    )
  }
  const history = routineHistory({
    roundMonths: null,
    events,
    asOf,
    firstDue: yearStart,
    noHistoryText: 'No AAA scan recorded',
    windowEnd: yearEnd,
    routineEndText: () => '',
    followUpEndText: () => '',
    recall: () => ({ date: null, text: '' }),
  })
  const result = withSex(sex, 'AAA screening', history, intro)
  return assessment('aaa', result.eligible, result.status, result.nextDue, result.sentences)
}

const LUNG_ROLLOUT =
  'The national programme is still being rolled out (full coverage targeted by 2029 to 2030), so it may not be offered in every area yet.'

function lung(ctx: Context): ProgrammeAssessment {
  const { input, asOf } = ctx
  const dob = input.dateOfBirth
  const smoking = input.smoking ?? 'unknown'
  const events = eventsFor(input, 'lung', asOf)
  const start = addYears(dob, 55)
  const end = addYears(dob, 75)
  const rule = 'Lung health checks are for people aged 55 to under 75 with a smoking history in their GP record.'

  if (smoking === 'never') {
    return assessment('lung', false, outsideStatus(events), null, [rule, 'Recorded as never having smoked.'])
  }
  if (asOf < start) {
    return assessment('lung', false, 'not-eligible', start, [`${rule} From ${formatLongDate(start)}.`])
  }
  if (asOf >= end) {
    const lastScreen = findLastScreen(events)
    const surveillance = lastScreen?.programme === 'lung' && lastScreen.result === 'high-risk-scanned'
    return assessment('lung', surveillance ? 'check-with-clinician' : false, outsideStatus(events), null, [
      `${rule} Aged 75 or over, so not invited.`,
      surveillance
        ? `The last low-dose CT scan was on ${formatLongDate(lastScreen.date)}; the reference used here does not say whether re-scans continue after 75. Check with the lung health check service.`
        : '',
    ])
  }
  const history = routineHistory({
    roundMonths: 24,
    events,
    asOf,
    firstDue: start,
    noHistoryText: 'No lung health check recorded',
    windowEnd: end,
    routineEndText: () => '',
    followUpEndText: (date) =>
      `The next 24-month scan (${formatLongDate(date)}) would fall after the 75th birthday; the reference used here does not say whether re-scans continue. Check with the lung health check service.`,
    recall: (screen) => {
      if (screen.programme !== 'lung') throw new Error('lung recall given another programme')
      if (screen.state === 'attended') return awaiting(screen)
      if (screen.result === undefined || screen.result === null) return missingResult(screen)
      const on = formatLongDate(screen.date)
      switch (screen.result) {
        case 'low-risk':
          return {
            date: null,
            text: `Assessed as low risk on ${on}. The reference used here does not say when people at low risk are invited again; check with the lung health check service.`,
          }
        case 'high-risk-scanned': {
          const date = addMonths(screen.date, 24)
          return {
            date,
            followUp: true,
            text: `High risk, with a low-dose CT scan on ${on}: re-scanned every 24 months, ${dueText(date, asOf)}.`,
          }
        }
        case 'referred':
          return {
            date: null,
            text: `The check on ${on} led to a referral for further tests, so no routine recall; the lung service sets what happens next.`,
          }
      }
    },
  })
  const smokingText =
    smoking === 'unknown'
      ? 'Check with a clinician: smoking history is not recorded. Ask whether they have ever smoked; if they have:'
      : `Recorded as ${smoking === 'current' ? 'a current smoker' : 'an ex-smoker'}.`
  return assessment(
    'lung',
    smoking === 'unknown' && history.eligible !== false ? 'check-with-clinician' : history.eligible,
    history.status,
    history.nextDue,
    [
      smokingText,
      'Ages 55 to 74 with a smoking history: lung health check (a risk assessment, then low-dose CT scans for people at high risk).',
      ...history.sentences,
      LUNG_ROLLOUT,
    ],
  )
}

/**
 * Prostate has no screening programme: the output never says "due" or uses the word screening, is never eligible
 * and never has a next date. It explains informed choice; GPs do not raise it proactively, so neither does this.
 */
function prostate(ctx: Context): ProgrammeAssessment {
  const { input, sex } = ctx
  const choice =
    'This is not a routine NHS invitation: a man aged 50 or over with no symptoms can choose to ask his GP for a free ' +
    'PSA blood test, after balanced information about its benefits, limits and risks. GPs do not raise it unless asked.'
  const risk =
    'For information only: the risk of prostate cancer is higher for men with a family history of it and for Black ' +
    'African or Black Caribbean men.'
  if (sex.kind === 'female') {
    return assessment('prostate-informed-choice', false, 'not-eligible', null, [
      'Not applicable: the choice to ask for a PSA blood test is for men aged 50 or over. It is not a routine NHS invitation.',
      sex.confirmed ? '' : 'If the person was registered male at birth, a clinician can discuss it if they ask.',
    ])
  }
  if (sex.kind === 'uncertain') {
    return assessment('prostate-informed-choice', false, 'not-eligible', null, [
      `Check with a clinician: ${sex.description}. The reference used here does not say how the PSA test choice applies to trans, non-binary or intersex people; a clinician can discuss it if the person asks.`,
      choice,
      risk,
    ])
  }
  const fifty = addYears(input.dateOfBirth, 50)
  if (ctx.age < 50) {
    return assessment('prostate-informed-choice', false, 'not-eligible', null, [
      `${choice} Applies from age 50 (${formatLongDate(fifty)}).`,
    ])
  }
  return assessment('prostate-informed-choice', false, 'not-eligible', null, [choice, risk])
}

// ---------------------------------------------------------------------------------------------------------------

/** Eligibility and status for each programme, in the order of `screeningProgrammes`, as of `asOf` (YYYY-MM-DD). */
export function assessScreening(input: ScreeningInput, asOf: string): ProgrammeAssessment[] {
  parseIsoDate(asOf, 'asOf')
  parseIsoDate(input.dateOfBirth, 'dateOfBirth')
  if (input.dateOfBirth > asOf) throw new RangeError('dateOfBirth is after asOf')
  const ctx: Context = { input, asOf, age: ageOn(input.dateOfBirth, asOf), sex: readSex(input) }
  return [cervical(ctx), breast(ctx), bowel(ctx), aaa(ctx), lung(ctx), prostate(ctx)]
}
