/** What the release plan pages show. */
import { formatDate, formatDateTime } from '../../platform/views/format.ts'
import { custodyPaths } from './custody.paths.ts'
import { naloxoneText, ownerText, plainProgress, statusText } from './release-plan.messages.ts'
import type { ItemView } from './release-plan.service.ts'
import type { OstGap } from './release-plan.rules.ts'
import { naloxoneOutcomes, planItemOwners, planItemStatuses } from './release-plan.tables.ts'

export function ostGapText(gap: OstGap): string {
  switch (gap.kind) {
    case 'supply-not-recorded':
      return 'Gap in opioid substitution treatment: record how many days of medicine they leave with.'
    case 'no-appointment':
      return `Gap in opioid substitution treatment: their supply runs out after ${formatDate(gap.supplyEndsAfter)} and no community prescriber appointment is recorded.`
    case 'appointment-too-late':
      return `Gap in opioid substitution treatment: their supply runs out after ${formatDate(gap.supplyEndsAfter)}, but the community prescriber’s first appointment is on ${formatDate(gap.appointmentOn)}.`
  }
}

export function warningsOf(item: ItemView): string[] {
  const warnings: string[] = []
  if (item.state.ostGap !== undefined) warnings.push(ostGapText(item.state.ostGap))
  if (item.state.treatmentLate) warnings.push('The first appointment is more than 3 weeks after release.')
  return warnings
}

function detailOf(item: ItemView): string | undefined {
  if (item.statusOnly) return undefined
  const parts: string[] = []
  if (item.state.doneBy === 'gp-registration') parts.push('Registered, from the GP registration record')
  if (item.referral !== undefined) {
    parts.push(
      `Referral to ${item.referral.serviceName}${item.referral.firstAppointmentOn === null ? '' : `, first appointment ${formatDate(item.referral.firstAppointmentOn)}`}`,
    )
  }
  if (item.kind === 'medicines') {
    if (item.daysSupplied !== null) parts.push(`${String(item.daysSupplied)} days supplied`)
    if (item.bridgingPrescription !== null)
      parts.push(item.bridgingPrescription ? 'Bridging prescription' : 'No bridging prescription')
    if (item.opioidSubstitution) {
      parts.push(
        `Opioid substitution treatment; community prescriber ${item.prescriberAppointmentOn === null ? 'not booked' : formatDate(item.prescriberAppointmentOn)}`,
      )
    }
  }
  if (item.naloxone !== null) parts.push(`Naloxone: ${naloxoneText[item.naloxone].toLowerCase()}`)
  if (item.notApplicableReason !== null) parts.push(`Does not apply: ${item.notApplicableReason}`)
  if (item.notes !== null) parts.push(item.notes)
  return parts.length === 0 ? undefined : parts.join('. ')
}

/** The status tags as HTML: fixed words of this module's own, so nothing typed by a user is put in HTML. */
function statusHtml(tag: { text: string; tag: string }, overdue: boolean): string {
  const status = `<strong class="govuk-tag ${tag.tag}">${tag.text}</strong>`
  return overdue ? `${status} <strong class="govuk-tag govuk-tag--red">Overdue</strong>` : status
}

export function planRows(items: readonly ItemView[]) {
  return items.map((item) => summaryOf(item))
}

function summaryOf(item: ItemView) {
  const row = {
    id: item.id,
    title: item.title,
    progress: plainProgress({ kind: item.kind, state: item.state, referralStatus: item.referral?.status }),
    owner: item.owner === 'partner' && item.organisation !== null ? item.organisation.name : ownerText[item.owner],
    due: formatDate(item.state.dueOn),
    overdue: item.state.overdue,
    tag: statusText[item.state.status],
    detail: detailOf(item),
    warnings: warningsOf(item),
    editHref: item.canEdit ? custodyPaths.planItem(item.id) : undefined,
  }
  const key = (text: string) => ({ text })
  return {
    ...row,
    summaryRows: [
      { key: key('Status'), value: { html: statusHtml(row.tag, row.overdue) } },
      { key: key('Progress'), value: { text: row.progress } },
      { key: key('Due'), value: { text: row.due } },
      { key: key('Owner'), value: { text: row.owner } },
      ...(row.detail === undefined ? [] : [{ key: key('Details'), value: { text: row.detail } }]),
    ],
  }
}

export function planSummary(items: readonly ItemView[]) {
  const outstanding = items.filter((i) => i.state.outstanding).length
  const overdue = items.filter((i) => i.state.overdue).length
  return { outstanding, overdue, total: items.length }
}

const radio = (value: string, text: string, selected: unknown) => ({ value, text, checked: selected === value })

export const statusItems = (selected: unknown) => planItemStatuses.map((s) => radio(s, statusText[s].text, selected))
export const ownerItems = (selected: unknown) => planItemOwners.map((o) => radio(o, ownerText[o], selected))
export const naloxoneItems = (selected: unknown) => [
  ...naloxoneOutcomes.map((n) => radio(n, naloxoneText[n], selected)),
  { divider: 'or' },
  radio('', 'Not yet', selected === null || selected === undefined ? '' : selected),
]
export const yesNoItems = (selected: unknown) => [
  radio('yes', 'Yes', selected),
  radio('no', 'No', selected),
  radio('', 'Not known yet', selected),
]

export function historyTable(
  history: readonly {
    version: number
    snapshot: Record<string, unknown>
    actorName: string | null
    recordedAt: Date
  }[],
) {
  return {
    head: [{ text: 'Version' }, { text: 'Recorded' }, { text: 'By' }, { text: 'Status' }, { text: 'Notes' }],
    rows: history.map((h) => {
      const status = typeof h.snapshot['status'] === 'string' ? h.snapshot['status'] : ''
      const notes = typeof h.snapshot['notes'] === 'string' ? h.snapshot['notes'] : ''
      return [
        { text: String(h.version) },
        { text: formatDateTime(h.recordedAt) },
        { text: h.actorName ?? 'Unknown' },
        { text: status in statusText ? statusText[status as keyof typeof statusText].text : status },
        { text: notes },
      ]
    }),
  }
}
