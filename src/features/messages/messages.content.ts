/**
 * What a message says. GOV.UK Notify holds the templates (one per purpose and channel, ids in NOTIFY_TEMPLATE_*);
 * the service sends personalisation only, and holds the same template text here so staff see the exact words
 * before a message goes (docs/notify-templates.md lists them to paste into Notify).
 *
 * Never a health detail: a message names the day, time and place and how to rearrange, nothing about the
 * appointment's kind, clinic, instrument, need, referral or service. Whether it may say "probation" or "the health
 * hub" is the person's choice (default: neither).
 */
import { formatTime } from '../../platform/views/format.ts'
import { toUkLocal } from '../../platform/time/uk-time.ts'
import type { MessageChannel, MessagePurpose, ServiceNaming } from './messages.tables.ts'

export interface Template {
  /** The email's subject line (email templates only). */
  readonly subject?: string
  readonly body: string
}

/** The templates as Notify holds them: placeholders are written ((name)). */
export const templates: Readonly<Record<MessagePurpose, Readonly<Record<MessageChannel, Template>>>> = {
  reminder: {
    sms: {
      body: '((greeting))You have an appointment((with)) at ((time)) on ((day)) at ((place)). To change it call ((phone)).',
    },
    email: {
      subject: 'Your appointment on ((day))',
      body:
        '((greeting))You have an appointment((with)) at ((time)) on ((day)) at ((place)).\n\n' +
        'To change it call ((phone)).',
    },
  },
  cancelled: {
    sms: {
      body: '((greeting))Your appointment((with)) at ((time)) on ((day)) is cancelled. To arrange another call ((phone)).',
    },
    email: {
      subject: 'Your appointment on ((day)) is cancelled',
      body:
        '((greeting))Your appointment((with)) at ((time)) on ((day)) at ((place)) is cancelled.\n\n' +
        'To arrange another call ((phone)).',
    },
  },
  missed: {
    sms: {
      body: '((greeting))Sorry we missed you at your appointment((with)) on ((day)). Call ((phone)) to rearrange.',
    },
    email: {
      subject: 'Sorry we missed you',
      body:
        '((greeting))Sorry we missed you at your appointment((with)) at ((time)) on ((day)).\n\n' +
        'Call ((phone)) to rearrange.',
    },
  },
}

/** The personalisation every template takes; each value is plain text, never a health detail. */
export interface Personalisation {
  greeting: string
  with: string
  time: string
  day: string
  place: string
  phone: string
  // Notify's client types personalisation as a string map.
  [key: string]: string
}

export interface ContentInput {
  preferredName: string | null
  givenName: string
  naming: ServiceNaming
  startsAt: Date
  /** The site's address on one line. */
  place: string
  /** The site's phone number. */
  phone: string
}

const withWords: Record<ServiceNaming, string> = {
  neither: '',
  probation: ' with probation',
  'health-hub': ' with the health hub',
}

/** "Friday 4 December": the appointment's day in UK time, without the year (it is always within weeks). */
export function dayWords(instant: Date): string {
  const { date } = toUkLocal(instant)
  const parts = new Intl.DateTimeFormat('en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    timeZone: 'UTC',
  }).formatToParts(new Date(`${date}T00:00:00Z`))
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? ''
  return `${get('weekday')} ${get('day')} ${get('month')}`
}

export function personalisationFor(input: ContentInput): Personalisation {
  const name = (input.preferredName ?? '').trim() || input.givenName.trim()
  return {
    greeting: name === '' ? '' : `Hello ${name}. `,
    with: withWords[input.naming],
    time: formatTime(input.startsAt),
    day: dayWords(input.startsAt),
    place: input.place,
    phone: input.phone,
  }
}

/** Fills ((placeholders)) as Notify does; a placeholder with no value is an error, never sent half-filled. */
export function render(text: string, personalisation: Readonly<Record<string, string>>): string {
  return text.replace(/\(\(([a-z]+)\)\)/g, (_match, key: string) => {
    const value = personalisation[key]
    if (value === undefined) throw new Error(`No personalisation for ((${key}))`)
    return value
  })
}

/** The exact words the person will get, as staff preview them. */
export function preview(
  purpose: MessagePurpose,
  channel: MessageChannel,
  personalisation: Personalisation,
): { subject: string | undefined; body: string } {
  const template = templates[purpose][channel]
  return {
    subject: template.subject === undefined ? undefined : render(template.subject, personalisation),
    body: render(template.body, personalisation),
  }
}

export const purposeLabels: Record<MessagePurpose, string> = {
  reminder: 'Appointment reminder',
  cancelled: 'Appointment cancelled',
  missed: 'Sorry we missed you',
}

export const channelLabels: Record<MessageChannel, string> = { sms: 'Text message', email: 'Email' }

export const namingLabels: Record<ServiceNaming, string> = {
  neither: 'Say neither (the message names only the day, time and place)',
  probation: 'Say "probation"',
  'health-hub': 'Say "the health hub"',
}
