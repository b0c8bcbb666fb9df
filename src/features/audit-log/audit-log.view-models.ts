import { roleLabel } from '../staff/index.ts'
import { fullName } from '../../platform/views/person-header.ts'
import type { AuditEvent, PersonIdentity } from './audit-log.read-model.ts'
import { auditPaths } from './audit-log.paths.ts'

export function actorText(event: AuditEvent): { name: string; role: string } {
  const role = event.actorRole === null ? '' : roleLabel(event.actorRole)
  if (event.actorId === null) {
    return { name: event.requestId?.startsWith('cli:') === true ? 'Command line' : 'Not signed in', role }
  }
  return { name: event.actorName ?? 'Deleted user', role }
}

/**
 * The person column of the auditor's log: name and CRN, linking to the log filtered to them. Identity only: an
 * auditor never sees the record itself. An event about a person no longer on the hub shows their id.
 */
function personCell(event: AuditEvent) {
  if (event.personId === null) return undefined
  return {
    name: event.person === null ? undefined : fullName(event.person),
    crn: event.person?.crn,
    id: event.personId,
    href: auditPaths.older(new URLSearchParams({ personId: event.personId }).toString()),
  }
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
    person: personCell(event),
    requestId: event.requestId,
  }
}

/** A person found by an auditor's search, as the list to choose from shows them. */
export function matchRow(person: PersonIdentity) {
  return {
    name: fullName(person),
    crn: person.crn,
    dateOfBirth: person.dateOfBirth,
    siteName: person.siteName,
    href: auditPaths.older(new URLSearchParams({ personId: person.id }).toString()),
  }
}

/** What each kind of record is called in a sentence: one of them, and a list of them. */
const entityWords: Readonly<Record<string, { one: string; many: string }>> = {
  person: { one: 'personal details', many: 'personal details' },
  appointment: { one: 'appointment', many: 'appointments' },
  health_check: { one: 'health check', many: 'health checks' },
  warning_flag: { one: 'warning sign', many: 'warning signs' },
  need: { one: 'need', many: 'needs' },
  referral: { one: 'referral', many: 'referrals' },
  screening: { one: 'screening', many: 'screening' },
  screening_event: { one: 'screening record', many: 'screening records' },
  gp_registration: { one: 'GP registration', many: 'GP registration' },
  treatment_requirement: { one: 'treatment requirement', many: 'treatment requirements' },
  follow_up: { one: 'follow-up', many: 'follow-ups' },
  consent: { one: 'consent decision', many: 'consent decisions' },
}

const actionVerbs: Readonly<Record<string, string>> = {
  view: 'Viewed',
  list: 'Viewed',
  create: 'Added',
  update: 'Changed',
  export: 'Exported',
}

/**
 * An audit event in plain words for the person's clinicians: "Viewed health check", "Changed appointment",
 * "Viewed needs". Kinds of record this list does not know read from their table name ("Viewed care plan").
 */
export function describeEvent(event: Pick<AuditEvent, 'action' | 'entityType' | 'details'>): string {
  if (event.entityType === 'audit_log') return 'Viewed who has viewed this record'
  if (event.entityType === 'person' && event.action === 'create') return 'Added the person to the hub'
  const known = entityWords[event.entityType]
  const fallback = event.entityType.replaceAll('_', ' ')
  const noun = known === undefined ? fallback : event.action === 'list' ? known.many : known.one
  const verb = actionVerbs[event.action]
  if (verb === undefined) return `${event.action.charAt(0).toUpperCase()}${event.action.slice(1)} ${noun}`
  return `${verb} ${noun}`
}

/** A row of "Who has viewed this record": when, who (and in what role), and what, in plain words. */
export function recordViewRow(event: AuditEvent) {
  const actor = actorText(event)
  return {
    occurredAt: event.occurredAt,
    who: actor.name,
    role: actor.role,
    what: describeEvent(event),
    channel: event.details['channel'] === 'api' ? 'Through the API' : undefined,
  }
}
