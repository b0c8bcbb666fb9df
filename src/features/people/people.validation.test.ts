import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { FieldError } from '../../platform/http/errors.ts'
import { contactMessages } from '../../platform/forms/contact-details.ts'
import {
  addYears,
  apiDateToParts,
  isValidPostcode,
  noDate,
  normalisePostcode,
  validatePerson,
  type PersonDraft,
} from './people.validation.ts'

const today = '2026-11-20'

function draft(overrides: Partial<PersonDraft> = {}): PersonDraft {
  return {
    crn: 'X123456',
    nhsNumber: '',
    givenName: 'Sam',
    familyName: 'Taylor',
    preferredName: '',
    dateOfBirth: { day: '23', month: '4', year: '1990' },
    sex: '',
    statedGender: '',
    genderSameAsBirth: '',
    ethnicCategory: '',
    disability: '',
    neurodivergence: '',
    interpreterNeeded: false,
    language: '',
    readingSupport: false,
    communicationNotes: '',
    phone: '',
    email: '',
    noFixedAbode: false,
    addressLine1: '',
    addressLine2: '',
    town: '',
    postcode: '',
    supervisionType: '',
    supervisionStart: noDate,
    supervisionEnd: noDate,
    probationPractitionerId: '',
    prisonNumber: '',
    releaseDate: noDate,
    siteCode: 'cambridge',
    ...overrides,
  }
}

function errorsOf(overrides: Partial<PersonDraft>): FieldError[] {
  const result = validatePerson(draft(overrides), { today })
  return result.ok ? [] : result.errors
}

test('normalises postcodes to upper case with one space before the inward code', () => {
  assert.equal(normalisePostcode('sw1a1aa'), 'SW1A 1AA')
  assert.equal(normalisePostcode('  cb2   1tn '), 'CB2 1TN')
  assert.equal(normalisePostcode('M11AE'), 'M1 1AE')
})

test('accepts every outward-code shape and the GIR 0AA special case', () => {
  for (const ok of ['M1 1AE', 'B33 8TH', 'CR2 6XH', 'DN55 1PT', 'W1A 0AX', 'EC1A 1BB', 'gir0aa', 'sw1a 1aa']) {
    assert.equal(isValidPostcode(ok), true, ok)
  }
})

test('refuses postcodes that are incomplete, misordered or have I or Z as the second letter', () => {
  for (const bad of ['', 'SW1A', '1AA SW1', 'AI1 1AA', 'AZ1 1AA', 'SW1A 1A', 'SW1A11AA', 'X', 'SW1A-1AA']) {
    assert.equal(isValidPostcode(bad), false, bad)
  }
})

test('stores the postcode normalised when the address is valid', () => {
  const result = validatePerson(draft({ addressLine1: '1 High Street', town: 'Cambridge', postcode: 'cb21tn' }), {
    today,
  })
  assert.equal(result.ok && result.value.postcode, 'CB2 1TN')
})

test('says "Enter a full UK postcode" for a malformed postcode', () => {
  assert.deepEqual(errorsOf({ addressLine1: '1 High Street', town: 'Cambridge', postcode: 'CB2' }), [
    { field: 'postcode', message: 'Enter a full UK postcode, like SW1A 1AA' },
  ])
})

test('refuses an address given alongside no fixed abode', () => {
  assert.deepEqual(
    errorsOf({ noFixedAbode: true, postcode: 'CB2 1TN' }).map((e) => e.field),
    ['addressLine1'],
  )
})

test('stores a mobile number normalised and an email address in lower case, and blank as null', () => {
  const result = validatePerson(draft({ phone: '+44 7700 900982', email: ' Sam.Taylor@Example.COM ' }), { today })
  assert.equal(result.ok && result.value.phone, '07700900982')
  assert.equal(result.ok && result.value.email, 'sam.taylor@example.com')
  const international = validatePerson(draft({ phone: '00 353 85 123 4567' }), { today })
  assert.equal(international.ok && international.value.phone, '+353851234567')
  const blank = validatePerson(draft({ phone: '', email: '' }), { today })
  assert.equal(blank.ok && blank.value.phone, null)
  assert.equal(blank.ok && blank.value.email, null)
})

test('refuses a landline, a short mobile number and a malformed email address with Notify’s rules', () => {
  assert.deepEqual(errorsOf({ phone: '01632 960 001' }), [
    { field: 'phone', message: contactMessages.phoneNotUkMobile },
  ])
  assert.deepEqual(errorsOf({ phone: '07700 90098' }), [{ field: 'phone', message: contactMessages.phoneTooShort }])
  assert.deepEqual(errorsOf({ phone: 'phone me' }), [{ field: 'phone', message: contactMessages.phoneCharacters }])
  assert.deepEqual(errorsOf({ email: 'name@example' }), [{ field: 'email', message: contactMessages.emailFormat }])
})

test('keeps a phone number and email address sent back exactly as saved, checking them once changed', () => {
  const saved = { phone: '01632 960 001', email: 'Sam at example' }
  const kept = validatePerson(draft(saved), { today, saved })
  assert.equal(kept.ok && kept.value.phone, '01632 960 001')
  assert.equal(kept.ok && kept.value.email, 'Sam at example')
  const edited = validatePerson(draft({ ...saved, phone: '01632 960 002' }), { today, saved })
  assert.deepEqual(edited.ok ? [] : edited.errors.map((e) => e.field), ['phone'])
})

test('upper-cases a CRN and refuses one in the wrong format with "Enter a CRN, like X123456"', () => {
  const ok = validatePerson(draft({ crn: 'x123456' }), { today })
  assert.equal(ok.ok && ok.value.crn, 'X123456')
  assert.deepEqual(errorsOf({ crn: 'X12345' }), [{ field: 'crn', message: 'Enter a CRN, like X123456' }])
  assert.deepEqual(errorsOf({ crn: '' }), [{ field: 'crn', message: 'Enter a CRN' }])
})

test('explains that a Scottish CHI number is not an England or Wales NHS number', () => {
  const [error] = errorsOf({ nhsNumber: '0101000006' })
  assert.equal(error?.field, 'nhsNumber')
  assert.match(error.message, /not an England or Wales NHS number/)
  assert.deepEqual(errorsOf({ nhsNumber: '1111111111' }), [
    { field: 'nhsNumber', message: 'Enter a valid NHS number, like 943 476 5919' },
  ])
})

test('refuses a date of birth for someone under 16 or over 120 with "must be 16 to 120 years old", pointing at the day', () => {
  const under = errorsOf({ dateOfBirth: { day: '21', month: '11', year: '2010' } })
  assert.equal(under[0]?.field, 'dateOfBirth-day')
  assert.match(under[0].message, /^The person must be 16 to 120 years old/)
  assert.deepEqual(errorsOf({ dateOfBirth: { day: '20', month: '11', year: '2010' } }), [])
  const over = errorsOf({ dateOfBirth: { day: '20', month: '11', year: '1905' } })
  assert.match(over[0]?.message ?? '', /^The person must be 16 to 120 years old/)
  assert.deepEqual(errorsOf({ dateOfBirth: { day: '21', month: '11', year: '1905' } }), [])
})

test('refuses a date of birth that is not a real date or is in the future', () => {
  assert.deepEqual(errorsOf({ dateOfBirth: { day: '31', month: '2', year: '1990' } }), [
    { field: 'dateOfBirth-day', message: 'Date of birth must be a real date' },
  ])
  assert.deepEqual(errorsOf({ dateOfBirth: { day: '1', month: '1', year: '2027' } }), [
    { field: 'dateOfBirth-day', message: 'Date of birth must be in the past' },
  ])
  assert.deepEqual(errorsOf({ dateOfBirth: { day: '1', month: '', year: '' } }), [
    { field: 'dateOfBirth-month', message: 'Date of birth must include a month and year' },
  ])
})

test('refuses a supervision end date before its start date', () => {
  assert.deepEqual(
    errorsOf({
      supervisionStart: { day: '1', month: '6', year: '2026' },
      supervisionEnd: { day: '31', month: '5', year: '2026' },
    }),
    [
      {
        field: 'supervisionEnd-day',
        message: 'Supervision end date must be the same as or after the supervision start date',
      },
    ],
  )
})

test('needs the prison number and release date together', () => {
  assert.deepEqual(
    errorsOf({ releaseDate: apiDateToParts('2027-01-14') }).map((e) => e.field),
    ['prisonNumber'],
  )
  assert.deepEqual(
    errorsOf({ prisonNumber: 'a1234bc' }).map((e) => e.field),
    ['releaseDate-day'],
  )
  assert.deepEqual(
    errorsOf({ prisonNumber: 'A1234B', releaseDate: apiDateToParts('2027-01-14') }).map((e) => e.message),
    ['Enter a prison number in the correct format, like A1234BC'],
  )
  const ok = validatePerson(draft({ prisonNumber: 'a1234bc', releaseDate: apiDateToParts('2027-01-14') }), { today })
  assert.equal(ok.ok && ok.value.prisonNumber, 'A1234BC')
})

test('refuses codes that are not on the NHS lists', () => {
  assert.deepEqual(
    errorsOf({ sex: '3', statedGender: 'Y', ethnicCategory: 'I' }).map((e) => e.field),
    ['sex', 'statedGender', 'ethnicCategory'],
  )
  assert.deepEqual(errorsOf({ sex: '9', statedGender: 'X', ethnicCategory: '99' }), [])
})

test('needs a language when an interpreter is needed', () => {
  assert.deepEqual(
    errorsOf({ interpreterNeeded: true }).map((e) => e.field),
    ['language'],
  )
})

test('reads an ISO date from the API as date parts, and anything else as not a real date', () => {
  assert.deepEqual(apiDateToParts('1990-04-23'), { year: '1990', month: '4', day: '23' })
  assert.deepEqual(
    errorsOf({ dateOfBirth: apiDateToParts('1990-04-23T00:00:00Z') }).map((e) => e.message),
    ['Date of birth must be a real date'],
  )
  assert.deepEqual(
    errorsOf({ dateOfBirth: apiDateToParts('23/04/1990') }).map((e) => e.message),
    ['Date of birth must be a real date'],
  )
  assert.equal(addYears('2024-02-29', 1), '2025-03-01')
})

test('refuses a two-digit year with "Year must include 4 numbers", pointing at the year', () => {
  assert.deepEqual(errorsOf({ dateOfBirth: { day: '23', month: '4', year: '90' } }), [
    { field: 'dateOfBirth-year', message: 'Year must include 4 numbers' },
  ])
  assert.deepEqual(errorsOf({ releaseDate: { day: '14', month: '1', year: '27' }, prisonNumber: 'A1234BC' }), [
    { field: 'releaseDate-year', message: 'Year must include 4 numbers' },
  ])
  assert.deepEqual(
    errorsOf({ dateOfBirth: apiDateToParts('90-04-23') }).map((e) => e.message),
    ['Year must include 4 numbers'],
  )
})
