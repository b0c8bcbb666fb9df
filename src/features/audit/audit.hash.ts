import { createHash } from 'node:crypto'

export const GENESIS_HASH = '0'.repeat(64)

/** JSON with object keys sorted at every level, so the same event always hashes the same (jsonb reorders keys). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return value === undefined ? 'null' : JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

export interface HashedFields {
  occurredAt: Date
  actorId: string | null
  actorRole: string | null
  action: string
  entityType: string
  entityId: string | null
  personId: string | null
  siteId: string | null
  requestId: string | null
  details: Record<string, unknown>
}

/** Each event's hash covers its content and the previous event's hash: changing or removing one breaks the chain. */
export function eventHash(prevHash: string, fields: HashedFields): string {
  const body = canonicalJson({ ...fields, occurredAt: fields.occurredAt.toISOString() })
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex')
}
