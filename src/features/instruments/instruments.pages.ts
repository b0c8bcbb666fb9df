import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { formErrorContext, type FormBody } from '../../platform/forms/forms.ts'
import { actorOf, type Access } from '../../platform/http/auth.ts'
import { NotFoundError, ValidationError, type FieldError } from '../../platform/http/errors.ts'
import { setFlash } from '../../platform/views/nunjucks.ts'
import { parsePermissionForm } from './instruments.forms.ts'
import { licenceLabel } from './instruments.messages.ts'
import { instrumentPaths } from './instruments.paths.ts'
import type { InstrumentSummary, InstrumentsService } from './instruments.service.ts'

export interface InstrumentPagesDeps {
  instruments: InstrumentsService
  flashCookie: string
}

const adminOnly: Access = ['admin']

/** One instrument as the administrators' list shows it. */
function instrumentCard(summary: InstrumentSummary) {
  const { definition, enabled, permission } = summary
  const actions = !definition.licence.requiresPermission
    ? []
    : permission === null
      ? [{ href: instrumentPaths.permission(definition.code), text: 'Record permission' }]
      : [
          { href: instrumentPaths.permission(definition.code), text: 'Change reference' },
          { href: instrumentPaths.revoke(definition.code), text: 'Revoke permission' },
        ]
  return {
    code: definition.code,
    title: definition.title,
    version: definition.version,
    licence: licenceLabel(definition.licence.category),
    holder: definition.licence.holder,
    enabled,
    permission,
    actions,
  }
}

function codeOf(request: FastifyRequest): string {
  return (request.params as { code: string }).code
}

/** Administrators record and revoke the licence holder's permission to use an instrument (issue 9, item 12). */
export function registerInstrumentPages(app: FastifyInstance, deps: InstrumentPagesDeps): void {
  const { instruments, flashCookie } = deps

  /** The instrument named in the URL; only those whose licence needs a permission have these pages. */
  async function needingPermission(request: FastifyRequest): Promise<InstrumentSummary> {
    const instrument = await instruments.getInstrument(codeOf(request))
    if (!instrument.definition.licence.requiresPermission) {
      throw new NotFoundError(`${instrument.definition.title} needs no recorded permission.`)
    }
    return instrument
  }

  function renderPermission(
    reply: FastifyReply,
    instrument: InstrumentSummary,
    status: number,
    errors: readonly FieldError[],
    values: Record<string, unknown>,
  ) {
    return reply.code(status).view('instruments/views/permission.njk', {
      pageTitle: `Record the licence holder’s permission: ${instrument.definition.title}`,
      instrument: instrumentCard(instrument),
      terms: instrument.definition.licence.terms,
      action: instrumentPaths.permission(instrument.definition.code),
      backHref: instrumentPaths.list,
      ...formErrorContext(errors, values),
    })
  }

  app.get(instrumentPaths.list, { config: { access: adminOnly } }, async (_request, reply) => {
    const cards = (await instruments.listInstruments()).map(instrumentCard)
    return reply.view('instruments/views/list.njk', {
      pageTitle: 'Screening instruments',
      needingPermission: cards.filter((c) => c.actions.length > 0),
      free: cards.filter((c) => c.actions.length === 0),
    })
  })

  app.get(instrumentPaths.permission(':code'), { config: { access: adminOnly } }, async (request, reply) => {
    const instrument = await needingPermission(request)
    return renderPermission(reply, instrument, 200, [], { reference: instrument.permission?.reference ?? '' })
  })

  app.post(instrumentPaths.permission(':code'), { config: { access: adminOnly } }, async (request, reply) => {
    const instrument = await needingPermission(request)
    const form = parsePermissionForm(request.body as FormBody | undefined)
    if (!form.ok) return renderPermission(reply, instrument, 400, form.errors, form.values)
    try {
      await instruments.recordPermission(instrument.definition.code, form.value.reference, actorOf(request))
    } catch (error) {
      if (error instanceof ValidationError) return renderPermission(reply, instrument, 400, error.errors, form.value)
      throw error
    }
    setFlash(reply, flashCookie, `Permission recorded: ${instrument.definition.title} can now be used in health checks`)
    return reply.redirect(instrumentPaths.list)
  })

  app.get(instrumentPaths.revoke(':code'), { config: { access: adminOnly } }, async (request, reply) => {
    const instrument = await needingPermission(request)
    // Nothing to revoke (revoked already, perhaps in another tab): the list shows where things stand.
    if (instrument.permission === null) return reply.redirect(instrumentPaths.list)
    return reply.view('instruments/views/revoke.njk', {
      pageTitle: `Are you sure you want to revoke permission to use ${instrument.definition.title}?`,
      instrument: instrumentCard(instrument),
      action: instrumentPaths.revoke(instrument.definition.code),
      backHref: instrumentPaths.list,
    })
  })

  app.post(instrumentPaths.revoke(':code'), { config: { access: adminOnly } }, async (request, reply) => {
    const instrument = await needingPermission(request)
    const { title } = instrument.definition
    try {
      await instruments.revokePermission(instrument.definition.code, actorOf(request))
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error
      setFlash(reply, flashCookie, `No permission was recorded for ${title}: it already cannot be used`, 'important')
      return reply.redirect(instrumentPaths.list)
    }
    setFlash(reply, flashCookie, `Permission revoked: ${title} can no longer be used in health checks`)
    return reply.redirect(instrumentPaths.list)
  })
}
