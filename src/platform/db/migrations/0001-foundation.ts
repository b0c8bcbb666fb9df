export const name = '0001-foundation'

/** One statement per entry: prepared statements (PGlite, pg) take a single command each. */
export const statements: readonly string[] = [
  `
  create table site (
    id uuid primary key default gen_random_uuid(),
    code text not null unique check (code ~ '^[a-z][a-z0-9-]{1,39}$'),
    name text not null,
    region text not null default '',
    created_at timestamptz not null default now()
  )
  `,
  `
  create table organisation (
    id uuid primary key default gen_random_uuid(),
    code text not null unique check (code ~ '^[a-z0-9][a-z0-9-]{1,59}$'),
    name text not null,
    created_at timestamptz not null default now()
  )
  `,
  `
  create table staff_user (
    id uuid primary key default gen_random_uuid(),
    email text not null,
    display_name text not null,
    role text not null check (role in
      ('clinician', 'probation_practitioner', 'hub_manager', 'partner', 'analyst', 'admin', 'auditor')),
    organisation_id uuid references organisation (id),
    password_hash text,
    status text not null default 'active' check (status in ('active', 'disabled')),
    is_demo boolean not null default false,
    failed_sign_ins integer not null default 0 check (failed_sign_ins >= 0),
    locked_until timestamptz,
    last_sign_in_at timestamptz,
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check (email = lower(email)),
    check (role <> 'partner' or organisation_id is not null)
  )
  `,
  `
  create unique index staff_user_email_key on staff_user (email)
  `,
  `
  create table staff_site (
    staff_user_id uuid not null references staff_user (id) on delete cascade,
    site_id uuid not null references site (id),
    primary key (staff_user_id, site_id)
  )
  `,
  `
  create index staff_site_site_idx on staff_site (site_id)
  `,
  `
  create table session (
    id_hash text primary key,
    staff_user_id uuid not null references staff_user (id) on delete cascade,
    created_at timestamptz not null,
    last_seen_at timestamptz not null,
    expires_at timestamptz not null
  )
  `,
  `
  create index session_user_idx on session (staff_user_id)
  `,
  `
  create index session_expires_idx on session (expires_at)
  `,
  `
  create table api_token (
    id uuid primary key default gen_random_uuid(),
    staff_user_id uuid not null references staff_user (id) on delete cascade,
    token_hash text not null unique,
    label text not null default '',
    created_at timestamptz not null default now(),
    last_used_at timestamptz,
    revoked_at timestamptz
  )
  `,
  `
  create index api_token_user_idx on api_token (staff_user_id)
  `,
  `
  create table person (
    id uuid primary key default gen_random_uuid(),
    site_id uuid not null references site (id),
    crn text not null unique check (crn ~ '^[A-Z][0-9]{6}$'),
    nhs_number text check (nhs_number ~ '^[0-9]{10}$'),
    given_name text not null check (length(given_name) between 1 and 100),
    family_name text not null check (length(family_name) between 1 and 100),
    preferred_name text,
    date_of_birth date not null,
    sex text check (sex in ('1', '2', '9')),
    stated_gender text check (stated_gender in ('1', '2', '9', 'X')),
    gender_same_as_birth text check (gender_same_as_birth in ('yes', 'no', 'prefer-not-to-say')),
    ethnic_category text check (ethnic_category in
      ('A','B','C','D','E','F','G','H','J','K','L','M','N','P','R','S','Z','99')),
    disability text check (disability in ('yes', 'no', 'prefer-not-to-say')),
    neurodivergence text check (neurodivergence in ('diagnosed', 'suspected', 'no', 'prefer-not-to-say')),
    interpreter_needed boolean not null default false,
    language text,
    reading_support boolean not null default false,
    communication_notes text,
    phone text,
    email text,
    no_fixed_abode boolean not null default false,
    address_line1 text,
    address_line2 text,
    town text,
    postcode text,
    supervision_type text check (supervision_type in
      ('community-order', 'suspended-sentence-order', 'licence', 'post-sentence-supervision', 'pre-release')),
    supervision_start date,
    supervision_end date,
    probation_practitioner_id uuid references staff_user (id),
    prison_number text check (prison_number ~ '^[A-Z][0-9]{4}[A-Z]{2}$'),
    release_date date,
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check (supervision_end is null or supervision_start is null or supervision_end >= supervision_start),
    check (not no_fixed_abode or postcode is null)
  )
  `,
  `
  create unique index person_nhs_number_key on person (nhs_number) where nhs_number is not null
  `,
  `
  create index person_site_family_idx on person (site_id, family_name, given_name)
  `,
  `
  create index person_practitioner_idx on person (probation_practitioner_id)
  `,
  `
  create table audit_event (
    id bigint generated always as identity primary key,
    occurred_at timestamptz not null,
    actor_id uuid,
    actor_role text,
    action text not null check (action in ('view', 'list', 'create', 'update', 'export', 'sign-in', 'sign-out',
      'sign-in-failed', 'token-create', 'token-revoke', 'user-create', 'user-update')),
    entity_type text not null,
    entity_id text,
    person_id uuid,
    site_id uuid,
    request_id text,
    details jsonb not null default '{}',
    prev_hash text not null,
    hash text not null unique
  )
  `,
  `
  create index audit_event_person_idx on audit_event (person_id, id)
  `,
  `
  create index audit_event_actor_idx on audit_event (actor_id, id)
  `,
  `
  create index audit_event_occurred_idx on audit_event (occurred_at)
  `,
  `
  create function audit_event_is_append_only() returns trigger language plpgsql as $$
  begin
    raise exception 'audit events are append-only';
  end
  $$
  `,
  `
  create trigger audit_event_no_update before update or delete on audit_event
    for each row execute function audit_event_is_append_only()
  `,
  `
  create trigger audit_event_no_truncate before truncate on audit_event
    for each statement execute function audit_event_is_append_only()
  `,
]
