/** The HTML "update GP registration" form: what the page posts, checked with GOV.UK wording. */
import {
  dateParts,
  NHS_BEGAN,
  parseDateParts,
  text,
  type DateRange,
  type FormBody,
} from '../../platform/forms/forms.ts'
import type { FieldError } from '../../platform/http/errors.ts'
import { messages, NOT_LISTED } from './gp-registration.messages.ts'
import { checkRegistration, type GpRegistrationInput } from './gp-registration.validation.ts'

export type GpRegistrationFormValues = Record<string, unknown>

export type GpRegistrationFormResult =
  | { ok: true; value: GpRegistrationInput; values: GpRegistrationFormValues }
  | { ok: false; errors: readonly FieldError[]; values: GpRegistrationFormValues }

/** The shared rules name API fields; the form's ids differ for the practice select and the date. */
const formField: Record<string, string> = { serviceId: 'practice', statusDate: 'statusDate-day' }

/** The order of the questions on the page, so the error summary reads top to bottom. */
const fieldOrder = ['status', 'practice', 'practiceName', 'practiceOdsCode', 'statusDate', 'reason', 'helpGiven']
const rank = (field: string) => {
  const index = fieldOrder.findIndex((f) => field === f || field.startsWith(`${f}-`))
  return index === -1 ? fieldOrder.length : index
}

/** A registration status dates from when the NHS began; "not in the future" is the shared rules'. */
export const STATUS_DATE_RANGE: DateRange = { earliest: NHS_BEGAN }

export function parseGpRegistrationForm(body: FormBody | undefined, today: string): GpRegistrationFormResult {
  const values: GpRegistrationFormValues = {
    status: text(body, 'status'),
    practice: text(body, 'practice'),
    practiceName: text(body, 'practiceName'),
    practiceOdsCode: text(body, 'practiceOdsCode'),
    statusDate: dateParts(body, 'statusDate'),
    reason: text(body, 'reason'),
    helpGiven: text(body, 'helpGiven'),
    etag: text(body, 'etag'),
  }
  const errors: FieldError[] = []
  const date = parseDateParts(dateParts(body, 'statusDate'), 'statusDate', messages.dateLabel, {
    required: true,
    range: STATUS_DATE_RANGE,
  })
  if (date.error !== undefined) errors.push(date.error)
  const practice = text(body, 'practice')
  const result = checkRegistration(
    {
      status: text(body, 'status'),
      statusDate: date.value,
      // "Not in the directory" (or no choice, with a name typed) means the typed name and code are the practice.
      serviceId: practice === NOT_LISTED ? '' : practice,
      practiceName: text(body, 'practiceName'),
      practiceOdsCode: text(body, 'practiceOdsCode'),
      reason: text(body, 'reason'),
      helpGiven: text(body, 'helpGiven'),
    },
    today,
  )
  if (!result.ok)
    errors.push(...result.errors.map((e) => ({ field: formField[e.field] ?? e.field, message: e.message })))
  const nothingTyped = text(body, 'practiceName') === '' && text(body, 'practiceOdsCode') === ''
  if (practice === NOT_LISTED && nothingTyped) {
    // "Not in the directory" was chosen but no practice typed: ask for its name rather than for a choice.
    const status = text(body, 'status')
    const kept = errors.filter((e) => e.field !== 'practice')
    errors.length = 0
    errors.push(...kept, {
      field: status === 'not-registered' ? 'practice' : 'practiceName',
      message: status === 'not-registered' ? messages.practiceNotForNotRegistered : messages.practiceNameBlank,
    })
  }
  if (!result.ok || errors.length > 0) {
    return { ok: false, errors: [...errors].sort((a, b) => rank(a.field) - rank(b.field)), values }
  }
  return { ok: true, value: result.value, values }
}
