export const name = '0013-need-history'

/**
 * Need decision history and reversal (issue 3 leftovers). Every decision on a need (the proposal or direct record
 * that created it, confirm, dismiss, and later changes of mind: confirmed <-> dismissed, either back to proposed) is
 * one `need_event` row, append-only (a trigger refuses update, delete and truncate), with who made it, when and why.
 * `need.version` guards concurrent decisions (hazard log H-313 on). `need.recorded_by` is the clinician who recorded
 * a need directly (not found by a check); it is null for needs a check proposed.
 *
 * Needs decided before this migration get their history from what the need row holds: a proposal by the check's
 * clinician when it was created, then the decision by whoever made it.
 */
export const statements: readonly string[] = [
  `alter table need add column version integer not null default 1`,
  `alter table need add column recorded_by uuid references staff_user (id)`,
  `
  create table need_event (
    id bigint generated always as identity primary key,
    need_id uuid not null references need (id),
    from_status text check (from_status in ('proposed', 'confirmed', 'dismissed')),
    to_status text not null check (to_status in ('proposed', 'confirmed', 'dismissed')),
    reason text check (reason is null or length(reason) between 1 and 1000),
    actor_id uuid not null references staff_user (id),
    recorded_at timestamptz not null,
    check (from_status is distinct from to_status),
    check (from_status is null or to_status = 'confirmed' and from_status = 'proposed' or reason is not null)
  )
  `,
  `create index need_event_need_idx on need_event (need_id, id)`,
  `
  create function need_event_is_append_only() returns trigger language plpgsql as $$
  begin
    raise exception 'need events are append-only';
  end
  $$
  `,
  `
  create trigger need_event_no_update before update or delete on need_event
    for each row execute function need_event_is_append_only()
  `,
  `
  create trigger need_event_no_truncate before truncate on need_event
    for each statement execute function need_event_is_append_only()
  `,
  // The site's proposed needs awaiting a clinician's decision, oldest first (the worklist).
  `create index need_site_proposed_idx on need (site_id, identified_on) where status = 'proposed'`,
  `
  insert into need_event (need_id, from_status, to_status, reason, actor_id, recorded_at)
  select need.id, null, 'proposed', null, health_check.clinician_id, need.created_at
    from need join health_check on health_check.id = need.check_id
   order by need.created_at, need.id
  `,
  `
  insert into need_event (need_id, from_status, to_status, reason, actor_id, recorded_at)
  select need.id, 'proposed', need.status, need.reason, need.decided_by, need.decided_at
    from need
   where need.decided_at is not null and need.decided_by is not null and need.check_id is not null
   order by need.decided_at, need.id
  `,
]
