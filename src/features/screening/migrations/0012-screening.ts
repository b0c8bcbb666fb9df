export const name = '0012-screening'

/**
 * Screening events per NHS programme (issue 4 item 5): what happened (invited, booked, attended, result recorded,
 * declined) and on which date, for cervical, breast, bowel, AAA and lung. Status, eligibility and the next due date
 * are worked out from these by src/features/screening/screening.eligibility.ts, never stored.
 *
 * Prostate has no screening programme (informed choice only), so it is not a programme here and cannot be recorded.
 *
 * `event_date` is when it happened; for a result it is the date of the test itself, since recall intervals run from
 * it. It is never after the UK date on which it was recorded. A result is given exactly when the state is
 * result-recorded, and only with that programme's result codes (the eligibility module's). `self_sample` is for
 * cervical only.
 *
 * Append-only: a mistake is corrected by marking the event entered in error (when, by whom, why), which takes it
 * out of every assessment; nothing else about an event can change and events cannot be deleted. Retention (8 years
 * after treatment ends) will need a purge path that this trigger does not yet allow.
 */
export const statements: readonly string[] = [
  `
  create table screening_event (
    id uuid primary key default gen_random_uuid(),
    person_id uuid not null references person (id),
    programme text not null check (programme in ('cervical', 'breast', 'bowel', 'aaa', 'lung')),
    state text not null check (state in ('invited', 'booked', 'attended', 'result-recorded', 'declined')),
    event_date date not null,
    result text,
    self_sample boolean,
    note text check (note is null or length(note) between 1 and 2000),
    recorded_by uuid not null references staff_user (id),
    recorded_at timestamptz not null,
    entered_in_error_at timestamptz,
    entered_in_error_by uuid references staff_user (id),
    entered_in_error_reason text
      check (entered_in_error_reason is null or length(entered_in_error_reason) between 1 and 1000),
    constraint screening_event_result_with_state check ((state = 'result-recorded') = (result is not null)),
    constraint screening_event_result_for_programme check (
      result is null
      or (programme = 'cervical' and result in ('hpv-negative', 'hpv-positive-no-cell-changes',
        'hpv-positive-cell-changes', 'hpv-positive-cells-not-checked'))
      or (programme in ('breast', 'bowel', 'aaa') and result in ('normal', 'referred'))
      or (programme = 'lung' and result in ('low-risk', 'high-risk-scanned', 'referred'))
    ),
    constraint screening_event_self_sample_cervical check ((programme = 'cervical') = (self_sample is not null)),
    constraint screening_event_not_future check (event_date <= (recorded_at at time zone 'Europe/London')::date),
    constraint screening_event_entered_in_error_complete check (
      (entered_in_error_at is null) = (entered_in_error_by is null)
      and (entered_in_error_at is null) = (entered_in_error_reason is null)
    )
  )
  `,
  `create index screening_event_person_idx on screening_event (person_id, event_date, recorded_at)`,
  `
  create function screening_event_is_append_only() returns trigger language plpgsql as $$
  begin
    if tg_op = 'DELETE' then
      raise exception 'screening events are append-only: mark one entered in error instead';
    end if;
    if old.entered_in_error_at is not null
      or (new.id, new.person_id, new.programme, new.state, new.event_date, new.result, new.self_sample, new.note,
          new.recorded_by, new.recorded_at)
        is distinct from (old.id, old.person_id, old.programme, old.state, old.event_date, old.result,
          old.self_sample, old.note, old.recorded_by, old.recorded_at) then
      raise exception 'screening events are append-only: only an entered-in-error correction may be added';
    end if;
    return new;
  end
  $$
  `,
  `
  create trigger screening_event_append_only before update or delete on screening_event
    for each row execute function screening_event_is_append_only()
  `,
]
