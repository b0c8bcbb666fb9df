/**
 * The RECONNECT window around a release (NHS England's care after custody; domain reference §8): support can start
 * up to 12 weeks (84 days) before release and lasts up to 6 months after it; a referral can be made from the start
 * of support until 28 days after release. Every boundary day is inside the window. Until the actual release date is
 * recorded the expected one is used, and the window says so. A recall back to custody ends the community phase.
 * Hazard log H-1001.
 */
import { addDays, addMonths } from '../../platform/time/uk-time.ts'

export { addMonths }

export const SUPPORT_BEFORE_RELEASE_DAYS = 84
export const REFERRAL_AFTER_RELEASE_DAYS = 28
export const SUPPORT_AFTER_RELEASE_MONTHS = 6

export type WindowPhase =
  /** More than 12 weeks before release: nothing can start yet. */
  | 'not-yet-open'
  /** Within 12 weeks before release: support and referral can start. */
  | 'before-release'
  /** Released no more than 28 days ago: referral still open. */
  | 'referral-open'
  /** Released more than 28 days ago and no more than 6 months: support goes on, no new referral. */
  | 'support-only'
  /** More than 6 months after release. */
  | 'closed'
  /** Recalled to custody on or before today. */
  | 'recalled'
  /** The expected release date has passed and no release has been recorded. */
  | 'release-not-recorded'

export interface EpisodeDates {
  expectedReleaseDate: string | null
  actualReleaseDate: string | null
  recalledOn: string | null
}

export interface ReleaseWindow {
  releaseDate: string
  /** True while only the expected release date is known. */
  expected: boolean
  supportFrom: string
  referralUntil: string
  supportUntil: string
  phase: WindowPhase
  /** Whether a referral may be made today: from the start of support to 28 days after release, unless recalled. */
  referralOpen: boolean
}

export function releaseWindow(episode: EpisodeDates, today: string): ReleaseWindow {
  const expected = episode.actualReleaseDate === null
  const releaseDate = episode.actualReleaseDate ?? episode.expectedReleaseDate
  if (releaseDate === null) throw new Error('A custody episode has an expected or an actual release date')
  const supportFrom = addDays(releaseDate, -SUPPORT_BEFORE_RELEASE_DAYS)
  const referralUntil = addDays(releaseDate, REFERRAL_AFTER_RELEASE_DAYS)
  const supportUntil = addMonths(releaseDate, SUPPORT_AFTER_RELEASE_MONTHS)
  const phase = phaseOn(today, { releaseDate, expected, supportFrom, referralUntil, supportUntil }, episode.recalledOn)
  return {
    releaseDate,
    expected,
    supportFrom,
    referralUntil,
    supportUntil,
    phase,
    // Past an expected date with no release recorded, the referral stays open to 28 days after it: the release may
    // simply not have been recorded yet, and refusing would leave the person without help.
    referralOpen: phase !== 'recalled' && today >= supportFrom && today <= referralUntil,
  }
}

function phaseOn(
  today: string,
  w: { releaseDate: string; expected: boolean; supportFrom: string; referralUntil: string; supportUntil: string },
  recalledOn: string | null,
): WindowPhase {
  if (recalledOn !== null && recalledOn <= today) return 'recalled'
  if (today < w.supportFrom) return 'not-yet-open'
  // On the expected day itself, with no release recorded, the person may still be inside.
  if (today < w.releaseDate || (w.expected && today === w.releaseDate)) return 'before-release'
  // Past the expected day with no release recorded: the person may still be inside, so nothing is assumed.
  if (w.expected && today > w.releaseDate) return 'release-not-recorded'
  if (today <= w.referralUntil) return 'referral-open'
  if (today <= w.supportUntil) return 'support-only'
  return 'closed'
}
