export const name = '0029-release-plans'

/**
 * A release plan per custody episode: one row per checklist item (GP registration, medicines on release, naloxone,
 * drug and alcohol appointment and the rest), each with an owner, a status and notes; an item that does not apply
 * says why. Due dates are not stored: they are counted from the episode's release date when read, so a moved
 * release moves them. Every write keeps the item as it stood (append-only history).
 */
export const statements: readonly string[] = [
  `
  create table release_plan_item (
    id uuid primary key default gen_random_uuid(),
    episode_id uuid not null references custody_episode (id),
    person_id uuid not null references person (id),
    kind text not null check (kind in ('gp-registration', 'gp-appointment', 'medicines', 'naloxone', 'drug-alcohol',
      'mental-health', 'housing', 'id-bank-benefits', 'meet-at-gate')),
    owner text not null check (owner in ('clinician', 'probation-practitioner', 'partner')),
    organisation_id uuid references organisation (id),
    status text not null default 'to-do' check (status in ('to-do', 'in-progress', 'done', 'not-applicable')),
    not_applicable_reason text check (not_applicable_reason is null or length(not_applicable_reason) between 1 and 500),
    notes text check (notes is null or length(notes) between 1 and 2000),
    days_supplied integer check (days_supplied is null or days_supplied between 0 and 365),
    bridging_prescription boolean,
    opioid_substitution boolean not null default false,
    prescriber_appointment_on date,
    naloxone text check (naloxone is null or naloxone in ('offered', 'supplied', 'declined')),
    referral_id uuid references referral (id),
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_by uuid not null references staff_user (id),
    updated_at timestamptz not null default now(),
    unique (episode_id, kind),
    check ((status = 'not-applicable') = (not_applicable_reason is not null)),
    check (organisation_id is null or owner = 'partner')
  )
  `,
  `create index release_plan_item_person_idx on release_plan_item (person_id)`,
  `create index release_plan_item_organisation_idx on release_plan_item (organisation_id) where organisation_id is not null`,
  `
  create table release_plan_item_history (
    id bigint generated always as identity primary key,
    item_id uuid not null references release_plan_item (id),
    version integer not null,
    snapshot jsonb not null,
    actor_id uuid not null references staff_user (id),
    recorded_at timestamptz not null,
    unique (item_id, version)
  )
  `,
  `
  create function release_plan_history_is_append_only() returns trigger language plpgsql as $$
  begin
    raise exception 'release plan history is append-only';
  end
  $$
  `,
  `
  create trigger release_plan_item_history_no_update before update or delete on release_plan_item_history
    for each row execute function release_plan_history_is_append_only()
  `,
]
