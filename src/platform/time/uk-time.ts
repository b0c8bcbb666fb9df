/**
 * UK dates and times. Instants are stored in UTC; what people enter and read is UK local time (Europe/London), and
 * "today", "overdue" and "not in the future" are judged on the UK calendar.
 */
import type { Clock } from '../clock.ts'
import { isRealDate } from '../forms/forms.ts'

const ZONE = 'Europe/London'

const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

const longDate = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, day: 'numeric', month: 'long', year: 'numeric' })
const weekdayDate = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
})

/** The UK date (YYYY-MM-DD) and 24-hour time (HH:MM) of an instant. */
export function toUkLocal(instant: Date): { date: string; time: string } {
  const parts = partsFormat.formatToParts(instant)
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` }
}

function offsetMs(instant: number): number {
  const { date, time } = toUkLocal(new Date(instant))
  return Date.parse(`${date}T${time}:00Z`) - Math.floor(instant / 60_000) * 60_000
}

/**
 * The instant a UK wall-clock time names, or undefined when the time does not exist (the hour skipped when the
 * clocks go forward). In the repeated hour when the clocks go back, the first (BST) one is taken.
 */
export function fromUkLocal(date: string, time: string): Date | undefined {
  const asUtc = Date.parse(`${date}T${time}:00Z`)
  if (Number.isNaN(asUtc)) return undefined
  const candidates = [asUtc - offsetMs(asUtc - 3_600_000), asUtc - offsetMs(asUtc)].sort((a, b) => a - b)
  for (const candidate of candidates) {
    const local = toUkLocal(new Date(candidate))
    if (local.date === date && local.time === time) return new Date(candidate)
  }
  return undefined
}

const ukDateFormat = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE })
const ukTimeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

/** The UK calendar date (YYYY-MM-DD) of an instant. */
export function ukDateOf(instant: Date): string {
  return ukDateFormat.format(instant)
}

/** Today's UK calendar date (YYYY-MM-DD) by the clock. */
export function ukToday(clock: Clock): string {
  return ukDateOf(clock.now())
}

/** The instant a UK calendar day begins (00:00 GMT or BST, whichever is in force). */
export function ukMidnight(date: string): Date {
  for (const offsetHours of [1, 0]) {
    const candidate = new Date(Date.parse(`${date}T00:00:00Z`) - offsetHours * 3_600_000)
    if (ukDateOf(candidate) === date && ukTimeFormat.format(candidate) === '00:00') return candidate
  }
  throw new Error(`No UK midnight on ${date}`)
}

/** "3 December 2026" in UK time. */
export function ukDate(instant: Date): string {
  return longDate.format(instant)
}

/** "Thursday 3 December 2026" for a calendar date. */
export function longCalendarDate(date: string): string {
  // Built from parts: ICU puts a comma after the weekday, which GOV.UK style leaves out.
  const parts = weekdayDate.formatToParts(new Date(`${date}T00:00:00Z`))
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? ''
  return `${get('weekday')} ${get('day')} ${get('month')} ${get('year')}`
}

const CALENDAR_DATE = /^\d{4}-(\d{2})-(\d{2})$/

/**
 * The calendar date `days` after `date` (YYYY-MM-DD). Worked out from the numbers rather than by parsing and printing
 * an ISO string (a third of the time: the worklist's release plans ask it some ten thousand times a page); anything
 * but a plain date with a month of 1 to 12 and a day of 1 to 31 goes the way of `Date`'s own parser, which refuses it
 * or rolls it over exactly as before.
 */
export function addDays(date: string, days: number): string {
  const plain = CALENDAR_DATE.exec(date)
  const month = Number(plain?.[1])
  const day = Number(plain?.[2])
  if (plain === null || month < 1 || month > 12 || day < 1 || day > 31) {
    const d = new Date(`${date}T00:00:00Z`)
    d.setUTCDate(d.getUTCDate() + days)
    return d.toISOString().slice(0, 10)
  }
  const d = new Date(0)
  d.setUTCFullYear(Number(date.slice(0, 4)), month - 1, day + days)
  const y = d.getUTCFullYear()
  const m = d.getUTCMonth() + 1
  const dd = d.getUTCDate()
  if (y < 0 || y > 9999) return d.toISOString().slice(0, 10)
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${String(m)}-${dd < 10 ? '0' : ''}${String(dd)}`
}

/**
 * The calendar date `months` after (or before) `date` (YYYY-MM-DD); a day the later month lacks becomes its last day
 * (31 August + 6 months is 28 February).
 */
export function addMonths(date: string, months: number): string {
  const [year = 0, month = 1, day = 1] = date.slice(0, 10).split('-').map(Number)
  const index = year * 12 + (month - 1) + months
  const targetYear = Math.floor(index / 12)
  const targetMonth = index - targetYear * 12 + 1
  const lastDay = new Date(Date.UTC(targetYear, targetMonth, 0)).getUTCDate()
  const pad = (n: number, width = 2) => String(n).padStart(width, '0')
  return `${pad(targetYear, 4)}-${pad(targetMonth)}-${pad(Math.min(day, lastDay))}`
}

/** The next Monday-to-Friday after `date`. */
export function nextWorkingDay(date: string): string {
  let next = addDays(date, 1)
  while ([0, 6].includes(new Date(`${next}T00:00:00Z`).getUTCDay())) next = addDays(next, 1)
  return next
}

/**
 * Whether a diary can show the day: a real date from 1900 (isRealDate) to 9998. Later years break the arithmetic:
 * the day after 9999-12-31 has no four-digit year, so neither its midnight nor a "next day" link can be made.
 */
export function isDiaryDate(date: string): boolean {
  return isRealDate(date) && date <= '9998-12-31'
}

/** The instants a UK calendar day runs between (23 or 25 hours on the days the clocks change). */
export function ukDayRange(date: string): { from: Date; to: Date } {
  const from = fromUkLocal(date, '00:00')
  const to = fromUkLocal(addDays(date, 1), '00:00')
  if (from === undefined || to === undefined) throw new Error(`No UK midnight on ${date}`)
  return { from, to }
}

/**
 * A time as typed: 14:30, 14.30, 1430, 9:05, 2:30pm, 2pm. Returns HH:MM (24-hour) or undefined when it is not
 * a time.
 */
export function parseTime(input: string): string | undefined {
  const text = input.trim().toLowerCase().replace(/\s+/g, '')
  const match = /^(\d{1,2})(?:[:.]?(\d{2}))?(am|pm)?$/.exec(text)
  if (match === null) return undefined
  let hours = Number(match[1])
  const minutes = match[2] === undefined ? 0 : Number(match[2])
  const period = match[3]
  if (match[2] === undefined && period === undefined) return undefined
  if (period !== undefined) {
    if (hours < 1 || hours > 12) return undefined
    if (period === 'am' && hours === 12) hours = 0
    if (period === 'pm' && hours !== 12) hours += 12
  }
  if (hours > 23 || minutes > 59) return undefined
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`
}
