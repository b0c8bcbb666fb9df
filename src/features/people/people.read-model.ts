/**
 * What the person page shows at a glance from other features' tables (warning_flag, need, consent_decision,
 * appointment): it reads, and never writes, them. One query per section, whatever the number of rows. The people
 * feature sits below every feature that keeps part of the record, so it reads their tables here rather than
 * importing them (which would make a circle).
 *
 * Who sees what follows the features that own each part (hazard log H-709): warning flags and needs in the
 * health team's words are clinical, for clinical roles only; a probation practitioner sees the person's consent
 * decisions, and of their health only what the health summary shares, while the person agrees to share it (the
 * summary's rule: the decision in force on share-summary-with-probation is "given"): needs confirmed by a clinician,
 * one per kind, and the next appointment. Without that agreement nothing of their needs is even read, and only
 * joint appointments (which probation runs, and always sees on the appointments page) count as the next one.
 */
import type { Executor } from '../../platform/db/executor.ts'
import type { DB } from '../../platform/db/schema.ts'
import { clinicalRoles, hasRole, type Principal } from '../../platform/http/auth.ts'

/** The consent topic whose "given" lets probation see the health summary (the summary feature's rule). */
export const PROBATION_SHARING_TOPIC = 'share-summary-with-probation'

export type NeedCategory = DB['need']['category']
export type AppointmentKind = DB['appointment']['kind']

export interface OpenFlag {
  id: string
  message: string
  raisedAt: Date
  respondBy: Date
}

export interface OpenNeed {
  id: string
  category: NeedCategory
  status: 'proposed' | 'confirmed'
  identifiedOn: string
}

export interface ConsentInForce {
  topic: string
  organisationId: string | null
  organisationName: string | null
  decision: string
  decidedOn: string
}

export interface NextAppointment {
  id: string
  startsAt: Date
  kind: AppointmentKind
  location: string | null
  siteName: string
}

export interface PersonOverview {
  viewer: 'health-team' | 'probation'
  /** For probation: whether the person agrees to share the health summary with them. Always true for the health team. */
  sharedWithProbation: boolean
  /** Undefined when the viewer may not see them (never read). */
  flags: OpenFlag[] | undefined
  needs: OpenNeed[] | undefined
  consent: ConsentInForce[]
  nextAppointment: NextAppointment | undefined
}

/** Warning flags still awaiting a clinician's response, the most urgent first. */
export async function listOpenFlags(db: Executor, personId: string): Promise<OpenFlag[]> {
  return db
    .selectFrom('warning_flag')
    .select(['id', 'message', 'raised_at as raisedAt', 'respond_by as respondBy'])
    .where('person_id', '=', personId)
    .where('status', '=', 'awaiting-response')
    .orderBy('respond_by')
    .orderBy('id')
    .execute()
}

/** Needs not dismissed (proposed ones waiting for a decision, and confirmed ones), or only the confirmed. Oldest first. */
export async function listOpenNeeds(
  db: Executor,
  personId: string,
  statuses: readonly OpenNeed['status'][],
): Promise<OpenNeed[]> {
  const rows = await db
    .selectFrom('need')
    .select(['id', 'category', 'status', 'identified_on as identifiedOn'])
    .where('person_id', '=', personId)
    .where('status', 'in', [...statuses])
    .orderBy('identified_on')
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  return rows.flatMap((r) => (r.status === 'dismissed' ? [] : [{ ...r, status: r.status }]))
}

/** The decision in force on each topic (per organisation for a partner), with the organisation's name. */
export async function listConsentInForce(db: Executor, personId: string): Promise<ConsentInForce[]> {
  return db
    .selectFrom('consent_decision')
    .leftJoin('organisation', 'organisation.id', 'consent_decision.organisation_id')
    .distinctOn(['consent_decision.topic', 'consent_decision.organisation_id'])
    .select([
      'consent_decision.topic',
      'consent_decision.organisation_id as organisationId',
      'organisation.name as organisationName',
      'consent_decision.decision',
      'consent_decision.decided_on as decidedOn',
    ])
    .where('consent_decision.person_id', '=', personId)
    .orderBy('consent_decision.topic')
    .orderBy('consent_decision.organisation_id')
    .orderBy('consent_decision.recorded_at', 'desc')
    .orderBy('consent_decision.id', 'desc')
    .execute()
}

/** The person's next booked appointment starting after `after`, of the kinds given, with its place. */
export async function findNextAppointment(
  db: Executor,
  personId: string,
  after: Date,
  kinds: readonly AppointmentKind[],
): Promise<NextAppointment | undefined> {
  return db
    .selectFrom('appointment')
    .innerJoin('site', 'site.id', 'appointment.site_id')
    .select([
      'appointment.id',
      'appointment.starts_at as startsAt',
      'appointment.kind',
      'appointment.location',
      'site.name as siteName',
    ])
    .where('appointment.person_id', '=', personId)
    .where('appointment.status', '=', 'booked')
    .where('appointment.kind', 'in', [...kinds])
    .where('appointment.starts_at', '>', after)
    .orderBy('appointment.starts_at')
    .orderBy('appointment.id')
    .limit(1)
    .executeTakeFirst()
}

/** One confirmed need per kind, with the date it was first identified (as the health summary shows them). */
function onePerCategory(needs: readonly OpenNeed[]): OpenNeed[] {
  const seen = new Set<NeedCategory>()
  return needs.filter((n) => (seen.has(n.category) ? false : (seen.add(n.category), true)))
}

/** Everything the person page shows at a glance, as the principal may see it. Read in the person's audited read. */
export async function readPersonOverview(
  db: Executor,
  personId: string,
  principal: Principal,
  now: Date,
): Promise<PersonOverview> {
  const consent = await listConsentInForce(db, personId)
  if (hasRole(principal, clinicalRoles)) {
    return {
      viewer: 'health-team',
      sharedWithProbation: true,
      flags: await listOpenFlags(db, personId),
      needs: await listOpenNeeds(db, personId, ['proposed', 'confirmed']),
      consent,
      nextAppointment: await findNextAppointment(db, personId, now, ['joint', 'clinic']),
    }
  }
  const shared = consent.some(
    (c) => c.topic === PROBATION_SHARING_TOPIC && c.organisationId === null && c.decision === 'given',
  )
  return {
    viewer: 'probation',
    sharedWithProbation: shared,
    flags: undefined,
    needs: shared ? onePerCategory(await listOpenNeeds(db, personId, ['confirmed'])) : undefined,
    consent,
    nextAppointment: await findNextAppointment(db, personId, now, shared ? ['joint', 'clinic'] : ['joint']),
  }
}
