import type { Kysely } from 'kysely'
import type { AuditService } from '../../platform/audit/audit.service.ts'
import type { DB } from '../../platform/db/schema.ts'
import { clinicalRoles, principalWithRole, type ActorContext } from '../../platform/http/auth.ts'
import type { HealthCheck, HealthChecksService, WarningFlag } from '../health-checks/index.ts'
import type { Need, NeedEvent, NeedsService } from '../needs/index.ts'
import type { PersonRecord, PersonRecords } from '../people/index.ts'
import type { PersonReferralEvent, ReferralsService } from '../referrals/index.ts'
import * as read from './timeline.read-model.ts'

export const clinicalTimelineKinds = [
  'health-checks',
  'warning-flags',
  'needs',
  'referrals',
  'consent',
  'gp-registration',
  'screening',
] as const
export type ClinicalTimelineKind = (typeof clinicalTimelineKinds)[number]

export interface ClinicalTimeline {
  person: PersonRecord
  checks: HealthCheck[]
  flags: WarningFlag[]
  needs: Need[]
  needEvents: Map<string, NeedEvent[]>
  referralEvents: PersonReferralEvent[]
  consentEvents: read.ConsentEvent[]
  gpRegistrationEvents: read.GpRegistrationEvent[]
  screeningEvents: read.ScreeningTimelineEvent[]
}

export type TimelineService = ReturnType<typeof createTimelineService>

/**
 * A person's timeline: the clinical events of several features read together in one transaction, through each
 * feature's service, and audited here as one list per kind read.
 */
export function createTimelineService(deps: {
  db: Kysely<DB>
  audit: AuditService
  people: PersonRecords
  healthChecks: Pick<HealthChecksService, 'checksOfPerson' | 'flagsOfPerson'>
  needs: Pick<NeedsService, 'needsWithHistory'>
  referrals: Pick<ReferralsService, 'eventsForPerson'>
}) {
  const { db, audit, people, healthChecks, needs, referrals } = deps

  /**
   * Checks, flags, needs (with their decisions), referral events, consent decisions, GP registration statuses and
   * screening events for a person's timeline (clinical roles only, H-312), each kind read only when asked for and
   * audited as one list.
   */
  async function clinicalTimeline(
    personId: string,
    actor: ActorContext,
    include: Readonly<Record<ClinicalTimelineKind, boolean>> = {
      'health-checks': true,
      'warning-flags': true,
      needs: true,
      referrals: true,
      consent: true,
      'gp-registration': true,
      screening: true,
    },
  ): Promise<ClinicalTimeline> {
    const principal = principalWithRole(actor, clinicalRoles)
    return db.transaction().execute(async (tx) => {
      const person = await people.loadRecord(tx, personId, principal)
      const out: ClinicalTimeline = {
        person,
        checks: [],
        flags: [],
        needs: [],
        needEvents: new Map(),
        referralEvents: [],
        consentEvents: [],
        gpRegistrationEvents: [],
        screeningEvents: [],
      }
      const listed: string[] = []
      if (include['health-checks']) {
        out.checks = await healthChecks.checksOfPerson(tx, person.id)
        listed.push('health_check')
      }
      if (include['warning-flags']) {
        out.flags = await healthChecks.flagsOfPerson(tx, person.id)
        listed.push('warning_flag')
      }
      if (include.needs) {
        const { needs: list, events } = await needs.needsWithHistory(tx, person.id)
        out.needs = list
        out.needEvents = events
        listed.push('need')
      }
      if (include.referrals) {
        out.referralEvents = await referrals.eventsForPerson(tx, person.id)
        listed.push('referral')
      }
      if (include.consent) {
        out.consentEvents = await read.consentEventsOf(tx, person.id)
        listed.push('consent')
      }
      if (include['gp-registration']) {
        out.gpRegistrationEvents = await read.gpRegistrationEventsOf(tx, person.id)
        listed.push('gp_registration')
      }
      if (include.screening) {
        out.screeningEvents = await read.screeningEventsOf(tx, person.id)
        listed.push('screening_event')
      }
      for (const entityType of listed) {
        await audit.record(tx, actor, {
          action: 'list',
          entityType,
          personId: person.id,
          siteId: person.siteId,
          details: { channel: 'page', purpose: 'timeline' },
        })
      }
      return out
    })
  }

  return { clinicalTimeline }
}
