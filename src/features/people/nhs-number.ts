/**
 * NHS number checks (domain reference §3): 10 digits, modulus 11 check digit, with the numbers that pass the
 * checksum but are not England or Wales NHS numbers refused explicitly.
 */

export type NhsNumberProblem =
  'format' | 'repeated-digits' | 'checksum' | 'scottish-chi' | 'northern-ireland' | 'test-range'

/** Digits only: people type NHS numbers with spaces (943 476 5919) or hyphens. */
export function normaliseNhsNumber(raw: string): string {
  return raw.replace(/[\s-]/g, '')
}

/** The check digit for the first nine digits, or undefined when the remainder gives 10 (no valid number). */
export function nhsCheckDigit(firstNine: string): number | undefined {
  let sum = 0
  for (let i = 0; i < 9; i++) sum += Number(firstNine.charAt(i)) * (10 - i)
  const result = 11 - (sum % 11)
  if (result === 11) return 0
  if (result === 10) return undefined
  return result
}

// Inclusive ranges, compared as 10-digit strings (same length, so string order is numeric order).
const SCOTTISH_CHI = { from: '0101000000', to: '3112999999' }
const NORTHERN_IRELAND = { from: '3200000001', to: '3999999999' }
/** Passes the checksum and is never issued: for test and demo data only. */
const TEST_RANGE = { from: '9990000000', to: '9999999999' }

const inRange = (value: string, range: { from: string; to: string }) => value >= range.from && value <= range.to

/**
 * Why a typed NHS number is not a usable England or Wales NHS number, or undefined when it is. Numbers in the test
 * range are refused only when asked (in production); tests and the demo use them.
 */
export function nhsNumberProblem(
  raw: string,
  options: { refuseTestRange?: boolean } = {},
): NhsNumberProblem | undefined {
  const digits = normaliseNhsNumber(raw)
  if (!/^\d{10}$/.test(digits)) return 'format'
  // Every repeated-digit number passes the checksum, so it must be refused on its own.
  if (/^(\d)\1{9}$/.test(digits)) return 'repeated-digits'
  const check = nhsCheckDigit(digits.slice(0, 9))
  if (check === undefined || check !== Number(digits.charAt(9))) return 'checksum'
  if (inRange(digits, SCOTTISH_CHI)) return 'scottish-chi'
  if (inRange(digits, NORTHERN_IRELAND)) return 'northern-ireland'
  if (options.refuseTestRange === true && inRange(digits, TEST_RANGE)) return 'test-range'
  return undefined
}
