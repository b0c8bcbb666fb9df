/** Turns the summary into what the template shows. Every value is passed as text, so Nunjucks escapes it. */
import { formatDate } from '../../platform/views/format.ts'
import { messages } from './summary.messages.ts'
import type { HealthSummary, Sharing, SummaryReferral } from './summary.service.ts'

const weekday = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long' })

/** "Thursday 3 December 2026" for a calendar date (built in two parts: some ICU versions put a comma between). */
function longDate(date: string): string {
  return `${weekday.format(new Date(`${date}T00:00:00Z`))} ${formatDate(date)}`
}

/** The sentence saying why there is no summary for probation (not asked, refused, or withdrawn on a date). */
export function notSharedText(sharing: Sharing, name: string): string {
  switch (sharing.decision) {
    case 'withdrawn':
      return messages.withdrawn(name, formatDate(sharing.decidedOn))
    case 'refused':
      return messages.refused(name)
    case 'given':
    case 'not-asked':
      return messages.notAsked(name)
  }
}

function firstAppointmentText(r: SummaryReferral): string {
  switch (r.firstAppointmentKept) {
    case 'yes':
      return `Yes, on ${formatDate(r.firstAttendedOn)}`
    case 'no':
      return 'No'
    case 'not-yet':
      return 'Not yet'
    case 'no-appointment':
      return 'No appointment'
  }
}

const count = (n: number) => n.toLocaleString('en-GB')

/** The sections of the summary: needs, referrals, appointments and GP registration. */
export function summarySections(summary: HealthSummary) {
  return {
    needs: {
      head: [{ text: 'Need' }, { text: 'Identified' }],
      rows: summary.needs.map((n) => [{ text: n.label }, { text: formatDate(n.identifiedOn) }]),
    },
    referrals: {
      head: [{ text: 'Service' }, { text: 'Status' }, { text: 'Sent' }, { text: 'Went to first appointment' }],
      rows: summary.referrals.map((r) => [
        { text: `${r.serviceName} (${r.serviceKindLabel})` },
        { text: r.statusLabel },
        { text: formatDate(r.sentOn) },
        { text: firstAppointmentText(r) },
      ]),
    },
    appointmentsSince: formatDate(summary.appointments.since),
    appointments: [
      { key: { text: 'Kept' }, value: { text: count(summary.appointments.kept) } },
      { key: { text: 'Missed' }, value: { text: count(summary.appointments.missed) } },
      { key: { text: 'Acceptable absences' }, value: { text: count(summary.appointments.acceptableAbsences) } },
      {
        key: { text: 'Next appointment' },
        value: {
          text:
            summary.appointments.next === null
              ? 'None booked'
              : `${longDate(summary.appointments.next.date)}: ${summary.appointments.next.kindLabel.toLowerCase()}`,
        },
      },
    ],
    gpRegistration: summary.gpRegistration.text,
  }
}
