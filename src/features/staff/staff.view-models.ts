import type { Site } from '../sites/index.ts'
import { messages, roleLabel, roleLabels, staffRoles } from './staff.messages.ts'
import { staffPaths } from './staff.paths.ts'
import type { AccessRequest, AccountAccessState, DecisionBar, Organisation, StaffUser } from './staff.service.ts'

export function roleOptions(): { value: string; text: string; hint: string }[] {
  return staffRoles.map((role) => ({ value: role, text: roleLabels[role].label, hint: roleLabels[role].hint }))
}

export function siteItems(
  sites: readonly Site[],
  selected: unknown,
): { value: string; text: string; checked: boolean }[] {
  const chosen = Array.isArray(selected) ? (selected as unknown[]) : []
  return sites.map((s) => ({ value: s.id, text: s.name, checked: chosen.includes(s.id) }))
}

export function organisationItems(
  organisations: readonly Organisation[],
  selected: unknown,
): { value: string; text: string; selected: boolean }[] {
  return [
    { value: '', text: 'Select an organisation', selected: selected === '' || selected === undefined },
    ...organisations.map((o) => ({ value: o.id, text: o.name, selected: o.id === selected })),
  ]
}

export interface StatusTag {
  text: string
  classes: string
}

export function statusTags(user: StaffUser, locked: boolean): StatusTag[] {
  const tags: StatusTag[] = [
    user.status === 'active'
      ? { text: 'Active', classes: 'govuk-tag--green' }
      : { text: 'Disabled', classes: 'govuk-tag--grey' },
  ]
  if (locked) tags.push({ text: 'Locked', classes: 'govuk-tag--red' })
  return tags
}

export function siteNames(user: StaffUser, sitesById: ReadonlyMap<string, Site>): string[] {
  return user.siteIds
    .map((id) => sitesById.get(id)?.name)
    .filter((name): name is string => name !== undefined)
    .sort()
}

export function userRow(user: StaffUser, sitesById: ReadonlyMap<string, Site>, locked: boolean, waiting = false) {
  const tags = statusTags(user, locked)
  if (waiting) tags.push({ text: 'Waiting for approval', classes: 'govuk-tag--yellow' })
  return {
    href: staffPaths.user(user.id),
    name: user.displayName,
    email: user.email,
    role: roleLabel(user.role),
    sites: siteNames(user, sitesById),
    tags,
  }
}

/** Values that prefill the edit form from the stored user. */
export function editValues(user: StaffUser): Record<string, unknown> {
  return { fullName: user.displayName, role: user.role, sites: user.siteIds, organisationId: user.organisationId ?? '' }
}

/** "North hub", "North hub and South hub", "A, B and C": names read the GOV.UK way. */
export function andList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`
}

function siteNamesOf(ids: readonly string[], sitesById: ReadonlyMap<string, Site>): string[] {
  return ids
    .map((id) => sitesById.get(id)?.name)
    .filter((name): name is string => name !== undefined)
    .sort()
}

const requestStatusText: Record<AccessRequest['status'], string> = {
  pending: 'Waiting for approval',
  approved: 'Approved',
  refused: 'Refused',
  cancelled: 'Replaced by a later change',
}

/** Who may approve a request, in words. */
export function approversText(request: AccessRequest, sitesById: ReadonlyMap<string, Site>): string {
  // Hub managers decide only clinical access at their sites (access-requests.rules.ts).
  if (request.role === 'admin' || request.grantsSiteIds.length === 0) return 'Another administrator'
  const sites = siteNamesOf(request.grantsSiteIds, sitesById)
  return `A hub manager of ${andList(sites)}, or another administrator`
}

const kindText: Record<AccessRequest['kind'], string> = {
  'new-account': 'New account',
  change: 'Change of access',
  'password-reset': 'Password reset',
}

/** One access request, as the request pages, the user page and the list show it. */
export function accessRequestView(request: AccessRequest, sitesById: ReadonlyMap<string, Site>, bar?: DecisionBar) {
  const sites = siteNamesOf(request.siteIds, sitesById)
  return {
    id: request.id,
    href: staffPaths.accessRequest(request.id),
    userHref: staffPaths.user(request.staffUserId),
    staffName: request.staffName,
    staffEmail: request.staffEmail,
    isNewAccount: request.kind === 'new-account',
    isPasswordReset: request.kind === 'password-reset',
    kindText: kindText[request.kind],
    fromRole: request.fromRole === null ? undefined : roleLabel(request.fromRole),
    role: roleLabel(request.role),
    sites,
    askedFor:
      request.kind === 'password-reset'
        ? 'A new password (the approver is shown a one-time password)'
        : sites.length === 0 ? roleLabel(request.role) : `${roleLabel(request.role)} at ${andList(sites)}`,
    grants: siteNamesOf(request.grantsSiteIds, sitesById),
    approvers: approversText(request, sitesById),
    requestedByName: request.requestedByName,
    requestedAt: request.requestedAt,
    status: request.status,
    statusText: requestStatusText[request.status],
    decidedByName: request.decidedByName,
    decidedAt: request.decidedAt,
    refusalReason: request.refusalReason,
    canDecide: request.status === 'pending' && bar === undefined,
    bar: bar === undefined ? undefined : messages.decisionBars[bar],
  }
}

export type AccessRequestView = ReturnType<typeof accessRequestView>

/** The user's status tags, with where their access stands. */
export function accessTags(tags: readonly StatusTag[], state: AccountAccessState): StatusTag[] {
  if (state.awaitingFirstApproval) {
    const tag =
      state.pending === undefined
        ? { text: 'Access refused', classes: 'govuk-tag--red' }
        : { text: 'Waiting for approval', classes: 'govuk-tag--yellow' }
    return [tag, ...tags.filter((t) => t.text !== 'Disabled')]
  }
  return state.pending === undefined
    ? [...tags]
    : [...tags, { text: 'Waiting for approval', classes: 'govuk-tag--yellow' }]
}
