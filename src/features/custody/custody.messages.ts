/** The custody feature's words: labels, GOV.UK error messages and the RECONNECT window in plain words. */
import { longCalendarDate } from '../../platform/time/uk-time.ts'
import type { ReleaseType } from './custody.tables.ts'
import type { ReleaseWindow, WindowPhase } from './custody.window.ts'

export const PRISON_NAME_MAX = 200
export const ADDRESS_MAX = 500

export const releaseTypeText: Record<ReleaseType, string> = {
  licence: 'On licence',
  'end-of-sentence': 'At the end of their sentence',
  'home-detention-curfew': 'On home detention curfew',
  'post-sentence-supervision': 'Into post-sentence supervision',
  remand: 'From remand',
}

export const phaseText: Record<WindowPhase, { text: string; tag: string }> = {
  'not-yet-open': { text: 'Not open yet', tag: 'govuk-tag--grey' },
  'before-release': { text: 'Release coming up', tag: 'govuk-tag--blue' },
  'referral-open': { text: 'Released: referral open', tag: 'govuk-tag--green' },
  'support-only': { text: 'Released: support only', tag: 'govuk-tag--turquoise' },
  closed: { text: 'Window closed', tag: 'govuk-tag--grey' },
  recalled: { text: 'Recalled to custody', tag: 'govuk-tag--red' },
  'release-not-recorded': { text: 'Release not recorded', tag: 'govuk-tag--orange' },
}

const day = (date: string) => longCalendarDate(date)

/** One sentence on what the window allows today. */
export function windowSentence(window: ReleaseWindow): string {
  const release = window.expected
    ? `expected release on ${day(window.releaseDate)}`
    : `release on ${day(window.releaseDate)}`
  switch (window.phase) {
    case 'not-yet-open':
      return `Support and referral can start from ${day(window.supportFrom)}, 12 weeks before their ${release}.`
    case 'before-release':
      return `Support and referral can start now, ahead of their ${release}. Referral is open until ${day(window.referralUntil)}.`
    case 'referral-open':
      return `Referral is open until ${day(window.referralUntil)}, 28 days after their ${release}. Support can go on until ${day(window.supportUntil)}.`
    case 'support-only':
      return `Referral closed on ${day(window.referralUntil)}, 28 days after their ${release}. Support can go on until ${day(window.supportUntil)}.`
    case 'closed':
      return `Support ended on ${day(window.supportUntil)}, 6 months after their ${release}.`
    case 'recalled':
      return 'They were recalled to custody, so their time in the community on this release has ended.'
    case 'release-not-recorded':
      return `Their expected release date, ${day(window.releaseDate)}, has passed and no release has been recorded. Record the date they were released, or a new expected date. ${window.referralOpen ? `Referral is open until ${day(window.referralUntil)}.` : `Referral closed on ${day(window.referralUntil)}, 28 days after the expected date.`}`
  }
}

/** Why a care after custody referral cannot be made today, or undefined when it can. */
export function referralRefusal(window: ReleaseWindow | undefined, recalledOn: string | null): string | undefined {
  if (window === undefined) {
    return 'Care after custody (RECONNECT) is for people leaving prison. Record their custody episode on their Custody and release page first.'
  }
  if (window.referralOpen) return undefined
  const release = window.expected
    ? `expected release on ${day(window.releaseDate)}`
    : `release on ${day(window.releaseDate)}`
  if (window.phase === 'recalled') {
    return `They were recalled to custody${recalledOn === null ? '' : ` on ${day(recalledOn)}`}, so a care after custody referral cannot be made on this release. Record their next release first.`
  }
  if (window.phase === 'not-yet-open') {
    return `A care after custody referral can be made from ${day(window.supportFrom)}, 12 weeks before their ${release}.`
  }
  return `A care after custody referral can be made up to 28 days after release. The last day for their ${release} was ${day(window.referralUntil)}.`
}

export const messages = {
  notRecorder: 'Only clinicians, hub managers and probation practitioners can record custody episodes.',
  notFound: 'There is no custody episode with that id.',
  stale:
    'Someone else changed this custody episode while you were filling in the form. Check the details below, then make your change again.',
  openEpisode: (prisonName: string) =>
    `They already have a custody episode at ${prisonName} with no release recorded. Record their release on it before adding another.`,
  prisonNameBlank: 'Enter the name of the prison',
  prisonNameLong: `The prison name must be ${PRISON_NAME_MAX} characters or fewer`,
  prisonCodeBlank: 'Enter the prison’s code, like LEI',
  prisonCodeFormat: 'Enter the prison code as 3 letters, like LEI',
  prisonNumberBlank: 'Enter their prison number, like A1234BC',
  prisonNumberFormat: 'Enter a prison number in the correct format, like A1234BC',
  releaseDateBlank: 'Enter the expected release date, or the date they were released',
  dateFormat: (label: string) => `Enter ${label} as a real date, like 2027-03-01`,
  releasedInFuture: 'The date they were released must be today or in the past',
  releaseTypeUnknown: 'Select how they are being released',
  addressLong: `The address on release must be ${ADDRESS_MAX} characters or fewer`,
  addressAndNfa: 'Enter an address on release or say they will have no fixed abode, not both',
  recallWithoutRelease: 'Enter the date they were released before recording a recall',
  recallBeforeRelease: 'The recall date must be the same as or after the date they were released',
  recallInFuture: 'The recall date must be today or in the past',
} as const

export const fieldLabels = {
  expectedReleaseDate: 'the expected release date',
  actualReleaseDate: 'the date they were released',
  recalledOn: 'the date they were recalled',
} as const
