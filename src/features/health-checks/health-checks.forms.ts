import {
  dateParts,
  list,
  parseDateParts,
  text,
  type DateParts,
  type FormBody,
  type FormResult,
} from '../../platform/forms/forms.ts'
import type { FieldError } from '../../platform/http/errors.ts'
import { PREFER_NOT_TO_SAY, type InstrumentDefinition } from '../instruments/instruments.schemas.ts'
import { NEED_REASON_MAX, type ObservationsInput } from './health-checks.rules.ts'
import type { NeedInput } from './health-checks.service.ts'
import { observationStatuses, smokingStatuses, type ObservationStatus, type SmokingStatus } from './health-checks.tables.ts'
import { needCategories, needStatuses, type NeedCategory, type NeedStatus } from '../needs/needs.tables.ts'

/**
 * The answers on one section's form: each item's radio, by item code. A question left blank is simply not answered.
 * When the gate question closes the instrument (e.g. "No" to the trauma question), answers to the questions it
 * skips are dropped rather than refused: the person was not asked them.
 */
export function parseSectionForm(definition: InstrumentDefinition, body: FormBody | undefined): Record<string, string> {
  const answers: Record<string, string> = {}
  for (const item of definition.items) {
    const value = text(body, item.code)
    if (value !== '') answers[item.code] = value
  }
  const gate = definition.scoring.gate
  if (gate === undefined) return answers
  const answer = answers[gate.item]
  const closed = answer !== undefined && answer !== PREFER_NOT_TO_SAY && !gate.proceedWhen.includes(answer)
  if (!closed) return answers
  const scored = new Set(definition.items.filter((i) => i.kind === 'scored').map((i) => i.code))
  return Object.fromEntries(Object.entries(answers).filter(([code]) => !scored.has(code)))
}

/** "Answer question 3, or choose Prefer not to say" for each needed question left blank. */
export function unansweredErrors(
  definition: InstrumentDefinition,
  missingItems: readonly string[],
  preferNotToSay: readonly string[],
): FieldError[] {
  return missingItems
    .filter((code) => !preferNotToSay.includes(code))
    .map((code) => {
      const item = definition.items.find((i) => i.code === code)
      const which =
        item?.number === null || item === undefined ? `“${item?.text ?? code}”` : `question ${String(item.number)}`
      return { field: code, message: `Answer ${which}, or choose ‘Prefer not to say’` }
    })
}

function numberField(body: FormBody | undefined, field: string, label: string, errors: FieldError[]): number | null {
  const raw = text(body, field).replace(/,/g, '')
  if (raw === '') return null
  const value = Number(raw)
  if (!/^-?\d+(\.\d+)?$/.test(raw) || !Number.isFinite(value)) {
    errors.push({ field, message: `The ${label} must be a number, like ${field === 'heightCm' ? '172.5' : '120'}` })
    return Number.NaN
  }
  return value
}

function statusField(
  body: FormBody | undefined,
  field: string,
  label: string,
  errors: FieldError[],
): ObservationStatus {
  const value = text(body, field)
  if ((observationStatuses as readonly string[]).includes(value)) return value as ObservationStatus
  errors.push({ field, message: `Select whether the ${label} was measured` })
  return 'not-measured'
}

/** The observations form: each measurement with its status; values for one not taken are ignored. */
export function parseObservationsForm(
  body: FormBody | undefined,
  askSmoking: boolean,
): { ok: true; value: ObservationsInput } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = []
  const bloodPressureStatus = statusField(body, 'bloodPressureStatus', 'blood pressure', errors)
  const heightStatus = statusField(body, 'heightStatus', 'height', errors)
  const weightStatus = statusField(body, 'weightStatus', 'weight', errors)
  const systolic =
    bloodPressureStatus === 'measured' ? numberField(body, 'systolic', 'systolic blood pressure', errors) : null
  const diastolic =
    bloodPressureStatus === 'measured' ? numberField(body, 'diastolic', 'diastolic blood pressure', errors) : null
  const heightCm = heightStatus === 'measured' ? numberField(body, 'heightCm', 'height', errors) : null
  const weightKg = weightStatus === 'measured' ? numberField(body, 'weightKg', 'weight', errors) : null
  let smokingStatus: SmokingStatus | null = null
  if (askSmoking) {
    const value = text(body, 'smokingStatus')
    if ((smokingStatuses as readonly string[]).includes(value)) smokingStatus = value as SmokingStatus
  }
  if (errors.length > 0) return { ok: false, errors }
  return {
    ok: true,
    value: { bloodPressureStatus, systolic, diastolic, heightStatus, heightCm, weightStatus, weightKg, smokingStatus },
  }
}

// ---- Needs ----

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
  const date = parseDateParts(values.identifiedOn, 'identifiedOn', 'the date the need was identified', {
    required: true,
  })
  if (date.error !== undefined) errors.push(date.error)
  else if (date.value !== null && date.value > today) {
    errors.push({ field: 'identifiedOn-day', message: 'The date the need was identified must be today or in the past' })
  }
  if (errors.length > 0 || category === undefined || date.value === null) return { ok: false, errors, values }
  return { ok: true, value: { category, why: values.why, identifiedOn: date.value }, values }
}

// ---- The timeline's filters ----

export const timelineKinds = ['appointments', 'health-checks', 'warning-flags', 'needs', 'referrals'] as const
export type TimelineKind = (typeof timelineKinds)[number]

export interface TimelineQuery {
  /** The kinds to show; every kind the viewer may see when none is ticked. */
  kinds: ReadonlySet<TimelineKind>
  from: string | null
  to: string | null
  page: number
  errors: FieldError[]
  values: { show: string[]; from: DateParts; to: DateParts }
}

/**
 * The timeline's GET form. `allowed` is what the viewer may see (probation practitioners: appointments only); a
 * kind outside it is ignored, not refused. A bad date is named in the error summary and not applied.
 */
export function parseTimelineQuery(query: FormBody | undefined, allowed: readonly TimelineKind[]): TimelineQuery {
  const show = list(query, 'show')
  const chosen = allowed.filter((k) => show.includes(k))
  const errors: FieldError[] = []
  const fromParts = dateParts(query, 'from')
  const toParts = dateParts(query, 'to')
  const from = parseDateParts(fromParts, 'from', 'the ‘from’ date')
  const to = parseDateParts(toParts, 'to', 'the ‘to’ date')
  if (from.error !== undefined) errors.push(from.error)
  if (to.error !== undefined) errors.push(to.error)
  if (from.value !== null && to.value !== null && from.value > to.value) {
    errors.push({ field: 'to-day', message: 'The ‘to’ date must be the same as or after the ‘from’ date' })
  }
  const raw = text(query, 'page')
  const page = /^\d{1,6}$/.test(raw) && Number(raw) >= 1 ? Number(raw) : 1
  const datesOk = errors.length === 0
  return {
    kinds: new Set(chosen.length > 0 ? chosen : allowed),
    from: datesOk ? from.value : null,
    to: datesOk ? to.value : null,
    page,
    errors,
    values: { show: chosen, from: fromParts, to: toParts },
  }
}
