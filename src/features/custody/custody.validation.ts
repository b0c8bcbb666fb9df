/**
 * The rules for a custody episode, shared by the pages and the API so both say the same thing. Dates arrive as ISO
 * dates (the pages turn their day, month and year boxes into one first); everything else is checked here.
 */
import { isRealDate, LATEST_DATE } from '../../platform/forms/forms.ts'
import { ValidationError, type FieldError } from '../../platform/http/errors.ts'
import { PRISON_NUMBER_PATTERN } from '../people/index.ts'
import { ADDRESS_MAX, fieldLabels, messages, PRISON_NAME_MAX } from './custody.messages.ts'
import { releaseTypes, type ReleaseType } from './custody.tables.ts'

/** An episode as given: free text and ISO dates, or null where left out. */
export interface EpisodeDraft {
  prisonName: string
  prisonCode: string
  prisonNumber: string
  expectedReleaseDate: string | null
  actualReleaseDate: string | null
  releaseType: string | null
  releaseAddress: string | null
  noFixedAbode: boolean
  recalledOn: string | null
}

/** An episode that passed every rule: codes in capitals, blank text as null. */
export interface EpisodeInput extends Omit<EpisodeDraft, 'releaseType'> {
  releaseType: ReleaseType | null
}

const PRISON_CODE_PATTERN = /^[A-Z]{3}$/

const blankToNull = (value: string | null) => (value === null || value.trim() === '' ? null : value.trim())

/** Checks a draft against the rules; throws a ValidationError naming every field to fix. */
export function checkEpisode(draft: EpisodeDraft, today: string): EpisodeInput {
  const errors: FieldError[] = []
  const fail = (field: string, message: string) => errors.push({ field, message })

  const prisonName = draft.prisonName.trim()
  if (prisonName === '') fail('prisonName', messages.prisonNameBlank)
  else if (prisonName.length > PRISON_NAME_MAX) fail('prisonName', messages.prisonNameLong)

  const prisonCode = draft.prisonCode.trim().toUpperCase()
  if (prisonCode === '') fail('prisonCode', messages.prisonCodeBlank)
  else if (!PRISON_CODE_PATTERN.test(prisonCode)) fail('prisonCode', messages.prisonCodeFormat)

  const prisonNumber = draft.prisonNumber.trim().toUpperCase()
  if (prisonNumber === '') fail('prisonNumber', messages.prisonNumberBlank)
  else if (!PRISON_NUMBER_PATTERN.test(prisonNumber)) fail('prisonNumber', messages.prisonNumberFormat)

  const date = (field: keyof typeof fieldLabels, value: string | null): string | null => {
    const iso = blankToNull(value)
    if (iso === null) return null
    if (!isRealDate(iso) || iso > LATEST_DATE) {
      fail(field, messages.dateFormat(fieldLabels[field]))
      return null
    }
    return iso
  }
  const expected = date('expectedReleaseDate', draft.expectedReleaseDate)
  const actual = date('actualReleaseDate', draft.actualReleaseDate)
  const recalledOn = date('recalledOn', draft.recalledOn)
  const datesGiven = blankToNull(draft.expectedReleaseDate) !== null || blankToNull(draft.actualReleaseDate) !== null
  if (!datesGiven) fail('expectedReleaseDate', messages.releaseDateBlank)
  if (actual !== null && actual > today) fail('actualReleaseDate', messages.releasedInFuture)
  if (recalledOn !== null) {
    if (blankToNull(draft.actualReleaseDate) === null) fail('recalledOn', messages.recallWithoutRelease)
    else if (actual !== null && recalledOn < actual) fail('recalledOn', messages.recallBeforeRelease)
    else if (recalledOn > today) fail('recalledOn', messages.recallInFuture)
  }

  const releaseType = blankToNull(draft.releaseType)
  if (releaseType !== null && !(releaseTypes as readonly string[]).includes(releaseType)) {
    fail('releaseType', messages.releaseTypeUnknown)
  }

  const releaseAddress = blankToNull(draft.releaseAddress)
  if (releaseAddress !== null && releaseAddress.length > ADDRESS_MAX) fail('releaseAddress', messages.addressLong)
  else if (releaseAddress !== null && draft.noFixedAbode) fail('releaseAddress', messages.addressAndNfa)

  if (errors.length > 0) throw new ValidationError(errors)
  return {
    prisonName,
    prisonCode,
    prisonNumber,
    expectedReleaseDate: expected,
    actualReleaseDate: actual,
    releaseType: releaseType as ReleaseType | null,
    releaseAddress,
    noFixedAbode: draft.noFixedAbode,
    recalledOn,
  }
}
