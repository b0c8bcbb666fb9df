/** The rules for a screening event, shared by the form and the API so both name the same fields the same way. */
import { isRealDate } from '../../platform/forms/forms.ts'
import type { FieldError } from '../../platform/http/errors.ts'
import {
  allResultCodes,
  messages,
  NOTE_MAX,
  REASON_MAX,
  resultCodes,
  screeningEventProgrammes,
  screeningEventStates,
  type ScreeningEventProgramme,
  type ScreeningEventStateCode,
} from './screening.messages.ts'

export interface ScreeningEventInput {
  programme: ScreeningEventProgramme
  state: ScreeningEventStateCode
  /** YYYY-MM-DD, not after today (UK); for a result, the date of the test. */
  date: string
  /** Only (and always) with result-recorded: one of the programme's result codes. */
  result: string | null
  /** Cervical: true or false; other programmes: null. */
  selfSample: boolean | null
  note: string | null
}

/** What was sent, as text; `date` already an ISO string or '' (the form joins its parts first). */
export interface RawScreeningEvent {
  programme: string
  state: string
  date: string
  result: string
  selfSample: boolean
  note: string
}

export type CheckResult = { ok: true; value: ScreeningEventInput } | { ok: false; errors: FieldError[] }

const isProgramme = (value: string): value is ScreeningEventProgramme =>
  (screeningEventProgrammes as readonly string[]).includes(value)
const isState = (value: string): value is ScreeningEventStateCode =>
  (screeningEventStates as readonly string[]).includes(value)

/**
 * Checks an event. `dateChecked` is false when the caller has already reported a problem with the date (the form's
 * date parts), so it is not reported twice.
 */
export function checkScreeningEvent(raw: RawScreeningEvent, today: string, dateChecked = true): CheckResult {
  const errors: FieldError[] = []
  let programme: ScreeningEventProgramme | undefined
  if (raw.programme === '') errors.push({ field: 'programme', message: messages.programmeBlank })
  else if (raw.programme === 'prostate' || raw.programme === 'prostate-informed-choice') {
    errors.push({ field: 'programme', message: messages.programmeProstate })
  } else if (!isProgramme(raw.programme)) errors.push({ field: 'programme', message: messages.programmeUnknown })
  else programme = raw.programme

  let state: ScreeningEventStateCode | undefined
  if (raw.state === '') errors.push({ field: 'state', message: messages.stateBlank })
  else if (!isState(raw.state)) errors.push({ field: 'state', message: messages.stateUnknown })
  else state = raw.state

  if (dateChecked) {
    if (raw.date === '') errors.push({ field: 'date', message: messages.dateBlank })
    else if (!isRealDate(raw.date)) errors.push({ field: 'date', message: messages.dateFormat })
    else if (raw.date > today) errors.push({ field: 'date', message: messages.dateFuture })
  }

  let result: string | null = null
  if (raw.result !== '') {
    if (!allResultCodes.includes(raw.result)) errors.push({ field: 'result', message: messages.resultCodeUnknown })
    else if (state !== undefined && state !== 'result-recorded') {
      errors.push({ field: 'result', message: messages.resultNotWithState })
    } else if (programme !== undefined && !resultCodes(programme).includes(raw.result)) {
      errors.push({ field: 'result', message: messages.resultNotForProgramme(programme) })
    } else result = raw.result
  } else if (state === 'result-recorded' && programme !== undefined) {
    errors.push({ field: 'result', message: messages.resultBlank(programme) })
  }

  if (raw.selfSample && programme !== undefined && programme !== 'cervical') {
    errors.push({ field: 'selfSample', message: messages.selfSampleNotCervical })
  }
  if (raw.note.length > NOTE_MAX) errors.push({ field: 'note', message: messages.noteTooLong })

  if (errors.length > 0 || programme === undefined || state === undefined) return { ok: false, errors }
  return {
    ok: true,
    value: {
      programme,
      state,
      date: raw.date,
      result,
      selfSample: programme === 'cervical' ? raw.selfSample : null,
      note: raw.note === '' ? null : raw.note,
    },
  }
}

export function checkReason(reason: string): { ok: true; value: string } | { ok: false; errors: FieldError[] } {
  if (reason === '') return { ok: false, errors: [{ field: 'reason', message: messages.reasonBlank }] }
  if (reason.length > REASON_MAX) return { ok: false, errors: [{ field: 'reason', message: messages.reasonTooLong }] }
  return { ok: true, value: reason }
}
