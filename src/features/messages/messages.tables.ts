import type { ColumnType, Generated } from 'kysely'
import type { CreatedAt, Timestamp, UpdatedAt } from '../../platform/db/schema.ts'

export const messagePurposes = ['reminder', 'cancelled', 'missed'] as const
export type MessagePurpose = (typeof messagePurposes)[number]

export const messageChannels = ['sms', 'email'] as const
export type MessageChannel = (typeof messageChannels)[number]

/** Ours before sending; Notify's after (domain reference §9). */
export const messageStatuses = [
  'scheduled',
  'cancelled',
  'skipped',
  'outbox',
  'rejected',
  'created',
  'sending',
  'pending',
  'sent',
  'delivered',
  'permanent-failure',
  'temporary-failure',
  'technical-failure',
] as const
export type MessageStatus = (typeof messageStatuses)[number]

/** Notify's statuses, as its API and callbacks name them. */
export const notifyStatuses = [
  'created',
  'sending',
  'pending',
  'sent',
  'delivered',
  'permanent-failure',
  'temporary-failure',
  'technical-failure',
] as const
export type NotifyStatus = (typeof notifyStatuses)[number]

export const serviceNamings = ['neither', 'probation', 'health-hub'] as const
export type ServiceNaming = (typeof serviceNamings)[number]

export interface MessageTable {
  id: Generated<string>
  person_id: string
  site_id: string
  appointment_id: string | null
  purpose: MessagePurpose
  channel: MessageChannel
  lead_hours: Generated<number>
  send_after: Timestamp
  status: Generated<MessageStatus>
  status_at: ColumnType<Date, Date | string | undefined, Date | string>
  reason: string | null
  failure: string | null
  recipient: string | null
  send_started_at: Timestamp | null
  attempts: Generated<number>
  notify_id: string | null
  sent_at: Timestamp | null
  body: string | null
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface MessageStatusTable {
  id: Generated<string>
  message_id: string
  status: MessageStatus
  at: Timestamp
  detail: string | null
}

export interface MessagePreferenceTable {
  person_id: string
  naming: ServiceNaming
  updated_at: UpdatedAt
  updated_by: string
}

export interface MessageReplyTable {
  id: Generated<string>
  notify_id: string
  person_id: string | null
  site_id: string | null
  source_number: string
  body: string
  received_at: Timestamp
  created_at: CreatedAt
}

declare module '../../platform/db/schema.ts' {
  interface DB {
    message: MessageTable
    message_status: MessageStatusTable
    message_preference: MessagePreferenceTable
    message_reply: MessageReplyTable
  }
}
