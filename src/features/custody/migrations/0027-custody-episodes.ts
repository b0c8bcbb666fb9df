export const name = '0027-custody-episodes'

/**
 * Custody episodes: a person's time in a prison and their release from it (expected, then actual), the release type,
 * where they go on release (or no fixed abode), and a recall back to custody. Each write keeps the episode as it
 * stood in `custody_episode_history`, which a trigger keeps append-only. The service checks the rules with the
 * user's wording; the checks here stop a bad row from any other path.
 */
export const statements: readonly string[] = [
  `
  create table custody_episode (
    id uuid primary key default gen_random_uuid(),
    person_id uuid not null references person (id),
    prison_name text not null check (length(prison_name) between 1 and 200),
    prison_code text not null check (prison_code ~ '^[A-Z]{3}$'),
    prison_number text not null check (prison_number ~ '^[A-Z][0-9]{4}[A-Z]{2}$'),
    expected_release_date date,
    actual_release_date date,
    release_type text check (
      release_type is null
      or release_type in ('licence', 'end-of-sentence', 'home-detention-curfew', 'post-sentence-supervision', 'remand')
    ),
    release_address text check (release_address is null or length(release_address) between 1 and 500),
    no_fixed_abode boolean not null default false,
    recalled_on date,
    version integer not null default 1,
    created_by uuid not null references staff_user (id),
    created_at timestamptz not null default now(),
    updated_by uuid not null references staff_user (id),
    updated_at timestamptz not null default now(),
    check (expected_release_date is not null or actual_release_date is not null),
    check (not (no_fixed_abode and release_address is not null)),
    check (recalled_on is null or (actual_release_date is not null and recalled_on >= actual_release_date))
  )
  `,
  `create index custody_episode_person_idx on custody_episode (person_id, created_at)`,
  // Releases by date (the worklist's "released in the next 14 days", the continuity measure's cohort).
  `create index custody_episode_release_idx on custody_episode ((coalesce(actual_release_date, expected_release_date)))`,
  `
  create table custody_episode_history (
    id bigint generated always as identity primary key,
    episode_id uuid not null references custody_episode (id),
    version integer not null,
    snapshot jsonb not null,
    actor_id uuid not null references staff_user (id),
    recorded_at timestamptz not null,
    unique (episode_id, version)
  )
  `,
  `
  create function custody_episode_history_is_append_only() returns trigger language plpgsql as $$
  begin
    raise exception 'custody episode history is append-only';
  end
  $$
  `,
  `
  create trigger custody_episode_history_no_update before update or delete on custody_episode_history
    for each row execute function custody_episode_history_is_append_only()
  `,
]
