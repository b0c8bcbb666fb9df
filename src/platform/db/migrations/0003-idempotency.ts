export const name = '0003-idempotency'

/** Remembers what a submission created, so a double click, a resubmitted form or a retried API call creates one thing. */
export const statements: readonly string[] = [
  `
  create table idempotency_key (
    staff_user_id uuid not null references staff_user (id) on delete cascade,
    scope text not null check (length(scope) between 1 and 100),
    key text not null check (length(key) between 1 and 200),
    request_hash text not null,
    resource_id text not null,
    created_at timestamptz not null default now(),
    primary key (staff_user_id, scope, key)
  )
  `,
  `create index idempotency_key_created_idx on idempotency_key (created_at)`,
]
