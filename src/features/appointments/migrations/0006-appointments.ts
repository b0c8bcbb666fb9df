export const name = '0006-appointments'

/**
 * Appointments (joint probation + health, or clinic-only) and follow-up work. Outcomes use the nDelius appointment
 * outcome codes (domain reference §8); acceptable absence is stored as outcome 'AA' with its nDelius reason code
 * (AACL ... CO05) beside it. ends_at is stored (starts_at + duration) so the clash check and the diaries read a
 * plain range. A follow-up is generic (kind) so other worklists can reuse it.
 */
export const statements: readonly string[] = [
  `
  create table appointment (
    id uuid primary key default gen_random_uuid(),
    person_id uuid not null references person (id),
    site_id uuid not null references site (id),
    kind text not null check (kind in ('joint', 'clinic')),
    starts_at timestamptz not null,
    duration_minutes integer not null check (duration_minutes between 5 and 480),
    ends_at timestamptz not null,
    location text check (location is null or length(location) between 1 and 200),
    clinician_id uuid not null references staff_user (id),
    practitioner_id uuid references staff_user (id),
    status text not null default 'booked' check (status in ('booked', 'cancelled', 'completed')),
    outcome text check (outcome in ('ATTC', 'AFTC', 'ATSH', 'ATSS', 'AFTA', 'UAAB', 'AA', 'RSOF', 'RSSR')),
    absence_reason text check (
      absence_reason in ('AACL', 'AAEM', 'AAFC', 'AAHO', 'AAME', 'AARC', 'AARE', 'AASD', 'AAAA', 'CO05')
    ),
    outcome_notes text check (outcome_notes is null or length(outcome_notes) <= 2000),
    outcome_recorded_at timestamptz,
    outcome_recorded_by uuid references staff_user (id),
    cancelled_reason text check (cancelled_reason is null or length(cancelled_reason) between 1 and 500),
    cancelled_at timestamptz,
    cancelled_by uuid references staff_user (id),
    rescheduled_from uuid references appointment (id),
    version integer not null default 1,
    created_at timestamptz not null default now(),
    created_by uuid not null references staff_user (id),
    updated_at timestamptz not null default now(),
    check (ends_at > starts_at),
    check (kind = 'clinic' or practitioner_id is not null),
    check ((outcome = 'AA') = (absence_reason is not null)),
    check (
      (status = 'booked' and outcome is null and cancelled_reason is null)
      or (status = 'completed' and outcome is not null and outcome not in ('RSOF', 'RSSR') and cancelled_reason is null)
      or (status = 'cancelled' and cancelled_reason is not null and (outcome is null or outcome in ('RSOF', 'RSSR')))
    )
  )
  `,
  // The diaries (a site's day, a staff member's day) and the clash check read booked appointments by time.
  `create index appointment_site_starts_idx on appointment (site_id, starts_at)`,
  `create index appointment_clinician_starts_idx on appointment (clinician_id, starts_at)`,
  `create index appointment_practitioner_starts_idx on appointment (practitioner_id, starts_at) where practitioner_id is not null`,
  `create index appointment_person_starts_idx on appointment (person_id, starts_at)`,
  `create unique index appointment_rescheduled_from_key on appointment (rescheduled_from) where rescheduled_from is not null`,
  `
  create table follow_up (
    id uuid primary key default gen_random_uuid(),
    kind text not null check (kind ~ '^[a-z][a-z-]{0,59}$'),
    person_id uuid not null references person (id),
    site_id uuid not null references site (id),
    appointment_id uuid references appointment (id),
    assigned_to uuid not null references staff_user (id),
    reason text not null check (length(reason) between 1 and 500),
    due_date date not null,
    status text not null default 'open' check (status in ('open', 'done')),
    done_at timestamptz,
    done_by uuid references staff_user (id),
    note text check (note is null or length(note) <= 2000),
    created_at timestamptz not null default now(),
    check ((status = 'done') = (done_at is not null)),
    check ((done_at is null) = (done_by is null))
  )
  `,
  `create index follow_up_assigned_open_idx on follow_up (assigned_to, due_date) where status = 'open'`,
  `create index follow_up_site_open_idx on follow_up (site_id, due_date) where status = 'open'`,
  `create index follow_up_person_idx on follow_up (person_id)`,
  `create unique index follow_up_appointment_assignee_key on follow_up (appointment_id, assigned_to, kind) where appointment_id is not null`,
]
