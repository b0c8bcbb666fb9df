import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { formErrorContext, type FormBody, isUuid } from '../../platform/forms/forms.ts'
import { personRecordRoles, requirePrincipal } from '../../platform/http/auth.ts'
import { ConflictError, ForbiddenError, ValidationError, type FieldError } from '../../platform/http/errors.ts'
import { setFlash } from '../../platform/views/nunjucks.ts'
import type { SitesService } from '../sites/index.ts'
import {
  appointmentToFormValues,
  parseBookingForm,
  parseCancelForm,
  parseOutcomeForm,
  parseDiaryChoice,
  toFormField,
  versionOf,
  type FormValues,
} from './appointments.forms.ts'
import { messages, outcomeLabels } from './appointments.messages.ts'
import { appointmentPaths, appointmentRoutes } from './appointments.paths.ts'
import {
  CLASH_CODE,
  
  type Appointment,
  type AppointmentsService,
  type ChangeResult,
  type PersonSummary,
} from './appointments.service.ts'
import {
  absenceReasonItems,
  durationItems,
  kindItems,
  outcomeItems,
  row,
  staffItems,
  summaryRows,
  whenText,
} from './appointments.view-models.ts'
import { addDays, isDiaryDate, longCalendarDate, ukDateOf } from '../../platform/time/uk-time.ts'
import { actorOf } from '../../platform/http/auth.ts'
import { fullName } from '../../platform/views/person-header.ts'
import { govukPagination, pageCount } from '../../platform/views/pagination.ts'
import { DIARY_PAGE_SIZE } from './appointments.service.ts'

export interface AppointmentPagesDeps {
  appointments: AppointmentsService
  sites: SitesService
  flashCookie: string
}

const idParam = (request: FastifyRequest) => (request.params as { id: string }).id
const ifDay = (day: string | undefined, href: (day: string) => string) => (day === undefined ? undefined : href(day))

/** Errors a form can show: the service's rule failures and clashes, with its field names turned into the form's. */
function formErrors(error: unknown): FieldError[] | undefined {
  if (error instanceof ValidationError) return error.errors.map((e) => ({ ...e, field: toFormField(e.field) }))
  if (error instanceof ConflictError && error.extra['code'] === CLASH_CODE) {
    const errors = (error.extra['errors'] ?? []) as FieldError[]
    return errors.map((e) => ({ ...e, field: 'startTime' }))
  }
  return undefined
}

export function registerAppointmentPages(app: FastifyInstance, deps: AppointmentPagesDeps): void {
  const { appointments, sites, flashCookie } = deps
  const config = { access: personRecordRoles }

  async function renderBooking(
    reply: FastifyReply,
    status: number,
    form: { mode: 'new'; person: PersonSummary } | { mode: 'reschedule'; appointment: Appointment },
    values: FormValues,
    errors: readonly FieldError[] = [],
  ) {
    const siteId = form.mode === 'new' ? form.person.siteId : form.appointment.siteId
    const name =
      form.mode === 'new'
        ? fullName(form.person)
        : `${form.appointment.personGivenName} ${form.appointment.personFamilyName}`
    const staff = await appointments.staffChoices(siteId)
    const submitted = typeof values['submissionId'] === 'string' ? values['submissionId'] : ''
    return reply.code(status).view('appointments/views/book.njk', {
      pageTitle: form.mode === 'new' ? `Book an appointment for ${name}` : `Reschedule ${name}’s appointment`,
      action:
        form.mode === 'new' ? appointmentPaths.book(form.person.id) : appointmentPaths.reschedule(form.appointment.id),
      backHref:
        form.mode === 'new'
          ? appointmentPaths.personAppointments(form.person.id)
          : appointmentPaths.appointment(form.appointment.id),
      rescheduling: form.mode === 'reschedule',
      currentWhen: form.mode === 'reschedule' ? whenText(form.appointment) : undefined,
      submissionId: form.mode === 'new' ? (isUuid(submitted) ? submitted : randomUUID()) : undefined,
      kindItems: kindItems(values['kind']),
      durationItems: durationItems(values['durationMinutes']),
      clinicianItems: staffItems(staff.clinicians, values['clinicianId'], 'Select a clinician'),
      practitionerItems: staffItems(staff.practitioners, values['practitionerId'], 'Select a practitioner'),
      ...formErrorContext(errors, values),
    })
  }

  app.get(appointmentRoutes.personAppointments, { config }, async (request, reply) => {
    const { person, appointments: list } = await appointments.listForPerson(idParam(request), actorOf(request), 'page')
    const now = appointments.now().getTime()
    const upcoming = list.filter((a) => a.status === 'booked' && a.endsAt.getTime() >= now).reverse()
    const past = list.filter((a) => !upcoming.includes(a))
    return reply.view('appointments/views/person-appointments.njk', {
      pageTitle: `Appointments – ${fullName(person)}`,
      person,
      name: fullName(person),
      upcoming: upcoming.map((a) => row(a, { withPerson: false, withDate: true })),
      past: past.map((a) => row(a, { withPerson: false, withDate: true })),
      bookHref: appointmentPaths.book(person.id),
      personHref: appointmentPaths.person(person.id),
    })
  })

  app.get(appointmentRoutes.book, { config }, async (request, reply) => {
    const person = await appointments.personForBooking(idParam(request), actorOf(request))
    return renderBooking(reply, 200, { mode: 'new', person }, { durationMinutes: '45' })
  })

  app.post(appointmentRoutes.book, { config }, async (request, reply) => {
    const form = parseBookingForm(request.body as FormBody | undefined, { today: ukDateOf(appointments.now()) })
    const person = await appointments.personForBooking(idParam(request), actorOf(request))
    if (!form.ok) return renderBooking(reply, 400, { mode: 'new', person }, form.values, form.errors)
    const submissionId = typeof form.values['submissionId'] === 'string' ? form.values['submissionId'] : ''
    try {
      const { appointment } = await appointments.bookAppointment(
        person.id,
        form.value,
        actorOf(request),
        'page',
        isUuid(submissionId) ? submissionId : undefined,
      )
      setFlash(reply, flashCookie, `Appointment booked for ${whenText(appointment)}`)
      return await reply.redirect(appointmentPaths.appointment(appointment.id))
    } catch (error) {
      const errors = formErrors(error)
      if (errors !== undefined) return renderBooking(reply, 400, { mode: 'new', person }, form.values, errors)
      if (error instanceof Error && 'code' in error && error.code === 'idempotency-key-reused') {
        return renderBooking(reply, 400, { mode: 'new', person }, { ...form.values, submissionId: '' }, [
          { field: 'kind', message: messages.formAlreadyUsed },
        ])
      }
      throw error
    }
  })

  app.get(appointmentRoutes.appointment, { config }, async (request, reply) => {
    const appointment = await appointments.viewAppointment(idParam(request), actorOf(request), 'page')
    const booked = appointment.status === 'booked'
    return reply.view('appointments/views/appointment.njk', {
      pageTitle: `Appointment on ${whenText(appointment)}`,
      appointment,
      rows: summaryRows(appointment),
      booked,
      outcomeHref: appointmentPaths.outcome(appointment.id),
      rescheduleHref: appointmentPaths.reschedule(appointment.id),
      cancelHref: appointmentPaths.cancel(appointment.id),
      backHref: appointmentPaths.personAppointments(appointment.personId),
      rescheduledFromHref:
        appointment.rescheduledFrom === null ? undefined : appointmentPaths.appointment(appointment.rescheduledFrom),
      rescheduledToHref:
        appointment.rescheduledTo === null ? undefined : appointmentPaths.appointment(appointment.rescheduledTo),
    })
  })

  /** A change refused because the appointment is no longer booked: back to it, saying why. */
  async function notBooked(reply: FastifyReply, id: string) {
    setFlash(reply, flashCookie, messages.notBooked, 'important')
    return reply.redirect(appointmentPaths.appointment(id))
  }

  const renderOutcome = (
    reply: FastifyReply,
    status: number,
    appointment: Appointment,
    values: FormValues,
    errors: readonly FieldError[] = [],
  ) =>
    reply.code(status).view('appointments/views/outcome.njk', {
      pageTitle: 'Record what happened',
      appointment,
      when: whenText(appointment),
      action: appointmentPaths.outcome(appointment.id),
      backHref: appointmentPaths.appointment(appointment.id),
      outcomeItems: outcomeItems(values['outcome']),
      absenceReasonItems: absenceReasonItems(values['absenceReason']),
      ...formErrorContext(errors, values),
    })

  const renderCancel = (
    reply: FastifyReply,
    status: number,
    appointment: Appointment,
    values: FormValues,
    errors: readonly FieldError[] = [],
  ) =>
    reply.code(status).view('appointments/views/cancel.njk', {
      pageTitle: 'Cancel the appointment',
      appointment,
      when: whenText(appointment),
      action: appointmentPaths.cancel(appointment.id),
      backHref: appointmentPaths.appointment(appointment.id),
      ...formErrorContext(errors, values),
    })

  /** Shows a form for a booked appointment; anything else goes back to the appointment. */
  async function loadBooked(request: FastifyRequest, reply: FastifyReply, purpose: string) {
    const appointment = await appointments.viewAppointment(idParam(request), actorOf(request), 'page', purpose)
    if (appointment.status !== 'booked') {
      await notBooked(reply, appointment.id)
      return undefined
    }
    return appointment
  }

  app.get(appointmentRoutes.outcome, { config }, async (request, reply) => {
    const appointment = await loadBooked(request, reply, 'outcome')
    if (appointment === undefined) return reply
    return renderOutcome(reply, 200, appointment, { version: String(appointment.version) })
  })

  /** What every change form does with the service's answer: stale, refused, or done. */
  async function afterChange(
    reply: FastifyReply,
    id: string,
    change: () => Promise<ChangeResult>,
    rerender: (status: number, current: Appointment, errors: FieldError[], keepValues: boolean) => unknown,
    staleField: string,
    done: (result: Extract<ChangeResult, { ok: true }>) => string,
  ) {
    try {
      const result = await change()
      if (!result.ok) {
        if (result.current.status !== 'booked') return await notBooked(reply, id)
        return await rerender(409, result.current, [{ field: staleField, message: messages.stale }], false)
      }
      setFlash(reply, flashCookie, done(result))
      return await reply.redirect(appointmentPaths.appointment(result.appointment.id))
    } catch (error) {
      if (error instanceof ConflictError && error.extra['code'] === 'not-booked') return notBooked(reply, id)
      const errors = formErrors(error)
      if (errors === undefined) throw error
      const current = await appointments.viewAppointment(id, actorOf(reply.request), 'page', 'change-error')
      return rerender(400, current, errors, true)
    }
  }

  app.post(appointmentRoutes.outcome, { config }, async (request, reply) => {
    const id = idParam(request)
    const form = parseOutcomeForm(request.body as FormBody | undefined)
    if (!form.ok) {
      const appointment = await appointments.viewAppointment(id, actorOf(request), 'page', 'outcome')
      return renderOutcome(reply, 400, appointment, form.values, form.errors)
    }
    return afterChange(
      reply,
      id,
      () => appointments.recordOutcome(id, versionOf(form.values), form.value, actorOf(request), 'page'),
      (status, current, errors, keep) =>
        renderOutcome(reply, status, current, keep ? form.values : { version: String(current.version) }, errors),
      'outcome',
      (result) =>
        `Outcome recorded: ${outcomeLabels[form.value.outcome]}` +
        (result.followUps > 0
          ? `. Follow-up work has been created for ${result.followUps === 1 ? 'the clinician' : 'the clinician and the probation practitioner'}`
          : ''),
    )
  })

  app.get(appointmentRoutes.cancel, { config }, async (request, reply) => {
    const appointment = await loadBooked(request, reply, 'cancel')
    if (appointment === undefined) return reply
    return renderCancel(reply, 200, appointment, { version: String(appointment.version) })
  })

  app.post(appointmentRoutes.cancel, { config }, async (request, reply) => {
    const id = idParam(request)
    const form = parseCancelForm(request.body as FormBody | undefined)
    if (!form.ok) {
      const appointment = await appointments.viewAppointment(id, actorOf(request), 'page', 'cancel')
      return renderCancel(reply, 400, appointment, form.values, form.errors)
    }
    return afterChange(
      reply,
      id,
      () => appointments.cancelAppointment(id, versionOf(form.values), form.value, actorOf(request), 'page'),
      (status, current, errors, keep) =>
        renderCancel(reply, status, current, keep ? form.values : { version: String(current.version) }, errors),
      'reason',
      () => 'The appointment has been cancelled',
    )
  })

  app.get(appointmentRoutes.reschedule, { config }, async (request, reply) => {
    const appointment = await loadBooked(request, reply, 'reschedule')
    if (appointment === undefined) return reply
    return renderBooking(reply, 200, { mode: 'reschedule', appointment }, appointmentToFormValues(appointment))
  })

  app.post(appointmentRoutes.reschedule, { config }, async (request, reply) => {
    const id = idParam(request)
    const form = parseBookingForm(request.body as FormBody | undefined, {
      askWhoRequested: true,
      today: ukDateOf(appointments.now()),
    })
    if (!form.ok) {
      const appointment = await appointments.viewAppointment(id, actorOf(request), 'page', 'reschedule')
      return renderBooking(reply, 400, { mode: 'reschedule', appointment }, form.values, form.errors)
    }
    const { requestedBy, ...details } = form.value
    return afterChange(
      reply,
      id,
      () =>
        appointments.rescheduleAppointment(id, versionOf(form.values), requestedBy, details, actorOf(request), 'page'),
      (status, current, errors, keep) =>
        renderBooking(
          reply,
          status,
          { mode: 'reschedule', appointment: current },
          keep ? form.values : appointmentToFormValues(current),
          errors,
        ),
      'startDate-day',
      (result) => `Appointment moved to ${whenText(result.appointment)}`,
    )
  })

  /** The day a diary shows: ?date=YYYY-MM-DD, the date input's parts, or today in the UK. */
  function diaryChoice(request: FastifyRequest) {
    const choice = parseDiaryChoice(request.query as FormBody | undefined, appointments.today())
    return {
      choice,
      status: choice.errors.length > 0 ? 400 : 200,
      context: formErrorContext(choice.errors, { date: choice.parts }),
    }
  }

  /** The day `days` away, when a diary can show it; otherwise no link (the template leaves it out). */
  function diaryDay(date: string, days: number): string | undefined {
    const day = addDays(date, days)
    return isDiaryDate(day) ? day : undefined
  }

  app.get(appointmentRoutes.diary, { config }, async (request, reply) => {
    const principal = requirePrincipal(request)
    const mySites = await sites.listByIds(principal.siteIds)
    const query = request.query as Record<string, unknown>
    const wanted = typeof query['site'] === 'string' ? query['site'] : (mySites[0]?.code ?? '')
    const site = mySites.find((s) => s.code === wanted)
    // Another site's code (or one that does not exist) is refused the same way, revealing nothing.
    if (site === undefined) throw new ForbiddenError('You do not have access to this site.')
    const { choice, status, context } = diaryChoice(request)
    const date = choice.date
    const pageText = typeof query['page'] === 'string' ? query['page'] : '1'
    const pageNumber = Math.min(Math.max(Number.parseInt(pageText, 10) || 1, 1), 1000)
    const { total, appointments: list } = await appointments.listDiaryForSite(site.id, date, actorOf(request), 'page', {
      pageNumber,
      pageSize: DIARY_PAGE_SIZE,
    })
    return reply.code(status).view('appointments/views/diary.njk', {
      ...context,
      pageTitle: `Diary – ${site.name}`,
      heading: `${site.name} diary`,
      dayText: longCalendarDate(date),
      date,
      site,
      siteItems:
        mySites.length > 1
          ? mySites.map((s) => ({ value: s.code, text: s.name, selected: s.code === site.code }))
          : undefined,
      rows: list.map((a) => row(a, { withPerson: true, withDate: false })),
      total,
      pageNumber,
      firstPageHref: appointmentPaths.diary({ site: site.code, date }),
      pagination: govukPagination(
        pageNumber,
        pageCount(total, DIARY_PAGE_SIZE),
        (p) => appointmentPaths.diary({ site: site.code, date, page: p }),
        'Pages of the diary',
      ),
      previousHref: ifDay(diaryDay(date, -1), (day) => appointmentPaths.diary({ site: site.code, date: day })),
      nextHref: ifDay(diaryDay(date, 1), (day) => appointmentPaths.diary({ site: site.code, date: day })),
      todayHref: appointmentPaths.diary({ site: site.code }),
      formAction: appointmentPaths.diary(),
      myDiaryHref: appointmentPaths.myDiary({ date }),
    })
  })

  app.get(appointmentRoutes.myDiary, { config }, async (request, reply) => {
    const principal = requirePrincipal(request)
    const { choice, status, context } = diaryChoice(request)
    const date = choice.date
    const list = await appointments.listDiaryForStaff(principal.userId, date, actorOf(request), 'page')
    return reply.code(status).view('appointments/views/diary.njk', {
      ...context,
      pageTitle: 'Your diary',
      heading: 'Your diary',
      dayText: longCalendarDate(date),
      date,
      mine: true,
      rows: list.map((a) => row(a, { withPerson: true, withDate: false })),
      previousHref: ifDay(diaryDay(date, -1), (day) => appointmentPaths.myDiary({ date: day })),
      nextHref: ifDay(diaryDay(date, 1), (day) => appointmentPaths.myDiary({ date: day })),
      todayHref: appointmentPaths.myDiary(),
      formAction: appointmentPaths.myDiary(),
      siteDiaryHref: appointmentPaths.diary({ date }),
    })
  })
}
