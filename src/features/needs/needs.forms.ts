import {
  addYears,
  dateParts,
  parseDateParts,
  text,
  type DateParts,
  type DateRange,
  type FormBody,
  type FormResult,
} from '../../platform/forms/forms.ts'
import type { FieldError } from '../../platform/http/errors.ts'
import { NEED_REASON_MAX } from './needs.rules.ts'
import type { NeedInput } from './needs.service.ts'
import { needCategories, needStatuses, type NeedCategory, type NeedStatus } from './needs.tables.ts'

/**
 * The decision a need form posts: the need page's radios say the status wanted; the summary's buttons (and older
 * pages) say confirm or dismiss.
 */
export function parseDecision(value: string): NeedStatus | undefined {
  if (value === 'confirm') return 'confirmed'
  if (value === 'dismiss') return 'dismissed'
  return (needStatuses as readonly string[]).includes(value) ? (value as NeedStatus) : undefined
}

export type NeedFormValues = {
  category: string
  why: string
  identifiedOn: DateParts
  submissionId: string
}

export const IDENTIFIED_ON_LABEL = 'the date the need was identified'

/** A need is recorded when it is identified or soon after: in the last 12 months ("not in the future" is a rule too). */
export function identifiedOnRange(today: string): DateRange {
  return { earliest: addYears(today, -1) }
}

/** "Add a need": the category, why, and the date it was identified (today or earlier, UK calendar). */
export function parseNeedForm(
  body: FormBody | undefined,
  today: string,
): FormResult<NeedInput> & { values: NeedFormValues } {
  const values: NeedFormValues = {
    category: text(body, 'category'),
    why: text(body, 'why'),
    identifiedOn: dateParts(body, 'identifiedOn'),
    submissionId: text(body, 'submissionId'),
  }
  const errors: FieldError[] = []
  const category = (needCategories as readonly string[]).includes(values.category)
    ? (values.category as NeedCategory)
    : undefined
  if (category === undefined) errors.push({ field: 'category', message: 'Select the kind of need' })
  if (values.why === '') errors.push({ field: 'why', message: 'Enter why this need was identified' })
  else if (values.why.length > NEED_REASON_MAX) {
    errors.push({ field: 'why', message: `Why must be ${String(NEED_REASON_MAX)} characters or fewer` })
  }
  const date = parseDateParts(values.identifiedOn, 'identifiedOn', IDENTIFIED_ON_LABEL, {
    required: true,
    range: identifiedOnRange(today),
  })
  if (date.error !== undefined) errors.push(date.error)
  else if (date.value !== null && date.value > today) {
    errors.push({ field: 'identifiedOn-day', message: 'The date the need was identified must be today or in the past' })
  }
  if (errors.length > 0 || category === undefined || date.value === null) return { ok: false, errors, values }
  return { ok: true, value: { category, why: values.why, identifiedOn: date.value }, values }
}

