export const name = '0009-directory-and-gp'

/**
 * The local service directory (kept per site by hub managers) and each person's GP registration history.
 *
 * ODS codes are checked leniently (3 to 10 upper-case letters or digits): GP practice codes seen are one letter and
 * five digits (A81001), but the format rule itself is unverified (domain reference §3), and other kinds of
 * organisation have codes of other lengths.
 *
 * GP registration is append-only like consent: a change is a new row, and the person's current state is their
 * latest row. A practice is either a directory entry (service_id) or, when it is not listed, a name and ODS code.
 */
export const statements: readonly string[] = [
  `
  create table service (
    id uuid primary key default gen_random_uuid(),
    site_id uuid not null references site (id),
    kind text not null check (kind in ('gp-practice', 'talking-therapies', 'community-mental-health',
      'drug-alcohol', 'stop-smoking', 'screening', 'sexual-health', 'dentistry', 'community-pharmacy',
      'liaison-diversion', 'housing', 'voluntary-sector', 'other')),
    name text not null check (length(name) between 1 and 200),
    ods_code text check (ods_code is null or ods_code ~ '^[A-Z0-9]{3,10}$'),
    organisation_id uuid references organisation (id),
    address text check (address is null or length(address) between 1 and 500),
    phone text check (phone is null or length(phone) between 1 and 40),
    email text check (email is null or length(email) between 3 and 254),
    website text check (website is null or length(website) between 1 and 500),
    referral_method text check (referral_method is null or length(referral_method) between 1 and 1000),
    notes text check (notes is null or length(notes) between 1 and 2000),
    active boolean not null default true,
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check (kind <> 'gp-practice' or ods_code is not null)
  )
  `,
  `create index service_site_kind_idx on service (site_id, kind, name)`,
  // One active entry per ODS code in a site's directory, so a practice chosen for a person is unambiguous.
  `create unique index service_site_ods_key on service (site_id, ods_code) where ods_code is not null and active`,
  `
  create table gp_registration (
    id bigint generated always as identity primary key,
    person_id uuid not null references person (id),
    status text not null check (status in ('registered', 'not-registered', 'in-progress', 'refused', 'deregistered')),
    service_id uuid references service (id),
    practice_name text check (practice_name is null or length(practice_name) between 1 and 200),
    practice_ods_code text check (practice_ods_code is null or practice_ods_code ~ '^[A-Z0-9]{3,10}$'),
    status_date date not null,
    reason text check (reason is null or length(reason) between 1 and 1000),
    help_given text check (help_given is null or length(help_given) between 1 and 2000),
    recorded_by uuid not null references staff_user (id),
    recorded_at timestamptz not null,
    check (service_id is null or (practice_name is null and practice_ods_code is null)),
    check (practice_ods_code is null or practice_name is not null),
    check (status <> 'registered' or service_id is not null
      or (practice_name is not null and practice_ods_code is not null)),
    check (status <> 'refused' or ((service_id is not null or practice_name is not null) and reason is not null)),
    check (status <> 'not-registered' or (service_id is null and practice_name is null))
  )
  `,
  `create index gp_registration_person_idx on gp_registration (person_id, recorded_at desc, id desc)`,
  `create index gp_registration_service_idx on gp_registration (service_id) where service_id is not null`,
]
