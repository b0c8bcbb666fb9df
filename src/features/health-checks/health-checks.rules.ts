import type { FieldError } from '../../platform/http/errors.ts'
import { ukDateOf } from '../../platform/time/uk-time.ts'
import type { ObservationStatus, SmokingStatus } from './health-checks.tables.ts'
import type { NeedCategory } from '../needs/index.ts'

/**
 * Pure clinical rules of the health check: observation ranges, BMI, the same-day response deadline for a warning
 * flag, and which needs to propose from stored results. Each rule is numbered as in the hazard log (H-301 up).
 * Scores, bands and positives are never computed here: they come from the instruments scoring module.
 */

/** A stored instrument result, as the rules read it. */
export interface ResultForRules {
  instrumentCode: string
  answers: Readonly<Record<string, string>>
  complete: boolean
  score: number | null
  bandCode: string | null
  positive: boolean | null
}

export interface ObservationsForRules {
  systolic: number | null
  diastolic: number | null
  bmi: number | null
  smokingStatus: SmokingStatus | null
}

export interface ProposedNeed {
  category: NeedCategory
  because: string
}

/**
 * Needs proposed by later features (GP registration, screening eligibility) plug in here: each proposer reads the
 * person and the check and returns its proposals. None are installed yet.
 */
export type NeedProposer = (input: {
  personId: string
  results: readonly ResultForRules[]
  observations: ObservationsForRules | null
}) => Promise<ProposedNeed[]>

// H-306: thresholds for physical health, from NHS adult BMI categories and NICE NG136 clinic blood pressure.
export const BMI_UNDERWEIGHT_BELOW = 18.5
export const BMI_OBESE_AT_OR_ABOVE = 30
export const SYSTOLIC_HIGH_AT_OR_ABOVE = 140
export const DIASTOLIC_HIGH_AT_OR_ABOVE = 90
export const SYSTOLIC_LOW_BELOW = 90
export const DIASTOLIC_LOW_BELOW = 60
// H-326: severe (stage 3) hypertension in NICE NG136 is a clinic systolic of 180 mmHg or higher or a clinic diastolic
// of 120 mmHg or higher. Not in the domain reference: see the hazard log for the sources it was checked against.
export const SYSTOLIC_SEVERE_AT_OR_ABOVE = 180
export const DIASTOLIC_SEVERE_AT_OR_ABOVE = 120

/** The `instrument_code` of a warning flag raised by a physical measurement rather than an instrument. */
export const OBSERVATIONS_FLAG_SOURCE = 'observations'

/** A warning sign found in the observations, raised as a flag the way an instrument's warning signs are (H-302). */
export interface ObservationWarningSign {
  itemCode: string
  code: string
  message: string
}

const bloodPressureReading = (systolic: number, diastolic: number) => `${String(systolic)}/${String(diastolic)} mmHg`

export function isSeverelyRaised(systolic: number, diastolic: number): boolean {
  return systolic >= SYSTOLIC_SEVERE_AT_OR_ABOVE || diastolic >= DIASTOLIC_SEVERE_AT_OR_ABOVE
}

/**
 * H-326: a blood pressure of 180/120 or higher needs a clinician's review the same day. NICE NG136 ("identifying who
 * to refer for same-day specialist review") sends people at this level for same-day specialist assessment when there
 * are signs of accelerated hypertension, life-threatening symptoms or a suspected phaeochromocytoma, and otherwise
 * asks for target organ damage to be looked for at once and the reading repeated within 7 days: only a clinician
 * can tell which, so the service raises a flag and never a rating.
 */
export function observationWarningSigns(
  observations: Pick<ObservationsForRules, 'systolic' | 'diastolic'>,
): ObservationWarningSign[] {
  const { systolic, diastolic } = observations
  if (systolic === null || diastolic === null || !isSeverelyRaised(systolic, diastolic)) return []
  return [
    {
      itemCode: 'blood-pressure',
      code: 'severe-hypertension',
      message:
        `Blood pressure ${bloodPressureReading(systolic, diastolic)} is severely raised (180/120 or higher) and ` +
        'needs a clinician’s review today. NICE NG136 advises same-day specialist assessment if there are signs of ' +
        'retinal haemorrhage or papilloedema, life-threatening symptoms (such as new confusion, chest pain, signs of ' +
        'heart failure or acute kidney injury) or a suspected phaeochromocytoma; otherwise, investigations for ' +
        'target organ damage as soon as possible and, if none is found, a repeat clinic reading within 7 days.',
    },
  ]
}

const ALCOHOL_AUDIT_BANDS = new Set(['increasing-risk', 'higher-risk', 'possible-dependence'])
const DRUG_DAST_BANDS = new Set(['moderate', 'substantial', 'severe'])

/**
 * Proposes needs from the stored results. Positives are the scoring module's own (an incomplete result is positive
 * only when its lower bound already reaches the cut-off); bands are read from complete results only, as an
 * incomplete result has none (H-102). The clinician sees incomplete results named on the summary. Several reasons
 * for the same category are joined.
 */
export function proposeNeeds(
  results: readonly ResultForRules[],
  observations: ObservationsForRules | null,
  flaggedInstruments: readonly string[],
): ProposedNeed[] {
  const reasons = new Map<NeedCategory, string[]>()
  const add = (category: NeedCategory, because: string) => {
    const list = reasons.get(category) ?? []
    list.push(because)
    reasons.set(category, list)
  }
  const byCode = new Map(results.map((r) => [r.instrumentCode, r]))
  const positive = (code: string) => byCode.get(code)?.positive === true

  // H-303 mental health: a positive PHQ-2 (>= 3), PHQ-9 (>= 10), GAD-2 (>= 3) or GAD-7 (>= 10), or a PHQ-9 warning
  // sign (item 9 above 0) however low the total. Cut-offs are the definitions' positiveScreen values.
  for (const [code, label] of [
    ['phq-2', 'PHQ-2'],
    ['phq-9', 'PHQ-9'],
    ['gad-2', 'GAD-2'],
    ['gad-7', 'GAD-7'],
  ] as const) {
    if (positive(code)) add('mental-health', `${label} positive screen`)
  }
  if (flaggedInstruments.includes('phq-9')) add('mental-health', 'PHQ-9 question 9 answered above "Not at all"')

  // H-304 alcohol: AUDIT-C positive (UK cut-off 5 or more), or AUDIT in increasing risk or above (8 or more).
  if (positive('audit-c')) add('alcohol', 'AUDIT-C 5 or more')
  const audit = byCode.get('audit')
  if (audit?.complete === true && audit.bandCode !== null && ALCOHOL_AUDIT_BANDS.has(audit.bandCode)) {
    add('alcohol', `AUDIT score ${String(audit.score)}`)
  }

  // H-305 drugs: DAST-10 moderate or above (3 or more: "investigate further").
  const dast = byCode.get('dast-10')
  if (dast?.complete === true && dast.bandCode !== null && DRUG_DAST_BANDS.has(dast.bandCode)) {
    add('drugs', `DAST-10 score ${String(dast.score)}`)
  }

  // H-307 smoking: a current smoker, whether recorded in the HSI gate question or with the observations.
  const hsiStatus = byCode.get('hsi')?.answers['hsi-smoking-status']
  if (hsiStatus === 'current' || observations?.smokingStatus === 'current') add('smoking', 'Smokes tobacco now')

  // H-308 neurodivergence: ASRS Part A positive (4 or more counted) or AQ-10 positive (6 or more).
  if (positive('asrs-a')) add('neurodivergence', 'ASRS Part A positive screen')
  if (positive('aq-10')) add('neurodivergence', 'AQ-10 6 or more')

  // H-309 trauma: PC-PTSD-5 positive (cut-point 3).
  if (positive('pc-ptsd-5')) add('trauma', 'PC-PTSD-5 positive screen')

  // H-306 physical health: BMI or blood pressure outside the ranges above.
  if (observations !== null) {
    const { bmi, systolic, diastolic } = observations
    if (bmi !== null && bmi < BMI_UNDERWEIGHT_BELOW) add('physical-health', `BMI ${bmi.toFixed(1)} (below 18.5)`)
    if (bmi !== null && bmi >= BMI_OBESE_AT_OR_ABOVE) add('physical-health', `BMI ${bmi.toFixed(1)} (30 or more)`)
    // The wording says how high the reading was: a severely raised one also carries a same-day flag (H-326).
    if (systolic !== null && diastolic !== null) {
      const reading = `Blood pressure ${bloodPressureReading(systolic, diastolic)}`
      if (isSeverelyRaised(systolic, diastolic)) {
        add('physical-health', `${reading}: severely raised (180/120 or higher), same-day clinician review`)
      } else if (systolic >= SYSTOLIC_HIGH_AT_OR_ABOVE || diastolic >= DIASTOLIC_HIGH_AT_OR_ABOVE) {
        add('physical-health', `${reading}: raised (140/90 or higher)`)
      } else if (systolic < SYSTOLIC_LOW_BELOW || diastolic < DIASTOLIC_LOW_BELOW) {
        add('physical-health', `${reading}: low (below 90/60)`)
      }
    }
  }

  return [...reasons].map(([category, list]) => ({ category, because: list.join('; ') }))
}

// ---- Observations ----

export interface ObservationsInput {
  bloodPressureStatus: ObservationStatus
  systolic: number | null
  diastolic: number | null
  heightStatus: ObservationStatus
  heightCm: number | null
  weightStatus: ObservationStatus
  weightKg: number | null
  smokingStatus: SmokingStatus | null
}

export interface Observations extends ObservationsInput {
  /** Computed by the service, to 1 decimal place, when both height and weight were measured. */
  bmi: number | null
}

export const OBSERVATION_RANGES = {
  systolic: { min: 50, max: 300, unit: 'mmHg' },
  diastolic: { min: 20, max: 200, unit: 'mmHg' },
  heightCm: { min: 50, max: 250, unit: 'cm' },
  weightKg: { min: 20, max: 400, unit: 'kg' },
} as const

/** BMI = weight (kg) / height (m) squared, rounded to 1 decimal place. */
export function bmiOf(heightCm: number, weightKg: number): number {
  const metres = heightCm / 100
  return Math.round((weightKg / (metres * metres)) * 10) / 10
}

/**
 * Checks plausible ranges (H-310: a typing slip must not become a clinical finding) and that a measured value was
 * given; values for a measurement not taken are dropped. Field names are the form's and the API's. Every error is
 * reported at once, so one submission shows all that needs correcting.
 */
export function checkObservations(
  input: ObservationsInput,
): { ok: true; value: Observations } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = []
  /** Whether the value passed; an error is added otherwise. */
  const check = (field: keyof typeof OBSERVATION_RANGES, label: string, value: number | null, oneDecimal: boolean) => {
    const range = OBSERVATION_RANGES[field]
    const before = errors.length
    if (value === null) {
      errors.push({ field, message: `Enter the ${label}, or say it was not measured` })
    } else if (!Number.isFinite(value) || (!oneDecimal && !Number.isInteger(value))) {
      errors.push({ field, message: `The ${label} must be a ${oneDecimal ? 'number' : 'whole number'}` })
    } else if (oneDecimal && Math.round(value * 10) !== value * 10) {
      errors.push({ field, message: `The ${label} must have no more than 1 decimal place` })
    } else if (value < range.min || value > range.max) {
      errors.push({
        field,
        message: `The ${label} must be between ${String(range.min)} and ${String(range.max)} ${range.unit}`,
      })
    }
    return errors.length === before
  }
  const bp = input.bloodPressureStatus === 'measured'
  if (bp) {
    const systolicOk = check('systolic', 'systolic blood pressure', input.systolic, false)
    const diastolicOk = check('diastolic', 'diastolic blood pressure', input.diastolic, false)
    // Compared only when each is plausible on its own, whatever else is wrong on the form.
    if (
      systolicOk &&
      diastolicOk &&
      input.systolic !== null &&
      input.diastolic !== null &&
      input.systolic <= input.diastolic
    ) {
      errors.push({ field: 'systolic', message: 'The systolic blood pressure must be higher than the diastolic' })
    }
  }
  const height = input.heightStatus === 'measured'
  const weight = input.weightStatus === 'measured'
  if (height) check('heightCm', 'height', input.heightCm, true)
  if (weight) check('weightKg', 'weight', input.weightKg, true)
  if (errors.length > 0) return { ok: false, errors }
  const heightCm = height ? input.heightCm : null
  const weightKg = weight ? input.weightKg : null
  return {
    ok: true,
    value: {
      ...input,
      systolic: bp ? input.systolic : null,
      diastolic: bp ? input.diastolic : null,
      heightCm,
      weightKg,
      bmi: heightCm !== null && weightKg !== null ? bmiOf(heightCm, weightKg) : null,
    },
  }
}

// ---- The same-day deadline ----

const ukTimeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

/**
 * H-302: a flag raised at any moment must be responded to by the end of the same UK calendar day: the instant of
 * the next UK midnight (GMT or BST, whichever is in force then).
 */
export function endOfUkDay(instant: Date): Date {
  const today = ukDateOf(instant)
  const next = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
  for (const offsetHours of [1, 0]) {
    const candidate = new Date(Date.parse(`${next}T00:00:00Z`) - offsetHours * 3_600_000)
    if (ukDateOf(candidate) === next && ukTimeFormat.format(candidate) === '00:00') return candidate
  }
  throw new Error(`No UK midnight found after ${instant.toISOString()}`)
}
