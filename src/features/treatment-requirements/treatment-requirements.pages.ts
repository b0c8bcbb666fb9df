import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { formErrorContext, isoToDateParts, text, type FormBody } from '../../platform/forms/forms.ts'
import { actorOf } from '../../platform/http/auth.ts'
import { AppError, ConflictError, DomainError, ValidationError, type FieldError } from '../../platform/http/errors.ts'
import { setFlash } from '../../platform/views/nunjucks.ts'
import {
  parseLinkForm,
  parseProposalForm,
  parseTransitionForm,
  type FormValues,
} from './treatment-requirements.forms.ts'
import { kindText, messages, NOTE_MAX, statusText } from './treatment-requirements.messages.ts'
import { treatmentRequirementPaths, treatmentRequirementRoutes } from './treatment-requirements.paths.ts'
import {
  requirementRoles,
  requirementTitle,
  type TreatmentRequirementsService,
} from './treatment-requirements.service.ts'
import {
  changelogTable,
  kindItems,
  listTable,
  referralItems,
  summaryRows,
  transitionItems,
} from './treatment-requirements.view-models.ts'
import { fullName } from '../../platform/views/person-header.ts'

export interface TreatmentRequirementsPagesDeps {
  requirements: TreatmentRequirementsService
  flashCookie: string
}

type Form = 'transition' | 'link'

/** The field a service refusal names, as the form's id (dates link to their day box). */
function formField(field: string, form: Form | 'propose'): string {
  if (field === 'at') return 'at-day'
  if (field === 'proposedOn') return 'proposedOn-day'
  // A practitioner's update form has no referral choice: the refusal belongs to what they chose.
  if (field === 'referralId' && form === 'transition') return 'to'
  return field
}

/** A refusal the page can show on the form, or undefined for one the error handler answers (403, 404). */
function formErrors(error: unknown, form: Form | 'propose'): FieldError[] | undefined {
  if (error instanceof ValidationError || error instanceof DomainError) {
    return error.errors.map((e) => ({ field: formField(e.field, form), message: e.message }))
  }
  if (error instanceof ConflictError) {
    return [{ field: form === 'propose' ? 'kind' : form === 'link' ? 'referralId' : 'to', message: error.message }]
  }
  return undefined
}

export function registerTreatmentRequirementsPages(app: FastifyInstance, deps: TreatmentRequirementsPagesDeps): void {
  const { requirements, flashCookie } = deps
  const config = { access: requirementRoles }

  app.get(treatmentRequirementRoutes.personRequirements, { config }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const { person, requirements: list } = await requirements.listForPerson(id, actorOf(request), 'page')
    return reply.view('treatment-requirements/views/list.njk', {
      pageTitle: `Treatment requirements – ${fullName(person)}`,
      person,
      table: listTable(list),
      proposeHref: treatmentRequirementPaths.propose(person.id),
      personHref: treatmentRequirementPaths.person(person.id),
    })
  })

  async function renderProposal(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    values: FormValues,
    errors: readonly FieldError[] = [],
  ) {
    const { id } = request.params as { id: string }
    const person = await requirements.viewForProposal(id, actorOf(request))
    return reply.code(status).view('treatment-requirements/views/propose.njk', {
      pageTitle: 'Propose a treatment requirement',
      person,
      kinds: kindItems(values['kind']),
      todayParts: isoToDateParts(requirements.today()),
      noteMax: NOTE_MAX,
      noteHint: messages.noteIsShared,
      action: treatmentRequirementPaths.propose(person.id),
      backHref: treatmentRequirementPaths.personRequirements(person.id),
      ...formErrorContext(errors, values),
    })
  }

  app.get(treatmentRequirementRoutes.propose, { config }, async (request, reply) =>
    renderProposal(request, reply, 200, {}),
  )

  app.post(treatmentRequirementRoutes.propose, { config }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const form = parseProposalForm(request.body as FormBody | undefined)
    if (!form.ok) return renderProposal(request, reply, 400, form.values, form.errors)
    try {
      const detail = await requirements.propose(id, form.value, actorOf(request), 'page')
      setFlash(reply, flashCookie, `${kindText[form.value.kind].short} proposed`)
      return await reply.redirect(treatmentRequirementPaths.requirement(detail.requirement.id))
    } catch (error) {
      const errors = formErrors(error, 'propose')
      if (errors === undefined) throw error
      return renderProposal(request, reply, statusOf(error), form.values, errors)
    }
  })

  async function renderRequirement(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    options: { form?: Form; values?: FormValues; errors?: readonly FieldError[] } = {},
  ) {
    const { id } = request.params as { id: string }
    const detail = await requirements.viewRequirement(
      id,
      actorOf(request),
      'page',
      options.form === undefined ? 'view' : 'update-form',
    )
    const { person, requirement } = detail
    const values = options.values ?? {}
    const errors = options.errors ?? []
    return reply.code(status).view('treatment-requirements/views/requirement.njk', {
      pageTitle: `${requirementTitle(requirement.kind)} – ${fullName(person)}`,
      heading: requirementTitle(requirement.kind),
      person,
      rows: summaryRows(detail),
      changelog: changelogTable(detail.events),
      transitions: transitionItems(detail.allowed, options.form === 'transition' ? values['to'] : undefined),
      canUpdate: detail.allowed.length > 0,
      needsReferral: detail.allowed.some((t) => t.needsReferral) && !detail.referralLinked,
      canLinkReferral: detail.canLinkReferral,
      referrals: referralItems(detail, options.form === 'link' ? values['referralId'] : undefined),
      hasReferrals: detail.referralOptions.length > 0,
      version: requirement.version,
      todayParts: isoToDateParts(requirements.today()),
      lastChange: statusText[requirement.status].text,
      statusOn: requirement.statusOn,
      noteMax: NOTE_MAX,
      action: treatmentRequirementPaths.requirement(requirement.id),
      backHref: treatmentRequirementPaths.personRequirements(person.id),
      form: options.form,
      ...formErrorContext(errors, values),
    })
  }

  app.get(treatmentRequirementRoutes.requirement, { config }, async (request, reply) =>
    renderRequirement(request, reply, 200),
  )

  async function postLink(request: FastifyRequest, reply: FastifyReply, id: string, body: FormBody | undefined) {
    const parsed = parseLinkForm(body)
    if (!parsed.ok)
      return renderRequirement(request, reply, 400, { form: 'link', values: parsed.values, errors: parsed.errors })
    const { referralId, version } = parsed.value
    try {
      const result = await requirements.linkReferral(id, referralId, version ?? -1, actorOf(request), 'page')
      if (!result.ok) return await renderStale(request, reply, 'link', parsed.values)
      const done = referralId === null ? 'Treatment referral unlinked' : 'Treatment referral linked'
      setFlash(reply, flashCookie, result.changed === true ? done : 'No changes were made')
      return await reply.redirect(treatmentRequirementPaths.requirement(result.detail.requirement.id))
    } catch (error) {
      const errors = formErrors(error, 'link')
      if (errors === undefined) throw error
      return renderRequirement(request, reply, statusOf(error), { form: 'link', values: parsed.values, errors })
    }
  }

  async function postTransition(request: FastifyRequest, reply: FastifyReply, id: string, body: FormBody | undefined) {
    const parsed = parseTransitionForm(body)
    if (!parsed.ok) {
      return renderRequirement(request, reply, 400, {
        form: 'transition',
        values: parsed.values,
        errors: parsed.errors,
      })
    }
    const { to, at, reason, version } = parsed.value
    try {
      const input = { to, at, reason, referralId: undefined }
      const result = await requirements.transition(id, input, version ?? -1, actorOf(request), 'page')
      if (!result.ok) return await renderStale(request, reply, 'transition', parsed.values)
      setFlash(reply, flashCookie, `Status updated: ${statusText[to].text.toLowerCase()}`)
      return await reply.redirect(treatmentRequirementPaths.requirement(result.detail.requirement.id))
    } catch (error) {
      const errors = formErrors(error, 'transition')
      if (errors === undefined) throw error
      return renderRequirement(request, reply, statusOf(error), { form: 'transition', values: parsed.values, errors })
    }
  }

  function renderStale(request: FastifyRequest, reply: FastifyReply, form: Form, values: FormValues) {
    return renderRequirement(request, reply, 409, {
      form,
      values,
      errors: [{ field: 'stale', message: messages.staleUpdate }],
    })
  }

  /** One URL, two forms (a change of status, a linked referral): each says which it is in a hidden field. */
  app.post(treatmentRequirementRoutes.requirement, { config }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const body = request.body as FormBody | undefined
    return text(body, 'form') === 'link' ? postLink(request, reply, id, body) : postTransition(request, reply, id, body)
  })
}

function statusOf(error: unknown): number {
  return error instanceof AppError ? error.status : 400
}
