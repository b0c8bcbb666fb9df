import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import { readFileSync } from 'node:fs'

/** scrypt cost. OWASP's recommendation for scrypt is N=2^17, r=8, p=1. Tests pass a lower cost. */
export interface PasswordCost {
  readonly N: number
  readonly r: number
  readonly p: number
}

export const PRODUCTION_PASSWORD_COST: PasswordCost = { N: 2 ** 17, r: 8, p: 1 }
export const TEST_PASSWORD_COST: PasswordCost = { N: 2 ** 10, r: 8, p: 1 }
const KEY_LENGTH = 32

function derive(password: string, salt: Buffer, cost: PasswordCost): Promise<Buffer> {
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r + 1024 * 1024 }
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => {
      if (error) reject(error)
      else resolve(key)
    })
  })
}

/** Stored as `scrypt$N$r$p$salt$key` (base64url), so the cost can be raised later without breaking old hashes. */
export async function hashPassword(password: string, cost: PasswordCost = PRODUCTION_PASSWORD_COST): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, cost)
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$')
  if (
    scheme !== 'scrypt' ||
    n === undefined ||
    r === undefined ||
    p === undefined ||
    salt === undefined ||
    key === undefined
  ) {
    return false
  }
  const expected = Buffer.from(key, 'base64url')
  const actual = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) })
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}

/** A hash that never matches, checked when the email is unknown so response times do not reveal which emails exist. */
let dummyHash: Promise<string> | undefined
export function dummyPasswordHash(cost: PasswordCost): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'), cost)
  return dummyHash
}

/**
 * The NCSC advises blocking the most commonly used passwords. The list and its source: common-passwords/README.md.
 * Read on first use (not at import) and kept: it is the same fixed data for every caller.
 */
let commonPasswords: ReadonlySet<string> | undefined
function isCommonPassword(password: string): boolean {
  commonPasswords ??= new Set(
    readFileSync(new URL('./common-passwords/common-passwords.txt', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.toLowerCase()),
  )
  return commonPasswords.has(password.toLowerCase())
}

/** Password policy (NCSC): length over complexity, and none of the most common passwords. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < 12) return 'Password must be 12 characters or more'
  if (password.length > 256) return 'Password must be 256 characters or fewer'
  if (isCommonPassword(password)) {
    return 'Choose a password that is harder to guess: this one is on a list of common passwords'
  }
  return undefined
}
