import { roleLabel } from '../staff/index.ts'
import type { AuditEvent } from './audit-log.read-model.ts'

export function actorText(event: AuditEvent): { name: string; role: string } {
  const role = event.actorRole === null ? '' : roleLabel(event.actorRole)
  if (event.actorId === null) {
    return { name: event.requestId?.startsWith('cli:') === true ? 'Command line' : 'Not signed in', role }
  }
  return { name: event.actorName ?? 'Deleted user', role }
}

export function eventRow(event: AuditEvent) {
  return {
    id: event.id,
    occurredAt: event.occurredAt,
    actor: actorText(event),
    actorEmail: event.actorEmail,
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId,
    personId: event.personId,
    requestId: event.requestId,
  }
}
