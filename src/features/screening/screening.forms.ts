/** The HTML forms: "Record screening" and "Mark as entered in error", checked with GOV.UK wording. */
import {
  dateParts,
  NHS_BEGAN,
  parseDateParts,
  text,
  type DateRange,
  type FormBody,
} from '../../platform/forms/forms.ts'
import type { FieldError } from '../../platform/http/errors.ts'
import { messages } from './screening.messages.ts'
import { checkReason, checkScreeningEvent, type ScreeningEventInput } from './screening.validation.ts'

export type FormValues = Record<string, unknown>

export type FormResult<T> =
  { ok: true; value: T; values: FormValues } | { ok: false; errors: readonly FieldError[]; values: FormValues }

/** The form's result select holds "programme:result", so one list can offer every programme's results. */
export function resultOptionValue(programme: string, result: string): string {
  return `${programme}:${result}`
}

/** The order of the questions on the page, so the error summary reads top to bottom. */
const fieldOrder = ['programme', 'state', 'date', 'result', 'selfSample', 'note']
const rank = (field: string) => {
  const index = fieldOrder.findIndex((f) => field === f || field.startsWith(`${f}-`))
  return index === -1 ? fieldOrder.length : index
}

/** The shared rules name API fields; the form's date is three inputs, and the summary links to the day. */
export const formField = (field: string) => (field === 'date' ? 'date-day' : field)

/** No NHS screening is older than the NHS; "not in the future" is the form's and the shared rules' own check. */
export const EVENT_DATE_RANGE: DateRange = { earliest: NHS_BEGAN }

export function parseRecordForm(body: FormBody | undefined, today: string): FormResult<ScreeningEventInput> {
  const values: FormValues = {
    programme: text(body, 'programme'),
    state: text(body, 'state'),
    date: dateParts(body, 'date'),
    result: text(body, 'result'),
    selfSample: text(body, 'selfSample'),
    note: text(body, 'note'),
    submissionId: text(body, 'submissionId'),
  }
  const errors: FieldError[] = []
  const date = parseDateParts(dateParts(body, 'date'), 'date', messages.dateLabel, {
    required: true,
    past: true,
    today,
    range: EVENT_DATE_RANGE,
  })
  if (date.error !== undefined) {
    const message = date.error.message.endsWith('must be in the past') ? messages.dateFuture : date.error.message
    errors.push({ field: date.error.field, message })
  }
  const programme = text(body, 'programme')
  // The select's value names its programme; a result chosen for another programme is reported as such.
  const chosen = text(body, 'result')
  const separator = chosen.indexOf(':')
  const resultProgramme = separator === -1 ? '' : chosen.slice(0, separator)
  const result = separator === -1 ? chosen : chosen.slice(separator + 1)
  const checked = checkScreeningEvent(
    {
      programme,
      state: text(body, 'state'),
      date: date.value ?? '',
      result,
      selfSample: text(body, 'selfSample') === 'yes',
      note: text(body, 'note'),
    },
    today,
    date.error === undefined,
  )
  if (!checked.ok) errors.push(...checked.errors.map((e) => ({ field: formField(e.field), message: e.message })))
  if (checked.ok && resultProgramme !== '' && resultProgramme !== programme && result !== '') {
    errors.push({ field: 'result', message: messages.resultNotForProgramme(checked.value.programme) })
  }
  if (!checked.ok || errors.length > 0) {
    return { ok: false, errors: [...errors].sort((a, b) => rank(a.field) - rank(b.field)), values }
  }
  return { ok: true, value: checked.value, values }
}

export function parseEnteredInErrorForm(body: FormBody | undefined): FormResult<string> {
  const values: FormValues = { reason: text(body, 'reason') }
  const checked = checkReason(text(body, 'reason'))
  return checked.ok ? { ok: true, value: checked.value, values } : { ok: false, errors: checked.errors, values }
}
