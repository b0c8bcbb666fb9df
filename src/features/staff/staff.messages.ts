import { staffRoles, type StaffRole } from '../../platform/http/roles.ts'

export { staffRoles }

/** How each role is named and explained to administrators choosing one. */
export const roleLabels: Record<StaffRole, { label: string; hint: string }> = {
  clinician: {
    label: 'Hub clinician',
    hint: 'Nurses, mental health practitioners and health navigators. Sees the full clinical record of people at their sites.',
  },
  probation_practitioner: {
    label: 'Probation practitioner',
    hint: 'Books joint appointments. Sees only the non-clinical summary a person has agreed to share, at their sites.',
  },
  hub_manager: {
    label: 'Hub manager',
    hint: 'Manages caseloads, waiting lists and the service directory for their sites. Sees clinical records.',
  },
  partner: {
    label: 'Partner caseworker',
    hint: 'Works for a partner organisation. Sees only the referrals sent to that organisation.',
  },
  analyst: {
    label: 'Analyst or evaluator',
    hint: 'Sees aggregate figures only, with small numbers hidden. Never sees a person’s record.',
  },
  admin: {
    label: 'Administrator',
    hint: 'Manages staff accounts, roles and sites. Has no access to people’s records.',
  },
  auditor: {
    label: 'Auditor',
    hint: 'Reads the audit log of who viewed or changed what. Has no access to people’s records.',
  },
}

/** Roles whose work is tied to sites: they must belong to at least one. */
export const siteRoles: readonly StaffRole[] = ['clinician', 'probation_practitioner', 'hub_manager']

export function roleLabel(role: string): string {
  return (roleLabels as Record<string, { label: string } | undefined>)[role]?.label ?? role
}

export function isStaffRole(value: string): value is StaffRole {
  return (staffRoles as readonly string[]).includes(value)
}

export const messages = {
  emailMissing: 'Enter an email address',
  emailFormat: 'Enter an email address in the correct format, like name@example.nhs.uk',
  emailTaken: 'A staff user with this email address already exists',
  nameMissing: 'Enter the user’s full name',
  nameTooLong: 'Full name must be 200 characters or fewer',
  roleMissing: 'Select a role',
  sitesMissing: 'Select at least one site for this role',
  siteUnknown: 'Select sites from the list',
  organisationMissing: 'Select the partner organisation this user works for',
  organisationUnknown: 'Select an organisation from the list',
  ownAdminRole: 'You cannot remove your own administrator role',
  ownAccountDisable: 'You cannot disable your own account',
  stale:
    'Someone else changed this user while you were working on it. Nothing was saved. Check the current details and make your changes again.',
  organisationCodeFormat:
    'Organisation code must start with a letter or number and use only lowercase letters, numbers and hyphens (2 to 60 characters)',
  organisationCodeTaken: 'An organisation with this code already exists',
  organisationNameMissing: 'Enter the organisation’s name',
  enableAwaitingApproval:
    'This account is waiting for its access to be approved. It can be used once a hub manager of its sites or another administrator approves it.',
  enableRefusedAccess:
    'This account’s access was refused, so it cannot be enabled. Change its details, or save them again, to ask for approval again.',
  decisionMissing: 'Select whether to approve or refuse the request',
  reasonMissing: 'Enter why you are refusing the request',
  reasonTooLong: 'Reason must be 1,000 characters or fewer',
  requestDecided:
    'This request has already been decided, or was replaced by a later change to the account. Nothing was changed.',
  ownPasswordReset: 'You cannot reset your own password here: change it from Your account',
  resetWhilePending:
    'This account already has a request waiting for approval. It must be decided before a password reset can be asked for',
  decisionBars: {
    'own-request': 'You asked for this access, so someone else must approve or refuse it.',
    'own-account': 'This request is about your own account, so someone else must approve or refuse it.',
    'admins-only': 'Only another administrator can decide a request about this account.',
    'other-sites': 'You can only decide requests for sites you manage.',
    role: 'Only hub managers and administrators can decide access requests.',
  },
} as const
