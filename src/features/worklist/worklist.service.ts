import type { Kysely, Transaction } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import type { DB } from '../../platform/db/schema.ts'
import { isUuid } from '../../platform/forms/forms.ts'
import {
  assertSiteAccess,
  type ActorContext,
  type Principal,
  principalOf,
  type Channel,
} from '../../platform/http/auth.ts'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/http/errors.ts'
import type { AuditService } from '../../platform/audit/audit.service.ts'
import type { ReferralToChase, ReferralsService } from '../referrals/index.ts'
import type { Site, SitesService } from '../sites/index.ts'
import {
  CHASE_AHEAD_DAYS,
  defaultScope,
  kindsForRole,
  messages,
  SCREENING_AHEAD_DAYS,
  sectionKeys,
  worklistKinds,
  type WorklistKind,
  type WorklistScope,
} from './worklist.messages.ts'
import type { worklistRoles } from './worklist.messages.ts'
import * as read from './worklist.read-model.ts'
import { addDays, ukDateOf, ukMidnight, ukToday } from '../../platform/time/uk-time.ts'
import type { Executor } from '../../platform/db/executor.ts'
import type { StaffRole } from '../../platform/http/roles.ts'
import type { AppointmentsService } from '../appointments/index.ts'
import { custodyWorkKinds, type CustodyWorkItem, type CustodyWorkSource } from '../custody/index.ts'

export type {
  FlagItem,
  FollowUp,
  FollowUpItem,
  GpRegistrationItem,
  NeedItem,
  PersonRef,
  Section,
} from './worklist.read-model.ts'
/** A referral to chase, as the referrals feature gives it. */
export type ReferralItem = ReferralToChase

/** One person due for a screening programme, as the screening feature's `screeningDueForSite` returns it. */
export interface ScreeningDueItem {
  personId: string
  personName: string
  crn: string | null
  programme: string
  programmeLabel: string
  nextDue: string | null
  reason: string
  appointmentStartsAt: Date | string
}

/**
 * The screening section's source: src/features/screening/screening.worklist.ts `screeningDueForSite`, written by
 * the screening work. Passed in (see worklist.routes.ts) so the worklist runs without it until it lands.
 */
export type ScreeningDueSource = (
  executor: Executor,
  query: {
    siteId: string
    from: Date
    to: Date
    staffId?: string
    asOf: string
    limit: number
    offset: number
  },
) => Promise<{ total: number; items: ScreeningDueItem[] }>

export interface WorklistRequest {
  /** A site code; may be left out by someone who belongs to one site. */
  site?: string
  scope?: WorklistScope
  /** Sections asked for; none means every section the role may see. Sections the role may not see are left out. */
  kinds?: readonly WorklistKind[]
  limit: number
  offset: number
}

export interface WorklistSections {
  flags?: read.Section<read.FlagItem> & {
    /** In "mine": every flag awaiting a response at the site, so colleagues' flags are never out of sight. */
    siteTotal?: number
  }
  needs?: read.Section<read.NeedItem>
  followUps?: read.Section<read.FollowUpItem>
  referrals?: read.Section<ReferralToChase>
  gpRegistrations?: read.Section<read.GpRegistrationItem>
  screening?: read.Section<ScreeningDueItem>
  releasesDue?: read.Section<CustodyWorkItem>
  releasedNotSeen?: read.Section<CustodyWorkItem>
  ostGaps?: read.Section<CustodyWorkItem>
  notEngaged?: read.Section<CustodyWorkItem>
}

export interface Worklist {
  site: Site
  /** The sites the user belongs to, to choose between. */
  sites: Site[]
  scope: WorklistScope
  /** Every section the role may see. */
  allowedKinds: readonly WorklistKind[]
  /** The sections shown: asked for and allowed. */
  kinds: WorklistKind[]
  /** Asked for, allowed, but not available yet (screening until its source lands). */
  unavailable: WorklistKind[]
  generatedAt: Date
  today: string
  sections: WorklistSections
}

const custodyKinds: ReadonlySet<WorklistKind> = new Set(custodyWorkKinds)

function worklistRole(principal: Principal): (typeof worklistRoles)[number] {
  const role: StaffRole = principal.role
  if (role === 'clinician' || role === 'hub_manager' || role === 'probation_practitioner') return role
  throw new ForbiddenError(messages.notAllowed)
}

export type WorklistService = ReturnType<typeof createWorklistService>

export function createWorklistService(deps: {
  db: Kysely<DB>
  clock: Clock
  audit: AuditService
  sites: SitesService
  referrals: Pick<ReferralsService, 'toChase'>
  appointments: Pick<AppointmentsService, 'closeFollowUp'>
  screeningDue?: ScreeningDueSource | undefined
  /** The custody feature's sections (releases, opioid substitution gaps, treatment engagement after release). */
  custodyWork?: CustodyWorkSource | undefined
}) {
  const { db, clock, audit, sites, referrals, appointments, screeningDue, custodyWork } = deps

  /** The site asked for: unknown codes are a 400 naming `site`; another site's code is 403. */
  async function resolveSite(principal: Principal, code: string | undefined): Promise<{ site: Site; mine: Site[] }> {
    const mine = await sites.listByIds(principal.siteIds)
    if (code === undefined || code === '') {
      const only = mine[0]
      if (only === undefined) throw new ForbiddenError(messages.noSites)
      if (mine.length > 1) throw new ValidationError([{ field: 'site', message: messages.siteRequired }])
      return { site: only, mine }
    }
    const site = await sites.findByCode(code)
    if (site === undefined) throw new ValidationError([{ field: 'site', message: messages.siteUnknown(code) }])
    assertSiteAccess(principal, site.id)
    return { site, mine }
  }

  /** The sites the user may choose between (by name). */
  async function siteChoices(actor: ActorContext): Promise<Site[]> {
    const principal = principalOf(actor)
    worklistRole(principal)
    return sites.listByIds(principal.siteIds)
  }

  /**
   * The site a page starts on for a user of several sites: where they work today (their nearest appointment in the
   * coming week, else their latest), or the first by name when they have none.
   */
  async function startingSite(actor: ActorContext, choices: readonly Site[]): Promise<Site | undefined> {
    const principal = principalOf(actor)
    if (choices.length <= 1) return choices[0]
    const now = clock.now()
    const siteId = await read.siteOfNearestAppointment(
      db,
      principal.userId,
      choices.map((s) => s.id),
      now,
      new Date(now.getTime() + 7 * 24 * 60 * 60 * 1000),
    )
    return choices.find((s) => s.id === siteId) ?? choices[0]
  }

  /**
   * A staff member's or a site's outstanding work: each section the role may see, most urgent first, with its total.
   * One 'list' audit event for the whole view, with the counts and the ids of the people shown.
   */
  async function viewWorklist(actor: ActorContext, request: WorklistRequest, channel: Channel): Promise<Worklist> {
    const principal = principalOf(actor)
    const role = worklistRole(principal)
    const { site, mine } = await resolveSite(principal, request.site)
    const scope = request.scope ?? defaultScope(role)
    const allowedKinds = kindsForRole[role]
    const asked = request.kinds === undefined || request.kinds.length === 0 ? worklistKinds : request.kinds
    const wanted = worklistKinds.filter((k) => asked.includes(k) && allowedKinds.includes(k))
    const unavailable: WorklistKind[] = wanted.filter(
      (k) => (k === 'screening' && screeningDue === undefined) || (custodyKinds.has(k) && custodyWork === undefined),
    )
    const kinds = wanted.filter((k) => !unavailable.includes(k))
    const now = clock.now()
    const today = ukDateOf(now)
    const page = { limit: request.limit, offset: request.offset }
    const me = principal.userId
    const siteId = site.id
    const onlyMine = scope === 'mine'

    return db.transaction().execute(async (tx) => {
      const sections: WorklistSections = {}
      for (const kind of kinds) {
        switch (kind) {
          case 'flags': {
            const flags = await read.listFlagsAwaitingResponse(
              tx,
              onlyMine ? { siteId, clinicianId: me } : { siteId },
              page,
            )
            sections.flags = onlyMine
              ? {
                  ...flags,
                  siteTotal: (await read.listFlagsAwaitingResponse(tx, { siteId }, { limit: 1, offset: 0 })).total,
                }
              : flags
            break
          }
          case 'needs':
            sections.needs = await read.listProposedNeeds(tx, onlyMine ? { siteId, clinicianId: me } : { siteId }, page)
            break
          case 'follow-ups':
            // Practitioners see only their own, whatever the scope: a colleague's may carry a health reason.
            sections.followUps = await read.listOpenFollowUps(
              tx,
              onlyMine || role === 'probation_practitioner' ? { siteId, assignedTo: me } : { siteId },
              page,
            )
            break
          case 'referrals':
            sections.referrals = await referrals.toChase(tx, {
              siteId,
              chaseBy: addDays(today, CHASE_AHEAD_DAYS),
              ...(onlyMine ? { createdBy: me } : {}),
              ...page,
            })
            break
          case 'gp-registrations':
            sections.gpRegistrations = await read.listGpRegistrationsInProgress(
              tx,
              onlyMine ? { siteId, staffId: me } : { siteId },
              page,
            )
            break
          case 'screening':
            if (screeningDue !== undefined) {
              sections.screening = await screeningDue(tx, {
                siteId,
                from: ukMidnight(today),
                to: ukMidnight(addDays(today, SCREENING_AHEAD_DAYS + 1)),
                ...(onlyMine ? { staffId: me } : {}),
                asOf: today,
                limit: page.limit,
                offset: page.offset,
              })
            }
            break
          case 'releases-due':
          case 'released-not-seen':
          case 'ost-gaps':
          case 'not-engaged':
            if (custodyWork !== undefined) {
              const key = sectionKeys[kind]
              sections[key] = await custodyWork(tx, kind, { siteId, today, ...page })
            }
            break
        }
      }
      const counts: Record<string, number> = {}
      for (const [key, section] of Object.entries(sections) as [string, read.Section<unknown> | undefined][]) {
        if (section !== undefined) counts[key] = section.total
      }
      // The people whose names, CRNs and work were shown, so a read of any one of them can be traced (as the
      // people list, the diary and the referrals list do); ids only, one event for the whole view.
      const personIds = new Set<string>([
        ...(sections.flags?.items ?? []).map((i) => i.person.id),
        ...(sections.needs?.items ?? []).map((i) => i.person.id),
        ...(sections.followUps?.items ?? []).map((i) => i.person.id),
        ...(sections.referrals?.items ?? []).map((i) => i.person.id),
        ...(sections.gpRegistrations?.items ?? []).map((i) => i.person.id),
        ...(sections.screening?.items ?? []).map((i) => i.personId),
        ...[sections.releasesDue, sections.releasedNotSeen, sections.ostGaps, sections.notEngaged].flatMap((section) =>
          (section?.items ?? []).map((i) => i.person.id),
        ),
      ])
      await audit.record(tx, actor, {
        action: 'list',
        entityType: 'worklist',
        entityId: null,
        siteId,
        details: { channel, scope, kinds, counts, limit: page.limit, offset: page.offset, personIds: [...personIds] },
      })
      return {
        site,
        sites: mine,
        scope,
        allowedKinds,
        kinds,
        unavailable,
        generatedAt: now,
        today,
        sections,
      }
    })
  }

  /** Loads a follow-up the actor may mark as done: theirs, or any at their site for a hub manager. */
  async function loadFollowUp(tx: Transaction<DB>, id: string, principal: Principal): Promise<read.FollowUp> {
    const followUp = isUuid(id) ? await read.findFollowUp(tx, id) : undefined
    if (followUp === undefined) throw new NotFoundError(messages.followUpNotFound)
    assertSiteAccess(principal, followUp.siteId)
    const mayAct = followUp.assignedTo.id === principal.userId || principal.role === 'hub_manager'
    if (!mayAct) throw new ForbiddenError(messages.followUpNotYours)
    return followUp
  }

  /** A follow-up, to mark it done; audited as a read of the person's record. */
  async function viewFollowUp(id: string, actor: ActorContext, channel: Channel): Promise<read.FollowUp> {
    const principal = principalOf(actor)
    worklistRole(principal)
    return db.transaction().execute(async (tx) => {
      const followUp = await loadFollowUp(tx, id, principal)
      await audit.record(tx, actor, {
        action: 'view',
        entityType: 'follow_up',
        entityId: followUp.id,
        personId: followUp.person.id,
        siteId: followUp.siteId,
        details: { channel },
      })
      return followUp
    })
  }

  /**
   * Marks an open follow-up done with a note of what was done. Done is final: a second attempt (a colleague first,
   * or a retried request) is a 409 that changes nothing.
   */
  async function markFollowUpDone(
    id: string,
    note: string,
    actor: ActorContext,
    channel: Channel,
  ): Promise<read.FollowUp> {
    const principal = principalOf(actor)
    worklistRole(principal)
    return db.transaction().execute(async (tx) => {
      const followUp = await loadFollowUp(tx, id, principal)
      const changed =
        followUp.status === 'open' &&
        (await appointments.closeFollowUp(tx, followUp.id, { by: principal.userId, at: clock.now(), note }))
      if (!changed) throw new ConflictError(messages.followUpAlreadyDone)
      await audit.record(tx, actor, {
        action: 'update',
        entityType: 'follow_up',
        entityId: followUp.id,
        personId: followUp.person.id,
        siteId: followUp.siteId,
        details: { channel, status: 'done', previousStatus: 'open', kind: followUp.kind },
      })
      const after = await read.findFollowUp(tx, followUp.id)
      if (after === undefined) throw new NotFoundError(messages.followUpNotFound)
      return after
    })
  }

  return {
    viewWorklist,
    siteChoices,
    startingSite,
    viewFollowUp,
    markFollowUpDone,
    today: () => ukToday(clock),
    screeningAvailable: screeningDue !== undefined,
  }
}
