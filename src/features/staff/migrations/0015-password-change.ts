export const name = '0015-password-change'

/**
 * A password an administrator sets (or the service generates for them) is known to someone other than its owner, so
 * the owner must choose a new one at their next sign-in before they can do anything else.
 */
export const statements: readonly string[] = [
  `alter table staff_user add column must_change_password boolean not null default false`,
  `alter table staff_user add column password_changed_at timestamptz`,
]
