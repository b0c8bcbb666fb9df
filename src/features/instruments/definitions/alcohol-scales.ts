import type { AnswerOption } from '../instruments.schemas.ts'
import { preferNotToSay } from './scales.ts'

/** UK AUDIT answer scales (reference §1), in the published order. A UK unit is 8 g (10 ml) of alcohol. */
export const drinkingFrequency: readonly AnswerOption[] = [
  { code: 'never', label: 'Never', score: 0 },
  { code: 'monthly-or-less', label: 'Monthly or less', score: 1 },
  { code: '2-to-4-times-a-month', label: '2 to 4 times a month', score: 2 },
  { code: '2-to-3-times-a-week', label: '2 to 3 times a week', score: 3 },
  { code: '4-or-more-times-a-week', label: '4 or more times a week', score: 4 },
  preferNotToSay,
]

export const unitsPerDrinkingDay: readonly AnswerOption[] = [
  { code: '1-to-2', label: '1 to 2 units', score: 0 },
  { code: '3-to-4', label: '3 to 4 units', score: 1 },
  { code: '5-to-6', label: '5 to 6 units', score: 2 },
  { code: '7-to-9', label: '7 to 9 units', score: 3 },
  { code: '10-or-more', label: '10 or more units', score: 4 },
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

export const auditQuestion1 = 'How often do you have a drink containing alcohol?'
export const auditQuestion2 = 'On a typical day when you drink, how many units of alcohol do you have?'
export const auditQuestion3 =
  'How often do you have 6 or more units (if female) or 8 or more units (if male) on a single occasion?'
