import { formatDateTime } from '../../platform/views/format.ts'
import { channelLabels, purposeLabels } from './messages.content.ts'
import type { MessageView } from './messages.service.ts'
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

/** A proportion in words: "3 of 40 (7.5%)", or "none due" when there is nothing to divide by. */
export function rateWords(part: { due: number; missed: number }): string {
  if (part.due === 0) return 'No appointments'
  const percent = ((part.missed / part.due) * 100).toFixed(1)
  return `${String(part.missed)} of ${String(part.due)} missed (${percent}%)`
}
