/** The HTML person form: what the page posts, turned into a draft for the shared rules, and back again. */
import { dateParts, isoToDateParts, text, type FormBody, type FormResult } from '../../platform/forms/forms.ts'
import { validatePerson, type PersonDetails, type PersonDraft, type ValidationOptions } from './people.validation.ts'

/** What the form shows: text as typed, dates as parts, yes/no questions as 'yes' | 'no' | ''. */
export type PersonFormValues = Record<string, unknown>

const yesNo = (value: boolean) => (value ? 'yes' : 'no')

/** Reads the posted form. Saying the person has no fixed abode clears the address fields. */
export function parsePersonForm(
  body: FormBody | undefined,
  options: ValidationOptions,
): FormResult<PersonDetails> & { values: PersonFormValues } {
  const interpreter = text(body, 'interpreterNeeded')
  const noFixedAbode = text(body, 'noFixedAbode') === 'yes'
  const draft: PersonDraft = {
    crn: text(body, 'crn'),
    nhsNumber: text(body, 'nhsNumber'),
    givenName: text(body, 'givenName'),
    familyName: text(body, 'familyName'),
    preferredName: text(body, 'preferredName'),
    dateOfBirth: dateParts(body, 'dateOfBirth'),
    sex: text(body, 'sex'),
    statedGender: text(body, 'statedGender'),
    genderSameAsBirth: text(body, 'genderSameAsBirth'),
    ethnicCategory: text(body, 'ethnicCategory'),
    disability: text(body, 'disability'),
    neurodivergence: text(body, 'neurodivergence'),
    interpreterNeeded: interpreter === 'yes',
    language: text(body, 'language'),
    readingSupport: text(body, 'readingSupport') === 'yes',
    communicationNotes: text(body, 'communicationNotes'),
    phone: text(body, 'phone'),
    email: text(body, 'email'),
    noFixedAbode,
    addressLine1: noFixedAbode ? '' : text(body, 'addressLine1'),
    addressLine2: noFixedAbode ? '' : text(body, 'addressLine2'),
    town: noFixedAbode ? '' : text(body, 'town'),
    postcode: noFixedAbode ? '' : text(body, 'postcode'),
    supervisionType: text(body, 'supervisionType'),
    supervisionStart: dateParts(body, 'supervisionStart'),
    supervisionEnd: dateParts(body, 'supervisionEnd'),
    probationPractitionerId: text(body, 'probationPractitionerId'),
    prisonNumber: text(body, 'prisonNumber'),
    releaseDate: dateParts(body, 'releaseDate'),
    siteCode: text(body, 'siteCode'),
  }
  const values: PersonFormValues = {
    ...draft,
    interpreterNeeded: interpreter,
    readingSupport: text(body, 'readingSupport'),
    noFixedAbode: noFixedAbode ? 'yes' : '',
    version: text(body, 'version'),
    submissionId: text(body, 'submissionId'),
  }
  const result = validatePerson(draft, options)
  if (!result.ok) return { ok: false, errors: result.errors, values }
  return { ok: true, value: result.value, values }
}

/** A saved person as the form's values, for the edit page. */
export function personToFormValues(person: PersonDetails & { version?: number }): PersonFormValues {
  const s = (v: string | null) => v ?? ''
  return {
    crn: person.crn,
    nhsNumber: s(person.nhsNumber),
    givenName: person.givenName,
    familyName: person.familyName,
    preferredName: s(person.preferredName),
    dateOfBirth: isoToDateParts(person.dateOfBirth),
    sex: s(person.sex),
    statedGender: s(person.statedGender),
    genderSameAsBirth: s(person.genderSameAsBirth),
    ethnicCategory: s(person.ethnicCategory),
    disability: s(person.disability),
    neurodivergence: s(person.neurodivergence),
    interpreterNeeded: yesNo(person.interpreterNeeded),
    language: s(person.language),
    readingSupport: yesNo(person.readingSupport),
    communicationNotes: s(person.communicationNotes),
    phone: s(person.phone),
    email: s(person.email),
    noFixedAbode: person.noFixedAbode ? 'yes' : '',
    addressLine1: s(person.addressLine1),
    addressLine2: s(person.addressLine2),
    town: s(person.town),
    postcode: s(person.postcode),
    supervisionType: s(person.supervisionType),
    supervisionStart: isoToDateParts(person.supervisionStart),
    supervisionEnd: isoToDateParts(person.supervisionEnd),
    probationPractitionerId: s(person.probationPractitionerId),
    prisonNumber: s(person.prisonNumber),
    releaseDate: isoToDateParts(person.releaseDate),
    siteCode: person.siteCode,
    version: person.version === undefined ? '' : String(person.version),
  }
}
