import type { Kysely, Transaction } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import { createOnceIfKeyed } from '../../platform/db/idempotency.ts'
import type { DB } from '../../platform/db/schema.ts'
import { assertSiteAccess, type Principal, principalOf, type Channel } from '../../platform/http/auth.ts'
import { ConflictError, NotFoundError, ValidationError, type FieldError } from '../../platform/http/errors.ts'
import type { ActorContext, AuditService } from '../../platform/audit/audit.service.ts'
import { type ConsentService } from '../consent/index.ts'
import { messages, missedOutcomes, outcomeLabels, rescheduleOutcomes } from './appointments.messages.ts'
import * as repo from './appointments.repository.ts'
import { nextWorkingDay, ukDate, ukDayRange, ukToday } from '../../platform/time/uk-time.ts'
import { isUuid } from '../../platform/forms/forms.ts'
import type { StaffRole } from '../../platform/http/roles.ts'
import type { AbsenceReason, AppointmentKind, AppointmentOutcome } from './appointments.tables.ts'
import type { PersonRecords } from '../people/index.ts'
import type { Executor } from '../../platform/db/executor.ts'
import { fullName } from '../../platform/views/person-header.ts'
import { formatTime } from '../../platform/views/format.ts'

export type { Appointment, PersonSummary, StaffChoice } from './appointments.repository.ts'


/** A booking as checked at the edge: shape and format are right; the rules needing data are checked here. */
export interface BookingDetails {
  kind: AppointmentKind
  startsAt: Date
  durationMinutes: number
  location: string | null
  clinicianId: string
  practitionerId: string | null
}

/** What may be recorded as an outcome: RSOF and RSSR are only set by rescheduling, which books the replacement. */
export type RecordableOutcome = Exclude<AppointmentOutcome, 'RSOF' | 'RSSR'>

export interface OutcomeDetails {
  outcome: RecordableOutcome
  absenceReason: AbsenceReason | null
  notes: string | null
}

export type ChangeResult =
  | { ok: true; appointment: repo.Appointment; followUps: number }
  | { ok: false; reason: 'stale'; current: repo.Appointment }

export interface BookResult {
  appointment: repo.Appointment
  replayed: boolean
}

/** Roles who may run a health appointment; and who may sit in as the probation practitioner. */
const clinicianRoles = ['clinician', 'hub_manager'] as const
const practitionerRoles = ['probation_practitioner'] as const

export const CLASH_CODE = 'appointment-clash'
/** Appointments on a page of a site's diary. */
export const DIARY_PAGE_SIZE = 50

/** The consent a probation practitioner needs to see a person's health-only appointments and outcome notes. */
export const PROBATION_SHARING_TOPIC = 'share-summary-with-probation'
const FOLLOW_UP_KIND = 'missed-appointment'


export type AppointmentsService = ReturnType<typeof createAppointmentsService>

/**
 * What other features do when an appointment changes, inside the same transaction (messages schedule and withdraw
 * reminders): the change and its consequences commit together or not at all.
 */
export interface AppointmentEvents {
  booked(tx: Transaction<DB>, appointment: repo.Appointment, actor: ActorContext): Promise<void>
  /** Cancelled outright (`moved` false) or to be moved (`moved` true: the new appointment is booked too). */
  cancelled(tx: Transaction<DB>, appointment: repo.Appointment, moved: boolean, actor: ActorContext): Promise<void>
  missed(tx: Transaction<DB>, appointment: repo.Appointment, actor: ActorContext): Promise<void>
}

/** Follow-up work another feature puts on a worklist (a message that could not be delivered, a reply). */
export interface NewFollowUpWork {
  kind: string
  personId: string
  siteId: string
  appointmentId: string | null
  assignedTo: string
  reason: string
}

/**
 * What a viewer may see of one person's appointments. Probation practitioners see health-clinic appointments and
 * outcome notes only with the person's consent to share a summary with probation; joint appointments (which
 * probation runs) they always see, without the notes. Everyone else with access to the person sees it all.
 */
type Visibility = 'all' | 'probation-without-consent'

/** Hidden altogether from this viewer: a clinic appointment, for probation without consent. */
const hiddenFrom = (visibility: Visibility, a: { kind: AppointmentKind }): boolean =>
  visibility !== 'all' && a.kind === 'clinic'

/** The appointment as this viewer may see it: without outcome notes, or links to appointments hidden from them. */
function shownTo(visibility: Visibility, a: repo.Appointment): repo.Appointment {
  if (visibility === 'all') return a
  const fromHidden = a.rescheduledFromKind !== null && hiddenFrom(visibility, { kind: a.rescheduledFromKind })
  const toHidden = a.rescheduledToKind !== null && hiddenFrom(visibility, { kind: a.rescheduledToKind })
  return {
    ...a,
    outcomeNotes: null,
    ...(fromHidden ? { rescheduledFrom: null, rescheduledFromKind: null } : {}),
    ...(toHidden ? { rescheduledTo: null, rescheduledToKind: null } : {}),
  }
}

export function createAppointmentsService(deps: {
  db: Kysely<DB>
  clock: Clock
  audit: AuditService
  /** Consulted inside each read's transaction, so a withdrawal applies at once. */
  consent: Pick<ConsentService, 'allows' | 'currentConsentForPeople'>
  people: PersonRecords
  /** Asked for when each appointment changes; set once every service exists (the messages service needs this one). */
  events?: () => AppointmentEvents | undefined
}) {
  const { db, clock, audit, consent, people } = deps
  const events = (): AppointmentEvents | undefined => deps.events?.()


  /** The service's clock, for pages that split appointments into upcoming and past. */
  function now(): Date {
    return clock.now()
  }

  /** What the viewer may see of the person's appointments. Consent is read in `tx`, so a withdrawal is honoured. */
  async function visibilityFor(tx: Transaction<DB>, principal: Principal, personId: string): Promise<Visibility> {
    if (principal.role !== 'probation_practitioner') return 'all'
    return (await consent.allows(tx, personId, PROBATION_SHARING_TOPIC)) ? 'all' : 'probation-without-consent'
  }

  /**
   * A list (one person's or a diary) as the viewer may see it: for probation, the consent of everyone on it is read
   * in one query (a site's diary can hold a thousand people), in `tx`, so a withdrawal is honoured.
   */
  async function visibleList(
    tx: Transaction<DB>,
    principal: Principal,
    appointments: readonly repo.Appointment[],
  ): Promise<repo.Appointment[]> {
    if (principal.role !== 'probation_practitioner' || appointments.length === 0) return [...appointments]
    const consents = await consent.currentConsentForPeople(
      tx,
      appointments.map((a) => a.personId),
    )
    const visibilityOf = (personId: string): Visibility =>
      (consents.get(personId) ?? []).some((c) => c.topic === PROBATION_SHARING_TOPIC && c.decision === 'given')
        ? 'all'
        : 'probation-without-consent'
    return appointments.flatMap((a) => {
      const visibility = visibilityOf(a.personId)
      return hiddenFrom(visibility, a) ? [] : [shownTo(visibility, a)]
    })
  }

  async function loadPerson(tx: Transaction<DB>, personId: string, principal: Principal): Promise<repo.PersonSummary> {
    return people.loadRecord(tx, personId, principal)
  }

  /**
   * Loads an appointment the actor may see, inside the transaction. Unknown ids are 404, other sites 403, and a
   * clinic appointment hidden from a probation practitioner 404 (as if it did not exist). The appointment is
   * returned whole, for the service's own use; pass it through shownTo(visibility, …) before handing it out.
   */
  async function loadVisible(
    tx: Transaction<DB>,
    id: string,
    principal: Principal,
  ): Promise<{ appointment: repo.Appointment; visibility: Visibility }> {
    const appointment = isUuid(id) ? await repo.findById(tx, id) : undefined
    if (appointment === undefined) throw new NotFoundError('No appointment has that id')
    assertSiteAccess(principal, appointment.siteId)
    const visibility = await visibilityFor(tx, principal, appointment.personId)
    if (hiddenFrom(visibility, appointment)) throw new NotFoundError('No appointment has that id')
    return { appointment, visibility }
  }

  async function mustRead(tx: Transaction<DB>, id: string): Promise<repo.Appointment> {
    const appointment = await repo.findById(tx, id)
    if (appointment === undefined) throw new Error('An appointment just written could not be read back')
    return appointment
  }

  /** Rules needing data: the time is ahead, and the staff work at the person's site in the right roles. */
  async function checkBooking(tx: Transaction<DB>, details: BookingDetails, siteId: string): Promise<void> {
    const errors: FieldError[] = []
    // An id that is not a UUID names nobody (and would make PostgreSQL refuse the query): not at this site.
    const isStaff = async (staffId: string, roles: readonly StaffRole[]) =>
      isUuid(staffId) && (await repo.isStaffAt(tx, staffId, siteId, roles))
    if (details.startsAt.getTime() <= clock.now().getTime())
      errors.push({ field: 'startsAt', message: messages.inPast })
    if (!(await isStaff(details.clinicianId, clinicianRoles))) {
      errors.push({ field: 'clinicianId', message: messages.clinicianNotAtSite })
    }
    if (details.kind === 'joint' && details.practitionerId === null) {
      errors.push({ field: 'practitionerId', message: messages.practitionerBlank })
    } else if (details.practitionerId !== null && !(await isStaff(details.practitionerId, practitionerRoles))) {
      errors.push({ field: 'practitionerId', message: messages.practitionerNotAtSite })
    }
    if (errors.length > 0) throw new ValidationError(errors)
  }

  /** Refuses a booking overlapping a booked appointment of the person, the clinician or the practitioner. */
  async function checkClashes(
    tx: Transaction<DB>,
    principal: Principal,
    person: repo.PersonSummary,
    details: BookingDetails,
  ): Promise<void> {
    const staffIds = [details.clinicianId, ...(details.practitionerId === null ? [] : [details.practitionerId])]
    await repo.lockDiaries(tx, [person.id, ...staffIds])
    const endsAt = new Date(details.startsAt.getTime() + details.durationMinutes * 60_000)
    const clashes = await repo.findClashes(tx, { personId: person.id, staffIds }, details.startsAt, endsAt)
    if (clashes.length === 0) return
    const visibility = await visibilityFor(tx, principal, person.id)
    const errors: FieldError[] = []
    for (const clash of clashes) {
      // A clinic appointment the viewer may not see is named as a clash, without its time or place.
      if (clash.personId === person.id && hiddenFrom(visibility, clash)) {
        errors.push({ field: 'startsAt', message: messages.hiddenClash(fullName(person)) })
        continue
      }
      const who: string[] = []
      if (clash.personId === person.id) who.push(fullName(person))
      for (const staffId of staffIds) {
        if (clash.clinicianId === staffId) who.push(clash.clinicianName)
        if (clash.practitionerId === staffId && clash.practitionerName !== null) who.push(clash.practitionerName)
      }
      for (const name of who) {
        errors.push({
          field: 'startsAt',
          message: messages.clash(
            name,
            formatTime(clash.startsAt),
            formatTime(clash.endsAt),
            ukDate(clash.startsAt),
            clash.siteName,
          ),
        })
      }
    }
    const first = errors[0]?.message ?? 'This appointment clashes with another'
    throw new ConflictError(first, { code: CLASH_CODE, errors })
  }

  async function insertBooking(
    tx: Transaction<DB>,
    person: repo.PersonSummary,
    details: BookingDetails,
    actor: ActorContext,
    channel: Channel,
    rescheduledFrom: string | null,
  ): Promise<string> {
    const principal = principalOf(actor)
    await checkBooking(tx, details, person.siteId)
    await checkClashes(tx, principal, person, details)
    const id = await repo.insert(
      tx,
      {
        ...details,
        practitionerId: details.practitionerId,
        personId: person.id,
        siteId: person.siteId,
        rescheduledFrom,
        createdBy: principal.userId,
      },
      clock.now(),
    )
    await audit.record(tx, actor, {
      action: 'create',
      entityType: 'appointment',
      entityId: id,
      personId: person.id,
      siteId: person.siteId,
      details: { channel, kind: details.kind, rescheduledFrom },
    })
    await events()?.booked(tx, await mustRead(tx, id), actor)
    return id
  }

  /**
   * Books an appointment. With an idempotency key (a form's one-time submission id, or the API's Idempotency-Key)
   * a repeat of the same submission books nothing and answers with the appointment the first one booked.
   */
  async function bookAppointment(
    personId: string,
    details: BookingDetails,
    actor: ActorContext,
    channel: Channel,
    idempotencyKey?: string,
  ): Promise<BookResult> {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx): Promise<BookResult> => {
      const person = await loadPerson(tx, personId, principal)
      const create = () => insertBooking(tx, person, details, actor, channel, null)
      const outcome = await createOnceIfKeyed(
        tx,
        idempotencyKey,
        {
          staffUserId: principal.userId,
          scope: 'appointment.book',
          request: { personId, ...details, startsAt: details.startsAt.toISOString() },
        },
        create,
      )
      const saved = await mustRead(tx, outcome.id)
      // Never hidden from whoever booked it; a replay may find outcome notes recorded since, shown only as allowed.
      const appointment = shownTo(await visibilityFor(tx, principal, saved.personId), saved)
      if (outcome.replayed) {
        assertSiteAccess(principal, appointment.siteId)
        await audit.record(tx, actor, {
          action: 'view',
          entityType: 'appointment',
          entityId: appointment.id,
          personId: appointment.personId,
          siteId: appointment.siteId,
          details: { channel, purpose: 'book-replay' },
        })
      }
      return { appointment, replayed: outcome.replayed }
    })
  }

  async function staleResult(
    tx: Transaction<DB>,
    id: string,
    visibility: Visibility,
    actor: ActorContext,
    channel: Channel,
  ): Promise<ChangeResult> {
    const current = shownTo(visibility, await mustRead(tx, id))
    await audit.record(tx, actor, {
      action: 'view',
      entityType: 'appointment',
      entityId: id,
      personId: current.personId,
      siteId: current.siteId,
      details: { channel, purpose: 'change-conflict' },
    })
    return { ok: false, reason: 'stale', current }
  }

  function assertBooked(appointment: repo.Appointment): void {
    if (appointment.status !== 'booked') throw new ConflictError(messages.notBooked, { code: 'not-booked' })
  }

  async function recordChange(
    tx: Transaction<DB>,
    current: repo.Appointment,
    change: repo.AppointmentChange,
    actor: ActorContext,
    channel: Channel,
  ): Promise<boolean> {
    const written = await repo.changeIfVersion(tx, current.id, current.version, change, clock.now())
    if (!written) return false
    await audit.record(tx, actor, {
      action: 'update',
      entityType: 'appointment',
      entityId: current.id,
      personId: current.personId,
      siteId: current.siteId,
      details:
        change.kind === 'outcome'
          ? { channel, change: 'outcome', outcome: change.outcome, absenceReason: change.absenceReason }
          : { channel, change: 'cancel', outcome: change.outcome },
    })
    return true
  }

  /**
   * A missed appointment: one follow-up for the clinician, and one for the practitioner (the person's, if none came).
   * A missed health clinic is health information: probation is told of it only with the person's consent.
   */
  async function createFollowUps(
    tx: Transaction<DB>,
    appointment: repo.Appointment,
    outcome: AppointmentOutcome,
    actor: ActorContext,
    channel: Channel,
  ): Promise<number> {
    const person = await people.findRecord(tx, appointment.personId)
    const tellProbation =
      appointment.kind !== 'clinic' || (await consent.allows(tx, appointment.personId, PROBATION_SHARING_TOPIC))
    const practitionerId = tellProbation
      ? (appointment.practitionerId ?? person?.probationPractitionerId ?? null)
      : null
    const assignees = new Set([appointment.clinicianId, practitionerId].filter((id): id is string => id !== null))
    const reason =
      `${outcomeLabels[outcome]} on ${ukDate(appointment.startsAt)}: contact the person, rebook, and check ` +
      'whether a health reason lies behind the absence'
    for (const assignedTo of assignees) {
      const id = await repo.insertFollowUp(
        tx,
        {
          kind: FOLLOW_UP_KIND,
          personId: appointment.personId,
          siteId: appointment.siteId,
          appointmentId: appointment.id,
          assignedTo,
          reason,
          dueDate: nextWorkingDay(ukToday(clock)),
        },
        clock.now(),
      )
      await audit.record(tx, actor, {
        action: 'create',
        entityType: 'follow_up',
        entityId: id,
        personId: appointment.personId,
        siteId: appointment.siteId,
        details: { channel, kind: FOLLOW_UP_KIND, appointmentId: appointment.id, assignedTo },
      })
    }
    return assignees.size
  }

  /**
   * Records what happened, once the appointment has started. RSOF and RSSR are refused: they close the appointment,
   * so only rescheduleAppointment sets them, in the same transaction as booking the replacement.
   */
  async function recordOutcome(
    id: string,
    expectedVersion: number,
    details: OutcomeDetails,
    actor: ActorContext,
    channel: Channel,
  ): Promise<ChangeResult> {
    const principal = principalOf(actor)
    // Callers' types already exclude them; this guards anything that reaches here unchecked.
    if ((rescheduleOutcomes as readonly string[]).includes(details.outcome)) {
      throw new ValidationError([{ field: 'outcome', message: messages.rescheduleThroughReschedule }])
    }
    return db.transaction().execute(async (tx): Promise<ChangeResult> => {
      const { appointment: current, visibility } = await loadVisible(tx, id, principal)
      if (current.version !== expectedVersion) return staleResult(tx, id, visibility, actor, channel)
      assertBooked(current)
      if (current.startsAt.getTime() > clock.now().getTime()) {
        throw new ValidationError([{ field: 'outcome', message: messages.tooEarly }])
      }
      const change: repo.AppointmentChange = {
        kind: 'outcome',
        outcome: details.outcome,
        absenceReason: details.outcome === 'AA' ? details.absenceReason : null,
        notes: details.notes,
        by: principal.userId,
      }
      if (!(await recordChange(tx, current, change, actor, channel))) {
        return staleResult(tx, id, visibility, actor, channel)
      }
      const followUps = missedOutcomes.includes(details.outcome)
        ? await createFollowUps(tx, current, details.outcome, actor, channel)
        : 0
      if (missedOutcomes.includes(details.outcome)) await events()?.missed(tx, await mustRead(tx, id), actor)
      return { ok: true, appointment: shownTo(visibility, await mustRead(tx, id)), followUps }
    })
  }

  async function cancelAppointment(
    id: string,
    expectedVersion: number,
    reason: string,
    actor: ActorContext,
    channel: Channel,
  ): Promise<ChangeResult> {
    const principal = principalOf(actor)
    if (reason.trim() === '') throw new ValidationError([{ field: 'reason', message: messages.cancelReasonBlank }])
    return db.transaction().execute(async (tx): Promise<ChangeResult> => {
      const { appointment: current, visibility } = await loadVisible(tx, id, principal)
      if (current.version !== expectedVersion) return staleResult(tx, id, visibility, actor, channel)
      assertBooked(current)
      const change = { kind: 'cancel', reason, outcome: null, notes: null, by: principal.userId } as const
      if (!(await recordChange(tx, current, change, actor, channel))) {
        return staleResult(tx, id, visibility, actor, channel)
      }
      await events()?.cancelled(tx, await mustRead(tx, id), false, actor)
      return { ok: true, appointment: shownTo(visibility, await mustRead(tx, id)), followUps: 0 }
    })
  }

  /**
   * Moves an appointment: the old one is cancelled (reason 'rescheduled', outcome RSOF or RSSR saying who asked)
   * and a new one booked, linked by rescheduled_from, in one transaction. The result carries the new appointment.
   */
  async function rescheduleAppointment(
    id: string,
    expectedVersion: number,
    requestedBy: 'RSOF' | 'RSSR',
    details: BookingDetails,
    actor: ActorContext,
    channel: Channel,
  ): Promise<ChangeResult> {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx): Promise<ChangeResult> => {
      const { appointment: current, visibility } = await loadVisible(tx, id, principal)
      if (current.version !== expectedVersion) return staleResult(tx, id, visibility, actor, channel)
      assertBooked(current)
      if (details.startsAt.getTime() === current.startsAt.getTime()) {
        // Moving to the same start would cancel and rebook for nothing, and mark the person's request as met.
        throw new ValidationError([{ field: 'startsAt', message: messages.rescheduleSameTime }])
      }
      const person = await loadPerson(tx, current.personId, principal)
      const change = {
        kind: 'cancel',
        reason: 'rescheduled',
        outcome: requestedBy,
        notes: null,
        by: principal.userId,
      } as const
      if (!(await recordChange(tx, current, change, actor, channel))) {
        return staleResult(tx, id, visibility, actor, channel)
      }
      await events()?.cancelled(tx, await mustRead(tx, id), true, actor)
      const newId = await insertBooking(tx, person, details, actor, channel, current.id)
      // Never hidden from whoever booked it (even as a clinic appointment); nothing is recorded on it yet.
      return { ok: true, appointment: shownTo(visibility, await mustRead(tx, newId)), followUps: 0 }
    })
  }

  async function viewAppointment(
    id: string,
    actor: ActorContext,
    channel: Channel,
    purpose = 'view',
  ): Promise<repo.Appointment> {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx) => {
      const { appointment, visibility } = await loadVisible(tx, id, principal)
      await audit.record(tx, actor, {
        action: 'view',
        entityType: 'appointment',
        entityId: appointment.id,
        personId: appointment.personId,
        siteId: appointment.siteId,
        details: { channel, purpose },
      })
      return shownTo(visibility, appointment)
    })
  }

  async function listForPerson(
    personId: string,
    actor: ActorContext,
    channel: Channel,
  ): Promise<{ person: repo.PersonSummary; appointments: repo.Appointment[] }> {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx) => {
      const person = await loadPerson(tx, personId, principal)
      const appointments = await visibleList(tx, principal, await repo.listForPerson(tx, person.id))
      await audit.record(tx, actor, {
        action: 'list',
        entityType: 'appointment',
        personId: person.id,
        siteId: person.siteId,
        details: { channel, resultCount: appointments.length },
      })
      return { person, appointments }
    })
  }

  /** A person's details for a form's heading, read and audited like any other view of the person. */
  async function personForBooking(personId: string, actor: ActorContext): Promise<repo.PersonSummary> {
    const principal = principalOf(actor)
    return db.transaction().execute(async (tx) => {
      const person = await loadPerson(tx, personId, principal)
      await audit.record(tx, actor, {
        action: 'view',
        entityType: 'person',
        entityId: person.id,
        personId: person.id,
        siteId: person.siteId,
        details: { channel: 'page', purpose: 'book-appointment' },
      })
      return person
    })
  }

  /**
   * A site's diary for a day, a page at a time (a national site's day holds thousands of appointments), as the
   * viewer may see it. For probation, what is hidden depends on each person's consent, so the day is filtered first
   * and then paged, and the total counts only what they may see.
   */
  async function listDiaryForSite(
    siteId: string,
    date: string,
    actor: ActorContext,
    channel: Channel,
    page: { pageNumber: number; pageSize: number } = { pageNumber: 1, pageSize: DIARY_PAGE_SIZE },
  ): Promise<{ total: number; appointments: repo.Appointment[] }> {
    const principal = principalOf(actor)
    assertSiteAccess(principal, siteId)
    const { from, to } = ukDayRange(date)
    const offset = (page.pageNumber - 1) * page.pageSize
    return db.transaction().execute(async (tx) => {
      let result: { total: number; appointments: repo.Appointment[] }
      if (principal.role === 'probation_practitioner') {
        const visible = await visibleList(tx, principal, (await repo.listForSite(tx, siteId, from, to)).appointments)
        result = { total: visible.length, appointments: visible.slice(offset, offset + page.pageSize) }
      } else {
        result = await repo.listForSite(tx, siteId, from, to, { limit: page.pageSize, offset })
      }
      await audit.record(tx, actor, {
        action: 'list',
        entityType: 'appointment',
        siteId,
        details: {
          channel,
          diary: 'site',
          date,
          page: page.pageNumber,
          personIds: [...new Set(result.appointments.map((a) => a.personId))],
        },
      })
      return result
    })
  }

  /** A staff member's diary, limited to the sites the viewer works at. */
  async function listDiaryForStaff(
    staffId: string,
    date: string,
    actor: ActorContext,
    channel: Channel,
  ): Promise<repo.Appointment[]> {
    const principal = principalOf(actor)
    const { from, to } = ukDayRange(date)
    return db.transaction().execute(async (tx) => {
      const appointments = await visibleList(
        tx,
        principal,
        await repo.listForStaff(tx, staffId, principal.siteIds, from, to),
      )
      await audit.record(tx, actor, {
        action: 'list',
        entityType: 'appointment',
        details: {
          channel,
          diary: 'staff',
          staffId,
          date,
          personIds: [...new Set(appointments.map((a) => a.personId))],
        },
      })
      return appointments
    })
  }

  /** Staff at a site who may be booked: clinicians (and hub managers) and probation practitioners. */
  async function staffChoices(siteId: string) {
    const [clinicians, practitioners] = await Promise.all([
      repo.listStaffAt(db, siteId, clinicianRoles),
      repo.listStaffAt(db, siteId, practitionerRoles),
    ])
    return { clinicians, practitioners }
  }

  /**
   * For the worklist, inside its transaction: marks an open follow-up done (who, when, the note). Whether it moved:
   * a follow-up already done is left as it is. The caller checks who may, and audits.
   */
  /** Puts work on a worklist once (per appointment, assignee and kind), audited as the caller's change. */
  async function addFollowUp(tx: Transaction<DB>, work: NewFollowUpWork, actor: ActorContext): Promise<boolean> {
    const item = { ...work, dueDate: nextWorkingDay(ukToday(clock)) }
    const id =
      work.appointmentId === null
        ? await repo.insertFollowUp(tx, item, clock.now())
        : await repo.insertFollowUpOnce(tx, item, clock.now())
    if (id === undefined) return false
    await audit.record(tx, actor, {
      action: 'create',
      entityType: 'follow_up',
      entityId: id,
      personId: work.personId,
      siteId: work.siteId,
      details: { channel: 'job', kind: work.kind, appointmentId: work.appointmentId, assignedTo: work.assignedTo },
    })
    return true
  }

  async function closeFollowUp(
    executor: Executor,
    id: string,
    done: { by: string; at: Date; note: string },
  ): Promise<boolean> {
    return repo.markFollowUpDone(executor, id, done)
  }

  return {
    closeFollowUp,
    addFollowUp,
    today: () => ukToday(clock),
    now,
    bookAppointment,
    rescheduleAppointment,
    cancelAppointment,
    recordOutcome,
    viewAppointment,
    listForPerson,
    personForBooking,
    listDiaryForSite,
    listDiaryForStaff,
    staffChoices,
  }
}
