import type { ReferralStatus } from '../referrals/index.ts'

/** Referral statuses in plain words, for the timeline: "Referral to Talking Therapies: declined by the person". */
export const referralStatusLabels: Readonly<Record<ReferralStatus, string>> = {
  draft: 'draft',
  sent: 'sent',
  accepted: 'accepted',
  rejected: 'rejected',
  'first-appointment-booked': 'first appointment booked',
  'first-appointment-attended': 'first appointment attended',
  engaged: 'engaged',
  completed: 'completed',
  declined: 'declined by the person',
  withdrawn: 'withdrawn',
  'did-not-attend': 'did not attend',
}

/** Consent topics as the timeline names them: "Consent to share a health summary with probation". */
export const consentTopicLabels: Readonly<Record<string, string>> = {
  'share-summary-with-probation': 'Consent to share a health summary with probation',
  'share-with-gp': 'Consent to share with their GP',
  'share-with-partner': 'Consent to share with a partner organisation',
  'contact-by-sms': 'Consent to contact by text message',
  'contact-by-email': 'Consent to contact by email',
  'evaluation-use': 'Consent to use of information to evaluate the pilot',
}

export const consentDecisionLabels: Readonly<Record<string, string>> = {
  given: 'agreed',
  refused: 'does not agree',
  withdrawn: 'agreement withdrawn',
}

export const gpRegistrationStatusLabels: Readonly<Record<string, string>> = {
  registered: 'registered',
  'not-registered': 'not registered',
  'in-progress': 'registration in progress',
  refused: 'a practice refused to register them',
  deregistered: 'deregistered',
}

export const screeningProgrammeLabels: Readonly<Record<string, string>> = {
  cervical: 'Cervical screening',
  breast: 'Breast screening',
  bowel: 'Bowel cancer screening',
  aaa: 'Abdominal aortic aneurysm (AAA) screening',
  lung: 'Lung health check',
}

export const screeningStateLabels: Readonly<Record<string, string>> = {
  invited: 'invited',
  booked: 'appointment booked',
  attended: 'attended',
  'result-recorded': 'result recorded',
  declined: 'declined',
}
