/** The rules on a directory entry's shape, shared by the form and the API so both say the same thing. */
import type { FieldError } from '../../platform/http/errors.ts'
import {
  isServiceKind,
  limits,
  messages,
  normaliseOdsCode,
  ODS_CODE_PATTERN,
  type ServiceKind,
} from './services.messages.ts'

/** What was typed or sent, every field a trimmed string ('' for blank). */
export interface ServiceDraft {
  siteCode: string
  kind: string
  name: string
  odsCode: string
  organisationCode: string
  address: string
  phone: string
  email: string
  website: string
  referralMethod: string
  notes: string
  /** Undefined when not asked (a new entry is active). */
  active: boolean | undefined
}

/** A valid entry, as the service takes it: blanks are null, the ODS code normalised. */
export interface ServiceInput {
  siteCode: string
  kind: ServiceKind
  name: string
  odsCode: string | null
  organisationCode: string | null
  address: string | null
  phone: string | null
  email: string | null
  website: string | null
  referralMethod: string | null
  notes: string | null
  active: boolean
}

const PHONE = /^\+?[0-9 ()-]{6,40}$/
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const WEBSITE = /^https?:\/\/[^\s/$.?#][^\s]*$/i

const orNull = (value: string) => (value === '' ? null : value)

export function validateService(
  draft: ServiceDraft,
): { ok: true; value: ServiceInput } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = []
  if (draft.siteCode === '') errors.push({ field: 'siteCode', message: messages.siteBlank })
  if (draft.kind === '') errors.push({ field: 'kind', message: messages.kindBlank })
  else if (!isServiceKind(draft.kind)) errors.push({ field: 'kind', message: messages.kindUnknown })
  if (draft.name === '') errors.push({ field: 'name', message: messages.nameBlank })
  else if (draft.name.length > limits.name) errors.push({ field: 'name', message: messages.nameTooLong })
  const odsCode = normaliseOdsCode(draft.odsCode)
  if (odsCode === '' && draft.kind === 'gp-practice') errors.push({ field: 'odsCode', message: messages.odsBlankForGp })
  else if (odsCode !== '' && !ODS_CODE_PATTERN.test(odsCode)) {
    errors.push({ field: 'odsCode', message: messages.odsInvalid })
  }
  if (draft.address.length > limits.address) errors.push({ field: 'address', message: messages.addressTooLong })
  if (draft.phone !== '' && !PHONE.test(draft.phone)) errors.push({ field: 'phone', message: messages.phoneInvalid })
  if (draft.email !== '' && (draft.email.length > limits.email || !EMAIL.test(draft.email))) {
    errors.push({ field: 'email', message: messages.emailInvalid })
  }
  if (draft.website !== '' && (draft.website.length > limits.website || !WEBSITE.test(draft.website))) {
    errors.push({ field: 'website', message: messages.websiteInvalid })
  }
  if (draft.referralMethod.length > limits.referralMethod) {
    errors.push({ field: 'referralMethod', message: messages.referralMethodTooLong })
  }
  if (draft.notes.length > limits.notes) errors.push({ field: 'notes', message: messages.notesTooLong })
  if (errors.length > 0 || !isServiceKind(draft.kind)) return { ok: false, errors }
  return {
    ok: true,
    value: {
      siteCode: draft.siteCode,
      kind: draft.kind,
      name: draft.name,
      odsCode: orNull(odsCode),
      organisationCode: orNull(draft.organisationCode),
      address: orNull(draft.address),
      phone: orNull(draft.phone),
      email: orNull(draft.email),
      website: orNull(draft.website),
      referralMethod: orNull(draft.referralMethod),
      notes: orNull(draft.notes),
      active: draft.active ?? true,
    },
  }
}
