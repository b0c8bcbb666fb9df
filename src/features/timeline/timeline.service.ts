import type { Kysely } from 'kysely'
import type { AuditService } from '../../platform/audit/audit.service.ts'
import type { DB } from '../../platform/db/schema.ts'
import { clinicalRoles, principalWithRole, type ActorContext } from '../../platform/http/auth.ts'
import type { HealthCheck, HealthChecksService, WarningFlag } from '../health-checks/index.ts'
import type { Need, NeedEvent, NeedsService } from '../needs/index.ts'
import type { PersonRecord, PersonRecords } from '../people/index.ts'
import type { PersonReferralEvent, ReferralsService } from '../referrals/index.ts'

export const clinicalTimelineKinds = ['health-checks', 'warning-flags', 'needs', 'referrals'] as const
export type ClinicalTimelineKind = (typeof clinicalTimelineKinds)[number]

export interface ClinicalTimeline {
  person: PersonRecord
  checks: HealthCheck[]
  flags: WarningFlag[]
  needs: Need[]
  needEvents: Map<string, NeedEvent[]>
  referralEvents: PersonReferralEvent[]
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
   * Checks, flags, needs (with their decisions) and referral events for a person's timeline (clinical roles only,
   * H-312), each kind read only when asked for and audited as one list.
   */
  async function clinicalTimeline(
    personId: string,
    actor: ActorContext,
    include: Readonly<Record<ClinicalTimelineKind, boolean>> = {
      'health-checks': true,
      'warning-flags': true,
      needs: true,
      referrals: true,
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
      }
      const read: string[] = []
      if (include['health-checks']) {
        out.checks = await healthChecks.checksOfPerson(tx, person.id)
        read.push('health_check')
      }
      if (include['warning-flags']) {
        out.flags = await healthChecks.flagsOfPerson(tx, person.id)
        read.push('warning_flag')
      }
      if (include.needs) {
        const { needs: list, events } = await needs.needsWithHistory(tx, person.id)
        out.needs = list
        out.needEvents = events
        read.push('need')
      }
      if (include.referrals) {
        out.referralEvents = await referrals.eventsForPerson(tx, person.id)
        read.push('referral')
      }
      for (const entityType of read) {
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
