/** The referral pages' forms: what they post, checked with GOV.UK wording. */
import {
  addYears,
  dateParts,
  isUuid,
  parseDateParts,
  text,
  type DateRange,
  type FormBody,
  type FormResult,
} from '../../platform/forms/forms.ts'
import type { FieldError } from '../../platform/http/errors.ts'
import {
  isReferralStatus,
  isReferralUrgency,
  needsAppointmentDate,
  needsReason,
  referralStatuses,
  type ReferralStatus,
} from './referrals.lifecycle.ts'
import { messages, REASON_MAX } from './referrals.messages.ts'
import type { CreateInput, TransitionInput } from './referrals.service.ts'

export type FormValues = Record<string, unknown>

/** "Make a referral": need, service, urgency, reason, and which button was pressed. */
export function parseNewReferralForm(body: FormBody | undefined): FormResult<CreateInput> & { values: FormValues } {
  const values: FormValues = {
    needId: text(body, 'needId'),
    serviceId: text(body, 'serviceId'),
    urgency: text(body, 'urgency'),
    reason: text(body, 'reason'),
    submissionId: text(body, 'submissionId'),
  }
  const errors: FieldError[] = []
  const needId = text(body, 'needId')
  if (needId === '') errors.push({ field: 'needId', message: messages.needBlank })
  else if (!isUuid(needId)) errors.push({ field: 'needId', message: messages.needNotConfirmed })
  const serviceId = text(body, 'serviceId')
  if (serviceId === '') errors.push({ field: 'serviceId', message: messages.serviceBlank })
  else if (!isUuid(serviceId)) errors.push({ field: 'serviceId', message: messages.serviceUnknown })
  const urgency = text(body, 'urgency')
  if (!isReferralUrgency(urgency)) errors.push({ field: 'urgency', message: messages.urgencyBlank })
  const reason = text(body, 'reason')
  if (reason === '') errors.push({ field: 'reason', message: messages.reasonBlank })
  else if (reason.length > REASON_MAX) errors.push({ field: 'reason', message: messages.reasonTooLong })
  if (errors.length > 0 || !isReferralUrgency(urgency)) return { ok: false, errors, values }
  return {
    ok: true,
    value: { needId, serviceId, urgency, reason, send: text(body, 'action') === 'send' },
    values,
  }
}

/**
 * How far a referral's dates may be from today. A change is recorded as it happens or soon after (in the last 12
 * months; "not in the future" and "not before the last change" are rules of their own); a first appointment or a
 * chase date is within a year either side of today.
 */
export const referralDateRanges = (today: string) => ({
  at: { earliest: addYears(today, -1) } satisfies DateRange,
  appointmentOn: { earliest: addYears(today, -1), latest: addYears(today, 1) } satisfies DateRange,
  chaseOn: { earliest: addYears(today, -1), latest: addYears(today, 1) } satisfies DateRange,
})

/** "Update progress": what happened, when, the appointment's date when booking, and why. */
export function parseTransitionForm(
  body: FormBody | undefined,
  offered: readonly ReferralStatus[],
  today: string,
): FormResult<TransitionInput> & { values: FormValues } {
  const values: FormValues = {
    to: text(body, 'to'),
    at: dateParts(body, 'at'),
    appointmentOn: dateParts(body, 'appointmentOn'),
    reason: text(body, 'reason'),
    version: text(body, 'version'),
  }
  const errors: FieldError[] = []
  const to = text(body, 'to')
  if (to === '') errors.push({ field: 'to', message: messages.toBlank })
  else if (!isReferralStatus(to) || !offered.includes(to)) {
    errors.push({ field: 'to', message: isReferralStatus(to) ? messages.toUnknown : messages.toBlank })
  }
  const ranges = referralDateRanges(today)
  // Required: a blank date is an error, never today (H-409): "Enter the date it happened".
  const at = parseDateParts(dateParts(body, 'at'), 'at', messages.atLabel, { required: true, range: ranges.at })
  if (at.error !== undefined) errors.push(at.error)
  else if (at.value !== null && at.value > today) errors.push({ field: 'at-day', message: messages.atFuture })
  const status = isReferralStatus(to) ? to : undefined
  const appointment = parseDateParts(dateParts(body, 'appointmentOn'), 'appointmentOn', messages.appointmentLabel, {
    required: status !== undefined && needsAppointmentDate(status),
    range: ranges.appointmentOn,
  })
  if (appointment.error !== undefined) {
    errors.push(
      appointment.error.message === 'Enter the date of the first appointment'
        ? { field: 'appointmentOn-day', message: messages.appointmentBlank }
        : appointment.error,
    )
  }
  const reason = text(body, 'reason')
  if (status !== undefined && needsReason(status) && reason === '') {
    errors.push({ field: 'reason', message: messages.reasonRequired(status) })
  } else if (reason.length > REASON_MAX) errors.push({ field: 'reason', message: messages.reasonTooLong })
  const version = Number(text(body, 'version'))
  if (errors.length > 0 || status === undefined) return { ok: false, errors, values }
  return {
    ok: true,
    value: {
      to: status,
      at: at.value,
      reason: reason === '' ? null : reason,
      appointmentOn: needsAppointmentDate(status) ? appointment.value : null,
      expectedVersion: Number.isInteger(version) && version > 0 ? version : null,
    },
    values,
  }
}

/**
 * "Chase date": a date on or after today is the usual, but any real date within a year of today is taken (the hub
 * may correct one). Without `today` only the service-wide latest date applies.
 */
export function parseChaseForm(
  body: FormBody | undefined,
  today?: string,
): FormResult<{ chaseOn: string; version: number | null }> & {
  values: FormValues
} {
  const values: FormValues = { chaseOn: dateParts(body, 'chaseOn'), version: text(body, 'version') }
  const date = parseDateParts(dateParts(body, 'chaseOn'), 'chaseOn', messages.chaseLabel, {
    required: true,
    ...(today === undefined ? {} : { range: referralDateRanges(today).chaseOn }),
  })
  if (date.error !== undefined || date.value === null) {
    return { ok: false, errors: date.error === undefined ? [] : [date.error], values }
  }
  const version = Number(text(body, 'version'))
  return {
    ok: true,
    value: { chaseOn: date.value, version: Number.isInteger(version) && version > 0 ? version : null },
    values,
  }
}

/** Status filter from a query string: a known status or none. */
export function statusFilter(value: unknown): ReferralStatus | undefined {
  return typeof value === 'string' && (referralStatuses as readonly string[]).includes(value)
    ? (value as ReferralStatus)
    : undefined
}
