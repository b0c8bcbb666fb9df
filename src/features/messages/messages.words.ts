/**
 * What staff read about a message, in plain words. Temporary and technical failures are told apart plainly
 * (staff confuse them): one is the person's phone or inbox, the other is ours.
 */
import type { MessageStatus } from './messages.tables.ts'

export const statusWords: Record<MessageStatus, { text: string; tag: string }> = {
  scheduled: { text: 'Waiting to be sent', tag: 'govuk-tag--blue' },
  cancelled: { text: 'Not sent: no longer needed', tag: 'govuk-tag--grey' },
  skipped: { text: 'Not sent', tag: 'govuk-tag--grey' },
  outbox: { text: 'Not sent: in the outbox', tag: 'govuk-tag--yellow' },
  rejected: { text: 'Not sent: refused by GOV.UK Notify', tag: 'govuk-tag--red' },
  created: { text: 'Sent to GOV.UK Notify', tag: 'govuk-tag--light-blue' },
  sending: { text: 'On its way', tag: 'govuk-tag--light-blue' },
  pending: { text: 'On its way', tag: 'govuk-tag--light-blue' },
  sent: { text: 'Sent abroad: no receipt will come', tag: 'govuk-tag--light-blue' },
  delivered: { text: 'Delivered', tag: 'govuk-tag--green' },
  'permanent-failure': { text: 'Not delivered: check contact details', tag: 'govuk-tag--red' },
  'temporary-failure': { text: 'Not delivered yet', tag: 'govuk-tag--orange' },
  'technical-failure': { text: 'Not sent: our error', tag: 'govuk-tag--red' },
}

/** Why a message did not go, or what went wrong, for the person's Messages page. */
export const reasonWords: Record<string, string> = {
  'appointment-cancelled': 'The appointment was cancelled.',
  'appointment-moved': 'The appointment was moved; the new one has reminders of its own.',
  'appointment-started': 'The appointment had already started.',
  'appointment-not-found': 'The appointment could not be found.',
  'appointment-not-cancelled': 'The appointment is no longer cancelled.',
  'no-reminder-sent': 'No reminder had gone, so there was nothing to take back.',
  'appointment-not-missed': 'The appointment is no longer recorded as missed.',
  'quiet-until-start': 'It would have gone at night, and the quiet hours last until the appointment.',
  'person-not-found': 'The person’s record could not be found.',
  'no-consent-sms': 'The person has not agreed to text messages (or withdrew their agreement).',
  'no-consent-email': 'The person has not agreed to emails (or withdrew their agreement).',
  'no-phone': 'There is no mobile number on the person’s record.',
  'no-email': 'There is no email address on the person’s record.',
  'phone-not-valid': 'The phone number on the person’s record is not a mobile number a text can be sent to.',
  'email-not-valid': 'The email address on the person’s record is not in a form an email can be sent to.',
  'site-no-address': 'The site has no address to give. Ask an administrator to add it.',
  'site-no-phone': 'The site has no phone number to give. Ask an administrator to add it.',
  'no-notify-key': 'The service has no GOV.UK Notify key, so nothing leaves it: this copy was kept instead.',
}

/** What each status means for staff, shown beside it. */
export const statusExplanations: Partial<Record<MessageStatus, string>> = {
  'permanent-failure':
    'The phone network or email provider says the number or address does not exist or is no longer used. Check the person’s contact details.',
  'temporary-failure':
    'The phone was off or out of signal, or the inbox was full, for the 72 hours GOV.UK Notify kept trying. The number or address may still be right.',
  'technical-failure':
    'A problem at GOV.UK Notify or in this service stopped it being sent. It was not the person’s phone or address, and the person was not charged.',
}
