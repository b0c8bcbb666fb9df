import { copyColumns, randomUuid, weighted, type DemoPerson, type Random } from './demo.generators.ts'
import { SLOTS_PER_DAY, TEAM_PANEL, type Placement } from './demo.teams.ts'
import type { AbsenceReason, AppointmentKind, AppointmentOutcome } from '../appointments/index.ts'

/*
 * Appointments and missed-appointment follow-ups for one person, placed in the person's lane of their team
 * clinician's diary (see demo.teams.ts), in UK working hours and stored in UTC. Past appointments carry nDelius
 * outcomes (domain reference §8); a missed one (AFTA, UAAB, AA) has a follow-up for the clinician and one for the
 * practitioner, as the appointments feature creates them.
 */

const DAY_MS = 86_400_000
const HOUR_MS = 3_600_000
const MINUTE_MS = 60_000
/** A Monday: working days are counted from here, so every run and top-up shares one diary grid. */
const EPOCH_MS = Date.UTC(2000, 0, 3)
const CYCLE_DAYS = TEAM_PANEL / SLOTS_PER_DAY
/** Slot start times, UK local hour (lunch 13:00-14:00); the longest appointment (60 minutes) ends by 17:00. */
const SLOT_HOURS = [9, 10, 11, 12, 14, 15, 16] as const
/** How far back the demo diary goes, and how far ahead bookings are made. */
export const HISTORY_DAYS = 168
export const UPCOMING_DAYS = 42

/** Shares used by the generator; the tests check the output against them. */
export const appointmentProportions = {
  /** A lane slot in the person's supervision is used (months with no hub appointment are the rest). */
  slotUsed: 0.9,
  joint: 0.65,
  /**
   * What became of an appointment that fell due. Missed (AFTA + UAAB + AA) is 24 of 90, so about 27% of slots and,
   * counting the rescheduled originals as rows, about 24% of past appointments: inside the 20-30% non-attendance
   * probation services report for supervision appointments. The person's traits move their own rate up or down.
   */
  outcomes: {
    ATTC: 58,
    AFTC: 4,
    ATSH: 1,
    ATSS: 1,
    AFTA: 10,
    UAAB: 6,
    AA: 8,
    cancelled: 2,
  },
  /** The slot's appointment had first been booked a week earlier and was moved (RSOF at the person's request). */
  rescheduled: 0.1,
  rescheduledAtPersonsRequest: 0.7,
  /** Past appointments in the last three days whose outcome has not been recorded yet. */
  outcomePending: 0.15,
  upcomingCancelled: 0.03,
} as const

export const missedCodes: readonly AppointmentOutcome[] = ['AFTA', 'UAAB', 'AA']
export const FOLLOW_UP_KIND = 'missed-appointment'

type Fate = keyof typeof appointmentProportions.outcomes
const fateEntries = Object.entries(appointmentProportions.outcomes) as [Fate, number][]

/** Fates with the missed outcomes' weights scaled for a person (rounded, so a few pickers serve everyone). */
const fatePickers = new Map<number, (random: Random) => Fate>()
function fatePicker(missFactor: number): (random: Random) => Fate {
  const key = Math.round(missFactor * 100)
  let picker = fatePickers.get(key)
  if (picker === undefined) {
    picker = weighted<Fate>(
      fateEntries.map(([code, weight]) => [
        code,
        code === 'AFTA' || code === 'UAAB' || code === 'AA' ? weight * missFactor : weight,
      ]),
    )
    fatePickers.set(key, picker)
  }
  return picker
}
const pickStandardFate = fatePicker(1)

const pickAbsenceReason = weighted<AbsenceReason>([
  ['AAME', 35],
  ['AAEM', 15],
  ['AAFC', 15],
  ['AACL', 8],
  ['AAAA', 8],
  ['CO05', 6],
  ['AASD', 5],
  ['AARC', 4],
  ['AAHO', 2],
  ['AARE', 2],
])

const outcomeNotes: Partial<Record<AppointmentOutcome, readonly string[]>> = {
  AFTC: ['Arrived late and left before the health check finished', 'Declined to take part in the appointment'],
  ATSH: ['Sent home: appeared intoxicated; rebook for a morning slot'],
  ATSS: ['Sent home: no interpreter available', 'Sent home: clinic room unavailable'],
  AA: ['Evidence seen', 'Phoned ahead to explain'],
}

const cancelReasons = [
  'Recalled to custody',
  'Clinician unavailable (training)',
  'Booked in error',
  'Moved to another probation area',
  'Supervision transferred to another office',
]

const noteFor = (random: Random, outcome: AppointmentOutcome): string | null => {
  const notes = outcomeNotes[outcome]
  return notes !== undefined && random.chance(0.5) ? random.pick(notes) : null
}

const followUpNotes = [
  'Phoned and rebooked',
  'Left a voicemail and sent a letter; rebooked',
  'Spoke to the person at their next probation appointment',
  'Practitioner made contact; no health reason behind the absence',
  'Contacted; absence linked to a hospital appointment',
]

const outcomeLabels: Record<AppointmentOutcome, string> = {
  ATTC: 'Attended and complied',
  AFTC: 'Attended but failed to comply',
  ATSH: 'Sent home because of their behaviour',
  ATSS: 'Sent home because of a problem with the service',
  AFTA: 'Failed to attend',
  UAAB: 'Unacceptable absence',
  AA: 'Acceptable absence',
  RSOF: 'Rescheduled at the person’s request',
  RSSR: 'Rescheduled at the service’s request',
}

const MONTHS = 'January February March April May June July August September October November December'.split(' ')

// ---------------------------------------------------------------------------------------------------------------
// UK calendar and clock

/** [start, end] of British Summer Time by year, as UTC midnights of the last Sundays of March and October. */
const bstCache = new Map<number, readonly [number, number]>()

function lastSunday(year: number, month: number): number {
  const last = Date.UTC(year, month + 1, 0)
  return last - new Date(last).getUTCDay() * DAY_MS
}

/** The UK offset from UTC on a working day (clocks change on Sundays, so a weekday is one or the other all day). */
function ukOffsetMs(dayMs: number): number {
  const year = new Date(dayMs).getUTCFullYear()
  let bst = bstCache.get(year)
  if (bst === undefined) {
    bst = [lastSunday(year, 2), lastSunday(year, 9)]
    bstCache.set(year, bst)
  }
  return dayMs > bst[0] && dayMs < bst[1] ? HOUR_MS : 0
}

const workingDayMs = (w: number) => EPOCH_MS + (Math.floor(w / 5) * 7 + (w % 5)) * DAY_MS

/** The first working day on or after a UTC midnight. */
function workingDayFrom(dayMs: number): number {
  const days = Math.round((dayMs - EPOCH_MS) / DAY_MS)
  const week = Math.floor(days / 7)
  const weekday = days - week * 7
  return weekday >= 5 ? (week + 1) * 5 : week * 5 + weekday
}

function isBankHoliday(dayMs: number): boolean {
  const d = new Date(dayMs)
  const month = d.getUTCMonth()
  const date = d.getUTCDate()
  return (month === 11 && (date === 25 || date === 26)) || (month === 0 && date === 1)
}

/** The next Monday-to-Friday after a day. */
function nextWorkingDay(dayMs: number): number {
  let next = dayMs + DAY_MS
  while (new Date(next).getUTCDay() % 6 === 0) next += DAY_MS
  return next
}

const midnight = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS

const dayStrings = new Map<number, string>()
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'))

/** YYYY-MM-DD of a UTC day, cached: the loader formats millions of timestamps over a few hundred days. */
export function isoDay(ms: number): string {
  const day = Math.floor(ms / DAY_MS)
  let text = dayStrings.get(day)
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10)
    dayStrings.set(day, text)
  }
  return text
}

/** An instant in UTC to the second (YYYY-MM-DDTHH:MM:SSZ), without building a Date. */
export function isoInstant(ms: number): string {
  const seconds = Math.floor((ms - midnight(ms)) / 1000)
  const h = TWO_DIGITS[Math.floor(seconds / 3600)] ?? '00'
  const m = TWO_DIGITS[Math.floor(seconds / 60) % 60] ?? '00'
  const sec = TWO_DIGITS[seconds % 60] ?? '00'
  return `${isoDay(ms)}T${h}:${m}:${sec}Z`
}

function longDate(dayMs: number): string {
  const d = new Date(dayMs)
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()] ?? ''} ${d.getUTCFullYear()}`
}

/** A UK working-hours instant on a day, between 09:00 and 17:00 local, in UTC. */
function workingInstant(random: Random, dayMs: number): number {
  return dayMs + 9 * HOUR_MS - ukOffsetMs(dayMs) + random.int(0, 95) * 5 * MINUTE_MS
}

// ---------------------------------------------------------------------------------------------------------------
// Rows

export const appointmentColumns = copyColumns('appointment', [
  'id',
  'person_id',
  'site_id',
  'kind',
  'starts_at',
  'duration_minutes',
  'ends_at',
  'location',
  'clinician_id',
  'practitioner_id',
  'status',
  'outcome',
  'absence_reason',
  'outcome_notes',
  'outcome_recorded_at',
  'outcome_recorded_by',
  'cancelled_reason',
  'cancelled_at',
  'cancelled_by',
  'rescheduled_from',
  'version',
  'created_at',
  'created_by',
  'updated_at',
])

export const followUpColumns = copyColumns('follow_up', [
  'id',
  'kind',
  'person_id',
  'site_id',
  'appointment_id',
  'assigned_to',
  'reason',
  'due_date',
  'status',
  'done_at',
  'done_by',
  'note',
  'created_at',
])

/** What consent needs from a person's appointments: the first they attended. */
export interface FirstAttended {
  dayMs: number
  endsAtMs: number
  clinicianId: string
}

/** An appointment the person came to (attended outcomes only), for the health checks held at it. */
export interface AttendedAppointment {
  id: string
  outcome: 'ATTC' | 'AFTC' | 'ATSH' | 'ATSS'
  dayMs: number
  startsMs: number
  endsMs: number
  /** When the outcome was recorded (never after now). */
  recordedMs: number
  clinicianId: string
}

export interface PersonAppointments {
  appointments: string
  followUps: string
  appointmentCount: number
  followUpCount: number
  firstAttended: FirstAttended | null
  /** Every attended appointment, oldest first. */
  attended: AttendedAppointment[]
}

function location(random: Random, kind: AppointmentKind): string | null {
  if (random.chance(0.1)) return null
  return kind === 'joint' ? `Interview room ${random.int(1, 6)}` : `Health hub clinic room ${random.int(1, 3)}`
}

/** The day bounds (UTC midnights) of a person's hub diary: inside supervision, out of custody, inside the window. */
function personWindow(person: DemoPerson, todayMs: number): [number, number] {
  const row = person.row
  let from = todayMs - HISTORY_DAYS * DAY_MS
  let to = todayMs + UPCOMING_DAYS * DAY_MS
  if (row.supervision_start !== null) {
    const start = Date.parse(row.supervision_start)
    if (start > from) from = start
  }
  if (row.release_date !== null) {
    const release = Date.parse(row.release_date) + DAY_MS
    if (release > from) from = release
  }
  if (row.supervision_end !== null) {
    const end = Date.parse(row.supervision_end)
    if (end < to) to = end
  }
  return [from, to]
}

/** One appointment row; text fields come from the fixed vocabularies above (no commas, quotes or newlines). */
interface AppointmentRow {
  id: string
  kind: AppointmentKind
  startsMs: number
  duration: number
  location: string | null
  practitionerId: string | null
  status: 'booked' | 'cancelled' | 'completed'
  outcome: AppointmentOutcome | null
  absenceReason: AbsenceReason | null
  notes: string | null
  recordedMs: number | null
  cancelledReason: string | null
  cancelledMs: number | null
  rescheduledFrom: string | null
  createdMs: number
  createdBy: string
}

/**
 * A person's appointments from their lane. `nowMs` splits past from upcoming. People without an assigned
 * practitioner have only joint appointments, so a practitioner is always there to follow a missed one up.
 */
export function generateAppointments(
  random: Random,
  person: DemoPerson,
  placement: Placement,
  nowMs: number,
): PersonAppointments {
  const row = person.row
  const clinicianId = placement.team.clinicianId
  const practitionerId = row.probation_practitioner_id ?? placement.practitionerId
  const todayMs = midnight(nowMs)
  const [fromMs, toMs] = personWindow(person, todayMs)
  const result: PersonAppointments = {
    appointments: '',
    followUps: '',
    appointmentCount: 0,
    followUpCount: 0,
    firstAttended: null,
    attended: [],
  }
  if (fromMs > toMs) return result

  // The person's missed share moves with their circumstances; the factors average about 1 over the caseload.
  const missFactor = (person.traits.substanceMisuse ? 1.3 : 0.8) * (row.no_fixed_abode ? 1.4 : 0.96)
  const pickFate = missFactor === 1 ? pickStandardFate : fatePicker(missFactor)
  const personPart = `${row.id},${row.site_id}`

  const write = (a: AppointmentRow) => {
    const recorded = a.recordedMs === null ? '' : isoInstant(a.recordedMs)
    const cancelled = a.cancelledMs === null ? '' : isoInstant(a.cancelledMs)
    const created = isoInstant(a.createdMs)
    const version = a.status === 'booked' ? 1 : 2
    const updated = a.status === 'booked' ? created : a.status === 'completed' ? recorded : cancelled
    result.appointments +=
      `${a.id},${personPart},${a.kind},${isoInstant(a.startsMs)},${a.duration},` +
      `${isoInstant(a.startsMs + a.duration * MINUTE_MS)},${a.location ?? ''},${clinicianId},` +
      `${a.practitionerId ?? ''},${a.status},${a.outcome ?? ''},${a.absenceReason ?? ''},${a.notes ?? ''},` +
      `${recorded},${a.recordedMs === null ? '' : clinicianId},${a.cancelledReason ?? ''},${cancelled},` +
      `${a.cancelledMs === null ? '' : clinicianId},${a.rescheduledFrom ?? ''},${version},${created},` +
      `${a.createdBy},${updated}\n`
    result.appointmentCount++
  }

  const lane = placement.lane
  const laneDay = Math.floor(lane / SLOTS_PER_DAY)
  const hour = SLOT_HOURS[lane % SLOTS_PER_DAY] ?? 9
  const firstDay = workingDayFrom(fromMs)
  let w = firstDay + ((((laneDay - firstDay) % CYCLE_DAYS) + CYCLE_DAYS) % CYCLE_DAYS)

  for (; workingDayMs(w) <= toMs; w += CYCLE_DAYS) {
    const dayMs = workingDayMs(w)
    if (isBankHoliday(dayMs) || !random.chance(appointmentProportions.slotUsed)) continue
    const kind: AppointmentKind =
      row.probation_practitioner_id === null || random.chance(appointmentProportions.joint) ? 'joint' : 'clinic'
    const duration = kind === 'joint' ? random.pick([45, 60]) : random.pick([30, 45])
    const startsMs = dayMs + hour * HOUR_MS - ukOffsetMs(dayMs)
    const endsMs = startsMs + duration * MINUTE_MS
    const appointment: AppointmentRow = {
      id: '',
      kind,
      startsMs,
      duration,
      location: location(random, kind),
      practitionerId: kind === 'joint' ? practitionerId : null,
      status: 'booked',
      outcome: null,
      absenceReason: null,
      notes: null,
      recordedMs: null,
      cancelledReason: null,
      cancelledMs: null,
      rescheduledFrom: null,
      createdMs: Math.min(nowMs, workingInstant(random, dayMs - random.int(7, 28) * DAY_MS)),
      createdBy: kind === 'joint' && random.chance(0.5) ? practitionerId : clinicianId,
    }

    // Moved here from a week earlier (before the person's window opened, it was never booked).
    const originalDayMs = dayMs - 7 * DAY_MS
    const originalMs = originalDayMs + hour * HOUR_MS - ukOffsetMs(originalDayMs)
    if (originalMs >= fromMs && !isBankHoliday(originalDayMs) && random.chance(appointmentProportions.rescheduled)) {
      const movedMs = Math.min(nowMs, originalMs - random.int(1, 3) * DAY_MS + random.int(0, 8) * HOUR_MS)
      const original: AppointmentRow = {
        ...appointment,
        id: randomUuid(random),
        startsMs: originalMs,
        status: 'cancelled',
        outcome: random.chance(appointmentProportions.rescheduledAtPersonsRequest) ? 'RSOF' : 'RSSR',
        recordedMs: movedMs,
        cancelledReason: 'rescheduled',
        cancelledMs: movedMs,
        createdMs: Math.min(movedMs, appointment.createdMs - 7 * DAY_MS),
      }
      write(original)
      appointment.rescheduledFrom = original.id
      appointment.createdMs = movedMs
    }
    appointment.id = randomUuid(random)

    if (endsMs > nowMs) {
      // Upcoming (or under way): booked, or a few already called off.
      if (startsMs > nowMs && random.chance(appointmentProportions.upcomingCancelled)) {
        appointment.status = 'cancelled'
        appointment.cancelledReason = random.pick(cancelReasons)
        appointment.cancelledMs = Math.max(appointment.createdMs, nowMs - random.int(0, 4) * DAY_MS)
      }
      write(appointment)
      continue
    }
    // Recently past, with the outcome not recorded yet.
    if (endsMs > nowMs - 3 * DAY_MS && random.chance(appointmentProportions.outcomePending)) {
      write(appointment)
      continue
    }

    const fate = pickFate(random)
    if (fate === 'cancelled') {
      appointment.status = 'cancelled'
      appointment.cancelledReason = random.pick(cancelReasons)
      appointment.cancelledMs = Math.max(appointment.createdMs, startsMs - random.int(1, 5) * DAY_MS)
      write(appointment)
      continue
    }

    const recordedMs = Math.min(nowMs, endsMs + random.int(1, 24) * 5 * MINUTE_MS)
    appointment.status = 'completed'
    appointment.outcome = fate
    appointment.absenceReason = fate === 'AA' ? pickAbsenceReason(random) : null
    appointment.notes = noteFor(random, fate)
    appointment.recordedMs = recordedMs
    write(appointment)

    if (fate !== 'AFTA' && fate !== 'UAAB' && fate !== 'AA') {
      result.firstAttended ??= { dayMs, endsAtMs: endsMs, clinicianId }
      result.attended.push({ id: appointment.id, outcome: fate, dayMs, startsMs, endsMs, recordedMs, clinicianId })
      continue
    }

    // A missed appointment: one follow-up each for the clinician and the practitioner; old ones mostly done.
    const reasonAndDue =
      `"${outcomeLabels[fate]} on ${longDate(dayMs)}: contact the person, rebook, and check whether a health ` +
      `reason lies behind the absence",${isoDay(nextWorkingDay(midnight(recordedMs)))}`
    const recordedAt = isoInstant(recordedMs)
    const ageDays = (nowMs - recordedMs) / DAY_MS
    const doneChance = ageDays > 14 ? 0.94 : ageDays > 3 ? 0.5 : 0.1
    for (const assignee of [clinicianId, practitionerId]) {
      const doneMs = recordedMs + random.int(2, 96) * HOUR_MS
      const done =
        doneMs < nowMs && random.chance(doneChance)
          ? `done,${isoInstant(doneMs)},${assignee},${random.pick(followUpNotes)}`
          : 'open,,,'
      result.followUps +=
        `${randomUuid(random)},${FOLLOW_UP_KIND},${personPart},${appointment.id},${assignee},` +
        `${reasonAndDue},${done},${recordedAt}\n`
      result.followUpCount++
    }
  }
  return result
}

/** Every fixed text the rows carry unquoted: checked by the tests to need no CSV quoting. */
export const unquotedVocabulary: readonly string[] = [
  ...cancelReasons,
  ...followUpNotes,
  ...Object.values(outcomeNotes).flat(),
  'Interview room 1',
  'Health hub clinic room 1',
]
