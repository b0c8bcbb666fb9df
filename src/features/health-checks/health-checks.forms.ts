import { text, type FormBody } from '../../platform/forms/forms.ts'
import type { FieldError } from '../../platform/http/errors.ts'
import { PREFER_NOT_TO_SAY, type InstrumentDefinition } from '../instruments/index.ts'
import { checkObservations, type ObservationsInput } from './health-checks.rules.ts'
import { observationStatuses, smokingStatuses, type ObservationStatus, type SmokingStatus } from './health-checks.tables.ts'

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

/** The observations form's fields in page order: the order of the error summary. */
const observationFields = [
  'bloodPressureStatus',
  'systolic',
  'diastolic',
  'heightStatus',
  'heightCm',
  'weightStatus',
  'weightKg',
  'smokingStatus',
]

/**
 * The observations form: each measurement with its status; values for one not taken are ignored. Every error is
 * reported at once: the format of each box and the plausibility rules (H-310) of every value that is a number, in
 * page order, so one submission shows all that needs correcting.
 */
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
  const value: ObservationsInput = {
    bloodPressureStatus,
    systolic,
    diastolic,
    heightStatus,
    heightCm,
    weightStatus,
    weightKg,
    smokingStatus,
  }
  const unreadable = new Set(errors.map((e) => e.field))
  const ruled = checkObservations(value)
  if (!ruled.ok) errors.push(...ruled.errors.filter((e) => !unreadable.has(e.field)))
  if (errors.length > 0) {
    const order = (e: FieldError) => observationFields.indexOf(e.field)
    return { ok: false, errors: [...errors].sort((a, b) => order(a) - order(b)) }
  }
  return { ok: true, value }
}

