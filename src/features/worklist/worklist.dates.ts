/** UK calendar dates for the worklist: "today", "overdue" and "due today" are always judged on the UK calendar. */

import { ukDateOf } from '../../platform/time/uk-time.ts'

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
