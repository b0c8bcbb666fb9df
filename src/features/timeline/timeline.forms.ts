import { dateParts, list, parseDateParts, text, type DateParts, type FormBody } from '../../platform/forms/forms.ts'
import type { FieldError } from '../../platform/http/errors.ts'

export const timelineKinds = [
  'appointments',
  'health-checks',
  'warning-flags',
  'needs',
  'referrals',
  'consent',
  'gp-registration',
  'screening',
] as const
export type TimelineKind = (typeof timelineKinds)[number]

export interface TimelineQuery {
  /** The kinds to show; every kind the viewer may see when none is ticked. */
  kinds: ReadonlySet<TimelineKind>
  from: string | null
  to: string | null
  page: number
  errors: FieldError[]
  values: { show: string[]; from: DateParts; to: DateParts }
}

/**
 * The timeline's GET form. `allowed` is what the viewer may see (probation practitioners: appointments only); a
 * kind outside it is ignored, not refused. A bad date is named in the error summary and not applied.
 */
export function parseTimelineQuery(query: FormBody | undefined, allowed: readonly TimelineKind[]): TimelineQuery {
  const show = list(query, 'show')
  const chosen = allowed.filter((k) => show.includes(k))
  const errors: FieldError[] = []
  const fromParts = dateParts(query, 'from')
  const toParts = dateParts(query, 'to')
  const from = parseDateParts(fromParts, 'from', 'the ‘from’ date')
  const to = parseDateParts(toParts, 'to', 'the ‘to’ date')
  if (from.error !== undefined) errors.push(from.error)
  if (to.error !== undefined) errors.push(to.error)
  if (from.value !== null && to.value !== null && from.value > to.value) {
    errors.push({ field: 'to-day', message: 'The ‘to’ date must be the same as or after the ‘from’ date' })
  }
  const raw = text(query, 'page')
  const page = /^\d{1,6}$/.test(raw) && Number(raw) >= 1 ? Number(raw) : 1
  const datesOk = errors.length === 0
  return {
    kinds: new Set(chosen.length > 0 ? chosen : allowed),
    from: datesOk ? from.value : null,
    to: datesOk ? to.value : null,
    page,
    errors,
    values: { show: chosen, from: fromParts, to: toParts },
  }
}
