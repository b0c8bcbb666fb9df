import type { Site } from '../sites/index.ts'
import { roleLabel, roleLabels, staffRoles } from './staff.messages.ts'
import { staffPaths } from './staff.paths.ts'
import type { Organisation, StaffUser } from './staff.service.ts'

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

export function userRow(user: StaffUser, sitesById: ReadonlyMap<string, Site>, locked: boolean) {
  return {
    href: staffPaths.user(user.id),
    name: user.displayName,
    email: user.email,
    role: roleLabel(user.role),
    sites: siteNames(user, sitesById),
    tags: statusTags(user, locked),
  }
}

/** Values that prefill the edit form from the stored user. */
export function editValues(user: StaffUser): Record<string, unknown> {
  return { fullName: user.displayName, role: user.role, sites: user.siteIds, organisationId: user.organisationId ?? '' }
}
