/**
 * Disclosure control: the one place every statistic shown or exported passes through (domain reference §6, the NHS
 * England method for HES and ECDS, also used by OpenSAFELY). Below national level a count of 1 to 7 is suppressed
 * and any other count is rounded to the nearest 5; a rate, median or mean based on 1 to 7 people is suppressed. At
 * national level nothing is controlled. Rates are worked out from the unrounded counts, and shown only where their
 * denominator is shown and their numerator is not suppressed (a rate beside its denominator would give a suppressed
 * numerator away).
 */

/** The largest count that is suppressed below national level. */
export const SMALLEST_SHOWN = 8
/** Counts below national level are rounded to a multiple of this. */
export const ROUND_TO = 5

export type Level = 'national' | 'sub-national'

export interface Controlled<T> {
  /** The figure to show, or null where it is suppressed. */
  value: T | null
  suppressed: boolean
}

const isSmall = (n: number) => n >= 1 && n < SMALLEST_SHOWN

function assertCount(n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`A count is a whole number, 0 or more: ${String(n)}`)
}

/** A count as it may be shown: suppressed at 1 to 7, otherwise rounded to the nearest 5, below national level. */
export function controlCount(n: number, level: Level): Controlled<number> {
  assertCount(n)
  if (level === 'national') return { value: n, suppressed: false }
  if (isSmall(n)) return { value: null, suppressed: true }
  return { value: Math.round(n / ROUND_TO) * ROUND_TO, suppressed: false }
}

/**
 * A proportion, numerator over denominator, from the unrounded counts. Suppressed below national level when the
 * denominator is 1 to 7 (a rate based on 1 to 7 people) or the numerator is suppressed; null (not suppressed) when
 * the denominator is 0, as there is nothing to divide.
 */
export function controlRate(numerator: number, denominator: number, level: Level): Controlled<number> {
  assertCount(numerator)
  assertCount(denominator)
  if (numerator > denominator) throw new RangeError('A numerator cannot be larger than its denominator')
  if (denominator === 0) return { value: null, suppressed: false }
  if (level === 'sub-national' && (isSmall(denominator) || isSmall(numerator))) {
    return { value: null, suppressed: true }
  }
  return { value: numerator / denominator, suppressed: false }
}

/** A median, mean or other summary of `n` people: suppressed when based on 1 to 7 people below national level. */
export function controlSummary(value: number | null, n: number, level: Level): Controlled<number> {
  assertCount(n)
  if (n === 0 || value === null) return { value: null, suppressed: false }
  if (level === 'sub-national' && isSmall(n)) return { value: null, suppressed: true }
  return { value, suppressed: false }
}
