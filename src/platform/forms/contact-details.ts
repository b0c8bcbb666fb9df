/**
 * Mobile numbers and email addresses checked to the rules GOV.UK Notify applies when it is asked to send to them
 * (notifications-utils `recipient_validation`: `validate_phone_number`, `validate_email_address`), so an address the
 * service accepts is one Notify will not refuse with a 400 ValidationError when a reminder is sent. The wording is
 * Notify's own where it is plain, GOV.UK Design System style otherwise.
 */
import { domainToASCII } from 'node:url'

export type ContactCheck =
  { readonly ok: true; readonly value: string } | { readonly ok: false; readonly message: string }

export const contactMessages = {
  phoneCharacters: 'Mobile number can only include numbers 0 to 9, spaces, brackets, dashes and +',
  phoneTooLong: 'Mobile number is too long',
  phoneTooShort: 'Mobile number is too short',
  phoneNotUkMobile:
    'This is not a UK mobile number. Enter a mobile number, like 07700 900 982, so reminders can be sent by text message',
  phoneCountryCode: 'Enter the country code after the +, like +33 for France, or enter a UK mobile number',
  emailFormat: 'Enter an email address in the correct format, like name@example.com',
} as const

/** Characters Notify treats as whitespace beyond JavaScript's `\s`: they arrive pasted from documents and emails. */
const OBSCURE_WHITESPACE = /\u180E|\u200B|\u200C|\u200D|\u2060|\uFEFF/g

/** What people write between the digits: spaces, brackets, dashes and dots. */
const SEPARATORS = /[\s()\-.]/g

/** The digits and any leading +, without separators or invisible characters: "+44 (0)7700-900 982" -> "+4407700900982". */
export function normalisePhone(text: string): string {
  return text.replace(OBSCURE_WHITESPACE, '').replace(SEPARATORS, '')
}

const UK_MOBILE_DIGITS = 10 // after the leading 0: 7 and nine more
const INTERNATIONAL_MIN = 8
const INTERNATIONAL_MAX = 15 // E.164

/**
 * A UK mobile number as "07700900982", or an international number as "+<digits>". UK numbers may be written with
 * +44, 0044, 44 or 0 in front (and "(0)" after the 44); a number starting + or 00 with any other country code is
 * international and needs 8 to 15 digits. Landlines and other UK non-mobile numbers are refused: a text message
 * cannot reach them.
 */
export function validatePhone(text: string): ContactCheck {
  const compact = normalisePhone(text)
  if (!/^\+?\d*$/.test(compact)) return { ok: false, message: contactMessages.phoneCharacters }
  const international = compact.startsWith('+') || compact.startsWith('00')
  const digits = compact.replace(/^\+/, '').replace(/^00/, '')
  if (international && !digits.startsWith('44')) {
    if (digits.length < INTERNATIONAL_MIN) return { ok: false, message: contactMessages.phoneTooShort }
    if (digits.length > INTERNATIONAL_MAX) return { ok: false, message: contactMessages.phoneTooLong }
    // No country calling code starts with 0: "+07700 900982" is a UK number with a stray +.
    if (digits.startsWith('0')) return { ok: false, message: contactMessages.phoneCountryCode }
    return { ok: true, value: `+${digits}` }
  }
  // The national number without its trunk 0: "447700900982", "4407700900982", "07700900982" and (as Notify
  // reads it) "7700900982" all become "7700900982".
  let national = digits
  if (international || (national.startsWith('44') && national.length > UK_MOBILE_DIGITS)) national = national.slice(2)
  if (national.startsWith('0')) national = national.slice(1)
  if (national === '') return { ok: false, message: contactMessages.phoneTooShort }
  if (!national.startsWith('7')) return { ok: false, message: contactMessages.phoneNotUkMobile }
  if (national.length > UK_MOBILE_DIGITS) return { ok: false, message: contactMessages.phoneTooLong }
  if (national.length < UK_MOBILE_DIGITS) return { ok: false, message: contactMessages.phoneTooShort }
  return { ok: true, value: `0${national}` }
}

const EMAIL_MAX = 320
const HOSTNAME_MAX = 253
const LOCAL_PART = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+$/
// Letters and digits, joined by single or double hyphens ("xn--" punycode): never a hyphen at either end.
const HOSTNAME_PART = /^(xn|[a-z0-9]+)(-?-[a-z0-9]+)*$/i
// Notify's top-level domain: 2 to 63 letters, or an internationalised one in punycode. Never all digits.
const TLD = /^([a-z]{2,63}|xn--([a-z0-9]+-)*[a-z0-9]+)$/i

/**
 * The address trimmed, if Notify would send to it. The domain may be internationalised ("例え.jp"): it is checked
 * as its ASCII (punycode) form, but kept as written.
 */
export function validateEmail(text: string): ContactCheck {
  const refused = { ok: false, message: contactMessages.emailFormat } as const
  const address = text.replace(OBSCURE_WHITESPACE, '').trim()
  if (address.length > EMAIL_MAX || address.includes('..')) return refused
  const at = address.lastIndexOf('@')
  if (at <= 0) return refused
  const local = address.slice(0, at)
  const domain = address.slice(at + 1)
  if (!LOCAL_PART.test(local) || local.startsWith('.') || local.endsWith('.')) return refused
  if (domain === '' || /[\s@]/.test(domain) || domain.startsWith('.')) return refused
  const ascii = /^[\x20-\x7e]*$/.test(domain) ? domain.toLowerCase() : domainToASCII(domain)
  if (ascii === '' || ascii.length > HOSTNAME_MAX) return refused
  const parts = ascii.split('.')
  if (parts.length < 2) return refused
  if (!parts.every((part) => part.length >= 1 && part.length <= 63 && HOSTNAME_PART.test(part))) return refused
  if (!TLD.test(parts.at(-1) ?? '')) return refused
  return { ok: true, value: address }
}
