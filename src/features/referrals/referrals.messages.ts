/** What referral pages and the API say: error wording (GOV.UK style), need labels and suggested services. */
import { formatDate } from '../../platform/views/format.ts'
import { statusText, type ReferralStatus } from './referrals.lifecycle.ts'
import type { NeedCategory } from '../needs/index.ts'
import type { ServiceKind } from '../services/index.ts'
import { needCategoryLabels } from '../needs/index.ts'

export const REASON_MAX = 2000

/** Need categories in plain words: the needs feature's own labels. */
export const needLabels: Readonly<Record<NeedCategory, string>> = needCategoryLabels

/** The kinds of service suggested first for a need (the rest of the site's directory follows). */
export const suggestedKinds: Record<NeedCategory, readonly ServiceKind[]> = {
  'mental-health': ['talking-therapies', 'community-mental-health'],
  alcohol: ['drug-alcohol'],
  drugs: ['drug-alcohol'],
  smoking: ['stop-smoking'],
  'gp-registration': ['gp-practice'],
  screening: ['screening', 'gp-practice'],
  'physical-health': ['gp-practice', 'community-pharmacy', 'sexual-health', 'dentistry'],
  trauma: ['talking-therapies', 'community-mental-health', 'voluntary-sector'],
  neurodivergence: ['community-mental-health', 'voluntary-sector', 'other'],
}

/** When each status was reached, for "must be on or after …, when …" (the latest change's status). */
const reachedWhen: Record<ReferralStatus, string> = {
  draft: 'when the referral was made',
  sent: 'when the referral was sent',
  accepted: 'when the service accepted the referral',
  rejected: 'when the service rejected the referral',
  'first-appointment-booked': 'when the first appointment was booked',
  'first-appointment-attended': 'when the person attended their first appointment',
  'did-not-attend': 'when the person did not attend their first appointment',
  engaged: 'when the person began engaging with the service',
  completed: 'when the person completed treatment or support',
  declined: 'when the person declined the referral',
  withdrawn: 'when the referral was withdrawn',
}

const list = (items: readonly string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1) ?? ''}`

export const messages = {
  needBlank: 'Select the need this referral is for',
  needNotConfirmed: 'Select a confirmed need of this person',
  serviceBlank: 'Select the service to refer to',
  serviceUnknown: 'Select a service from this site’s directory',
  serviceInactive: 'This service is no longer active in the directory: select another',
  careAfterCustodyUnavailable:
    'Care after custody referrals cannot be checked against the person’s release just now, so none can be made. Try again later.',
  serviceOtherSite: 'Select a service from the directory of this person’s site',
  urgencyBlank: 'Select whether the referral is routine or urgent',
  reasonBlank: 'Enter the reason for the referral',
  reasonTooLong: `Reason for referral must be ${REASON_MAX.toLocaleString('en-GB')} characters or fewer`,
  consentNeededToSend: (organisation: string) =>
    `The person has not agreed to share their information with ${organisation}. Record their consent before sending, or save the referral as a draft`,
  duplicate: (service: string, status: ReferralStatus, on: string) =>
    `There is already an open referral for this need to ${service} (${statusText[status].label.toLowerCase()}, started ${formatDate(on)})`,
  formAlreadyUsed: 'This form was already used to make a referral. Check the details, then make the referral again',
  toBlank: 'Select what has happened',
  toUnknown: 'Select one of the options offered',
  notAllowed: (from: ReferralStatus, allowed: readonly ReferralStatus[]) =>
    allowed.length === 0
      ? `The referral is ${statusText[from].label.toLowerCase()}: nothing more can be recorded`
      : `The referral is ${statusText[from].label.toLowerCase()}: you can record ${list(allowed.map((s) => `“${statusText[s].label.toLowerCase()}”`))}`,
  reasonRequired: (to: ReferralStatus) => `Enter the reason the referral is “${statusText[to].label.toLowerCase()}”`,
  atLabel: 'the date it happened',
  atBlank: 'Enter the date it happened',
  atFuture: 'The date it happened must be today or in the past',
  atBeforePrevious: (previous: string, reached?: ReferralStatus) =>
    `The date it happened must be on or after ${formatDate(previous)}, ${reached === undefined ? 'the date of the last change' : reachedWhen[reached]}`,
  atBeforeAppointment: (to: 'first-appointment-attended' | 'did-not-attend', appointmentOn: string) =>
    `The date they ${to === 'did-not-attend' ? 'did not attend' : 'attended'} must be on or after the booked appointment date, ${formatDate(appointmentOn)}`,
  atBeforeNeed: (identified: string) =>
    `The date it happened must be on or after ${formatDate(identified)}, when the need was identified`,
  appointmentLabel: 'the date of the first appointment',
  appointmentBlank: 'Enter the date of the first appointment',
  appointmentBeforeAt: (bookedOn: string) =>
    `The date of the first appointment must be on or after ${formatDate(bookedOn)}, the date it was booked`,
  stale: (status: ReferralStatus) =>
    `Someone else updated this referral while you were looking at it. It is now ${statusText[status].label.toLowerCase()}. Check the changes, then try again`,
  chaseLabel: 'the chase date',
  chaseBlank: 'Enter the chase date',
  chaseFinal: 'A closed referral has no chase date',
  chaseBeforeCreated: 'The chase date must be on or after the date the referral was made',
  notRecorder: 'You do not have permission to do this.',
  partnerConsentWithdrawn:
    'The person has withdrawn their consent to share their information with your organisation. You can no longer see or update this referral.',
}
