import { formatDateTime } from '../../platform/views/format.ts'
import { ukDateOf } from '../../platform/time/uk-time.ts'
import { maxScore, type InstrumentDefinition } from '../instruments/index.ts'
import type { SectionStatus, StoredResult, WarningFlag } from './health-checks.service.ts'

export const sectionStatusTags: Record<SectionStatus, { text: string; classes?: string }> = {
  'not-started': { text: 'Not started', classes: 'govuk-tag--blue' },
  'in-progress': { text: 'In progress', classes: 'govuk-tag--light-blue' },
  completed: { text: 'Completed' },
  'cannot-start': { text: 'Cannot start yet', classes: 'govuk-tag--grey' },
}

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
    raised: formatDateTime(flag.raisedAt),
    responded: flag.respondedAt === null ? null : formatDateTime(flag.respondedAt),
    tag: awaiting
      ? overdue
        ? { text: 'Response overdue', classes: 'govuk-tag--red' }
        : { text: today ? 'Needs a response today' : 'Needs a response', classes: 'govuk-tag--orange' }
      : { text: 'Responded', classes: 'govuk-tag--green' },
  }
}

