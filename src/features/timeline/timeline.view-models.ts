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
