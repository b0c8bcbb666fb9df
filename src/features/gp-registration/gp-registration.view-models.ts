/** Turns GP registration state into what the templates show. */
import { formatDate, formatDateTime } from '../../platform/views/format.ts'
import { gpRegistrationStatuses, NOT_LISTED, statusText } from './gp-registration.messages.ts'
import type { GpRegistrationRecord, GpRegistrationState } from './gp-registration.service.ts'

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)

export function practiceText(record: Pick<GpRegistrationRecord, 'practiceName' | 'practiceOdsCode'>): string {
  if (record.practiceName === null) return ''
  return record.practiceOdsCode === null ? record.practiceName : `${record.practiceName} (${record.practiceOdsCode})`
}

/** Whole days from one ISO date to another. */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
}

function sinceText(since: string, today: string): string {
  const days = daysBetween(since, today)
  const ago = days <= 0 ? 'today' : days === 1 ? '1 day' : `${days.toLocaleString('en-GB')} days`
  return `Since ${formatDate(since)} (${ago})`
}

/** The summary list of the current status; undefined before anything is recorded. */
export function currentRows(state: GpRegistrationState, today: string) {
  const current = state.current
  if (current === undefined) return undefined
  const text = statusText[current.status]
  const rows: { key: { text: string }; value: { text?: string; html?: string } }[] = [
    {
      key: { text: 'Status' },
      value: { html: `<strong class="govuk-tag ${text.tag}" id="current-status">${escapeHtml(text.status)}</strong>` },
    },
  ]
  if (current.status === 'in-progress' && state.inProgressSince !== undefined) {
    rows.push({ key: { text: 'In progress' }, value: { text: sinceText(state.inProgressSince, today) } })
  } else {
    rows.push({ key: { text: 'Date' }, value: { text: formatDate(current.statusDate) } })
  }
  if (current.practiceName !== null) rows.push({ key: { text: 'Practice' }, value: { text: practiceText(current) } })
  if (current.reason !== null) {
    rows.push({
      key: { text: current.status === 'refused' ? 'Reason given' : 'Reason' },
      value: { text: current.reason },
    })
  }
  if (current.helpGiven !== null) rows.push({ key: { text: 'Help given' }, value: { text: current.helpGiven } })
  rows.push({
    key: { text: 'Recorded' },
    value: {
      text: `${formatDateTime(current.recordedAt)} by ${current.recordedByName ?? 'a former member of staff'}`,
    },
  })
  return rows
}

/** Every status recorded, newest first. */
export function historyTable(history: readonly GpRegistrationRecord[]) {
  return {
    head: [
      { text: 'Date' },
      { text: 'Status' },
      { text: 'Practice' },
      { text: 'Reason' },
      { text: 'Help given' },
      { text: 'Recorded by' },
    ],
    rows: history.map((r) => [
      { text: formatDate(r.statusDate) },
      { text: statusText[r.status].status },
      { text: practiceText(r) },
      { text: r.reason ?? '' },
      { text: r.helpGiven ?? '' },
      { text: `${r.recordedByName ?? 'A former member of staff'}, ${formatDateTime(r.recordedAt)}` },
    ]),
  }
}

export function statusItems(selected: unknown) {
  return gpRegistrationStatuses.map((s) => ({
    value: s,
    text: statusText[s].label,
    hint: { text: statusText[s].hint },
    checked: selected === s,
  }))
}

/** The practice select: none, the site's directory GP practices, and "not in the directory". */
export function practiceItems(
  practices: readonly { id: string; name: string; odsCode: string | null }[],
  selected: unknown,
  current: GpRegistrationRecord | undefined,
) {
  const items = [
    { value: '', text: 'No practice', selected: selected === '' || selected === undefined },
    ...practices.map((p) => ({
      value: p.id,
      text: p.odsCode === null ? p.name : `${p.name} (${p.odsCode})`,
      selected: selected === p.id,
    })),
  ]
  // The practice recorded now stays a choice even if it has left the directory since.
  const currentId = current?.serviceId ?? null
  if (currentId !== null && !practices.some((p) => p.id === currentId)) {
    items.push({
      value: currentId,
      text: `${practiceText(current ?? { practiceName: null, practiceOdsCode: null })} (no longer in the directory)`,
      selected: selected === currentId,
    })
  }
  items.push({ value: NOT_LISTED, text: 'The practice is not in the directory', selected: selected === NOT_LISTED })
  return items
}
