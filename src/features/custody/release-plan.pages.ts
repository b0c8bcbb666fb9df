import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  dateParts,
  formErrorContext,
  isoToDateParts,
  parseDateParts,
  text,
  type FormBody,
} from '../../platform/forms/forms.ts'
import { actorOf } from '../../platform/http/auth.ts'
import { ValidationError, type FieldError } from '../../platform/http/errors.ts'
import { setFlash } from '../../platform/views/nunjucks.ts'
import { fullName } from '../../platform/views/person-header.ts'
import { formatDate } from '../../platform/views/format.ts'
import { custodyPaths, custodyRoutes } from './custody.paths.ts'
import { patchDraft } from './release-plan.api.ts'
import { planMessages, plainProgress, statusText } from './release-plan.messages.ts'
import type { ItemPatch } from './release-plan.schemas.ts'
import {
  NOTES_MAX,
  REASON_MAX,
  releasePlanReaderRoles,
  type ItemView,
  type ReleasePlanService,
} from './release-plan.service.ts'
import {
  historyTable,
  naloxoneItems,
  ownerItems,
  planRows,
  planSummary,
  statusItems,
  warningsOf,
  yesNoItems,
} from './release-plan.view-models.ts'

export interface ReleasePlanPagesDeps {
  releasePlans: ReleasePlanService
  flashCookie: string
}

type Values = Record<string, unknown>

function valuesOf(item: ItemView): Values {
  return {
    status: item.status,
    notApplicableReason: item.notApplicableReason ?? '',
    notes: item.notes ?? '',
    owner: item.owner,
    organisationCode: item.organisation?.code ?? '',
    daysSupplied: item.daysSupplied === null ? '' : String(item.daysSupplied),
    bridgingPrescription: item.bridgingPrescription === null ? '' : item.bridgingPrescription ? 'yes' : 'no',
    opioidSubstitution: item.opioidSubstitution,
    prescriberAppointmentOn: isoToDateParts(item.prescriberAppointmentOn),
    naloxone: item.naloxone ?? '',
    referralId: item.referralId ?? 'none',
  }
}

/** The form as a merge patch: the fields this viewer's form has, for this kind of item. */
function parseItemForm(
  body: FormBody | undefined,
  item: ItemView,
  health: boolean,
):
  | { ok: true; patch: ItemPatch; values: Values; version: number | undefined }
  | { ok: false; errors: FieldError[]; values: Values } {
  const values: Values = {
    status: text(body, 'status'),
    notApplicableReason: text(body, 'notApplicableReason'),
    notes: text(body, 'notes'),
    owner: text(body, 'owner'),
    organisationCode: text(body, 'organisationCode'),
    daysSupplied: text(body, 'daysSupplied'),
    bridgingPrescription: text(body, 'bridgingPrescription'),
    opioidSubstitution: text(body, 'opioidSubstitution') === 'yes',
    prescriberAppointmentOn: dateParts(body, 'prescriberAppointmentOn'),
    naloxone: text(body, 'naloxone'),
    referralId: text(body, 'referralId'),
  }
  const errors: FieldError[] = []
  const patch: ItemPatch = {
    status: text(body, 'status'),
    notApplicableReason: text(body, 'notApplicableReason') === '' ? null : text(body, 'notApplicableReason'),
    notes: text(body, 'notes') === '' ? null : text(body, 'notes'),
  }
  if (health) {
    patch.owner = text(body, 'owner')
    patch.organisationCode = text(body, 'organisationCode') === '' ? null : text(body, 'organisationCode')
    if (item.kind === 'medicines') {
      const days = text(body, 'daysSupplied')
      if (days !== '' && !/^\d{1,3}$/.test(days))
        errors.push({ field: 'daysSupplied', message: planMessages.daysSupplied })
      patch.daysSupplied = days === '' || !/^\d{1,3}$/.test(days) ? null : Number(days)
      const bridging = text(body, 'bridgingPrescription')
      patch.bridgingPrescription = bridging === 'yes' ? true : bridging === 'no' ? false : null
      patch.opioidSubstitution = text(body, 'opioidSubstitution') === 'yes'
      const date = parseDateParts(
        dateParts(body, 'prescriberAppointmentOn'),
        'prescriberAppointmentOn',
        'the date of the community prescriber’s first appointment',
        { required: false },
      )
      if (date.error !== undefined) errors.push(date.error)
      patch.prescriberAppointmentOn = date.value
    }
    if (item.kind === 'naloxone') patch.naloxone = text(body, 'naloxone') === '' ? null : text(body, 'naloxone')
    if (item.kind === 'drug-alcohol' || item.kind === 'mental-health') {
      const referral = text(body, 'referralId')
      patch.referralId = referral === '' || referral === 'none' ? null : referral
    }
  }
  if (errors.length > 0) return { ok: false, errors, values }
  const raw = text(body, 'version')
  return { ok: true, patch, values, version: /^\d{1,9}$/.test(raw) ? Number(raw) : undefined }
}

export function registerReleasePlanPages(app: FastifyInstance, deps: ReleasePlanPagesDeps): void {
  const { releasePlans, flashCookie } = deps
  const readers = { config: { access: releasePlanReaderRoles } }
  const params = (request: FastifyRequest) => request.params as { episodeId?: string; itemId?: string }

  app.get(custodyRoutes.releasePlan, readers, async (request, reply) => {
    const plan = await releasePlans.viewPlan(params(request).episodeId ?? '', actorOf(request), 'page')
    const { person, episode } = plan
    return reply.view('custody/views/release-plan.njk', {
      pageTitle: `Release plan – ${fullName(person)}`,
      person,
      showCrn: plan.viewer !== 'partner',
      episode,
      release: `${plan.releaseExpected ? 'Expected release' : 'Released'} on ${formatDate(plan.releaseDate)} from ${episode.prisonName}`,
      rows: planRows(plan.items),
      summary: planSummary(plan.items),
      viewer: plan.viewer,
      healthWithheld: plan.healthWithheld,
      backHref: plan.viewer === 'partner' ? custodyPaths.partnerItems() : custodyPaths.episode(episode.id),
    })
  })

  app.get(custodyRoutes.partnerItems, { config: { access: ['partner'] } }, async (request, reply) => {
    const { rows } = await releasePlans.partnerItems(actorOf(request), 'page')
    return reply.view('custody/views/partner-items.njk', {
      pageTitle: 'Release plans: your organisation’s items',
      rows: rows.map((r) => ({
        person: fullName(r.person),
        release: formatDate(r.episode.actualReleaseDate ?? r.episode.expectedReleaseDate),
        progress: plainProgress({ kind: r.item.kind, state: r.state }),
        due: formatDate(r.state.dueOn),
        tag: statusText[r.state.status],
        overdue: r.state.overdue,
        href: custodyPaths.planItem(r.item.id),
        planHref: custodyPaths.releasePlan(r.episode.id),
      })),
    })
  })

  async function renderItem(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    values?: Values,
    errors: readonly FieldError[] = [],
  ) {
    const view = await releasePlans.viewItem(params(request).itemId ?? '', actorOf(request), 'page')
    const { plan, item } = view
    const health = plan.viewer === 'health'
    const shown = values ?? valuesOf(item)
    const todayParts = isoToDateParts(plan.today)
    return reply.code(status).view('custody/views/plan-item.njk', {
      pageTitle: item.title,
      person: plan.person,
      showCrn: plan.viewer !== 'partner',
      item,
      health,
      canEdit: item.canEdit,
      due: formatDate(item.state.dueOn),
      warnings: warningsOf(item),
      prescriberDue: item.prescriberDueOn === undefined ? undefined : formatDate(item.prescriberDueOn),
      statuses: statusItems(shown['status']),
      owners: ownerItems(shown['owner']),
      organisations: [
        { value: '', text: 'Not chosen' },
        ...view.organisations.map((o) => ({
          value: o.code,
          text: o.name,
          selected: shown['organisationCode'] === o.code,
        })),
      ],
      naloxone: naloxoneItems(shown['naloxone']),
      bridging: yesNoItems(shown['bridgingPrescription']),
      referrals: [
        ...view.referralOptions.map((r) => ({
          value: r.id,
          text: `${r.serviceName}: ${r.status.replace(/-/g, ' ')}`,
          checked: shown['referralId'] === r.id,
        })),
        { divider: 'or' },
        { value: 'none', text: 'Not linked', checked: shown['referralId'] === 'none' || shown['referralId'] === '' },
      ],
      reasonMax: REASON_MAX,
      notesMax: NOTES_MAX,
      example: `${todayParts.day} ${todayParts.month} ${todayParts.year}`,
      version: item.version,
      history: historyTable(view.history),
      action: custodyPaths.planItem(item.id),
      backHref: custodyPaths.releasePlan(plan.episode.id),
      ...formErrorContext(errors, shown),
    })
  }

  app.get(custodyRoutes.planItem, readers, async (request, reply) => renderItem(request, reply, 200))

  app.post(custodyRoutes.planItem, readers, async (request, reply) => {
    const itemId = params(request).itemId ?? ''
    const { item, plan } = await releasePlans.viewItem(itemId, actorOf(request), 'page')
    const form = parseItemForm(request.body as FormBody | undefined, item, plan.viewer === 'health')
    if (!form.ok) return renderItem(request, reply, 400, form.values, form.errors)
    try {
      const result = await releasePlans.updateItem(
        itemId,
        form.version ?? -1,
        (current, organisationCode) => patchDraft(current, organisationCode, form.patch),
        actorOf(request),
        'page',
      )
      if (!result.ok)
        return await renderItem(request, reply, 409, form.values, [{ field: 'stale', message: planMessages.stale }])
      setFlash(reply, flashCookie, result.changed ? `${item.title}: saved` : 'Nothing was changed')
      return await reply.redirect(custodyPaths.releasePlan(result.plan.episode.id))
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      const errors = error.errors.map((e) => ({
        field: e.field === 'prescriberAppointmentOn' ? 'prescriberAppointmentOn-day' : e.field,
        message: e.message,
      }))
      return renderItem(request, reply, 400, form.values, errors)
    }
  })
}
