export const name = '0007-consent'

/**
 * A person's consent decisions, as an append-only history: a change is a new row, never an update, so who recorded
 * what and when is kept. The current state of a topic (per partner organisation for share-with-partner) is its
 * latest row; the index serves that lookup directly, as `allows()` runs inside other features' transactions.
 */
export const statements: readonly string[] = [
  `
  create table consent_decision (
    id bigint generated always as identity primary key,
    person_id uuid not null references person (id),
    topic text not null check (topic in ('share-summary-with-probation', 'share-with-gp', 'share-with-partner',
      'contact-by-sms', 'contact-by-email', 'evaluation-use')),
    organisation_id uuid references organisation (id),
    decision text not null check (decision in ('given', 'refused', 'withdrawn')),
    decided_on date not null,
    recorded_by uuid not null references staff_user (id),
    recorded_at timestamptz not null,
    method text not null check (method in ('in-person', 'phone', 'written')),
    note text check (note is null or length(note) between 1 and 1000),
    check ((topic = 'share-with-partner') = (organisation_id is not null))
  )
  `,
  `
  create index consent_decision_current_idx
    on consent_decision (person_id, topic, organisation_id, recorded_at desc, id desc)
  `,
]
