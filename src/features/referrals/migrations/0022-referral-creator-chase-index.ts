export const name = '0022-referral-creator-chase-index'

/**
 * The worklist's "referrals to chase" for one member of staff starts from the referrals they made with a chase date
 * (referral_site_chase_idx serves the whole site's).
 */
export const statements: readonly string[] = [
  `create index referral_creator_chase_idx on referral (created_by, chase_on) where chase_on is not null`,
]
