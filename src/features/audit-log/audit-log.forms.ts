import { dateParts, parseDateParts, text, type DateParts, type FormBody, isUuid } from '../../platform/forms/forms.ts'
import type { FieldError } from '../../platform/http/errors.ts'
import { auditActions } from '../../platform/audit/audit.service.ts'
import { CRN_PATTERN, nhsNumberProblem, normaliseNhsNumber } from '../people/index.ts'
import type { AuditFilter, PersonSearch } from './audit-log.read-model.ts'

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

/** The longest family name the service stores (people.validation.ts), so the longest worth searching for. */
export const FAMILY_NAME_MAX = 100

export const searchMessages = {
  none: 'Enter a CRN, an NHS number, or a family name and date of birth',
  several: 'Search by only one of CRN, NHS number, or family name and date of birth',
  crnFormat: 'Enter a CRN in the correct format, like X123456',
  nhsNumberInvalid: 'Enter a valid NHS number, like 943 476 5919',
  nhsNumberScottish:
    'This is a Scottish CHI number, not an England or Wales NHS number – enter the person’s NHS number',
  nhsNumberNorthernIreland:
    'This is a Northern Ireland health and care number, not an England or Wales NHS number – enter the person’s NHS number',
  familyNameBlank: 'Enter a family name, or search by CRN or NHS number',
  familyNameLong: `Family name must be ${String(FAMILY_NAME_MAX)} characters or fewer`,
  notBoth: 'Search for a person or filter by person ID, not both',
} as const

/** A typed CRN, upper-cased, or the message saying what is wrong with it. */
export function checkCrn(raw: string): { value: string } | { error: string } {
  const crn = raw.trim().toUpperCase()
  return CRN_PATTERN.test(crn) ? { value: crn } : { error: searchMessages.crnFormat }
}

/**
 * A typed NHS number as 10 digits, checked as the people feature checks one (format, modulus 11 check digit, and
 * the ranges that belong to Scotland and Northern Ireland). Test-range numbers are allowed: searching for one finds
 * nobody in production, and tests and the demo use them.
 */
export function checkNhsNumber(raw: string): { value: string } | { error: string } {
  const problem = nhsNumberProblem(raw)
  if (problem === undefined || problem === 'test-range') return { value: normaliseNhsNumber(raw) }
  if (problem === 'scottish-chi') return { error: searchMessages.nhsNumberScottish }
  if (problem === 'northern-ireland') return { error: searchMessages.nhsNumberNorthernIreland }
  return { error: searchMessages.nhsNumberInvalid }
}

export interface PersonSearchValues {
  crn: string
  nhsNumber: string
  familyName: string
  dateOfBirth: DateParts
}

export type ParsedPersonSearch =
  | { ok: true; search: PersonSearch; values: PersonSearchValues }
  | { ok: false; errors: FieldError[]; values: PersonSearchValues }

/**
 * The auditor's "Find a person" form: one of a CRN, an NHS number, or a family name with a date of birth (a GOV.UK
 * date input). `today` is the UK date, for "Date of birth must be in the past".
 */
export function parsePersonSearch(body: FormBody | undefined, today: string): ParsedPersonSearch {
  const values: PersonSearchValues = {
    crn: text(body, 'crn'),
    nhsNumber: text(body, 'nhsNumber'),
    familyName: text(body, 'familyName'),
    dateOfBirth: dateParts(body, 'dateOfBirth'),
  }
  const dob = values.dateOfBirth
  const byName = values.familyName !== '' || dob.day !== '' || dob.month !== '' || dob.year !== ''
  const kinds = [values.crn !== '', values.nhsNumber !== '', byName].filter(Boolean).length
  if (kinds === 0) return { ok: false, errors: [{ field: 'crn', message: searchMessages.none }], values }
  if (kinds > 1) return { ok: false, errors: [{ field: 'crn', message: searchMessages.several }], values }

  if (values.crn !== '') {
    const crn = checkCrn(values.crn)
    return 'value' in crn
      ? { ok: true, search: { kind: 'crn', crn: crn.value }, values }
      : { ok: false, errors: [{ field: 'crn', message: crn.error }], values }
  }
  if (values.nhsNumber !== '') {
    const nhsNumber = checkNhsNumber(values.nhsNumber)
    return 'value' in nhsNumber
      ? { ok: true, search: { kind: 'nhsNumber', nhsNumber: nhsNumber.value }, values }
      : { ok: false, errors: [{ field: 'nhsNumber', message: nhsNumber.error }], values }
  }
  const errors: FieldError[] = []
  if (values.familyName === '') errors.push({ field: 'familyName', message: searchMessages.familyNameBlank })
  else if (values.familyName.length > FAMILY_NAME_MAX) {
    errors.push({ field: 'familyName', message: searchMessages.familyNameLong })
  }
  const date = parseDateParts(dob, 'dateOfBirth', 'date of birth', { required: true, past: true, today })
  if (date.error !== undefined) errors.push(date.error)
  if (errors.length > 0 || date.value === null) return { ok: false, errors, values }
  return {
    ok: true,
    search: { kind: 'nameAndDateOfBirth', familyName: values.familyName, dateOfBirth: date.value },
    values,
  }
}
