import { createHash } from 'node:crypto'
import { canonicalJson } from '../db/canonical-json.ts'

export { canonicalJson }

export const GENESIS_HASH = '0'.repeat(64)

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
