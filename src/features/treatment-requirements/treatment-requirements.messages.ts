/** Kinds, statuses and referral statuses in the words staff read, and every message the feature shows. */
import type { NeedCategory } from '../needs/index.ts'
import type { ReferralStatus } from '../referrals/index.ts'
import { treatmentRequirementKinds, type TreatmentRequirementKind, type TreatmentRequirementStatus } from './treatment-requirements.tables.ts'

export { treatmentRequirementKinds, type TreatmentRequirementKind }

export function isTreatmentRequirementKind(value: string): value is TreatmentRequirementKind {
  return (treatmentRequirementKinds as readonly string[]).includes(value)
}

/** The three requirements within a community order or suspended sentence order (domain reference §8). */
export const kindText: Record<TreatmentRequirementKind, { name: string; short: string; hint: string }> = {
  mhtr: {
    name: 'Mental Health Treatment Requirement',
    short: 'MHTR',
    hint: 'Treatment for mental health, in primary or secondary care',
  },
  drr: {
    name: 'Drug Rehabilitation Requirement',
    short: 'DRR',
    hint: 'Structured drug treatment with regular drug testing',
  },
  atr: {
    name: 'Alcohol Treatment Requirement',
    short: 'ATR',
    hint: 'Treatment to reduce or end dependency on alcohol',
  },
}

/** The need category a treatment referral for each kind is expected to come from: used to suggest referrals. */
export const matchingNeed: Record<TreatmentRequirementKind, NeedCategory> = {
  mhtr: 'mental-health',
  drr: 'drugs',
  atr: 'alcohol',
}

export const statusText: Record<TreatmentRequirementStatus, { text: string; tag: string }> = {
  proposed: { text: 'Proposed', tag: 'govuk-tag--blue' },
  'assessed-suitable': { text: 'Assessed as suitable', tag: 'govuk-tag--turquoise' },
  'assessed-unsuitable': { text: 'Assessed as not suitable', tag: 'govuk-tag--grey' },
  made: { text: 'Made by the court', tag: 'govuk-tag--purple' },
  started: { text: 'Started', tag: 'govuk-tag--green' },
  completed: { text: 'Completed', tag: 'govuk-tag--grey' },
  breached: { text: 'Breached', tag: 'govuk-tag--red' },
}

/**
 * A referral's status in plain words: what a probation practitioner may see of a linked treatment referral (with
 * the service's name), never its reason or need detail.
 */
export const referralStatusText: Record<ReferralStatus, string> = {
  draft: 'Not sent yet',
  sent: 'Sent',
  accepted: 'Accepted',
  rejected: 'Not accepted by the service',
  'first-appointment-booked': 'First appointment booked',
  'first-appointment-attended': 'Went to first appointment',
  engaged: 'Taking part',
  completed: 'Completed',
  declined: 'Declined by the person',
  withdrawn: 'Withdrawn',
  'did-not-attend': 'Did not attend',
}

export const needCategoryText: Record<NeedCategory, string> = {
  'mental-health': 'Mental health',
  alcohol: 'Alcohol',
  drugs: 'Drugs',
  smoking: 'Smoking',
  neurodivergence: 'Neurodivergence',
  trauma: 'Trauma',
  'physical-health': 'Physical health',
  'gp-registration': 'GP registration',
  screening: 'Screening',
}

export const NOTE_MAX = 2000

const n = (value: number) => value.toLocaleString('en-GB')

export const messages = {
  kindBlank: 'Select the treatment requirement',
  kindUnknown: `Enter a kind: ${treatmentRequirementKinds.join(', ')}`,
  proposedOnLabel: 'the date it was proposed',
  proposedOnBlank: 'Enter the date it was proposed',
  proposedOnInvalid: 'Enter the date it was proposed as a real date, YYYY-MM-DD',
  proposedOnFuture: 'The date it was proposed must be today or in the past',
  proposedBeforeBirth: 'The date it was proposed must be after the person’s date of birth',
  underEighteen: (name: string) =>
    `A treatment requirement is for adults aged 18 or over: ${name} was under 18 on the date it was proposed`,
  duplicate: (kind: TreatmentRequirementKind) =>
    `This person already has an open ${kindText[kind].short}: update that one instead of proposing another`,
  toBlank: 'Select what has happened',
  toUnknown: 'Enter a status: proposed, assessed-suitable, assessed-unsuitable, made, started, completed or breached',
  atLabel: 'the date it happened',
  atBlank: 'Enter the date it happened',
  atInvalid: 'Enter the date it happened as a real date, YYYY-MM-DD',
  atFuture: 'The date it happened must be today or in the past',
  atBeforePrevious: (previous: string) =>
    `The date it happened must be on or after ${previous}, the date of the last change`,
  reasonBlank: (label: string) => `Enter ${label.charAt(0).toLowerCase()}${label.slice(1)}`,
  noteTooLong: `Note must be ${n(NOTE_MAX)} characters or fewer`,
  reasonTooLong: `Reason must be ${n(NOTE_MAX)} characters or fewer`,
  referralBlank: 'Select the treatment referral to link',
  referralInvalid: 'Enter the referral’s id (a UUID), or null to unlink',
  referralNotThisPerson: 'Select a referral for this person: a referral for someone else cannot be linked',
  referralNeeded:
    'Link the treatment referral (the treatment provider) before recording that treatment started. Ask a clinician or hub manager to link it',
  referralRequiredWhileStarted: 'A requirement that has started must stay linked to its treatment referral',
  referralByHealthTeam: 'Only clinicians and hub managers may link a treatment referral',
  reopenWhileOpen: (kind: TreatmentRequirementKind) =>
    `This person has another open ${kindText[kind].short}: close that one before reopening this one`,
  wrongRole: (label: string, by: string) => `“${label}” is recorded by ${by} only`,
  notAllowed: (from: string, allowed: readonly string[]) =>
    allowed.length === 0
      ? `A requirement that is ${from.toLowerCase()} cannot change status`
      : `A requirement that is ${from.toLowerCase()} can only change to: ${allowed.join('; ')}`,
  staleUpdate:
    'Someone else updated this treatment requirement after you opened this page. Check it below, then make your change again.',
  noteIsShared:
    'Probation practitioners and the health team can both read this. Do not include clinical detail such as diagnoses or scores.',
}
