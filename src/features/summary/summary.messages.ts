/**
 * The words of the non-clinical health summary a probation practitioner sees (issue 4 item 1). Everything here is
 * plain words chosen for probation: never an answer, score, band, instrument name, flag, observation, clinical note,
 * appointment outcome note, need reason or referral reason (hazard log H-701).
 */
import type { AppointmentKind } from '../appointments/index.ts'
import type { NeedCategory } from '../needs/index.ts'
import type { ServiceKind } from '../services/index.ts'
import type { GpRegistrationStatus } from '../gp-registration/index.ts'
import type { ReferralStatus } from '../referrals/index.ts'

/** A confirmed need, as probation reads it. */
export const needText: Record<NeedCategory, string> = {
  'mental-health': 'Mental health support',
  alcohol: 'Alcohol support',
  drugs: 'Drug treatment',
  smoking: 'Stopping smoking',
  neurodivergence: 'Neurodiversity support',
  trauma: 'Support after trauma',
  'physical-health': 'Physical health',
  'gp-registration': 'Registering with a GP',
  screening: 'Health screening',
}

/** The kind of service a person was referred to. */
export const serviceKindText: Record<ServiceKind, string> = {
  'gp-practice': 'GP practice',
  'talking-therapies': 'NHS Talking Therapies',
  'community-mental-health': 'Community mental health service',
  'drug-alcohol': 'Drug and alcohol service',
  'stop-smoking': 'Stop smoking service',
  screening: 'Screening service',
  'sexual-health': 'Sexual health service',
  dentistry: 'Dentist',
  'community-pharmacy': 'Community pharmacy',
  'liaison-diversion': 'Liaison and diversion service',
  housing: 'Housing service',
  'voluntary-sector': 'Voluntary sector organisation',
  'care-after-custody': 'Care after custody service',
  other: 'Other service',
}

/** Referral statuses probation may see (drafts are never shown: they have not been sent). */
export const sharedReferralStatuses = [
  'sent',
  'accepted',
  'rejected',
  'first-appointment-booked',
  'first-appointment-attended',
  'engaged',
  'completed',
  'declined',
  'withdrawn',
  'did-not-attend',
] as const satisfies readonly ReferralStatus[]
export type SharedReferralStatus = (typeof sharedReferralStatuses)[number]

export const referralStatusText: Record<SharedReferralStatus, string> = {
  sent: 'Sent, waiting for the service to reply',
  accepted: 'Accepted by the service',
  rejected: 'Not accepted by the service',
  'first-appointment-booked': 'First appointment booked',
  'first-appointment-attended': 'Went to the first appointment',
  engaged: 'Taking part',
  completed: 'Completed',
  declined: 'The person decided not to go ahead',
  withdrawn: 'Withdrawn',
  'did-not-attend': 'Did not go to the first appointment',
}

/** Whether the first appointment of a referral was kept. */
export const firstAppointmentKeptValues = ['yes', 'no', 'not-yet', 'no-appointment'] as const
export type FirstAppointmentKept = (typeof firstAppointmentKeptValues)[number]

/** Referrals that ended before any appointment: "Not yet" would wrongly suggest one is still to come. */
export const closedWithoutAppointment: readonly SharedReferralStatus[] = ['rejected', 'declined', 'withdrawn']

export const appointmentKindText: Record<AppointmentKind, string> = {
  joint: 'Joint appointment with probation and the health team',
  clinic: 'Health clinic appointment',
}

export const gpStatusText: Record<GpRegistrationStatus, (practice: string | null) => string> = {
  registered: (practice) => (practice === null ? 'Registered with a GP practice' : `Registered with ${practice}`),
  'in-progress': () => 'Registration in progress',
  'not-registered': () => 'Not registered',
  refused: () => 'Not registered: a practice refused, and the health team is helping',
  deregistered: () => 'Not registered: no longer registered with a practice',
}

export const GP_NOT_RECORDED = 'Not recorded yet'

/** How far back "appointments kept" looks. */
export const APPOINTMENT_MONTHS = 6

export const messages = {
  consentRequiredTitle: 'Consent required',
  consentRequiredDetail:
    'The person has not agreed to share a health summary with probation, so none is shown. Ask the hub clinician.',
  notAsked: (name: string) => `${name} has not agreed to share a health summary with probation.`,
  refused: (name: string) => `${name} has not agreed to share a health summary with probation.`,
  withdrawn: (name: string, date: string) =>
    `${name} withdrew their agreement to share a health summary with probation on ${date}.`,
  whatToDo:
    'You cannot see their health summary. If you think the health team could help, or you need to know something ' +
    'to support them, ask the hub clinician. They can talk to the person about sharing.',
}
