/**
 * The HTML forms: what the pages post, turned into the service's input. Dates come as day, month and year boxes and
 * are checked here with the GOV.UK wording; every other rule (required, lengths, the person's own records) is the
 * service's, so the pages and the API say the same thing.
 */
import { dateParts, list, parseDateParts, text, type FormBody } from '../../platform/forms/forms.ts'
import type { FieldError } from '../../platform/http/errors.ts'
import type { ActionInput, AgreementInput, GoalInput, PrintChoicesInput, ReviewInput } from './care-plan.service.ts'
import { printSections } from './care-plan.tables.ts'

export type FormValues = Record<string, unknown>

export type FormResult<T> =
  | { ok: true; value: T; values: FormValues; version: number | undefined }
  | { ok: false; errors: FieldError[]; values: FormValues }

/** The radio value for "not linked" on the action form. */
export const NO_LINK = 'none'

/** The version the form was filled in against (a hidden field), so a change made since is refused, not lost. */
export function versionOf(body: FormBody | undefined): number | undefined {
  const raw = text(body, 'version')
  return /^\d{1,9}$/.test(raw) ? Number(raw) : undefined
}

export function parseGoalForm(body: FormBody | undefined): FormResult<GoalInput> {
  const values = { inOwnWords: text(body, 'inOwnWords') }
  return { ok: true, value: { inOwnWords: values.inOwnWords }, values, version: versionOf(body) }
}

export function parseActionForm(body: FormBody | undefined): FormResult<ActionInput> {
  const values: FormValues = {
    description: text(body, 'description'),
    owner: text(body, 'owner'),
    ownerName: text(body, 'ownerName'),
    dueOn: dateParts(body, 'dueOn'),
    status: text(body, 'status'),
    link: text(body, 'link'),
  }
  const due = parseDateParts(dateParts(body, 'dueOn'), 'dueOn', 'the date it is due by', { required: false })
  if (due.error !== undefined) return { ok: false, errors: [due.error], values }
  const link = text(body, 'link')
  const [kind = '', ...rest] = link.split(':')
  return {
    ok: true,
    value: {
      description: text(body, 'description'),
      owner: text(body, 'owner'),
      ownerName: text(body, 'ownerName') === '' ? null : text(body, 'ownerName'),
      dueOn: due.value,
      status: text(body, 'status'),
      link: link === '' || link === NO_LINK ? null : { kind, id: rest.join(':') },
    },
    values,
    version: versionOf(body),
  }
}

export function parseReviewForm(body: FormBody | undefined, goalIds: readonly string[]): FormResult<ReviewInput> {
  const outcomes = goalIds.flatMap((goalId) => {
    const outcome = text(body, `outcome-${goalId}`)
    return outcome === '' ? [] : [{ goalId, outcome }]
  })
  const values: FormValues = {
    reviewedOn: dateParts(body, 'reviewedOn'),
    appointmentId: text(body, 'appointmentId'),
    notes: text(body, 'notes'),
    ...Object.fromEntries(outcomes.map((o) => [`outcome-${o.goalId}`, o.outcome])),
  }
  const date = parseDateParts(dateParts(body, 'reviewedOn'), 'reviewedOn', 'the date of the review', { required: true })
  if (date.error !== undefined) return { ok: false, errors: [date.error], values }
  const appointmentId = text(body, 'appointmentId')
  return {
    ok: true,
    value: {
      reviewedOn: date.value ?? '',
      appointmentId: appointmentId === '' || appointmentId === 'none' ? null : appointmentId,
      notes: text(body, 'notes') === '' ? null : text(body, 'notes'),
      outcomes,
    },
    values,
    version: undefined,
  }
}

export function parseAgreementForm(body: FormBody | undefined): FormResult<AgreementInput> {
  const values: FormValues = {
    decision: text(body, 'decision'),
    comments: text(body, 'comments'),
    decidedOn: dateParts(body, 'decidedOn'),
  }
  const date = parseDateParts(dateParts(body, 'decidedOn'), 'decidedOn', 'the date they said', { required: true })
  const errors: FieldError[] = []
  // The decision is checked here too, so a blank form names both questions at once.
  if (values['decision'] === '')
    errors.push({ field: 'decision', message: 'Select whether the person agreed to the plan' })
  if (date.error !== undefined) errors.push(date.error)
  if (errors.length > 0) return { ok: false, errors, values }
  return {
    ok: true,
    value: {
      decision: text(body, 'decision'),
      comments: text(body, 'comments') === '' ? null : text(body, 'comments'),
      decidedOn: date.value ?? '',
    },
    values,
    version: undefined,
  }
}

export function parsePrintChoicesForm(body: FormBody | undefined): FormResult<PrintChoicesInput> {
  const sections = list(body, 'sections')
  const goalIds = list(body, 'goals')
  const values: FormValues = { sections, goals: goalIds }
  return {
    ok: true,
    value: {
      sections: Object.fromEntries(
        printSections.map((s) => [s, sections.includes(s)]),
      ) as PrintChoicesInput['sections'],
      goalIds,
    },
    values,
    version: versionOf(body),
  }
}
