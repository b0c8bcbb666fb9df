import { PreconditionRequiredError } from './errors.ts'

/**
 * Reads If-Match for an update. Only a single ETag as this service issues it, W/"x" (or "x"), is accepted: a wildcard
 * or a list would let a client overwrite changes it has not seen, so they are refused like a missing header (428).
 * `lastRead` completes the message, e.g. "GET of this person, like W/\"3\"".
 */
function ifMatchValue(header: string | undefined, pattern: string, lastRead: string): string {
  const match = new RegExp(`^(?:W/)?"(${pattern})"$`).exec((header ?? '').trim())
  if (match?.[1] === undefined) {
    throw new PreconditionRequiredError(
      `Send an If-Match header with the ETag from your last ${lastRead}. A wildcard (*) is not accepted.`,
    )
  }
  return match[1]
}

/** The largest version a client can name (If-Match carries at most nine digits); schemas bound version fields by it. */
export const MAX_VERSION = 999_999_999

/** The version number named by If-Match, for records whose ETag is their version. */
export function versionFromIfMatch(header: string | undefined, lastRead: string): number {
  return Number(ifMatchValue(header, '\\d{1,9}', lastRead))
}

/** The weak ETag named by If-Match, for records whose ETag marks their latest change (digits and hyphens). */
export function etagFromIfMatch(header: string | undefined, lastRead: string): string {
  return `W/"${ifMatchValue(header, '[0-9-]{1,40}', lastRead)}"`
}
