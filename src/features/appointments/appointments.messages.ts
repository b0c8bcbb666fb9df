import type { AbsenceReason, AppointmentKind, AppointmentOutcome } from './appointments.tables.ts'
/** What the appointment pages and API say, in one place. */

export const kindLabels: Record<AppointmentKind, string> = {
  joint: 'Joint appointment (probation practitioner and hub clinician)',
  clinic: 'Health clinic (hub clinician only)',
}

export const kindShort: Record<AppointmentKind, string> = { joint: 'Joint', clinic: 'Health clinic' }

/** The nDelius outcome codes (domain reference §8) in plain English, in the order a form offers them. */
export const outcomeLabels: Record<AppointmentOutcome, string> = {
  ATTC: 'Attended and complied',
  AFTC: 'Attended but failed to comply',
  ATSH: 'Sent home because of their behaviour',
  ATSS: 'Sent home because of a problem with the service',
  AFTA: 'Failed to attend',
  UAAB: 'Unacceptable absence',
  AA: 'Acceptable absence',
  RSOF: 'Rescheduled at the person’s request',
  RSSR: 'Rescheduled at the service’s request',
}

export const absenceReasonLabels: Record<AbsenceReason, string> = {
  AACL: 'Court or legal',
  AAEM: 'Employment',
  AAFC: 'Family or childcare',
  AAHO: 'Holiday',
  AAME: 'Medical',
  AARC: 'Residential treatment or care (RIC)',
  AARE: 'Religious',
  AASD: 'Stood down',
  AAAA: 'Other',
  CO05: 'Professional judgement decision',
}

/** Outcomes meaning the person was not seen: each creates follow-up work for their clinician and practitioner. */
export const missedOutcomes: readonly AppointmentOutcome[] = ['AFTA', 'UAAB', 'AA']
/** Outcomes that move the appointment rather than close it: set only by rescheduling, never recorded as an outcome. */
export const rescheduleOutcomes: readonly AppointmentOutcome[] = ['RSOF', 'RSSR']

export const durationChoices = [15, 30, 45, 60, 75, 90, 120] as const

export const messages = {
  kindBlank: 'Select the type of appointment',
  dateBlank: 'Enter the date of the appointment',
  timeBlank: 'Enter the start time',
  timeInvalid: 'Enter the start time using the 24-hour clock, like 10:30 or 14:00',
  timeMissing: 'That time does not exist on that day because the clocks go forward – enter another time',
  inPast: 'The appointment must start in the future',
  durationBlank: 'Select how long the appointment is',
  clinicianBlank: 'Select the hub clinician',
  clinicianNotAtSite: 'Select a hub clinician who works at this person’s site',
  practitionerBlank: 'Select the probation practitioner for a joint appointment',
  practitionerNotAtSite: 'Select a probation practitioner who works at this person’s site',
  locationTooLong: 'Location must be 200 characters or fewer',
  outcomeBlank: 'Select what happened at the appointment',
  absenceReasonBlank: 'Select the reason the absence was acceptable',
  absenceReasonNotAllowed: 'Only give an absence reason when the absence was acceptable',
  notesTooLong: 'Notes must be 2,000 characters or fewer',
  tooEarly: 'You cannot record what happened before the appointment has started',
  rescheduleThroughReschedule:
    'To move the appointment, reschedule it instead: rescheduling books the new appointment and records who asked for the change',
  cancelReasonBlank: 'Enter why the appointment is being cancelled',
  cancelReasonTooLong: 'The reason must be 500 characters or fewer',
  requestedByBlank: 'Select who asked for the appointment to be moved',
  rescheduleSameTime: 'Enter a different date or time – the appointment is already booked for then',
  notBooked: 'This appointment is no longer booked, so it cannot be changed',
  stale: 'Someone else changed this appointment after you opened it. Check the details below and try again.',
  formAlreadyUsed: 'This form was already used to book an appointment. Check the diary before booking again.',
  clash: (who: string, from: string, to: string, day: string, site: string) =>
    `${who} already has an appointment from ${from} to ${to} on ${day} at ${site}`,
  hiddenClash: (who: string) => `${who} already has an appointment at that time. Choose another time`,
}
