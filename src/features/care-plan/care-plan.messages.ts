/** The care plan's words: labels, GOV.UK error messages, and the plain words of the printed plan. */
import type {
  ActionOwner,
  ActionStatus,
  AgreementDecision,
  GoalOutcome,
  LinkKind,
  PrintSection,
} from './care-plan.tables.ts'

export const GOAL_MAX = 500
export const ACTION_MAX = 500
export const OWNER_NAME_MAX = 200
export const NOTES_MAX = 2000

export const ownerText: Record<ActionOwner, { staff: string; person: string }> = {
  person: { staff: 'The person', person: 'You' },
  clinician: { staff: 'Hub clinician', person: 'Your health worker' },
  'probation-practitioner': { staff: 'Probation practitioner', person: 'Your probation practitioner' },
  partner: { staff: 'Partner organisation', person: 'A partner organisation' },
}

export const actionStatusText: Record<ActionStatus, { text: string; tag: string }> = {
  'to-do': { text: 'To do', tag: 'govuk-tag--blue' },
  done: { text: 'Done', tag: 'govuk-tag--green' },
  'no-longer-needed': { text: 'No longer needed', tag: 'govuk-tag--grey' },
}

export const outcomeText: Record<GoalOutcome, { text: string; tag: string }> = {
  progressing: { text: 'Progressing', tag: 'govuk-tag--blue' },
  achieved: { text: 'Achieved', tag: 'govuk-tag--green' },
  stopped: { text: 'Stopped', tag: 'govuk-tag--grey' },
}

export const agreementText: Record<AgreementDecision, { text: string; tag: string }> = {
  agreed: { text: 'Agreed', tag: 'govuk-tag--green' },
  'agreed-in-part': { text: 'Agreed in part', tag: 'govuk-tag--yellow' },
  'did-not-agree': { text: 'Did not agree', tag: 'govuk-tag--red' },
}

export const linkKindText: Record<LinkKind, string> = {
  need: 'A need',
  referral: 'A referral',
  'gp-registration': 'GP registration',
  screening: 'Screening',
}

export const printSectionText: Record<PrintSection, string> = {
  appointments: 'Next appointments, with time and place',
  referrals: 'Referrals in progress: what happens next and who will contact them',
  gpRegistration: 'GP registration',
  screening: 'Screening that is due',
  phoneNumbers: 'Phone numbers to call',
}

export const messages = {
  goalBlank: 'Enter the goal in the person’s own words',
  goalTooLong: `The goal must be ${GOAL_MAX} characters or fewer`,
  descriptionBlank: 'Enter what will be done',
  descriptionTooLong: `What will be done must be ${ACTION_MAX} characters or fewer`,
  ownerBlank: 'Select who will do it',
  ownerUnknown: 'Select who will do it from the list',
  ownerNameTooLong: `The name must be ${OWNER_NAME_MAX} characters or fewer`,
  dueOnInvalid: 'The date it is due by must be a real date',
  statusBlank: 'Select the status of the action',
  statusUnknown: 'Select the status of the action from the list',
  linkUnknown: 'Select what the action is linked to from the list',
  linkNotThisPerson: 'Select one of this person’s own records to link to, or none',
  reviewedOnBlank: 'Enter the date of the review',
  reviewedOnInvalid: 'The date of the review must be a real date',
  reviewedOnFuture: 'The date of the review must be today or in the past',
  appointmentNotThisPerson: 'Select one of this person’s appointments, or none',
  outcomeUnknown: 'Select progressing, achieved or stopped',
  outcomeGoalUnknown: 'Choose outcomes only for this plan’s goals',
  reviewEmpty: 'Choose an outcome for at least one goal, or enter review notes',
  notesTooLong: `Notes must be ${NOTES_MAX} characters or fewer`,
  decisionBlank: 'Select whether the person agreed to the plan',
  decisionUnknown: 'Select agreed, agreed in part or did not agree',
  commentsNeeded: 'Enter which parts the person did not agree to, in their words',
  commentsTooLong: `Comments must be ${NOTES_MAX} characters or fewer`,
  decidedOnBlank: 'Enter the date they said',
  decidedOnInvalid: 'The date they said must be a real date',
  decidedOnFuture: 'The date they said must be today or in the past',
  goalNeededFirst: 'Add a goal before recording a review or the person’s agreement',
  goalIdsUnknown: 'Choose only this plan’s goals',
  stale: 'Someone else changed this since you opened it. Check the current version below and make your change again.',
  writersOnly: 'Only the health team (clinicians and hub managers) can change a care plan.',
  notShared: 'The person has not agreed to share their health summary with probation, so their care plan is not shown.',
} as const

/** What happens next with a referral, in plain words for the person; undefined when it is not in progress. */
export function referralNextStep(
  status: string,
  service: string,
  firstAppointmentOn: string | null,
): { now: string; next: string } | undefined {
  switch (status) {
    case 'sent':
      return {
        now: `We have asked ${service} to help you.`,
        next: `${service} will contact you to say if they can help.`,
      }
    case 'accepted':
      return { now: `${service} said yes.`, next: `${service} will contact you to book your first appointment.` }
    case 'first-appointment-booked':
      return {
        now: `${service} has booked your first appointment${firstAppointmentOn === null ? '' : ` for ${longDate(firstAppointmentOn)}`}.`,
        next: 'Go to the appointment. Call them if you cannot go.',
      }
    case 'first-appointment-attended':
    case 'engaged':
      return { now: `You are seeing ${service}.`, next: `${service} will tell you about your next appointment.` }
    case 'did-not-attend':
      return {
        now: `You missed your appointment with ${service}.`,
        next: 'Your health worker will talk to you about booking again.',
      }
    default:
      return undefined
  }
}

/** A GP registration status in plain words for the person. */
export function gpPlainWords(status: string | undefined, practice: string | null): string {
  if (status === 'registered')
    return practice === null ? 'You are registered with a GP.' : `You are registered with ${practice}.`
  if (status === 'in-progress') return 'We are helping you register with a GP. The GP surgery will contact you.'
  return 'You are not registered with a GP yet. Your health worker can help you register. You do not need an address.'
}

export const screeningPlainName: Record<string, string> = {
  cervical: 'Cervical screening (a smear test)',
  breast: 'Breast screening',
  bowel: 'Bowel screening (a home test kit)',
  aaa: 'AAA screening (a scan of your tummy)',
  lung: 'Lung health check',
}

const longDateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
})

function longDate(iso: string): string {
  return longDateFormat.format(new Date(`${iso.slice(0, 10)}T00:00:00Z`))
}
