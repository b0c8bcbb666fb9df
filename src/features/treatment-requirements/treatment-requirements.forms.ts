/** The HTML forms: what the pages post, checked with GOV.UK wording. Rules that need data are the service's. */
import { dateParts, parseDateParts, text, type FormBody } from '../../platform/forms/forms.ts'
import type { FieldError } from '../../platform/http/errors.ts'
import { isTreatmentRequirementKind, messages, NOTE_MAX } from './treatment-requirements.messages.ts'
import { isTreatmentRequirementStatus } from './treatment-requirements.transitions.ts'
import type { TreatmentRequirementKind, TreatmentRequirementStatus } from './treatment-requirements.tables.ts'

export type FormValues = Record<string, unknown>

export type FormResult<T> =
  { ok: true; value: T; values: FormValues } | { ok: false; errors: FieldError[]; values: FormValues }

/** The radio value for "no referral linked" on the link form. */
export const NO_REFERRAL = 'none'

export function parseProposalForm(
  body: FormBody | undefined,
): FormResult<{ kind: TreatmentRequirementKind; proposedOn: string; note: string | null }> {
  const values: FormValues = {
    kind: text(body, 'kind'),
    proposedOn: dateParts(body, 'proposedOn'),
    note: text(body, 'note'),
  }
  const errors: FieldError[] = []
  const kind = text(body, 'kind')
  if (!isTreatmentRequirementKind(kind)) errors.push({ field: 'kind', message: messages.kindBlank })
  const date = parseDateParts(dateParts(body, 'proposedOn'), 'proposedOn', messages.proposedOnLabel, { required: true })
  if (date.error !== undefined) errors.push(date.error)
  const note = text(body, 'note')
  if (note.length > NOTE_MAX) errors.push({ field: 'note', message: messages.noteTooLong })
  if (errors.length > 0 || !isTreatmentRequirementKind(kind) || date.value === null)
    return { ok: false, errors, values }
  return { ok: true, value: { kind, proposedOn: date.value, note: note === '' ? null : note }, values }
}

export function parseTransitionForm(
  body: FormBody | undefined,
): FormResult<{ to: TreatmentRequirementStatus; at: string; reason: string | null; version: number | undefined }> {
  const values: FormValues = {
    to: text(body, 'to'),
    at: dateParts(body, 'at'),
    reason: text(body, 'reason'),
  }
  const errors: FieldError[] = []
  const to = text(body, 'to')
  if (!isTreatmentRequirementStatus(to)) errors.push({ field: 'to', message: messages.toBlank })
  const date = parseDateParts(dateParts(body, 'at'), 'at', messages.atLabel, { required: true })
  if (date.error !== undefined) errors.push(date.error)
  const reason = text(body, 'reason')
  if (reason.length > NOTE_MAX) errors.push({ field: 'reason', message: messages.reasonTooLong })
  if (errors.length > 0 || !isTreatmentRequirementStatus(to) || date.value === null)
    return { ok: false, errors, values }
  return {
    ok: true,
    value: { to, at: date.value, reason: reason === '' ? null : reason, version: versionOf(body) },
    values,
  }
}

export function parseLinkForm(
  body: FormBody | undefined,
): FormResult<{ referralId: string | null; version: number | undefined }> {
  const choice = text(body, 'referralId')
  const values: FormValues = { referralId: choice }
  if (choice === '') return { ok: false, errors: [{ field: 'referralId', message: messages.referralBlank }], values }
  return { ok: true, value: { referralId: choice === NO_REFERRAL ? null : choice, version: versionOf(body) }, values }
}

/** The version the form was filled in against (a hidden field), so a change made since is refused, not lost. */
function versionOf(body: FormBody | undefined): number | undefined {
  const raw = text(body, 'version')
  return /^\d{1,9}$/.test(raw) ? Number(raw) : undefined
}
