export const name = '0025-messages'

/**
 * Messages to people through GOV.UK Notify (appointment reminders, cancellations, "sorry we missed you").
 *
 * A message is written in the same transaction as the change that causes it (booking, cancelling, a missed
 * appointment), with the time it may be sent; it is the outbox a sender works through. It is recorded before it is
 * sent (`send_started_at`), and sent at most once per appointment, purpose, channel and lead time (the unique key
 * below holds for every message that was not withdrawn before sending, so a replaced reminder can be scheduled
 * again for the new time). Notify's `reference` is the message id: no personal data.
 *
 * `status` is where the message is now, in one vocabulary: before sending (scheduled, cancelled, skipped, outbox,
 * rejected) and Notify's own statuses after (created, sending, pending, sent, delivered, permanent-failure,
 * temporary-failure, technical-failure). Every change is a row of `message_status`, so staff see the history.
 */
export const statements: readonly string[] = [
  `
  create table message (
    id uuid primary key default gen_random_uuid(),
    person_id uuid not null references person (id),
    site_id uuid not null references site (id),
    appointment_id uuid references appointment (id),
    purpose text not null check (purpose in ('reminder', 'cancelled', 'missed')),
    channel text not null check (channel in ('sms', 'email')),
    lead_hours integer not null default 0 check (lead_hours between 0 and 336),
    send_after timestamptz not null,
    status text not null default 'scheduled' check (status in (
      'scheduled', 'cancelled', 'skipped', 'outbox', 'rejected',
      'created', 'sending', 'pending', 'sent', 'delivered',
      'permanent-failure', 'temporary-failure', 'technical-failure'
    )),
    status_at timestamptz not null default now(),
    reason text check (reason is null or reason ~ '^[a-z][a-z-]{0,59}$'),
    failure text check (failure is null or length(failure) <= 500),
    recipient text check (recipient is null or length(recipient) <= 320),
    send_started_at timestamptz,
    attempts integer not null default 0,
    notify_id uuid,
    sent_at timestamptz,
    body text check (body is null or length(body) <= 2000),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check ((purpose = 'reminder') = (lead_hours > 0)),
    check (purpose = 'missed' or appointment_id is not null)
  )
  `,
  // Once per appointment, purpose, channel and lead time, unless it was withdrawn before it went.
  `create unique index message_once_key on message (appointment_id, purpose, channel, lead_hours)
     where status <> 'cancelled'`,
  // The sender's queue: what is due, oldest first.
  `create index message_due_idx on message (send_after) where status = 'scheduled'`,
  `create index message_person_idx on message (person_id, created_at)`,
  // A reply is matched to the person by the number the latest text went to.
  `create index message_recipient_idx on message (recipient, sent_at) where channel = 'sms' and notify_id is not null`,
  `create index message_site_created_idx on message (site_id, created_at)`,
  `create unique index message_notify_id_key on message (notify_id) where notify_id is not null`,
  // Messages still on their way: the receipt poller asks Notify about these.
  `create index message_in_flight_idx on message (status_at) where status in ('created', 'sending', 'pending')`,
  `
  create table message_status (
    id bigint generated always as identity primary key,
    message_id uuid not null references message (id),
    status text not null,
    at timestamptz not null,
    detail text check (detail is null or length(detail) <= 500)
  )
  `,
  `create index message_status_message_idx on message_status (message_id, id)`,
  // How messages name the service for this person: neither (the default), probation, or the health hub.
  `
  create table message_preference (
    person_id uuid primary key references person (id),
    naming text not null check (naming in ('neither', 'probation', 'health-hub')),
    updated_at timestamptz not null default now(),
    updated_by uuid not null references staff_user (id)
  )
  `,
  // Texts people send back. Matched to a person by number where one matches; never acted on automatically.
  `
  create table message_reply (
    id uuid primary key default gen_random_uuid(),
    notify_id uuid not null unique,
    person_id uuid references person (id),
    site_id uuid references site (id),
    source_number text not null check (length(source_number) <= 40),
    body text not null check (length(body) <= 2000),
    received_at timestamptz not null,
    created_at timestamptz not null default now()
  )
  `,
  `create index message_reply_person_idx on message_reply (person_id, received_at) where person_id is not null`,
]
