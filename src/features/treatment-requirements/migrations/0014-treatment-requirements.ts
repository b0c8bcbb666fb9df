export const name = '0014-treatment-requirements'

/**
 * Community sentence treatment requirements (issue 4 item 6): a Mental Health Treatment Requirement (mhtr), Drug
 * Rehabilitation Requirement (drr) or Alcohol Treatment Requirement (atr) for a person, from proposal through the
 * treatment provider's assessment and the court's order to its end (domain reference §8, "CSTR"). Which changes of
 * status are allowed, and who may make them, is the service's rule (treatment-requirements.transitions.ts); the
 * table holds the states and the dates, and refuses combinations that can never be right.
 *
 * `referral_id` is the treatment referral (the provider), a referral of the same person (checked by the service).
 * A requirement cannot have started without one. `status_on` is the date the current status took effect, so the
 * next change can be refused if it is dated earlier. `assessed_on` is the latest assessment (a reassessment moves
 * it); `started_on` is the first start (resuming after a breach does not move it); `ended_on` is set on completion.
 *
 * One open requirement of each kind per person: open means proposed, assessed-suitable, made or started.
 * assessed-unsuitable and completed are closed. breached is closed too, for this rule only: while the court decides
 * on a breach a new requirement of the same kind may be proposed and assessed for the court (a pre-sentence
 * assessment). Resuming a breached one, or reassessing an unsuitable one, is refused by the service while another
 * of that kind is open, and this index is the backstop.
 *
 * `treatment_requirement_event` is the changelog: one row for the proposal, one per change of status and one per
 * change of linked referral; append-only (a trigger refuses updates and deletes), each with the date it happened
 * (`occurred_on`, which may be earlier than when it was recorded), who recorded it and why.
 */
export const statements: readonly string[] = [
  `
  create table treatment_requirement (
    id uuid primary key default gen_random_uuid(),
    person_id uuid not null references person (id),
    site_id uuid not null references site (id),
    kind text not null check (kind in ('mhtr', 'drr', 'atr')),
    status text not null default 'proposed' check (status in ('proposed', 'assessed-suitable', 'assessed-unsuitable',
      'made', 'started', 'completed', 'breached')),
    referral_id uuid references referral (id),
    proposed_on date not null,
    assessed_on date,
    made_on date,
    started_on date,
    ended_on date,
    status_on date not null,
    note text check (note is null or length(note) between 1 and 2000),
    version integer not null default 1,
    created_by uuid not null references staff_user (id),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint treatment_requirement_assessed_check check (status = 'proposed' or assessed_on is not null),
    constraint treatment_requirement_made_check
      check (status not in ('made', 'started', 'completed', 'breached') or made_on is not null),
    constraint treatment_requirement_started_check
      check (status not in ('started', 'completed', 'breached') or (started_on is not null and referral_id is not null)),
    constraint treatment_requirement_ended_check check ((status = 'completed') = (ended_on is not null)),
    constraint treatment_requirement_date_order_check check (
      (assessed_on is null or assessed_on >= proposed_on)
      and (made_on is null or made_on >= assessed_on)
      and (started_on is null or started_on >= made_on)
      and (ended_on is null or ended_on >= started_on)
      and status_on >= proposed_on
    )
  )
  `,
  `create index treatment_requirement_person_idx on treatment_requirement (person_id, created_at desc)`,
  `create index treatment_requirement_referral_idx on treatment_requirement (referral_id) where referral_id is not null`,
  `
  create unique index treatment_requirement_open_kind_key on treatment_requirement (person_id, kind)
    where status in ('proposed', 'assessed-suitable', 'made', 'started')
  `,
  `
  create table treatment_requirement_event (
    id bigint generated always as identity primary key,
    requirement_id uuid not null references treatment_requirement (id),
    kind text not null check (kind in ('proposed', 'transition', 'referral-linked', 'referral-unlinked')),
    from_status text check (from_status is null or from_status in ('proposed', 'assessed-suitable',
      'assessed-unsuitable', 'made', 'started', 'completed', 'breached')),
    to_status text not null check (to_status in ('proposed', 'assessed-suitable', 'assessed-unsuitable', 'made',
      'started', 'completed', 'breached')),
    referral_id uuid references referral (id),
    occurred_on date not null,
    reason text check (reason is null or length(reason) between 1 and 2000),
    actor_id uuid not null references staff_user (id),
    recorded_at timestamptz not null,
    check ((kind = 'proposed') = (from_status is null)),
    check (kind <> 'referral-linked' or referral_id is not null)
  )
  `,
  `create index treatment_requirement_event_requirement_idx on treatment_requirement_event (requirement_id, id)`,
  `
  create function treatment_requirement_event_is_append_only() returns trigger language plpgsql as $$
  begin
    raise exception 'treatment requirement events are append-only';
  end
  $$
  `,
  `
  create trigger treatment_requirement_event_no_update before update or delete on treatment_requirement_event
    for each row execute function treatment_requirement_event_is_append_only()
  `,
]
