export const name = '0026-care-plans'

/**
 * A care plan made with the person: one plan per person, goals in the person's own words, actions towards each (who
 * does what by when, optionally linked to one of the person's needs, referrals, GP registration statuses or
 * screening events, checked by the service), reviews at later appointments with an outcome per goal, and whether the
 * person agreed to it.
 *
 * Nothing is overwritten without a trace: goals, actions and the printed-plan choices carry a version, and every
 * write adds a `care_plan_history` row holding the record as it stood after the change. Reviews and agreements are
 * never changed at all: a later one is a new row. History, reviews, their outcomes and agreements are append-only
 * (a trigger refuses updates and deletes).
 *
 * The print_* columns are the sections of the printed "My health plan" the clinician and the person chose to
 * include; each goal has its own `include_in_print`. All default to false: nothing is printed until it is chosen.
 */
export const statements: readonly string[] = [
  `
  create table care_plan (
    id uuid primary key default gen_random_uuid(),
    person_id uuid not null unique references person (id),
    site_id uuid not null references site (id),
    print_appointments boolean not null default false,
    print_referrals boolean not null default false,
    print_gp_registration boolean not null default false,
    print_screening boolean not null default false,
    print_phone_numbers boolean not null default false,
    version integer not null default 1,
    created_by uuid not null references staff_user (id),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )
  `,
  `
  create table care_plan_goal (
    id uuid primary key default gen_random_uuid(),
    plan_id uuid not null references care_plan (id),
    person_id uuid not null references person (id),
    in_own_words text not null check (length(in_own_words) between 1 and 500),
    include_in_print boolean not null default false,
    version integer not null default 1,
    created_by uuid not null references staff_user (id),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )
  `,
  `create index care_plan_goal_plan_idx on care_plan_goal (plan_id, created_at)`,
  `
  create table care_plan_action (
    id uuid primary key default gen_random_uuid(),
    plan_id uuid not null references care_plan (id),
    goal_id uuid not null references care_plan_goal (id),
    person_id uuid not null references person (id),
    description text not null check (length(description) between 1 and 500),
    owner text not null check (owner in ('person', 'clinician', 'probation-practitioner', 'partner')),
    owner_name text check (owner_name is null or length(owner_name) between 1 and 200),
    due_on date,
    status text not null default 'to-do' check (status in ('to-do', 'done', 'no-longer-needed')),
    link_kind text check (link_kind is null or link_kind in ('need', 'referral', 'gp-registration', 'screening')),
    link_id text check (link_id is null or length(link_id) between 1 and 64),
    version integer not null default 1,
    created_by uuid not null references staff_user (id),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check ((link_kind is null) = (link_id is null))
  )
  `,
  `create index care_plan_action_goal_idx on care_plan_action (goal_id, created_at)`,
  `
  create table care_plan_review (
    id uuid primary key default gen_random_uuid(),
    plan_id uuid not null references care_plan (id),
    reviewed_on date not null,
    appointment_id uuid references appointment (id),
    notes text check (notes is null or length(notes) between 1 and 2000),
    recorded_by uuid not null references staff_user (id),
    recorded_at timestamptz not null
  )
  `,
  `create index care_plan_review_plan_idx on care_plan_review (plan_id, reviewed_on desc)`,
  `
  create table care_plan_review_outcome (
    review_id uuid not null references care_plan_review (id),
    goal_id uuid not null references care_plan_goal (id),
    outcome text not null check (outcome in ('progressing', 'achieved', 'stopped')),
    primary key (review_id, goal_id)
  )
  `,
  `
  create table care_plan_agreement (
    id uuid primary key default gen_random_uuid(),
    plan_id uuid not null references care_plan (id),
    decision text not null check (decision in ('agreed', 'agreed-in-part', 'did-not-agree')),
    comments text check (comments is null or length(comments) between 1 and 2000),
    decided_on date not null,
    recorded_by uuid not null references staff_user (id),
    recorded_at timestamptz not null
  )
  `,
  `create index care_plan_agreement_plan_idx on care_plan_agreement (plan_id, recorded_at desc)`,
  `
  create table care_plan_history (
    id bigint generated always as identity primary key,
    plan_id uuid not null references care_plan (id),
    entity text not null check (entity in ('goal', 'action', 'print-choices', 'review', 'agreement')),
    entity_id text not null,
    version integer not null,
    snapshot jsonb not null,
    actor_id uuid not null references staff_user (id),
    recorded_at timestamptz not null
  )
  `,
  `create index care_plan_history_plan_idx on care_plan_history (plan_id, id)`,
  `
  create function care_plan_record_is_append_only() returns trigger language plpgsql as $$
  begin
    raise exception 'care plan history, reviews and agreements are append-only';
  end
  $$
  `,
  ...['care_plan_history', 'care_plan_review', 'care_plan_review_outcome', 'care_plan_agreement'].map(
    (table) => `
  create trigger ${table}_no_update before update or delete on ${table}
    for each row execute function care_plan_record_is_append_only()
  `,
  ),
]
