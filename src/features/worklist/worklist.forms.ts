/** The worklist's filters (page query and API query) and the "mark as done" note, checked the same way for both. */
import { list, text, type FormBody, type FormResult } from '../../platform/forms/forms.ts'
import type { FieldError } from '../../platform/http/errors.ts'
import {
  API_MAX_LIMIT,
  isWorklistKind,
  isWorklistScope,
  messages,
  NOTE_MAX,
  type WorklistKind,
  type WorklistScope,
} from './worklist.messages.ts'

export interface WorklistFilters {
  site: string | undefined
  scope: WorklistScope | undefined
  kinds: WorklistKind[]
}

/** Kinds may come repeated (kinds=a&kinds=b, as a form sends them) or comma-separated (kinds=a,b). */
function splitKinds(values: readonly string[]): string[] {
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '')
}

/**
 * The filters as sent. Errors name the query parameter: `site`, `scope`, `kinds`. A blank site or scope means the
 * default (the only site; mine, or site for hub managers).
 */
export function parseFilters(query: FormBody | undefined): FormResult<WorklistFilters> {
  const errors: FieldError[] = []
  const site = text(query, 'site')
  const scope = text(query, 'scope')
  if (scope !== '' && !isWorklistScope(scope)) errors.push({ field: 'scope', message: messages.scopeInvalid })
  const kinds: WorklistKind[] = []
  for (const kind of splitKinds(list(query, 'kinds'))) {
    if (isWorklistKind(kind)) {
      if (!kinds.includes(kind)) kinds.push(kind)
    } else if (!errors.some((e) => e.field === 'kinds')) {
      errors.push({ field: 'kinds', message: messages.kindsInvalid(kind) })
    }
  }
  if (errors.length > 0) return { ok: false, errors, values: { site, scope, kinds } }
  return {
    ok: true,
    value: { site: site === '' ? undefined : site, scope: isWorklistScope(scope) ? scope : undefined, kinds },
  }
}

/** A whole number in range, or the default when blank; undefined when it is not one. */
function wholeNumber(value: string, fallback: number, min: number, max: number): number | undefined {
  if (value === '') return fallback
  if (!/^\d{1,9}$/.test(value)) return undefined
  const n = Number(value)
  return n >= min && n <= max ? n : undefined
}

export function parseApiPaging(
  query: FormBody | undefined,
  defaultLimit: number,
): FormResult<{ limit: number; offset: number }> {
  const limit = wholeNumber(text(query, 'limit'), defaultLimit, 1, API_MAX_LIMIT)
  const offset = wholeNumber(text(query, 'offset'), 0, 0, 1_000_000_000)
  const errors: FieldError[] = []
  if (limit === undefined) errors.push({ field: 'limit', message: messages.limitInvalid })
  if (offset === undefined) errors.push({ field: 'offset', message: messages.offsetInvalid })
  if (limit === undefined || offset === undefined) return { ok: false, errors, values: {} }
  return { ok: true, value: { limit, offset } }
}

/** The page number of a section on its own; anything that is not a page number shows the first page. */
export function parsePageNumber(query: FormBody | undefined): number {
  return wholeNumber(text(query, 'page'), 1, 1, 1_000_000) ?? 1
}

/** The section shown on its own, if one is asked for and valid. */
export function parseSection(query: FormBody | undefined): WorklistKind | undefined {
  const section = text(query, 'section')
  return isWorklistKind(section) ? section : undefined
}

/** The note of what was done: required, at most NOTE_MAX characters. */
export function checkNote(raw: unknown): { ok: true; note: string } | { ok: false; error: FieldError } {
  const note = typeof raw === 'string' ? raw.trim() : ''
  if (note === '') return { ok: false, error: { field: 'note', message: messages.noteBlank } }
  if (note.length > NOTE_MAX) return { ok: false, error: { field: 'note', message: messages.noteTooLong } }
  return { ok: true, note }
}
