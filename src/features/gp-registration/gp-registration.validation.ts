/**
 * The rules on a GP registration status's shape, shared by the form and the API. Errors are named as the API
 * names its fields (serviceId, practiceName, statusDate); the form maps them onto its own ids.
 */
import { isRealDate } from '../../platform/forms/forms.ts'
import type { FieldError } from '../../platform/http/errors.ts'
import {
  HELP_MAX,
  isGpRegistrationStatus,
  messages,
  ODS_CODE_PATTERN,
  PRACTICE_NAME_MAX,
  REASON_MAX,
  type GpRegistrationStatus,
} from './gp-registration.messages.ts'

/** As typed or sent, trimmed ('' for blank). `statusDate` is null when the form has already reported its date. */
export interface GpRegistrationDraft {
  status: string
  statusDate: string | null
  serviceId: string
  practiceName: string
  practiceOdsCode: string
  reason: string
  helpGiven: string
}

/** A practice from the directory, one typed in because it is not listed, or none. */
export type PracticeInput =
  | { kind: 'directory'; serviceId: string }
  | { kind: 'not-listed'; name: string; odsCode: string | null }
  | { kind: 'none' }

export interface GpRegistrationInput {
  status: GpRegistrationStatus
  statusDate: string
  practice: PracticeInput
  reason: string | null
  helpGiven: string | null
}

export function normaliseOdsCode(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase()
}

export function checkRegistration(
  draft: GpRegistrationDraft,
  today: string,
): { ok: true; value: GpRegistrationInput } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = []
  const status = draft.status
  if (status === '') errors.push({ field: 'status', message: messages.statusBlank })
  else if (!isGpRegistrationStatus(status)) errors.push({ field: 'status', message: messages.statusUnknown })

  if (draft.statusDate !== null) {
    if (!isRealDate(draft.statusDate)) errors.push({ field: 'statusDate', message: messages.dateInvalid })
    else if (draft.statusDate > today) errors.push({ field: 'statusDate', message: messages.dateFuture })
  }

  const odsCode = normaliseOdsCode(draft.practiceOdsCode)
  const typed = draft.practiceName !== '' || odsCode !== ''
  let practice: PracticeInput = { kind: 'none' }
  if (draft.serviceId !== '') {
    if (typed) errors.push({ field: 'practiceName', message: messages.practiceTwice })
    practice = { kind: 'directory', serviceId: draft.serviceId }
  } else if (typed) {
    if (draft.practiceName === '') errors.push({ field: 'practiceName', message: messages.odsWithoutName })
    else if (draft.practiceName.length > PRACTICE_NAME_MAX) {
      errors.push({ field: 'practiceName', message: messages.practiceNameTooLong })
    }
    if (odsCode !== '' && !ODS_CODE_PATTERN.test(odsCode)) {
      errors.push({ field: 'practiceOdsCode', message: messages.odsInvalid })
    }
    practice = { kind: 'not-listed', name: draft.practiceName, odsCode: odsCode === '' ? null : odsCode }
  }

  if (status === 'registered') {
    if (practice.kind === 'none') errors.push({ field: 'serviceId', message: messages.practiceForRegistered })
    else if (practice.kind === 'not-listed' && practice.odsCode === null && practice.name !== '') {
      errors.push({ field: 'practiceOdsCode', message: messages.odsBlankForRegistered })
    }
  }
  if (status === 'refused') {
    if (practice.kind === 'none') errors.push({ field: 'serviceId', message: messages.practiceForRefused })
    if (draft.reason === '') errors.push({ field: 'reason', message: messages.reasonBlankForRefused })
  }
  if (status === 'not-registered' && practice.kind !== 'none') {
    errors.push({ field: 'serviceId', message: messages.practiceNotForNotRegistered })
  }
  if (draft.reason.length > REASON_MAX) errors.push({ field: 'reason', message: messages.reasonTooLong })
  if (draft.helpGiven.length > HELP_MAX) errors.push({ field: 'helpGiven', message: messages.helpTooLong })

  if (errors.length > 0 || !isGpRegistrationStatus(status) || draft.statusDate === null) return { ok: false, errors }
  return {
    ok: true,
    value: {
      status,
      statusDate: draft.statusDate,
      practice,
      reason: draft.reason === '' ? null : draft.reason,
      helpGiven: draft.helpGiven === '' ? null : draft.helpGiven,
    },
  }
}
