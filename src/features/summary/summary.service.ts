/**
 * The non-clinical health summary a probation practitioner sees while the person agrees to share it (issue 4 item 1),
 * and the same summary as a preview for the health team, so they can check what is (or would be) shared.
 */
import type { Kysely, Transaction } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import type { DB } from '../../platform/db/schema.ts'
import { hasRole, type Principal, principalOf, type Channel } from '../../platform/http/auth.ts'
import { ForbiddenError } from '../../platform/http/errors.ts'
import type { ActorContext, AuditService } from '../../platform/audit/audit.service.ts'
import { type ConsentService } from '../consent/index.ts'
import {
  APPOINTMENT_MONTHS,
  appointmentKindText,
  closedWithoutAppointment,
  GP_NOT_RECORDED,
  gpStatusText,
  needText,
  referralStatusText,
  serviceKindText,
  type FirstAppointmentKept,
  type SharedReferralStatus,
} from './summary.messages.ts'
import * as read from './summary.read-model.ts'
import { ukDateOf } from '../../platform/time/uk-time.ts'
import type { StaffRole } from '../../platform/http/roles.ts'
import type { AppointmentOutcome, AppointmentKind } from '../appointments/index.ts'
import type { NeedCategory } from '../needs/index.ts'
import type { ServiceKind } from '../services/index.ts'
import type { GpRegistrationStatus } from '../gp-registration/index.ts'
import type { PersonRecords } from '../people/index.ts'

export type { SummaryPerson } from './summary.read-model.ts'

/** Probation practitioners read the summary; the health team read it as a preview of what probation sees. */
export const summaryReaderRoles = [
  'probation_practitioner',
  'clinician',
  'hub_manager',
] as const satisfies readonly StaffRole[]

/** The consent topic that lets probation see the summary. */
export const SUMMARY_TOPIC = 'share-summary-with-probation'


/** The outcome codes (domain reference §8) counted as kept: the person came (including when sent home). */
export const keptOutcomes: readonly AppointmentOutcome[] = ['ATTC', 'AFTC', 'ATSH', 'ATSS']
/** Not there without an acceptable reason. */
export const missedOutcomes: readonly AppointmentOutcome[] = ['AFTA', 'UAAB']
/** Not there, with a reason accepted (acceptable absence). RSOF/RSSR (moved) are not counted at all. */
export const acceptableAbsenceOutcomes: readonly AppointmentOutcome[] = ['AA']

export interface SummaryNeed {
  category: NeedCategory
  label: string
  identifiedOn: string
}

export interface SummaryReferral {
  serviceName: string
  serviceKind: ServiceKind
  serviceKindLabel: string
  status: SharedReferralStatus
  statusLabel: string
  sentOn: string | null
  firstAppointmentKept: FirstAppointmentKept
  firstAttendedOn: string | null
}

export interface SummaryAppointments {
  /** The first UK date counted (six months before today). */
  since: string
  kept: number
  missed: number
  acceptableAbsences: number
  next: { date: string; kind: AppointmentKind; kindLabel: string } | null
}

export interface HealthSummary {
  needs: SummaryNeed[]
  referrals: SummaryReferral[]
  appointments: SummaryAppointments
  gpRegistration: { status: GpRegistrationStatus | null; text: string }
}

/** The person's decision in force on sharing the summary with probation. */
export interface Sharing {
  shared: boolean
  decision: 'given' | 'refused' | 'withdrawn' | 'not-asked'
  decidedOn: string | null
}

export interface SummaryView {
  person: read.SummaryPerson
  /** probation: the practitioner's own view; health-team: a clinician's or hub manager's preview. */
  viewer: 'probation' | 'health-team'
  sharing: Sharing
  /** Absent only for probation when the person has not agreed: nothing of it is even read. */
  summary: HealthSummary | undefined
}

const ZONE = 'Europe/London'
const ukHourFormat = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', hourCycle: 'h23' })

/** The instant a UK calendar day starts. The clocks never change at midnight, so UK midnight is 00:00 or 23:00 UTC. */
export function ukMidnight(date: string): Date {
  const utcMidnight = new Date(`${date}T00:00:00Z`)
  return ukHourFormat.format(utcMidnight) === '01' ? new Date(utcMidnight.getTime() - 3_600_000) : utcMidnight
}

/** The calendar date `months` before `date`; a day the earlier month lacks becomes its last day (31 Aug -> 28 Feb). */
export function monthsBefore(date: string, months: number): string {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number)
  const index = year * 12 + (month - 1) - months
  const y = Math.floor(index / 12)
  const m = index - y * 12
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate()
  const d = Math.min(day, lastDay)
  return `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

/** Whether the first appointment was kept: attended (a date), did not attend, or neither yet. */
export function firstAppointmentKept(r: Pick<read.SharedReferral, 'status' | 'firstAttendedOn'>): FirstAppointmentKept {
  if (r.firstAttendedOn !== null) return 'yes'
  if (r.status === 'did-not-attend') return 'no'
  if (closedWithoutAppointment.includes(r.status)) return 'no-appointment'
  return 'not-yet'
}

/** Appointment outcomes counted into kept, missed and acceptable absences. */
export function tally(counts: readonly read.OutcomeCount[]): {
  kept: number
  missed: number
  acceptableAbsences: number
} {
  const sum = (codes: readonly AppointmentOutcome[]) =>
    counts.filter((c) => codes.includes(c.outcome)).reduce((total, c) => total + c.count, 0)
  return { kept: sum(keptOutcomes), missed: sum(missedOutcomes), acceptableAbsences: sum(acceptableAbsenceOutcomes) }
}

export type SummaryService = ReturnType<typeof createSummaryService>

export function createSummaryService(deps: {
  db: Kysely<DB>
  clock: Clock
  audit: AuditService
  /** Consulted inside each read's transaction, so a withdrawal applies at once. */
  consent: Pick<ConsentService, 'currentConsent'>
  people: PersonRecords
}) {
  const { db, clock, audit, consent, people } = deps

  /** Loads a person the actor may see, inside the transaction. Unknown ids are 404, other sites 403. */
  async function loadVisible(tx: Transaction<DB>, id: string, principal: Principal): Promise<read.SummaryPerson> {
    return people.loadRecord(tx, id, principal)
  }

  /**
   * The decision in force, read once in `tx` so a withdrawal committed before this read is honoured at once, and the
   * wording and the shared flag always come from the same decision.
   */
  async function sharingOf(tx: Transaction<DB>, personId: string): Promise<Sharing> {
    const current = (await consent.currentConsent(tx, personId)).find((d) => d.topic === SUMMARY_TOPIC)
    const shared = current?.decision === 'given'
    if (shared) return { shared, decision: 'given', decidedOn: current.decidedOn }
    if (current === undefined || current.decision === 'given') return { shared, decision: 'not-asked', decidedOn: null }
    return { shared, decision: current.decision, decidedOn: current.decidedOn }
  }

  async function readSummary(tx: Transaction<DB>, personId: string): Promise<HealthSummary> {
    const now = clock.now()
    const since = monthsBefore(ukDateOf(now), APPOINTMENT_MONTHS)
    const needs: SummaryNeed[] = []
    for (const need of await read.listConfirmedNeeds(tx, personId)) {
      // One line per kind of need, with the date it was first identified.
      if (needs.some((n) => n.category === need.category)) continue
      needs.push({ category: need.category, label: needText[need.category], identifiedOn: need.identifiedOn })
    }
    const referrals = (await read.listSentReferrals(tx, personId)).map((r) => ({
      serviceName: r.serviceName,
      serviceKind: r.serviceKind,
      serviceKindLabel: serviceKindText[r.serviceKind],
      status: r.status,
      statusLabel: referralStatusText[r.status],
      sentOn: r.sentOn,
      firstAppointmentKept: firstAppointmentKept(r),
      firstAttendedOn: r.firstAttendedOn,
    }))
    const counts = await read.countOutcomes(tx, personId, ukMidnight(since), now)
    const next = await read.findNextBooked(tx, personId, now)
    const gp = await read.findCurrentGpRegistration(tx, personId)
    return {
      needs,
      referrals,
      appointments: {
        since,
        ...tally(counts),
        next:
          next === undefined
            ? null
            : { date: ukDateOf(next.startsAt), kind: next.kind, kindLabel: appointmentKindText[next.kind] },
      },
      gpRegistration:
        gp === undefined
          ? { status: null, text: GP_NOT_RECORDED }
          : { status: gp.status, text: gpStatusText[gp.status](gp.practiceName) },
    }
  }

  /**
   * The summary as the viewer may see it, audited as one view of the person's health summary in the same
   * transaction, also when consent keeps it from probation (details.shared false).
   */
  async function viewSummary(personId: string, actor: ActorContext, channel: Channel): Promise<SummaryView> {
    const principal = principalOf(actor)
    if (!hasRole(principal, summaryReaderRoles)) throw new ForbiddenError('You do not have permission to do this.')
    const viewer = principal.role === 'probation_practitioner' ? 'probation' : 'health-team'
    return db.transaction().execute(async (tx) => {
      const person = await loadVisible(tx, personId, principal)
      const sharing = await sharingOf(tx, person.id)
      const summary = viewer === 'probation' && !sharing.shared ? undefined : await readSummary(tx, person.id)
      await audit.record(tx, actor, {
        action: 'view',
        entityType: 'health-summary',
        entityId: person.id,
        personId: person.id,
        siteId: person.siteId,
        details: { channel, shared: sharing.shared, viewer },
      })
      return { person, viewer, sharing, summary }
    })
  }

  return { viewSummary }
}
