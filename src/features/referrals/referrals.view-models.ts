/** Turns referrals into what the templates show. Text is escaped here wherever HTML is built. */
import { formatDate, formatDateTime, formatNhsNumber } from '../../platform/views/format.ts'
import { kindText } from '../services/index.ts'
import {
  isOverdue,
  needsAppointmentDate,
  needsReason,
  statusText,
  urgencyText,
  type ReferralStatus,
} from './referrals.lifecycle.ts'
import { needLabels } from './referrals.messages.ts'
import { referralPaths } from './referrals.paths.ts'
import type { PartnerConsent, Referral, ReferralEvent, ReferralPerson, ReferralView } from './referrals.service.ts'
import { fullName } from '../../platform/views/person-header.ts'

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)

type Row = { key: { text: string }; value: { text?: string; html?: string }; actions?: unknown }

export function statusTag(status: ReferralStatus): string {
  const text = statusText[status]
  return `<strong class="govuk-tag ${text.tag}">${escapeHtml(text.label)}</strong>`
}

const OVERDUE_TAG = '<strong class="govuk-tag govuk-tag--red hub-overdue">Overdue</strong>'

export function chaseHtml(chaseOn: string | null, today: string): string {
  if (chaseOn === null) return 'None'
  const date = escapeHtml(formatDate(chaseOn))
  return isOverdue(chaseOn, today) ? `${date} ${OVERDUE_TAG}` : date
}

function days(n: number): string {
  return n === 1 ? '1 day' : `${n.toLocaleString('en-GB')} days`
}

export function serviceText(referral: Pick<Referral, 'serviceName' | 'serviceKind'>): string {
  return `${referral.serviceName} (${kindText[referral.serviceKind].label})`
}

/** The referral's summary list. */
export function referralRows(referral: Referral, today: string): Row[] {
  const rows: Row[] = [
    {
      key: { text: 'Status' },
      value: {
        html: `${statusTag(referral.status)}<p class="govuk-body govuk-!-margin-top-2 govuk-!-margin-bottom-0" id="status-meaning">${escapeHtml(statusText[referral.status].meaning)}</p>`,
      },
    },
    {
      key: { text: 'Need' },
      value: { text: `${needLabels[referral.needCategory]} (identified ${formatDate(referral.needIdentifiedOn)})` },
    },
    { key: { text: 'Service' }, value: { text: serviceText(referral) } },
  ]
  if (referral.organisationName !== null) {
    rows.push({ key: { text: 'Partner organisation' }, value: { text: referral.organisationName } })
  }
  rows.push(
    { key: { text: 'Urgency' }, value: { text: urgencyText[referral.urgency].label } },
    { key: { text: 'Reason for referral' }, value: { text: referral.reason } },
    { key: { text: 'Sent' }, value: { text: referral.sentOn === null ? 'Not sent yet' : formatDate(referral.sentOn) } },
  )
  if (referral.firstAppointmentOn !== null) {
    rows.push({ key: { text: 'First appointment' }, value: { text: formatDate(referral.firstAppointmentOn) } })
  }
  if (referral.firstAttendedOn !== null) {
    rows.push({ key: { text: 'First attended' }, value: { text: formatDate(referral.firstAttendedOn) } })
  }
  if (referral.daysToFirstTreatment !== null) {
    rows.push({
      key: { text: 'Need to first treatment' },
      value: { html: `<span id="days-to-first-treatment">${escapeHtml(days(referral.daysToFirstTreatment))}</span>` },
    })
  }
  rows.push({
    key: { text: 'Chase date' },
    value: { html: `<span id="chase-on">${chaseHtml(referral.chaseOn, today)}</span>` },
  })
  if (referral.closedOn !== null) rows.push({ key: { text: 'Closed' }, value: { text: formatDate(referral.closedOn) } })
  rows.push({
    key: { text: 'Made by' },
    value: { text: `${referral.createdByName ?? 'A former member of staff'}, ${formatDateTime(referral.createdAt)}` },
  })
  return rows
}

/** What a receiving service is told of the person: identity, contact details and communication needs. */
export function personRows(person: ReferralPerson): Row[] {
  const rows: Row[] = [{ key: { text: 'Name' }, value: { text: fullName(person) } }]
  if (person.preferredName !== null)
    rows.push({ key: { text: 'Preferred name' }, value: { text: person.preferredName } })
  rows.push({ key: { text: 'Date of birth' }, value: { text: formatDate(person.dateOfBirth) } })
  rows.push({
    key: { text: 'NHS number' },
    value: { text: person.nhsNumber === null ? 'Not known' : formatNhsNumber(person.nhsNumber) },
  })
  if (person.phone !== null) rows.push({ key: { text: 'Phone' }, value: { text: person.phone } })
  if (person.email !== null) rows.push({ key: { text: 'Email' }, value: { text: person.email } })
  const needs: string[] = []
  if (person.interpreterNeeded)
    needs.push(`Needs an interpreter${person.language === null ? '' : ` (${person.language})`}`)
  else if (person.language !== null) needs.push(`Language: ${person.language}`)
  if (person.readingSupport) needs.push('Needs support with reading')
  if (person.communicationNotes !== null) needs.push(person.communicationNotes)
  rows.push({
    key: { text: 'Communication needs' },
    value: needs.length === 0 ? { text: 'None recorded' } : { html: needs.map(escapeHtml).join('<br>') },
  })
  return rows
}

/** What the page says about consent to share with the receiving partner organisation. */
export function consentNotice(view: ReferralView): { kind: 'ok' | 'needed' | 'withdrawn'; text: string } | undefined {
  const { referral, consent } = view
  if (consent === 'not-needed') return undefined
  const organisation = referral.organisationName ?? referral.serviceName
  if (consent === 'given') {
    return { kind: 'ok', text: `The person has agreed to share their information with ${organisation}.` }
  }
  if (referral.status === 'draft') {
    return {
      kind: 'needed',
      text: `The person’s consent to share their information with ${organisation} is needed before this referral can be sent.`,
    }
  }
  return {
    kind: 'withdrawn',
    text:
      consent === 'withdrawn'
        ? `The person has withdrawn their consent to share their information with ${organisation}. ${organisation} can no longer see this referral’s details.`
        : `The person has not agreed to share their information with ${organisation}. ${organisation} cannot see this referral’s details.`,
  }
}

export function consentLabel(consent: PartnerConsent): string {
  switch (consent) {
    case 'not-needed':
      return ''
    case 'given':
      return 'Consent to share given'
    case 'not-given':
      return 'Consent to share needed'
    case 'withdrawn':
      return 'Consent to share withdrawn'
  }
}

/** The changelog, newest first, with who recorded each change. */
export function changelogTable(events: readonly ReferralEvent[]) {
  return {
    head: [{ text: 'Date' }, { text: 'Change' }, { text: 'Reason' }, { text: 'Recorded by' }],
    rows: events.map((e) => [
      { text: formatDate(e.occurredOn), classes: 'hub-nowrap' },
      {
        text:
          e.fromStatus === null
            ? 'Referral made'
            : `${statusText[e.fromStatus].label} to ${statusText[e.toStatus].label.toLowerCase()}`,
      },
      { text: e.reason ?? '' },
      { text: `${e.actorName ?? 'A former member of staff'}, ${formatDateTime(e.recordedAt)}` },
    ]),
  }
}

/** The "what has happened" radios: only what this user may record now. */
export function transitionItems(allowed: readonly ReferralStatus[], selected: unknown) {
  return allowed.map((to) => ({
    value: to,
    text: statusText[to].action,
    hint: {
      text:
        [
          needsAppointmentDate(to) ? 'Enter the appointment’s date below.' : '',
          needsReason(to) ? 'Enter the reason below.' : '',
        ]
          .filter(Boolean)
          .join(' ') || statusText[to].label,
    },
    checked: selected === to,
  }))
}

/** The person's referrals as a table. */
export function personReferralsTable(referrals: readonly Referral[], today: string) {
  return {
    head: [{ text: 'Service' }, { text: 'Need' }, { text: 'Status' }, { text: 'Sent' }, { text: 'Chase date' }],
    rows: referrals.map((r) => [
      {
        html: `<a class="govuk-link" href="${escapeHtml(referralPaths.referral(r.id))}">${escapeHtml(r.serviceName)}</a>`,
      },
      { text: needLabels[r.needCategory] },
      { html: statusTag(r.status) },
      { text: r.sentOn === null ? 'Not sent' : formatDate(r.sentOn), classes: 'hub-nowrap' },
      { html: chaseHtml(r.chaseOn, today) },
    ]),
  }
}

/** The /referrals list: a partner sees no details of referrals whose consent was withdrawn. */
export function referralListTable(items: readonly { referral: Referral; withheld: boolean }[], today: string) {
  return {
    head: [{ text: 'Person' }, { text: 'Service' }, { text: 'Status' }, { text: 'Sent' }, { text: 'Chase date' }],
    rows: items.map(({ referral: r, withheld }) =>
      withheld
        ? [
            {
              html: `<a class="govuk-link" href="${escapeHtml(referralPaths.referral(r.id))}">Referral ${escapeHtml(r.id.slice(0, 8))}</a>`,
            },
            { text: 'Consent to share withdrawn', colspan: 4 },
          ]
        : [
            {
              html: `<a class="govuk-link" href="${escapeHtml(referralPaths.referral(r.id))}">${escapeHtml(fullName(r))}</a>`,
            },
            { text: r.serviceName },
            { html: statusTag(r.status) },
            { text: r.sentOn === null ? 'Not sent' : formatDate(r.sentOn), classes: 'hub-nowrap' },
            { html: chaseHtml(r.chaseOn, today) },
          ],
    ),
  }
}
