/** Turns assessments and events into what the templates show. */
import { formatDate, formatDateTime } from '../../platform/views/format.ts'
import { formatLongDate, type ProgrammeAssessment } from './screening.eligibility.ts'
import {
  eligibleText,
  informedChoice,
  programmeLabel,
  resultLabel,
  resultLabels,
  screeningEventProgrammes,
  screeningEventStates,
  stateHint,
  stateLabel,
  statusTag,
} from './screening.messages.ts'
import type { ScreeningEventRecord } from './screening.service.ts'
import { resultOptionValue } from './screening.forms.ts'

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)

function tag(t: { text: string; classes: string }): string {
  return `<strong class="govuk-tag ${t.classes}">${escapeHtml(t.text)}</strong>`
}

/** One row per programme: name, eligible, status tag, next due date and the reason, all in plain words. */
export function assessmentTable(programmes: readonly ProgrammeAssessment[]) {
  return {
    head: [
      { text: 'Programme' },
      { text: 'Eligible' },
      { text: 'Status' },
      { text: 'Next due' },
      { text: 'Why', classes: 'hub-screening-reason' },
    ],
    rows: programmes.map((p) => {
      const prostate = p.programme === 'prostate-informed-choice'
      return [
        { text: programmeLabel[p.programme], attributes: { id: `programme-${p.programme}` } },
        { text: prostate ? informedChoice.eligible : eligibleText(p.eligible) },
        { html: tag(prostate ? informedChoice.tag : statusTag[p.status]) },
        { text: p.nextDue === null ? 'No date' : formatLongDate(p.nextDue) },
        { text: p.reason },
      ]
    }),
  }
}

function eventResultText(event: ScreeningEventRecord): string {
  const parts: string[] = []
  if (event.result !== null) parts.push(resultLabel(event.programme, event.result))
  if (event.selfSample === true) parts.push('Self-sample')
  return parts.join('. ')
}

/** Every event, newest first, with the link to mark one entered in error (or how it was corrected). */
export function historyTable(events: readonly ScreeningEventRecord[], correctHref: (id: string) => string) {
  return {
    head: [
      { text: 'Date' },
      { text: 'Programme' },
      { text: 'What happened' },
      { text: 'Result' },
      { text: 'Note' },
      { text: 'Recorded by' },
      { html: '<span class="govuk-visually-hidden">Correction</span>' },
    ],
    rows: events.map((e) => {
      const corrected = e.enteredInError
      const action =
        corrected === null
          ? `<a class="govuk-link" href="${escapeHtml(correctHref(e.id))}">Mark as entered in error` +
            `<span class="govuk-visually-hidden">: ${escapeHtml(programmeLabel[e.programme].toLowerCase())}, ` +
            `${escapeHtml(stateLabel[e.state].toLowerCase())} on ${escapeHtml(formatDate(e.date))}</span></a>`
          : `${tag({ text: 'Entered in error', classes: 'govuk-tag--red' })}<p class="govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-0">` +
            `${escapeHtml(corrected.reason)} (${escapeHtml(corrected.byName ?? 'a former member of staff')}, ` +
            `${escapeHtml(formatDateTime(corrected.at))})</p>`
      return [
        { text: formatDate(e.date) },
        { text: programmeLabel[e.programme] },
        { text: stateLabel[e.state] },
        { text: eventResultText(e) },
        { text: e.note ?? '' },
        { text: `${e.recordedByName ?? 'A former member of staff'}, ${formatDateTime(e.recordedAt)}` },
        { html: action, attributes: { id: `event-${e.id}` } },
      ]
    }),
  }
}

/** The summary of one event, for the "entered in error" page. */
export function eventRows(event: ScreeningEventRecord) {
  const rows = [
    { key: { text: 'Programme' }, value: { text: programmeLabel[event.programme] } },
    { key: { text: 'What happened' }, value: { text: stateLabel[event.state] } },
    { key: { text: 'Date' }, value: { text: formatDate(event.date) } },
  ]
  const result = eventResultText(event)
  if (result !== '') rows.push({ key: { text: 'Result' }, value: { text: result } })
  if (event.note !== null) rows.push({ key: { text: 'Note' }, value: { text: event.note } })
  rows.push({
    key: { text: 'Recorded' },
    value: { text: `${formatDateTime(event.recordedAt)} by ${event.recordedByName ?? 'a former member of staff'}` },
  })
  return rows
}

export function programmeItems(selected: unknown) {
  return screeningEventProgrammes.map((p) => ({ value: p, text: programmeLabel[p], checked: selected === p }))
}

export function stateItems(selected: unknown) {
  return screeningEventStates.map((s) => ({
    value: s,
    text: stateLabel[s],
    hint: { text: stateHint[s] },
    checked: selected === s,
  }))
}

/** Every programme's results in one select, each named with its programme, so the form works without JavaScript. */
export function resultItems(selected: unknown) {
  const items = [{ value: '', text: 'No result (not a result)', selected: selected === '' || selected === undefined }]
  for (const programme of screeningEventProgrammes) {
    for (const [code, label] of Object.entries(resultLabels[programme])) {
      const value = resultOptionValue(programme, code)
      items.push({ value, text: `${programmeLabel[programme]}: ${label}`, selected: selected === value })
    }
  }
  return items
}
