const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
const ukDateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
})
const ukClockFormat = new Intl.DateTimeFormat('en-GB', {
  hour: 'numeric',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'Europe/London',
})

function toDate(value: string | Date | null | undefined): Date | undefined {
  if (value === null || value === undefined || value === '') return undefined
  const date = typeof value === 'string' ? new Date(value) : value
  return Number.isNaN(date.getTime()) ? undefined : date
}

/**
 * A time the GOV.UK way, UK time: "9:30am", "2pm" (no ":00"), midday "12pm", midnight "12am". The one helper for
 * every time the service shows.
 */
export function formatTime(value: string | Date | null | undefined): string {
  const date = toDate(value)
  if (date === undefined) return ''
  const parts = ukClockFormat.formatToParts(date)
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? '0') % 24
  const minute = parts.find((p) => p.type === 'minute')?.value ?? '00'
  const hour12 = hour % 12 === 0 ? 12 : hour % 12
  return `${hour12}${minute === '00' ? '' : `:${minute}`}${hour < 12 ? 'am' : 'pm'}`
}

/** "2pm to 3pm", "9:30am to 10:15am". */
export function formatTimeRange(start: string | Date, end: string | Date): string {
  return `${formatTime(start)} to ${formatTime(end)}`
}

/** "1 January 2026", the GOV.UK style. Accepts an ISO date string or a Date. */
export function formatDate(value: string | Date | null | undefined): string {
  if (value === null || value === undefined || value === '') return ''
  const date = typeof value === 'string' ? new Date(`${value.slice(0, 10)}T00:00:00Z`) : value
  return Number.isNaN(date.getTime()) ? '' : dateFormat.format(date)
}

/** "1 January 2026 at 2:30pm", "1 January 2026 at 2pm": the UK date and time. */
export function formatDateTime(value: string | Date | null | undefined): string {
  const date = toDate(value)
  if (date === undefined) return ''
  return `${ukDateFormat.format(date)} at ${formatTime(date)}`
}

/** NHS numbers are shown 3-3-4: 943 476 5919. */
export function formatNhsNumber(value: string | null | undefined): string {
  if (value === null || value === undefined) return ''
  return /^\d{10}$/.test(value) ? `${value.slice(0, 3)} ${value.slice(3, 6)} ${value.slice(6)}` : value
}
