/** The HTML "record a decision" form: what the page posts, checked with GOV.UK wording. */
import {
  addYears,
  dateParts,
  parseDateParts,
  text,
  type DateRange,
  type FormBody,
  type FormResult,
} from '../../platform/forms/forms.ts'
import type { FieldError } from '../../platform/http/errors.ts'
import {
  isConsentDecision,
  isConsentMethod,
  messages,
  NOTE_MAX,
  PARTNER_TOPIC,
  type ConsentTopic,
} from './consent.messages.ts'
import type { DecisionInput } from './consent.service.ts'

export type ConsentFormValues = Record<string, unknown>

/** A decision is recorded when it is made, or soon after: in the last 12 months ("not in the future" is its own rule). */
export function decidedOnRange(today: string): DateRange {
  return { earliest: addYears(today, -1) }
}

/** Reads the posted form for a topic. The organisation is asked only for share-with-partner. */
export function parseConsentForm(
  body: FormBody | undefined,
  topic: ConsentTopic,
  today: string,
): FormResult<DecisionInput> & { values: ConsentFormValues } {
  const values: ConsentFormValues = {
    organisationCode: text(body, 'organisationCode'),
    decision: text(body, 'decision'),
    decidedOn: dateParts(body, 'decidedOn'),
    method: text(body, 'method'),
    note: text(body, 'note'),
  }
  const errors: FieldError[] = []
  const organisationCode = text(body, 'organisationCode')
  if (topic === PARTNER_TOPIC && organisationCode === '') {
    errors.push({ field: 'organisationCode', message: messages.organisationBlank })
  }
  const decision = text(body, 'decision')
  if (!isConsentDecision(decision)) errors.push({ field: 'decision', message: messages.decisionBlank })
  const range = decidedOnRange(today)
  const date = parseDateParts(dateParts(body, 'decidedOn'), 'decidedOn', messages.decidedOnLabel, {
    required: true,
    range,
  })
  if (date.error !== undefined) errors.push(date.error)
  else if (date.value !== null && date.value > today) {
    errors.push({ field: 'decidedOn-day', message: messages.decidedOnFuture })
  }
  const method = text(body, 'method')
  if (!isConsentMethod(method)) errors.push({ field: 'method', message: messages.methodBlank })
  const note = text(body, 'note')
  if (note.length > NOTE_MAX) errors.push({ field: 'note', message: messages.noteTooLong })
  if (errors.length > 0 || !isConsentDecision(decision) || !isConsentMethod(method) || date.value === null) {
    return { ok: false, errors, values }
  }
  return {
    ok: true,
    value: {
      topic,
      organisationCode: topic === PARTNER_TOPIC ? organisationCode : null,
      decision,
      decidedOn: date.value,
      method,
      note: note === '' ? null : note,
    },
    values,
  }
}
