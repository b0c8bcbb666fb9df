import { formatDate, formatDateTime } from '../../platform/views/format.ts'
import { needCategoryLabels } from './needs.rules.ts'
import { needPaths } from './needs.paths.ts'
import type { Need, NeedEvent } from './needs.service.ts'
import type { NeedStatus } from './needs.tables.ts'

export const needLabels: Readonly<Record<string, string>> = needCategoryLabels

export const needStatusTags: Readonly<Record<NeedStatus, { text: string; classes: string }>> = {
  proposed: { text: 'Proposed', classes: 'govuk-tag--yellow' },
  confirmed: { text: 'Confirmed', classes: 'govuk-tag--green' },
  dismissed: { text: 'Dismissed', classes: 'govuk-tag--grey' },
}

/** Where the pages link a need proposed by a health check to (the health-checks feature's summary page). */
export interface CheckLinks {
  summary(checkId: string): string
}

/** Where a need came from, in words, with a link to the check that proposed it. */
export function needSource(need: Need, links: CheckLinks): { text: string; href: string | undefined } {
  if (need.checkId !== null) {
    const when = need.checkStartedAt === null ? '' : ` started ${formatDateTime(need.checkStartedAt)}`
    return { text: `Proposed by the health check${when}`, href: links.summary(need.checkId) }
  }
  const by = need.recordedByName === null ? '' : ` by ${need.recordedByName}`
  return { text: `Recorded directly${by}`, href: undefined }
}

export function needView(need: Need, links: CheckLinks) {
  return {
    ...need,
    label: needLabels[need.category] ?? need.category,
    tag: needStatusTags[need.status],
    href: needPaths.need(need.id),
    identified: formatDate(need.identifiedOn),
    source: needSource(need, links),
  }
}

/** One decision in words: "Proposed by the health check", "Confirmed", "Changed from confirmed to dismissed". */
export function needEventText(event: Pick<NeedEvent, 'fromStatus' | 'toStatus'>, direct: boolean): string {
  const { fromStatus: from, toStatus: to } = event
  if (from === null)
    return to === 'proposed' ? 'Proposed by the health check' : direct ? 'Recorded and confirmed' : 'Recorded'
  if (to === 'proposed') return `Reopened (changed from ${from} back to proposed)`
  if (from === 'proposed') return to === 'confirmed' ? 'Confirmed' : 'Dismissed'
  return `Changed from ${from} to ${to}`
}

export function needEventView(event: NeedEvent, direct: boolean) {
  return {
    when: formatDateTime(event.recordedAt),
    text: needEventText(event, direct),
    reason: event.reason,
    by: event.actorName,
  }
}

/** The decisions a clinician may make from a need's status, as radios. */
export function decisionItems(status: NeedStatus, chosen: string) {
  const items: { value: NeedStatus; text: string; hint?: { text: string } }[] = []
  if (status !== 'confirmed') items.push({ value: 'confirmed', text: 'Confirm the need' })
  if (status !== 'dismissed') items.push({ value: 'dismissed', text: 'Dismiss the need' })
  if (status !== 'proposed') {
    items.push({
      value: 'proposed',
      text: 'Reopen it as proposed',
      hint: { text: 'Neither confirmed nor dismissed, until a clinician decides again' },
    })
  }
  return items.map((i) => ({ ...i, checked: i.value === chosen }))
}

