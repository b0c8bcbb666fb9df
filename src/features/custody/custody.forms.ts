/**
 * The custody form: what the page posts, turned into a draft for the service's rules. Dates come as day, month and
 * year boxes and are checked here with the GOV.UK wording; every other rule is the service's, so the pages and the
 * API say the same thing.
 */
import { dateParts, parseDateParts, text, type FormBody } from '../../platform/forms/forms.ts'
import type { FieldError } from '../../platform/http/errors.ts'
import { fieldLabels } from './custody.messages.ts'
import type { EpisodeDraft } from './custody.validation.ts'

export type FormValues = Record<string, unknown>

export type FormResult =
  | { ok: true; value: EpisodeDraft; values: FormValues; version: number | undefined }
  | { ok: false; errors: FieldError[]; values: FormValues }

export const DATE_FIELDS = ['expectedReleaseDate', 'actualReleaseDate', 'recalledOn'] as const

export function parseEpisodeForm(body: FormBody | undefined): FormResult {
  const values: FormValues = {
    prisonName: text(body, 'prisonName'),
    prisonCode: text(body, 'prisonCode'),
    prisonNumber: text(body, 'prisonNumber'),
    releaseType: text(body, 'releaseType'),
    releaseAddress: text(body, 'releaseAddress'),
    noFixedAbode: text(body, 'noFixedAbode') === 'yes',
    ...Object.fromEntries(DATE_FIELDS.map((f) => [f, dateParts(body, f)])),
  }
  const errors: FieldError[] = []
  const dates: Record<string, string | null> = {}
  for (const field of DATE_FIELDS) {
    const parsed = parseDateParts(dateParts(body, field), field, fieldLabels[field], { required: false })
    if (parsed.error !== undefined) errors.push(parsed.error)
    dates[field] = parsed.value
  }
  if (errors.length > 0) return { ok: false, errors, values }
  const raw = text(body, 'version')
  return {
    ok: true,
    value: {
      prisonName: text(body, 'prisonName'),
      prisonCode: text(body, 'prisonCode'),
      prisonNumber: text(body, 'prisonNumber'),
      expectedReleaseDate: dates['expectedReleaseDate'] ?? null,
      actualReleaseDate: dates['actualReleaseDate'] ?? null,
      releaseType: text(body, 'releaseType') === '' ? null : text(body, 'releaseType'),
      releaseAddress: text(body, 'releaseAddress') === '' ? null : text(body, 'releaseAddress'),
      noFixedAbode: text(body, 'noFixedAbode') === 'yes',
      recalledOn: dates['recalledOn'] ?? null,
    },
    values,
    version: /^\d{1,9}$/.test(raw) ? Number(raw) : undefined,
  }
}
