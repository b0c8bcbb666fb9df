import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { formErrorContext, isoToDateParts, type FormBody } from '../../platform/forms/forms.ts'
import { hasRole, requirePrincipal } from '../../platform/http/auth.ts'
import { DomainError, type FieldError } from '../../platform/http/errors.ts'
import { setFlash } from '../../platform/views/nunjucks.ts'
import { parseGpRegistrationForm, type GpRegistrationFormValues } from './gp-registration.forms.ts'
import { HELP_MAX, messages, noFixedAbodeGuidance, NOT_LISTED, statusText } from './gp-registration.messages.ts'
import { gpRegistrationPaths, gpRegistrationRoutes } from './gp-registration.paths.ts'
import {
  gpRegistrationReaderRoles,
  gpRegistrationRecorderRoles,
  type GpRegistrationService,
  type GpRegistrationState,
} from './gp-registration.service.ts'
import { currentRows, historyTable, practiceItems, statusItems } from './gp-registration.view-models.ts'
import { actorOf } from '../../platform/http/auth.ts'
import { fullName } from '../../platform/views/person-header.ts'

export interface GpRegistrationPagesDeps {
  gpRegistration: GpRegistrationService
  flashCookie: string
}


/** The practice of the current status, as the form's practice fields, so recording a change of status is quick. */
function practiceValues(state: GpRegistrationState): GpRegistrationFormValues {
  const current = state.current
  if (current === undefined || current.practiceName === null) return {}
  if (current.serviceId !== null) return { practice: current.serviceId }
  return { practice: NOT_LISTED, practiceName: current.practiceName, practiceOdsCode: current.practiceOdsCode ?? '' }
}

export function registerGpRegistrationPages(app: FastifyInstance, deps: GpRegistrationPagesDeps): void {
  const { gpRegistration, flashCookie } = deps

  async function renderUpdateForm(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    values: GpRegistrationFormValues | ((state: GpRegistrationState) => GpRegistrationFormValues),
    errors: readonly FieldError[] = [],
    extra: Record<string, unknown> = {},
  ) {
    const { id } = request.params as { id: string }
    const state = await gpRegistration.viewRegistration(id, actorOf(request), 'page', 'update-form')
    const shown = typeof values === 'function' ? values(state) : values
    const today = gpRegistration.today()
    const { person, current } = state
    return reply.code(status).view('gp-registration/views/update.njk', {
      pageTitle: 'Update GP registration',
      person,
      current:
        current === undefined
          ? undefined
          : { status: statusText[current.status].status, statusDate: current.statusDate },
      statuses: statusItems(shown['status']),
      practices: practiceItems(state.practices, shown['practice'], current),
      hasDirectoryPractices: state.practices.length > 0,
      guidance: noFixedAbodeGuidance,
      helpMax: HELP_MAX,
      todayParts: isoToDateParts(today),
      // The state this form was filled in against: a save after someone else's is refused, not lost.
      etag: state.etag,
      action: gpRegistrationPaths.update(person.id),
      backHref: gpRegistrationPaths.registration(person.id),
      ...formErrorContext(errors, shown),
      ...extra,
    })
  }

  app.get(
    gpRegistrationRoutes.registration,
    { config: { access: gpRegistrationReaderRoles } },
    async (request, reply) => {
      const principal = requirePrincipal(request)
      const { id } = request.params as { id: string }
      const state = await gpRegistration.viewRegistration(id, actorOf(request), 'page')
      const { person } = state
      return reply.view('gp-registration/views/registration.njk', {
        pageTitle: `GP registration – ${fullName(person)}`,
        person,
        rows: currentRows(state, gpRegistration.today()),
        refused: state.current?.status === 'refused',
        guidance: noFixedAbodeGuidance,
        history: historyTable(state.history),
        canUpdate: hasRole(principal, gpRegistrationRecorderRoles),
        updateHref: gpRegistrationPaths.update(person.id),
        personHref: gpRegistrationPaths.person(person.id),
      })
    },
  )

  app.get(gpRegistrationRoutes.update, { config: { access: gpRegistrationRecorderRoles } }, async (request, reply) =>
    // The date is asked, not filled in: a status recorded later must not take the day it was typed.
    renderUpdateForm(request, reply, 200, practiceValues),
  )

  app.post(gpRegistrationRoutes.update, { config: { access: gpRegistrationRecorderRoles } }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const form = parseGpRegistrationForm(request.body as FormBody | undefined, gpRegistration.today())
    if (!form.ok) return renderUpdateForm(request, reply, 400, form.values, form.errors)
    const etag = typeof form.values['etag'] === 'string' ? form.values['etag'] : ''
    try {
      const result = await gpRegistration.recordStatus(id, etag, form.value, actorOf(request), 'page')
      if (!result.ok) {
        return await renderUpdateForm(request, reply, 409, form.values, [
          { field: 'stale', message: messages.staleUpdate },
        ])
      }
      setFlash(
        reply,
        flashCookie,
        result.recorded
          ? `GP registration updated: ${statusText[form.value.status].status.toLowerCase()}`
          : 'No changes were made',
      )
      return await reply.redirect(gpRegistrationPaths.registration(result.state.person.id))
    } catch (error) {
      if (!(error instanceof DomainError)) throw error
      const errors = error.errors.map((e) => ({
        field: e.field === 'serviceId' ? 'practice' : e.field,
        message: e.message,
      }))
      return renderUpdateForm(request, reply, 400, form.values, errors)
    }
  })
}
