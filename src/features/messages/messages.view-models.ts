import { formatDateTime } from '../../platform/views/format.ts'
import { channelLabels, purposeLabels } from './messages.content.ts'
import type { ControlledMissedRate, MessageView } from './messages.service.ts'
import { reasonWords, statusExplanations, statusWords } from './messages.words.ts'
import { messagePaths } from './messages.paths.ts'

/** One message as the person's Messages page shows it. */
export function messageCard(message: MessageView) {
  const status = statusWords[message.status]
  const why = message.failure ?? (message.reason === null ? undefined : reasonWords[message.reason])
  return {
    id: message.id,
    title: `${purposeLabels[message.purpose]}: ${channelLabels[message.channel].toLowerCase()}`,
    lead: message.purpose === 'reminder' ? `${String(message.leadHours)} hours before` : undefined,
    status,
    why,
    explanation: statusExplanations[message.status],
    sendAfter: message.status === 'scheduled' ? formatDateTime(message.sendAfter) : undefined,
    sentAt: message.sentAt === null ? undefined : formatDateTime(message.sentAt),
    appointmentHref: message.appointmentId === null ? undefined : messagePaths.appointment(message.appointmentId),
    preview: message.preview,
    history: message.history.map((h) => ({
      status: statusWords[h.status].text,
      at: formatDateTime(h.at),
    })),
  }
}

/**
 * A missed-appointment rate in words, as disclosure control lets it be shown: "10 of 40 missed (22.5%)" (counts
 * rounded to 5, the percentage from the unrounded counts), "No appointments", or that it is not shown.
 */
export function rateWords(part: ControlledMissedRate): string {
  if (part.appointments === 0) return 'No appointments'
  if (part.suppressed || part.missed === null || part.rate === null || part.appointments === null) {
    if (part.appointments === null) return 'Not shown: 1 to 7 appointments'
    return `${String(part.appointments)} appointments; how many were missed is not shown, as it is 1 to 7`
  }
  return `${String(part.missed)} of ${String(part.appointments)} missed (${(part.rate * 100).toFixed(1)}%)`
}
