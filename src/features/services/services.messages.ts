import { serviceKinds, type ServiceKind } from './services.tables.ts'
/** The service directory's kinds, their names as staff read them, and the form's wording. */

export { serviceKinds, type ServiceKind }

export function isServiceKind(value: string): value is ServiceKind {
  return (serviceKinds as readonly string[]).includes(value)
}

/** Headings for the grouped list (plural) and labels for a single entry. */
export const kindText: Record<ServiceKind, { group: string; label: string }> = {
  'gp-practice': { group: 'GP practices', label: 'GP practice' },
  'talking-therapies': { group: 'NHS Talking Therapies', label: 'NHS Talking Therapies' },
  'community-mental-health': { group: 'Community mental health', label: 'Community mental health service' },
  'drug-alcohol': { group: 'Drug and alcohol services', label: 'Drug and alcohol service' },
  'stop-smoking': { group: 'Stop smoking services', label: 'Stop smoking service' },
  screening: { group: 'Screening services', label: 'Screening service' },
  'sexual-health': { group: 'Sexual health', label: 'Sexual health service' },
  dentistry: { group: 'Dentistry', label: 'Dental practice' },
  'community-pharmacy': { group: 'Community pharmacies', label: 'Community pharmacy' },
  'liaison-diversion': { group: 'Liaison and diversion', label: 'Liaison and diversion service' },
  housing: { group: 'Housing', label: 'Housing service' },
  'voluntary-sector': { group: 'Voluntary sector partners', label: 'Voluntary sector partner' },
  'care-after-custody': {
    group: 'Care after custody (RECONNECT)',
    label: 'Care after custody (RECONNECT) service',
  },
  other: { group: 'Other services', label: 'Other service' },
}

/**
 * ODS codes: GP practice codes seen are one letter and five digits (A81001), but the format rule is unverified
 * (domain reference §3), so any 3 to 10 upper-case letters or digits are accepted.
 */
export const ODS_CODE_PATTERN = /^[A-Z0-9]{3,10}$/

/** Upper case, spaces removed: "a81 001" is read as A81001. */
export function normaliseOdsCode(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase()
}

export const limits = {
  name: 200,
  address: 500,
  phone: 40,
  email: 254,
  website: 500,
  referralMethod: 1000,
  notes: 2000,
} as const

const n = (value: number) => value.toLocaleString('en-GB')

export const messages = {
  siteBlank: 'Select the site whose directory this service belongs to',
  kindBlank: 'Select the kind of service',
  kindUnknown: `Enter a kind: ${serviceKinds.join(', ')}`,
  nameBlank: 'Enter the name of the service',
  nameTooLong: `Name must be ${n(limits.name)} characters or fewer`,
  odsBlankForGp: 'Enter the GP practice’s ODS code, like A81001',
  odsInvalid: 'ODS code must be 3 to 10 letters and numbers, like A81001',
  odsTaken: (code: string) => `A service with ODS code ${code} is already in this site’s directory`,
  organisationUnknown: 'Select a partner organisation from the list',
  addressTooLong: `Address must be ${n(limits.address)} characters or fewer`,
  phoneInvalid: 'Enter a phone number using numbers, spaces and brackets only, like 01632 960 001',
  emailInvalid: 'Enter an email address in the correct format, like referrals@example.nhs.uk',
  websiteInvalid: 'Enter a website address starting with https://, like https://www.example.nhs.uk',
  referralMethodTooLong: `How to refer must be ${n(limits.referralMethod)} characters or fewer`,
  notesTooLong: `Notes must be ${n(limits.notes)} characters or fewer`,
  activeBlank: 'Select whether the service is still available',
  staleEdit:
    'Someone else changed this service after you opened it. The form now shows the saved details: make your changes again.',
  formAlreadyUsed: 'This form was already used to add a service. Check the directory before adding it again.',
}
