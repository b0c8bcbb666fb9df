export const name = '0008-health-checks'

/**
 * The structured health check (issue 3 item 3). One row per check; one response row per instrument holding the
 * answers exactly as typed (itemCode -> optionCode) and the result the instruments scoring module computed at save
 * time, with the instrument version it was scored under (hazard log H-301). Observations are optional, each with a
 * reason when not taken. A warning flag needs a clinician's documented response by the end of the same UK day
 * (H-302); there is deliberately no risk-level column anywhere (NICE NG225). Needs are proposed by rules and
 * confirmed or dismissed (with a reason) by a clinician (H-303).
 */
export const statements: readonly string[] = [
  `
  create table health_check (
    id uuid primary key default gen_random_uuid(),
    person_id uuid not null references person (id),
    site_id uuid not null references site (id),
    appointment_id uuid references appointment (id),
    clinician_id uuid not null references staff_user (id),
    status text not null default 'in-progress' check (status in ('in-progress', 'completed')),
    started_at timestamptz not null,
    completed_at timestamptz,
    version integer not null default 1,
    updated_at timestamptz not null default now(),
    check ((status = 'completed') = (completed_at is not null))
  )
  `,
  `create index health_check_person_idx on health_check (person_id, started_at desc)`,
  `create index health_check_appointment_idx on health_check (appointment_id) where appointment_id is not null`,
  `
  create table health_check_response (
    check_id uuid not null references health_check (id),
    instrument_code text not null check (instrument_code ~ '^[a-z0-9][a-z0-9-]{0,59}$'),
    instrument_version text not null,
    answers jsonb not null,
    applicable boolean not null,
    complete boolean not null,
    score integer,
    partial_score integer,
    band_code text,
    band_label text,
    positive boolean,
    missing_items jsonb not null,
    prefer_not_to_say jsonb not null,
    saved_at timestamptz not null,
    saved_by uuid not null references staff_user (id),
    primary key (check_id, instrument_code),
    check (complete or score is null)
  )
  `,
  `
  create table health_check_observation (
    check_id uuid primary key references health_check (id),
    blood_pressure_status text not null check (blood_pressure_status in ('measured', 'not-measured', 'prefer-not-to-say')),
    systolic integer check (systolic between 50 and 300),
    diastolic integer check (diastolic between 20 and 200),
    height_status text not null check (height_status in ('measured', 'not-measured', 'prefer-not-to-say')),
    height_cm numeric(4, 1) check (height_cm between 50 and 250),
    weight_status text not null check (weight_status in ('measured', 'not-measured', 'prefer-not-to-say')),
    weight_kg numeric(4, 1) check (weight_kg between 20 and 400),
    bmi numeric(4, 1),
    smoking_status text check (smoking_status in ('current', 'ex', 'never', 'prefer-not-to-say')),
    recorded_at timestamptz not null,
    recorded_by uuid not null references staff_user (id),
    check ((blood_pressure_status = 'measured') = (systolic is not null and diastolic is not null)),
    check ((height_status = 'measured') = (height_cm is not null)),
    check ((weight_status = 'measured') = (weight_kg is not null)),
    check (systolic is null or systolic > diastolic)
  )
  `,
  `
  create table warning_flag (
    id uuid primary key default gen_random_uuid(),
    person_id uuid not null references person (id),
    site_id uuid not null references site (id),
    check_id uuid not null references health_check (id),
    instrument_code text not null,
    item_code text not null,
    code text not null,
    message text not null,
    raised_at timestamptz not null,
    respond_by timestamptz not null,
    status text not null default 'awaiting-response' check (status in ('awaiting-response', 'responded')),
    response_text text check (response_text is null or length(response_text) between 1 and 5000),
    responded_by uuid references staff_user (id),
    responded_at timestamptz,
    check ((status = 'responded') = (response_text is not null and responded_by is not null and responded_at is not null))
  )
  `,
  `create unique index warning_flag_sign_key on warning_flag (check_id, instrument_code, item_code, code)`,
  `create index warning_flag_site_awaiting_idx on warning_flag (site_id, respond_by) where status = 'awaiting-response'`,
  `create index warning_flag_person_idx on warning_flag (person_id)`,
  `
  create table need (
    id uuid primary key default gen_random_uuid(),
    person_id uuid not null references person (id),
    site_id uuid not null references site (id),
    check_id uuid references health_check (id),
    category text not null check (category in ('mental-health', 'alcohol', 'drugs', 'smoking', 'neurodivergence',
      'trauma', 'physical-health', 'gp-registration', 'screening')),
    status text not null default 'proposed' check (status in ('proposed', 'confirmed', 'dismissed')),
    proposed_because text not null check (length(proposed_because) between 1 and 1000),
    reason text check (reason is null or length(reason) between 1 and 1000),
    decided_by uuid references staff_user (id),
    decided_at timestamptz,
    identified_on date not null,
    created_at timestamptz not null default now(),
    check (status <> 'dismissed' or reason is not null),
    check ((status = 'proposed') = (decided_at is null)),
    check ((decided_at is null) = (decided_by is null))
  )
  `,
  `create unique index need_check_category_key on need (check_id, category) where check_id is not null`,
  `create index need_person_idx on need (person_id, identified_on)`,
]
