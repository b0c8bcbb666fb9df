import type { AnswerOption } from '../instruments.schemas.ts'
import { preferNotToSay } from './scales.ts'

/**
 * UK AUDIT answer scales (reference §1), in the published order, labelled as on the UK "units" AUDIT-C and AUDIT form
 * (see ukAuditFormSources). A UK unit is 8 g (10 ml) of alcohol. Option codes are stable and are not the labels.
 */
export const drinkingFrequency: readonly AnswerOption[] = [
  { code: 'never', label: 'Never', score: 0 },
  { code: 'monthly-or-less', label: 'Monthly or less', score: 1 },
  { code: '2-to-4-times-a-month', label: '2-4 times per month', score: 2 },
  { code: '2-to-3-times-a-week', label: '2-3 times per week', score: 3 },
  { code: '4-or-more-times-a-week', label: '4+ times per week', score: 4 },
  preferNotToSay,
]

export const unitsPerDrinkingDay: readonly AnswerOption[] = [
  { code: '1-to-2', label: '1-2', score: 0 },
  { code: '3-to-4', label: '3-4', score: 1 },
  { code: '5-to-6', label: '5-6', score: 2 },
  { code: '7-to-9', label: '7-9', score: 3 },
  { code: '10-or-more', label: '10+', score: 4 },
  preferNotToSay,
]

/** Item 3 and items 4 to 8. */
export const eventFrequency: readonly AnswerOption[] = [
  { code: 'never', label: 'Never', score: 0 },
  { code: 'less-than-monthly', label: 'Less than monthly', score: 1 },
  { code: 'monthly', label: 'Monthly', score: 2 },
  { code: 'weekly', label: 'Weekly', score: 3 },
  { code: 'daily-or-almost-daily', label: 'Daily or almost daily', score: 4 },
  preferNotToSay,
]

/** Items 9 and 10 score 0, 2 or 4. */
export const yesNotInLastYear: readonly AnswerOption[] = [
  { code: 'no', label: 'No', score: 0 },
  { code: 'yes-not-in-last-year', label: 'Yes, but not in the last year', score: 2 },
  { code: 'yes-in-last-year', label: 'Yes, during the last year', score: 4 },
  preferNotToSay,
]

/** AUDIT (and AUDIT-C) questions 1 to 3 of the UK "units" form, verbatim (see ukAuditFormSources). */
export const auditQuestion1 = 'How often do you have a drink containing alcohol?'
export const auditQuestion2 = 'How many units of alcohol do you drink on a typical day when you are drinking?'
export const auditQuestion3 =
  'How often have you had 6 or more units if female, or 8 or more if male, on a single occasion in the last year?'
