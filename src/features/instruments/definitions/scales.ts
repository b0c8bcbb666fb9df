import { PREFER_NOT_TO_SAY, type AnswerOption } from '../instruments.schemas.ts'

/** Offered on every item, last, scoring nothing: declining makes the result incomplete, never lower. */
export const preferNotToSay: AnswerOption = { code: PREFER_NOT_TO_SAY, label: 'Prefer not to say', score: null }

/**
 * The shared PHQ/GAD answer scale (reference §1), labelled as on the published PHQ-9 and GAD-7 forms. The lowest
 * option reads "Not at all": copies reading "not at all sure" are a known error (Zorowitz 2021).
 */
export const frequencyLastTwoWeeks: readonly AnswerOption[] = [
  { code: 'not-at-all', label: 'Not at all', score: 0 },
  { code: 'several-days', label: 'Several days', score: 1 },
  { code: 'more-than-half-the-days', label: 'More than half the days', score: 2 },
  { code: 'nearly-every-day', label: 'Nearly every day', score: 3 },
  preferNotToSay,
]

/** Yes/no items counted by the scoring rule: the option scores mirror the rule (checked when the library loads). */
export function yesNo(counted: 'yes' | 'no' | 'neither'): AnswerOption[] {
  const score = (code: 'yes' | 'no') => (counted === 'neither' ? null : counted === code ? 1 : 0)
  return [
    { code: 'yes', label: 'Yes', score: score('yes') },
    { code: 'no', label: 'No', score: score('no') },
    preferNotToSay,
  ]
}

export const TWO_WEEKS = 'the last 2 weeks'

/** The question stem of the published PHQ-9 form, verbatim (see phqFormSources). */
export const PHQ_STEM = 'Over the last 2 weeks, how often have you been bothered by any of the following problems?'

/** The question stem of the published GAD-7 form, verbatim (see gadFormSources). */
export const GAD_STEM = 'Over the last 2 weeks, how often have you been bothered by the following problems?'
