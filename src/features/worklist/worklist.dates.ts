/** UK calendar dates for the worklist: "today", "overdue" and "due today" are always judged on the UK calendar. */

const ukDateFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' })
const ukTimeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

/** The UK calendar date (YYYY-MM-DD) of an instant. */
export function ukDateOf(instant: Date): string {
  return ukDateFormat.format(instant)
}

/** The calendar date `days` after `date` (YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/** The instant a UK calendar day begins (00:00 GMT or BST, whichever is in force). */
export function ukMidnight(date: string): Date {
  for (const offsetHours of [1, 0]) {
    const candidate = new Date(Date.parse(`${date}T00:00:00Z`) - offsetHours * 3_600_000)
    if (ukDateOf(candidate) === date && ukTimeFormat.format(candidate) === '00:00') return candidate
  }
  throw new Error(`No UK midnight on ${date}`)
}

/**
 * The UK day a deadline instant falls due: a flag due by 00:00 on the 21st is due on the 20th (the deadline is
 * the end of that day).
 */
export function ukDueDateOf(deadline: Date): string {
  return ukDateOf(new Date(deadline.getTime() - 1))
}

export type Urgency = 'overdue' | 'due-today' | 'upcoming'

/** A calendar due date against today's UK date: before today is overdue. */
export function urgencyOfDate(due: string, today: string): Urgency {
  if (due < today) return 'overdue'
  return due === today ? 'due-today' : 'upcoming'
}

/** A deadline instant against now: once it has passed it is overdue; due on today's UK date is due today. */
export function urgencyOfDeadline(deadline: Date, now: Date): Urgency {
  if (now.getTime() >= deadline.getTime()) return 'overdue'
  return ukDueDateOf(deadline) <= ukDateOf(now) ? 'due-today' : 'upcoming'
}
