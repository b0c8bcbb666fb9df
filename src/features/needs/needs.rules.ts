/** Needs: their categories in plain words, and which decisions may follow which (hazard log H-313, H-314). */
import type { NeedCategory, NeedStatus } from './needs.tables.ts'

export const needCategoryLabels: Readonly<Record<NeedCategory, string>> = {
  'mental-health': 'Mental health',
  alcohol: 'Alcohol',
  drugs: 'Drugs',
  smoking: 'Smoking',
  neurodivergence: 'Neurodivergence',
  trauma: 'Trauma',
  'physical-health': 'Physical health',
  'gp-registration': 'GP registration',
  screening: 'Screening',
}

export const NEED_REASON_MAX = 1000

/**
 * H-313: a clinician may change their mind about any need (confirmed <-> dismissed, or either back to proposed,
 * "reopen"), always with a reason; only confirming a proposed need may go without one. Staying put is no decision.
 */
export function needTransition(
  from: NeedStatus,
  to: NeedStatus,
): { allowed: false } | { allowed: true; reasonRequired: boolean } {
  if (from === to) return { allowed: false }
  return { allowed: true, reasonRequired: !(from === 'proposed' && to === 'confirmed') }
}

/**
 * H-314: dismissing or reopening a need would leave an open referral standing on nothing, so it is refused while one
 * is open; confirming is never blocked.
 */
export function blockedByOpenReferral(to: NeedStatus): boolean {
  return to === 'dismissed' || to === 'proposed'
}

