/** Turns treatment requirements into what the templates show. */
import { formatDate, formatDateTime } from '../../platform/views/format.ts'
import { kindText, needCategoryText, statusText, treatmentRequirementKinds } from './treatment-requirements.messages.ts'
import { NO_REFERRAL } from './treatment-requirements.forms.ts'
import { treatmentRequirementPaths } from './treatment-requirements.paths.ts'
import type { EventView, ReferralView, RequirementDetail, RequirementView } from './treatment-requirements.service.ts'
import type { Transition } from './treatment-requirements.transitions.ts'
import type { TreatmentRequirementKind } from './treatment-requirements.tables.ts'

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)

function tagHtml(view: RequirementView, id?: string): string {
  const s = statusText[view.requirement.status]
  const idAttr = id === undefined ? '' : ` id="${id}"`
  return `<strong class="govuk-tag ${s.tag}"${idAttr}>${escapeHtml(s.text)}</strong>`
}

/** The linked referral in words this viewer may read. */
export function referralText(view: RequirementView): string {
  if (view.referral !== undefined) return `${view.referral.serviceName}: ${view.referral.statusText.toLowerCase()}`
  if (view.referralHidden) return 'Linked (details not shared with probation)'
  return 'None linked'
}

/** Each date the requirement has, in order, as "Proposed 1 November 2026". */
function datesText(view: RequirementView): string[] {
  const r = view.requirement
  const lines = [`Proposed ${formatDate(r.proposedOn)}`]
  if (r.assessedOn !== null) lines.push(`Assessed ${formatDate(r.assessedOn)}`)
  if (r.madeOn !== null) lines.push(`Made by the court ${formatDate(r.madeOn)}`)
  if (r.startedOn !== null) lines.push(`Started ${formatDate(r.startedOn)}`)
  if (r.status === 'breached') lines.push(`Breached ${formatDate(r.statusOn)}`)
  if (r.endedOn !== null) lines.push(`Completed ${formatDate(r.endedOn)}`)
  return lines
}

export function listTable(views: readonly RequirementView[]) {
  return {
    head: [{ text: 'Requirement' }, { text: 'Status' }, { text: 'Dates' }, { text: 'Treatment referral' }],
    rows: views.map((v) => [
      {
        html: `<a class="govuk-link" href="${escapeHtml(treatmentRequirementPaths.requirement(v.requirement.id))}">${escapeHtml(
          kindText[v.requirement.kind].name,
        )} (${kindText[v.requirement.kind].short})</a>`,
      },
      { html: tagHtml(v) },
      { html: datesText(v).map(escapeHtml).join('<br>') },
      { text: referralText(v) },
    ]),
  }
}

export function summaryRows(detail: RequirementDetail) {
  const r = detail.requirement
  const rows: { key: { text: string }; value: { text?: string; html?: string } }[] = [
    { key: { text: 'Requirement' }, value: { text: `${kindText[r.kind].name} (${kindText[r.kind].short})` } },
    {
      key: { text: 'Status' },
      value: { html: `${tagHtml(detail, 'current-status')} since ${escapeHtml(formatDate(r.statusOn))}` },
    },
    { key: { text: 'Proposed' }, value: { text: formatDate(r.proposedOn) } },
  ]
  if (r.assessedOn !== null) rows.push({ key: { text: 'Assessed' }, value: { text: formatDate(r.assessedOn) } })
  if (r.madeOn !== null) rows.push({ key: { text: 'Made by the court' }, value: { text: formatDate(r.madeOn) } })
  if (r.startedOn !== null) rows.push({ key: { text: 'Treatment started' }, value: { text: formatDate(r.startedOn) } })
  if (r.endedOn !== null) rows.push({ key: { text: 'Completed' }, value: { text: formatDate(r.endedOn) } })
  rows.push({ key: { text: 'Treatment referral' }, value: { text: referralDetailText(detail) } })
  rows.push({ key: { text: 'Court and order note' }, value: { text: r.note ?? 'None' } })
  return rows
}

function referralDetailText(detail: RequirementDetail): string {
  const referral = detail.referral
  if (referral === undefined) return referralText(detail)
  const parts = [referral.serviceName, `Referral status: ${referral.statusText.toLowerCase()}`]
  if (referral.needCategory !== null) parts.push(`Need: ${needCategoryText[referral.needCategory].toLowerCase()}`)
  if (referral.sentOn !== null) parts.push(`Sent ${formatDate(referral.sentOn)}`)
  return parts.join('. ')
}

function eventText(e: EventView): string {
  switch (e.kind) {
    case 'proposed':
      return 'Proposed'
    case 'referral-linked':
      return e.referral === null ? 'Treatment referral linked' : `Treatment referral linked: ${e.referral.serviceName}`
    case 'referral-unlinked':
      return 'Treatment referral unlinked'
    case 'transition':
      return statusText[e.toStatus].text
  }
}

export function changelogTable(events: readonly EventView[]) {
  return {
    head: [{ text: 'Date' }, { text: 'What happened' }, { text: 'Reason or note' }, { text: 'Recorded by' }],
    rows: [...events]
      .reverse()
      .map((e) => [
        { text: formatDate(e.occurredOn) },
        { text: eventText(e) },
        { text: e.reasonHidden ? 'Recorded by the health team (not shown to probation)' : (e.reason ?? '') },
        { text: `${e.actorName ?? 'A former member of staff'}, ${formatDateTime(e.recordedAt)}` },
      ]),
  }
}

export function transitionItems(allowed: readonly Transition[], selected: unknown) {
  return allowed.map((t) => ({
    value: t.to,
    text: t.label,
    hint: {
      text: [
        t.reasonRequired ? `Needs a reason: ${t.reasonLabel.toLowerCase()}` : '',
        t.needsReferral ? 'Needs a linked treatment referral' : '',
      ]
        .filter(Boolean)
        .join('. '),
    },
    checked: selected === t.to,
  }))
}

function referralLabel(o: ReferralView): string {
  const parts = [o.serviceName]
  if (o.needCategory !== null) parts.push(needCategoryText[o.needCategory])
  parts.push(o.statusText)
  if (o.sentOn !== null) parts.push(`sent ${formatDate(o.sentOn)}`)
  return parts.join(' – ')
}

export function referralItems(detail: RequirementDetail, selected: unknown) {
  const chosen =
    typeof selected === 'string' && selected !== '' ? selected : (detail.requirement.referralId ?? NO_REFERRAL)
  const items: { value: string; text: string; hint?: { text: string }; checked: boolean }[] =
    detail.referralOptions.map((o) => ({
      value: o.id,
      text: referralLabel(o),
      ...(o.suggested
        ? { hint: { text: `Suggested: its need matches a ${kindText[detail.requirement.kind].short}` } }
        : {}),
      checked: chosen === o.id,
    }))
  items.push({ value: NO_REFERRAL, text: 'No treatment referral linked', checked: chosen === NO_REFERRAL })
  return items
}

export function kindItems(selected: unknown) {
  return treatmentRequirementKinds.map((k: TreatmentRequirementKind) => ({
    value: k,
    text: `${kindText[k].name} (${kindText[k].short})`,
    hint: { text: kindText[k].hint },
    checked: selected === k,
  }))
}
