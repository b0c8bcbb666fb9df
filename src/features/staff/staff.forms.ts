import { list, text, type FormBody } from '../../platform/forms/forms.ts'
import type { FieldError } from '../../platform/http/errors.ts'
import { isStaffRole } from './staff.messages.ts'
import type { AccessDecision, NewStaffUser, StaffFilter, StaffUserChanges } from './staff.service.ts'

/** The order fields appear on the forms, so the error summary lists problems top to bottom. */
const FIELD_ORDER = ['email', 'fullName', 'role', 'organisationId', 'sites', 'password', 'status']

export function inFieldOrder(errors: readonly FieldError[]): FieldError[] {
  const rank = (field: string) => {
    const index = FIELD_ORDER.indexOf(field)
    return index === -1 ? FIELD_ORDER.length : index
  }
  return [...errors].sort((a, b) => rank(a.field) - rank(b.field))
}

/** Passwords are read as typed (never trimmed) and never echoed back into a page. Empty means "generate one". */
function optionalPassword(body: FormBody | undefined): string | undefined {
  const value = body?.['password']
  return typeof value === 'string' && value !== '' ? value : undefined
}

export interface ParsedNewUser {
  value: NewStaffUser
  /** What to show again if the form has errors (never the password). */
  values: Record<string, unknown>
}

export function parseNewUser(body: FormBody | undefined): ParsedNewUser {
  const value: NewStaffUser = {
    email: text(body, 'email'),
    fullName: text(body, 'fullName'),
    role: text(body, 'role'),
    siteIds: list(body, 'sites'),
    organisationId: text(body, 'organisationId') === '' ? null : text(body, 'organisationId'),
    password: optionalPassword(body),
  }
  return {
    value,
    values: {
      email: value.email,
      fullName: value.fullName,
      role: value.role,
      sites: value.siteIds,
      organisationId: value.organisationId ?? '',
    },
  }
}

/** The version the page was rendered from; undefined when missing or tampered with. */
export function parseVersion(body: FormBody | undefined): number | undefined {
  const raw = text(body, 'version')
  return /^\d{1,9}$/.test(raw) ? Number(raw) : undefined
}

export function parseUserChanges(body: FormBody | undefined): {
  value: StaffUserChanges
  version: number | undefined
  values: Record<string, unknown>
} {
  const value: StaffUserChanges = {
    fullName: text(body, 'fullName'),
    role: text(body, 'role'),
    siteIds: list(body, 'sites'),
    organisationId: text(body, 'organisationId') === '' ? null : text(body, 'organisationId'),
  }
  const version = parseVersion(body)
  return {
    value,
    version,
    values: {
      fullName: value.fullName,
      role: value.role,
      sites: value.siteIds,
      organisationId: value.organisationId ?? '',
    },
  }
}

export function parseStaffFilter(query: FormBody | undefined): { filter: StaffFilter; values: Record<string, string> } {
  const search = text(query, 'q').slice(0, 200)
  const role = text(query, 'role')
  const site = text(query, 'site')
  const status = text(query, 'status')
  const filter: StaffFilter = {}
  if (search !== '') filter.search = search
  if (isStaffRole(role)) filter.role = role
  if (site !== '') filter.siteId = site
  if (status === 'active' || status === 'disabled' || status === 'locked') filter.status = status
  return {
    filter,
    values: { q: search, role: filter.role ?? '', site: filter.siteId ?? '', status: filter.status ?? '' },
  }
}

/** The `page` of a paged list: a whole number from 1, anything else is page 1; capped so an offset stays small. */
export function parsePageNumber(query: FormBody | undefined): number {
  const page = text(query, 'page')
  return /^[1-9][0-9]{0,5}$/.test(page) ? Math.min(Number(page), 100_000) : 1
}

/** An approver's decision on an access request: which button, and the reason typed for refusing. */
export function parseDecision(body: FormBody | undefined): AccessDecision {
  return { decision: text(body, 'decision'), reason: text(body, 'reason') }
}
