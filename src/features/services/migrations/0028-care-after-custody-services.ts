export const name = '0028-care-after-custody-services'

/**
 * A kind of service for NHS England's care after custody (RECONNECT): referrals to it are taken only within the
 * window around a person's release (the custody feature says when), so the directory must be able to say which
 * entries they are.
 */
export const statements: readonly string[] = [
  `alter table service drop constraint service_kind_check`,
  `
  alter table service add constraint service_kind_check check (kind in ('gp-practice', 'talking-therapies',
    'community-mental-health', 'drug-alcohol', 'stop-smoking', 'screening', 'sexual-health', 'dentistry',
    'community-pharmacy', 'liaison-diversion', 'housing', 'voluntary-sector', 'care-after-custody', 'other'))
  `,
]
