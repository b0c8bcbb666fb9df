import type { InstrumentDefinition } from '../instruments/instruments.schemas.ts'
import { maxScore } from '../instruments/instruments.scoring.ts'
import { needCategoryLabels } from './health-checks.rules.ts'
import { formatDate } from '../../platform/views/format.ts'
import { healthCheckPaths } from './health-checks.paths.ts'
import type { Need, NeedEvent, SectionStatus, StoredResult, WarningFlag } from './health-checks.service.ts'
import { ukDateOf } from '../../platform/time/uk-time.ts'
import type { NeedStatus } from '../needs/needs.tables.ts'
import type { ReferralStatus } from '../referrals/referrals.tables.ts'

const timeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
})

/** "20 November 2026 at 10:00am" in UK time. */
export function ukDateTime(instant: Date): string {
  const parts = timeFormat.formatToParts(instant)
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  return `${get('day')} ${get('month')} ${get('year')} at ${get('hour')}:${get('minute')}${get('dayPeriod').toLowerCase()}`
}

export const sectionStatusTags: Record<SectionStatus, { text: string; classes?: string }> = {
  'not-started': { text: 'Not started', classes: 'govuk-tag--blue' },
  'in-progress': { text: 'In progress', classes: 'govuk-tag--light-blue' },
  completed: { text: 'Completed' },
  'cannot-start': { text: 'Cannot start yet', classes: 'govuk-tag--grey' },
}

export const needLabels: Readonly<Record<string, string>> = needCategoryLabels

/** How a question is named in a sentence: "question 3", or its text when it has no number. */
export function itemName(definition: InstrumentDefinition | undefined, code: string): string {
  const item = definition?.items.find((i) => i.code === code)
  if (item === undefined) return code
  return item.number === null ? `“${item.text}”` : `question ${String(item.number)}`
}

/** A result in words: the score and band, or which questions are missing. Never a risk level. */
export function describeResult(definition: InstrumentDefinition | undefined, result: StoredResult): string {
  if (!result.applicable) return 'Does not apply'
  if (result.complete) {
    const band = result.band === null ? '' : ` – ${result.band.label}`
    const max = definition === undefined ? '' : ` out of ${String(maxScore(definition))}`
    return `${String(result.score)}${max}${band}`
  }
  const declined = result.preferNotToSay.map((c) => itemName(definition, c))
  const skipped = result.missingItems
    .filter((c) => !result.preferNotToSay.includes(c))
    .map((c) => itemName(definition, c))
  const parts = [
    skipped.length > 0 ? `not answered: ${skipped.join(', ')}` : '',
    declined.length > 0 ? `prefer not to say: ${declined.join(', ')}` : '',
  ].filter((p) => p !== '')
  return `Incomplete (${parts.join('; ')}). No score is given for an incomplete result.`
}

export function flagView(flag: WarningFlag, now: Date) {
  const awaiting = flag.status === 'awaiting-response'
  const overdue = awaiting && now >= flag.respondBy
  const today = ukDateOf(now) === ukDateOf(flag.raisedAt)
  return {
    ...flag,
    raised: ukDateTime(flag.raisedAt),
    responded: flag.respondedAt === null ? null : ukDateTime(flag.respondedAt),
    tag: awaiting
      ? overdue
        ? { text: 'Response overdue', classes: 'govuk-tag--red' }
        : { text: today ? 'Needs a response today' : 'Needs a response', classes: 'govuk-tag--orange' }
      : { text: 'Responded', classes: 'govuk-tag--green' },
  }
}

export const needStatusTags: Readonly<Record<NeedStatus, { text: string; classes: string }>> = {
  proposed: { text: 'Proposed', classes: 'govuk-tag--yellow' },
  confirmed: { text: 'Confirmed', classes: 'govuk-tag--green' },
  dismissed: { text: 'Dismissed', classes: 'govuk-tag--grey' },
}

/** Where a need came from, in words, with a link to the check that proposed it. */
export function needSource(need: Need): { text: string; href: string | undefined } {
  if (need.checkId !== null) {
    const when = need.checkStartedAt === null ? '' : ` started ${ukDateTime(need.checkStartedAt)}`
    return { text: `Proposed by the health check${when}`, href: healthCheckPaths.summary(need.checkId) }
  }
  const by = need.recordedByName === null ? '' : ` by ${need.recordedByName}`
  return { text: `Recorded directly${by}`, href: undefined }
}

export function needView(need: Need) {
  return {
    ...need,
    label: needLabels[need.category] ?? need.category,
    tag: needStatusTags[need.status],
    href: healthCheckPaths.need(need.id),
    identified: formatDate(need.identifiedOn),
    source: needSource(need),
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
    when: ukDateTime(event.recordedAt),
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

/** Referral statuses in plain words, for the timeline: "Referral to Talking Therapies: declined by the person". */
export const referralStatusLabels: Readonly<Record<ReferralStatus, string>> = {
  draft: 'draft',
  sent: 'sent',
  accepted: 'accepted',
  rejected: 'rejected',
  'first-appointment-booked': 'first appointment booked',
  'first-appointment-attended': 'first appointment attended',
  engaged: 'engaged',
  completed: 'completed',
  declined: 'declined by the person',
  withdrawn: 'withdrawn',
  'did-not-attend': 'did not attend',
}
