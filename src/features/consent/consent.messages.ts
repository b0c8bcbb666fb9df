/**
 * Consent topics, decisions and methods: the stable codes, and the words staff and the person read. The "what this
 * means" text is written to be read aloud to the person, in plain words (Caldicott principle 8).
 */

export const consentTopics = [
  'share-summary-with-probation',
  'share-with-gp',
  'share-with-partner',
  'contact-by-sms',
  'contact-by-email',
  'evaluation-use',
] as const
export type ConsentTopic = (typeof consentTopics)[number]

export const consentDecisions = ['given', 'refused', 'withdrawn'] as const
export type ConsentDecisionCode = (typeof consentDecisions)[number]

export const consentMethods = ['in-person', 'phone', 'written'] as const
export type ConsentMethod = (typeof consentMethods)[number]

export function isConsentTopic(value: string): value is ConsentTopic {
  return (consentTopics as readonly string[]).includes(value)
}
export function isConsentDecision(value: string): value is ConsentDecisionCode {
  return (consentDecisions as readonly string[]).includes(value)
}
export function isConsentMethod(value: string): value is ConsentMethod {
  return (consentMethods as readonly string[]).includes(value)
}

/** Only this topic is decided per partner organisation. */
export const PARTNER_TOPIC = 'share-with-partner' satisfies ConsentTopic

export interface TopicText {
  /** The summary-list key and page heading: what is being agreed. */
  title: string
  /** The question on the form. */
  question: string
  /** What agreeing means, spoken to the person. */
  meaning: readonly string[]
}

export const topicText: Record<ConsentTopic, TopicText> = {
  'share-summary-with-probation': {
    title: 'Share a health summary with probation',
    question: 'Does the person agree to share a health summary with their probation practitioner?',
    meaning: [
      'Your probation practitioner would see a short summary of the help you are getting from the health team.',
      'It says in plain words what you need help with, which services you have been referred to, and whether you went to your appointments.',
      'It never shows your answers to health questions or any scores.',
      'If you say no, your probation practitioner will not see this summary. You can change your mind at any time.',
    ],
  },
  'share-with-gp': {
    title: 'Share with their GP',
    question: 'Does the person agree to share information with their GP?',
    meaning: [
      'The health team would tell your GP practice what they found and what help was arranged, so your GP can carry on your care.',
      'If you say no, your GP will not be sent this information by the health team. You can change your mind at any time.',
    ],
  },
  'share-with-partner': {
    title: 'Share with a partner organisation',
    question: 'Does the person agree to share information with this organisation?',
    meaning: [
      'If you are referred to this organisation, the health team would send them what they need to help you: your name and contact details and the reason for the referral.',
      'You decide for each organisation separately. Saying no to one does not affect the others.',
      'If you say no, you will not be referred to this organisation through the hub. You can change your mind at any time.',
    ],
  },
  'contact-by-sms': {
    title: 'Contact by text message',
    question: 'Does the person agree to be sent text messages?',
    meaning: [
      'The hub would send you text messages to remind you about appointments.',
      'Texts never say what the appointment is about.',
      'If you say no, you will not be sent texts. You can change your mind at any time.',
    ],
  },
  'contact-by-email': {
    title: 'Contact by email',
    question: 'Does the person agree to be sent emails?',
    meaning: [
      'The hub would send you emails to remind you about appointments and, if you ask, a copy of your plan.',
      'If you say no, you will not be sent emails. You can change your mind at any time.',
    ],
  },
  'evaluation-use': {
    title: 'Use of information to evaluate the pilot',
    question: 'Does the person agree to their information being used to evaluate the pilot?',
    meaning: [
      'The NHS and the Ministry of Justice want to find out whether health hubs in probation offices help people.',
      'Information about you would be used with your name, address and other details that identify you taken out.',
      'No one reading the results could tell it was you. Saying no does not change the care you get.',
      'You can change your mind at any time.',
    ],
  },
}

export const decisionText: Record<ConsentDecisionCode, { label: string; status: string; tag: string }> = {
  given: { label: 'Yes, agrees', status: 'Agreed', tag: 'govuk-tag--green' },
  refused: { label: 'No, does not agree', status: 'Does not agree', tag: 'govuk-tag--red' },
  withdrawn: { label: 'Withdraws agreement given before', status: 'Agreement withdrawn', tag: 'govuk-tag--orange' },
}

export const methodText: Record<ConsentMethod, string> = {
  'in-person': 'In person',
  phone: 'By phone',
  written: 'In writing',
}

export const NOTE_MAX = 1000

export const messages = {
  decisionBlank: 'Select whether the person agrees',
  decidedOnLabel: 'the date the person decided',
  decidedOnFuture: 'The date the person decided must be today or in the past',
  methodBlank: 'Select how the decision was given',
  noteTooLong: `Note must be ${NOTE_MAX.toLocaleString('en-GB')} characters or fewer`,
  organisationBlank: 'Select the partner organisation',
  organisationUnknown: 'Select a partner organisation from the list',
  organisationNotForTopic: 'Only sharing with a partner is decided per organisation',
  decidedBeforeCurrent: (date: string) =>
    `The date the person decided must be on or after ${date}, the date of the decision now in force. A decision made earlier cannot replace a later one`,
  withdrawWithoutGiven: 'The person can only withdraw agreement they have given. Select yes or no instead',
  topicUnknown: `Enter a topic: ${consentTopics.join(', ')}`,
  decisionUnknown: 'Enter a decision: given, refused or withdrawn',
  methodUnknown: `Enter a method: ${consentMethods.join(', ')}`,
  dateInvalid: 'Enter the date the person decided as a real date, YYYY-MM-DD',
  duplicate: 'Each topic (and partner organisation) may appear once',
  notRecorder: 'Only clinicians and hub managers may record consent decisions.',
}
