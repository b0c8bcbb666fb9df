/**
 * Checkpoints of the audit chain's head: (seq, hash), with a keyed MAC, kept in the database and appended to a file
 * outside it. Someone who can rewrite the database (a superuser with the append-only trigger disabled) can delete
 * the newest events and the newest checkpoint rows, but cannot forge a MAC without the key, which the service holds
 * outside the database, nor remove the lines from the file: the next verification finds a checkpoint beyond the
 * chain's end and reports the truncation (ADR 0009).
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

export interface Checkpoint {
  seq: number
  headHash: string
  createdAt: Date
  mac: string
}

/** The key used when none is configured: development and tests only (production derives one from its secret). */
export const DEVELOPMENT_CHECKPOINT_KEY = 'probation-health-hub development audit checkpoint key'

/** The checkpoint key derived from the session secret (HKDF-SHA256), when no key of its own is configured. */
export function auditKeyFromSessionSecret(sessionSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', sessionSecret, 'probation-health-hub', 'audit checkpoints', 32))
}

export function checkpointMac(key: string | Buffer, seq: number, headHash: string, createdAt: Date): string {
  return createHmac('sha256', key)
    .update(`${String(seq)}\n${headHash}\n${createdAt.toISOString()}`)
    .digest('hex')
}

/** The MAC of "this checkpoint was verified at": kept with it, so the mark cannot be set by hand. */
export function verifiedMac(key: string | Buffer, seq: number, headHash: string, verifiedAt: Date): string {
  return createHmac('sha256', key)
    .update(`verified\n${String(seq)}\n${headHash}\n${verifiedAt.toISOString()}`)
    .digest('hex')
}

export function verifiedMacIsValid(
  key: string | Buffer,
  seq: number,
  headHash: string,
  verifiedAt: Date,
  mac: string,
): boolean {
  return sameHex(verifiedMac(key, seq, headHash, verifiedAt), mac)
}

function sameHex(expectedHex: string, givenHex: string): boolean {
  const expected = Buffer.from(expectedHex, 'hex')
  const given = Buffer.from(givenHex, 'hex')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

export function macIsValid(key: string | Buffer, checkpoint: Checkpoint): boolean {
  return sameHex(checkpointMac(key, checkpoint.seq, checkpoint.headHash, checkpoint.createdAt), checkpoint.mac)
}

/** Appends one line; the folder is made if missing. Synchronous, so a line is on disk before the call returns. */
export function appendCheckpointLine(file: string, checkpoint: Checkpoint): void {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const line = JSON.stringify({
    seq: checkpoint.seq,
    headHash: checkpoint.headHash,
    createdAt: checkpoint.createdAt.toISOString(),
    mac: checkpoint.mac,
  })
  fs.appendFileSync(file, `${line}\n`, { mode: 0o600 })
}

export type FileCheckpoints = { ok: true; checkpoints: Checkpoint[] } | { ok: false; line: number; problem: string }

/** Every checkpoint in the file, in order; a line that is not a well-formed checkpoint is reported by number. */
/** How much of the file's end the quick check reads: far more than the checkpoints since its last run. */
const TAIL_BYTES = 1024 * 1024

/**
 * The checkpoints in the file, in order; a line that is not a well-formed checkpoint is reported by number. With
 * `after`, only the file's end is read (its lines are in seq order, newest last), enough to hold every checkpoint
 * after that position; if the end read does not reach back that far, the whole file is read.
 */
export function readCheckpointFile(file: string, options: { after?: number } = {}): FileCheckpoints {
  if (!fs.existsSync(file)) return { ok: true, checkpoints: [] }
  const size = fs.statSync(file).size
  if (options.after !== undefined && size > TAIL_BYTES) {
    const handle = fs.openSync(file, 'r')
    try {
      const buffer = Buffer.alloc(TAIL_BYTES)
      fs.readSync(handle, buffer, 0, TAIL_BYTES, size - TAIL_BYTES)
      const text = buffer.toString('utf8')
      // The first line read is probably cut: start after it.
      const tail = parseLines(text.slice(text.indexOf('\n') + 1), 0)
      if (tail.ok && tail.checkpoints.some((c) => c.seq <= (options.after ?? 0))) return tail
    } finally {
      fs.closeSync(handle)
    }
  }
  return parseLines(fs.readFileSync(file, 'utf8'), 0)
}

function parseLines(text: string, firstLine: number): FileCheckpoints {
  const lines = text.split('\n')
  const checkpoints: Checkpoint[] = []
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue
    try {
      const value = JSON.parse(line) as Record<string, unknown>
      const { seq, headHash, createdAt, mac } = value
      if (
        typeof seq !== 'number' ||
        !Number.isSafeInteger(seq) ||
        seq < 1 ||
        typeof headHash !== 'string' ||
        typeof createdAt !== 'string' ||
        typeof mac !== 'string' ||
        Number.isNaN(Date.parse(createdAt))
      ) {
        return { ok: false, line: firstLine + index + 1, problem: 'is not a checkpoint' }
      }
      checkpoints.push({ seq, headHash, createdAt: new Date(createdAt), mac })
    } catch {
      return { ok: false, line: firstLine + index + 1, problem: 'is not JSON' }
    }
  }
  return { ok: true, checkpoints }
}
