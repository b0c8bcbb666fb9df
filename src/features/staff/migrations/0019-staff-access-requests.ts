export const name = '0019-staff-access-requests'

/**
 * Separation of duties for access (issue 9): granting a role that reaches people's records (clinician, probation
 * practitioner, hub manager), a site to one of those, or the administrator role is asked for by one person and
 * approved by another. A request records what was asked for, by whom and when, and how it was decided.
 *
 * - `kind`: a new account (which cannot sign in until approved) or a change to an existing one (which keeps its
 *   current access until approved).
 * - `staff_access_request_site`: the sites asked for (the whole set the account will have) and, in `grants`, which
 *   of them the request adds: the sites a hub manager must manage to approve it.
 * - One pending request per account; a later change of the account's access replaces or cancels it. `seq` orders
 *   an account's requests (the newest is the one its page shows), whatever the clock said.
 * - The database refuses a decision by the person who asked or by the account's owner, whatever the code does.
 */
export const statements: readonly string[] = [
  `
  create table staff_access_request (
    id uuid primary key default gen_random_uuid(),
    seq bigint generated always as identity,
    staff_user_id uuid not null references staff_user (id) on delete cascade,
    kind text not null check (kind in ('new-account', 'change')),
    from_role text check (from_role in
      ('clinician', 'probation_practitioner', 'hub_manager', 'partner', 'analyst', 'admin', 'auditor')),
    role text not null check (role in ('clinician', 'probation_practitioner', 'hub_manager', 'admin')),
    status text not null default 'pending' check (status in ('pending', 'approved', 'refused', 'cancelled')),
    requested_by uuid not null references staff_user (id),
    requested_at timestamptz not null,
    decided_by uuid references staff_user (id),
    decided_at timestamptz,
    refusal_reason text,
    check ((kind = 'new-account') = (from_role is null)),
    check ((status = 'pending') = (decided_at is null)),
    check (status <> 'refused' or (refusal_reason is not null and btrim(refusal_reason) <> '')),
    check (status not in ('approved', 'refused')
      or (decided_by is not null and decided_by <> requested_by and decided_by <> staff_user_id))
  )
  `,
  `create unique index staff_access_request_pending_key on staff_access_request (staff_user_id) where status = 'pending'`,
  `create index staff_access_request_user_idx on staff_access_request (staff_user_id, seq)`,
  `
  create table staff_access_request_site (
    request_id uuid not null references staff_access_request (id) on delete cascade,
    site_id uuid not null references site (id),
    grants boolean not null,
    primary key (request_id, site_id)
  )
  `,
]
