import type { FieldError } from '../http/errors.ts'

export type FormResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: readonly FieldError[]; readonly values: Record<string, unknown> }

export type FormBody = Record<string, unknown>

/** The error summary's list: each entry links to its field. */
export function toErrorList(errors: readonly FieldError[]): { text: string; href: string }[] {
  return errors.map((e) => ({ text: e.message, href: `#${e.field}` }))
}

/** Inline messages for the form macros: `errorMessage: errorFor.crn`. */
export function toFieldErrors(errors: readonly FieldError[]): Record<string, { text: string }> {
  const byField: Record<string, { text: string }> = {}
  for (const e of errors) byField[e.field] ??= { text: e.message }
  return byField
}

/** What a page needs to show a form with errors: the summary, inline messages and what the user typed. */
export function formErrorContext(errors: readonly FieldError[], values: Record<string, unknown>) {
  return { errors, errorList: toErrorList(errors), errorFor: toFieldErrors(errors), values }
}

/** A trimmed string field; absent, non-string or blank is ''. */
export function text(body: FormBody | undefined, key: string): string {
  const value = body?.[key]
  if (typeof value === 'string') return value.trim()
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0].trim()
  return ''
}

/** A checkbox group's values, whether one or many were ticked. */
export function list(body: FormBody | undefined, key: string): string[] {
  const value = body?.[key]
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string')
  return []
}

export interface DateParts {
  day: string
  month: string
  year: string
}

export function dateParts(body: FormBody | undefined, key: string): DateParts {
  return { day: text(body, `${key}-day`), month: text(body, `${key}-month`), year: text(body, `${key}-year`) }
}

export function isoToDateParts(iso: string | null | undefined): DateParts {
  if (iso === null || iso === undefined || iso === '') return { day: '', month: '', year: '' }
  const [year = '', month = '', day = ''] = iso.slice(0, 10).split('-')
  return { day: String(Number(day)), month: String(Number(month)), year }
}

/** The earliest and latest dates a question accepts, as ISO dates (both included). */
export interface DateRange {
  readonly earliest?: string
  readonly latest?: string
}

/** The day the NHS began: no GP registration or NHS screening is older. */
export const NHS_BEGAN = '1948-07-05'

/** No date this service records is later, whatever the question: a year like 9999 is a slip of the keyboard. */
export const LATEST_DATE = '2099-12-31'

/** The ISO date `years` years after (or before) `iso`; 29 February becomes 28 February in other years. */
export function addYears(iso: string, years: number): string {
  const [year = 0, month = 1, day = 1] = iso.slice(0, 10).split('-').map(Number)
  const target = year + years
  const lastDay = new Date(Date.UTC(target, month, 0)).getUTCDate()
  const pad = (n: number, width = 2) => String(n).padStart(width, '0')
  return `${pad(target, 4)}-${pad(month)}-${pad(Math.min(day, lastDay))}`
}

const longDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })

/**
 * The GOV.UK message for a real date outside its range ("The chase date must be the same as or before 20 November
 * 2027"), or undefined when it is inside. `label` is how the question reads in a sentence.
 */
export function dateRangeError(iso: string, range: DateRange, label: string): string | undefined {
  const capital = label.charAt(0).toUpperCase() + label.slice(1)
  const say = (date: string) => longDate.format(new Date(`${date}T00:00:00Z`))
  const { earliest, latest } = range
  const outside = (earliest !== undefined && iso < earliest) || (latest !== undefined && iso > latest)
  if (!outside) return undefined
  if (earliest !== undefined && latest !== undefined) {
    return `${capital} must be between ${say(earliest)} and ${say(latest)}`
  }
  if (earliest !== undefined) return `${capital} must be the same as or after ${say(earliest)}`
  return `${capital} must be the same as or before ${say(latest ?? LATEST_DATE)}`
}

/**
 * Turns GOV.UK date-input parts into an ISO date, with the Design System's wording for each kind of mistake.
 * `label` is how the question reads in a sentence, e.g. "date of birth". `range` is checked after "must be a real
 * date" and "must be in the past"; without one, a date must be no later than LATEST_DATE.
 */
export function parseDateParts(
  parts: DateParts,
  field: string,
  label: string,
  options: { required: boolean; past?: boolean; today?: string; range?: DateRange } = { required: false },
): { value: string | null; error?: FieldError } {
  const { day, month, year } = parts
  const capital = label.charAt(0).toUpperCase() + label.slice(1)
  if (day === '' && month === '' && year === '') {
    // The summary links to the first part of the date, as the Design System asks.
    return options.required ? { value: null, error: { field: `${field}-day`, message: `Enter ${label}` } } : { value: null }
  }
  const missing = [day === '' ? 'day' : '', month === '' ? 'month' : '', year === '' ? 'year' : ''].filter(Boolean)
  if (missing.length > 0) {
    return { value: null, error: { field: `${field}-${missing[0]}`, message: `${capital} must include a ${missing.join(' and ')}` } }
  }
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) {
    return { value: null, error: { field: `${field}-day`, message: `${capital} must be a real date` } }
  }
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`
  if (!isRealDate(iso)) return { value: null, error: { field: `${field}-day`, message: `${capital} must be a real date` } }
  if (options.past === true && options.today !== undefined && iso > options.today) {
    return { value: null, error: { field: `${field}-day`, message: `${capital} must be in the past` } }
  }
  const outOfRange = dateRangeError(iso, options.range ?? { latest: LATEST_DATE }, label)
  if (outOfRange !== undefined) return { value: null, error: { field: `${field}-day`, message: outOfRange } }
  return { value: iso }
}

/** A calendar date from 1900 on: nothing this service records is older, and PostgreSQL refuses year 0. */
export function isRealDate(iso: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso) || iso < '1900-01-01') return false
  const date = new Date(`${iso}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Ids in URLs and forms are UUIDs; anything else names nothing (and PostgreSQL would refuse it as a uuid). */
export function isUuid(value: string): boolean {
  return UUID.test(value)
}
