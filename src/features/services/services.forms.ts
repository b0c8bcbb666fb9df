/** The HTML directory-entry form: what the page posts, checked with GOV.UK wording. */
import { text, type FormBody } from '../../platform/forms/forms.ts'
import type { FieldError } from '../../platform/http/errors.ts'
import { messages } from './services.messages.ts'
import type { DirectoryService } from './services.service.ts'
import { validateService, type ServiceDraft, type ServiceInput } from './services.validation.ts'

export type ServiceFormValues = Record<string, unknown>

export type ServiceFormResult =
  | { ok: true; value: ServiceInput; values: ServiceFormValues }
  | { ok: false; errors: readonly FieldError[]; values: ServiceFormValues }

const fields = [
  'siteCode',
  'kind',
  'name',
  'odsCode',
  'organisationCode',
  'address',
  'phone',
  'email',
  'website',
  'referralMethod',
  'notes',
] as const

/** Reads the posted form. `active` is asked only when editing (a new entry is available). */
export function parseServiceForm(body: FormBody | undefined, mode: 'new' | 'edit'): ServiceFormResult {
  const values: ServiceFormValues = {}
  for (const field of fields) values[field] = text(body, field)
  values['active'] = text(body, 'active')
  values['version'] = text(body, 'version')
  values['submissionId'] = text(body, 'submissionId')
  const active = values['active'] === 'yes' ? true : values['active'] === 'no' ? false : undefined
  const draft: ServiceDraft = {
    siteCode: text(body, 'siteCode'),
    kind: text(body, 'kind'),
    name: text(body, 'name'),
    odsCode: text(body, 'odsCode'),
    organisationCode: text(body, 'organisationCode'),
    address: text(body, 'address'),
    phone: text(body, 'phone'),
    email: text(body, 'email'),
    website: text(body, 'website'),
    referralMethod: text(body, 'referralMethod'),
    notes: text(body, 'notes'),
    active: mode === 'new' ? true : active,
  }
  const result = validateService(draft)
  const errors: FieldError[] = result.ok ? [] : [...result.errors]
  if (mode === 'edit' && active === undefined) errors.push({ field: 'active', message: messages.activeBlank })
  if (!result.ok || errors.length > 0) return { ok: false, errors, values }
  return { ok: true, value: result.value, values }
}

/** A saved entry as the edit form shows it. */
export function serviceToFormValues(service: DirectoryService): ServiceFormValues {
  return {
    siteCode: service.siteCode,
    kind: service.kind,
    name: service.name,
    odsCode: service.odsCode ?? '',
    organisationCode: service.organisationCode ?? '',
    address: service.address ?? '',
    phone: service.phone ?? '',
    email: service.email ?? '',
    website: service.website ?? '',
    referralMethod: service.referralMethod ?? '',
    notes: service.notes ?? '',
    active: service.active ? 'yes' : 'no',
    version: String(service.version),
  }
}
