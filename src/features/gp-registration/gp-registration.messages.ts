import { gpRegistrationStatuses, type GpRegistrationStatus } from './gp-registration.tables.ts'
/** GP registration statuses, the words staff read, the guidance shown, and the form's wording. */

export { gpRegistrationStatuses, type GpRegistrationStatus }

export function isGpRegistrationStatus(value: string): value is GpRegistrationStatus {
  return (gpRegistrationStatuses as readonly string[]).includes(value)
}

export const statusText: Record<GpRegistrationStatus, { label: string; hint: string; status: string; tag: string }> = {
  registered: {
    label: 'Registered with a GP practice',
    hint: 'Give the practice below',
    status: 'Registered',
    tag: 'govuk-tag--green',
  },
  'in-progress': {
    label: 'Registration in progress',
    hint: 'For example, the registration form has been handed in to a practice',
    status: 'In progress',
    tag: 'govuk-tag--blue',
  },
  'not-registered': {
    label: 'Not registered with a GP',
    hint: 'The person has no GP practice at the moment',
    status: 'Not registered',
    tag: 'govuk-tag--grey',
  },
  refused: {
    label: 'A practice refused to register them',
    hint: 'Give the practice and the reason it gave below',
    status: 'Refused by a practice',
    tag: 'govuk-tag--red',
  },
  deregistered: {
    label: 'Deregistered from a practice',
    hint: 'For example, removed from the practice’s list after moving away',
    status: 'Deregistered',
    tag: 'govuk-tag--orange',
  },
}

/**
 * Shown wherever a refusal is recorded or may be. Plain words, no legal citation: the reference material this
 * service was built from gives none.
 */
export const noFixedAbodeGuidance = {
  heading: 'No fixed abode is never a reason to refuse',
  lines: [
    'A GP practice cannot refuse to register someone because they have no fixed address.',
    'People without a permanent address can register with a GP practice.',
    'If that was the practice’s reason, go back to the practice with this, and tell your hub manager if they still refuse.',
  ],
}

export const REASON_MAX = 1000
export const HELP_MAX = 2000
export const PRACTICE_NAME_MAX = 200

/**
 * ODS codes: GP practice codes seen are one letter and five digits (A81001), but the format rule is unverified
 * (domain reference §3), so any 3 to 10 upper-case letters or digits are accepted.
 */
export const ODS_CODE_PATTERN = /^[A-Z0-9]{3,10}$/

export const NOT_LISTED = 'not-listed'

const n = (value: number) => value.toLocaleString('en-GB')

export const messages = {
  statusBlank: 'Select the person’s GP registration status',
  statusUnknown: `Enter a status: ${gpRegistrationStatuses.join(', ')}`,
  dateLabel: 'the date it happened',
  dateFuture: 'The date it happened must be today or in the past',
  dateInvalid: 'Enter the date it happened as a real date, YYYY-MM-DD',
  practiceForRegistered:
    'Select the practice the person is registered with, or select that it is not in the directory and enter its name and ODS code',
  practiceForRefused: 'Select the practice that refused, or select that it is not in the directory and enter its name',
  practiceNotForNotRegistered: 'Select “No practice” when the person is not registered with a GP',
  practiceNameBlank: 'Enter the practice name',
  practiceNameTooLong: `Practice name must be ${n(PRACTICE_NAME_MAX)} characters or fewer`,
  odsBlankForRegistered: 'Enter the practice’s ODS code, like A81001',
  odsInvalid: 'ODS code must be 3 to 10 letters and numbers, like A81001',
  odsWithoutName: 'Enter the practice name as well as its ODS code',
  practiceTwice: 'Leave the practice name and ODS code blank when you select a practice from the directory',
  practiceUnknown: 'Select a GP practice from this site’s directory',
  reasonBlankForRefused: 'Enter the reason the practice gave for refusing',
  reasonTooLong: `Reason must be ${n(REASON_MAX)} characters or fewer`,
  helpTooLong: `Help given must be ${n(HELP_MAX)} characters or fewer`,
  staleUpdate:
    'Someone else updated this person’s GP registration after you opened this page. Check the status below, then save again.',
  notRecorder: 'Only clinicians and hub managers may update GP registration.',
}
