export const name = '0005-instruments'

/**
 * Licence permissions for screening instruments whose terms need one (hazard log H-105). A permission is never
 * deleted: revoking sets revoked_at, so the record of who allowed use, and when, stays. At most one is in force.
 */
export const statements: readonly string[] = [
  `
  create table instrument_permission (
    id uuid primary key default gen_random_uuid(),
    instrument_code text not null check (instrument_code ~ '^[a-z0-9][a-z0-9-]{0,59}$'),
    reference text not null check (length(reference) between 1 and 500),
    granted_by uuid not null references staff_user (id),
    granted_at timestamptz not null,
    revoked_by uuid references staff_user (id),
    revoked_at timestamptz,
    check ((revoked_at is null) = (revoked_by is null)),
    check (revoked_at is null or revoked_at >= granted_at)
  )
  `,
  `create unique index instrument_permission_in_force_key on instrument_permission (instrument_code) where revoked_at is null`,
]
