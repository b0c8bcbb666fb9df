/** Every word the screening pages and API show about programmes, states, results and mistakes, in one place. */
import type {
  CervicalResult,
  Eligibility,
  LungResult,
  RoutineResult,
  ScreeningProgramme,
  ScreeningStatus,
} from './screening.eligibility.ts'
import { screeningEventProgrammes, screeningEventStates, type ScreeningEventProgramme, type ScreeningEventStateCode } from './screening.tables.ts'

export { screeningEventProgrammes, screeningEventStates }
export type { ScreeningEventProgramme, ScreeningEventStateCode }

export const NOTE_MAX = 2000
export const REASON_MAX = 1000

/** Programme names in plain words. Prostate is never called screening (it is informed choice). */
export const programmeLabel: Record<ScreeningProgramme, string> = {
  cervical: 'Cervical screening',
  breast: 'Breast screening',
  bowel: 'Bowel cancer screening',
  aaa: 'Abdominal aortic aneurysm (AAA) screening',
  lung: 'Lung health check',
  'prostate-informed-choice': 'Prostate: informed choice (not a screening programme)',
}

export const stateLabel: Record<ScreeningEventStateCode, string> = {
  invited: 'Invited',
  booked: 'Appointment booked',
  attended: 'Attended (result not known yet)',
  'result-recorded': 'Result recorded',
  declined: 'Declined',
}

export const stateHint: Record<ScreeningEventStateCode, string> = {
  invited: 'An invitation or a home test kit was sent',
  booked: 'An appointment was booked',
  attended: 'The test was done, the result is not known yet',
  'result-recorded': 'The result of a test is known',
  declined: 'The person chose not to take part this time',
}

/**
 * Result codes per programme: exactly the eligibility module's. The Record types make the compiler refuse a
 * missing or extra code, so these lists cannot drift from the module.
 */
const cervicalResults: Record<CervicalResult, string> = {
  'hpv-negative': 'HPV negative',
  'hpv-positive-no-cell-changes': 'HPV positive, no cell changes',
  'hpv-positive-cell-changes': 'HPV positive with cell changes (referred to colposcopy)',
  'hpv-positive-cells-not-checked': 'HPV positive, cells not checked (as after a self-sample)',
}
const routineResults: Record<RoutineResult, string> = {
  normal: 'Normal',
  referred: 'Referred for further tests or follow-up',
}
const aaaResults: Record<RoutineResult, string> = {
  normal: 'Normal (no aneurysm)',
  referred: 'Aneurysm found, referred for follow-up',
}
const lungResults: Record<LungResult, string> = {
  'low-risk': 'Low risk',
  'high-risk-scanned': 'High risk, low-dose CT scan done',
  referred: 'Referred for further tests',
}

export const resultLabels: Record<ScreeningEventProgramme, Readonly<Record<string, string>>> = {
  cervical: cervicalResults,
  breast: routineResults,
  bowel: routineResults,
  aaa: aaaResults,
  lung: lungResults,
}

export function resultCodes(programme: ScreeningEventProgramme): string[] {
  return Object.keys(resultLabels[programme])
}

export const allResultCodes: readonly string[] = [
  ...new Set(screeningEventProgrammes.flatMap((programme) => resultCodes(programme))),
]

export function resultLabel(programme: ScreeningEventProgramme, result: string): string {
  return resultLabels[programme][result] ?? result
}

export const eligibleText = (eligible: Eligibility): string => {
  if (eligible === true) return 'Yes'
  if (eligible === false) return 'No'
  return eligible === 'self-referral' ? 'Can self-refer' : 'Check with a clinician'
}

export const statusTag: Record<ScreeningStatus, { text: string; classes: string }> = {
  'not-eligible': { text: 'Not eligible', classes: 'govuk-tag--grey' },
  due: { text: 'Due', classes: 'govuk-tag--orange' },
  invited: { text: 'Invited', classes: 'govuk-tag--blue' },
  booked: { text: 'Booked', classes: 'govuk-tag--light-blue' },
  attended: { text: 'Attended', classes: 'govuk-tag--turquoise' },
  'result-recorded': { text: 'Result recorded', classes: 'govuk-tag--green' },
  declined: { text: 'Declined', classes: 'govuk-tag--yellow' },
}

/** Prostate is worded as the module words it: informed choice, never eligible, never due, never screening. */
export const informedChoice = {
  eligible: 'Not applicable',
  tag: { text: 'Informed choice', classes: 'govuk-tag--purple' },
} as const

export const messages = {
  programmeBlank: 'Select the screening programme',
  programmeUnknown: `Select a screening programme: ${screeningEventProgrammes.join(', ')}`,
  programmeProstate:
    'Prostate is not a screening programme: the PSA blood test is an informed choice and is not recorded here',
  stateBlank: 'Select what happened',
  stateUnknown: `Select what happened: ${screeningEventStates.join(', ')}`,
  dateLabel: 'the date it happened',
  dateBlank: 'Enter the date it happened',
  dateFormat: 'The date it happened must be a real date, like 2026-11-20',
  dateFuture: 'The date it happened must be today or in the past',
  dateBeforeBirth: 'The date it happened must be after the person’s date of birth',
  resultBlank: (programme: ScreeningEventProgramme) =>
    `Select the result of the ${programmeLabel[programme].toLowerCase()}`,
  resultUnknown: (programme: ScreeningEventProgramme) =>
    `Select a result for ${programmeLabel[programme].toLowerCase()}: ${resultCodes(programme).join(', ')}`,
  resultNotForProgramme: (programme: ScreeningEventProgramme) =>
    `That result is not one for ${programmeLabel[programme].toLowerCase()}. Choose one of: ${resultCodes(programme).join(', ')}`,
  resultNotWithState: 'Only give a result when what happened is “result recorded”',
  resultCodeUnknown: `Select a result: ${allResultCodes.join(', ')}`,
  selfSampleNotCervical: 'A self-sample can only be recorded for cervical screening',
  noteTooLong: `The note must be ${NOTE_MAX} characters or fewer`,
  reasonBlank: 'Enter why this was entered in error',
  reasonTooLong: `The reason must be ${REASON_MAX} characters or fewer`,
  asOfFormat: 'asOf must be a real date in the form YYYY-MM-DD, like 2026-11-20',
  asOfBeforeBirth: 'asOf must be on or after the person’s date of birth',
  alreadyEnteredInError: 'This screening event was already marked as entered in error',
  formAlreadyUsed: 'This form was already used to record an event. Check the history below before recording again.',
  notClinical: 'Only clinicians and hub managers may see or record screening.',
} as const
