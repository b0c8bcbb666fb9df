export const name = '0011-referrals'

/**
 * Referrals from a confirmed need to a service in the site's directory (issue 4 item 3), with the lifecycle
 * draft -> sent -> accepted | rejected -> first-appointment-booked -> first-appointment-attended -> engaged ->
 * completed, and the exits declined (by the person), withdrawn and did-not-attend. Which transitions are allowed is
 * the service's rule (referrals.lifecycle.ts); the table only holds the states.
 *
 * `organisation_id` is the partner organisation that receives the referral, copied from the directory entry when
 * the referral is created, so a partner caseworker's view does not change if the directory is edited later. Sending
 * a referral to a partner needs the person's consent to share with that organisation.
 *
 * `referral_event` is the changelog: one row per transition (and one for creation), append-only, each with the date
 * it happened (`occurred_on`, which may be earlier than when it was recorded), who recorded it and why.
 */
export const statements: readonly string[] = [
  `
  create table referral (
    id uuid primary key default gen_random_uuid(),
    person_id uuid not null references person (id),
    site_id uuid not null references site (id),
    need_id uuid not null references need (id),
    service_id uuid not null references service (id),
    organisation_id uuid references organisation (id),
    status text not null default 'draft' check (status in ('draft', 'sent', 'accepted', 'rejected',
      'first-appointment-booked', 'first-appointment-attended', 'engaged', 'completed', 'declined', 'withdrawn',
      'did-not-attend')),
    urgency text not null default 'routine' check (urgency in ('routine', 'urgent')),
    reason text not null check (length(reason) between 1 and 2000),
    need_identified_on date not null,
    sent_on date,
    chase_on date,
    first_appointment_on date,
    first_attended_on date,
    days_to_first_treatment integer check (days_to_first_treatment is null or days_to_first_treatment >= 0),
    closed_on date,
    created_by uuid not null references staff_user (id),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    version integer not null default 1,
    check ((first_attended_on is null) = (days_to_first_treatment is null)),
    -- A draft may be withdrawn without ever being sent: it then keeps no sent date (and no partner ever sees it).
    check (status in ('draft', 'withdrawn') or sent_on is not null)
  )
  `,
  `create index referral_person_idx on referral (person_id, created_at desc)`,
  `create index referral_site_chase_idx on referral (site_id, chase_on) where chase_on is not null`,
  // The lists (/referrals, GET /api/v1/referrals), newest made first: a hub site's, and a partner's (sent only).
  `create index referral_site_created_idx on referral (site_id, created_at desc, id desc)`,
  `create index referral_organisation_created_idx on referral (organisation_id, created_at desc, id desc)
    where sent_on is not null`,
  `create index referral_need_idx on referral (need_id)`,
  // One open referral for a need to a service: a second is a mistake (or a double click that missed the key).
  `
  create unique index referral_open_need_service_key on referral (need_id, service_id)
    where status not in ('rejected', 'completed', 'declined', 'withdrawn')
  `,
  `
  create table referral_event (
    id bigint generated always as identity primary key,
    referral_id uuid not null references referral (id),
    from_status text,
    to_status text not null,
    occurred_on date not null,
    reason text check (reason is null or length(reason) between 1 and 2000),
    actor_id uuid not null references staff_user (id),
    recorded_at timestamptz not null
  )
  `,
  `create index referral_event_referral_idx on referral_event (referral_id, id)`,
]
