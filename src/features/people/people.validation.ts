/**
 * The one set of rules for a person's details, used by the HTML form and by the JSON API alike, so both give the
 * same GOV.UK wording. Rules that need data (uniqueness, who works where) live in the service.
 */
import { isoToDateParts, parseDateParts, type DateParts, isUuid } from '../../platform/forms/forms.ts'
import { validateEmail, validatePhone, type ContactCheck } from '../../platform/forms/contact-details.ts'
import type { FieldError } from '../../platform/http/errors.ts'
import { formatDate } from '../../platform/views/format.ts'
import { nhsNumberProblem, normaliseNhsNumber } from './nhs-number.ts'
import {
  disabilityOptions,
  ethnicCategoryOptions,
  genderSameAsBirthOptions,
  messages,
  neurodivergenceOptions,
  sexOptions,
  statedGenderOptions,
  supervisionTypeOptions,
  type CodeOption,
} from './people.messages.ts'

type ValueOf<T extends readonly CodeOption[]> = T[number]['value']

export type Sex = ValueOf<typeof sexOptions>
export type StatedGender = ValueOf<typeof statedGenderOptions>
export type YesNoPreferNot = ValueOf<typeof genderSameAsBirthOptions>
export type Neurodivergence = ValueOf<typeof neurodivergenceOptions>
export type SupervisionType = ValueOf<typeof supervisionTypeOptions>

/** A person's details once checked and normalised. Calendar dates are ISO strings (YYYY-MM-DD). */
export interface PersonDetails {
  crn: string
  nhsNumber: string | null
  givenName: string
  familyName: string
  preferredName: string | null
  dateOfBirth: string
  sex: Sex | null
  statedGender: StatedGender | null
  genderSameAsBirth: YesNoPreferNot | null
  ethnicCategory: string | null
  disability: YesNoPreferNot | null
  neurodivergence: Neurodivergence | null
  interpreterNeeded: boolean
  language: string | null
  readingSupport: boolean
  communicationNotes: string | null
  phone: string | null
  email: string | null
  noFixedAbode: boolean
  addressLine1: string | null
  addressLine2: string | null
  town: string | null
  postcode: string | null
  supervisionType: SupervisionType | null
  supervisionStart: string | null
  supervisionEnd: string | null
  probationPractitionerId: string | null
  prisonNumber: string | null
  releaseDate: string | null
  siteCode: string
}

export const personDetailKeys = [
  'crn',
  'nhsNumber',
  'givenName',
  'familyName',
  'preferredName',
  'dateOfBirth',
  'sex',
  'statedGender',
  'genderSameAsBirth',
  'ethnicCategory',
  'disability',
  'neurodivergence',
  'interpreterNeeded',
  'language',
  'readingSupport',
  'communicationNotes',
  'phone',
  'email',
  'noFixedAbode',
  'addressLine1',
  'addressLine2',
  'town',
  'postcode',
  'supervisionType',
  'supervisionStart',
  'supervisionEnd',
  'probationPractitionerId',
  'prisonNumber',
  'releaseDate',
  'siteCode',
] as const satisfies readonly (keyof PersonDetails)[]

type DateKey = 'dateOfBirth' | 'supervisionStart' | 'supervisionEnd' | 'releaseDate'
type BooleanKey = 'interpreterNeeded' | 'readingSupport' | 'noFixedAbode'

/** What was typed or sent, before checking: text trimmed ('' when absent), dates as their three parts. */
export type PersonDraft = { [K in Exclude<keyof PersonDetails, DateKey | BooleanKey>]: string } & {
  [K in DateKey]: DateParts
} & { [K in BooleanKey]: boolean }

export type ValidationResult = { ok: true; value: PersonDetails } | { ok: false; errors: FieldError[] }

export interface ValidationOptions {
  /** Today in the UK, YYYY-MM-DD. */
  today: string
  /** Refuse NHS numbers in the never-issued test range (999 000 0000 to 999 999 9999): true in production. */
  refuseTestNhsNumbers?: boolean
  /**
   * The contact details already saved, when a record is being changed. A phone number or email address sent back
   * exactly as saved is kept without the Notify checks, so a record saved before them can still be changed in
   * other ways; it is checked once someone edits it.
   */
  saved?: Pick<PersonDetails, 'phone' | 'email'>
}

export const CRN_PATTERN = /^[A-Z]\d{6}$/
export const PRISON_NUMBER_PATTERN = /^[A-Z]\d{4}[A-Z]{2}$/
// The gov.uk bulk-data postcode expression (domain reference §3), applied to the normalised upper-case form.
const POSTCODE_PATTERN =
  /^(GIR 0AA|(([A-Z][0-9]{1,2})|(([A-Z][A-HJ-Y][0-9]{1,2})|(([A-Z][0-9][A-Z])|([A-Z][A-HJ-Y][0-9]?[A-Z])))) [0-9][A-Z]{2})$/

/** Upper case with one space before the inward code: "sw1a1aa" becomes "SW1A 1AA". */
export function normalisePostcode(raw: string): string {
  const compact = raw.replace(/\s+/g, '').toUpperCase()
  return compact.length > 3 ? `${compact.slice(0, -3)} ${compact.slice(-3)}` : compact
}

export function isValidPostcode(raw: string): boolean {
  return POSTCODE_PATTERN.test(normalisePostcode(raw))
}

/** Adds whole years to an ISO date; 29 February becomes 1 March in other years. */
export function addYears(iso: string, years: number): string {
  const [y = 0, m = 1, d = 1] = iso.split('-').map(Number)
  return new Date(Date.UTC(y + years, m - 1, d)).toISOString().slice(0, 10)
}

function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`)
  date.setUTCDate(date.getUTCDate() + days)
  return date.toISOString().slice(0, 10)
}

/** Three empty parts: no date given. */
export const noDate: DateParts = { day: '', month: '', year: '' }

/**
 * A date from the API as date parts, so it goes through the same checks as a form's date input. Only YYYY-MM-DD
 * is a date: anything else (a time, another format) becomes parts that fail the "real date" check.
 */
export function apiDateToParts(raw: string | null | undefined): DateParts {
  const value = (raw ?? '').trim()
  if (value === '') return noDate
  // A short year ("90-04-23") keeps its parts, so it gets "Year must include 4 numbers" like the form.
  const short = /^(\d{1,3})-(\d{2})-(\d{2})$/.exec(value)
  if (short !== null) return { year: short[1] ?? '', month: String(Number(short[2])), day: String(Number(short[3])) }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return { day: 'x', month: 'x', year: 'x' }
  return isoToDateParts(value)
}

/**
 * The GOV.UK date input's message for a year of fewer than 4 digits ("90"), which would otherwise read as the
 * year 90 and be called "not a real date". Checked before the shared date rules.
 */
function parseDate(
  parts: DateParts,
  field: string,
  label: string,
  options?: Parameters<typeof parseDateParts>[3],
): ReturnType<typeof parseDateParts> {
  if (/^\d{1,3}$/.test(parts.year) && parts.day !== '' && parts.month !== '') {
    return { value: null, error: { field: `${field}-year`, message: messages.yearFourNumbers } }
  }
  return parseDateParts(parts, field, label, options)
}

function pick<T extends string>(options: readonly CodeOption<T>[], value: string): T | null | undefined {
  if (value === '') return null
  return options.find((o) => o.value === value)?.value
}

export function validatePerson(draft: PersonDraft, options: ValidationOptions): ValidationResult {
  const errors: FieldError[] = []
  const fail = (field: string, message: string) => errors.push({ field, message })
  const optional = (value: string) => (value === '' ? null : value)
  const limit = (field: keyof PersonDraft, label: string, max: number) => {
    const value = draft[field]
    if (typeof value === 'string' && value.length > max) fail(field, messages.tooLong(label, max))
  }
  const choose = <T extends string>(
    field: keyof PersonDraft,
    list: readonly CodeOption<T>[],
    label: string,
  ): T | null => {
    const value = draft[field]
    const chosen = pick(list, typeof value === 'string' ? value : '')
    if (chosen === undefined) {
      fail(field, messages.selectFromList(label))
      return null
    }
    return chosen
  }

  // Identity
  const crn = draft.crn.toUpperCase()
  if (crn === '') fail('crn', messages.crnBlank)
  else if (!CRN_PATTERN.test(crn)) fail('crn', messages.crnFormat)

  let nhsNumber: string | null = null
  if (draft.nhsNumber !== '') {
    const problem = nhsNumberProblem(draft.nhsNumber, { refuseTestRange: options.refuseTestNhsNumbers === true })
    if (problem === undefined) nhsNumber = normaliseNhsNumber(draft.nhsNumber)
    else if (problem === 'scottish-chi') fail('nhsNumber', messages.nhsNumberScottish)
    else if (problem === 'northern-ireland') fail('nhsNumber', messages.nhsNumberNorthernIreland)
    else if (problem === 'test-range') fail('nhsNumber', messages.nhsNumberTestRange)
    else fail('nhsNumber', messages.nhsNumberInvalid)
  }

  if (draft.givenName === '') fail('givenName', messages.givenNameBlank)
  limit('givenName', 'Given name', 100)
  if (draft.familyName === '') fail('familyName', messages.familyNameBlank)
  limit('familyName', 'Family name', 100)
  limit('preferredName', 'Preferred name', 100)

  const dob = parseDate(draft.dateOfBirth, 'dateOfBirth', 'date of birth', {
    required: true,
    past: true,
    today: options.today,
  })
  if (dob.error !== undefined) errors.push(dob.error)
  else if (dob.value !== null) {
    const latest = addYears(options.today, -16)
    const earliest = addDays(addYears(options.today, -121), 1)
    if (dob.value > latest || dob.value < earliest)
      fail('dateOfBirth-day', messages.dateOfBirthOutOfRange(formatDate(earliest), formatDate(latest)))
  }

  // Equality information
  const sex = choose('sex', sexOptions, 'the person’s sex')
  const statedGender = choose('statedGender', statedGenderOptions, 'the person’s gender')
  const genderSameAsBirth = choose(
    'genderSameAsBirth',
    genderSameAsBirthOptions,
    'whether the person’s gender is the same as at birth',
  )
  const ethnicCategory = choose('ethnicCategory', ethnicCategoryOptions, 'an ethnic category')
  const disability = choose('disability', disabilityOptions, 'whether the person has a disability')
  const neurodivergence = choose('neurodivergence', neurodivergenceOptions, 'whether the person is neurodivergent')

  // Communication
  if (draft.interpreterNeeded && draft.language === '') fail('language', messages.languageBlank)
  limit('language', 'Language', 100)
  limit('communicationNotes', 'Communication notes', 2000)

  // Contact: to GOV.UK Notify's rules, as reminders are sent to them by text and email.
  const contact = (field: 'phone' | 'email', check: (text: string) => ContactCheck): string | null => {
    const value = draft[field]
    if (value === '') return null
    const saved = options.saved?.[field]
    if (saved !== undefined && saved !== null && value.trim() === saved.trim()) return saved
    const checked = check(value)
    if (checked.ok) return checked.value
    fail(field, checked.message)
    return null
  }
  const phone = contact('phone', validatePhone)
  // Stored in lower case, as it always has been here: one address, however it was typed.
  const email = contact('email', (text) => {
    const checked = validateEmail(text)
    return checked.ok ? { ok: true, value: checked.value.toLowerCase() } : checked
  })

  // Address
  let postcode: string | null = null
  const anyAddress = [draft.addressLine1, draft.addressLine2, draft.town, draft.postcode].some((v) => v !== '')
  if (draft.noFixedAbode) {
    if (anyAddress) fail('addressLine1', messages.addressWithNoFixedAbode)
  } else if (anyAddress) {
    if (draft.addressLine1 === '') fail('addressLine1', messages.addressLine1Blank)
    limit('addressLine1', 'Address line 1', 200)
    limit('addressLine2', 'Address line 2', 200)
    if (draft.town === '') fail('town', messages.townBlank)
    limit('town', 'Town or city', 100)
    if (draft.postcode === '') fail('postcode', messages.postcodeBlank)
    else if (!isValidPostcode(draft.postcode)) fail('postcode', messages.postcodeInvalid)
    else postcode = normalisePostcode(draft.postcode)
  }

  // Supervision
  const supervisionType = choose('supervisionType', supervisionTypeOptions, 'a supervision type')
  const start = parseDate(draft.supervisionStart, 'supervisionStart', 'supervision start date')
  if (start.error !== undefined) errors.push(start.error)
  const end = parseDate(draft.supervisionEnd, 'supervisionEnd', 'supervision end date')
  if (end.error !== undefined) errors.push(end.error)
  if (start.value !== null && end.value !== null && end.value < start.value) {
    fail('supervisionEnd-day', messages.supervisionEndBeforeStart)
  }
  const practitioner = draft.probationPractitionerId
  if (practitioner !== '' && !isUuid(practitioner))
    fail('probationPractitionerId', messages.selectFromList('a probation practitioner'))
  if (draft.siteCode === '') fail('siteCode', messages.siteBlank)

  // Custody: someone coming from custody has both a prison number and a release date.
  const prisonNumber = draft.prisonNumber.toUpperCase()
  const release = parseDate(draft.releaseDate, 'releaseDate', 'release date')
  const needsCustodyDetails = prisonNumber !== '' || release.value !== null
  if (prisonNumber === '' && needsCustodyDetails) fail('prisonNumber', messages.prisonNumberBlank)
  else if (prisonNumber !== '' && !PRISON_NUMBER_PATTERN.test(prisonNumber))
    fail('prisonNumber', messages.prisonNumberFormat)
  if (release.error !== undefined) errors.push(release.error)
  else if (release.value === null && needsCustodyDetails) fail('releaseDate-day', messages.releaseDateBlank)

  if (errors.length > 0) return { ok: false, errors }
  return {
    ok: true,
    value: {
      crn,
      nhsNumber,
      givenName: draft.givenName,
      familyName: draft.familyName,
      preferredName: optional(draft.preferredName),
      dateOfBirth: dob.value ?? '',
      sex,
      statedGender,
      genderSameAsBirth,
      ethnicCategory,
      disability,
      neurodivergence,
      interpreterNeeded: draft.interpreterNeeded,
      language: optional(draft.language),
      readingSupport: draft.readingSupport,
      communicationNotes: optional(draft.communicationNotes),
      phone,
      email,
      noFixedAbode: draft.noFixedAbode,
      addressLine1: draft.noFixedAbode ? null : optional(draft.addressLine1),
      addressLine2: draft.noFixedAbode ? null : optional(draft.addressLine2),
      town: draft.noFixedAbode ? null : optional(draft.town),
      postcode,
      supervisionType,
      supervisionStart: start.value,
      supervisionEnd: end.value,
      probationPractitionerId: optional(practitioner.toLowerCase()),
      prisonNumber: optional(prisonNumber),
      releaseDate: release.value,
      siteCode: draft.siteCode,
    },
  }
}

/** The names of the fields whose values differ: what an audit event may record (never the values). */
export function changedFields(before: PersonDetails, after: PersonDetails): (keyof PersonDetails)[] {
  return personDetailKeys.filter((key) => before[key] !== after[key])
}

/** A saved person as a draft, so a partial change (API merge-patch) can be checked by the same rules. */
export function detailsToDraft(details: PersonDetails): PersonDraft {
  const s = (v: string | null) => v ?? ''
  return {
    crn: details.crn,
    nhsNumber: s(details.nhsNumber),
    givenName: details.givenName,
    familyName: details.familyName,
    preferredName: s(details.preferredName),
    dateOfBirth: isoToDateParts(details.dateOfBirth),
    sex: s(details.sex),
    statedGender: s(details.statedGender),
    genderSameAsBirth: s(details.genderSameAsBirth),
    ethnicCategory: s(details.ethnicCategory),
    disability: s(details.disability),
    neurodivergence: s(details.neurodivergence),
    interpreterNeeded: details.interpreterNeeded,
    language: s(details.language),
    readingSupport: details.readingSupport,
    communicationNotes: s(details.communicationNotes),
    phone: s(details.phone),
    email: s(details.email),
    noFixedAbode: details.noFixedAbode,
    addressLine1: s(details.addressLine1),
    addressLine2: s(details.addressLine2),
    town: s(details.town),
    postcode: s(details.postcode),
    supervisionType: s(details.supervisionType),
    supervisionStart: isoToDateParts(details.supervisionStart),
    supervisionEnd: isoToDateParts(details.supervisionEnd),
    probationPractitionerId: s(details.probationPractitionerId),
    prisonNumber: s(details.prisonNumber),
    releaseDate: isoToDateParts(details.releaseDate),
    siteCode: details.siteCode,
  }
}
