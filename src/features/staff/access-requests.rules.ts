/**
 * Separation of duties for access (issue 9). An administrator manages accounts but has no clinical access, and must
 * not be able to give it to an account they control. So what widens access to people's records is only asked for,
 * and a second person approves it:
 * - a hub manager of every site the request adds, or another administrator;
 * - never the person who asked, never the account the request is about.
 * Narrowing (removing a site, moving to a role that needs no approval) takes effect at once.
 *
 * The administrator role needs another administrator's approval too: otherwise one administrator could make a
 * second administrator account, sign in as it and approve their own requests.
 *
 * A password reset is the same grant by another door (whoever learns the new password can sign in as the account),
 * so it is a request too, decided by the same people: a hub manager of every site of a clinical account, or another
 * administrator (only another administrator for any other account).
 */
import type { StaffRole } from '../../platform/http/roles.ts'

/** Roles whose access reaches people's records at their sites: granting one, or a site to one, needs approval. */
export const clinicalRoles: readonly StaffRole[] = ['clinician', 'probation_practitioner', 'hub_manager']

/** Roles a second person must approve: the clinical ones and the administrator role, which can approve. */
export const approvalRoles: readonly StaffRole[] = [...clinicalRoles, 'admin']

export function needsApproval(role: StaffRole): boolean {
  return approvalRoles.includes(role)
}

/** An account's access: what sign-in hands to its principal. */
export interface AccountAccess {
  role: StaffRole
  siteIds: readonly string[]
  organisationId: string | null
}

/** What waits for a second person: the role and the whole set of sites the account will have, and those it adds. */
export interface RequestedAccess {
  role: StaffRole
  siteIds: string[]
  /** The sites a hub manager must manage to approve it (every site when the role changes; none for admin). */
  grantsSiteIds: string[]
}

export interface AccessPlan {
  /** What takes effect now: narrowing, or the whole change when it needs no approval. */
  now: AccountAccess
  /** What waits for approval; undefined when nothing does. */
  request: RequestedAccess | undefined
}

const unique = (ids: readonly string[]) => [...new Set(ids)].sort()

/** A new account: with a role that needs approval, all of it waits. */
export function newAccountRequest(wanted: AccountAccess): RequestedAccess | undefined {
  if (!needsApproval(wanted.role)) return undefined
  const siteIds = unique(wanted.siteIds)
  return { role: wanted.role, siteIds, grantsSiteIds: wanted.role === 'admin' ? [] : siteIds }
}

/**
 * Splits a change of an existing account's access into what takes effect at once and what waits. The account keeps
 * its current role (and organisation) until a new role is approved, and loses at once any site not asked for.
 */
export function planAccessChange(current: AccountAccess, wanted: AccountAccess): AccessPlan {
  const wantedSites = unique(wanted.siteIds)
  if (!needsApproval(wanted.role)) return { now: { ...wanted, siteIds: wantedSites }, request: undefined }
  const kept = unique(current.siteIds.filter((id) => wantedSites.includes(id)))
  const keep = { role: current.role, siteIds: kept, organisationId: current.organisationId }
  if (wanted.role !== current.role) {
    // A new role applies at every site the account will have, so each of them is granted afresh.
    return {
      now: keep,
      request: { role: wanted.role, siteIds: wantedSites, grantsSiteIds: wanted.role === 'admin' ? [] : wantedSites },
    }
  }
  // An administrator's sites give no access to records.
  if (!clinicalRoles.includes(wanted.role)) return { now: { ...wanted, siteIds: wantedSites }, request: undefined }
  const added = wantedSites.filter((id) => !current.siteIds.includes(id))
  return {
    now: keep,
    request: added.length === 0 ? undefined : { role: wanted.role, siteIds: wantedSites, grantsSiteIds: added },
  }
}

/** A reset of the account's password: approvers are chosen by the sites of the access it opens, all of them. */
export function passwordResetRequest(current: AccountAccess): RequestedAccess {
  const siteIds = unique(current.siteIds)
  return { role: current.role, siteIds, grantsSiteIds: clinicalRoles.includes(current.role) ? siteIds : [] }
}

/** Who is deciding: the signed-in principal's id, role and sites. */
export interface Decider {
  readonly userId: string
  readonly role: StaffRole
  readonly siteIds: readonly string[]
}

/** What the rules need to know of a request. */
export interface RequestParties {
  readonly staffUserId: string
  readonly requestedBy: string
  readonly role: StaffRole
  readonly grantsSiteIds: readonly string[]
}

/** Why someone may not decide a request. */
export type DecisionBar = 'own-request' | 'own-account' | 'admins-only' | 'other-sites' | 'role'

/** A hub manager's scope: requests that grant a clinical role only at sites they manage. */
function withinManagedSites(decider: Decider, request: RequestParties): boolean {
  return (
    decider.role === 'hub_manager' &&
    request.role !== 'admin' &&
    request.grantsSiteIds.length > 0 &&
    request.grantsSiteIds.every((id) => decider.siteIds.includes(id))
  )
}

/** Administrators see every request; a hub manager only those within the sites they manage. */
export function mayView(decider: Decider, request: RequestParties): boolean {
  return decider.role === 'admin' || withinManagedSites(decider, request)
}

/** Why the decider may not approve or refuse the request, or undefined when they may. */
export function whyCannotDecide(decider: Decider, request: RequestParties): DecisionBar | undefined {
  if (decider.userId === request.requestedBy) return 'own-request'
  if (decider.userId === request.staffUserId) return 'own-account'
  if (decider.role === 'admin') return undefined
  if (decider.role !== 'hub_manager') return 'role'
  // Hub managers manage clinical access at their sites only: never an administrator, partner, analyst or auditor.
  if (!clinicalRoles.includes(request.role)) return 'admins-only'
  return withinManagedSites(decider, request) ? undefined : 'other-sites'
}
