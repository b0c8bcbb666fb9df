/**
 * When appointment reminders go. Pure: the caller passes the appointment's start, the lead times
 * (REMINDER_LEAD_HOURS), the quiet hours (REMINDER_QUIET_HOURS) and now, and stores what comes back.
 *
 * Quiet hours are UK wall-clock times (Europe/London), because that is the clock the person's phone shows: a night
 * that spans a clock change is an hour shorter or longer in UTC, and its end is found on the UK calendar.
 */
import { addDays, fromUkLocal, toUkLocal } from '../../platform/time/uk-time.ts'

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string }

export interface ClockTime {
  readonly hour: number
  readonly minute: number
}

/** A daily period, UK local time; it wraps midnight when start is later than end (21:00-08:00). */
export interface QuietHours {
  readonly start: ClockTime
  readonly end: ClockTime
}

export type ReminderSkip = 'appointment-started' | 'quiet-until-start'

export type ReminderTime = { send: Date } | { skip: ReminderSkip }

export interface ReminderInput {
  readonly appointmentStart: Date
  readonly now: Date
  readonly quietHours: QuietHours | null
}

const MINUTE_MS = 60_000
const HOUR_MS = 3_600_000
const MAX_LEAD_HOURS = 336

const leadHoursRule = `REMINDER_LEAD_HOURS must be whole hours between 1 and ${MAX_LEAD_HOURS}, separated by commas, like "24" or "48,2"`
const quietHoursRule =
  'REMINDER_QUIET_HOURS must be a start and end time in 24-hour UK time, like "21:00-08:00", or empty for none'

/**
 * REMINDER_LEAD_HOURS, like "48,2". Duplicates are collapsed (two reminders at the same moment would be one too
 * many), and the result runs longest first, the order reminderSchedule prefers when two lead times meet.
 */
export function parseLeadHours(text: string): Parsed<number[]> {
  const trimmed = text.trim()
  if (trimmed === '') return { ok: false, message: `${leadHoursRule}: it is empty` }
  const hours = new Set<number>()
  for (const raw of trimmed.split(',')) {
    const item = raw.trim()
    if (item === '') return { ok: false, message: `${leadHoursRule}: "${trimmed}" has an empty item` }
    const value = /^\d+$/.test(item) ? Number(item) : Number.NaN
    if (!(value >= 1 && value <= MAX_LEAD_HOURS)) return { ok: false, message: `${leadHoursRule}: "${item}" is not` }
    hours.add(value)
  }
  return { ok: true, value: [...hours].sort((a, b) => b - a) }
}

/** REMINDER_QUIET_HOURS, like "21:00-08:00"; empty means there are none (null). */
export function parseQuietHours(text: string): Parsed<QuietHours | null> {
  const trimmed = text.trim()
  if (trimmed === '') return { ok: true, value: null }
  const match = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(trimmed)
  const start = match === null ? undefined : clockTime(match[1], match[2])
  const end = match === null ? undefined : clockTime(match[3], match[4])
  if (start === undefined || end === undefined) return { ok: false, message: `${quietHoursRule}: "${trimmed}" is not` }
  if (minutesOf(start) === minutesOf(end)) {
    // Equal ends could mean "never quiet" or "always quiet"; neither is worth guessing.
    return {
      ok: false,
      message: `REMINDER_QUIET_HOURS must start and end at different times: "${trimmed}" starts and ends at ${hhmm(minutesOf(start))}`,
    }
  }
  return { ok: true, value: { start, end } }
}

function clockTime(hour: string | undefined, minute: string | undefined): ClockTime | undefined {
  const h = Number(hour)
  const m = Number(minute)
  return h <= 23 && m <= 59 ? { hour: h, minute: m } : undefined
}

/**
 * When one reminder goes, or why it does not.
 *
 * - Due at start − leadHours, in elapsed hours (so across a clock change a 24-hour reminder shows a different
 *   wall-clock time from the appointment's); if that has passed, now: an appointment booked inside a lead time
 *   still gets that reminder, as soon as allowed.
 * - Quiet hours include their start minute and exclude their end minute: with 21:00-08:00 a reminder may go at
 *   20:59 and at 08:00, not at 21:00. So a reminder due in quiet hours goes at their end if that is still strictly
 *   before the appointment, else at the last allowed minute before them (their start − 1 minute, but not before
 *   now); if they had already begun by now, there is no allowed moment left: 'quiet-until-start'.
 * - Anything that would go at or after the appointment's start is pointless: 'appointment-started'.
 */
export function reminderSendTime(input: ReminderInput & { readonly leadHours: number }): ReminderTime {
  const { appointmentStart, leadHours, now, quietHours } = input
  if (now.getTime() >= appointmentStart.getTime()) return { skip: 'appointment-started' }
  const due = new Date(Math.max(appointmentStart.getTime() - leadHours * HOUR_MS, now.getTime()))
  const quiet = quietHours === null ? undefined : quietPeriodAt(due, quietHours)
  let send = due
  if (quiet !== undefined) {
    if (quiet.to.getTime() < appointmentStart.getTime()) send = quiet.to
    else if (quiet.from.getTime() > now.getTime()) {
      send = new Date(Math.max(quiet.from.getTime() - MINUTE_MS, now.getTime()))
    } else return { skip: 'quiet-until-start' }
  }
  return send.getTime() < appointmentStart.getTime() ? { send } : { skip: 'appointment-started' }
}

/**
 * Every reminder an appointment gets: one per lead time not skipped, in sending order. Lead times that land on the
 * same moment (say, both booked late and sent now) are one message, kept under the longest lead time.
 */
export function reminderSchedule(
  input: ReminderInput & { readonly leadHours: readonly number[] },
): { leadHours: number; send: Date }[] {
  const byTime = new Map<number, { leadHours: number; send: Date }>()
  for (const leadHours of input.leadHours) {
    const time = reminderSendTime({ ...input, leadHours })
    if (!('send' in time)) continue
    const kept = byTime.get(time.send.getTime())
    if (kept === undefined || kept.leadHours < leadHours)
      byTime.set(time.send.getTime(), { leadHours, send: time.send })
  }
  return [...byTime.values()].sort((a, b) => a.send.getTime() - b.send.getTime())
}

/**
 * The quiet period an instant falls in, as instants, or undefined. Each period is built from UK calendar dates, so
 * the night of a clock change comes out 11 or 13 hours long (21:00-08:00). A boundary in the hour skipped when the
 * clocks go forward begins at the first minute after the gap; one in the repeated hour when they go back is taken
 * at its first (BST) occurrence, as fromUkLocal does, so the second pass of that hour is not quiet.
 */
function quietPeriodAt(instant: Date, quiet: QuietHours): { from: Date; to: Date } | undefined {
  const start = minutesOf(quiet.start)
  const end = minutesOf(quiet.end)
  const today = toUkLocal(instant).date
  const wraps = start > end
  // A wrapping period that holds the instant began today or yesterday; a non-wrapping one, today.
  const startDates = wraps ? [addDays(today, -1), today] : [today]
  for (const date of startDates) {
    const from = ukInstant(date, start)
    const to = ukInstant(wraps ? addDays(date, 1) : date, end)
    if (from.getTime() <= instant.getTime() && instant.getTime() < to.getTime()) return { from, to }
  }
  return undefined
}

/** The instant a UK wall-clock time names; a time skipped when the clocks go forward means the first one after. */
function ukInstant(date: string, minutes: number): Date {
  for (let m = minutes; m < Math.min(minutes + 180, 24 * 60); m += 1) {
    const instant = fromUkLocal(date, hhmm(m))
    if (instant !== undefined) return instant
  }
  throw new Error(`No UK time ${hhmm(minutes)} on ${date}`)
}

function minutesOf(time: ClockTime): number {
  return time.hour * 60 + time.minute
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
}
