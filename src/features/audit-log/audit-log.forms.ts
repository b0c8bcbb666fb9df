import { dateParts, parseDateParts, text, type FormBody, isUuid } from '../../platform/forms/forms.ts'
import type { FieldError } from '../../platform/http/errors.ts'
import { auditActions } from '../../platform/audit/audit.service.ts'
import type { AuditFilter } from './audit-log.read-model.ts'

const DAY_MS = 24 * 60 * 60 * 1000
const londonHour = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hourCycle: 'h23' })

export const PAGE_SIZE = 50

/**
 * The instant a UK calendar day begins. UK clocks change at 01:00 UTC, so the offset at 00:00 UTC is the offset at
 * local midnight: 0 in winter, 1 hour in summer.
 */
export function ukDayStart(isoDate: string): Date {
  const utcMidnight = new Date(`${isoDate}T00:00:00Z`)
  return new Date(utcMidnight.getTime() - Number(londonHour.format(utcMidnight)) * 60 * 60 * 1000)
}

/** The first instant after a UK calendar day, so "to" dates include the whole day. */
export function ukDayEnd(isoDate: string): Date {
  const next = new Date(new Date(`${isoDate}T00:00:00Z`).getTime() + DAY_MS).toISOString().slice(0, 10)
  return ukDayStart(next)
}

export type AuditQuery = Omit<AuditFilter, 'limit'>

export interface ParsedAuditQuery {
  filter: AuditQuery
  /** The names of the filters used (recorded when the log is read; never their values). */
  used: string[]
  errors: FieldError[]
  values: Record<string, unknown>
}

/** The audit page's filters, from its GET form. Dates are GOV.UK date inputs, read as UK calendar days. */
export function parseAuditQuery(query: FormBody | undefined): ParsedAuditQuery {
  const errors: FieldError[] = []
  const filter: AuditQuery = {}
  const used: string[] = []

  const personId = text(query, 'personId')
  if (personId !== '') {
    if (isUuid(personId)) filter.personId = personId.toLowerCase()
    else
      errors.push({
        field: 'personId',
        message: 'Enter a person ID in the correct format, like 6f1c2b7e-1d3a-4c5b-9e8f-0a1b2c3d4e5f',
      })
    used.push('personId')
  }
  const actorEmail = text(query, 'actorEmail')
  if (actorEmail !== '') {
    filter.actorEmail = actorEmail
    used.push('actorEmail')
  }
  const action = text(query, 'action')
  if (action !== '') {
    if ((auditActions as readonly string[]).includes(action)) filter.action = action
    else errors.push({ field: 'action', message: 'Select an action from the list' })
    used.push('action')
  }
  const fromParts = dateParts(query, 'from')
  const toParts = dateParts(query, 'to')
  const from = parseDateParts(fromParts, 'from', 'the date from')
  const to = parseDateParts(toParts, 'to', 'the date to')
  if (from.error !== undefined) errors.push(from.error)
  if (to.error !== undefined) errors.push(to.error)
  if (from.value !== null) {
    filter.from = ukDayStart(from.value)
    used.push('from')
  }
  if (to.value !== null) {
    filter.to = ukDayEnd(to.value)
    used.push('to')
  }
  if (from.value !== null && to.value !== null && to.value < from.value) {
    errors.push({ field: 'to-day', message: 'The date to must be the same as or after the date from' })
  }
  const before = text(query, 'before')
  if (/^\d{1,15}$/.test(before)) filter.beforeId = Number(before)

  return {
    filter,
    used,
    errors,
    values: { personId, actorEmail, action, from: fromParts, to: toParts },
  }
}

/** The query string for the same filters, for the "Older events" and "Newest events" links. */
export function filterQuery(values: Record<string, unknown>, beforeId?: number): string {
  const params = new URLSearchParams()
  for (const key of ['personId', 'actorEmail', 'action']) {
    const value = values[key]
    if (typeof value === 'string' && value !== '') params.set(key, value)
  }
  for (const key of ['from', 'to']) {
    const parts = values[key] as Record<string, string> | undefined
    for (const part of ['day', 'month', 'year']) {
      const value = parts?.[part]
      if (value !== undefined && value !== '') params.set(`${key}-${part}`, value)
    }
  }
  if (beforeId !== undefined) params.set('before', String(beforeId))
  return params.toString()
}
