import type { FieldError } from '../../platform/http/errors.ts'
import { siteMessages as messages } from './sites.messages.ts'

/** The same rule as the `site.code` check in 0001-foundation. */
export const SITE_CODE_PATTERN = /^[a-z][a-z0-9-]{1,39}$/

// The gov.uk bulk-data postcode expression, applied to the normalised upper-case form (as people.validation.ts).
const POSTCODE_PATTERN =
  /^(GIR 0AA|(([A-Z][0-9]{1,2})|(([A-Z][A-HJ-Y][0-9]{1,2})|(([A-Z][0-9][A-Z])|([A-Z][A-HJ-Y][0-9]?[A-Z])))) [0-9][A-Z]{2})$/

/** A site's postal address and phone number as stored: trimmed, blanks as null. */
export interface SiteContactDetails {
  addressLine1: string | null
  addressLine2: string | null
  town: string | null
  postcode: string | null
  phone: string | null
}

export type ContactCheck = { ok: true; value: SiteContactDetails } | { ok: false; errors: FieldError[] }

function blankToNull(raw: string | null | undefined): string | null {
  const value = (raw ?? '').trim().replace(/\s+/g, ' ')
  return value === '' ? null : value
}

/** Upper case with one space before the inward code: "cb11aa" becomes "CB1 1AA". */
export function normalisePostcode(raw: string): string {
  const compact = raw.replace(/\s+/g, '').toUpperCase()
  return compact.length > 3 ? `${compact.slice(0, -3)} ${compact.slice(-3)}` : compact
}

/**
 * A UK number as digits and single spaces starting 0, or undefined if it is not one. "+44 (0)1223 000000",
 * "0044 1223 000000" and "01223-000000" all become "01223 000000"; the operator's grouping is kept, and a number
 * typed without spaces is grouped the usual way (020 7946 0000, 0113 496 0000, 01632 960000, 07700 900000).
 */
export function normaliseUkPhone(raw: string): string | undefined {
  let text = raw.trim()
  if (!/^\+?[0-9\s\-().]+$/.test(text)) return undefined
  if (text.startsWith('+') || /^00\s*4\s*4/.test(text)) {
    const international = /^(?:\+|00)\s*4\s*4\s*(?:\(\s*0\s*\)|0)?\s*(.*)$/.exec(text)
    if (international === null) return undefined
    text = `0${international[1] ?? ''}`
  }
  const spaced = text
    .replace(/[-().]/g, ' ')
    .trim()
    .replace(/\s+/g, ' ')
  const digits = spaced.replace(/ /g, '')
  if (!/^0[1-9][0-9]{8,9}$/.test(digits)) return undefined
  return spaced.includes(' ') ? spaced : groupUkNumber(digits)
}

function groupUkNumber(digits: string): string {
  if (digits.length === 10) return `${digits.slice(0, 5)} ${digits.slice(5)}`
  // 020, 023, 024, 028, 029 and 03, 08: three, four, four.
  if (/^0(2|3|8)/.test(digits)) return `${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}`
  // The big cities: 0113, 0121 ... 0191.
  if (/^01(1[0-9]|[2-9]1)/.test(digits)) return `${digits.slice(0, 4)} ${digits.slice(4, 7)} ${digits.slice(7)}`
  return `${digits.slice(0, 5)} ${digits.slice(5)}`
}

function tooLong(
  errors: FieldError[],
  field: keyof SiteContactDetails,
  value: string | null,
  max: number,
  message: string,
): void {
  if (value !== null && value.length > max) errors.push({ field, message })
}

/**
 * Checks and normalises a site's contact details as a whole: each part on its own, then that an address given at
 * all has its first line and town (a reminder naming only a postcode would not get anyone there).
 */
export function checkSiteContact(input: {
  addressLine1?: string | null
  addressLine2?: string | null
  town?: string | null
  postcode?: string | null
  phone?: string | null
}): ContactCheck {
  const errors: FieldError[] = []
  const addressLine1 = blankToNull(input.addressLine1)
  const addressLine2 = blankToNull(input.addressLine2)
  const town = blankToNull(input.town)
  const rawPostcode = blankToNull(input.postcode)
  const rawPhone = blankToNull(input.phone)

  const anyAddress = [addressLine1, addressLine2, town, rawPostcode].some((part) => part !== null)
  if (anyAddress && addressLine1 === null) errors.push({ field: 'addressLine1', message: messages.addressLine1Missing })
  tooLong(errors, 'addressLine1', addressLine1, 100, messages.addressLine1TooLong)
  tooLong(errors, 'addressLine2', addressLine2, 100, messages.addressLine2TooLong)
  if (anyAddress && town === null) errors.push({ field: 'town', message: messages.townMissing })
  tooLong(errors, 'town', town, 60, messages.townTooLong)

  let postcode: string | null = null
  if (rawPostcode !== null) {
    postcode = normalisePostcode(rawPostcode)
    if (!POSTCODE_PATTERN.test(postcode)) errors.push({ field: 'postcode', message: messages.postcodeInvalid })
  }
  let phone: string | null = null
  if (rawPhone !== null) {
    phone = normaliseUkPhone(rawPhone) ?? null
    if (phone === null || phone.length > 20) errors.push({ field: 'phone', message: messages.phoneInvalid })
  }
  if (errors.length > 0) return { ok: false, errors }
  return { ok: true, value: { addressLine1, addressLine2, town, postcode, phone } }
}

/** The address on one line, for a text message: "12 High Street, Cambridge CB1 1AA"; null when there is none. */
export function oneLineAddress(parts: Omit<SiteContactDetails, 'phone'>): string | null {
  const present = (value: string | null): value is string => value !== null && value.trim() !== ''
  const last = [parts.town, parts.postcode].filter(present).join(' ')
  const line = [parts.addressLine1, parts.addressLine2, last].filter(present).join(', ')
  return line === '' ? null : line
}

/** Checks a new site's code, name and region; returns them trimmed, or the errors. */
export function checkNewSite(input: {
  code: string
  name: string
  region: string
}): { ok: true; value: { code: string; name: string; region: string } } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = []
  const code = input.code.trim()
  const name = input.name.trim().replace(/\s+/g, ' ')
  const region = input.region.trim().replace(/\s+/g, ' ')
  if (!SITE_CODE_PATTERN.test(code)) errors.push({ field: 'code', message: messages.codeFormat })
  if (name === '') errors.push({ field: 'name', message: messages.nameMissing })
  else if (name.length > 100) errors.push({ field: 'name', message: messages.nameTooLong })
  if (region === '') errors.push({ field: 'region', message: messages.regionMissing })
  else if (region.length > 100) errors.push({ field: 'region', message: messages.regionTooLong })
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: { code, name, region } }
}
