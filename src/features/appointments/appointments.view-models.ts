/** Turns appointments into what the templates show. */
import {
  absenceReasonLabels,
  durationChoices,
  kindLabels,
  kindShort,
  outcomeLabels,
  rescheduleOutcomes,
} from './appointments.messages.ts'
import { appointmentPaths } from './appointments.paths.ts'
import type { Appointment, StaffChoice } from './appointments.service.ts'
import { ukDate } from '../../platform/time/uk-time.ts'
import { formatTimeRange } from '../../platform/views/format.ts'

/** "2pm to 2:45pm", UK time. */
export function timeRange(a: Appointment): string {
  return formatTimeRange(a.startsAt, a.endsAt)
}

export function whenText(a: Appointment): string {
  return `${ukDate(a.startsAt)}, ${timeRange(a)}`
}

export function statusText(a: Appointment): string {
  if (a.outcome !== null) {
    const label = outcomeLabels[a.outcome]
    return a.absenceReason === null ? label : `${label}: ${absenceReasonLabels[a.absenceReason]}`
  }
  if (a.status === 'cancelled') return `Cancelled: ${a.cancelledReason ?? ''}`
  return 'Booked'
}

export function statusTag(a: Appointment): { text: string; classes: string } {
  switch (a.status) {
    case 'booked':
      return { text: 'Booked', classes: 'govuk-tag--blue' }
    case 'cancelled':
      return { text: a.outcome === null ? 'Cancelled' : 'Rescheduled', classes: 'govuk-tag--grey' }
    case 'completed':
      return ['AFTA', 'UAAB', 'AA'].includes(a.outcome ?? '')
        ? { text: 'Missed', classes: 'govuk-tag--orange' }
        : { text: 'Completed', classes: 'govuk-tag--green' }
  }
}

/** One table row for a person's appointment list or a diary. */
export function row(a: Appointment, options: { withPerson: boolean; withDate: boolean }) {
  const cells: { text?: string; html?: string }[] = []
  cells.push({ text: options.withDate ? whenText(a) : timeRange(a) })
  if (options.withPerson) cells.push({ text: `${a.personGivenName} ${a.personFamilyName} (${a.personCrn})` })
  cells.push({ text: kindShort[a.kind] })
  cells.push({ text: [a.clinicianName, a.practitionerName].filter((n) => n !== null).join(' and ') })
  cells.push({ text: a.location ?? '' })
  cells.push({ text: statusText(a) })
  return { href: appointmentPaths.appointment(a.id), label: options.withDate ? whenText(a) : timeRange(a), cells }
}

export function summaryRows(a: Appointment) {
  const rows = [
    { key: { text: 'Person' }, value: { text: `${a.personGivenName} ${a.personFamilyName} (${a.personCrn})` } },
    { key: { text: 'Type' }, value: { text: kindLabels[a.kind] } },
    { key: { text: 'When' }, value: { text: whenText(a) } },
    { key: { text: 'Length' }, value: { text: `${a.durationMinutes} minutes` } },
    { key: { text: 'Where' }, value: { text: [a.location, a.siteName].filter((v) => v !== null).join(', ') } },
    { key: { text: 'Hub clinician' }, value: { text: a.clinicianName } },
  ]
  if (a.practitionerName !== null) {
    rows.push({ key: { text: 'Probation practitioner' }, value: { text: a.practitionerName } })
  }
  rows.push({ key: { text: 'Status' }, value: { text: statusText(a) } })
  if (a.outcomeNotes !== null) rows.push({ key: { text: 'Notes' }, value: { text: a.outcomeNotes } })
  return rows
}

export const kindItems = (selected: unknown) =>
  (['joint', 'clinic'] as const).map((value) => ({ value, text: kindLabels[value], checked: selected === value }))

export const durationItems = (selected: unknown) => [
  { value: '', text: 'Select a length' },
  ...durationChoices.map((m) => ({ value: String(m), text: `${m} minutes`, selected: selected === String(m) })),
]

export const staffItems = (staff: readonly StaffChoice[], selected: unknown, blank: string) => [
  { value: '', text: blank },
  ...staff.map((s) => ({ value: s.id, text: s.displayName, selected: selected === s.id })),
]

/** The outcome form's choices: not RSOF or RSSR, which only the reschedule form sets (it books the replacement). */
export const outcomeItems = (selected: unknown) =>
  (Object.keys(outcomeLabels) as (keyof typeof outcomeLabels)[])
    .filter((value) => !rescheduleOutcomes.includes(value))
    .map((value) => ({
      value,
      text: outcomeLabels[value],
      checked: selected === value,
    }))

export const absenceReasonItems = (selected: unknown) => [
  { value: '', text: 'Not an acceptable absence' },
  ...(Object.keys(absenceReasonLabels) as (keyof typeof absenceReasonLabels)[]).map((value) => ({
    value,
    text: absenceReasonLabels[value],
    selected: selected === value,
  })),
]
