/** The release plan's words: labels, GOV.UK error messages, and progress in plain words for probation. */
import type { NaloxoneOutcome, PlanItemKind, PlanItemOwner, PlanItemStatus } from './release-plan.tables.ts'

export const ownerText: Record<PlanItemOwner, string> = {
  clinician: 'Hub clinician',
  'probation-practitioner': 'Probation practitioner',
  partner: 'Partner organisation',
}

export const statusText: Record<PlanItemStatus, { text: string; tag: string }> = {
  'to-do': { text: 'To do', tag: 'govuk-tag--grey' },
  'in-progress': { text: 'In progress', tag: 'govuk-tag--blue' },
  done: { text: 'Done', tag: 'govuk-tag--green' },
  'not-applicable': { text: 'Does not apply', tag: 'govuk-tag--grey' },
}

export const naloxoneText: Record<NaloxoneOutcome, string> = {
  offered: 'Offered',
  supplied: 'Supplied',
  declined: 'Offered and declined',
}

/** How probation reads each item's progress: the subject, then the state in plain words. */
export const plainSubject: Record<PlanItemKind, string> = {
  'gp-registration': 'GP',
  'gp-appointment': 'First GP appointment',
  medicines: 'Medicines',
  naloxone: 'Naloxone',
  'drug-alcohol': 'Drug and alcohol service',
  'mental-health': 'Mental health follow-up',
  housing: 'Housing',
  'id-bank-benefits': 'ID, bank account and benefits',
  'meet-at-gate': 'Meet at the gate',
}

const referralProgress: Record<string, string> = {
  'first-appointment-booked': 'first appointment booked',
  'first-appointment-attended': 'first appointment attended',
  engaged: 'engaged',
  completed: 'completed',
}

/** An item's progress in plain words, as probation reads it: "GP: registered". */
export function plainProgress(item: {
  kind: PlanItemKind
  state: { status: PlanItemStatus; doneBy: string | undefined }
  referralStatus?: string | undefined
}): string {
  const subject = plainSubject[item.kind]
  if (item.state.doneBy === 'gp-registration') return `${subject}: registered`
  if (item.state.doneBy === 'referral' && item.referralStatus !== undefined) {
    return `${subject}: ${referralProgress[item.referralStatus] ?? 'first appointment booked'}`
  }
  return `${subject}: ${statusText[item.state.status].text.toLowerCase()}`
}

export const planMessages = {
  notReader: 'Only the health team, probation practitioners and partner organisations can see release plans.',
  notEditor: 'You cannot change this item of the release plan.',
  statusAndNotesOnly: 'You can change only the status and notes of this item.',
  notFound: 'There is no release plan item with that id.',
  episodeNotFound: 'There is no custody episode with that id.',
  stale:
    'Someone else changed this item while you were filling in the form. Check the details below, then make your change again.',
  ownerUnknown: 'Select who owns this item',
  organisationUnknown: 'Select a partner organisation from the list',
  statusUnknown: 'Select the status of this item',
  reasonBlank: 'Enter why this item does not apply',
  reasonLong: 'The reason must be 500 characters or fewer',
  notesLong: 'Notes must be 2,000 characters or fewer',
  medicinesOnly: 'This is recorded on the medicines item only',
  daysSupplied: 'Enter the days of medicine supplied as a whole number from 0 to 365',
  dateFormat: 'Enter the date as a real date, like 2027-01-22',
  naloxoneOnly: 'This is recorded on the naloxone item only',
  naloxoneUnknown: 'Select whether naloxone was offered, supplied or declined',
  referralOnly: 'A referral is linked to the drug and alcohol or mental health item only',
  referralUnknown: 'Select one of the person’s referrals to this kind of service',
} as const
