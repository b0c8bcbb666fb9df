/** Every piece of user-facing wording for people: code-list labels (NHS Data Dictionary) and GOV.UK error messages. */

export interface CodeOption<T extends string = string> {
  readonly value: T
  readonly text: string
}

export const sexOptions = [
  { value: '1', text: 'Male' },
  { value: '2', text: 'Female' },
  { value: '9', text: 'Indeterminate (unable to be classified as either male or female)' },
] as const satisfies readonly CodeOption[]

export const statedGenderOptions = [
  { value: '1', text: 'Male (including trans man)' },
  { value: '2', text: 'Female (including trans woman)' },
  { value: '9', text: 'Indeterminate (unable to be classified as either male or female)' },
  { value: 'X', text: 'Not known (not recorded)' },
] as const satisfies readonly CodeOption[]

export const genderSameAsBirthOptions = [
  { value: 'yes', text: 'Yes' },
  { value: 'no', text: 'No' },
  { value: 'prefer-not-to-say', text: 'Prefer not to say' },
] as const satisfies readonly CodeOption[]

export const disabilityOptions = [
  { value: 'yes', text: 'Yes' },
  { value: 'no', text: 'No' },
  { value: 'prefer-not-to-say', text: 'Prefer not to say' },
] as const satisfies readonly CodeOption[]

export const neurodivergenceOptions = [
  { value: 'diagnosed', text: 'Yes, diagnosed' },
  { value: 'suspected', text: 'Yes, suspected but not diagnosed' },
  { value: 'no', text: 'No' },
  { value: 'prefer-not-to-say', text: 'Prefer not to say' },
] as const satisfies readonly CodeOption[]

export const supervisionTypeOptions = [
  { value: 'community-order', text: 'Community order' },
  { value: 'suspended-sentence-order', text: 'Suspended sentence order' },
  { value: 'licence', text: 'Licence' },
  { value: 'post-sentence-supervision', text: 'Post-sentence supervision' },
  { value: 'pre-release', text: 'Pre-release (still in custody)' },
] as const satisfies readonly CodeOption[]

/** NHS ethnic category (2001 census based, UK Core EthnicCategoryEngland), grouped as the Data Dictionary groups them. */
export const ethnicCategoryGroups = [
  {
    label: 'White',
    options: [
      { value: 'A', text: 'White – British' },
      { value: 'B', text: 'White – Irish' },
      { value: 'C', text: 'White – Any other White background' },
    ],
  },
  {
    label: 'Mixed',
    options: [
      { value: 'D', text: 'Mixed – White and Black Caribbean' },
      { value: 'E', text: 'Mixed – White and Black African' },
      { value: 'F', text: 'Mixed – White and Asian' },
      { value: 'G', text: 'Mixed – Any other mixed background' },
    ],
  },
  {
    label: 'Asian or Asian British',
    options: [
      { value: 'H', text: 'Asian or Asian British – Indian' },
      { value: 'J', text: 'Asian or Asian British – Pakistani' },
      { value: 'K', text: 'Asian or Asian British – Bangladeshi' },
      { value: 'L', text: 'Asian or Asian British – Any other Asian background' },
    ],
  },
  {
    label: 'Black or Black British',
    options: [
      { value: 'M', text: 'Black or Black British – Caribbean' },
      { value: 'N', text: 'Black or Black British – African' },
      { value: 'P', text: 'Black or Black British – Any other Black background' },
    ],
  },
  {
    label: 'Other ethnic groups',
    options: [
      { value: 'R', text: 'Other ethnic groups – Chinese' },
      { value: 'S', text: 'Other ethnic groups – Any other ethnic group' },
    ],
  },
  {
    label: 'Not stated or not known',
    options: [
      { value: 'Z', text: 'Not stated (the person was asked and chose not to say)' },
      { value: '99', text: 'Not known (the person was not asked)' },
    ],
  },
] as const

export const ethnicCategoryOptions: readonly CodeOption[] = ethnicCategoryGroups.flatMap(
  (g): readonly CodeOption[] => g.options,
)

export function labelFor(options: readonly CodeOption[], value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return ''
  return options.find((o) => o.value === value)?.text ?? value
}

/** Field names as they read in a sentence, for the audit-free summary of conflicting changes. */
export const fieldLabels: Record<string, string> = {
  crn: 'CRN',
  nhsNumber: 'NHS number',
  givenName: 'Given name',
  familyName: 'Family name',
  preferredName: 'Preferred name',
  dateOfBirth: 'Date of birth',
  sex: 'Sex',
  statedGender: 'Gender',
  genderSameAsBirth: 'Gender same as at birth',
  ethnicCategory: 'Ethnic category',
  disability: 'Disability',
  neurodivergence: 'Neurodivergence',
  interpreterNeeded: 'Interpreter needed',
  language: 'Language',
  readingSupport: 'Reading support',
  communicationNotes: 'Communication notes',
  phone: 'Phone number',
  email: 'Email address',
  noFixedAbode: 'No fixed abode',
  addressLine1: 'Address line 1',
  addressLine2: 'Address line 2',
  town: 'Town or city',
  postcode: 'Postcode',
  supervisionType: 'Supervision type',
  supervisionStart: 'Supervision start date',
  supervisionEnd: 'Supervision end date',
  probationPractitionerId: 'Probation practitioner',
  prisonNumber: 'Prison number',
  releaseDate: 'Release date',
  siteCode: 'Site',
}

export const messages = {
  crnBlank: 'Enter a CRN',
  crnFormat: 'Enter a CRN, like X123456',
  crnTaken: (crn: string) => `CRN ${crn} is already used for another person on the hub – check the CRN`,
  nhsNumberInvalid: 'Enter a valid NHS number, like 943 476 5919',
  nhsNumberScottish:
    'This is a Scottish CHI number, not an England or Wales NHS number – enter the person’s NHS number',
  nhsNumberNorthernIreland:
    'This is a Northern Ireland health and care number, not an England or Wales NHS number – enter the person’s NHS number',
  nhsNumberTestRange: 'This is a test NHS number, never issued to a person – enter the person’s NHS number',
  nhsNumberTaken: (formatted: string) =>
    `NHS number ${formatted} is already used for another person on the hub – check the NHS number`,
  givenNameBlank: 'Enter the person’s given name',
  familyNameBlank: 'Enter the person’s family name',
  tooLong: (label: string, max: number) => `${label} must be ${max} characters or fewer`,
  dateOfBirthOutOfRange: (earliest: string, latest: string) =>
    `The person must be 16 to 120 years old – enter a date of birth between ${earliest} and ${latest}`,
  yearFourNumbers: 'Year must include 4 numbers',
  selectFromList: (label: string) => `Select ${label} from the list`,
  languageBlank: 'Enter the language the person needs an interpreter for',
  // Phone number and email address messages are GOV.UK Notify's rules' own: platform/forms/contact-details.ts.
  addressWithNoFixedAbode: 'Remove the address, or say the person does not have no fixed abode',
  addressLine1Blank: 'Enter address line 1, typically the building and street',
  townBlank: 'Enter town or city',
  postcodeBlank: 'Enter postcode',
  postcodeInvalid: 'Enter a full UK postcode, like SW1A 1AA',
  supervisionEndBeforeStart: 'Supervision end date must be the same as or after the supervision start date',
  practitionerNotAtSite: 'Select a probation practitioner who works at the person’s site',
  siteBlank: 'Select the site the person is supervised at',
  prisonNumberBlank: 'Enter the prison number that goes with the release date, like A1234BC',
  prisonNumberFormat: 'Enter a prison number in the correct format, like A1234BC',
  releaseDateBlank: 'Enter the release date that goes with the prison number',
  formAlreadyUsed:
    'You have already added a person with this form. Check the details: selecting ‘Add person’ again adds another person',
  practitionerNoLongerHere: (name: string) => `${name} (no longer active at this site)`,
  staleEdit:
    'Someone else changed this person’s record after you opened it. Nothing you entered has been saved. The form now shows the saved details: check them and make your changes again',
} as const
