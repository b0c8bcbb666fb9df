/** Turns consent state into what the templates show. */
import { formatDate, formatDateTime } from '../../platform/views/format.ts'
import {
  consentTopics,
  decisionText,
  methodText,
  PARTNER_TOPIC,
  topicText,
  type ConsentTopic,
} from './consent.messages.ts'
import { consentPaths } from './consent.paths.ts'
import type { ConsentDecision, ConsentState } from './consent.service.ts'

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)

function topicLabel(d: { topic: ConsentTopic; organisationName: string | null }): string {
  return d.topic === PARTNER_TOPIC
    ? `Share with ${d.organisationName ?? 'a partner organisation'}`
    : topicText[d.topic].title
}

function statusHtml(d: ConsentDecision | undefined): string {
  if (d === undefined) return '<strong class="govuk-tag govuk-tag--grey">Not asked yet</strong>'
  const text = decisionText[d.decision]
  return (
    `<strong class="govuk-tag ${text.tag}">${escapeHtml(text.status)}</strong>` +
    `<p class="govuk-body-s govuk-!-margin-top-2 govuk-!-margin-bottom-0">Decided ${escapeHtml(formatDate(d.decidedOn))}, ` +
    `${escapeHtml(methodText[d.method].toLowerCase())}</p>`
  )
}

/** Summary-list rows: one per topic, and one per partner organisation with a decision recorded. */
export function currentRows(state: ConsentState, canRecord: boolean) {
  const personId = state.person.id
  const rows = []
  for (const topic of consentTopics) {
    if (topic === PARTNER_TOPIC) continue
    const decision = state.current.find((d) => d.topic === topic)
    rows.push({
      key: { text: topicText[topic].title },
      value: { html: statusHtml(decision) },
      actions: canRecord
        ? {
            items: [
              {
                href: consentPaths.record(personId, topic),
                text: 'Record a decision',
                visuallyHiddenText: `(${topicText[topic].title.toLowerCase()})`,
              },
            ],
          }
        : undefined,
    })
  }
  for (const decision of state.current.filter((d) => d.topic === PARTNER_TOPIC)) {
    const label = topicLabel(decision)
    rows.push({
      key: { text: label },
      value: { html: statusHtml(decision) },
      actions: canRecord
        ? {
            items: [
              {
                href: consentPaths.record(personId, PARTNER_TOPIC, decision.organisationCode ?? undefined),
                text: 'Record a decision',
                visuallyHiddenText: `(${label.toLowerCase()})`,
              },
            ],
          }
        : undefined,
    })
  }
  return rows
}

/** The history, newest first. Notes are shown only to those who may record (they may hold clinical detail). */
export function historyTable(history: readonly ConsentDecision[], showNotes: boolean) {
  const head = [
    { text: 'Recorded' },
    { text: 'About' },
    { text: 'Decision' },
    { text: 'Decided on' },
    { text: 'How' },
    { text: 'Recorded by' },
    ...(showNotes ? [{ text: 'Note' }] : []),
  ]
  const rows = history.map((d) => [
    { text: formatDateTime(d.recordedAt) },
    { text: topicLabel(d) },
    { text: decisionText[d.decision].status },
    { text: formatDate(d.decidedOn) },
    { text: methodText[d.method] },
    { text: d.recordedByName ?? 'A former member of staff' },
    ...(showNotes ? [{ text: d.note ?? '' }] : []),
  ])
  return { head, rows }
}
