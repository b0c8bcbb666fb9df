const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
  timeZone: 'Europe/London',
})

/** "1 January 2026", the GOV.UK style. Accepts an ISO date string or a Date. */
export function formatDate(value: string | Date | null | undefined): string {
  if (value === null || value === undefined || value === '') return ''
  const date = typeof value === 'string' ? new Date(`${value.slice(0, 10)}T00:00:00Z`) : value
  return Number.isNaN(date.getTime()) ? '' : dateFormat.format(date)
}

/** "1 January 2026 at 2:30pm", UK time. */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (value === null || value === undefined || value === '') return ''
  const date = typeof value === 'string' ? new Date(value) : value
  if (Number.isNaN(date.getTime())) return ''
  const parts = dateTimeFormat.formatToParts(date)
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  return `${get('day')} ${get('month')} ${get('year')} at ${get('hour')}:${get('minute')}${get('dayPeriod').toLowerCase().replaceAll(' ', '')}`
}

/** NHS numbers are shown 3-3-4: 943 476 5919. */
export function formatNhsNumber(value: string | null | undefined): string {
  if (value === null || value === undefined) return ''
  return /^\d{10}$/.test(value) ? `${value.slice(0, 3)} ${value.slice(3, 6)} ${value.slice(6)}` : value
}
