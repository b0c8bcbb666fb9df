export const name = '0023-staff-password-reset-requests'

/**
 * A password reset is a grant of access too: whoever learns the new password can sign in as the account. So an
 * administrator only asks for one, as an access request of the kind `password-reset`, and a second person approves
 * it (a hub manager of every site of a clinical account, or another administrator). Any account may be reset, so the
 * request's role is whatever role the account has. One pending request per account, and the rule that nobody decides
 * their own request or a request about their own account, hold for resets as for every other kind.
 */
export const statements: readonly string[] = [
  `alter table staff_access_request drop constraint staff_access_request_kind_check`,
  `alter table staff_access_request add constraint staff_access_request_kind_check
    check (kind in ('new-account', 'change', 'password-reset'))`,
  `alter table staff_access_request drop constraint staff_access_request_role_check`,
  `alter table staff_access_request add constraint staff_access_request_role_check check (role in
    ('clinician', 'probation_practitioner', 'hub_manager', 'partner', 'analyst', 'admin', 'auditor'))`,
  `alter table staff_access_request add constraint staff_access_request_reset_role_check
    check (kind <> 'password-reset' or role = from_role)`,
]
