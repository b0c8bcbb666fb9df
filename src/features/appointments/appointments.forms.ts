/** The HTML appointment forms: what the pages post, checked and turned into service input, with GOV.UK wording. */
import {
  addYears,
  dateParts,
  isoToDateParts,
  parseDateParts,
  type DateParts,
  text,
  type DateRange,
  type FormBody,
  type FormResult,
} from '../../platform/forms/forms.ts'
import type { FieldError } from '../../platform/http/errors.ts'
import { durationChoices, messages } from './appointments.messages.ts'
import type { Appointment, BookingDetails, OutcomeDetails, RecordableOutcome } from './appointments.service.ts'
import { fromUkLocal, isDiaryDate, parseTime, toUkLocal } from '../../platform/time/uk-time.ts'
import { absenceReasons, appointmentKinds, appointmentOutcomes, type AbsenceReason, type AppointmentKind, type AppointmentOutcome } from './appointments.tables.ts'

export type FormValues = Record<string, unknown>

const isKind = (v: string): v is AppointmentKind => (appointmentKinds as readonly string[]).includes(v)
const isOutcome = (v: string): v is AppointmentOutcome => (appointmentOutcomes as readonly string[]).includes(v)
const isRescheduleOutcome = (v: AppointmentOutcome): v is 'RSOF' | 'RSSR' => v === 'RSOF' || v === 'RSSR'
const isRecordable = (v: string): v is RecordableOutcome => isOutcome(v) && !isRescheduleOutcome(v)
const isReason = (v: string): v is AbsenceReason => (absenceReasons as readonly string[]).includes(v)

/** The service names a booking's time `startsAt`; the form asks for it as a date and a time. */
export function toFormField(field: string): string {
  return field === 'startsAt' ? 'startDate-day' : field
}

export const APPOINTMENT_DATE_LABEL = 'the date of the appointment'

/** Appointments are booked up to two years ahead ("in the future" is the service's rule). */
export function appointmentDateRange(today: string): DateRange {
  return { latest: addYears(today, 2) }
}

/** `today` (UK) bounds the date two years ahead; without it only the service-wide latest date applies. */
export function parseBookingForm(
  body: FormBody | undefined,
  options: { askWhoRequested?: boolean; today?: string } = {},
): FormResult<BookingDetails & { requestedBy: 'RSOF' | 'RSSR' }> & { values: FormValues } {
  const values: FormValues = {
    kind: text(body, 'kind'),
    startDate: dateParts(body, 'startDate'),
    startTime: text(body, 'startTime'),
    durationMinutes: text(body, 'durationMinutes'),
    clinicianId: text(body, 'clinicianId'),
    practitionerId: text(body, 'practitionerId'),
    location: text(body, 'location'),
    requestedBy: text(body, 'requestedBy'),
    submissionId: text(body, 'submissionId'),
    version: text(body, 'version'),
  }
  const errors: FieldError[] = []
  const requestedBy = text(body, 'requestedBy')
  if (options.askWhoRequested === true && requestedBy !== 'RSOF' && requestedBy !== 'RSSR') {
    errors.push({ field: 'requestedBy', message: messages.requestedByBlank })
  }
  const kind = text(body, 'kind')
  if (!isKind(kind)) errors.push({ field: 'kind', message: messages.kindBlank })
  const date = parseDateParts(dateParts(body, 'startDate'), 'startDate', APPOINTMENT_DATE_LABEL, {
    required: true,
    ...(options.today === undefined ? {} : { range: appointmentDateRange(options.today) }),
  })
  if (date.error !== undefined) errors.push(date.error)
  const rawTime = text(body, 'startTime')
  const time = parseTime(rawTime)
  if (rawTime === '') errors.push({ field: 'startTime', message: messages.timeBlank })
  else if (time === undefined) errors.push({ field: 'startTime', message: messages.timeInvalid })
  let startsAt: Date | undefined
  if (date.value !== null && time !== undefined) {
    startsAt = fromUkLocal(date.value, time)
    if (startsAt === undefined) errors.push({ field: 'startTime', message: messages.timeMissing })
  }
  const duration = Number(text(body, 'durationMinutes'))
  if (!(durationChoices as readonly number[]).includes(duration)) {
    errors.push({ field: 'durationMinutes', message: messages.durationBlank })
  }
  const clinicianId = text(body, 'clinicianId')
  if (clinicianId === '') errors.push({ field: 'clinicianId', message: messages.clinicianBlank })
  const practitionerId = kind === 'joint' ? text(body, 'practitionerId') : ''
  if (kind === 'joint' && practitionerId === '') {
    errors.push({ field: 'practitionerId', message: messages.practitionerBlank })
  }
  const location = text(body, 'location')
  if (location.length > 200) errors.push({ field: 'location', message: messages.locationTooLong })
  if (errors.length > 0 || !isKind(kind) || startsAt === undefined) {
    return { ok: false, errors, values }
  }
  return {
    ok: true,
    values,
    value: {
      kind,
      startsAt,
      durationMinutes: duration,
      location: location === '' ? null : location,
      clinicianId,
      practitionerId: practitionerId === '' ? null : practitionerId,
      requestedBy: requestedBy === 'RSOF' ? 'RSOF' : 'RSSR',
    },
  }
}

/** An appointment as the booking form's values, for rescheduling it. */
export function appointmentToFormValues(appointment: Appointment): FormValues {
  const local = toUkLocal(appointment.startsAt)
  const [year = '', month = '', day = ''] = local.date.split('-')
  return {
    kind: appointment.kind,
    startDate: { day: String(Number(day)), month: String(Number(month)), year },
    startTime: local.time,
    durationMinutes: String(appointment.durationMinutes),
    clinicianId: appointment.clinicianId,
    practitionerId: appointment.practitionerId ?? '',
    location: appointment.location ?? '',
    version: String(appointment.version),
  }
}

/**
 * Shared by the outcome form and the API: an outcome, the reason when acceptable, and notes. RSOF and RSSR are
 * refused: they close the appointment, so they are set only by rescheduling, which books the replacement.
 */
export function checkOutcome(input: { outcome: string; absenceReason: string; notes: string }): {
  value?: OutcomeDetails
  errors: FieldError[]
} {
  const errors: FieldError[] = []
  const { outcome, absenceReason, notes } = input
  if (!isOutcome(outcome)) errors.push({ field: 'outcome', message: messages.outcomeBlank })
  else if (isRescheduleOutcome(outcome))
    errors.push({ field: 'outcome', message: messages.rescheduleThroughReschedule })
  if (outcome === 'AA' && !isReason(absenceReason)) {
    errors.push({ field: 'absenceReason', message: messages.absenceReasonBlank })
  }
  if (outcome !== 'AA' && absenceReason !== '') {
    errors.push({ field: 'absenceReason', message: messages.absenceReasonNotAllowed })
  }
  if (notes.length > 2000) errors.push({ field: 'notes', message: messages.notesTooLong })
  if (errors.length > 0 || !isRecordable(outcome)) return { errors }
  return {
    errors,
    value: {
      outcome,
      absenceReason: outcome === 'AA' && isReason(absenceReason) ? absenceReason : null,
      notes: notes === '' ? null : notes,
    },
  }
}

export function parseOutcomeForm(body: FormBody | undefined): FormResult<OutcomeDetails> & { values: FormValues } {
  const values: FormValues = {
    outcome: text(body, 'outcome'),
    absenceReason: text(body, 'absenceReason'),
    notes: text(body, 'notes'),
    version: text(body, 'version'),
  }
  const outcome = text(body, 'outcome')
  // A reason left selected after choosing another outcome is ignored on a form: the select cannot be hidden.
  const checked = checkOutcome({
    outcome,
    absenceReason: outcome === 'AA' ? text(body, 'absenceReason') : '',
    notes: text(body, 'notes'),
  })
  if (checked.value === undefined) return { ok: false, errors: checked.errors, values }
  return { ok: true, value: checked.value, values }
}

export function parseCancelForm(body: FormBody | undefined): FormResult<string> & { values: FormValues } {
  const values: FormValues = { reason: text(body, 'reason'), version: text(body, 'version') }
  const reason = text(body, 'reason')
  if (reason === '') return { ok: false, errors: [{ field: 'reason', message: messages.cancelReasonBlank }], values }
  if (reason.length > 500) {
    return { ok: false, errors: [{ field: 'reason', message: messages.cancelReasonTooLong }], values }
  }
  return { ok: true, value: reason, values }
}

export function versionOf(values: FormValues): number {
  const raw = typeof values['version'] === 'string' ? values['version'] : ''
  return /^\d{1,9}$/.test(raw) ? Number(raw) : -1
}

/** The day a diary shows, and what its date input holds; errors when a day was asked for and it is not one. */
export interface DiaryChoice {
  date: string
  parts: DateParts
  errors: FieldError[]
}

/**
 * The diary's day. Links carry ?date=YYYY-MM-DD (a day no diary can show falls back to `today`); the GOV.UK date
 * input sends date-day, date-month and date-year, checked with the Design System's wording.
 */
export function parseDiaryChoice(query: FormBody | undefined, today: string): DiaryChoice {
  const asked = ['date-day', 'date-month', 'date-year'].some((key) => query?.[key] !== undefined)
  if (!asked) {
    const wanted = text(query, 'date')
    const date = isDiaryDate(wanted) ? wanted : today
    return { date, parts: isoToDateParts(date), errors: [] }
  }
  const parts = dateParts(query, 'date')
  // The last day a diary can show (the day after it has no four-digit year).
  const parsed = parseDateParts(parts, 'date', 'the date', { required: true, range: { latest: '9998-12-31' } })
  if (parsed.error !== undefined || parsed.value === null) {
    return { date: today, parts, errors: parsed.error === undefined ? [] : [parsed.error] }
  }
  return { date: parsed.value, parts: isoToDateParts(parsed.value), errors: [] }
}
